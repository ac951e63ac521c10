/** Migration strategies of the zero-downtime path. */
export enum MigrationStrategy {
  /** Shift traffic by weight, one stage per step, within one HTTPRoute rule (the upstream guide). */
  WEIGHTED_SHIFT = 'weighted-shift',
  /**
   * For gateways that cannot split one rule between an alpha and a GA pool: a stage sends requests that
   * carry a preview header to the GA pool for testing, then one stage moves all traffic at once.
   */
  HEADER_PREVIEW_CUTOVER = 'header-preview-cutover',
}
