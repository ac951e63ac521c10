/**
 * Parsers of flag values: a bad value is a usage error (exit 64) raised by commander. Light.
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseGieVersion, resolveBridgeGie } from '../../convert/gie-versions';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, nameSuffixProblem } from '../../core/name-patterns';
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
  const problem = nameSuffixProblem(value);
  if (problem) throw new InvalidArgumentError(problem.replace(/^must be/, 'expected'));
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

/** A namespace, or a name that must be a DNS-1123 label (e.g. a Gateway's, which becomes a label value). */
export function parseLabelName(value: string): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new InvalidArgumentError(`expected at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** An object name: a DNS-1123 subdomain. */
export function parseObjectName(value: string): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw new InvalidArgumentError(`expected an object name: at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (got ${JSON.stringify(value)})`);
  }
  return value;
}

const SIZE_UNITS: { [unit: string]: number } = { '': 1, 'b': 1, 'k': 1024, 'ki': 1024, 'kib': 1024, 'm': 1024 ** 2, 'mi': 1024 ** 2, 'mib': 1024 ** 2, 'g': 1024 ** 3, 'gi': 1024 ** 3, 'gib': 1024 ** 3 };

/** `64MiB`, `512KiB`, `1GiB`, `1048576`: a size in bytes (K, M and G count in 1024s, as Ki, Mi and Gi). */
export function parseSize(value: string): number {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new InvalidArgumentError(`expected a size such as 64MiB, 512KiB or a number of bytes (got ${JSON.stringify(value)})`);
  }
  return bytes;
}

/** `--max-file-size`, for every command that reads manifests. */
export function maxFileSizeOption(): Option {
  return new Option('--max-file-size <size>', 'size limit of one input file, e.g. 64MiB; a larger file is an error (default: 16MiB)').argParser(parseSize);
}

/** A path given on the command line (`--from`, `--out`, `--app`, a folder or file argument): not empty. */
export function parsePath(value: string): string {
  if (value === '') throw new InvalidArgumentError('expected a path, not an empty string');
  return value;
}

/** `--max-documents`, for every command that reads manifests. */
export function maxDocumentsOption(): Option {
  return new Option('--max-documents <count>', 'most YAML documents in one input file (or standard input); more is an error (default: 10000)')
    .argParser(parseDocumentCount);
}

/** A count of documents: a positive integer. */
export function parseDocumentCount(value: string): number {
  const n = /^[1-9]\d{0,8}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a positive whole number of documents, such as 50000 (got ${JSON.stringify(value)})`);
  return n;
}

/** `--namespace`, for every command that reads manifests. */
export function namespaceOption(): Option {
  return new Option('-n, --namespace <name>', 'namespace of objects that have none, as kubectl apply -n and helm template -n give it (default: default, with a warning)')
    .argParser(parseLabelName);
}

/** A container image with a tag or digest: `ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0`. */
export function parseImage(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/.test(value) || value.length > 255) {
    throw new InvalidArgumentError(`expected an image with a tag or digest, such as ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0 (got ${JSON.stringify(value)})`);
  }
  return value;
}
