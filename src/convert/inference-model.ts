/**
 * Pure conversion of alpha objects to their GA counterparts: InferenceModel to InferenceObjective, and
 * the facts of a v1alpha2 InferencePool that a GA pool must copy. Plain data in, plain data out; no cdk8s.
 */

import { CriticalityPriorities, InferenceModelConversion } from './types';
import { UserError } from '../core/errors';

const CRITICALITIES = ['Critical', 'Standard', 'Sheddable'];

/**
 * The default criticality to priority mapping: Critical=1, Standard=-1, Sheddable=-2. The sign keeps what alpha EPPs
 * did under saturation (only Critical requests bypass the saturation check: pkg/epp/requestcontrol/director.go@v0.5.1,
 * admitRequest), since v1 EPPs shed exactly the negative priorities (director.go@v1.0.2, admission.go@v1.4.0); the
 * order keeps Critical before Standard before Sheddable for flow control.
 */
export const DEFAULT_CRITICALITY_PRIORITIES = Object.freeze({ critical: 1, standard: -1, sheddable: -2 });

/** The priority of a criticality (undefined is Standard), by the given mapping over the default one. */
export function priorityFor(criticality: string | undefined, priorities: CriticalityPriorities = {}): number {
  // Stryker disable next-line StringLiteral: equivalent: an empty criticality falls to the default branch, which is Standard's
  switch (criticality ?? 'Standard') {
    case 'Critical': return priorities.critical ?? DEFAULT_CRITICALITY_PRIORITIES.critical;
    case 'Sheddable': return priorities.sheddable ?? DEFAULT_CRITICALITY_PRIORITIES.sheddable;
    default: return priorities.standard ?? DEFAULT_CRITICALITY_PRIORITIES.standard;
  }
}

/** A target of an alpha InferenceModel's `targetModels`. */
export interface ModelTargetFacts {
  readonly model: string;
  readonly weight?: number;
}

/**
 * What an InferenceModel's `targetModels` did, as an InferenceModelRewrite rule: requests naming `model` (the
 * InferenceModel's `modelName`) were rewritten to the targets by weight. Undefined when there is nothing to
 * rewrite: no targets, or targets that all name the model itself (identity, whatever the weights).
 */
export function modelRewriteOf(model: any): { model: string; targets: ModelTargetFacts[] } | undefined {
  // Stryker disable next-line OptionalChaining: equivalent: every caller passes an object (a CarriedManifest's object, or a scanned document whose metadata it reads)
  const spec = model?.spec ?? {};
  // Stryker disable next-line OptionalChaining: equivalent: every caller's model is an object with metadata (CarriedManifest checks it; the scan reads metadata.name unguarded)
  const modelName = typeof spec.modelName === 'string' && spec.modelName.length > 0 ? spec.modelName : model?.metadata?.name;
  const raw: any[] = Array.isArray(spec.targetModels) ? spec.targetModels : [];
  const targets = raw.map((t, i) => {
    if (!t || typeof t.name !== 'string' || t.name.length === 0) {
      throw new Error(`InferenceModel ${model?.metadata?.name}: 'spec.targetModels[${i}].name' must be a model name (got ${JSON.stringify(t?.name)})`);
    }
    if (t.weight !== undefined && (!Number.isInteger(t.weight) || t.weight < 0 || t.weight > 1_000_000)) {
      // Stryker disable next-line OptionalChaining: equivalent: every caller's model is an object with metadata (CarriedManifest checks it; the scan reads metadata.name unguarded)
      throw new Error(`InferenceModel ${model?.metadata?.name}: 'spec.targetModels[${i}].weight' must be an integer in 0..1000000 (got ${JSON.stringify(t.weight)})`);
    }
    return { model: t.name as string, ...(t.weight !== undefined ? { weight: t.weight as number } : {}) };
  });
  // Stryker disable next-line LogicalOperator,ArrowFunction: equivalent: the same check on the live targets below returns undefined too, as they are empty or all identity whenever all targets are
  if (targets.length === 0 || targets.every((t) => t.model === modelName)) return undefined;
  // A weight of 0 never receives traffic: leave such targets out. Only GIE v0.1.0's v1alpha1 CRD allowed it; the
  // v1alpha2 CRDs of v0.2.0..v0.5.1 want 1..1000000 (config/crd/bases/inference.networking.x-k8s.io_inferencemodels.yaml
  // at each tag), so such a target is in Git at most, and the carried InferenceModel fails validation there.
  const live = targets.some((t) => t.weight !== undefined) ? targets.filter((t) => (t.weight ?? 0) > 0) : targets;
  if (live.length === 0 || live.every((t) => t.model === modelName)) return undefined;
  return { model: modelName, targets: live };
}

/** `a=50, b=50`, or `a` for one target without weight. */
export function describeTargets(targets: ModelTargetFacts[]): string {
  return targets.map((t) => (t.weight === undefined ? t.model : `${t.model}=${t.weight}`)).join(', ');
}

/**
 * Converts a v1alpha2 InferenceModel (as parsed from YAML) into the facts of an InferenceObjective.
 * Throws an Error naming the field when the input is not an InferenceModel.
 */
export function convertInferenceModel(model: any, priorities: CriticalityPriorities = {}): InferenceModelConversion {
  // Stryker disable next-line OptionalChaining: equivalent: every caller passes a CarriedManifest's object, which has metadata (InferenceObjective and InferenceModelConverter check instanceof)
  const where = `InferenceModel ${model?.metadata?.name ?? '(unnamed)'}`;
  if (!model || typeof model !== 'object' || model.kind !== 'InferenceModel') {
    // Stryker disable next-line OptionalChaining: equivalent: every caller passes a CarriedManifest's object, never null or undefined
    throw new UserError(`${where}: 'kind' must be InferenceModel (got ${JSON.stringify(model?.kind)})`);
  }
  // Stryker disable next-line OptionalChaining: equivalent: a CarriedManifest's object always has metadata
  const name = model.metadata?.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new UserError(`${where}: 'metadata.name' is required`);
  }
  const spec = model.spec ?? {};
  const poolName = spec.poolRef?.name;
  if (typeof poolName !== 'string' || poolName.length === 0) {
    throw new UserError(`InferenceModel ${name}: 'spec.poolRef.name' is required`);
  }
  const criticality = spec.criticality ?? 'Standard';
  if (!CRITICALITIES.includes(criticality)) {
    throw new UserError(`InferenceModel ${name}: 'spec.criticality' must be one of ${CRITICALITIES.join(', ')} (got ${JSON.stringify(criticality)})`);
  }
  const warnings: string[] = [];
  const modelName = typeof spec.modelName === 'string' && spec.modelName.length > 0 ? spec.modelName : name;
  const rewrite = modelRewriteOf(model);
  if (rewrite) {
    warnings.push(
      `InferenceModel ${name}: targetModels (${describeTargets(rewrite.targets)}) rewrite model ${JSON.stringify(modelName)}: ` +
      'an InferenceModelRewrite keeps that on an EPP of GIE v1.3.0 or later; with an older EPP, clients must send the header ' +
      'x-gateway-model-name-rewrite themselves.',
    );
  }
  const priority = priorityFor(criticality, priorities);
  if (priority < 0) {
    warnings.push(
      `InferenceModel ${name}: ${criticality} becomes priority ${priority}, which a v1 EPP applies only to requests that carry ` +
      `the header x-gateway-inference-objective: ${name} (without it a request has priority 0 and is never shed).`,
    );
  }
  return {
    name,
    // Stryker disable next-line OptionalChaining: equivalent: metadata.name was checked to be a non-empty string above, so metadata is an object
    namespace: model.metadata?.namespace,
    modelName,
    criticality,
    priority,
    poolName,
    rewriteTargets: rewrite ? describeTargets(rewrite.targets) : undefined,
    warnings,
  };
}

/** The facts of a v1alpha2 InferencePool a GA pool copies. */
export interface AlphaPoolSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly selector: { [key: string]: string };
  readonly targetPort: number;
  readonly failureMode: string;
  readonly endpointPickerServiceName: string;
  readonly endpointPickerPort: number;
}

/** Reads the facts of a v1alpha2 InferencePool. Throws an Error naming the missing field. */
export function readAlphaPool(pool: any): AlphaPoolSpec {
  // Stryker disable next-line OptionalChaining: equivalent: the only caller (alpha-pool-facts) passes a CarriedManifest's object, which has metadata
  const name = pool?.metadata?.name;
  const where = `InferencePool ${name ?? '(unnamed)'}`;
  if (typeof name !== 'string' || name.length === 0) throw new UserError(`${where}: 'metadata.name' is required`);
  const spec = pool.spec ?? {};
  const selector = spec.selector;
  if (!selector || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) {
    throw new UserError(`${where}: 'spec.selector' must be a non-empty map of labels`);
  }
  const targetPort = spec.targetPortNumber;
  if (!Number.isInteger(targetPort)) throw new UserError(`${where}: 'spec.targetPortNumber' must be an integer (got ${JSON.stringify(targetPort)})`);
  const ext = spec.extensionRef ?? {};
  if (typeof ext.name !== 'string') throw new UserError(`${where}: 'spec.extensionRef.name' is required`);
  const failureMode = ext.failureMode ?? 'FailClose';
  if (failureMode !== 'FailOpen' && failureMode !== 'FailClose') {
    throw new UserError(`${where}: 'spec.extensionRef.failureMode' must be FailOpen or FailClose (got ${JSON.stringify(failureMode)})`);
  }
  return {
    name,
    namespace: pool.metadata.namespace,
    selector: Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])),
    targetPort,
    failureMode,
    endpointPickerServiceName: ext.name,
    endpointPickerPort: ext.portNumber ?? 9002,
  };
}

/**
 * The GA pool's name for an alpha pool: a trailing `-alpha` or `-preview` becomes `suffix`, else
 * `suffix` is appended.
 */
export function gaPoolName(alphaName: string, suffix: string = '-ga'): string {
  const stem = alphaName.replace(/-(alpha|preview)$/, '');
  return `${stem}${suffix}`;
}
