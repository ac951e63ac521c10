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

/**
 * Why `text` did not parse as JSON (`err` from JSON.parse), without quoting it: V8's own message quotes the
 * start of the text (`Unexpected token 'p', "password=..." is not valid JSON`), which would echo a file's
 * content (a secret, a terminal escape) into an error. Says where, as `line L, column C`, when the parser
 * names the position.
 */
export function jsonSyntaxProblem(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/^Unexpected end of JSON input/.test(message)) return 'not valid JSON: it ends before the value does';
  const position = /at position (\d+)/.exec(message);
  if (position === null) return 'not valid JSON: a character where none of that kind may stand';
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset).split('\n');
  const what = message.slice(0, message.search(/ in JSON at position| at position/)).replace(/^Unexpected token .*$/s, 'an unexpected character');
  return `not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
}
