import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GA_POOL_GROUP } from './api';
import { gaPoolReference } from './ga-pool-reference';
import { resolveMetadata } from './metadata';
import { IInferencePoolBackend, ResourceMetadata } from './types';
import { convertInferenceModel } from '../convert/inference-model';
import { CriticalityPriorities } from '../convert/types';
import { CarriedManifest } from '../core/carried-manifest';
import { checkInteger, givenProps, propError, PropError, show } from '../core/errors';
import { checkSubdomain } from '../core/names';
import { generatedName } from '../core/namespace';
import { InferenceObjective as InferenceObjectiveResource } from '../imports/inference.networking.x-k8s.io';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Props of an `InferenceObjective`.
 */
export interface InferenceObjectiveProps {
  /**
   * Name of the objective: requests select it with the header `x-gateway-inference-objective: <name>`.
   * @default - a name unique in the app, generated from the construct path (as cdk8s names objects)
   */
  readonly name?: string;

  /**
   * Labels and annotations of the InferenceObjective.
   * @default - none
   */
  readonly metadata?: ResourceMetadata;

  /**
   * Namespace of the objective; must be the pool's namespace (`poolRef` has no namespace).
   * @default - the pool's namespace
   */
  readonly namespace?: string;

  /**
   * Priority of the requests that name this objective: higher is served first, negative is shed first
   * under saturation.
   * @default 0
   */
  readonly priority?: number;

  /** The GA pool the objective applies to. */
  readonly pool: IInferencePoolBackend;
}

/**
 * Options of `InferenceObjective.fromInferenceModel`.
 */
export interface InferenceObjectiveFromModelOptions {
  /** The v1alpha2 InferenceModel, e.g. `CarriedManifest.fromYaml(text)`. */
  readonly inferenceModel: CarriedManifest;

  /** The GA pool the objective applies to (the model pointed at the alpha pool). */
  readonly pool: IInferencePoolBackend;

  /**
   * Priorities for the model's criticality.
   * @default - Critical=1, Standard=-1, Sheddable=-2 (shed under saturation as alpha shed them); a model without criticality is Standard
   */
  readonly priorities?: CriticalityPriorities;

  /**
   * Name of the objective.
   * @default - the InferenceModel's name
   */
  readonly name?: string;
}

/**
 * An InferenceObjective (`inference.networking.x-k8s.io/v1alpha2`, the GA replacement of InferenceModel):
 * a priority for the requests that name it, and a `poolRef` to a GA pool with the group and kind written
 * out.
 *
 * @example
 * new InferenceObjective(chart, 'food-review', { name: 'food-review', pool, priority: 1 });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/site-src/api-types/inferenceobjective.md
 */
export class InferenceObjective extends Construct {
  /**
   * Converts a v1alpha2 InferenceModel: its criticality becomes the priority, its name the objective's
   * name. What has no equivalent (modelName, targetModels) is listed in `conversionWarnings`.
   */
  public static fromInferenceModel(scope: Construct, id: string, options: InferenceObjectiveFromModelOptions): InferenceObjective {
    let conversion;
    try {
      if (!(options.inferenceModel instanceof CarriedManifest)) throw new PropError(`expected a CarriedManifest (got ${show(options.inferenceModel)})`);
      conversion = convertInferenceModel(options.inferenceModel._object, options.priorities);
    } catch (err) {
      throw propError(`${scope.node.path}/${id}`, 'inferenceModel', `cannot be converted: ${(err as Error).message}`);
    }
    const objective = new InferenceObjective(scope, id, {
      name: options.name ?? conversion.name,
      priority: conversion.priority,
      pool: options.pool,
    });
    objective.conversionWarnings.push(...conversion.warnings);
    return objective;
  }

  /** Name of the objective. */
  public readonly name: string;
  /** Namespace of the objective. */
  public readonly namespace: string;
  /** Priority of the objective. */
  public readonly priority: number;
  /** What a conversion from an InferenceModel could not carry over (empty otherwise). */
  public readonly conversionWarnings: string[] = [];
  /** The InferenceObjective API object. */
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: InferenceObjectiveProps) {
    super(scope, id);
    props = givenProps(this, props);
    this.name = props.name ?? generatedName(this);
    checkSubdomain(this, 'name', this.name);
    this.priority = props.priority ?? 0;
    checkInteger(this, 'priority', this.priority, INT32_MIN, INT32_MAX);
    this.namespace = gaPoolReference(this, props.pool, props.namespace, 'objectives');
    const pool = props.pool;
    this.resource = new InferenceObjectiveResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, ...resolveMetadata(this, 'metadata', props.metadata) },
      spec: {
        priority: this.priority,
        poolRef: { group: GA_POOL_GROUP, kind: 'InferencePool', name: pool.poolName },
      },
    });
  }
}
