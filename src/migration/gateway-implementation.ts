/** The Gateway API implementation that serves the route. */
export enum GatewayImplementation {
  /** GKE Gateway (`gke-l7-*` gateway classes). */
  GKE = 'gke',
  /** Istio. */
  ISTIO = 'istio',
  /** kgateway. */
  KGATEWAY = 'kgateway',
  /** Envoy Gateway. */
  ENVOY_GATEWAY = 'envoy-gateway',
  /** Envoy AI Gateway. */
  ENVOY_AI_GATEWAY = 'envoy-ai-gateway',
  /** NGINX Gateway Fabric. */
  NGINX_GATEWAY_FABRIC = 'nginx-gateway-fabric',
  /** Any other implementation: nothing is known, so nothing is assumed. */
  GENERIC = 'generic',
}
