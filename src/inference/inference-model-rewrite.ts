import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GA_POOL_GROUP } from './api';
import { gaPoolReference } from './ga-pool-reference';
import { resolveMetadata } from './metadata';
import { IInferencePoolBackend, ResourceMetadata } from './types';
import { modelRewriteOf } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { checkInteger, givenProps, propError, show } from '../core/errors';
import { checkSubdomain } from '../core/names';
import { generatedName } from '../core/namespace';
import {
  InferenceModelRewrite as InferenceModelRewriteResource,
  InferenceModelRewriteSpecRulesMatchesModelType,
} from '../imports/inference.networking.x-k8s.io';

/** A model a rewrite sends requests to, with its share. */
export interface ModelRewriteTarget {
  /** The model name written into the request body before it reaches the model server (`modelRewrite`). */
  readonly model: string;
  /**
   * Relative share of the requests (1..1000000). Give weights to all targets of a rule or to none: the EPP never
   * picks a target without weight when another has one, and splits evenly when none has.
   * @default - none: the requests are split evenly
   */
  readonly weight?: number;
}

/** One rule of an InferenceModelRewrite: the body's model names it matches, and where they go. */
export interface ModelRewriteRule {
  /** The model names (`model` of the request body) the rule matches, exactly. At least one. */
  readonly models: string[];
  /** The models the requests are rewritten to, by weight. At least one. */
  readonly targets: ModelRewriteTarget[];
}

/** Props of an `InferenceModelRewrite`. */
export interface InferenceModelRewriteProps {
  /**
   * Name of the InferenceModelRewrite.
   * @default - a name unique in the app, generated from the construct path (as cdk8s names objects)
   */
  readonly name?: string;

  /**
   * Namespace of the rewrite; must be the pool's namespace (`poolRef` has no namespace).
   * @default - the pool's namespace
   */
  readonly namespace?: string;

  /**
   * Labels and annotations of the InferenceModelRewrite.
   * @default - none
   */
  readonly metadata?: ResourceMetadata;

  /** The GA pool whose Endpoint Picker applies the rewrite. */
  readonly pool: IInferencePoolBackend;

  /** The rules, at least one. */
  readonly rules: ModelRewriteRule[];
}

/** Options of `InferenceModelRewrite.fromInferenceModel`. */
export interface InferenceModelRewriteFromModelOptions {
  /** The v1alpha2 InferenceModel, e.g. `CarriedManifest.fromYaml(text)`; its `targetModels` must rename the model. */
  readonly inferenceModel: CarriedManifest;
  /** The GA pool the rewrite applies to (the model pointed at the alpha pool). */
  readonly pool: IInferencePoolBackend;
  /**
   * Name of the rewrite.
   * @default - the InferenceModel's name
   */
  readonly name?: string;
}

const MAX_WEIGHT = 1_000_000;

/**
 * An InferenceModelRewrite (`inference.networking.x-k8s.io/v1alpha2`): the successor of an InferenceModel's
 * `targetModels`. The Endpoint Picker matches the `model` of the request body and rewrites it to one of the
 * targets, by weight, before the request reaches a model server. EPPs apply it from GIE v1.3.0 (the v1.2.x CRD
 * names the list `split`, and no v1.2.x EPP reads the kind); v1.6.0 removed the kind. The EPP reads which CRDs
 * exist when it starts: install the InferenceModelRewrite CRD before the EPP, or restart the EPP after.
 *
 * Every API default is written out (`poolRef.group` and `kind`, `matches[].model.type: Exact`).
 *
 * @example
 * new InferenceModelRewrite(chart, 'food-review', {
 *   name: 'food-review',
 *   pool,
 *   rules: [{ models: ['food-review'], targets: [{ model: 'food-review-1', weight: 100 }] }],
 * });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/apix/v1alpha2/inferencemodelrewrite_types.go
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/pkg/epp/requestcontrol/director.go
 */
export class InferenceModelRewrite extends Construct {
  /**
   * The rewrite that keeps what an alpha InferenceModel's `targetModels` did: requests naming its `modelName` are
   * rewritten to the targets, with their weights. Throws when the targets only name the model itself (nothing to
   * rewrite) or the InferenceModel cannot be read.
   */
  public static fromInferenceModel(scope: Construct, id: string, options: InferenceModelRewriteFromModelOptions): InferenceModelRewrite {
    let rule;
    try {
      if (!(options.inferenceModel instanceof CarriedManifest)) throw new Error(`expected a CarriedManifest (got ${show(options.inferenceModel)})`);
      rule = modelRewriteOf(options.inferenceModel._object);
    } catch (err) {
      throw propError(`${scope.node.path}/${id}`, 'inferenceModel', `cannot be converted: ${(err as Error).message}`);
    }
    if (!rule) {
      throw propError(`${scope.node.path}/${id}`, 'inferenceModel', `has no targetModels that rename its model ${show(options.inferenceModel._object?.spec?.modelName)}: nothing to rewrite`);
    }
    return new InferenceModelRewrite(scope, id, {
      name: options.name ?? options.inferenceModel._object.metadata.name,
      pool: options.pool,
      rules: [{ models: [rule.model], targets: rule.targets }],
    });
  }

  /** Name of the rewrite. */
  public readonly name: string;
  /** Namespace of the rewrite. */
  public readonly namespace: string;
  /** The rules, as given. */
  public readonly rules: ModelRewriteRule[];
  /** The InferenceModelRewrite API object. */
  public readonly resource: ApiObject;

  public constructor(scope: Construct, id: string, props: InferenceModelRewriteProps) {
    super(scope, id);
    props = givenProps(this, props);
    this.name = props.name ?? generatedName(this);
    checkSubdomain(this, 'name', this.name);
    this.namespace = gaPoolReference(this, props.pool, props.namespace, 'rewrites');
    const pool = props.pool;
    this.rules = checkRules(this, props.rules);
    this.resource = new InferenceModelRewriteResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, ...resolveMetadata(this, 'metadata', props.metadata) },
      spec: {
        poolRef: { group: GA_POOL_GROUP, kind: 'InferencePool', name: pool.poolName },
        rules: this.rules.map((r) => ({
          matches: r.models.map((value) => ({ model: { type: InferenceModelRewriteSpecRulesMatchesModelType.EXACT, value } })),
          targets: r.targets.map((t) => ({ modelRewrite: t.model, ...(t.weight !== undefined ? { weight: t.weight } : {}) })),
        })),
      },
    });
  }
}

function checkRules(scope: Construct, rules: ModelRewriteRule[]): ModelRewriteRule[] {
  if (!Array.isArray(rules) || rules.length === 0) throw propError(scope, 'rules', `must list at least one rule (got ${show(rules)})`);
  return rules.map((rule, i) => {
    const at = `rules[${i}]`;
    if (!rule || !Array.isArray(rule.models) || rule.models.length === 0) throw propError(scope, `${at}.models`, `must list at least one model name (got ${show(rule?.models)})`);
    rule.models.forEach((m, j) => {
      if (typeof m !== 'string' || m.length === 0) throw propError(scope, `${at}.models[${j}]`, `must be a non-empty model name (got ${show(m)})`);
    });
    if (!Array.isArray(rule.targets) || rule.targets.length === 0) throw propError(scope, `${at}.targets`, `must list at least one target (got ${show(rule.targets)})`);
    rule.targets.forEach((t, j) => {
      if (!t || typeof t.model !== 'string' || t.model.length === 0) throw propError(scope, `${at}.targets[${j}].model`, `must be a non-empty model name (got ${show(t?.model)})`);
      if (t.weight !== undefined) checkInteger(scope, `${at}.targets[${j}].weight`, t.weight, 1, MAX_WEIGHT);
    });
    const weighted = rule.targets.filter((t) => t.weight !== undefined).length;
    if (weighted > 0 && weighted < rule.targets.length) {
      throw propError(scope, `${at}.targets`, 'must give a weight to every target or to none: the EPP never picks a target without weight when another has one');
    }
    return { models: [...rule.models], targets: rule.targets.map((t) => ({ ...t })) };
  });
}
