/**
 * Data types of the pure converters (plain data, shared by constructs and the CLI).
 */

/** Priorities given to the three InferenceModel criticalities. */
export interface CriticalityPriorities {
  /**
   * Priority for `Critical`.
   * @default 1
   */
  readonly critical?: number;
  /**
   * Priority for `Standard` (and for a model without criticality).
   * @default 0
   */
  readonly standard?: number;
  /**
   * Priority for `Sheddable`: a negative priority is shed first under saturation.
   * @default -1
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
  /** Criticality of the model: `Critical`, `Standard` or `Sheddable` (`Standard` when it had none). */
  readonly criticality: string;
  /** The objective's priority. */
  readonly priority: number;
  /** Name of the pool the model pointed at. */
  readonly poolName: string;
  /** What the objective cannot carry over (modelName, targetModels), one sentence each. */
  readonly warnings: string[];
}

