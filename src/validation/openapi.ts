// OpenAPI v3 validation of custom resources with ajv: the Kubernetes schema dialect is converted to a plain
// JSON Schema (draft-07) once per CRD version, and ajv errors are turned into readable problems.
import { isIP } from 'net';
import { compileFunction } from 'vm';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvModule, loadModule } from './lazy';
import { FieldProblem } from './metadata';
import { joinProperty, jsonType, showValue, valueAtPointer } from './paths';
import { showField } from './redact';

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const INT64 = { min: -(2 ** 63), max: 2 ** 63 - 1 };
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

type FormatCheck = (value: any) => boolean;

/** Formats the CRDs use: the ones that matter are checked, the others accepted as Kubernetes accepts them loosely. */
const FORMATS: Record<string, { type: 'number' | 'string'; check: FormatCheck; describe: string }> = {
  'int32': { type: 'number', check: (n) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max, describe: `int32 (${INT32.min}..${INT32.max})` },
  'int64': { type: 'number', check: (n) => Number.isInteger(n) && n >= INT64.min && n <= INT64.max, describe: 'int64' },
  'float': { type: 'number', check: () => true, describe: 'float' },
  'double': { type: 'number', check: () => true, describe: 'double' },
  'date-time': { type: 'string', check: (s) => DATE_TIME.test(s), describe: 'RFC 3339 date-time' },
  'ipv4': { type: 'string', check: (s) => isIP(s) === 4, describe: 'IPv4 address' },
  'ipv6': { type: 'string', check: (s) => isIP(s) === 6, describe: 'IPv6 address' },
  'byte': { type: 'string', check: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s), describe: 'base64 string' },
  'date': { type: 'string', check: () => true, describe: 'date' },
  'duration': { type: 'string', check: () => true, describe: 'duration' },
  'uri': { type: 'string', check: () => true, describe: 'URI' },
  'hostname': { type: 'string', check: () => true, describe: 'hostname' },
  'email': { type: 'string', check: () => true, describe: 'email' },
  'uuid': { type: 'string', check: () => true, describe: 'UUID' },
  'password': { type: 'string', check: () => true, describe: 'password' },
  'quantity': { type: 'string', check: () => true, describe: 'quantity' },
};

/** Keywords copied unchanged from the Kubernetes schema. */
const PLAIN_KEYWORDS = [
  'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf', 'minItems', 'maxItems',
  'uniqueItems', 'minProperties', 'maxProperties', 'required',
];

/** The formats as ajv takes them, for compiling (addFormat) and for running standalone code (require of FORMATS_ID). */
const AJV_FORMATS: Record<string, { type: 'number' | 'string'; validate: FormatCheck }> = Object.fromEntries(
  Object.entries(FORMATS).map(([name, f]) => [name, { type: f.type, validate: f.check }]),
);

/** The module id under which standalone validator code finds AJV_FORMATS (see loadStandaloneValidator). */
const FORMATS_ID = 'inference-migration:formats';

/**
 * A new ajv instance with the options every custom resource schema is compiled with. `standalone` keeps the
 * generated code so that ajv's standaloneCode can write it out (the CRDs compiled at build time); the checks are
 * the same.
 */
export function newAjv(standalone = false): any {
  const ajvPackage = ajvModule();
  const Ajv = ajvPackage.default;
  // inlineRefs: false keeps shared subschemas as one function each; optimize: false halves compile time of the
  // large CRDs (KServe) at no measurable cost per object.
  const instance: any = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true,
    validateFormats: true,
    inlineRefs: false,
    code: standalone ? { optimize: false, source: true, formats: ajvPackage._`require(${FORMATS_ID})` } : { optimize: false },
  });
  for (const [name, format] of Object.entries(AJV_FORMATS)) instance.addFormat(name, format);
  return instance;
}

let sharedAjv: any;

function ajv(): any {
  sharedAjv ??= newAjv();
  return sharedAjv;
}

function isTypeOnly(branch: unknown): boolean {
  return typeof branch === 'object' && branch !== null && Object.keys(branch).every((k) => k === 'type');
}

/**
 * Converts a Kubernetes OpenAPI v3 schema node to draft-07: `nullable` adds 'null' to the type, int-or-string
 * becomes `type: [integer, string]`, OpenAPI's boolean exclusiveMinimum/Maximum become numbers, descriptions,
 * defaults and x-kubernetes-* keywords are dropped, unknown formats are left out.
 */
export function toJsonSchema(schema: any): any {
  if (typeof schema !== 'object' || schema === null) return {};
  const out: any = {};
  for (const keyword of PLAIN_KEYWORDS) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  if (typeof schema.format === 'string' && Object.hasOwn(FORMATS, schema.format)) out.format = schema.format;
  if (schema.exclusiveMinimum === true && schema.minimum !== undefined) {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  }
  if (schema.exclusiveMaximum === true && schema.maximum !== undefined) {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  }
  let types: string[] | undefined = typeof schema.type === 'string' ? [schema.type] : undefined;
  if (schema['x-kubernetes-int-or-string'] === true) types = ['integer', 'string'];
  if (types && schema.nullable === true) {
    types.push('null');
    if (out.enum) out.enum = [...out.enum, null];
  }
  if (types) out.type = types.length === 1 ? types[0] : types;
  if (schema.properties) {
    out.properties = {};
    for (const [name, sub] of Object.entries(schema.properties)) out.properties[name] = toJsonSchema(sub);
  }
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = toJsonSchema(schema.additionalProperties);
  if (schema.items) out.items = toJsonSchema(schema.items);
  for (const combinator of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[combinator];
    if (!Array.isArray(branches)) continue;
    // The int-or-string idiom `anyOf: [{type: integer}, {type: string}]` is already expressed by the type list.
    if (combinator === 'anyOf' && schema['x-kubernetes-int-or-string'] === true && branches.every(isTypeOnly)) continue;
    out[combinator] = branches.map(toJsonSchema);
  }
  if (schema.not) out.not = toJsonSchema(schema.not);
  return out;
}

/** Copy of a draft-07 node with `f` applied to each direct subschema. */
function mapSubschemas(node: any, f: (sub: any) => any): any {
  const out = { ...node };
  if (node.properties) {
    out.properties = {};
    for (const [name, sub] of Object.entries(node.properties)) out.properties[name] = f(sub);
  }
  if (typeof node.additionalProperties === 'object') out.additionalProperties = f(node.additionalProperties);
  if (node.items) out.items = f(node.items);
  for (const combinator of ['anyOf', 'oneOf', 'allOf']) if (node[combinator]) out[combinator] = node[combinator].map(f);
  if (node.not) out.not = f(node.not);
  return out;
}

const MIN_SHARED_NODES = 8;

/**
 * Moves subschemas that occur more than once (KServe repeats the pod spec for predictor, transformer, explainer
 * and workers) into `definitions`, referenced with `$ref`, so ajv generates code for each of them once.
 */
export function shareRepeatedSubschemas(root: any): any {
  const idOf = new Map<any, number>();
  const idByShape = new Map<string, number>();
  const sizes: number[] = [];
  const uses: number[] = [];
  const intern = (node: any): number => {
    let size = 1;
    const shape = mapSubschemas(node, (sub) => {
      const id = intern(sub);
      size += sizes[id];
      return id;
    });
    const key = JSON.stringify(shape);
    let id = idByShape.get(key);
    if (id === undefined) {
      id = sizes.length;
      idByShape.set(key, id);
      sizes.push(size);
      uses.push(0);
    }
    uses[id]++;
    idOf.set(node, id);
    return id;
  };
  intern(root);
  const definitions: Record<string, any> = {};
  const names = new Map<number, string>();
  const rewrite = (node: any, isDefinition: boolean): any => {
    const id = idOf.get(node)!;
    if (isDefinition || uses[id] < 2 || sizes[id] < MIN_SHARED_NODES) return mapSubschemas(node, (sub) => rewrite(sub, false));
    let name = names.get(id);
    if (name === undefined) {
      name = `s${names.size}`;
      names.set(id, name);
      definitions[name] = rewrite(node, true);
    }
    return { $ref: `#/definitions/${name}` };
  };
  const shared = rewrite(root, true);
  return names.size > 0 ? { ...shared, definitions } : shared;
}

/**
 * The draft-07 schema a custom resource root is checked with. `metadata` is checked by the ObjectMeta checks and
 * `status` is not validated, so both are left out.
 */
export function rootJsonSchema(schema: any): any {
  const converted = toJsonSchema(schema);
  if (converted.properties) {
    delete converted.properties.metadata;
    delete converted.properties.status;
  }
  if (Array.isArray(converted.required)) converted.required = converted.required.filter((r: string) => r !== 'metadata' && r !== 'status');
  return shareRepeatedSubschemas(converted);
}

/** Compiles the schema of a custom resource root (see rootJsonSchema) with ajv, at run time. */
export function compileRootValidator(schema: any): ValidateFunction {
  return ajv().compile(rootJsonSchema(schema));
}

/** Modules that the code of a standalone validator may require: ajv's small runtime helpers and the formats. */
function standaloneRequire(id: string): unknown {
  if (id === FORMATS_ID) return AJV_FORMATS;
  if (id.startsWith('ajv/dist/runtime/')) return loadModule(id);
  throw new Error(`a compiled validator requires ${id}, which it may not`);
}

/**
 * The validator of a custom resource root from the code ajv's standaloneCode wrote at build time for
 * rootJsonSchema of the same schema (see crd-compiler.ts): the same checks and errors as compileRootValidator,
 * without loading ajv's compiler or generating code at run time.
 */
export function loadStandaloneValidator(code: string, filename: string): ValidateFunction {
  const module = { exports: {} as any };
  compileFunction(code, ['require', 'module', 'exports'], { filename })(standaloneRequire, module, module.exports);
  return module.exports as ValidateFunction;
}

function rangeText(parent: any): string | undefined {
  const min = parent?.minimum ?? parent?.exclusiveMinimum;
  const max = parent?.maximum ?? parent?.exclusiveMaximum;
  if (min === undefined || max === undefined) return undefined;
  return `${min}..${max}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function countOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'string') return [...value].length;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length;
  return 0;
}

/**
 * A readable message for one ajv error; `value` is the offending value, `show` renders it (ajvErrorsToProblems
 * passes one that redacts secrets).
 */
export function describeAjvError(err: ErrorObject, value: unknown, show: (value: unknown) => string = showValue): string {
  const p: any = err.params;
  const got = show(value);
  switch (err.keyword) {
    case 'type': {
      const wanted = Array.isArray(p.type) ? p.type.join(' or ') : String(p.type).replace(/,/g, ' or ');
      return `must be ${wanted} (got ${value === null ? 'null' : `${jsonType(value)} ${got}`})`;
    }
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')} (got ${got})`;
    case 'const':
      return `must be ${showValue(p.allowedValue)} (got ${got})`;
    case 'pattern':
      return `must match the pattern ${p.pattern} (got ${got})`;
    case 'format': {
      const format = Object.hasOwn(FORMATS, p.format) ? FORMATS[p.format] : undefined;
      return `must be a valid ${format ? format.describe : p.format} (got ${got})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const range = rangeText(err.parentSchema);
      return `must be ${p.comparison} ${p.limit}${range ? ` (allowed range ${range}, got ${got})` : ` (got ${got})`}`;
    }
    case 'minLength':
      return `must be at least ${plural(p.limit, 'character')} long (got ${countOf(value)})`;
    case 'maxLength':
      return `must be at most ${plural(p.limit, 'character')} long (got ${countOf(value)})`;
    case 'minItems':
      return `must have at least ${plural(p.limit, 'item')} (got ${countOf(value)})`;
    case 'maxItems':
      return `must have at most ${plural(p.limit, 'item')} (got ${countOf(value)})`;
    case 'minProperties':
      return `must have at least ${plural(p.limit, 'entry')} (got ${countOf(value)})`.replace('entrys', 'entries');
    case 'maxProperties':
      return `must have at most ${plural(p.limit, 'entry')} (got ${countOf(value)})`.replace('entrys', 'entries');
    case 'multipleOf':
      return `must be a multiple of ${p.multipleOf} (got ${got})`;
    case 'uniqueItems':
      return `must not contain duplicate items (items ${p.j} and ${p.i} are equal)`;
    case 'required':
      return 'required field is missing';
    case 'anyOf':
      return `must match at least one of the allowed forms (got ${got})`;
    case 'oneOf':
      return `must match exactly one of the allowed forms (got ${got})`;
    case 'not':
      return `must not match the disallowed form (got ${got})`;
    default:
      return `${err.message ?? 'is invalid'} (got ${got})`;
  }
}

/**
 * When an anyOf/oneOf fails, ajv also reports why each branch failed; those errors say little on their own, so
 * only the combinator's error is kept.
 */
function dropBranchErrors(errors: ErrorObject[]): ErrorObject[] {
  const failed = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (failed.length === 0) return errors;
  const isBranchError = (e: ErrorObject) =>
    failed.some((c) => e.schemaPath.startsWith(`${c.schemaPath}/`) && (e.instancePath === c.instancePath || e.instancePath.startsWith(`${c.instancePath}/`)));
  return errors.filter((e) => !isBranchError(e));
}

/**
 * Turns ajv errors into field problems. `pathOf` names the field of a JSON pointer; `data` is the validated object
 * (used when an error carries no data of its own, and for its kind: values of secret fields are never shown).
 */
export function ajvErrorsToProblems(errors: ErrorObject[], data: unknown, pathOf: (pointer: string) => string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const kind = (data as { kind?: unknown } | null)?.kind;
  for (const err of dropBranchErrors(errors)) {
    const value = err.data !== undefined ? err.data : valueAtPointer(data, err.instancePath);
    const at = pathOf(err.instancePath);
    const field = err.keyword === 'required' ? joinProperty(at, String((err.params as any).missingProperty)) : at;
    const message = describeAjvError(err, value, (v) => showField(kind, at, v));
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, message });
  }
  return problems;
}
