/**
 * KServe's own objects as the migration carries them: the `inferenceservice-config` ConfigMap and the
 * `kserve-controller-manager` Deployment, read from the user's repository and written back whole.
 * Internal.
 */
import { IConstruct } from 'constructs';
import { parseIngressConfig, restartedAtValue } from './ingress-config';
import { CONFIG_MAP_NAME, INGRESS_KEY, RESTARTED_AT } from './kserve-api';
import { CarriedManifest } from '../core/carried-manifest';
import { propError, show } from '../core/errors';
import { setOwn } from '../core/json';
import { sameJson } from '../core/manifest-objects';
import { SYNC_WAVE } from '../migration/manifests';

/** The ConfigMap the migration starts from. */
export interface StartingConfig {
  /** Which prop it came from. */
  readonly prop: 'existingConfigMap' | 'ingressConfig';
  /** The ConfigMap before the migration (normalized; only `data.ingress` with `ingressConfig`). */
  readonly object: any;
  /** Its `data.ingress`. */
  readonly ingress: string;
}

/**
 * A deep copy without `null` and `undefined` values, as cdk8s renders objects: what is carried compares
 * equal to what is written, so unchanged objects stay unchanged.
 */
export function normalizeManifest(value: any): any {
  if (Array.isArray(value)) return value.map(normalizeManifest);
  if (value !== null && typeof value === 'object') {
    const out: any = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null && v !== undefined) setOwn(out, k, normalizeManifest(v));
    }
    return out;
  }
  return value;
}

function describeObject(obj: any): string {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return show(obj);
  const ns = obj.metadata?.namespace;
  return `${obj.apiVersion ?? '<no apiVersion>'} ${obj.kind ?? '<no kind>'} ${ns ? `${ns}/` : ''}${obj.metadata?.name ?? '<no name>'}`;
}

/**
 * Checks the starting ConfigMap (given whole, or as its ingress JSON) and returns it normalized, in
 * `namespace` (set when the manifest carries none). Throws naming the construct and the prop.
 */
export function resolveExistingConfigMap(scope: IConstruct, given: CarriedManifest | undefined, ingressConfig: string | undefined,
  namespace: string): StartingConfig {
  if (given === undefined) {
    try {
      parseIngressConfig(ingressConfig);
    } catch (e) {
      throw propError(scope, 'ingressConfig', (e as Error).message);
    }
    return {
      prop: 'ingressConfig',
      ingress: ingressConfig!,
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONFIG_MAP_NAME, namespace }, data: { [INGRESS_KEY]: ingressConfig } },
    };
  }
  const prop = 'existingConfigMap';
  const existing = carriedObject(scope, prop, given);
  if (existing.apiVersion !== 'v1' || existing.kind !== 'ConfigMap'
    || existing.metadata?.name !== CONFIG_MAP_NAME) {
    throw propError(scope, prop, `must be the v1 ConfigMap ${CONFIG_MAP_NAME} (a CarriedManifest) (got ${describeObject(existing)})`);
  }
  const ns = existing.metadata.namespace ?? namespace;
  if (ns !== namespace) {
    throw propError(scope, prop, `is in namespace ${show(ns)}, but 'kserveNamespace' is ${show(namespace)}: KServe reads ${CONFIG_MAP_NAME} from its own namespace; set 'kserveNamespace' to match`);
  }
  if (existing.immutable === true) {
    throw propError(scope, prop, 'is immutable (immutable: true): its ingress config cannot be changed in place; make it mutable first');
  }
  const ingress = existing.data?.[INGRESS_KEY];
  if (ingress === undefined) {
    throw propError(scope, prop, `has no data.${INGRESS_KEY}: add KServe's ingress JSON to ConfigMap ${ns}/${CONFIG_MAP_NAME} first (the migration changes two keys in it and keeps the rest)`);
  }
  try {
    parseIngressConfig(ingress);
  } catch (e) {
    throw propError(scope, prop, `data.${INGRESS_KEY} of ConfigMap ${ns}/${CONFIG_MAP_NAME} ${(e as Error).message}`);
  }
  const object = normalizeManifest(existing);
  object.metadata.namespace = ns;
  return { prop, ingress, object };
}

/** Checks the controller Deployment and returns it normalized, in `namespace`. */
export function resolveControllerDeployment(scope: IConstruct, given: CarriedManifest, namespace: string): any {
  const prop = 'controllerDeployment';
  const deployment = carriedObject(scope, prop, given);
  if (deployment.apiVersion !== 'apps/v1' || deployment.kind !== 'Deployment') {
    throw propError(scope, prop, `must be an apps/v1 Deployment (KServe's kserve-controller-manager) (a CarriedManifest) (got ${describeObject(deployment)})`);
  }
  const ns = deployment.metadata.namespace ?? namespace;
  if (ns !== namespace) {
    throw propError(scope, prop, `is in namespace ${show(ns)}, but 'kserveNamespace' is ${show(namespace)}: the controller runs in KServe's namespace; set 'kserveNamespace' to match`);
  }
  const template = deployment.spec?.template;
  if (template === null || typeof template !== 'object' || Array.isArray(template)) {
    throw propError(scope, prop, 'has no spec.template: the restart annotation goes on the pod template, so the Deployment must be given whole');
  }
  const object = normalizeManifest(deployment);
  object.metadata.namespace = ns;
  return object;
}

/** The controller Deployment with its restart annotation. */
export interface RestartedController {
  readonly object: any;
  readonly restartedAt: string;
  readonly waveWarning?: string;
}

/**
 * The Deployment with the restart annotation on its pod template. A sync wave of its own that does not
 * come after the ConfigMap's (`configWave`) is reported: the writer gives it no other.
 */
export function controllerWithRestart(deployment: any, ingressText: string, configWave: number): RestartedController {
  const restartedAt = restartedAtValue(ingressText);
  const object = JSON.parse(JSON.stringify(deployment));
  const template = object.spec.template;
  template.metadata = { ...(template.metadata ?? {}), annotations: { ...(template.metadata?.annotations ?? {}), [RESTARTED_AT]: restartedAt } };
  const own = object.metadata.annotations?.[SYNC_WAVE];
  let waveWarning: string | undefined;
  if (own !== undefined && Number(own) <= configWave) {
    waveWarning = `The Deployment ${object.metadata.namespace}/${object.metadata.name} carries sync wave ${own}, which does not come after the ConfigMap's (${configWave}): Argo CD may restart the controller before its config changed; restart it by hand after the sync.`;
  }
  return { object, restartedAt, waveWarning };
}

/** The sync wave an object carries, if any. */
export function ownSyncWave(obj: any): number | undefined {
  const own = obj.metadata?.annotations?.[SYNC_WAVE];
  return own === undefined ? undefined : Number(own);
}

/**
 * A KServe object as carried: the given manifest itself (its YAML text kept) when `object` is what it
 * holds, else a manifest of `object`.
 */
export function asCarried(given: CarriedManifest | undefined, object: any): CarriedManifest {
  return given !== undefined && sameJson(given._object, object) ? given : CarriedManifest.fromObject(object);
}

function carriedObject(scope: IConstruct, prop: string, given: CarriedManifest): any {
  if (!(given instanceof CarriedManifest)) {
    throw propError(scope, prop, `must be a CarriedManifest (CarriedManifest.fromYaml or fromObject) (got ${show(given)})`);
  }
  return given._object;
}
