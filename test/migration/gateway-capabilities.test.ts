import { GatewayCapabilities, GatewayCapability, GatewayImplementation, GatewaySupport, MigrationStrategy } from '../../src';

// Each row rests on the implementation's own source at a release tag (read with `git show <tag>:<file>` in a fetched
// copy of its repository) or on GIE's tree at a tag (guides, conformance reports). These tests pin which file, tag and
// symbol each row cites, and what the row then plans: a row whose sources change must be re-derived, not edited.
describe('gateway capability table, row by row from upstream source', () => {
  const of = (i: GatewayImplementation, v?: string) => GatewayCapabilities.of(i, v);
  const facts = (i: GatewayImplementation, v?: string) => {
    const c = of(i, v);
    return { alpha: c.alphaBackendRef, ga: c.gaBackendRef, both: c.servesBothGroups, second: c.secondInstallation, strategy: c.workingStrategy };
  };

  test('every implementation has a row for any version, and every row but generic names a file@tag or a public report', () => {
    const any = GatewayCapabilities.all().filter((c) => c.versions === 'any');
    expect(any.map((c) => c.implementation).sort()).toEqual(Object.values(GatewayImplementation).sort());
    for (const c of GatewayCapabilities.all()) {
      if (c.implementation === GatewayImplementation.GENERIC || c.implementation === GatewayImplementation.GKE) continue;
      expect(c.sources.some((s) => /\S+@v?\d+\.\d+\.\d+/.test(s) || /\(2\.0 line\)/.test(s))).toBe(true);
    }
  });

  test.each([
    // Istio: pkg/config/schema/gvk/resources.gen.go, gvk.InferencePool.
    [GatewayImplementation.ISTIO, '1.27.3', 'istio/istio pkg/config/schema/gvk/resources.gen.go@1.27.0 gvk.InferencePool: inference.networking.x-k8s.io/v1alpha2',
      { alpha: 'yes', ga: 'no', both: 'no', second: 'yes', strategy: MigrationStrategy.PARALLEL_GATEWAY }],
    [GatewayImplementation.ISTIO, '1.28.0', 'istio/istio pkg/config/schema/gvk/resources.gen.go@1.28.0 gvk.InferencePool: inference.networking.k8s.io/v1',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'yes', strategy: MigrationStrategy.PARALLEL_GATEWAY }],
    // kgateway: GIE's own kgateway manifests and guides at v1.0.0 (alpha, v2.0.4) and v1.1.0 (v1, v2.1.0).
    [GatewayImplementation.KGATEWAY, '2.0.4', 'kubernetes-sigs/gateway-api-inference-extension config/manifests/gateway/kgateway/httproute.yaml@v1.0.0',
      { alpha: 'yes', ga: 'no', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    [GatewayImplementation.KGATEWAY, 'v2.1.0', 'kubernetes-sigs/gateway-api-inference-extension site-src/guides/index.md@v1.1.0',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    // Envoy AI Gateway: internal/extensionserver/inferencepool.go, constructInferencePoolsFrom.
    [GatewayImplementation.ENVOY_AI_GATEWAY, 'v0.3.0', 'envoyproxy/ai-gateway internal/extensionserver/inferencepool.go@v0.3.0 constructInferencePoolsFrom',
      { alpha: 'yes', ga: 'no', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    [GatewayImplementation.ENVOY_AI_GATEWAY, 'v0.4.0', 'envoyproxy/ai-gateway internal/extensionserver/inferencepool.go@v0.4.0',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    [GatewayImplementation.ENVOY_AI_GATEWAY, 'v1.1.0', 'envoyproxy/ai-gateway internal/extensionserver/inferencepool.go@v0.4.0 (and v0.5.0, v0.7.0, v1.0.0, v1.1.0)',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    // NGINX Gateway Fabric: internal/controller/state/graph, inferenceAPIGroup; conformance reports in GIE's tree.
    [GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.2.0', 'nginx/nginx-gateway-fabric internal/controller/state/graph/route_common.go@v2.2.0 inferenceAPIGroup',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    [GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.3.0', 'conformance/reports/v1.1.0/gateway/nginx-nginx-gateway-fabric/inference-v2.3.0-report.yaml@v1.4.0',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER }],
    // agentgateway: GIE v0.5.1 conformance (0.7.2 under kgateway) and its own controller at v1.0.0.
    [GatewayImplementation.AGENTGATEWAY, '0.7.2', 'conformance/reports/v0.5.1/gateway/agentgateway/inference-v0.7.2-report.yaml@v1.4.0',
      { alpha: 'yes', ga: 'unknown', both: 'unknown', second: 'yes', strategy: MigrationStrategy.PARALLEL_GATEWAY }],
    [GatewayImplementation.AGENTGATEWAY, '1.0.0', 'agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK',
      { alpha: 'no', ga: 'yes', both: 'no', second: 'yes', strategy: MigrationStrategy.PARALLEL_GATEWAY }],
  ])('given %s %s, then the row cites %s and says %j', (impl, version, source, expected) => {
    expect(facts(impl, version)).toEqual(expected);
    expect(of(impl, version).sources.join('\n')).toContain(source);
  });

  test('given Envoy Gateway, then the row is keyed by the AI Gateway release: an Envoy Gateway version is refused with why, and no row says both groups', () => {
    expect(() => of(GatewayImplementation.ENVOY_GATEWAY, '1.5.0'))
      .toThrow(/Envoy Gateway's own version \("1.5.0"\) does not decide which InferencePool group works: Envoy AI Gateway's extension server does.*envoy-ai-gateway/);
    expect(facts(GatewayImplementation.ENVOY_GATEWAY)).toEqual({ alpha: 'unknown', ga: 'unknown', both: 'no', second: 'unknown', strategy: MigrationStrategy.CUTOVER });
    const envoy = [GatewayImplementation.ENVOY_GATEWAY, GatewayImplementation.ENVOY_AI_GATEWAY];
    for (const c of GatewayCapabilities.all().filter((r) => envoy.includes(r.implementation))) {
      expect(c.servesBothGroups).toBe('no');
      expect(c.note + (c.cutoverWindow ?? '')).not.toMatch(/list both groups(?! in backendResources: both refs)/i);
    }
    expect(of(GatewayImplementation.ENVOY_AI_GATEWAY, '0.3.0').cutoverWindow).toMatch(/Never list both groups in backendResources: both refs then resolve and half of a split fails with 503/);
  });

  test('given any implementation that serves one group per release, then neither weighted-shift nor header-preview-cutover can run on it', () => {
    const oneGroup = [
      GatewayImplementation.ISTIO, GatewayImplementation.KGATEWAY, GatewayImplementation.ENVOY_GATEWAY,
      GatewayImplementation.ENVOY_AI_GATEWAY, GatewayImplementation.NGINX_GATEWAY_FABRIC,
    ];
    for (const impl of oneGroup) {
      expect(GatewayCapabilities.strategyProblem(impl, MigrationStrategy.WEIGHTED_SHIFT)).toMatch(/needs one gateway that serves both|cannot be running on/);
      expect(GatewayCapabilities.strategyProblem(impl, MigrationStrategy.HEADER_PREVIEW_CUTOVER)).toMatch(/needs one gateway that serves both|cannot be running on/);
    }
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.KGATEWAY, MigrationStrategy.CUTOVER, '2.0.4')).toBeUndefined();
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.KGATEWAY, MigrationStrategy.CUTOVER, '2.1.0')).toMatch(/the alpha route cannot be running on kgateway 2.1.0/);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.NGINX_GATEWAY_FABRIC, MigrationStrategy.CUTOVER)).toMatch(/never served the alpha InferencePool group/);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.NGINX_GATEWAY_FABRIC, MigrationStrategy.PARALLEL_GATEWAY)).toBeUndefined();
  });

  test('given a cutover row, then it states the window of disruption and what switches the group', () => {
    expect(of(GatewayImplementation.KGATEWAY, '2.0.4').cutoverWindow).toMatch(/upgrade from 2\.0\.x to 2\.1 switches every Gateway.*Requests to this route fail from/);
    expect(of(GatewayImplementation.ENVOY_AI_GATEWAY, '0.3.0').cutoverWindow).toMatch(/requests to this route fail from the AI Gateway upgrade/);
    expect(of(GatewayImplementation.ISTIO, '1.27.0').cutoverWindow).toBeUndefined();
  });

  test('given GKE or generic, then weighted-shift stays (GKE\'s guide splits 50/50; generic only with a warning in the shift stages)', () => {
    expect(of(GatewayImplementation.GKE).workingStrategy).toBe(MigrationStrategy.WEIGHTED_SHIFT);
    expect(of(GatewayImplementation.GENERIC).workingStrategy).toBe(MigrationStrategy.WEIGHTED_SHIFT);
    expect(of(GatewayImplementation.GENERIC).weightedAlphaAndGa).toBe('unknown');
    expect(() => of(GatewayImplementation.ISTIO, 'latest')).toThrow(/not a version/);
  });
});

describe('GatewayCapabilities.problemWith and of: a capability described by the user', () => {
  const capability = (over: Partial<GatewayCapability>): GatewayCapability => ({
    ...GatewayCapabilities.of(GatewayImplementation.GENERIC),
    displayName: 'Acme Gateway',
    note: 'as its docs say.',
    ...over,
  });

  test('given a gateway that serves both groups but cannot split one rule between them, then weighted-shift is refused naming it and its version', () => {
    // Given a row that serves both groups, with a version, and cannot weight alpha against GA
    const c = capability({ alphaBackendRef: GatewaySupport.YES, servesBothGroups: GatewaySupport.YES, weightedAlphaAndGa: GatewaySupport.NO, version: '3.1.0' });
    // Then weighted-shift has a problem that names the gateway with its version; header-preview-cutover has none
    expect(GatewayCapabilities.problemWith(c, MigrationStrategy.WEIGHTED_SHIFT)).toBe('weighted-shift splits one rule between the alpha and the GA pool, and Acme Gateway 3.1.0 cannot: as its docs say.');
    expect(GatewayCapabilities.problemWith(c, MigrationStrategy.HEADER_PREVIEW_CUTOVER)).toBeUndefined();
  });

  test('given a gateway without a version that serves one group, then the problem names it without a version', () => {
    const c = capability({ alphaBackendRef: GatewaySupport.YES, servesBothGroups: GatewaySupport.NO });
    expect(GatewayCapabilities.problemWith(c, MigrationStrategy.HEADER_PREVIEW_CUTOVER)).toBe('header-preview-cutover needs one gateway that serves both the alpha and the GA InferencePool, and Acme Gateway does not: as its docs say.');
    const versioned = capability({ alphaBackendRef: GatewaySupport.NO, version: '2.0.0' });
    expect(GatewayCapabilities.problemWith(versioned, MigrationStrategy.CUTOVER)).toBe('the alpha route cannot be running on Acme Gateway 2.0.0, which does not serve the alpha InferencePool group: as its docs say.');
  });

  test('given an implementation the table does not know, or a version that is no version, then of says so and what is known', () => {
    expect(() => GatewayCapabilities.of('acme' as GatewayImplementation)).toThrow('unknown gateway implementation "acme"; known: gke, istio, kgateway, envoy-ai-gateway, envoy-gateway, nginx-gateway-fabric, agentgateway, generic');
    expect(() => GatewayCapabilities.of(GatewayImplementation.ISTIO, 'latest')).toThrow('gateway version "latest" is not a version such as 1.28.1');
  });

  test('given no version, then the capability carries none; given one, it carries it as given', () => {
    expect('version' in GatewayCapabilities.of(GatewayImplementation.ISTIO)).toBe(false);
    expect(GatewayCapabilities.of(GatewayImplementation.ISTIO, '1.28').version).toBe('1.28');
  });
});
