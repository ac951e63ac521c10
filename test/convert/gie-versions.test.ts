import { eppMetricNames, eppMetricReleases, eppRequestMetrics } from '../../src/convert/epp-metrics';
import { allGieApiLifetimes, BRIDGE_GIE_RELEASES, compareGieVersions, gieServes, NEWEST_KNOWN_GIE, parseGieVersion, resolveBridgeGie, upstreamEppRelease } from '../../src/convert/gie-versions';

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

  test('given two-part versions (a bare one, two-digit numbers, a trailing newline), then each is that line\'s .0 release', () => {
    // Given versions as people write them on a command line or read them from a file
    // Then each parses as the .0 patch of its line
    expect(parseGieVersion('1.4')).toEqual({ major: 1, minor: 4, patch: 0 });
    expect(parseGieVersion('v1.10')).toEqual({ major: 1, minor: 10, patch: 0 });
    expect(parseGieVersion('v10.0')).toEqual({ major: 10, minor: 0, patch: 0 });
    expect(parseGieVersion(' v1.4\n')).toEqual({ major: 1, minor: 4, patch: 0 });
  });

  test('given a target that is no release version, then gieServes names it instead of answering', () => {
    expect(() => gieServes(ALPHA, 'InferencePool', 'v1.4.x')).toThrow('"v1.4.x" is not a GIE release version such as v1.0.2');
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
    // And it lists every pinned release, so the user can pick another line
    expect(() => resolveBridgeGie('v1.3.0')).toThrow('must be a GIE release whose CRDs this version pins: v1.3.0 is not pinned; use v1.3.1, the pinned release of the v1.3 line '
      + '(pinned: v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0)');
  });

  test('given a release outside the bridge range, then the error names the range and why', () => {
    expect(() => resolveBridgeGie('v1.6.0')).toThrow(/must be a bridge release from v1.0.0 to v1.4.x.*v1.6.0 no longer serves the v1alpha2 InferencePool \(v1.5.0 removed its CRD\)/);
    expect(() => resolveBridgeGie('v0.5.1')).toThrow(/v0.5.1 has no v1 InferencePool/);
    expect(() => resolveBridgeGie('v1.5.0')).toThrow('the nearest pinned release is v1.4.0 (pinned: v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0)');
  });

  test('given a version that is not text (a YAML or JSON value read as a number), then the error shows the value', () => {
    // Given gieVersion: 1.4 in a config file, which YAML reads as the number 1.4
    // Then it is refused as a version, with the value the user wrote
    expect(() => resolveBridgeGie(1.4 as any)).toThrow('must be a GIE release such as v1.4.0 (got 1.4)');
  });
});

// pkg/epp/metrics/metrics.go at each tag: the per-request metrics were renamed in v1.1.0; the rewrite counter came with v1.3.0.
describe('the release of an EPP image', () => {
  const upstream = 'registry.k8s.io/gateway-api-inference-extension/epp';

  test('given upstream\'s image at a release tag, with or without a digest, then it runs that release', () => {
    expect(upstreamEppRelease(`${upstream}:v0.5.1`)).toBe('v0.5.1');
    expect(upstreamEppRelease(`${upstream}:v0.5.1@sha256:${'a'.repeat(64)}`)).toBe('v0.5.1');
  });

  test('given a tag followed by a truncated digest, then the reference is not taken for that release', () => {
    // Given an image reference whose digest is cut short (no registry serves it)
    // Then no release is read from it: the digest would name other code than the tag
    expect(upstreamEppRelease(`${upstream}:v0.5.1@sha256:${'a'.repeat(12)}`)).toBeUndefined();
  });
});

describe('EPP metric names by release', () => {
  test('every bridge release has a table', () => {
    expect(eppMetricReleases()).toEqual([...BRIDGE_GIE_RELEASES]);
  });

  test('given a release without a table (v1.3.0: v1.3.1 is the pinned patch), then no metric names are guessed', () => {
    expect(() => eppMetricNames('v1.3.0')).toThrow('no EPP metric table for GIE v1.3.0: known are v1.0.0, v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0');
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
