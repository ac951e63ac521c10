/**
 * KServe's LLMInferenceServiceConfig and LLMInferenceService (serving.kserve.io) that route to alpha pools: KServe's
 * controller creates an InferencePool and an HTTPRoute per LLMInferenceService from `spec.router.scheduler.pool.spec`
 * and `spec.router.route.http.spec`, filling its own `{{ }}` templates (`ChildName .ObjectMeta.Name`), so the
 * objects are data to change, not templates to render. Up to KServe v0.16.0 the shipped configs use the alpha API
 * (charts/llmisvc-resources/templates/config-llm-scheduler.yaml and config-llm-router-route.yaml@v0.16.0:
 * `extensionRef`, `targetPortNumber`, backendRefs group `inference.networking.x-k8s.io`); from v0.17.0 the v1 API
 * (config/llmisvcconfig/config-llm-scheduler.yaml and config-llm-router-route.yaml@v0.17.0: `endpointPickerRef` with
 * `port.number: 9002`, `targetPorts`, `selector.matchLabels`, group `inference.networking.k8s.io`). Pure.
 */
import { alphaReferences } from './alpha-references';
import { EPP_GRPC_PORT, GA_POOL_GROUP } from '../inference/api';

const KSERVE_GROUP = 'serving.kserve.io';
const KINDS = ['LLMInferenceServiceConfig', 'LLMInferenceService'];

/** The first KServe release whose shipped LLMInferenceServiceConfigs use the v1 InferencePool API. */
export const FIRST_KSERVE_V1_POOL = 'v0.17.0';

/** True for an LLMInferenceServiceConfig or LLMInferenceService of KServe. */
export function isKserveLlmObject(obj: any): boolean {
  return typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith(`${KSERVE_GROUP}/`) && KINDS.includes(obj.kind);
}

/** The fields to change in a KServe LLM object for the v1 pool, for people; empty when it uses no alpha form. */
export function kserveLlmChanges(obj: any, namespace: string): string[] {
  const changes = alphaReferences(obj, namespace).map((r) => `${r.field}.group: ${GA_POOL_GROUP}`);
  const pool = obj?.spec?.router?.scheduler?.pool?.spec;
  if (pool !== null && typeof pool === 'object' && !Array.isArray(pool)) {
    const at = 'spec.router.scheduler.pool.spec';
    if (pool.extensionRef !== undefined) changes.push(`${at}.extensionRef -> endpointPickerRef, with port.number ${pool.extensionRef?.portNumber ?? EPP_GRPC_PORT}`);
    if (pool.targetPortNumber !== undefined) changes.push(`${at}.targetPortNumber ${pool.targetPortNumber} -> targetPorts: [{number: ${pool.targetPortNumber}}]`);
    const selector = pool.selector;
    if (selector !== null && typeof selector === 'object' && !Array.isArray(selector) && selector.matchLabels === undefined && pool.extensionRef !== undefined) {
      changes.push(`${at}.selector -> selector.matchLabels`);
    }
  }
  return changes;
}

/** What scan says of a KServe LLM object that uses the alpha pool API, or undefined when it does not. */
export function kserveLlmFinding(obj: any, namespace: string): { becomes: string; note: string; command: string } | undefined {
  const changes = kserveLlmChanges(obj, namespace);
  if (changes.length === 0) return undefined;
  return {
    becomes: `the same ${obj.kind} in the v1 form of KServe ${FIRST_KSERVE_V1_POOL}: ${changes.join('; ')}`,
    note: 'KServe\'s controller creates the InferencePool and HTTPRoute of each LLMInferenceService from this object (its {{ }} are KServe\'s own templates, filled by the controller: nothing to render); ' +
      `inference-migrate plan does not migrate it. KServe ${FIRST_KSERVE_V1_POOL} and later ship these configs in the v1 form: upgrade KServe, and change your own configs as listed`,
    command: `upgrade KServe to ${FIRST_KSERVE_V1_POOL} or later, and change the fields listed (not planned by inference-migrate)`,
  };
}
