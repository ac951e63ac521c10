/**
 * Parsers of flag values: a bad value is a usage error (exit 64) raised by commander. Light.
 */
import { InvalidArgumentError } from 'commander';
import { parseGieVersion, resolveBridgeGie } from '../../convert/gie-versions';
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

/** A bridge release to migrate to (v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0), as the pinned tag. */
export function parseTargetGie(value: string): string {
  try {
    return resolveBridgeGie(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^must be/, 'expected'));
  }
}

/** An alpha-only release (v0.2.0..v0.5.1), for the removal of its CRDs. */
export function parseAlphaCrdVersion(value: string): string {
  if (!/^v0\.([234]\.\d+|5\.[01])$/.test(value)) throw new InvalidArgumentError(`expected the alpha-only GIE release you installed, v0.2.0 to v0.5.1, such as v0.5.1 (got ${JSON.stringify(value)})`);
  return value;
}

/** `key=value` (repeatable): a label. */
export function collectLabel(value: string, previous: { [key: string]: string } = {}): { [key: string]: string } {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`expected key=value, such as istio.io/rev=1-28-1 (got ${JSON.stringify(value)})`);
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

/** A comma-separated list, repeatable, of the given choices. */
export function collectChoices(choices: readonly string[]): (value: string, previous?: string[]) => string[] {
  return (value: string, previous: string[] = []) => {
    const items = value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
    for (const item of items) {
      if (!choices.includes(item)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')} (got ${JSON.stringify(item)})`);
    }
    return [...new Set([...previous, ...items])];
  };
}
