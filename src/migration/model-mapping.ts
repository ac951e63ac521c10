/** A row of the per-model table of an InferencePool migration (README, plan.json). */

/** One row of the per-model table. */
export interface ModelMapping {
  /** The model name requests carry in their body (`spec.modelName`); `*` for the row of models no InferenceModel names. */
  readonly modelName: string;
  /**
   * The alpha InferenceModel.
   * @default - none: the row of models no InferenceModel names
   */
  readonly inferenceModel?: string;
  /** The alpha criticality (`Critical`, `Standard`, `Sheddable`). */
  readonly alphaCriticality: string;
  /**
   * The alpha `targetModels` (`a=50, b=50`).
   * @default - none
   */
  readonly alphaTargets?: string;
  /**
   * The GA InferenceObjective.
   * @default - none
   */
  readonly objective?: string;
  /** The priority a request of this model gets on the GA pool when clients do what `clientSends` says. */
  readonly priority: number;
  /**
   * The InferenceModelRewrite that keeps `alphaTargets` on the GA pool.
   * @default - none
   */
  readonly rewrite?: string;
  /** What clients must send with each request for the GA pool to treat it as alpha did (`nothing` when nothing). */
  readonly clientSends: string;
  /** What is kept, one sentence. */
  readonly kept: string;
  /** What is not kept (`nothing` when everything is). */
  readonly notKept: string;
}
