import { eppMetricNames, eppMetricReleases, eppRequestMetrics } from '../../src/convert/epp-metrics';
import { allGieApiLifetimes, BRIDGE_GIE_RELEASES, compareGieVersions, gieServes, NEWEST_KNOWN_GIE, parseGieVersion, resolveBridgeGie } from '../../src/convert/gie-versions';

const ALPHA = 'inference.networking.x-k8s.io/v1alpha2';
const GA = 'inference.networking.k8s.io/v1';

describe('gie-versions', () => {
  test.each([
    ['InferencePool', ALPHA, 'v0.1.0', false],
    ['InferencePool', ALPHA, 'v0.2.0', true],
    ['InferenceModel', ALPHA, 'v0.2.0', true],
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
      `InferencePool ${ALPHA}: v0.2.0–v1.4.x`,
      `InferenceModel ${ALPHA}: v0.2.0–v0.5.1`,
      `InferenceObjective ${ALPHA}: v1.0.0–v1.5.x`,
      `InferenceModelRewrite ${ALPHA}: v1.2.0–v1.5.x`,
      `InferencePool ${GA}: v1.0.0 and later`,
    ]);
  });
});

describe('bridge releases', () => {
  test('given a pinned release in any spelling, then it resolves to the pinned tag', () => {
    expect(resolveBridgeGie('1.4.0')).toBe('v1.4.0');
    expect(resolveBridgeGie('v1.4')).toBe('v1.4.0');
    expect(BRIDGE_GIE_RELEASES).toEqual(['v1.0.0', 'v1.0.2', 'v1.1.0', 'v1.2.0', 'v1.3.1', 'v1.4.0']);
  });

  test('given another patch of a pinned line, then the error names the nearest pinned release', () => {
    expect(() => resolveBridgeGie('v1.1.3')).toThrow(/v1.1.3 is not pinned; use v1.1.0, the pinned release of the v1.1 line/);
    expect(() => resolveBridgeGie('v1.0.1')).toThrow(/use v1.0.2/);
  });

  test('given a release outside the bridge range, then the error names the range and why', () => {
    expect(() => resolveBridgeGie('v1.6.0')).toThrow(/must be a bridge release from v1.0.0 to v1.4.x.*v1.6.0 no longer serves the v1alpha2 InferencePool \(v1.5.0 removed its CRD\)/);
    expect(() => resolveBridgeGie('v0.5.1')).toThrow(/v0.5.1 has no v1 InferencePool/);
  });
});

// pkg/epp/metrics/metrics.go at each tag: the per-request metrics were renamed in v1.1.0; the rewrite counter came with v1.3.0.
describe('EPP metric names by release', () => {
  test('every bridge release has a table', () => {
    expect(eppMetricReleases()).toEqual([...BRIDGE_GIE_RELEASES]);
  });

  test.each([
    ['v1.0.2', 'inference_model_request_total', false],
    ['v1.1.0', 'inference_objective_request_total', false],
    ['v1.3.1', 'inference_objective_request_total', true],
    ['v1.4.0', 'inference_objective_request_total', true],
  ])('given %s, then requests are counted in %s and the rewrite counter exists: %p', (release, requests, rewrites) => {
    expect(eppRequestMetrics(release).requests).toBe(requests);
    expect(eppMetricNames(release)).toContain('inference_pool_ready_pods');
    expect(eppMetricNames(release).includes('inference_extension_model_rewrite_decisions_total')).toBe(rewrites);
  });
});
