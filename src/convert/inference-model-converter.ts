import { convertInferenceModel, gaPoolName, priorityFor } from './inference-model';
import { CriticalityPriorities, InferenceModelConversion } from './types';
import { CarriedManifest } from '../core/carried-manifest';
import { PropError } from '../core/errors';

/**
 * Converts alpha Gateway API Inference Extension objects to their GA counterparts, as plain data.
 * The constructs and the CLI use the same functions.
 */
export class InferenceModelConverter {
  /**
   * Converts a v1alpha2 InferenceModel into an InferenceObjective's facts: its name, its priority (from
   * the criticality; a missing criticality is Standard) and what cannot be carried over.
   *
   * @param inferenceModel the InferenceModel, e.g. `CarriedManifest.fromYaml(text)`
   */
  public static convert(inferenceModel: CarriedManifest, priorities?: CriticalityPriorities): InferenceModelConversion {
    if (!(inferenceModel instanceof CarriedManifest)) throw new PropError('InferenceModelConverter.convert: expected a CarriedManifest (CarriedManifest.fromYaml or fromObject)');
    return convertInferenceModel(inferenceModel._object, priorities);
  }

  /**
   * The priority of a criticality (`Critical`, `Standard`, `Sheddable`; undefined is `Standard`).
   */
  public static priorityFor(criticality?: string, priorities?: CriticalityPriorities): number {
    return priorityFor(criticality, priorities);
  }

  /**
   * The GA pool name for an alpha pool: a trailing `-alpha` or `-preview` becomes the suffix, else the
   * suffix is appended.
   * @param alphaName name of the v1alpha2 InferencePool
   * @param suffix suffix of the GA name; default '-ga'
   */
  public static gaPoolName(alphaName: string, suffix?: string): string {
    return gaPoolName(alphaName, suffix);
  }

  private constructor() {}
}
