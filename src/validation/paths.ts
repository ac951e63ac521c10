// Small pure helpers shared by the checks: field paths, object labels, JSON value handling.
import { cloneJson, isPlainObject } from '../core/json';

export { cloneJson, isPlainObject };

const SIMPLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const MAX_SHOWN = 80;

/** Path of a declared property: "spec" + "rules" -> "spec.rules"; keys that are not identifiers go in brackets. */
export function joinProperty(path: string, key: string): string {
  if (!SIMPLE_KEY.test(key)) return joinMapKey(path, key);
  return path === '' ? key : `${path}.${key}`;
}

/** Path of a map entry, written like Kubernetes field paths: "metadata.labels" + "app" -> "metadata.labels[app]". */
export function joinMapKey(path: string, key: string): string {
  return `${path}[${key}]`;
}

/** Path of a list item: "spec.rules" + 0 -> "spec.rules[0]". */
export function joinIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** Short JSON rendering of a value for messages, e.g. `"two"`, `2000000`, `{"a":1}`. */
export function showValue(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** JSON type name of a value: 'null', 'array', 'object', 'string', 'integer', 'number' or 'boolean'. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Reads the value at a JSON pointer ("/spec/rules/0"); undefined when any step is missing. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let current: any = root;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = current[segment];
  }
  return current;
}

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Converts a JSON pointer to a field path, without schema knowledge: numeric steps into arrays become indexes. */
export function pointerToPath(root: unknown, pointer: string): string {
  let path = '';
  let current: any = root;
  for (const segment of pointerSegments(pointer)) {
    path = Array.isArray(current) ? joinIndex(path, Number(segment)) : joinProperty(path, segment);
    current = current !== null && typeof current === 'object' ? current[segment] : undefined;
  }
  return path;
}

/**
 * Label of an object for reports: "Kind namespace/name", or "Kind name" without a namespace.
 */
export function objectLabel(obj: unknown): string {
  const o = isPlainObject(obj) ? obj : {};
  const kind = typeof o.kind === 'string' && o.kind !== '' ? o.kind : '<no kind>';
  const meta = isPlainObject(o.metadata) ? o.metadata : {};
  const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : '<no name>';
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  return `${kind} ${ns}${name}`;
}
