/**
 * Reading an alpha pool's props into facts: shared by InferencePoolAlpha and the migrations, which need
 * the facts before any stage exists. Internal: not exported from the package entry point.
 */
import { ALPHA_API_VERSION, DEFAULT_TARGET_PORT } from './api';
import type { InferencePoolAlphaProps } from './inference-pool-alpha';
import { FailureMode } from './types';
import { upstreamEppRelease } from '../convert/gie-versions';
import { readAlphaPool } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { checkInteger, checkOneOf, propError, show } from '../core/errors';
import { desiredState, sameJson } from '../core/manifest-objects';
import { checkLabelName, checkLabels, checkSubdomain, endpointPickerName } from '../core/names';

/** What an alpha pool is, read from its props: shared by the construct and the migrations. */
export interface ResolvedAlphaPool {
  readonly external: boolean;
  /** The carried objects as desired state (without status and server-filled metadata). */
  readonly manifests: CarriedManifest[];
  readonly poolName: string;
  readonly poolNamespace: string;
  readonly modelServerSelector: { [key: string]: string };
  readonly targetPort: number;
  readonly failureMode: FailureMode;
  readonly endpointPickerServiceName: string;
  readonly helmRelease?: string;
  readonly inferenceModelNames: string[];
  /** The carried InferenceModels (empty for a referenced pool). */
  readonly inferenceModels: any[];
  /**
   * The GIE release of the carried alpha EPP, read from its upstream image tag (`epp:v0.3.0`).
   * @default - unknown: a referenced pool, or an EPP image that is not upstream's at a release tag
   */
  readonly endpointPickerRelease?: string;
  /**
   * The image the carried alpha EPP runs (its Deployment found through the EPP Service's selector).
   * @default - not in the input (a referenced pool, or no EPP Deployment carried)
   */
  readonly endpointPickerImage?: string;
}

/**
 * Reads and checks the props of an alpha pool. Errors name `where` (a construct path) and the prop.
 */
export function resolveAlphaPool(where: string, props: InferencePoolAlphaProps, defaultNamespace: string): ResolvedAlphaPool {
  if ((props.manifests === undefined) === (props.existing === undefined)) {
    throw propError(where, 'manifests', 'or \'existing\' must be set, not both and not neither');
  }
  if (props.existing) {
    const e = props.existing;
    checkSubdomain(where, 'existing.name', e.name);
    const poolNamespace = e.namespace ?? defaultNamespace;
    checkLabelName(where, 'existing.namespace', poolNamespace);
    checkLabels(where, 'existing.modelServerSelector', e.modelServerSelector, 1, 64);
    const targetPort = e.targetPort ?? DEFAULT_TARGET_PORT;
    checkInteger(where, 'existing.targetPort', targetPort, 1, 65535);
    const failureMode = e.failureMode ?? FailureMode.FAIL_CLOSE;
    checkOneOf(where, 'existing.failureMode', failureMode, Object.values(FailureMode));
    return {
      external: true,
      manifests: [],
      poolName: e.name,
      poolNamespace,
      modelServerSelector: { ...e.modelServerSelector },
      targetPort,
      failureMode,
      endpointPickerServiceName: e.endpointPickerServiceName ?? endpointPickerName(e.name),
      helmRelease: e.helmRelease ?? e.name,
      inferenceModelNames: [...(e.inferenceModelNames ?? [])],
      inferenceModels: [],
    };
  }

  const given = props.manifests!;
  if (!Array.isArray(given)) {
    throw propError(where, 'manifests', `must be a list of CarriedManifests (got ${show(given)})`);
  }
  given.forEach((m, i) => {
    if (!(m instanceof CarriedManifest)) {
      throw propError(where, `manifests[${i}]`, `must be a CarriedManifest (CarriedManifest.fromYaml or fromObject) (got ${show(m)})`);
    }
  });
  const carried = given.map(asDesiredState);
  const manifests = carried.map((m) => m._object);
  const pools = manifests.filter((o) => o.apiVersion === ALPHA_API_VERSION && o.kind === 'InferencePool');
  if (pools.length !== 1) {
    throw propError(where, 'manifests', `must hold exactly one ${ALPHA_API_VERSION} InferencePool (got ${pools.length})`);
  }
  let pool;
  try {
    pool = readAlphaPool(pools[0]);
  } catch (err) {
    throw propError(where, 'manifests', `has an alpha pool that cannot be read: ${(err as Error).message}`);
  }
  const models = manifests.filter((o) => o.kind === 'InferenceModel');
  for (const model of models) {
    const target = model.spec?.poolRef?.name;
    if (target !== pool.name) {
      throw propError(where, 'manifests', `holds InferenceModel ${model.metadata.name}, which points at pool ${show(target)}, not ${show(pool.name)}`);
    }
  }
  const seen = new Set<string>();
  for (const obj of manifests) {
    const key = `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
    if (seen.has(key)) throw propError(where, 'manifests', `holds ${obj.kind} ${obj.metadata.name} twice`);
    seen.add(key);
  }
  return {
    external: false,
    manifests: carried,
    poolName: pool.name,
    poolNamespace: pool.namespace ?? defaultNamespace,
    modelServerSelector: pool.selector,
    targetPort: pool.targetPort,
    failureMode: pool.failureMode === 'FailOpen' ? FailureMode.FAIL_OPEN : FailureMode.FAIL_CLOSE,
    endpointPickerServiceName: pool.endpointPickerServiceName,
    helmRelease: undefined,
    inferenceModelNames: models.map((m) => m.metadata.name),
    inferenceModels: models,
    ...endpointPickerImageFacts(manifests, pool.endpointPickerServiceName),
  };
}

/**
 * The image of the alpha EPP among the carried objects and the upstream release it runs: the container of the
 * Deployment whose pods the EPP Service selects (named `epp`, else its first); without such a Service or
 * Deployment, the first container running upstream's EPP image.
 */
function endpointPickerImageFacts(manifests: any[], serviceName: string): Pick<ResolvedAlphaPool, 'endpointPickerRelease' | 'endpointPickerImage'> {
  const image = eppImageBehindService(manifests, serviceName)
    ?? deploymentContainers(manifests).map((c) => c.image).find((i) => upstreamEppRelease(i) !== undefined);
  if (image === undefined) return {};
  const release = upstreamEppRelease(image);
  return { endpointPickerImage: image, ...(release !== undefined ? { endpointPickerRelease: release } : {}) };
}

function eppImageBehindService(manifests: any[], serviceName: string): string | undefined {
  const service = manifests.find((o) => o.kind === 'Service' && o.metadata?.name === serviceName);
  const selector = service?.spec?.selector;
  if (selector === null || typeof selector !== 'object' || Object.keys(selector).length === 0) return undefined;
  const deployment = manifests.find((o) => o.kind === 'Deployment'
    && Object.entries(selector).every(([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v));
  const containers: any[] = Array.isArray(deployment?.spec?.template?.spec?.containers) ? deployment.spec.template.spec.containers : [];
  const container = containers.find((c) => c?.name === 'epp') ?? containers[0];
  return typeof container?.image === 'string' ? container.image : undefined;
}

function deploymentContainers(manifests: any[]): Array<{ image: string }> {
  return manifests.filter((o) => o.kind === 'Deployment')
    .flatMap((o) => (Array.isArray(o.spec?.template?.spec?.containers) ? o.spec.template.spec.containers : []))
    .filter((c: any) => typeof c?.image === 'string');
}

/** The manifest as desired state: the same manifest (text kept) when it has no status or server-filled metadata. */
function asDesiredState(m: CarriedManifest): CarriedManifest {
  const desired = desiredState(m._object);
  return sameJson(desired, m._object) ? m : CarriedManifest.fromObject(desired);
}
