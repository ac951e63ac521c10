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
    // And without a version, the refusal names the gateway alone
    const { version: _version, ...unversioned } = c;
    expect(GatewayCapabilities.problemWith(unversioned, MigrationStrategy.WEIGHTED_SHIFT)).toBe('weighted-shift splits one rule between the alpha and the GA pool, and Acme Gateway cannot: as its docs say.');
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

// The side-by-side stage's README quotes a row whole ("Gateway: <name> <version> (<versions>). <note> Sources: ..."),
// a refused strategy quotes its note and sources, and a cutover stage its window: each field is read by a person
// deciding whether to sync a stage, so none may be empty, and each cites where it comes from.
describe('the words of each row, as the stage README and the refusals quote them', () => {
  const FILE_AT_TAG = /^\S+\/\S+ \S+@v?\d+(\.\d+)*\b/;
  const URL = /^https:\/\/\S+$/;
  const cites = (s: string) => URL.test(s) || FILE_AT_TAG.test(s) || /^kgateway-dev\/kgateway \S+ \(2\.0 line\)/.test(s);

  test('given every row, then its name, versions and note are sentences a person can read, and every source is a URL or a file at a tag', () => {
    // Given the whole table
    for (const row of GatewayCapabilities.all()) {
      // Then the name and versions are words, the note is whole sentences
      expect(row.displayName).toMatch(/^\S.*\S$/);
      expect(row.versions).toMatch(/^\S.*\S$/);
      expect(row.note).toMatch(/^\S.*\S[.)]$/s);
      // And each source points at something a reviewer can open
      expect(row.sources.filter((s) => !cites(s))).toEqual([]);
      if (row.cutoverWindow !== undefined) expect(row.cutoverWindow).toMatch(/^\S.*\S\.$/s);
    }
  });

  test('given a row of a known implementation, then it cites at least one source; generic cites none, since nothing is known', () => {
    for (const row of GatewayCapabilities.all()) {
      if (row.implementation === GatewayImplementation.GENERIC) expect(row.sources).toEqual([]);
      else expect(row.sources.length).toBeGreaterThan(0);
    }
  });

  test.each([
    [GatewayImplementation.GKE, undefined, 'GKE Gateway', 'any', ['https://cloud.google.com/kubernetes-engine/docs/how-to/migrate-inference-gateway']],
    [GatewayImplementation.ISTIO, '1.27.2', 'Istio', '1.27', ['https://github.com/istio/istio/issues/57219', 'https://github.com/kserve/kserve/issues/5007']],
    [GatewayImplementation.ISTIO, '1.29.0', 'Istio', '1.28 and later', []],
    [GatewayImplementation.KGATEWAY, '2.0.4', 'kgateway', '2.0.x', ['kubernetes-sigs/gateway-api-inference-extension conformance/reports/v0.5.1/gateway/kgateway/inference-v2.0.4-report.yaml@v1.4.0']],
    [GatewayImplementation.KGATEWAY, '2.1.3', 'kgateway', '2.1 and later', [
      'kubernetes-sigs/gateway-api-inference-extension conformance/reports/v1.0.2/gateway/kgateway/inference-v2.1.0-report.yaml@v1.4.0',
      'agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK',
    ]],
    [GatewayImplementation.ENVOY_AI_GATEWAY, '0.2.0', 'Envoy Gateway with Envoy AI Gateway', 'AI Gateway before v0.3.0', ['envoyproxy/ai-gateway internal/extensionserver@v0.2.0: no inferencepool.go']],
    [GatewayImplementation.ENVOY_AI_GATEWAY, '0.3.1', 'Envoy Gateway with Envoy AI Gateway', 'AI Gateway v0.3.x', ['https://github.com/kserve/kserve/issues/5050']],
    [GatewayImplementation.ENVOY_AI_GATEWAY, '0.4.0', 'Envoy Gateway with Envoy AI Gateway', 'AI Gateway v0.4.0 and later', []],
    [GatewayImplementation.ENVOY_GATEWAY, undefined, 'Envoy Gateway (with Envoy AI Gateway)', 'any', []],
    [GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.1.0', 'NGINX Gateway Fabric', 'before 2.2.0', ['nginx/nginx-gateway-fabric internal/controller/state/graph@v2.1.0: no inference group']],
    [GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.2.1', 'NGINX Gateway Fabric', '2.2.x', ['kubernetes-sigs/gateway-api-inference-extension conformance/reports/v1.0.2/gateway/nginx-nginx-gateway-fabric/inference-v2.2.0-report.yaml@v1.4.0']],
    [GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.3.0', 'NGINX Gateway Fabric', '2.3.0 and later', []],
    [GatewayImplementation.AGENTGATEWAY, '0.7.2', 'agentgateway', 'before 1.0 (kgateway\'s control plane)', [
      'kubernetes-sigs/gateway-api-inference-extension conformance/reports/v0.5.1/gateway/agentgateway/inference-v0.7.2-report.yaml@v1.4.0',
    ]],
    [GatewayImplementation.AGENTGATEWAY, '1.0.1', 'agentgateway', '1.0 and later', ['agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK']],
    [GatewayImplementation.AGENTGATEWAY, undefined, 'agentgateway', 'any', [
      'kubernetes-sigs/gateway-api-inference-extension conformance/reports/v0.5.1/gateway/agentgateway/inference-v0.7.2-report.yaml@v1.4.0',
      'agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK',
    ]],
    [GatewayImplementation.GENERIC, undefined, 'a Gateway API implementation not in the table (generic)', 'any', []],
  ] as const)('given %s %s, then the row is named %s for %s and cites %j (each the start of a source)', (implementation, version, name, versions, sources) => {
    // When the row for that version is looked up
    const row = GatewayCapabilities.of(implementation, version);
    // Then the stage README names the gateway and the versions the row holds for, and lists these sources
    expect([row.displayName, row.versions]).toEqual([name, versions]);
    for (const source of sources) expect(row.sources.filter((s) => s.startsWith(source))).toHaveLength(1);
  });

  test('given NGINX Gateway Fabric 2.2, then its source names both files that show it serves only the v1 group', () => {
    const sources = GatewayCapabilities.of(GatewayImplementation.NGINX_GATEWAY_FABRIC, '2.2.0').sources;
    expect(sources.filter((s) => /route_common\.go@v2\.2\.0 .*, and backend_refs\.go@v2\.2\.0: any other InferencePool group is NotSupported$/.test(s))).toHaveLength(1);
  });

  test('given a version below the first release a row is for, then the row for other or unknown versions answers, not the newest', () => {
    // Given Istio and kgateway releases older than any row of a version
    // Then neither the 1.28+ nor the 2.1+ row claims them
    expect(GatewayCapabilities.of(GatewayImplementation.ISTIO, '1.26.4').versions).toBe('any');
    expect(GatewayCapabilities.of(GatewayImplementation.KGATEWAY, '1.9.0').versions).toBe('any');
  });

  test('given a cutover at an upgrade, then its window says what to upgrade in which order, to rehearse it, and what never to do', () => {
    const kgateway = GatewayCapabilities.of(GatewayImplementation.KGATEWAY, '2.0.4').cutoverWindow!;
    expect(kgateway).toContain('(or, if this stage syncs first, until the upgrade: 2.0.x cannot route to the v1 pool). Upgrade kgateway-crds, then kgateway, and sync this stage in one change window; ');
    expect(kgateway).toMatch(/time the window in staging first\.$/);
    const aiGateway = GatewayCapabilities.of(GatewayImplementation.ENVOY_AI_GATEWAY, '0.3.0').cutoverWindow!;
    expect(aiGateway).toMatch(/^Envoy AI Gateway v0\.3\.x accepts only the alpha group and v0\.4\.0 and later only v1, and Envoy Gateway asks the one extension server/);
    expect(aiGateway).toMatch(/Never list both groups in backendResources: both refs then resolve and half of a split fails with 503 \(kserve\/kserve#5050\)\.$/);
    expect(GatewayCapabilities.of(GatewayImplementation.ENVOY_AI_GATEWAY, '0.4.0').cutoverWindow).toBe(aiGateway);
  });

  test('given Envoy Gateway with AI Gateway, then the notes say why no second installation is shown to work, and the sources name each file that shows it', () => {
    const any = GatewayCapabilities.of(GatewayImplementation.ENVOY_GATEWAY);
    expect(any.note).toMatch(/^Envoy Gateway serves InferencePools only through Envoy AI Gateway's extension server, which accepts exactly one group per release \(v0\.3\.x the alpha group, v0\.4\.0 and later v1\), so no installation serves both; a second Envoy Gateway \+ AI Gateway beside the first is not shown to work \(the AI Gateway controllers and pod webhook filter no GatewayClass, and the two releases need Envoy Gateways that share one set of cluster-wide CRDs\)\.$/);
    const v03 = GatewayCapabilities.of(GatewayImplementation.ENVOY_AI_GATEWAY, '0.3.0');
    expect(v03.note).toMatch(/so no installation serves both; a second Envoy Gateway \+ AI Gateway beside the first is not shown to work \(.*share one set of cluster-wide CRDs\): the move to v1 is a cutover at the AI Gateway upgrade\.$/);
    const files = ['inferencepool.go@v0.3.0', 'inferencepool.go@v0.4.0', 'config.yaml@v0.3.0', 'controller.go@v0.4.0', 'admission_webhook.yaml@v0.4.0', 'go.mod@v0.3.0', 'deployment-mode.md@v1.5.0'];
    for (const f of files) expect(v03.sources.filter((s) => s.includes(f))).toHaveLength(1);
    expect(v03.sources.find((s) => s.includes('controller.go@v0.4.0'))).toMatch(/^envoyproxy\/ai-gateway internal\/controller\/controller\.go@v0\.4\.0: .*; manifests\/charts\/ai-gateway-helm\/templates\/admission_webhook\.yaml@v0\.4\.0: /);
  });

  test('given a strategy a row refuses, then the refusal names the gateway with its version when one was given, and alone otherwise', () => {
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.NGINX_GATEWAY_FABRIC, MigrationStrategy.CUTOVER))
      .toMatch(/^the alpha route cannot be running on NGINX Gateway Fabric, which does not serve the alpha InferencePool group: /);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.ISTIO, MigrationStrategy.WEIGHTED_SHIFT))
      .toMatch(/^weighted-shift needs one gateway that serves both the alpha and the GA InferencePool, and Istio does not: /);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.ISTIO, MigrationStrategy.WEIGHTED_SHIFT, '1.27.0'))
      .toMatch(/^weighted-shift needs one gateway that serves both the alpha and the GA InferencePool, and Istio 1\.27\.0 does not: /);
  });
});
