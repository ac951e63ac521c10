import type { IConstruct } from 'constructs';

/**
 * An error in what the user gave: props, manifests, files, flags, an output directory. Its message is
 * written for the user and says what to change. The command line prints it as `error: <message>` and
 * exits 1; any other error is a bug in this library (the command line exits 70 and asks for a report).
 * Raise it (or a subclass) where the problem is detected, never around code that may fail for other
 * reasons.
 */
export class UserError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A construct prop that is not allowed: the message names the construct path, the prop and what is allowed. */
export class PropError extends UserError {
  public constructor(message: string) {
    super(message);
    this.name = 'PropError';
  }
}

/** True when `err` is the user's problem (a `UserError`), false for a bug. */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/**
 * The error thrown for bad input: it names the construct path, the prop and what is allowed, e.g.
 * `migration/01-side-by-side/route: 'backends[1].weight' must be an integer in 0..1000000 (got 2000000)`.
 */
export function propError(scope: IConstruct | string, prop: string, message: string): PropError {
  const where = typeof scope === 'string' ? scope : scope.node.path;
  return new PropError(`${where}: '${prop}' ${message}`);
}

/** Renders a value for an error message, short and unambiguous. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** Throws unless `value` is an integer in `min..max`. */
export function checkInteger(scope: IConstruct | string, prop: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, prop, `must be an integer in ${min}..${max} (got ${show(value)})`);
  }
}

/** Throws unless `value` is one of `allowed`. */
export function checkOneOf<T>(scope: IConstruct | string, prop: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw propError(scope, prop, `must be one of ${allowed.map((a) => show(a)).join(', ')} (got ${show(value)})`);
  }
}

/**
 * The props a construct was given. JavaScript callers may pass `undefined` (or nothing): that reads as no
 * props at all, so a missing required prop is reported as a prop error rather than a TypeError.
 */
export function givenProps<T extends object>(scope: IConstruct | string, props: T | undefined | null): T {
  if (props === undefined || props === null) return {} as T;
  if (typeof props !== 'object' || Array.isArray(props)) {
    throw new PropError(`${typeof scope === 'string' ? scope : scope.node.path}: props must be an object (got ${show(props)})`);
  }
  return props;
}
