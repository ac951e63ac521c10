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

/**
 * A header whose name says it carries a credential: `Authorization`, `Proxy-Authorization`, `Cookie`,
 * `X-Api-Key`, and any name that says token, key, secret, auth or password.
 */
const SECRET_HEADER = /auth|cookie|token|key|secret|passw|credential/i;
/**
 * The value of an item of a header list keyed by name (`...set[Authorization].value`, as field changes write it),
 * and anything below it (a value written as an object or a list is as secret as a string).
 */
const KEYED_HEADER_VALUE = /\.(?:set|add|headers)\[([^\]]+)\]\.value(?:$|[.[#])/;

function secretByRule(kind: unknown, path: string): boolean {
  if (kind === 'Secret' && SECRET_DATA.test(path)) return true;
  const header = KEYED_HEADER_VALUE.exec(path);
  if (header && SECRET_HEADER.test(header[1])) return true;
  return SECRET_NAME.test(path) || ENV_VALUE.test(path) || LAST_APPLIED.test(path);
}

/** True for an item `{name, value}` (a header of a route filter or match, a parameter) whose name says it holds a credential. */
function isSecretNamedItem(value: Record<string, unknown>): boolean {
  return typeof value.name === 'string' && SECRET_HEADER.test(value.name) && 'value' in value;
}

/**
 * The parts of a string that look like credentials wherever they are: the userinfo of a URL
 * (`https://user:pass@host`), the token of an `Authorization` scheme (`Bearer abc`, `Basic ...`), and
 * PEM blocks (`-----BEGIN ...-----` to `-----END ...-----`).
 */
const CREDENTIAL_SHAPES: ReadonlyArray<{ readonly pattern: RegExp; readonly replace: string; readonly secret: number }> = [
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]+)@/gi, replace: `$1${REDACTED}@`, secret: 2 },
  { pattern: /\b(Bearer|Basic|Digest|Token|Negotiate)(\s+)([A-Za-z0-9._~+/=-]{4,})/g, replace: `$1$2${REDACTED}`, secret: 3 },
  { pattern: /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, replace: REDACTED, secret: 0 },
];

/** `text` with every part that looks like a credential (CREDENTIAL_SHAPES) replaced by REDACTED. */
export function redactCredentials(text: string): string {
  let out = text;
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape.pattern, shape.replace);
  return out;
}

/** The parts of `text` that look like credentials (CREDENTIAL_SHAPES), for scrubbing messages. */
function credentialParts(text: string, out: Set<string>): void {
  for (const shape of CREDENTIAL_SHAPES) {
    for (const m of text.matchAll(shape.pattern)) out.add(m[shape.secret]);
  }
}

/**
 * True when the field at `path` (as ValidationProblem.field writes it, e.g. `spec.containers[0].env[1].value`) of
 * an object of `kind` may hold a secret: the `data` and `stringData` of a Secret, an env var (all of it but its
 * name), kubectl's last-applied-configuration annotation, any field or map key whose name says password,
 * passwd, passphrase, token, secret, credential or key (with everything below it), and the value of a header
 * keyed by a credential's name (`set[Authorization].value`). Values of items `{name, value}` whose name says so,
 * and the parts of any string that look like credentials, are redacted by redactValue too.
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
  if (typeof value === 'string') return redactCredentials(value);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => redactValue(kind, joinIndex(path, i), v));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    const namedSecret = isSecretNamedItem(value);
    for (const [key, v] of Object.entries(value)) {
      const redacted = namedSecret && key === 'value' && v !== undefined ? REDACTED : redactValue(kind, joinProperty(path, key), v);
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
    if (isSecretNamedItem(value)) collectScalars(value.value, out);
    for (const [key, v] of Object.entries(value)) secretValues(kind, joinProperty(path, key), v, out);
  } else if (typeof value === 'string') {
    credentialParts(value, out);
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
