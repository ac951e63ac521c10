/**
 * Field-level changes between two versions of one Kubernetes object: which fields change and how, with
 * list items named the way Kubernetes merges them. Pure: no cdk8s, no file system.
 *
 * The structural diff is microdiff's (a small, dependency-free deep diff with a CommonJS build, which
 * jsii can bundle); lists are keyed here before it runs, because a list diffed by index reports every
 * item after an insertion as changed:
 * - route `backendRefs` by group/kind/(namespace/)name, so a weight change reads
 *   `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha].weight: 50 -> 0`;
 * - the lists Kubernetes merges by a key (strategic merge patch keys: `containers`, `env`, `volumes`,
 *   `ports`... by `name`, `volumeMounts` by `mountPath`; Gateway `listeners` by `name`);
 * - lists of scalars (`args`, `command`) as one value, so an inserted flag is one change.
 * A list whose items lack the key, or repeat one, is compared by index. A string holding a JSON object
 * (KServe's `inferenceservice-config` keys) is compared inside, its fields after `#` as a JSON pointer.
 */
import * as microdiff from 'microdiff';
import * as YAML from 'yaml';
import { setOwn } from '../core/json';
import { KUBERNETES_YAML } from '../core/kubernetes-yaml';
import { isPlainObject, joinIndex, joinMapKey, joinProperty } from '../validation/paths';
import { isSecretField, redactValue } from '../validation/redact';

/** One field that changes; `before`/`after` absent means the field is unset on that side. */
export interface FieldChange {
  /** Field path, e.g. `spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight`. */
  readonly path: string;
  /** Value before (absent: unset). Secret values are replaced by `<redacted>` (validation/redact). */
  readonly before?: unknown;
  /** Value after (absent: unset). Secret values are replaced by `<redacted>` (validation/redact). */
  readonly after?: unknown;
}

/** Shown for an unset field. */
export const UNSET = '(unset)';

/** The key of each list that Kubernetes merges by key, by field name (first key all items carry wins). */
const LIST_KEYS: { readonly [field: string]: readonly string[] } = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  imagePullSecrets: ['name'],
  resourceClaims: ['name'],
  ports: ['name', 'containerPort', 'port'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  hostAliases: ['ip'],
  listeners: ['name'],
  conditions: ['type'],
  // Gateway API header lists (HTTPRoute filters and matches) are keyed by name: a change names the header.
  set: ['name'],
  add: ['name'],
  headers: ['name'],
};

/** Marks atomic lists (lists of scalars) for the diff: they compare as one value. */
const ATOMIC = '\u0000atomic-list:';

function backendKey(ref: unknown): string | undefined {
  if (!isPlainObject(ref) || typeof ref.name !== 'string') return undefined;
  const group = typeof ref.group === 'string' ? ref.group : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : 'Service';
  const ns = typeof ref.namespace === 'string' && ref.namespace !== '' ? `${ref.namespace}/` : '';
  return `${group === '' ? '' : `${group}/`}${kind}/${ns}${ref.name}`;
}

/** The item keys of a list, or undefined when it is compared by index. */
function listKeys(field: string, items: unknown[]): string[] | undefined {
  // Stryker disable next-line ArrayDeclaration: equivalent: a field with no key given one no item has is still compared by index
  const keyNames = LIST_KEYS[field] ?? [];
  const candidates: Array<(item: unknown) => string | undefined> = field === 'backendRefs'
    ? [backendKey]
    : keyNames.map((k) => (item: unknown) => {
      const v = isPlainObject(item) ? item[k] : undefined;
      return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
    });
  for (const keyOf of candidates) {
    const keys = items.map(keyOf);
    // A key must exist, be unique, and fit in brackets.
    if (keys.every((k): k is string => k !== undefined && k !== '' && !/[[\]]/.test(k)) && new Set(keys).size === keys.length) return keys;
  }
  return undefined;
}

class Transformer {
  /**
   * Containers (as transformed) whose properties are list-item keys, with the keys in the list's order: an object
   * lists integer-like keys first, in ascending order, so a list keyed by port would lose its order in the object.
   */
  public readonly keyed = new WeakMap<object, string[]>();

  public transform(value: unknown, field: string): unknown {
    if (Array.isArray(value)) {
      const keys = listKeys(field, value);
      // Stryker disable next-line MethodExpression,LogicalOperator: equivalent: no Kubernetes list mixes scalars and objects, and a list of scalars has no keys
      if (value.every((v) => v === null || typeof v !== 'object') && !(value.length === 0 && keys !== undefined)) {
        return `${ATOMIC}${JSON.stringify(value)}`;
      }
      // Stryker disable next-line StringLiteral: equivalent: the field name only picks a list's key, and a list item is never a list
      if (keys === undefined) return value.map((v) => this.transform(v, ''));
      const out: { [k: string]: unknown } = {};
      // Stryker disable next-line StringLiteral: equivalent: as above
      value.forEach((v, i) => { out[keys[i]] = this.transform(v, ''); });
      this.keyed.set(out, keys);
      return out;
    }
    if (isPlainObject(value)) {
      const out: { [k: string]: unknown } = {};
      for (const [k, v] of Object.entries(value)) setOwn(out, k, this.transform(v, k));
      return out;
    }
    return value;
  }

  /**
   * Where a diff path sits in the document, for sorting: per step, the position of its key among the
   * keys of `after` followed by those only in `before`.
   */
  public rankOf(steps: Array<string | number>, before: unknown, after: unknown): number[] {
    const rank: number[] = [];
    let b = before;
    let a = after;
    for (const step of steps) {
      const keys = this.keysOf(a);
      // Stryker disable next-line ConditionalExpression: equivalent: a key pushed twice changes no indexOf
      for (const k of this.keysOf(b)) if (!keys.includes(k)) keys.push(k);
      rank.push(keys.indexOf(String(step)));
      b = childOf(b, step);
      a = childOf(a, step);
    }
    return rank;
  }

  /** The keys of a container on a diff path in document order: a keyed list's in the list's order. */
  public keysOf(x: unknown): string[] {
    // Stryker disable next-line ArrayDeclaration: equivalent: see isContainer
    return [...(isContainer(x) ? this.keyed.get(x) ?? keysOf(x) : [])];
  }

  /** The field path of a diff path, walking the transformed trees for the kind of each step. */
  public pathOf(steps: Array<string | number>, before: unknown, after: unknown): string {
    let path = '';
    let b = before;
    let a = after;
    for (const step of steps) {
      const container = isContainer(b) ? b : a;
      // Stryker disable next-line ConditionalExpression: equivalent when false: joinProperty writes a numeric step as an index too
      if (Array.isArray(container)) path = joinIndex(path, Number(step));
      else if (isContainer(container) && this.keyed.has(container)) path = joinMapKey(path, String(step));
      else path = joinProperty(path, String(step));
      b = childOf(b, step);
      a = childOf(a, step);
    }
    return path;
  }
}

// Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent: microdiff reports a difference at the topmost path where the two sides differ in presence or type, so every container on a diff path is an object on both sides (docs/development.md, Mutation testing)
const isContainer = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';
/** The keys of a container on a diff path (an array's indexes as strings). */
// Stryker disable next-line ArrayDeclaration,ConditionalExpression: equivalent: see isContainer
const keysOf = (x: unknown): string[] => (isContainer(x) ? Object.keys(x) : []);
/** The value at one step of a diff path. */
// Stryker disable next-line ConditionalExpression: equivalent: see isContainer
const childOf = (x: unknown, step: string | number): unknown => (isContainer(x) ? x[step] : undefined);

function compareRanks(x: number[], y: number[]): number {
  // Stryker disable next-line EqualityOperator,MethodExpression: equivalent: two diff paths never nest (microdiff reports the topmost), so two ranks differ before the shorter ends
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  // Stryker disable next-line ArithmeticOperator: equivalent: as above, never reached with ranks that differ
  return x.length - y.length;
}

/** The original value of a transformed one. */
function restore(value: unknown, keyed: WeakMap<object, string[]>): unknown {
  if (typeof value === 'string' && value.startsWith(ATOMIC)) return JSON.parse(value.slice(ATOMIC.length));
  if (Array.isArray(value)) return value.map((v) => restore(v, keyed));
  if (isPlainObject(value)) {
    const order = keyed.get(value);
    if (order) return order.map((k) => restore(value[k], keyed));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v, keyed)] as const));
  }
  return value;
}

function jsonObjectIn(text: unknown): { [k: string]: unknown } | undefined {
  // Stryker disable next-line StringLiteral: equivalent: a fast path only; JSON.parse and the plain-object check decide
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function pointerOf(steps: Array<string | number>): string {
  return steps.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function change(path: string, before: unknown, after: unknown): FieldChange {
  return { path, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

/** Reorders of keyed lists whose items stay: one change per list, with the keys in order. */
function reorders(t: Transformer, before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: past the end of before, the item is undefined and reorders returns at once
    after.forEach((v, i) => { if (i < before.length) reorders(t, before[i], v, joinIndex(path, i), out); });
    return;
  }
  if (!isPlainObject(before) || !isPlainObject(after)) return;
  // Stryker disable next-line LogicalOperator: equivalent: a keyed list and a map never meet at one path (a schema makes a field one or the other)
  if (t.keyed.has(before) && t.keyed.has(after)) {
    const common = new Set(Object.keys(after).filter((k) => k in before));
    const was = t.keysOf(before).filter((k) => common.has(k));
    const now = t.keysOf(after).filter((k) => common.has(k));
    if (was.join('\u0000') !== now.join('\u0000')) out.push(change(`${path} (order)`, was, now));
  }
  for (const k of Object.keys(after)) {
    // Stryker disable next-line ConditionalExpression: equivalent: the recursion into a missing key returns at once
    if (!(k in before)) continue;
    const sub = t.keyed.has(after) ? joinMapKey(path, k) : joinProperty(path, k);
    reorders(t, before[k], after[k], sub, out);
  }
}

/**
 * The fields that change from `before` to `after` (two versions of one object), in document order:
 * values of env vars and of Secrets (and of fields named like secrets, see validation/redact) are never
 * shown: `<redacted>` instead.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const kind = isPlainObject(after) ? after.kind : isPlainObject(before) ? before.kind : undefined;
  const t = new Transformer();
  // Stryker disable next-line StringLiteral: equivalent: the root is never a list
  const b = t.transform(before, '');
  // Stryker disable next-line StringLiteral: equivalent: as above
  const a = t.transform(after, '');
  const out: FieldChange[] = [];
  const diff = (x: unknown, y: unknown) => microdiff.default(x as Record<string, unknown>, y as Record<string, unknown>);
  const ranked = diff(b, a).map((d) => ({ d, rank: t.rankOf(d.path, b, a) }));
  ranked.sort((x, y) => compareRanks(x.rank, y.rank));
  for (const { d } of ranked) {
    const path = t.pathOf(d.path, b, a);
    const was = d.type === 'CREATE' ? undefined : restore(d.oldValue, t.keyed);
    const now = d.type === 'REMOVE' ? undefined : restore(d.value, t.keyed);
    const wasJson = jsonObjectIn(was);
    const nowJson = jsonObjectIn(now);
    if (wasJson && nowJson && !isSecretField(kind, path)) {
      for (const inner of diff(wasJson, nowJson)) {
        const at = `${path}#${pointerOf(inner.path)}`;
        out.push(change(at, redactValue(kind, at, inner.type === 'CREATE' ? undefined : inner.oldValue), redactValue(kind, at, inner.type === 'REMOVE' ? undefined : inner.value)));
      }
      continue;
    }
    out.push(change(path, redactValue(kind, path, was), redactValue(kind, path, now)));
  }
  reorders(t, b, a, '', out);
  return out;
}

const MAX_SHOWN = 160;

/** A value as a change line shows it: YAML flow style, `(unset)` when absent, cut after 160 characters. */
export function showFieldValue(value: unknown): string {
  if (value === undefined) return UNSET;
  const text = YAML.stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0, ...KUBERNETES_YAML }).trim();
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}… (${text.length} characters)` : text;
}

/** One change as a line: `path: before -> after`. */
export function formatFieldChange(c: FieldChange): string {
  return `${c.path}: ${showFieldValue(c.before)} -> ${showFieldValue(c.after)}`;
}
