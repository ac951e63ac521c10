// Strict field validation for the kinds checked with the kubernetes-models validators, as the API server does it
// with `fieldValidation=Strict` (kubectl's default `--validate=strict`): a field the schema does not declare is an
// error, not silently dropped. The generated validators allow any additional property, but they read every
// declared property of every object they check (`data.replicas`, ...), and walk the keys of maps (labels, data).
// So the object is validated through proxies that record what the validator reads: an own key it never read, in an
// object whose other keys it did read, is a field the schema does not declare.
import { isPlainObject, joinIndex, joinProperty } from './paths';
import { setOwn } from '../core/json';

/** What the validator did with one object of the copy. */
interface Visit {
  /** Keys it read. */
  readonly read: Set<string>;
  /** It walked the keys (a map such as labels): every key is declared. */
  walked: boolean;
  /** The object's own values, tracked. */
  readonly fields: Map<string, Tracked>;
}

/** A tracked value: an object with its visit, an array of tracked items, or a scalar. */
type Tracked = { readonly visit: Visit } | { readonly items: Tracked[] } | undefined;

/** A copy of `value` whose objects record what is read from them, and the tree of those records. */
function track(value: unknown, proto?: object): { copy: unknown; tracked: Tracked } {
  if (Array.isArray(value)) {
    const items = value.map((v) => track(v));
    return { copy: items.map((i) => i.copy), tracked: { items: items.map((i) => i.tracked) } };
  }
  if (!isPlainObject(value)) return { copy: value, tracked: undefined };
  const visit: Visit = { read: new Set(), walked: false, fields: new Map() };
  const target: Record<string, unknown> = proto ? Object.create(proto) : {};
  for (const [key, v] of Object.entries(value)) {
    const child = track(v);
    setOwn(target, key, child.copy);
    visit.fields.set(key, child.tracked);
  }
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.get(t, key, receiver);
    },
    has(t, key) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.has(t, key);
    },
    getOwnPropertyDescriptor(t, key) {
      if (typeof key === 'string') visit.read.add(key);
      return Reflect.getOwnPropertyDescriptor(t, key);
    },
    ownKeys(t) {
      visit.walked = true;
      return Reflect.ownKeys(t);
    },
  });
  return { copy: proxy, tracked: { visit } };
}

function collectUnread(tracked: Tracked, path: string, out: string[]): void {
  if (tracked === undefined) return;
  if ('items' in tracked) {
    tracked.items.forEach((item, i) => collectUnread(item, joinIndex(path, i), out));
    return;
  }
  const visit = tracked.visit;
  // Nothing read: a free-form value (a field of type object without properties), or one the validator skipped.
  if (!visit.walked && visit.read.size === 0) return;
  for (const [key, child] of visit.fields) {
    const field = joinProperty(path, key);
    if (visit.walked || visit.read.has(key)) collectUnread(child, field, out);
    else out.push(field);
  }
}

/**
 * Runs `validate` on a tracked copy of `obj` (the root copy has prototype `proto`, for validators that are
 * methods of a model class) and returns what it returned, with the paths of the fields it never read: keys of
 * objects it read other keys of. Objects it read no key of (free-form values, such as a field of type object
 * without properties) and everything under an unread field are not reported.
 */
export function findUnreadFields<T>(
  obj: Record<string, unknown>,
  proto: object | undefined,
  validate: (copy: any) => T,
): { result: T; unread: string[] } {
  const { copy, tracked } = track(obj, proto);
  const result = validate(copy);
  const unread: string[] = [];
  collectUnread(tracked, '', unread);
  return { result, unread };
}
