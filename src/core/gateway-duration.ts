// Pure: cdk8s and constructs appear only as types (a Duration's methods are all this reads), so src/convert may use it.
import type { Duration } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { propError, UserError } from './errors';

const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

/** Renders a Duration in the Gateway API's duration format (e.g. `300s`, `1500ms`, `30h`). */
export function toGatewayDuration(scope: IConstruct | string, prop: string, duration: Duration): string {
  let ms: number;
  try {
    ms = duration.toMilliseconds();
  } catch {
    ms = Number.NaN; // cdk8s refuses to convert a fraction of a millisecond
  }
  if (!Number.isInteger(ms) || ms < 0) {
    throw propError(scope, prop, `must be a whole number of milliseconds, at least 0 (got ${duration.toHumanString()})`);
  }
  // Prefer seconds (300s), as people write it, then milliseconds; the format caps each number at 5 digits.
  if (ms % 1000 === 0 && ms / 1000 <= 99999) return `${ms / 1000}s`;
  if (ms <= 99999) return `${ms}ms`;
  const units: Array<[string, number]> = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = ms;
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  const text = parts.join('');
  if (!GATEWAY_DURATION.test(text)) {
    throw propError(scope, prop, `is too long for the Gateway API duration format (at most 99999h) (got ${ms}ms)`);
  }
  return text;
}

/** A Gateway API duration (`300s`, `1h30m`) in milliseconds (for `Duration.millis`). Throws on anything else. */
export function parseGatewayDurationMillis(text: string): number {
  if (!GATEWAY_DURATION.test(text)) throw new UserError(`${JSON.stringify(text)} is not a Gateway API duration such as 300s or 1h30m`);
  let ms = 0;
  for (const part of text.matchAll(/([0-9]+)(ms|h|m|s)/g)) {
    const n = Number(part[1]);
    ms += part[2] === 'h' ? n * 3_600_000 : part[2] === 'm' ? n * 60_000 : part[2] === 's' ? n * 1000 : n;
  }
  return ms;
}
