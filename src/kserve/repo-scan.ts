/**
 * Finds KServe's objects in the parsed YAML documents of a repository, for `inference-migrate plan-kserve`.
 * Plain data in, plain data out; no cdk8s, no file system. Internal: the CLI imports it by path.
 */
import { parseIngressConfig } from './ingress-config';
import { CONFIG_MAP_NAME, CONTROLLER_DEPLOYMENT, INGRESS_KEY } from './kserve-api';
import { CarriedManifest } from '../core/carried-manifest';
import { UserError } from '../core/errors';
import { listItems } from '../core/manifest-objects';

/** Options of `kserveInputsFromManifests`. */
export interface KServeScanOptions {
  /**
   * KServe's namespace. Objects without a namespace count as being in it.
   * @default - the namespace of the one `inferenceservice-config` ConfigMap found, else 'kserve'
   */
  readonly namespace?: string;
}

/** What the scan found: props for `KServeGatewayApiMigration`. */
export interface KServeScanResult {
  /** KServe's namespace. */
  readonly kserveNamespace: string;
  /** The `inferenceservice-config` ConfigMap, as found. */
  readonly existingConfigMap: CarriedManifest;
  /** The `kserve-controller-manager` Deployment, when found. */
  readonly controllerDeployment?: CarriedManifest;
}

function label(o: any): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

/** The objects of the documents: list documents opened, anything that is not an object dropped. */
function flatten(docs: any[]): any[] {
  return listItems(docs).filter((d) => typeof d === 'object' && !Array.isArray(d));
}

function pick(objects: any[], kind: string, apiVersion: string, name: string, namespace: string | undefined): any[] {
  return objects.filter((o) => o.kind === kind && o.apiVersion === apiVersion && o.metadata?.name === name
    && (namespace === undefined || (o.metadata?.namespace ?? namespace) === namespace));
}

/**
 * Finds the `inferenceservice-config` ConfigMap (and the `kserve-controller-manager` Deployment, when
 * present) among the parsed YAML documents of a repository, and returns them as props of a
 * `KServeGatewayApiMigration`. Throws an Error when the ConfigMap is missing or ambiguous, or when its
 * `data.ingress` is missing or not a JSON object; the message names the object.
 */
export function kserveInputsFromManifests(docs: any[], options: KServeScanOptions = {}): KServeScanResult {
  if (!Array.isArray(docs)) throw new UserError(`plan-kserve: expected a list of parsed YAML documents (got ${typeof docs})`);
  const objects = flatten(docs);
  const configs = pick(objects, 'ConfigMap', 'v1', CONFIG_MAP_NAME, options.namespace);
  if (configs.length === 0) {
    throw new UserError(`plan-kserve: no ConfigMap ${CONFIG_MAP_NAME}${options.namespace ? ` in namespace ${options.namespace}` : ''} found among ${objects.length} objects; ` +
      'point --from at the manifests that install KServe, or use --helm when Helm owns KServe');
  }
  if (configs.length > 1) {
    throw new UserError(`plan-kserve: ${configs.length} ConfigMaps ${CONFIG_MAP_NAME} found (${configs.map(label).join(', ')}); ` +
      'KServe has one: point --from at one installation, or name its namespace');
  }
  const config = configs[0];
  const namespace = options.namespace ?? config.metadata?.namespace ?? 'kserve';
  const where = `ConfigMap ${namespace}/${CONFIG_MAP_NAME}`;
  const ingress = config.data?.[INGRESS_KEY];
  if (ingress === undefined) {
    throw new UserError(`plan-kserve: ${where} has no data.${INGRESS_KEY}: add KServe's ingress JSON to it first`);
  }
  try {
    parseIngressConfig(ingress);
  } catch (e) {
    throw new UserError(`plan-kserve: data.${INGRESS_KEY} of ${where} ${(e as Error).message}`);
  }
  const deployments = pick(objects, 'Deployment', 'apps/v1', CONTROLLER_DEPLOYMENT, namespace);
  if (deployments.length > 1) {
    throw new UserError(`plan-kserve: ${deployments.length} Deployments ${CONTROLLER_DEPLOYMENT} found in namespace ${namespace}; expected at most one`);
  }
  return {
    kserveNamespace: namespace,
    existingConfigMap: CarriedManifest.fromObject(config),
    ...(deployments.length === 1 ? { controllerDeployment: CarriedManifest.fromObject(deployments[0]) } : {}),
  };
}
