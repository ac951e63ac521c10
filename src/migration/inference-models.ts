/**
 * What the alpha InferenceModels did at run time and how the GA stack keeps it: model rewrites (InferenceModel
 * `targetModels`) as InferenceModelRewrites where the target's EPP applies them, priorities that need the client's
 * objective header, and the per-model table. Internal; pure functions of the resolved props.
 *
 * Upstream facts (GIE source at the tags): alpha EPPs read the body's `model`, applied the InferenceModel's
 * criticality (only Critical bypassed the saturation check: pkg/epp/requestcontrol/director.go@v0.5.1) and rewrote
 * the model to one of its `targetModels`. v1 EPPs take the objective only from `x-gateway-inference-objective`
 * (pkg/epp/metadata/consts.go@v1.0.2), shed only negative priorities (admission.go@v1.4.0), and rewrite the model
 * only through `x-gateway-model-name-rewrite` or, from v1.3.0, an InferenceModelRewrite (director.go@v1.3.0,
 * applyWeightedModelRewrite).
 */
import { MigrationLoss } from './migration-loss';
import { ManualStep, ManualStepTiming } from './migration-stage';
import { ModelMapping } from './model-mapping';
import { gieAppliesModelRewrites, gieAtLeast, FIRST_REWRITE_GIE } from '../convert/gie-versions';
import { convertInferenceModel, describeTargets, modelRewriteOf, ModelTargetFacts } from '../convert/inference-model';
import { CriticalityPriorities } from '../convert/types';
import { propError, show } from '../core/errors';
import { EPP_IMAGE } from '../inference/api';
import { EndpointPickerOptions } from '../inference/endpoint-picker';

/** The header that selects an InferenceObjective (pkg/epp/metadata/consts.go). */
export const OBJECTIVE_HEADER = 'x-gateway-inference-objective';
/** The header that rewrites the model name (pkg/epp/metadata/consts.go, v1.0.0+). */
export const REWRITE_HEADER = 'x-gateway-model-name-rewrite';

/** A rewrite the GA stack renders: an InferenceModelRewrite named after its InferenceModel. */
export interface PlannedRewrite {
  readonly name: string;
  readonly model: string;
  readonly targets: ModelTargetFacts[];
}

/** What the migration does about its models. */
export interface ModelPlan {
  readonly rewrites: PlannedRewrite[];
  readonly mappings: ModelMapping[];
  /** Warnings for the plan and the command line. */
  readonly warnings: string[];
  /** Manual steps of the first GA stage. */
  readonly steps: ManualStep[];
}

/** The inputs: the resolved objectives and what the props say. */
export interface ModelPlanInput {
  readonly where: string;
  readonly gieVersion: string;
  readonly inferenceModels: any[];
  readonly objectives: ReadonlyArray<{ readonly name: string; readonly priority?: number }>;
  readonly priorities?: CriticalityPriorities;
  readonly acceptLoss: readonly MigrationLoss[];
  readonly strict: boolean;
  readonly endpointPickerReadsModelRewrites?: boolean;
  readonly endpointPicker?: EndpointPickerOptions;
  readonly existingEndpointPicker: boolean;
  /** The GIE release of the alpha EPP, when known (upstream's image at a release tag, carried in the input). */
  readonly alphaEndpointPickerRelease?: string;
  /** The image the carried alpha EPP runs, whatever it is; undefined when the input holds no EPP Deployment. */
  readonly alphaEndpointPickerImage?: string;
}

/**
 * The first release whose EPP serves a model no InferenceModel names (as Sheddable): earlier EPPs answer 404
 * (BadConfiguration: pkg/epp/handlers/request.go@v0.2.0 and @v0.3.0, pkg/epp/requestcontrol/director.go@v0.4.0
 * "error finding a model object in InferenceModel", mapped by pkg/epp/handlers/server.go; the replay through the
 * real v0.3.0 EPP shows the 404, test/replay). From v0.5.0 the director defaults it to Sheddable
 * (pkg/epp/requestcontrol/director.go@v0.5.0 and @v0.5.1, `sheddable := v1alpha2.Sheddable`).
 */
const FIRST_GIE_SERVING_UNNAMED_MODELS = 'v0.5.0';

/** The first release whose EPP reads no InferenceModel at all (v1.0.0 replaced the kind by InferenceObjective). */
const FIRST_V1_EPP = 'v1.0.0';

/**
 * Whether the GA pool's EPP is upstream's image of the target release (which the target version proves applies
 * InferenceModelRewrites from v1.3.0), rather than a custom or existing one.
 */
function upstreamEpp(input: ModelPlanInput): boolean {
  if (input.existingEndpointPicker) return false;
  const epp = input.endpointPicker ?? {};
  if (epp.image !== undefined && epp.image !== EPP_IMAGE) return false;
  if (epp.imageTag !== undefined && !/^v\d+\.\d+\.\d+$/.test(epp.imageTag)) return false;
  return epp.imageTag === undefined || gieAtLeast(epp.imageTag, FIRST_REWRITE_GIE);
}

/** Plans the rewrites, the per-model table, and the warnings and steps about headers. Throws a prop error when a rewrite would be lost unaccepted, or `strict` forbids a header. */
export function planModels(input: ModelPlanInput): ModelPlan {
  const { where, gieVersion } = input;
  const warnings: string[] = [];
  const steps: ManualStep[] = [];
  const rewrites: PlannedRewrite[] = [];
  const mappings: ModelMapping[] = [];
  const priorityOf = new Map(input.objectives.map((o) => [o.name, o.priority ?? 0]));

  const upstream = upstreamEpp(input);
  const targetRewrites = gieAppliesModelRewrites(gieVersion);
  if (input.endpointPickerReadsModelRewrites === true && !targetRewrites) {
    throw propError(where, 'endpointPickerReadsModelRewrites', `needs a target of ${FIRST_REWRITE_GIE} or later: the InferenceModelRewrite CRD of GIE ${gieVersion} ${gieAtLeast(gieVersion, 'v1.2.0') ? 'names its list `split`, which no EPP reads' : 'does not exist'} (got gieVersion ${show(gieVersion)})`);
  }
  const eppReads = targetRewrites && (input.endpointPickerReadsModelRewrites ?? upstream);
  const acceptRewriteLoss = input.acceptLoss.includes(MigrationLoss.MODEL_REWRITE);

  const lost: Array<{ name: string; model: string; targets: string }> = [];
  const headers: Array<{ model: string; objective: string; priority: number; criticality?: string }> = [];
  for (const im of input.inferenceModels) {
    const conversion = convertInferenceModel(im, input.priorities);
    const rewrite = modelRewriteOf(im);
    const rawTargets: any[] = Array.isArray(im.spec?.targetModels) ? im.spec.targetModels : [];
    const alphaTargets = rawTargets.length > 0 ? rawTargets.map((t) => (t.weight === undefined ? `${t.name}` : `${t.name}=${t.weight}`)).join(', ') : undefined;
    const objective = priorityOf.has(conversion.name) ? conversion.name : undefined;
    const priority = objective !== undefined ? priorityOf.get(objective)! : 0;
    const clientSends: string[] = [];
    const kept: string[] = [];
    const notKept: string[] = [];
    let rewriteName: string | undefined;
    if (objective !== undefined && priority < 0) {
      clientSends.push(`${OBJECTIVE_HEADER}: ${objective}`);
      headers.push({ model: conversion.modelName, objective, priority, criticality: conversion.criticality });
      kept.push(`${conversion.criticality} requests are shed under saturation (priority ${priority}) when they carry the header`);
      notKept.push('requests without the header get priority 0 and are never shed');
    } else if (objective !== undefined) {
      kept.push(`never shed (priority ${priority}${conversion.criticality === 'Critical' ? ', Critical' : ''}), with or without the header`);
    } else {
      kept.push('served');
      notKept.push(`no objective: priority 0, never shed (alpha applied ${conversion.criticality})`);
    }
    if (rewrite) {
      const targets = describeTargets(rewrite.targets);
      if (eppReads) {
        rewriteName = conversion.name;
        rewrites.push({ name: conversion.name, model: rewrite.model, targets: rewrite.targets });
        kept.push(`the rewrite to ${targets} (InferenceModelRewrite)`);
      } else {
        lost.push({ name: conversion.name, model: rewrite.model, targets });
        const sends = rewrite.targets.length === 1 ? rewrite.targets[0].model : `one of ${rewrite.targets.map((t) => t.model).join(', ')} (by the weights ${targets})`;
        clientSends.push(`${REWRITE_HEADER}: ${sends}`);
        notKept.push(`the rewrite to ${targets}: requests reach the model servers as ${rewrite.model} unless they carry the header`);
      }
    }
    mappings.push({
      modelName: conversion.modelName,
      inferenceModel: conversion.name,
      alphaCriticality: conversion.criticality,
      alphaTargets,
      objective,
      priority,
      rewrite: rewriteName,
      clientSends: clientSends.length > 0 ? clientSends.join('; ') : 'nothing',
      kept: kept.join('; '),
      notKept: notKept.length > 0 ? notKept.join('; ') : 'nothing',
    });
  }

  // Objectives no InferenceModel stands for (given explicitly): their clients need the header too when negative.
  const modelNames = new Set(input.inferenceModels.map((m) => m?.metadata?.name));
  for (const o of input.objectives) {
    if (modelNames.has(o.name)) continue;
    const priority = o.priority ?? 0;
    if (priority < 0) headers.push({ model: `(the models whose requests should get objective ${o.name})`, objective: o.name, priority });
    if (input.inferenceModels.length > 0 || priority < 0) {
      mappings.push({
        modelName: '*',
        alphaCriticality: '–',
        objective: o.name,
        priority,
        clientSends: priority < 0 ? `${OBJECTIVE_HEADER}: ${o.name}` : 'nothing',
        kept: priority < 0 ? `priority ${priority} (shed under saturation) for requests that carry the header` : `priority ${priority} for requests that carry the header`,
        notKept: priority < 0 ? 'requests without the header get priority 0 and are never shed' : 'nothing',
      });
    }
  }
  // Also without any InferenceModel when the alpha EPP is known (its image), or when the migration creates objectives
  // (a Helm-installed alpha stack, as in upstream's guide): a v0.5+ EPP shed every request of such a pool as
  // Sheddable, which no v1 EPP does without an objective header (the replay through the real v0.5.1 EPP shows it,
  // also for the built-in examples' alpha stack rendered from the v0.5.1 chart).
  const alphaEppKnown = input.alphaEndpointPickerImage !== undefined || input.alphaEndpointPickerRelease !== undefined;
  if (mappings.length > 0 || alphaEppKnown || input.objectives.length > 0) {
    mappings.push(otherModelsRow(input.alphaEndpointPickerRelease, input.alphaEndpointPickerImage));
  }

  if (lost.length > 0 && !acceptRewriteLoss) {
    const list = lost.map((l) => `InferenceModel ${l.name} (${l.model} -> ${l.targets})`).join(', ');
    const why = !targetRewrites
      ? `the Endpoint Picker of GIE ${gieVersion} applies no InferenceModelRewrite (EPPs do from ${FIRST_REWRITE_GIE})`
      : 'the GA pool\'s Endpoint Picker is not upstream\'s image of this release, so nothing shows it applies InferenceModelRewrites';
    const fix = !targetRewrites
      ? 'target v1.3.1 or v1.4.0 (gieVersion, --target-gie)'
      : 'set endpointPickerReadsModelRewrites: true if your image applies them';
    throw propError(where, targetRewrites ? 'endpointPickerReadsModelRewrites' : 'gieVersion',
      `cannot keep the model rewrites of ${list}: ${why}, so requests would reach the model servers under the name they were sent with. ` +
      `Either ${fix}, or have the clients of those models send the header ${REWRITE_HEADER}: <target> and accept the loss ` +
      `(acceptLoss: [MigrationLoss.MODEL_REWRITE], --accept-loss ${MigrationLoss.MODEL_REWRITE})`);
  }
  for (const l of lost) {
    warnings.push(`Model ${l.model} (InferenceModel ${l.name}) loses its rewrite to ${l.targets} on the GA pool (accepted): its clients must send ${REWRITE_HEADER}: <target>, or requests reach the model servers as ${l.model}.`);
  }
  if (headers.length > 0) {
    const list = headers.map((h) => `${h.model}: ${OBJECTIVE_HEADER}: ${h.objective} (priority ${h.priority}${h.criticality ? `, was ${h.criticality}` : ''})`);
    if (input.strict) {
      throw propError(where, 'strict',
        `forbids a plan whose clients must change, and these models keep their shedding only when their clients send a header (a v1 Endpoint Picker takes the objective only from ${OBJECTIVE_HEADER}; no route filter can set it for the EPP): ${list.join('; ')}. ` +
        'Make the clients send it and plan without strict, or give these objectives priorities of 0 or more (criticalityPriorities) and accept that they are never shed');
    }
    for (const h of headers) {
      warnings.push(`Clients of model ${h.model} must send the header ${OBJECTIVE_HEADER}: ${h.objective} with each request (priority ${h.priority}${h.criticality ? `, was ${h.criticality}` : ''}): without it a v1 Endpoint Picker gives the request priority 0 and never sheds it.`);
    }
    steps.push({
      text: 'Make the clients of these models send the objective header with every request, before traffic reaches the GA pool. ' +
        'A v1 Endpoint Picker takes the objective (and so the priority) only from this request header; without it a request has priority 0 and is never shed under saturation, ' +
        'where alpha shed it. An HTTPRoute filter cannot set it: on Envoy-based gateways route header changes apply after the Endpoint Picker is called. ' +
        'The header is ignored on the alpha path, so clients can start sending it now:\n' +
        list.map((l) => `- ${l}`).join('\n'),
      timing: ManualStepTiming.BEFORE_SYNC,
    });
  }
  if (lost.length > 0) {
    steps.push({
      text: `These model rewrites are not applied on the GA pool (accepted): make their clients send the header ${REWRITE_HEADER} with the target model, or requests reach the model servers under the name they were sent with:\n` +
        lost.map((l) => `- ${l.model} (InferenceModel ${l.name}): ${REWRITE_HEADER}: ${l.targets}`).join('\n'),
      timing: ManualStepTiming.BEFORE_SYNC,
    });
  }
  return { rewrites, mappings, warnings, steps };
}

/**
 * The row of the models no InferenceModel names, by the alpha EPP's release: refused before v0.5.0, Sheddable in
 * v0.5.x, priority 0 from v1.0.0 (a v1 EPP serving the alpha pool); unknown when the image is not upstream's at a
 * release tag (a custom image, a digest alone, `latest`) or not in the input.
 */
function otherModelsRow(alphaRelease: string | undefined, alphaImage: string | undefined): ModelMapping {
  const row = { modelName: '*', priority: 0, clientSends: 'nothing' };
  if (alphaRelease === undefined) {
    const image = alphaImage === undefined ? 'the alpha EPP\'s image is not in the input' : `the alpha EPP runs ${alphaImage}, not upstream's EPP at a release tag`;
    return {
      ...row,
      alphaCriticality: `unknown (${image}: upstream's EPPs before ${FIRST_GIE_SERVING_UNNAMED_MODELS} refused these with 404, ${FIRST_GIE_SERVING_UNNAMED_MODELS} and later served them as Sheddable)`,
      kept: 'served: priority 0, never shed',
      notKept: 'whatever the alpha EPP did with them (a v0.5 EPP shed them under saturation; without an objective header v1 gives them priority 0 and never sheds them): check it before traffic moves',
    };
  }
  if (!gieAtLeast(alphaRelease, FIRST_GIE_SERVING_UNNAMED_MODELS)) {
    return {
      ...row,
      alphaCriticality: `refused (404: the alpha EPP, GIE ${alphaRelease}, serves only the models an InferenceModel names)`,
      kept: 'nothing to keep: the alpha EPP refused these',
      notKept: `the refusal: the GA pool serves them with priority 0 (never shed), where the ${alphaRelease} EPP answered 404`,
    };
  }
  if (gieAtLeast(alphaRelease, FIRST_V1_EPP)) {
    return { ...row, alphaCriticality: `priority 0 (the alpha EPP, GIE ${alphaRelease}, reads objectives from the header only)`, kept: 'served as before', notKept: 'nothing' };
  }
  return {
    ...row,
    alphaCriticality: `Sheddable (a model no InferenceModel names, GIE ${alphaRelease})`,
    kept: 'served as before',
    notKept: 'alpha shed these under saturation; without an objective header v1 gives them priority 0 and never sheds them',
  };
}
