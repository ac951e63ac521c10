/**
 * The gateway that serves the HTTPRoute decides which migration plans can work. This table holds what
 * public reports say about each implementation; each row names its sources. Re-check them before
 * relying on a row: implementations move fast.
 */

import { GatewayImplementation } from './gateway-implementation';

/** 'yes', 'no', or 'unknown' (no public report either way). */
export type Support = 'yes' | 'no' | 'unknown';

/** What one implementation can do during an alpha-to-GA migration. */
export interface GatewayCapability {
  readonly implementation: GatewayImplementation;
  readonly displayName: string;
  /** Does it accept a backendRef to an `inference.networking.x-k8s.io` (alpha) InferencePool? */
  readonly alphaBackendRef: Support;
  /** Can one rule split traffic by weight between an alpha and a GA pool? */
  readonly weightedAlphaAndGa: Support;
  /** One sentence for the plan and the README. */
  readonly note: string;
  /** Public sources of the row. */
  readonly sources: string[];
}

// Note on conformance: GIE v1.1.0 added GatewayWeightedAcrossTwoInferencePools (70/30), but with two
// v1 pools. Passing it does not prove an implementation can split between an alpha and a GA pool.
const TABLE: GatewayCapability[] = [
  {
    implementation: GatewayImplementation.GKE,
    displayName: 'GKE Gateway',
    alphaBackendRef: 'yes',
    weightedAlphaAndGa: 'yes',
    note: 'GKE\'s own migration guide splits one rule 50/50 between the alpha and the GA pool.',
    // The GKE Inference Gateway migration guide (seeds 001 and 003).
    sources: ['https://cloud.google.com/kubernetes-engine/docs/how-to/migrate-inference-gateway'],
  },
  {
    implementation: GatewayImplementation.ISTIO,
    displayName: 'Istio',
    alphaBackendRef: 'no',
    weightedAlphaAndGa: 'unknown',
    note: 'Istio 1.28 and newer reject a backendRef to the alpha group (ResolvedRefs=False, reason InvalidKind); older Istio accepts it, and no report says whether it splits between the two groups.',
    // kserve/kserve#4988 and istio/istio#57219: the alpha group is rejected from Istio 1.28.
    sources: ['https://github.com/kserve/kserve/issues/4988', 'https://github.com/istio/istio/issues/57219'],
  },
  {
    implementation: GatewayImplementation.KGATEWAY,
    displayName: 'kgateway',
    alphaBackendRef: 'yes',
    weightedAlphaAndGa: 'no',
    note: 'kgateway accepts the alpha group, but weighted backendRefs across two InferencePools return 503 (open issue).',
    // kgateway-dev/kgateway#11667: weighted InferencePool backends answer 503.
    sources: ['https://github.com/kgateway-dev/kgateway/issues/11667'],
  },
  {
    implementation: GatewayImplementation.ENVOY_GATEWAY,
    displayName: 'Envoy Gateway',
    alphaBackendRef: 'yes',
    weightedAlphaAndGa: 'unknown',
    note: 'Envoy Gateway accepts InferencePools of both groups; no report says whether one rule can split between them.',
    // kserve/kserve#5050: both API groups are accepted.
    sources: ['https://github.com/kserve/kserve/issues/5050'],
  },
  {
    implementation: GatewayImplementation.ENVOY_AI_GATEWAY,
    displayName: 'Envoy AI Gateway',
    alphaBackendRef: 'unknown',
    weightedAlphaAndGa: 'no',
    note: 'Envoy AI Gateway (v0.7) allows one InferencePool per rule; a proposal to lift the limit is open.',
    // envoyproxy/ai-gateway#2231 and pull request #2657.
    sources: ['https://github.com/envoyproxy/ai-gateway/issues/2231', 'https://github.com/envoyproxy/ai-gateway/pull/2657'],
  },
  {
    implementation: GatewayImplementation.NGINX_GATEWAY_FABRIC,
    displayName: 'NGINX Gateway Fabric',
    alphaBackendRef: 'unknown',
    weightedAlphaAndGa: 'no',
    note: 'NGINX Gateway Fabric supports one InferencePool backendRef per rule.',
    // nginx/nginx-gateway-fabric#4192.
    sources: ['https://github.com/nginx/nginx-gateway-fabric/issues/4192'],
  },
  {
    implementation: GatewayImplementation.GENERIC,
    displayName: 'a Gateway API implementation not in the table (generic)',
    alphaBackendRef: 'unknown',
    weightedAlphaAndGa: 'unknown',
    note: 'Nothing is known about this implementation: verify a weighted alpha/GA split in a test cluster first (watch the route\'s ResolvedRefs condition and the error rate).',
    sources: [],
  },
];

/** The capability row of an implementation. */
export function capabilityOf(implementation: GatewayImplementation): GatewayCapability {
  const row = TABLE.find((r) => r.implementation === implementation);
  if (!row) {
    throw new Error(`unknown gateway implementation ${JSON.stringify(implementation)}; known: ${TABLE.map((r) => r.implementation).join(', ')}`);
  }
  return row;
}

/** Every row, in a stable order (for docs and tests). */
export function allCapabilities(): GatewayCapability[] {
  return [...TABLE];
}
