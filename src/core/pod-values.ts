/**
 * Eager checks of the container settings in `pod-types.ts`, with the rules the API server applies (apimachinery
 * and kubernetes `pkg/apis/core/validation/validation.go` at v1.34.0), so that a wrong value fails at the prop that
 * holds it instead of at `kubectl apply`. Each returns the value as the manifest spells it. Pure: no cdk8s.
 */
import type { IConstruct } from 'constructs';
import { propError, show } from './errors';
import type { EnvVar, ResourceRequirements } from './pod-types';

// Kubernetes' environment variable names (apimachinery pkg/util/validation/validation.go@v0.34.0, IsEnvVarName).
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

// A quantity as apimachinery's ParseQuantity reads it (pkg/api/resource/quantity.go@v0.34.0): a number, then a
// binary-SI suffix (Ki..Ei), a decimal-SI suffix (n, u, m, k, M..E) or an exponent (e3, E-2). No sign: requests and
// limits must not be negative (ValidateResourceQuantityValue).
const QUANTITY = /^(\d+(\.\d*)?|\.\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** The four sources of `valueFrom`, of which an env variable names exactly one. */
const ENV_SOURCES = ['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef'];

function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True when `text` is a Kubernetes quantity that a request or limit may hold. */
export function isQuantity(text: unknown): text is string {
  return typeof text === 'string' && QUANTITY.test(text);
}

/**
 * The env variables, in their order, after the API server's checks: a list of `{ name, value }` or
 * `{ name, valueFrom }`, names valid and unique, `valueFrom` naming one source.
 */
export function checkEnv(scope: IConstruct | string, prop: string, env: EnvVar[]): EnvVar[] {
  if (!Array.isArray(env)) {
    throw propError(scope, prop, `must be a list of { name, value } or { name, valueFrom } entries (got ${show(env)})`);
  }
  const seen = new Set<string>();
  return env.map((variable, i) => {
    const at = `${prop}[${i}]`;
    if (!isPlainObject(variable)) throw propError(scope, at, `must be a { name, value } or { name, valueFrom } entry (got ${show(variable)})`);
    const name = variable.name;
    if (typeof name !== 'string' || !ENV_VAR_NAME.test(name) || name === '.' || name.startsWith('..')) {
      throw propError(scope, `${at}.name`, `must be an environment variable name: letters, digits, '_', '-' or '.', not starting with a digit, not '.' and not starting with '..' (got ${show(name)})`);
    }
    if (seen.has(name)) throw propError(scope, `${at}.name`, `repeats ${name}: each variable appears once`);
    seen.add(name);
    if (variable.value !== undefined && typeof variable.value !== 'string') {
      throw propError(scope, `${at}.value`, `must be a string (got ${show(variable.value)})`);
    }
    if (variable.valueFrom !== undefined) checkEnvSource(scope, `${at}.valueFrom`, variable);
    return variable;
  });
}

function checkEnvSource(scope: IConstruct | string, at: string, variable: EnvVar): void {
  if (variable.value !== undefined && variable.value !== '') {
    throw propError(scope, at, 'must be left out when \'value\' is set: give one of them');
  }
  const source = variable.valueFrom as unknown;
  const given = isPlainObject(source) ? ENV_SOURCES.filter((key) => source[key] !== undefined) : [];
  if (!isPlainObject(source) || given.length !== 1) {
    throw propError(scope, at, `must name exactly one of ${ENV_SOURCES.join(', ')} (got ${show(source)})`);
  }
  const divisor = (source.resourceFieldRef as { divisor?: unknown } | undefined)?.divisor;
  if (divisor !== undefined && !isQuantity(divisor)) {
    throw propError(scope, `${at}.resourceFieldRef.divisor`, `must be a quantity such as '1', '1m' or '1Mi' (got ${show(divisor)})`);
  }
}

/** The requests and limits, each a map of resource names to quantities, without empty maps. */
export function checkResources(scope: IConstruct | string, prop: string, resources: ResourceRequirements): ResourceRequirements | undefined {
  if (!isPlainObject(resources)) {
    throw propError(scope, prop, `must be { requests?, limits? }, each a map of resource names to quantities such as { cpu: '500m', memory: '1Gi' } (got ${show(resources)})`);
  }
  const out: { requests?: { [resource: string]: string }; limits?: { [resource: string]: string } } = {};
  for (const key of Object.keys(resources)) {
    if (key !== 'requests' && key !== 'limits') throw propError(scope, `${prop}.${key}`, 'is not a field: allowed are requests and limits');
  }
  for (const kind of ['requests', 'limits'] as const) {
    const quantities = resources[kind];
    if (quantities === undefined) continue;
    if (!isPlainObject(quantities)) throw propError(scope, `${prop}.${kind}`, `must be a map of resource names to quantities (got ${show(quantities)})`);
    for (const [resource, quantity] of Object.entries(quantities)) {
      if (!isQuantity(quantity)) {
        throw propError(scope, `${prop}.${kind}.${resource}`, `must be a quantity such as '500m', '2', '1Gi' or '512Mi' (got ${show(quantity)})`);
      }
    }
    if (Object.keys(quantities).length > 0) out[kind] = quantities as { [resource: string]: string };
  }
  return out.requests || out.limits ? out : undefined;
}
