/** The Gateway API implementation that serves the route. */
export enum GatewayImplementation {
  /** GKE Gateway (`gke-l7-*` gateway classes). */
  GKE = 'gke',
  /** Istio. */
  ISTIO = 'istio',
  /** kgateway. */
  KGATEWAY = 'kgateway',
  /**
   * Envoy Gateway. It serves InferencePool backends only through Envoy AI Gateway's extension server, so the
   * AI Gateway release decides which group works: give that version with ENVOY_AI_GATEWAY.
   */
  ENVOY_GATEWAY = 'envoy-gateway',
  /** Envoy Gateway with Envoy AI Gateway, keyed by the AI Gateway release. */
  ENVOY_AI_GATEWAY = 'envoy-ai-gateway',
  /** NGINX Gateway Fabric. */
  NGINX_GATEWAY_FABRIC = 'nginx-gateway-fabric',
  /** agentgateway (its own control plane from v1.0, kgateway's before). */
  AGENTGATEWAY = 'agentgateway',
  /** Any other implementation: nothing is known, so nothing is assumed. */
  GENERIC = 'generic',
}
