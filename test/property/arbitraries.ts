import * as fc from 'fast-check';
import { FailureMode, IInferencePoolBackend, InferenceProvider, ModelServerType } from '../../src';

/** Runs per property: 200 by default, FC_NUM_RUNS for the fuzz task. */
export const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);

/**
 * A new seed every run, so each run explores new inputs; FC_SEED=<seed> reproduces a run (a failure
 * prints its seed and path too). Printed once per test file.
 */
export const SEED = seedOf(process.env.FC_SEED);
process.stderr.write(`property tests: seed ${SEED} (reproduce with FC_SEED=${SEED}), ${RUNS} runs per property\n`);

export const fcOptions = { numRuns: RUNS, seed: SEED, endOnFailure: true };

function seedOf(given: string | undefined): number {
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer (got ${JSON.stringify(given)})`);
  return seed;
}

const lower = 'abcdefghijklmnopqrstuvwxyz';
const alnum = `${lower}0123456789`;

/** A DNS-1035 label (starts with a letter) of 1..max characters. */
export function dnsLabel(max = 30): fc.Arbitrary<string> {
  return fc.tuple(
    fc.constantFrom(...lower.split('')),
    fc.string({ unit: fc.constantFrom(...`${alnum}-`.split('')), maxLength: Math.max(0, max - 2) }),
    fc.constantFrom(...alnum.split('')),
  ).map(([a, mid, z]) => (max === 1 ? a : `${a}${mid}${z}`));
}

/** A label key, optionally with a DNS prefix. */
export const labelKey: fc.Arbitrary<string> = fc.tuple(
  fc.option(fc.tuple(dnsLabel(10), dnsLabel(6)).map(([a, b]) => `${a}.${b}`), { nil: undefined }),
  fc.tuple(fc.constantFrom(...'abcXYZ019'.split('')), fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.'.split('')), maxLength: 20 }), fc.constantFrom(...'abcXYZ019'.split('')))
    .map(([a, m, z]) => `${a}${m}${z}`),
).map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));

/** A label value (possibly empty). */
export const labelValue: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom(...'abcXYZ019'.split('')), fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.'.split('')), maxLength: 30 }), fc.constantFrom(...'abcXYZ019'.split('')))
    .map(([a, m, z]) => `${a}${m}${z}`),
);

/** A selector of 1..max labels. */
export function selector(max = 64): fc.Arbitrary<{ [k: string]: string }> {
  return fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: max });
}

export const port = fc.integer({ min: 1, max: 65535 });

/** HTTP header names (token characters). */
export const headerName = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0189-_'.split('')), minLength: 1, maxLength: 20 });

/** A path starting with '/'. */
export const path = fc.array(dnsLabel(8), { maxLength: 4 }).map((parts) => `/${parts.join('/')}`);

/** A host name. */
export const hostname = fc.tuple(fc.boolean(), fc.array(dnsLabel(10), { minLength: 1, maxLength: 3 }))
  .map(([wild, parts]) => `${wild ? '*.' : ''}${parts.join('.')}.example.com`);

export const failureMode = fc.constantFrom(FailureMode.FAIL_CLOSE, FailureMode.FAIL_OPEN);
export const modelServerType = fc.constantFrom(ModelServerType.VLLM, ModelServerType.TRITON_TENSORRT_LLM);
export const provider = fc.constantFrom(InferenceProvider.NONE, InferenceProvider.GKE, InferenceProvider.ISTIO);

/** An external pool backend of either group. */
export const externalPool: fc.Arbitrary<IInferencePoolBackend> = fc.record({
  poolName: dnsLabel(20),
  poolNamespace: fc.constant('default'),
  poolGroup: fc.constantFrom('inference.networking.k8s.io', 'inference.networking.x-k8s.io'),
  external: fc.constant(true),
});

/** Runs `build` and returns the Error it throws; fails when it throws nothing or something not an Error. */
export function errorOf(build: () => unknown): Error {
  try {
    build();
  } catch (err) {
    if (!(err instanceof Error) || err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) {
      throw new Error(`expected a plain Error, got ${(err as any)?.constructor?.name}: ${(err as any)?.message}`);
    }
    return err;
  }
  throw new Error('expected an Error, got none');
}
