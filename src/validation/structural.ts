// The structural schema of a CRD version, compiled once into a tree that the per-object passes walk quickly:
// pruning of unknown fields, defaulting and list-type checks here, CEL in cel.ts, path naming for ajv errors.
import { FieldProblem } from './metadata';
import { cloneJson, isPlainObject, joinIndex, joinMapKey, joinProperty } from './paths';

/** One `x-kubernetes-validations` entry. */
export interface CelRuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  /** True for transition rules (they use `oldSelf`), which never apply to a new object. */
  readonly transition: boolean;
}

/** A compiled node of a structural schema. */
export interface SchemaNode {
  readonly type?: string;
  readonly nullable: boolean;
  readonly intOrString: boolean;
  /** Declared properties. */
  readonly properties?: Map<string, SchemaNode>;
  /** Schema of the values of a map (`additionalProperties` given as a schema). */
  readonly additionalProperties?: SchemaNode;
  /** Fields not declared are kept (`x-kubernetes-preserve-unknown-fields` or `additionalProperties: true`). */
  readonly keepsUnknown: boolean;
  /** `x-kubernetes-embedded-resource`: apiVersion, kind and metadata are implied. */
  readonly embedded: boolean;
  readonly items?: SchemaNode;
  /** Defaults of declared properties, in declaration order. */
  readonly defaults: ReadonlyArray<readonly [string, unknown]>;
  readonly rules: readonly CelRuleSpec[];
  /** This node or a node below it carries CEL rules. */
  readonly hasRules: boolean;
  readonly listType?: string;
  readonly listMapKeys?: readonly string[];
}

const TRANSITION = /\boldSelf\b/;
const EMBEDDED_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function compileRules(schema: any): CelRuleSpec[] {
  const rules = schema['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return [];
  return rules
    .filter((r: any) => typeof r?.rule === 'string')
    .map((r: any) => ({
      rule: r.rule,
      message: typeof r.message === 'string' ? r.message : undefined,
      messageExpression: typeof r.messageExpression === 'string' ? r.messageExpression : undefined,
      fieldPath: typeof r.fieldPath === 'string' ? r.fieldPath : undefined,
      transition: TRANSITION.test(r.rule),
    }));
}

/** Compiles a Kubernetes structural schema (an `openAPIV3Schema` or a node of it). */
export function compileSchema(schema: any): SchemaNode {
  const s = isPlainObject(schema) ? schema : {};
  let properties: Map<string, SchemaNode> | undefined;
  const defaults: Array<readonly [string, unknown]> = [];
  if (isPlainObject(s.properties)) {
    properties = new Map();
    for (const [name, sub] of Object.entries(s.properties)) {
      properties.set(name, compileSchema(sub));
      if (isPlainObject(sub) && sub.default !== undefined) defaults.push([name, sub.default]);
    }
  }
  const additionalProperties = isPlainObject(s.additionalProperties) ? compileSchema(s.additionalProperties) : undefined;
  const items = isPlainObject(s.items) ? compileSchema(s.items) : undefined;
  const rules = compileRules(s);
  const children = [...(properties?.values() ?? []), additionalProperties, items].filter((c): c is SchemaNode => c !== undefined);
  return {
    type: typeof s.type === 'string' ? s.type : undefined,
    nullable: s.nullable === true,
    intOrString: s['x-kubernetes-int-or-string'] === true,
    properties,
    additionalProperties,
    keepsUnknown: s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true,
    embedded: s['x-kubernetes-embedded-resource'] === true,
    items,
    defaults,
    rules,
    hasRules: rules.length > 0 || children.some((c) => c.hasRules),
    listType: typeof s['x-kubernetes-list-type'] === 'string' ? s['x-kubernetes-list-type'] : undefined,
    listMapKeys: Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : undefined,
  };
}

/**
 * Compiles the root schema of a custom resource. `metadata` is replaced by an open node (it is validated by the
 * ObjectMeta checks; CEL sees only name and generateName, as in Kubernetes) and never defaulted; `status` is left
 * out (it is not part of what a manifest sets).
 */
export function compileRootSchema(schema: any): SchemaNode {
  const root = compileSchema(schema);
  const properties = new Map(root.properties ?? []);
  properties.set('metadata', {
    ...compileSchema({ type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } }),
    keepsUnknown: true,
  });
  properties.delete('status');
  return {
    ...root,
    properties,
    defaults: root.defaults.filter(([name]) => name !== 'metadata' && name !== 'status'),
  };
}

/** Collects what the normalizing pass finds or changes. */
export interface NormalizeSink {
  unknownField(field: string): void;
  defaulted(field: string, value: unknown): void;
  listProblem(problem: FieldProblem): void;
  /** Renders the value at `field` for a message (the validator redacts secrets). */
  show(field: string, value: unknown): string;
  /** The metadata of an embedded resource, at `field`: checked as an ObjectMeta, as the API server does. */
  embeddedMetadata(field: string, value: unknown): void;
}

/**
 * Does to `value` (in place) what the API server does before validation: prunes fields the schema does not declare
 * and applies structural defaults. A property is defaulted when absent, or null while not nullable; defaults are
 * then walked like given values, so defaults inside a defaulted object apply too. Also checks list-type set/map
 * uniqueness, which needs the defaulted items.
 */
export function normalize(value: unknown, node: SchemaNode, path: string, sink: NormalizeSink): void {
  if (Array.isArray(value)) {
    if (!node.items) return;
    value.forEach((item, i) => normalize(item, node.items!, joinIndex(path, i), sink));
    checkListType(value, node, path, sink);
    return;
  }
  if (!isPlainObject(value)) return;
  // An object schema without additionalProperties or x-kubernetes-preserve-unknown-fields keeps declared fields only.
  if ((node.properties || node.type === 'object') && !node.additionalProperties && !node.keepsUnknown) pruneUnknown(value, node, path, sink);
  for (const [name, def] of node.defaults) {
    const current = value[name];
    if (current === undefined || (current === null && !node.properties!.get(name)!.nullable)) {
      value[name] = cloneJson(def);
      sink.defaulted(joinProperty(path, name), cloneJson(def));
    }
  }
  for (const key of Object.keys(value)) {
    const declared = node.properties?.get(key);
    if (node.embedded && key === 'metadata') sink.embeddedMetadata(joinProperty(path, key), value[key]);
    else if (declared) normalize(value[key], declared, joinProperty(path, key), sink);
    else if (node.additionalProperties) normalize(value[key], node.additionalProperties, joinMapKey(path, key), sink);
  }
}

function pruneUnknown(value: Record<string, unknown>, node: SchemaNode, path: string, sink: NormalizeSink): void {
  for (const key of Object.keys(value)) {
    if (node.properties?.has(key) || (node.embedded && EMBEDDED_FIELDS.has(key))) continue;
    sink.unknownField(joinProperty(path, key));
    delete value[key];
  }
}

function checkListType(list: unknown[], node: SchemaNode, path: string, sink: NormalizeSink): void {
  if (node.listType === 'set') {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const key = JSON.stringify(item);
      const field = joinIndex(path, i);
      if (seen.has(key)) sink.listProblem({ field, message: `duplicate value ${sink.show(field, item)}: items of this list must be unique` });
      seen.add(key);
    });
  } else if (node.listType === 'map' && node.listMapKeys && node.listMapKeys.length > 0) {
    const keys = node.listMapKeys;
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (!isPlainObject(item)) return;
      const id = JSON.stringify(keys.map((k) => item[k] ?? null));
      if (seen.has(id)) {
        const field = joinIndex(path, i);
        const shown = keys.map((k) => `${k}=${sink.show(joinProperty(field, k), item[k])}`).join(', ');
        sink.listProblem({ field, message: `duplicate entry with ${shown}: entries must be unique by ${keys.join(', ')}` });
      }
      seen.add(id);
    });
  }
}

/** Field path of a JSON pointer from ajv, naming map keys in brackets where the schema says the object is a map. */
export function schemaPointerToPath(pointer: string, root: SchemaNode): string {
  let path = '';
  let node: SchemaNode | undefined = root;
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node?.items && /^\d+$/.test(segment)) {
      path = joinIndex(path, Number(segment));
      node = node.items;
    } else if (node?.properties?.has(segment)) {
      path = joinProperty(path, segment);
      node = node.properties.get(segment);
    } else if (node?.additionalProperties) {
      path = joinMapKey(path, segment);
      node = node.additionalProperties;
    } else {
      path = /^\d+$/.test(segment) ? joinIndex(path, Number(segment)) : joinProperty(path, segment);
      node = undefined;
    }
  }
  return path;
}
