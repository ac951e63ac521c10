/**
 * Parsers of flag values: a bad value is a usage error (exit 64) raised by commander. Light.
 */
import { InvalidArgumentError } from 'commander';
import { parseGieVersion } from '../../convert/gie-versions';
import { checkSteps } from '../../migration/plan';

/** `10,50,90` -> [10, 50, 90]: increasing integers in 1..99. */
export function parseSteps(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) {
    throw new InvalidArgumentError(`expected comma-separated integers such as 10,50,90 (got ${JSON.stringify(value)})`);
  }
  const steps = parts.map(Number);
  const problem = checkSteps(steps);
  if (problem) throw new InvalidArgumentError(`the steps ${problem.replace(/steps\[(\d+)\]/g, (_m, i) => `step ${Number(i) + 1}`)}`);
  return steps;
}

/** A suffix that keeps pool names valid: lower-case letters, digits, '-' and '.'. */
export function parseNameSuffix(value: string): string {
  if (!/^[-.a-z0-9]{0,39}[a-z0-9]$/.test(value) || /\.\.|\.-|-\./.test(value)) {
    throw new InvalidArgumentError(`expected 1..40 lower-case letters, digits, '-' and '.', ending in a letter or digit, such as -ga (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** `v1.4.0`, `1.4.0` or `v1.4`. */
export function parseGieTarget(value: string): string {
  if (!parseGieVersion(value)) throw new InvalidArgumentError(`expected a GIE release such as v1.4.0 (got ${JSON.stringify(value)})`);
  return value;
}
