// Pure helpers for JSON values (parsed YAML), shared by the converters, the constructs and the validator.

/** True for a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Sets the own property `key` of `target`, also when it is `__proto__` (which a plain assignment would
 * take as the prototype: a manifest's `data.__proto__` is a key like any other, as JSON.parse keeps it).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** Deep copy of a JSON value (objects, arrays, scalars); much cheaper than a generic structured clone. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}
