/**
 * What a migration may lose, accepted explicitly: without the acceptance, a plan that would lose it fails and says
 * how to keep it.
 */
export enum MigrationLoss {
  /**
   * The model rewrites of InferenceModel `targetModels` (e.g. upstream's quickstart sends `food-review` to the LoRA
   * adapter `food-review-1`). An EPP of GIE v1.3.0 or later keeps them with InferenceModelRewrites; with an older
   * target (or an EPP image not known to read InferenceModelRewrite) requests reach the model servers under the
   * name they were sent with, unless clients send the header `x-gateway-model-name-rewrite: <target>` themselves.
   */
  MODEL_REWRITE = 'model-rewrite',
}
