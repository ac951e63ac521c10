// Which fields hold secrets, and how messages show values without them: every message that shows a value of an
// object (schema, core, metadata, list and CEL problems, converter warnings) goes through here, so a Secret's data,
// an env var's value or a password never reaches a report, a log, a README or plan.json; the field path and the
// rule are enough to find the problem.
import { isPlainObject, joinIndex, joinProperty, showValue } from './paths';
import { setOwn } from '../core/json';

/** What a message shows instead of a secret value. */
export const REDACTED = '<redacted>';

/** A field whose name says it holds a secret (matched against every step of the path, map keys included). */
const SECRET_NAME = /password|passwd|passphrase|token|secret|credential|key/i;
/** The data of a Secret. */
const SECRET_DATA = /^(data|stringData)(\.|\[|$)/;
/** Anything below an env var (a list item or a map entry of a field named `env`) except its name (`env[0].name`). */
const ENV_VALUE = /(^|\.)env(\[[^\]]*\]\.(?!name$)|\.)/;
/** An env var itself (a list item or a map entry written in brackets). */
const ENV_ITEM = /(^|\.)env\[[^\]]*\]$/;
/** kubectl's copy of the whole object as last applied: it holds everything, secrets included. */
const LAST_APPLIED = /^metadata\.annotations\[kubectl\.kubernetes\.io\/last-applied-configuration\]/;

function secretByRule(kind: unknown, path: string): boolean {
  if (kind === 'Secret' && SECRET_DATA.test(path)) return true;
  return SECRET_NAME.test(path) || ENV_VALUE.test(path) || LAST_APPLIED.test(path);
}

/**
 * True when the field at `path` (as ValidationProblem.field writes it, e.g. `spec.containers[0].env[1].value`) of
 * an object of `kind` may hold a secret: the `data` and `stringData` of a Secret, an env var (all of it but its
 * name), kubectl's last-applied-configuration annotation, and any field or map key whose name says password,
 * passwd, passphrase, token, secret, credential or key (with everything below it).
 */
export function isSecretField(kind: unknown, path: string): boolean {
  return secretByRule(kind, path) || ENV_ITEM.test(path);
}

/**
 * `value` (found at `path` of an object of `kind`) with every secret in it replaced by REDACTED: the value itself
 * when its field is secret, else a copy in which each secret field below is replaced. Values without secrets come
 * back unchanged (the same reference).
 */
export function redactValue(kind: unknown, path: string, value: unknown): unknown {
  // An env var shows its name; its value and valueFrom go.
  if (secretByRule(kind, path) || (ENV_ITEM.test(path) && !isPlainObject(value))) return value === undefined ? undefined : REDACTED;
  if (Array.isArray(value)) {
    const items = value.map((v, i) => redactValue(kind, joinIndex(path, i), v));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const redacted = redactValue(kind, joinProperty(path, key), v);
      setOwn(out, key, redacted);
      if (redacted !== v) changed = true;
    }
    return changed ? out : value;
  }
  return value;
}

/** Short rendering of a value for a message (like showValue), with its secrets redacted. */
export function showField(kind: unknown, path: string, value: unknown): string {
  const shown = redactValue(kind, path, value);
  return shown === REDACTED && value !== REDACTED ? REDACTED : showValue(shown);
}

/** Every secret string (and number) inside `value`, an object of `kind` or a part of one at `path`. */
export function secretValues(kind: unknown, path: string, value: unknown, out: Set<string> = new Set()): Set<string> {
  if (secretByRule(kind, path) || (ENV_ITEM.test(path) && !isPlainObject(value))) {
    collectScalars(value, out);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => secretValues(kind, joinIndex(path, i), v, out));
  } else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) secretValues(kind, joinProperty(path, key), v, out);
  }
  return out;
}

function collectScalars(value: unknown, out: Set<string>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    out.add(String(value));
  } else if (Array.isArray(value)) {
    for (const v of value) collectScalars(v, out);
  } else if (isPlainObject(value)) {
    for (const v of Object.values(value)) collectScalars(v, out);
  }
}

/** Shortest secret a message is scrubbed of: shorter values (`1`, `true`) are too common in messages to replace. */
const MIN_SCRUBBED = 4;

/**
 * `message` with every occurrence of one of `secrets` (as given, or JSON-escaped as showValue writes strings)
 * replaced by REDACTED. The last line of defence for text built from values without a field path (a CEL
 * messageExpression, an engine's error).
 */
export function scrubSecrets(message: string, secrets: ReadonlySet<string>): string {
  let out = message;
  const longestFirst = [...secrets].filter((s) => s.length >= MIN_SCRUBBED).sort((a, b) => b.length - a.length);
  for (const secret of longestFirst) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}
