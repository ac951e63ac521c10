/**
 * Pure conversion of alpha objects to their GA counterparts: InferenceModel to InferenceObjective, and
 * the facts of a v1alpha2 InferencePool that a GA pool must copy. Plain data in, plain data out; no cdk8s.
 */

import { CriticalityPriorities, InferenceModelConversion } from './types';
import { UserError } from '../core/errors';

const CRITICALITIES = ['Critical', 'Standard', 'Sheddable'];

/** Default criticality to priority mapping: Critical=1, Standard=0, Sheddable=-1. */
export function priorityFor(criticality: string | undefined, priorities: CriticalityPriorities = {}): number {
  switch (criticality ?? 'Standard') {
    case 'Critical': return priorities.critical ?? 1;
    case 'Sheddable': return priorities.sheddable ?? -1;
    default: return priorities.standard ?? 0;
  }
}

/**
 * Converts a v1alpha2 InferenceModel (as parsed from YAML) into the facts of an InferenceObjective.
 * Throws an Error naming the field when the input is not an InferenceModel.
 */
export function convertInferenceModel(model: any, priorities: CriticalityPriorities = {}): InferenceModelConversion {
  const where = `InferenceModel ${model?.metadata?.name ?? '(unnamed)'}`;
  if (!model || typeof model !== 'object' || model.kind !== 'InferenceModel') {
    throw new UserError(`${where}: 'kind' must be InferenceModel (got ${JSON.stringify(model?.kind)})`);
  }
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
  if (spec.modelName !== undefined && spec.modelName !== name) {
    warnings.push(
      `InferenceModel ${name}: modelName ${JSON.stringify(spec.modelName)} has no v1 equivalent: the EPP serves whatever model the request body names; ` +
      'to route by model, match the X-Gateway-Model-Name header (set by body-based routing) in the HTTPRoute.',
    );
  }
  const targets: any[] = Array.isArray(spec.targetModels) ? spec.targetModels : [];
  if (targets.length > 0) {
    const list = targets.map((t) => (t.weight === undefined ? `${t.name}` : `${t.name}=${t.weight}`)).join(', ');
    warnings.push(
      `InferenceModel ${name}: targetModels (${list}) have no equivalent in GIE v1.0.x; ` +
      'split traffic between model names by hand (per-model HTTPRoute rules, or InferenceModelRewrite from GIE v1.2).',
    );
  }
  return {
    name,
    namespace: model.metadata?.namespace,
    criticality,
    priority: priorityFor(criticality, priorities),
    poolName,
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
