// The parsed form of CEL rules as JSON, so that the pinned CRDs' rules are parsed when the package is built
// (crd-compiler.ts) rather than at every start: the parser is most of the cost of a rule's first use.
//
// A parsed expression (`parse(rule).expr` of @bufbuild/cel, a cel.expr.Expr message of protobuf-es: plain objects
// with `$typeName`, arrays, strings, numbers, booleans, bigints for int64 ids and constants, Uint8Array for bytes)
// is written as JSON with bigints as `{ "$bigint": "<decimal>" }` and bytes as `{ "$bytes": "<base64>" }`.
import { isPlainObject } from './paths';

const BIGINT = '$bigint';
const BYTES = '$bytes';

/** JSON of a parsed CEL expression; throws on a value it cannot write exactly. */
export function encodeCelExpr(expr: unknown): unknown {
  if (typeof expr === 'bigint') return { [BIGINT]: expr.toString() };
  if (expr instanceof Uint8Array) return { [BYTES]: Buffer.from(expr).toString('base64') };
  if (Array.isArray(expr)) return expr.map(encodeCelExpr);
  if (isPlainObject(expr) && [Object.prototype, null].includes(Object.getPrototypeOf(expr))) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expr)) {
      if (key === BIGINT || key === BYTES) throw new Error(`a parsed CEL expression has a field named ${key}`);
      out[key] = encodeCelExpr(value);
    }
    return out;
  }
  if (typeof expr === 'string' || typeof expr === 'boolean' || (typeof expr === 'number' && Number.isFinite(expr))) return expr;
  throw new Error(`a parsed CEL expression holds a value JSON cannot keep (${typeof expr})`);
}

/** The parsed CEL expression that encodeCelExpr wrote. */
export function decodeCelExpr(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(decodeCelExpr);
  if (json === null || typeof json !== 'object') return json;
  const obj = json as Record<string, unknown>;
  if (typeof obj[BIGINT] === 'string') return BigInt(obj[BIGINT] as string);
  if (typeof obj[BYTES] === 'string') return new Uint8Array(Buffer.from(obj[BYTES] as string, 'base64'));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) out[key] = decodeCelExpr(value);
  return out;
}

/** Every CEL expression of a schema: each `x-kubernetes-validations` rule and messageExpression, at any depth. */
export function celExpressionsOf(schema: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) celExpressionsOf(item, into);
  } else if (isPlainObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'x-kubernetes-validations' && Array.isArray(value)) {
        for (const v of value) {
          if (isPlainObject(v) && typeof v.rule === 'string') into.add(v.rule);
          if (isPlainObject(v) && typeof v.messageExpression === 'string') into.add(v.messageExpression);
        }
      } else {
        celExpressionsOf(value, into);
      }
    }
  }
  return into;
}
