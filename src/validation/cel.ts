// Evaluation of `x-kubernetes-validations` CEL rules the way the API server does it for a create: `self` is the
// (defaulted) value of the schema node, typed by the schema; transition rules (using `oldSelf`) are skipped.
import type { CelResult } from '@bufbuild/cel';
import { decodeCelExpr } from './cel-ast';
import { celExtModule, celModule } from './lazy';
import { FieldProblem } from './metadata';
import { isPlainObject, joinIndex, joinMapKey, joinProperty } from './paths';
import { CelRuleSpec, SchemaNode } from './structural';
import { setOwn } from '../core/json';

type Program = (bindings: { self: unknown }) => CelResult;

/** A CEL rule compiled once per process, or the reason it could not be. */
type Planned = { readonly program: Program } | { readonly error: string };

const programs = new Map<string, Planned>();
/** Expressions parsed when the package was built: the JSON text of encodeCelExpr of each, by expression. */
const parsedAtBuild = new Map<string, string>();
let env: any;

/**
 * Adds expressions parsed at build time (a compiled CRD version's `rules`: expression -> JSON text of encodeCelExpr
 * of its parsed form), so that their first use plans them without parsing.
 */
export function addParsedRules(rules: { readonly [expression: string]: string }): void {
  for (const [expression, json] of Object.entries(rules)) {
    if (!programs.has(expression)) parsedAtBuild.set(expression, json);
  }
}

function planRule(expression: string): Planned {
  let planned = programs.get(expression);
  if (planned) return planned;
  const cel = celModule();
  env ??= cel.celEnv({ funcs: celExtModule().strings });
  const stored = parsedAtBuild.get(expression);
  parsedAtBuild.delete(expression);
  try {
    const parsed = stored !== undefined ? decodeCelExpr(JSON.parse(stored)) : cel.parse(expression);
    planned = { program: cel.plan(env, parsed as Parameters<typeof cel.plan>[1]) as unknown as Program };
  } catch (err) {
    planned = { error: (err as Error).message };
  }
  programs.set(expression, planned);
  return planned;
}

// Identifiers the CEL grammar reserves; a property with such a name is reachable as `__<name>__`.
const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * The name under which CEL sees a property, following Kubernetes' property-name escaping: reserved words become
 * `__word__`; otherwise `__` -> `__underscores__`, `.` -> `__dot__`, `-` -> `__dash__`, `/` -> `__slash__`.
 * Undefined when the name cannot be expressed (it starts with a digit or has other characters): such properties
 * are not visible to CEL.
 */
export function escapePropertyName(name: string): string | undefined {
  // Stryker disable next-line StringLiteral: equivalent: an empty name also fails the character check below and is undefined either way
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z0-9_./-]+$/.test(name)) return undefined;
  const replacements: Record<string, string> = { '__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };
  return name.replace(/__|[./-]/g, (m) => replacements[m]);
}

const escapedNames = new Map<string, string | undefined>();

function celName(name: string): string | undefined {
  if (!escapedNames.has(name)) escapedNames.set(name, escapePropertyName(name));
  return escapedNames.get(name);
}

/** Whether a JSON value has the shape a schema node describes; values that do not are left to the schema check. */
function fitsType(value: unknown, node: SchemaNode): boolean {
  if (node.intOrString) return typeof value === 'string' || Number.isInteger(value);
  switch (node.type) {
    case 'object': return isPlainObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number';
    default: return true;
  }
}

/** CEL value of JSON without a schema: integers as int, objects as maps. */
function untypedToCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untypedToCel);
  if (isPlainObject(value)) return new Map(Object.entries(value).map(([k, v]) => [k, untypedToCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

function scalarToCel(value: unknown, node: SchemaNode): unknown {
  if (typeof value !== 'number') return value;
  if (node.type === 'number') return value;
  return Number.isInteger(value) ? BigInt(value) : value;
}

/** Counts and problems of one object's CEL pass. */
export interface CelSink {
  evaluated(): void;
  skipped(): void;
  problem(problem: FieldProblem & { rule: string }): void;
}

/**
 * Walks a (defaulted) value with its schema, evaluating every rule on every present value. Children are converted
 * before their parent, so each value is converted to CEL once. Returns the CEL value when the caller needs it.
 */
// Stryker disable next-line BooleanLiteral: equivalent: the root's value is returned to a caller that ignores it, and needing it only converts values no rule reads
export function evaluateRules(value: unknown, node: SchemaNode, path: string, sink: CelSink, parentNeedsValue = false): unknown {
  if (value === undefined || (!parentNeedsValue && !node.hasRules)) return undefined;
  // The API server runs no rule on a null value, even of a nullable field (Validator.validate returns at obj == nil:
  // apiextensions-apiserver pkg/apiserver/schema/cel/validation.go@v0.35.4); a parent's rule sees the null.
  if (value === null || !fitsType(value, node)) return untypedToCel(value);
  const needsValue = parentNeedsValue || node.rules.length > 0;
  const celValue = toCel(value, node, path, sink, needsValue);
  for (const rule of node.rules) runRule(rule, celValue, path, sink);
  return celValue;
}

function toCel(value: unknown, node: SchemaNode, path: string, sink: CelSink, needsValue: boolean): unknown {
  if (Array.isArray(value)) {
    if (!node.items) return untypedToCel(value);
    return value.map((item, i) => evaluateRules(item, node.items!, joinIndex(path, i), sink, needsValue));
  }
  if (!isPlainObject(value)) return scalarToCel(value, node);
  if (node.additionalProperties) {
    const map = new Map<string, unknown>();
    for (const [key, v] of Object.entries(value)) map.set(key, evaluateRules(v, node.additionalProperties, joinMapKey(path, key), sink, needsValue));
    return map;
  }
  if (!node.properties && !node.type) return untypedToCel(value);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const child = node.properties?.get(key);
    const name = celName(key);
    if (child) {
      // Stryker disable next-line LogicalOperator: equivalent: needing a child's value only converts it; which rules run depends on hasRules, and a value under an unexpressible name is dropped
      const converted = evaluateRules(v, child, joinProperty(path, key), sink, needsValue && name !== undefined);
      // Stryker disable next-line ConditionalExpression: equivalent: has() and field selection, all CEL allows on an object, treat a property holding undefined as missing
      if (name !== undefined && converted !== undefined) setOwn(out, name, converted);
    } else if (node.embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata') && name) {
      setOwn(out, name, untypedToCel(v));
    }
  }
  return out;
}

function runRule(rule: CelRuleSpec, self: unknown, path: string, sink: CelSink): void {
  if (rule.transition) {
    sink.skipped();
    return;
  }
  sink.evaluated();
  const field = rulePath(path, rule.fieldPath);
  const planned = planRule(rule.rule);
  if ('error' in planned) {
    sink.problem({ field, rule: rule.rule, message: `rule cannot be compiled: ${planned.error}` });
    return;
  }
  const result = safeRun(planned.program, self);
  if (result === true) return;
  let message: string;
  if (celModule().isCelError(result)) message = `rule evaluation error: ${result.message}`;
  else if (result !== false) message = `rule must evaluate to a bool (got ${typeof result})`;
  else message = failureMessage(rule, self);
  sink.problem({ field, rule: rule.rule, message });
}

function safeRun(program: Program, self: unknown): CelResult {
  try {
    return program({ self });
  } catch (err) {
    return celModule().celError(err);
  }
}

/** The message of a failed rule: messageExpression's result if it gives a usable string, else message, else the rule. */
function failureMessage(rule: CelRuleSpec, self: unknown): string {
  if (rule.messageExpression) {
    const planned = planRule(rule.messageExpression);
    const result = 'program' in planned ? safeRun(planned.program, self) : undefined;
    // Like Kubernetes, fall back when the expression fails or gives an empty or multi-line string.
    if (typeof result === 'string' && result.trim() !== '' && !result.includes('\n')) return result;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/**
 * Joins a node path and a rule's relative fieldPath (".port", ".foo['bar']", ".items[0]") as the API server does: the
 * normalized fieldPath is one child of the node's path, so one starting with a map key reads `spec.backends.[primary]`
 * (`currentFldPath.Child(compiled.NormalizedRuleFieldPath)`, apiextensions-apiserver
 * pkg/apiserver/schema/cel/validation.go@v0.35.4; test/fixtures/cel holds kube-apiserver's verdict).
 */
export function rulePath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path;
  const relative = fieldPath.replace(/\[['"]([^'"]*)['"]\]/g, '[$1]').replace(/^\./, '');
  if (path === '') return relative;
  return `${path}.${relative}`;
}
