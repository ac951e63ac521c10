/**
 * The gateway that serves the HTTPRoute decides which migration plans can work. Each row of this table is derived
 * from the implementation's own source at its release tags (`file@tag` and the symbol, in `sources`), with the
 * upstream conformance reports and guides that agree; docs/gateways.md explains each row and the strategy it plans.
 * Re-check them before relying on a row: implementations move fast.
 */
import { coerce, satisfies } from 'semver';
import { GatewayImplementation } from './gateway-implementation';
import { MigrationStrategy } from './migration-strategy';

/** What the implementation's source (or a public report) says it does. */
export enum GatewaySupport {
  /** Shown to work. */
  YES = 'yes',
  /** Shown not to work. */
  NO = 'no',
  /** Nothing shows it either way (or it depends on a version that was not given). */
  UNKNOWN = 'unknown',
}

/** What one implementation (at one version, when given) can do during an alpha-to-GA migration. */
export interface GatewayCapability {
  /** The implementation. */
  readonly implementation: GatewayImplementation;
  /** Its name for people. */
  readonly displayName: string;
  /**
   * The version the row was looked up for (`1.28.1`), or none: the behaviour of every version.
   * @default - any version
   */
  readonly version?: string;
  /** The versions this row describes, for people (`1.28 and later`, `any`). */
  readonly versions: string;
  /** Does it accept a backendRef to an `inference.networking.x-k8s.io` (alpha) InferencePool? */
  readonly alphaBackendRef: GatewaySupport;
  /** Does it accept a backendRef to an `inference.networking.k8s.io` (v1) InferencePool? */
  readonly gaBackendRef: GatewaySupport;
  /** Can one gateway serve routes to both groups at once (needed by weighted-shift and header-preview-cutover)? */
  readonly servesBothGroups: GatewaySupport;
  /** Can one rule split traffic by weight between an alpha and a GA pool? */
  readonly weightedAlphaAndGa: GatewaySupport;
  /**
   * Can a second installation (a revision, or a controller with its own GatewayClass controllerName) run beside the
   * first, with the cluster-wide CRDs they share, so that a parallel Gateway serves v1 while the first serves alpha?
   */
  readonly secondInstallation: GatewaySupport;
  /** The zero-downtime strategy that works here (weighted-shift where a split can work). */
  readonly workingStrategy: MigrationStrategy;
  /** One or two sentences for the plan and the README. */
  readonly note: string;
  /**
   * Where a cutover is planned because one gateway serves one group at a time: what switches the group, and how
   * long requests fail.
   * @default - no window: the gateway serves both groups, or the strategy is parallel-gateway
   */
  readonly cutoverWindow?: string;
  /** Sources of the row: `file@tag` with the symbol in the implementation's (or GIE's) tree, then issues. */
  readonly sources: string[];
}

const Y = GatewaySupport.YES;
const N = GatewaySupport.NO;
const U = GatewaySupport.UNKNOWN;

/** A row of the table; `range` (a semver range) limits it to some versions, `versions` says which for people. */
interface Row extends Omit<GatewayCapability, 'version' | 'workingStrategy'> {
  readonly range?: string;
}

// The GIE tree at v1.4.0 holds the conformance reports cited below (`conformance/reports/<GIE release>/gateway/...`).
const GIE_REPORTS = 'kubernetes-sigs/gateway-api-inference-extension conformance/reports';

const ISTIO_RESOURCES = 'istio/istio pkg/config/schema/gvk/resources.gen.go';
const ISTIO_ISSUES = ['https://github.com/istio/istio/issues/57219', 'https://github.com/kserve/kserve/issues/5007'];
const ISTIO_BOTH = `${ISTIO_RESOURCES}@1.27.0 and @1.28.0: one gvk.InferencePool each (x-k8s.io/v1alpha2, then k8s.io/v1)`;

const KGATEWAY_WINDOW = 'kgateway has no revisions: the upgrade from 2.0.x to 2.1 switches every Gateway of the installation from the alpha group to v1 at once. ' +
  'Requests to this route fail from the moment the upgraded controller drops the alpha backend until this stage\'s route to the GA pool is programmed ' +
  '(or, if this stage syncs first, until the upgrade: 2.0.x cannot route to the v1 pool). Upgrade kgateway-crds, then kgateway, and sync this stage in one change window; ' +
  'time the window in staging first.';
const AIGW_WINDOW = 'Envoy AI Gateway v0.3.x accepts only the alpha group and v0.4.0 and later only v1, and Envoy Gateway asks the one extension server it is configured with: ' +
  'requests to this route fail from the AI Gateway upgrade (with extensionManager.backendResources switched to inference.networking.k8s.io/v1 and Envoy Gateway restarted) ' +
  'until this stage\'s route to the GA pool is programmed. Do both in one change window; time it in staging first. Never list both groups in backendResources: ' +
  'both refs then resolve and half of a split fails with 503 (kserve/kserve#5050).';
const AIGW_SOURCES = [
  'envoyproxy/ai-gateway internal/extensionserver/inferencepool.go@v0.3.0 constructInferencePoolsFrom: only apiVersion inference.networking.x-k8s.io/v1alpha2',
  'envoyproxy/ai-gateway internal/extensionserver/inferencepool.go@v0.4.0 (and v0.5.0, v0.7.0, v1.0.0, v1.1.0) constructInferencePoolsFrom: only apiVersion inference.networking.k8s.io/v1',
  'envoyproxy/ai-gateway examples/inference-pool/config.yaml@v0.3.0: extensionManager.backendResources lists inference.networking.x-k8s.io only',
  'envoyproxy/ai-gateway internal/controller/controller.go@v0.4.0: the Gateway, AIGatewayRoute and HTTPRoute watches filter no GatewayClass; ' +
    'manifests/charts/ai-gateway-helm/templates/admission_webhook.yaml@v0.4.0: the pod mutator selects every app.kubernetes.io/managed-by: envoy-gateway pod',
  'envoyproxy/ai-gateway go.mod@v0.3.0 (envoyproxy/gateway v1.5.0) and @v0.4.0 (v1.6.0-rc.1): the two releases need different Envoy Gateways, which share the cluster-wide gateway.envoyproxy.io CRDs',
  'envoyproxy/gateway site/content/en/latest/tasks/operations/deployment-mode.md@v1.5.0 "Separate Envoy Gateway Controllers": a controllerName per installation',
  'https://github.com/kserve/kserve/issues/5050',
];
const AIGW_NOTE_ANY = 'Envoy Gateway serves InferencePools only through Envoy AI Gateway\'s extension server, which accepts exactly one group per release (v0.3.x the alpha group, ' +
  'v0.4.0 and later v1), so no installation serves both; a second Envoy Gateway + AI Gateway beside the first is not shown to work (the AI Gateway controllers and ' +
  'pod webhook filter no GatewayClass, and the two releases need Envoy Gateways that share one set of cluster-wide CRDs).';

const TABLE: Row[] = [
  {
    implementation: GatewayImplementation.GKE,
    displayName: 'GKE Gateway',
    versions: 'any',
    alphaBackendRef: Y,
    gaBackendRef: Y,
    servesBothGroups: Y,
    weightedAlphaAndGa: Y,
    secondInstallation: U,
    note: 'GKE\'s own migration guide splits one rule 50/50 between the alpha and the GA pool.',
    // The GKE Inference Gateway migration guide (seeds 001 and 003); GKE's controller is not open source.
    sources: ['https://cloud.google.com/kubernetes-engine/docs/how-to/migrate-inference-gateway'],
  },
  {
    implementation: GatewayImplementation.ISTIO,
    displayName: 'Istio',
    range: '>=1.27.0 <1.28.0',
    versions: '1.27',
    alphaBackendRef: Y,
    gaBackendRef: N,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: Y,
    note: 'Istio 1.27 serves only the alpha group (inference.networking.x-k8s.io): a route to a v1 InferencePool is not resolved. A 1.28 revision installed beside it serves v1.',
    sources: [`${ISTIO_RESOURCES}@1.27.0 gvk.InferencePool: inference.networking.x-k8s.io/v1alpha2`, ...ISTIO_ISSUES],
  },
  {
    implementation: GatewayImplementation.ISTIO,
    displayName: 'Istio',
    range: '>=1.28.0',
    versions: '1.28 and later',
    alphaBackendRef: N,
    gaBackendRef: Y,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: Y,
    note: 'Istio 1.28 and later serve only the v1 group and reject a backendRef to the alpha group (ResolvedRefs=False, reason InvalidKind).',
    sources: [`${ISTIO_RESOURCES}@1.28.0 gvk.InferencePool: inference.networking.k8s.io/v1`, ...ISTIO_ISSUES],
  },
  {
    implementation: GatewayImplementation.ISTIO,
    displayName: 'Istio',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: Y,
    note: 'No Istio release serves both groups: 1.27 serves only the alpha group, 1.28 and later only v1 (they reject alpha refs with InvalidKind), so no split or preview between them can run on one Istio gateway; a second revision (a canary control-plane upgrade) can serve v1 beside 1.27.',
    sources: [ISTIO_BOTH, ...ISTIO_ISSUES],
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    range: '>=2.0.0 <2.1.0',
    versions: '2.0.x',
    alphaBackendRef: Y,
    gaBackendRef: N,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
    note: 'kgateway 2.0.x watches and resolves only the alpha InferencePool group (its endpoint-picker plugin builds one collection, of inference.networking.x-k8s.io/v1alpha2); 2.1 and later only v1. ' +
      'No installation serves both, kgateway has no revisions, and nothing shows a 2.0.x and a 2.1 installation sharing its cluster-wide CRDs side by side: the move to v1 is a cutover at the upgrade.',
    cutoverWindow: KGATEWAY_WINDOW,
    sources: [
      'kgateway-dev/kgateway internal/kgateway/extensions2/plugins/inferenceextension/endpointpicker/plugin.go (2.0 line) NewPlugin: poolGVR from infextv1a2.GroupVersion only',
      'kubernetes-sigs/gateway-api-inference-extension config/manifests/gateway/kgateway/httproute.yaml@v1.0.0 (backendRef group inference.networking.x-k8s.io) with site-src/guides/index.md@v1.0.0 (KGTW_VERSION=v2.0.4)',
      `${GIE_REPORTS}/v0.5.1/gateway/kgateway/inference-v2.0.4-report.yaml@v1.4.0`,
    ],
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    range: '>=2.1.0',
    versions: '2.1 and later',
    alphaBackendRef: N,
    gaBackendRef: Y,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
    note: 'kgateway 2.1 and later serve only the v1 InferencePool group (wellknown.InferencePoolGVK is inference.networking.k8s.io/v1): an alpha route cannot be served by it.',
    cutoverWindow: KGATEWAY_WINDOW,
    sources: [
      'kubernetes-sigs/gateway-api-inference-extension site-src/guides/index.md@v1.1.0 (KGTW_VERSION=v2.1.0, v1 InferencePool)',
      `${GIE_REPORTS}/v1.0.2/gateway/kgateway/inference-v2.1.0-report.yaml@v1.4.0`,
      'agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK: inference.networking.k8s.io/v1 (the controller kgateway 2.1 grew into)',
    ],
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
    note: 'kgateway serves one InferencePool group per release line (2.0.x the alpha group, 2.1 and later v1), has no revisions, and nothing shows two installations side by side: the move to v1 is a cutover at the upgrade to 2.1.',
    cutoverWindow: KGATEWAY_WINDOW,
    sources: [
      'kgateway-dev/kgateway internal/kgateway/extensions2/plugins/inferenceextension/endpointpicker/plugin.go (2.0 line) NewPlugin: poolGVR from infextv1a2.GroupVersion only',
      'kubernetes-sigs/gateway-api-inference-extension config/manifests/gateway/kgateway/httproute.yaml@v1.0.0 (alpha, kgateway v2.0.4) vs site-src/guides/index.md@v1.1.0 (v1, kgateway v2.1.0)',
    ],
  },
  ...envoyRows(GatewayImplementation.ENVOY_AI_GATEWAY, 'Envoy Gateway with Envoy AI Gateway'),
  {
    implementation: GatewayImplementation.ENVOY_GATEWAY,
    displayName: 'Envoy Gateway (with Envoy AI Gateway)',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
    note: AIGW_NOTE_ANY,
    cutoverWindow: AIGW_WINDOW,
    sources: AIGW_SOURCES,
  },
  {
    implementation: GatewayImplementation.NGINX_GATEWAY_FABRIC,
    displayName: 'NGINX Gateway Fabric',
    range: '<2.2.0',
    versions: 'before 2.2.0',
    alphaBackendRef: N,
    gaBackendRef: N,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
    note: 'NGINX Gateway Fabric before 2.2.0 has no InferencePool support at all.',
    sources: ['nginx/nginx-gateway-fabric internal/controller/state/graph@v2.1.0: no inference group', `${GIE_REPORTS}/v1.0.2/gateway/nginx-nginx-gateway-fabric/inference-v2.2.0-report.yaml@v1.4.0 (the first report)`],
  },
  ...ngfRows(),
  {
    implementation: GatewayImplementation.AGENTGATEWAY,
    displayName: 'agentgateway',
    range: '<1.0.0',
    versions: 'before 1.0 (kgateway\'s control plane)',
    alphaBackendRef: Y,
    gaBackendRef: U,
    servesBothGroups: U,
    weightedAlphaAndGa: U,
    secondInstallation: Y,
    note: 'agentgateway 0.7.2, run by kgateway 2.0.x, passed GIE v0.5.1 conformance with the alpha group; no release is shown to serve both groups, so a second Gateway of a control plane that serves v1 (agentgateway 1.0, controllerName agentgateway.dev/agentgateway, or kgateway 2.1) carries the GA route.',
    sources: [`${GIE_REPORTS}/v0.5.1/gateway/agentgateway/inference-v0.7.2-report.yaml@v1.4.0 (README: "with kgateway")`],
  },
  {
    implementation: GatewayImplementation.AGENTGATEWAY,
    displayName: 'agentgateway',
    // Stryker disable next-line StringLiteral: equivalent: the rows before it take every lower version, so any version left is this row's
    range: '>=1.0.0',
    versions: '1.0 and later',
    alphaBackendRef: N,
    gaBackendRef: Y,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: Y,
    note: 'agentgateway 1.0 and later run their own controller (agentgateway.dev/agentgateway), which knows only the v1 InferencePool group.',
    sources: ['agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK (inference.networking.k8s.io/v1) and controller.go DefaultAgwControllerName'],
  },
  {
    implementation: GatewayImplementation.AGENTGATEWAY,
    displayName: 'agentgateway',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: U,
    weightedAlphaAndGa: U,
    secondInstallation: Y,
    note: 'No agentgateway release is shown to serve both groups (0.7.x under kgateway 2.0.x the alpha group, 1.0 and later v1): a second Gateway of a control plane that serves v1 carries the GA route.',
    sources: [
      `${GIE_REPORTS}/v0.5.1/gateway/agentgateway/inference-v0.7.2-report.yaml@v1.4.0`,
      'agentgateway/agentgateway controller/pkg/kgateway/wellknown/gwapi.go@v1.0.0 InferencePoolGVK',
    ],
  },
  {
    implementation: GatewayImplementation.GENERIC,
    displayName: 'a Gateway API implementation not in the table (generic)',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: U,
    weightedAlphaAndGa: U,
    secondInstallation: U,
    note: 'Nothing is known about this implementation: verify a weighted alpha/GA split in a test cluster first (watch the route\'s ResolvedRefs condition and the error rate).',
    sources: [],
  },
];

/** The rows of Envoy Gateway with Envoy AI Gateway, by AI Gateway release. */
function envoyRows(implementation: GatewayImplementation, displayName: string): Row[] {
  return [
    {
      implementation,
      displayName,
      range: '<0.3.0',
      versions: 'AI Gateway before v0.3.0',
      alphaBackendRef: N,
      gaBackendRef: N,
      servesBothGroups: N,
      weightedAlphaAndGa: N,
      secondInstallation: U,
      note: 'Envoy AI Gateway before v0.3.0 has no InferencePool support (no internal/extensionserver/inferencepool.go).',
      sources: ['envoyproxy/ai-gateway internal/extensionserver@v0.2.0: no inferencepool.go'],
    },
    {
      implementation,
      displayName,
      range: '>=0.3.0 <0.4.0',
      versions: 'AI Gateway v0.3.x',
      alphaBackendRef: Y,
      gaBackendRef: N,
      servesBothGroups: N,
      weightedAlphaAndGa: N,
      secondInstallation: U,
      note: 'Envoy AI Gateway v0.3.x\'s extension server accepts only the alpha group (v0.4.0 and later only v1), so no installation serves both; a second Envoy Gateway + AI Gateway ' +
        'beside the first is not shown to work (the AI Gateway controllers and pod webhook filter no GatewayClass, and v0.3 and v0.4 need Envoy Gateways that share one set of ' +
        'cluster-wide CRDs): the move to v1 is a cutover at the AI Gateway upgrade.',
      cutoverWindow: AIGW_WINDOW,
      sources: AIGW_SOURCES,
    },
    {
      implementation,
      displayName,
      // Stryker disable next-line StringLiteral: equivalent: the rows before it take every lower version, so any version left is this row's
      range: '>=0.4.0',
      versions: 'AI Gateway v0.4.0 and later',
      alphaBackendRef: N,
      gaBackendRef: Y,
      servesBothGroups: N,
      weightedAlphaAndGa: N,
      secondInstallation: U,
      note: 'Envoy AI Gateway v0.4.0 and later accept only the v1 group (inference.networking.k8s.io): an alpha route cannot be served by it.',
      cutoverWindow: AIGW_WINDOW,
      sources: AIGW_SOURCES,
    },
    {
      implementation,
      displayName,
      versions: 'any',
      alphaBackendRef: U,
      gaBackendRef: U,
      servesBothGroups: N,
      weightedAlphaAndGa: N,
      secondInstallation: U,
      note: AIGW_NOTE_ANY,
      cutoverWindow: AIGW_WINDOW,
      sources: AIGW_SOURCES,
    },
  ];
}

/** The rows of NGINX Gateway Fabric from 2.2.0, when it first served InferencePools (v1 only). */
function ngfRows(): Row[] {
  const ngfSource = 'nginx/nginx-gateway-fabric internal/controller/state/graph/route_common.go@v2.2.0 inferenceAPIGroup = inference.networking.k8s.io, ' +
    'and backend_refs.go@v2.2.0: any other InferencePool group is NotSupported';
  const base = {
    implementation: GatewayImplementation.NGINX_GATEWAY_FABRIC,
    displayName: 'NGINX Gateway Fabric',
    alphaBackendRef: N,
    gaBackendRef: Y,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    secondInstallation: U,
  };
  return [
    {
      ...base,
      range: '>=2.2.0 <2.3.0',
      versions: '2.2.x',
      note: 'NGINX Gateway Fabric serves only the v1 InferencePool group and never served the alpha group; 2.2.x is not shown to weight two v1 pools in one rule.',
      sources: [ngfSource, `${GIE_REPORTS}/v1.0.2/gateway/nginx-nginx-gateway-fabric/inference-v2.2.0-report.yaml@v1.4.0`],
    },
    {
      ...base,
      // Stryker disable next-line StringLiteral: equivalent: the rows before it take every lower version, so any version left is this row's
      range: '>=2.3.0',
      versions: '2.3.0 and later',
      note: 'NGINX Gateway Fabric serves only the v1 InferencePool group and never served the alpha group; from 2.3.0 it weights two v1 pools in one rule (GatewayWeightedAcrossTwoInferencePools passes).',
      sources: [ngfSource, `${GIE_REPORTS}/v1.1.0/gateway/nginx-nginx-gateway-fabric/inference-v2.3.0-report.yaml@v1.4.0 (10 of 10 core tests, GatewayWeightedAcrossTwoInferencePools among them)`],
    },
    {
      ...base,
      versions: 'any',
      gaBackendRef: U,
      note: 'NGINX Gateway Fabric never served the alpha InferencePool group (2.2.0 and later serve v1 only): an alpha route cannot be served by it.',
      sources: [ngfSource],
    },
  ];
}

/** The strategy that works where `row` says what it does. */
function workingStrategyOf(row: Pick<GatewayCapability, 'servesBothGroups' | 'weightedAlphaAndGa' | 'secondInstallation'>): MigrationStrategy {
  if (row.servesBothGroups === N) return row.secondInstallation === Y ? MigrationStrategy.PARALLEL_GATEWAY : MigrationStrategy.CUTOVER;
  if (row.servesBothGroups === U && row.secondInstallation === Y) return MigrationStrategy.PARALLEL_GATEWAY;
  if (row.weightedAlphaAndGa === N) return MigrationStrategy.HEADER_PREVIEW_CUTOVER;
  return MigrationStrategy.WEIGHTED_SHIFT;
}

/**
 * Why `strategy` cannot work on the gateway `capability` describes, or undefined when it can (or nothing says it
 * cannot). Weighted-shift and header-preview-cutover put both groups behind one gateway; weighted-shift also splits
 * one rule between them.
 */
function problemOf(capability: GatewayCapability, strategy: MigrationStrategy): string | undefined {
  const name = `${capability.displayName}${capability.version ? ` ${capability.version}` : ''}`;
  if (capability.alphaBackendRef === N && strategy !== MigrationStrategy.PARALLEL_GATEWAY) {
    return `the alpha route cannot be running on ${name}, which does not serve the alpha InferencePool group: ${capability.note}`;
  }
  const both = strategy === MigrationStrategy.WEIGHTED_SHIFT || strategy === MigrationStrategy.HEADER_PREVIEW_CUTOVER;
  if (both && capability.servesBothGroups === N) {
    return `${strategy} needs one gateway that serves both the alpha and the GA InferencePool, and ${capability.displayName}${capability.version ? ` ${capability.version}` : ''} does not: ${capability.note}`;
  }
  if (strategy === MigrationStrategy.WEIGHTED_SHIFT && capability.weightedAlphaAndGa === N) {
    return `weighted-shift splits one rule between the alpha and the GA pool, and ${capability.displayName}${capability.version ? ` ${capability.version}` : ''} cannot: ${capability.note}`;
  }
  return undefined;
}

/**
 * What each Gateway API implementation can do during an alpha-to-GA InferencePool migration, by version where
 * behaviour depends on it, with the public sources of each fact.
 */
export class GatewayCapabilities {
  /**
   * The capability of an implementation. With a version (`1.28.1`, `v2.0.3`, `1.27`), the row for that version;
   * without one, what holds for every version (a fact that depends on the version is `unknown` there). For Envoy
   * Gateway the version that matters is Envoy AI Gateway's: give it with `GatewayImplementation.ENVOY_AI_GATEWAY`
   * (an Envoy Gateway version is refused, with that reason).
   *
   * @param implementation the Gateway API implementation
   * @param version its version, when known
   */
  public static of(implementation: GatewayImplementation, version?: string): GatewayCapability {
    if (implementation === GatewayImplementation.ENVOY_GATEWAY && version !== undefined) {
      throw new Error(`Envoy Gateway's own version (${JSON.stringify(version)}) does not decide which InferencePool group works: Envoy AI Gateway's extension server does ` +
        '(v0.3.x the alpha group, v0.4.0 and later v1). Give the Envoy AI Gateway release instead, with the implementation envoy-ai-gateway');
    }
    const rows = TABLE.filter((r) => r.implementation === implementation);
    if (rows.length === 0) {
      throw new Error(`unknown gateway implementation ${JSON.stringify(implementation)}; known: ${[...new Set(TABLE.map((r) => r.implementation))].join(', ')}`);
    }
    // Stryker disable next-line ConditionalExpression: equivalent: coerce(undefined) is null too
    const parsed = version === undefined ? null : coerce(version);
    if (version !== undefined && !parsed) throw new Error(`gateway version ${JSON.stringify(version)} is not a version such as 1.28.1`);
    const forVersion = parsed ? rows.find((r) => r.range !== undefined && satisfies(parsed, r.range)) : undefined;
    const row = forVersion ?? rows.find((r) => r.range === undefined)!;
    const { range: _range, ...capability } = row;
    return { ...capability, ...(version !== undefined ? { version } : {}), workingStrategy: workingStrategyOf(capability) };
  }

  /** Every row, each version range on its own, in a stable order (for docs and tests). */
  public static all(): GatewayCapability[] {
    return TABLE.map(({ range: _range, ...row }) => ({ ...row, workingStrategy: workingStrategyOf(row) }));
  }

  /**
   * Why a strategy cannot work on an implementation (at a version), or undefined when it can or nothing says it
   * cannot.
   *
   * @param implementation the Gateway API implementation
   * @param strategy the strategy
   * @param version the implementation's version, when known
   */
  public static strategyProblem(implementation: GatewayImplementation, strategy: MigrationStrategy, version?: string): string | undefined {
    return problemOf(GatewayCapabilities.of(implementation, version), strategy);
  }

  /**
   * Why a strategy cannot work on the gateway a capability describes, or undefined when it can (or nothing says it
   * cannot).
   *
   * @param capability a row of `of()`
   * @param strategy the strategy
   */
  public static problemWith(capability: GatewayCapability, strategy: MigrationStrategy): string | undefined {
    return problemOf(capability, strategy);
  }

  private constructor() {}
}
