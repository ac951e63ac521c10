/**
 * Data types of the pure converters (plain data, shared by constructs and the CLI).
 */

/** Priorities given to the three InferenceModel criticalities. */
export interface CriticalityPriorities {
  /**
   * Priority for `Critical`: not negative, so it is never shed, as alpha never shed Critical requests.
   * @default 1
   */
  readonly critical?: number;
  /**
   * Priority for `Standard` (and for a model without criticality): negative, since alpha EPPs shed Standard
   * requests under saturation as they shed Sheddable ones, and v1 EPPs shed exactly the negative priorities.
   * @default -1
   */
  readonly standard?: number;
  /**
   * Priority for `Sheddable`: negative and below Standard.
   * @default -2
   */
  readonly sheddable?: number;
}

/** The result of converting one InferenceModel. */
export interface InferenceModelConversion {
  /** Name of the InferenceModel, and of the objective made from it. */
  readonly name: string;
  /**
   * Namespace of the InferenceModel.
   * @default - none: the model had no namespace
   */
  readonly namespace?: string;
  /** The model name requests carry in their body (`spec.modelName`; the InferenceModel's name when it has none). */
  readonly modelName: string;
  /** Criticality of the model: `Critical`, `Standard` or `Sheddable` (`Standard` when it had none). */
  readonly criticality: string;
  /** The objective's priority. */
  readonly priority: number;
  /** Name of the pool the model pointed at. */
  readonly poolName: string;
  /**
   * The targets of `targetModels` when they rename the model (`a=50, b=50`): an InferenceModelRewrite (GIE v1.3.0+)
   * keeps them.
   * @default - none: no targets, or targets that only name the model itself
   */
  readonly rewriteTargets?: string;
  /** What the objective alone does not keep (model rewrites; priorities that need a request header), one sentence each. */
  readonly warnings: string[];
}

