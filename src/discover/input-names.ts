/**
 * The names a plan takes from the input, checked where they are read against the rule of what they
 * name: object names by their kind's rule (a DNS-1123 subdomain for most kinds, a DNS-1035 label for a
 * Service, a path segment for RBAC objects), namespaces as DNS-1123 labels, a v1alpha2 pool's
 * `spec.extensionRef.name` as a Service name (its CRD has no pattern), and the Gateways, host names and
 * pools an HTTPRoute refers to. These names end up in file names, kubectl commands and READMEs, so a
 * name the API server would refuse is refused here, with its file and line, whether or not the input is
 * validated otherwise. Pure.
 */
import { isAlphaPoolRef } from './http-route';
import { fieldLine, InputProblem, objectRef, SourceObject } from './sources';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { GATEWAY_HOSTNAME } from '../core/name-patterns';
import { GATEWAY_GROUP } from '../inference/api';
import { checkDns1035Label, checkDnsLabel, checkDnsSubdomain, nameChecker, splitApiVersion } from '../validation/metadata';
import { showValue } from '../validation/paths';

type Check = (value: string) => string | undefined;

function checkHostname(value: string): string | undefined {
  if (value.length > 253) return `must be no more than 253 characters (got ${value.length})`;
  if (!GATEWAY_HOSTNAME.test(value)) {
    return `must be a lower-case DNS host name, optionally starting with '*.' (got ${showValue(value)})`;
  }
  return undefined;
}

/** Every name problem of an object the plan uses; `namespace` is the namespace it is planned in ('' when cluster-scoped). */
export function nameProblems(source: SourceObject, namespace: string): InputProblem[] {
  const obj = source.object;
  const problems: InputProblem[] = [];
  const where = objectRef(obj, namespace);
  const check = (field: string, value: unknown, rule: Check, why = '') => {
    const problem = typeof value === 'string' ? rule(value) : `must be a string (got ${showValue(value)})`;
    if (problem) problems.push({ file: source.file, line: fieldLine(source, field), message: `${where}: '${field}' ${problem}${why}` });
  };
  const optional = (field: string, value: unknown, rule: Check, why = '') => {
    if (value !== undefined && value !== null) check(field, value, rule, why);
  };

  const { group } = splitApiVersion(String(obj.apiVersion));
  check('metadata.name', obj.metadata.name, nameChecker(group, String(obj.kind)));
  if (namespace !== '') {
    const given = obj.metadata.namespace;
    const from = given === undefined || given === null ? ' (set by the kustomization that lists this file)' : '';
    check('metadata.namespace', namespace, (v) => {
      const p = checkDnsLabel(v);
      return p ? `${p}${from}` : undefined;
    });
  }

  const spec = isMapValue(obj.spec) ? obj.spec : {};
  if (isAlphaPool(obj)) {
    const ext = spec.extensionRef;
    if (isMapValue(ext) && (ext.kind ?? 'Service') === 'Service' && (ext.group ?? '') === '') {
      optional('spec.extensionRef.name', ext.name, checkDns1035Label, ': it names the Endpoint Picker\'s Service');
    }
  } else if (isAlphaModel(obj)) {
    const ref = spec.poolRef;
    if (isMapValue(ref)) optional('spec.poolRef.name', ref.name, checkDnsSubdomain);
  } else if (obj.kind === 'HTTPRoute' && group === GATEWAY_GROUP) {
    problems.push(...routeProblems(source, spec, check, optional));
  }
  return problems;
}

function routeProblems(
  source: SourceObject,
  spec: any,
  check: (field: string, value: unknown, rule: Check, why?: string) => void,
  optional: (field: string, value: unknown, rule: Check, why?: string) => void,
): InputProblem[] {
  const problems: InputProblem[] = [];
  const where = objectRef(source.object);
  const notMap = (field: string, value: unknown) => problems.push({
    file: source.file, line: fieldLine(source, field), message: `${where}: '${field}' must be a map (got ${showValue(value)})`,
  });
  asList(spec.parentRefs).forEach((p, i) => {
    const at = `spec.parentRefs[${i}]`;
    if (!isMapValue(p)) {
      notMap(at, p);
      return;
    }
    check(`${at}.name`, p.name, checkDnsSubdomain);
    optional(`${at}.namespace`, p.namespace, checkDnsLabel);
    optional(`${at}.sectionName`, p.sectionName, checkDnsSubdomain);
    if (p.port !== undefined && !(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) {
      problems.push({ file: source.file, line: fieldLine(source, `${at}.port`), message: `${where}: '${at}.port' must be an integer in 1..65535 (got ${showValue(p.port)})` });
    }
  });
  asList(spec.hostnames).forEach((h, i) => check(`spec.hostnames[${i}]`, h, checkHostname));
  asList(spec.rules).forEach((rule, r) => {
    if (!isMapValue(rule)) return;
    asList(rule.backendRefs).forEach((ref, b) => {
      const at = `spec.rules[${r}].backendRefs[${b}]`;
      if (!isMapValue(ref)) {
        notMap(at, ref);
        return;
      }
      if (!isAlphaPoolRef(ref)) return;
      check(`${at}.name`, ref.name, checkDnsSubdomain);
      optional(`${at}.namespace`, ref.namespace, checkDnsLabel);
    });
    asList(rule.matches).forEach((m, i) => {
      if (!isMapValue(m)) notMap(`spec.rules[${r}].matches[${i}]`, m);
    });
  });
  return problems;
}

function isMapValue(v: unknown): v is { [key: string]: any } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asList(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
