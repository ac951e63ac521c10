import { allGieApiLifetimes, compareGieVersions, gieServes, NEWEST_KNOWN_GIE, parseGieVersion } from '../../src/convert/gie-versions';

const ALPHA = 'inference.networking.x-k8s.io/v1alpha2';
const GA = 'inference.networking.k8s.io/v1';

describe('gie-versions', () => {
  test.each([
    ['InferencePool', ALPHA, 'v0.2.0', false],
    ['InferencePool', ALPHA, 'v0.3.0', true],
    ['InferencePool', ALPHA, 'v1.4.9', true],
    ['InferencePool', ALPHA, 'v1.5.0', false],
    ['InferenceModel', ALPHA, 'v0.5.1', true],
    ['InferenceModel', ALPHA, 'v1.0.0', false],
    ['InferenceObjective', ALPHA, 'v0.5.1', false],
    ['InferenceObjective', ALPHA, 'v1.0.0', true],
    ['InferenceObjective', ALPHA, 'v1.5.3', true],
    ['InferenceObjective', ALPHA, 'v1.6.0', false],
    ['InferencePool', GA, 'v0.5.1', false],
    ['InferencePool', GA, 'v1.0.0', true],
    ['InferencePool', GA, 'v9.0.0', true],
  ])('given %s %s and GIE %s, then served is %s', (kind, apiVersion, target, served) => {
    expect(gieServes(apiVersion, kind, target)).toBe(served);
  });

  test('given an API GIE does not define, then served is undefined', () => {
    expect(gieServes('llamastack.io/v1alpha1', 'LlamaStackDistribution', 'v1.0.0')).toBeUndefined();
  });

  test('given version texts, then v-prefixed, bare and two-part versions parse and others do not', () => {
    expect(parseGieVersion('v1.4.0')).toEqual({ major: 1, minor: 4, patch: 0 });
    expect(parseGieVersion('1.4.2')).toEqual({ major: 1, minor: 4, patch: 2 });
    expect(parseGieVersion('v1.4')).toEqual({ major: 1, minor: 4, patch: 0 });
    expect(parseGieVersion('latest')).toBeUndefined();
    expect(parseGieVersion('v1.4.0-rc.1')).toBeUndefined();
    expect(compareGieVersions(parseGieVersion('v1.10.0')!, parseGieVersion('v1.9.9')!)).toBeGreaterThan(0);
  });

  test('given build metadata, a leading "=", a leading zero or four parts, then the text is not a GIE release', () => {
    for (const text of ['v1.4.0+build.1', '=1.4.0', 'v01.4.0', '1.4.0.1', 'v1']) expect(parseGieVersion(text)).toBeUndefined();
    expect(parseGieVersion('  v1.0.2\n')).toEqual({ major: 1, minor: 0, patch: 2 });
  });

  test('given the table, then the newest known release is v1.6.0 and the ranges read as documented', () => {
    expect(NEWEST_KNOWN_GIE).toBe('v1.6.0');
    expect(allGieApiLifetimes().map((l) => `${l.kind} ${l.apiVersion}: ${l.served}`)).toEqual([
      `InferencePool ${ALPHA}: v0.3.0–v1.4.x`,
      `InferenceModel ${ALPHA}: v0.3.0–v0.5.1`,
      `InferenceObjective ${ALPHA}: v1.0.0–v1.5.x`,
      `InferencePool ${GA}: v1.0.0 and later`,
    ]);
  });
});
