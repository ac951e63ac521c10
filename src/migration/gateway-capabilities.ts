/**
 * The gateway that serves the HTTPRoute decides which migration plans can work. This table holds what public
 * reports say about each implementation, by version where behaviour depends on it; each row names its sources.
 * Re-check them before relying on a row: implementations move fast.
 */
import { coerce, satisfies } from 'semver';
import { GatewayImplementation } from './gateway-implementation';
import { MigrationStrategy } from './migration-strategy';

/** What a public report says an implementation does. */
export enum GatewaySupport {
  /** Reported to work. */
  YES = 'yes',
  /** Reported not to work. */
  NO = 'no',
  /** No public report either way (or it depends on a version that was not given). */
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
  /** The zero-downtime strategy that works here (weighted-shift where a split can work). */
  readonly workingStrategy: MigrationStrategy;
  /** One or two sentences for the plan and the README. */
  readonly note: string;
  /** Public sources of the row. */
  readonly sources: string[];
}

const Y = GatewaySupport.YES;
const N = GatewaySupport.NO;
const U = GatewaySupport.UNKNOWN;

/** A row of the table; `range` (a semver range) limits it to some versions, `versions` says which for people. */
interface Row extends Omit<GatewayCapability, 'version' | 'workingStrategy'> {
  readonly range?: string;
}

const ISTIO_SOURCES = [
  'https://github.com/istio/istio/issues/57219',
  'https://github.com/kserve/kserve/issues/5007',
  'https://github.com/opendatahub-io/kserve/pull/1090',
  'https://github.com/llm-d/llm-d/issues/578',
];

// Note on conformance: GIE v1.1.0 added GatewayWeightedAcrossTwoInferencePools (70/30), but with two
// v1 pools. Passing it does not prove an implementation can split between an alpha and a GA pool.
const TABLE: Row[] = [
  {
    implementation: GatewayImplementation.GKE,
    displayName: 'GKE Gateway',
    versions: 'any',
    alphaBackendRef: Y,
    gaBackendRef: Y,
    servesBothGroups: Y,
    weightedAlphaAndGa: Y,
    note: 'GKE\'s own migration guide splits one rule 50/50 between the alpha and the GA pool.',
    // The GKE Inference Gateway migration guide (seeds 001 and 003).
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
    note: 'Istio 1.27 serves only the alpha group (inference.networking.x-k8s.io): a route to a v1 InferencePool is not resolved.',
    sources: ISTIO_SOURCES,
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
    note: 'Istio 1.28 and later serve only the v1 group and reject a backendRef to the alpha group (ResolvedRefs=False, reason InvalidKind).',
    sources: ISTIO_SOURCES,
  },
  {
    implementation: GatewayImplementation.ISTIO,
    displayName: 'Istio',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: N,
    weightedAlphaAndGa: N,
    note: 'No Istio release serves both groups: 1.27 serves only the alpha group, 1.28 and later only v1 (they reject alpha refs with InvalidKind), so no split or preview between them can run on one Istio gateway.',
    sources: ISTIO_SOURCES,
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    range: '>=2.0.0 <2.1.0',
    versions: '2.0.x',
    alphaBackendRef: Y,
    gaBackendRef: U,
    servesBothGroups: Y,
    weightedAlphaAndGa: N,
    note: 'kgateway 2.0.x accepts the alpha group, but weighted backendRefs across two InferencePools in one rule return 503 (open issue).',
    sources: ['https://github.com/kgateway-dev/kgateway/issues/11667'],
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    versions: 'any',
    alphaBackendRef: Y,
    gaBackendRef: U,
    servesBothGroups: Y,
    weightedAlphaAndGa: N,
    note: 'kgateway accepts the alpha group, but weighted backendRefs across two InferencePools in one rule return 503 (reported against v2.0.x, still open; no later version is reported fixed).',
    sources: ['https://github.com/kgateway-dev/kgateway/issues/11667'],
  },
  {
    implementation: GatewayImplementation.ENVOY_GATEWAY,
    displayName: 'Envoy Gateway',
    versions: 'any',
    alphaBackendRef: Y,
    gaBackendRef: Y,
    servesBothGroups: Y,
    weightedAlphaAndGa: U,
    note: 'Envoy Gateway accepts InferencePools of the groups listed in its extensionManager.backendResources: list both during the migration, only v1 after cleanup (a stale entry produced 503s). No report says whether one rule can split between them.',
    sources: ['https://github.com/kserve/kserve/issues/5050'],
  },
  {
    implementation: GatewayImplementation.ENVOY_AI_GATEWAY,
    displayName: 'Envoy AI Gateway',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: Y,
    servesBothGroups: U,
    weightedAlphaAndGa: N,
    note: 'Envoy AI Gateway (v0.7) allows one InferencePool per rule; a proposal to lift the limit is open.',
    sources: ['https://github.com/envoyproxy/ai-gateway/issues/2231', 'https://github.com/envoyproxy/ai-gateway/pull/2657'],
  },
  {
    implementation: GatewayImplementation.NGINX_GATEWAY_FABRIC,
    displayName: 'NGINX Gateway Fabric',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: Y,
    servesBothGroups: U,
    weightedAlphaAndGa: N,
    note: 'NGINX Gateway Fabric supports one InferencePool backendRef per rule.',
    sources: ['https://github.com/nginx/nginx-gateway-fabric/issues/4192'],
  },
  {
    implementation: GatewayImplementation.GENERIC,
    displayName: 'a Gateway API implementation not in the table (generic)',
    versions: 'any',
    alphaBackendRef: U,
    gaBackendRef: U,
    servesBothGroups: U,
    weightedAlphaAndGa: U,
    note: 'Nothing is known about this implementation: verify a weighted alpha/GA split in a test cluster first (watch the route\'s ResolvedRefs condition and the error rate).',
    sources: [],
  },
];

/** The strategy that works where `row` says what it does. */
function workingStrategyOf(row: Pick<GatewayCapability, 'servesBothGroups' | 'weightedAlphaAndGa'>): MigrationStrategy {
  if (row.servesBothGroups === N) return MigrationStrategy.PARALLEL_GATEWAY;
  if (row.weightedAlphaAndGa === N) return MigrationStrategy.HEADER_PREVIEW_CUTOVER;
  return MigrationStrategy.WEIGHTED_SHIFT;
}

/**
 * Why `strategy` cannot work on the gateway `capability` describes, or undefined when it can (or nothing says it
 * cannot). Weighted-shift and header-preview-cutover put both groups behind one gateway; weighted-shift also splits
 * one rule between them.
 */
function problemOf(capability: GatewayCapability, strategy: MigrationStrategy): string | undefined {
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
   * without one, what holds for every version (a fact that depends on the version is `unknown` there).
   *
   * @param implementation the Gateway API implementation
   * @param version its version, when known
   */
  public static of(implementation: GatewayImplementation, version?: string): GatewayCapability {
    const rows = TABLE.filter((r) => r.implementation === implementation);
    if (rows.length === 0) {
      throw new Error(`unknown gateway implementation ${JSON.stringify(implementation)}; known: ${[...new Set(TABLE.map((r) => r.implementation))].join(', ')}`);
    }
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
