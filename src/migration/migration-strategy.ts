/** Migration strategies of the zero-downtime path. */
export enum MigrationStrategy {
  /** Shift traffic by weight, one stage per step, within one HTTPRoute rule (the upstream guide). */
  WEIGHTED_SHIFT = 'weighted-shift',
  /**
   * For gateways that cannot split one rule between an alpha and a GA pool: a stage sends requests that
   * carry a preview header to the GA pool for testing, then one stage moves all traffic at once.
   */
  HEADER_PREVIEW_CUTOVER = 'header-preview-cutover',
  /**
   * For gateways that cannot serve both groups at once (Istio: 1.27 serves only the alpha group, 1.28+ only v1): a
   * second Gateway, served by a control plane that serves v1, carries a copy of the route to the GA pool while the
   * old one keeps the alpha route; clients move from the old address to the new one outside the cluster (DNS or load
   * balancer weights). Zero downtime; needs `parallelGateway`.
   */
  PARALLEL_GATEWAY = 'parallel-gateway',
  /**
   * One stage moves all traffic from the alpha to the GA pool at once, without a preview, for users who accept a
   * short window (EPP warm-up; on a gateway that serves one group only, the moment its control plane switches).
   */
  CUTOVER = 'cutover',
}
