/**
 * Pure helpers on synthesized manifests (plain JSON objects): identity, YAML, file names, sync waves,
 * and the difference between two stages. No cdk8s, no file system.
 */
import { configure } from 'safe-stable-stringify';
import * as YAML from 'yaml';
import { FieldChange, fieldChanges } from './field-changes';
import { UserError } from '../core/errors';
import { KUBERNETES_YAML } from '../core/kubernetes-yaml';
import { fitFileName } from '../output/names';

/** Annotation of the Argo CD sync wave. */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** API group of an apiVersion (`''` for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Identity of an object across stages: group, kind, namespace and name (not the version). */
export function identity(obj: any): string {
  return `${groupOf(obj.apiVersion)}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
}

/**
 * A short human reference: `Kind namespace/name`, with the apiVersion for the inference kinds whose
 * alpha and GA versions live side by side.
 */
export function describe(obj: any): string {
  const ns = obj.metadata?.namespace;
  const kind = obj.kind.startsWith('Inference') ? `${obj.kind} (${obj.apiVersion})` : obj.kind;
  return `${kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}

/**
 * YAML of one or more objects, as cdk8s writes it (YAML 1.1 quoting, so `on`, `yes` and the like stay
 * strings for Kubernetes' parser), documents separated by `---`.
 */
export function toYaml(objects: any[]): string {
  // Strings that Kubernetes' decoder would read as numbers, booleans or null (`0o12`, `on`) are quoted.
  return objects.map((o) => YAML.stringify(o, { lineWidth: 0, ...KUBERNETES_YAML })).join('---\n');
}

const stableJsonCache = new WeakMap<object, string>();

const stringifySorted = configure({ deterministic: true, circularValue: TypeError });

/** JSON with every object's keys sorted (safe-stable-stringify): equal values give equal text. A cycle throws. */
export function sortedJson(value: object): string {
  return stringifySorted(value);
}

/** sortedJson of a synthesized manifest, cached per object (manifests are not mutated). */
export function stableJson(value: any): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  let text = stableJsonCache.get(value);
  if (text === undefined) {
    text = sortedJson(value);
    stableJsonCache.set(value, text);
  }
  return text;
}

/**
 * Results computed once per distinct manifest: objects with the same JSON text (same keys in the same order, same
 * values) share one result, e.g. the YAML or the validation problems of an object that several stages hold unchanged.
 * `compute` must depend on the object's JSON value only. An object that JSON cannot show exactly (a value such as
 * NaN or undefined, a class instance) whose text matches a remembered object's gets a result of its own.
 */
export class ManifestMemo<T> {
  private readonly entries = new Map<string, { readonly obj: unknown; readonly value: T }>();

  public constructor(private readonly compute: (obj: any) => T) {}

  /** The result for `obj`, computed on the first object with its value. */
  public get(obj: any): T {
    let key: string | undefined;
    try {
      key = JSON.stringify(obj);
    } catch {
      key = undefined; // a cycle or a BigInt: not remembered
    }
    const hit = key === undefined ? undefined : this.entries.get(key);
    if (hit && sameJsonValue(hit.obj, obj)) return hit.value;
    const value = this.compute(obj);
    if (key !== undefined && !hit) this.entries.set(key, { obj, value });
    return value;
  }
}

/** Whether two values are the same JSON data: plain objects with the same keys in the same order, arrays, primitives. */
function sameJsonValue(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b) || (proto !== Object.prototype && proto !== Array.prototype && proto !== null)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== other[i] || !sameJsonValue(a[keys[i]], b[keys[i]])) return false;
  }
  return true;
}

/**
 * The default sync wave of a kind: pools, Endpoint Pickers and everything they need first (0), then
 * what refers to pools (objectives, pool policies: 1), then routes and grants (2).
 */
export function defaultSyncWave(obj: any): number {
  switch (obj.kind) {
    case 'InferenceObjective':
    case 'HealthCheckPolicy':
    case 'GCPBackendPolicy':
      return 1;
    case 'HTTPRoute':
    case 'GRPCRoute':
    case 'ReferenceGrant':
      return 2;
    default:
      return 0;
  }
}

/** The object with its sync-wave annotation (an annotation it carries already wins). */
export function withSyncWave(obj: any, wave: number): any {
  const annotations = obj.metadata?.annotations ?? {};
  if (SYNC_WAVE in annotations) return obj;
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [SYNC_WAVE]: String(wave) } } };
}

/** The sync wave an object carries (0 when none). */
export function syncWaveOf(obj: any): number {
  const value = obj.metadata?.annotations?.[SYNC_WAVE];
  return value === undefined ? 0 : Number(value);
}

const KIND_ORDER = [
  'Namespace', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
  'ConfigMap', 'Secret', 'Service', 'Deployment', 'DestinationRule', 'InferencePool', 'InferenceModel', 'InferenceObjective',
  'HealthCheckPolicy', 'GCPBackendPolicy', 'GatewayClass', 'Gateway', 'ReferenceGrant', 'HTTPRoute',
];

/** Sorts objects as they are applied: by sync wave, then a kind order, then namespace and name. */
export function sortForApply(objects: any[]): any[] {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return [...objects].sort((a, b) =>
    syncWaveOf(a) - syncWaveOf(b)
    || rank(a.kind) - rank(b.kind)
    || a.kind.localeCompare(b.kind)
    || groupOf(a.apiVersion).localeCompare(groupOf(b.apiVersion))
    || (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? '')
    || a.metadata.name.localeCompare(b.metadata.name));
}

/**
 * File names for the objects of one folder: `<kind>-<name>.yaml`, made unique with the API group and
 * namespace where two objects would share one; a name longer than file systems allow (255 bytes; a
 * Kubernetes name may have 253 characters) is shortened, with a hash of the full name as its suffix.
 */
export function fileNames(objects: any[]): string[] {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const short = objects.map((o) => `${slug(o.kind)}-${slug(o.metadata.name)}`);
  const counts = new Map<string, number>();
  for (const s of short) counts.set(s, (counts.get(s) ?? 0) + 1);
  const names = objects.map((o, i) => {
    if (counts.get(short[i]) === 1) return fitFileName(short[i], '.yaml');
    const group = groupOf(o.apiVersion) || 'core';
    return fitFileName(`${slug(o.kind)}-${slug(group)}-${slug(o.metadata.namespace ?? 'cluster')}-${slug(o.metadata.name)}`, '.yaml');
  });
  if (new Set(names).size !== names.length) {
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    throw new UserError(`two objects would be written to ${dup}: each object must have a unique group, kind, namespace and name`);
  }
  return names;
}

/** What changed between two stages, by object identity. */
export interface ManifestDiff {
  readonly created: any[];
  readonly changed: any[];
  /** The fields that change in each object of `changed`, in the same order. */
  readonly changedFields: FieldChange[][];
  readonly deleted: any[];
  readonly unchanged: any[];
}

/** The difference from `before` to `after`. */
export function diffManifests(before: any[], after: any[]): ManifestDiff {
  const prev = new Map(before.map((o) => [identity(o), o]));
  const next = new Map(after.map((o) => [identity(o), o]));
  const created: any[] = [];
  const changed: any[] = [];
  const changedFields: FieldChange[][] = [];
  const unchanged: any[] = [];
  for (const [key, obj] of next) {
    const old = prev.get(key);
    if (!old) {
      created.push(obj);
    } else if (stableJson(old) !== stableJson(obj)) {
      changed.push(obj);
      changedFields.push(fieldChanges(old, obj));
    } else {
      unchanged.push(obj);
    }
  }
  const deleted = [...prev.entries()].filter(([key]) => !next.has(key)).map(([, o]) => o);
  return { created, changed, changedFields, deleted, unchanged };
}
