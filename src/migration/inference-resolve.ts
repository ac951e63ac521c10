/**
 * The props of the zero-downtime and the simple migration of an InferencePool, read once into one resolved
 * description: names, namespaces, the alpha and GA pools, objectives, routes and versions. Internal.
 */
import { IConstruct } from 'constructs';
import { ALPHA_GIE, installCrdSteps } from './crd-sources';
import { InferenceMigrationProps, ObjectiveOptions } from './inference-migration-props';
import { ModelPlan, planModels } from './inference-models';
import { sortedJson } from './manifests';
import { MigrationLoss } from './migration-loss';
import { MigrationRoute } from './migration-route';
import { ManualStep } from './migration-stage';
import { DEFAULT_GIE_TARGET, resolveBridgeGie } from '../convert/gie-versions';
import { convertInferenceModel, gaPoolName } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { propError, show } from '../core/errors';
import { checkLabelName, checkSubdomain, endpointPickerName } from '../core/names';
import { DEFAULT_NAMESPACE, placeNamespace } from '../core/namespace';
import { ResolvedAlphaPool, resolveAlphaPool } from '../inference/alpha-pool-facts';
import { chartDefaultFailureMode } from '../inference/epp-chart';
import { GcpBackendPolicyDefault, HealthCheckPolicyDefault } from '../inference/gke-policy-types';
import { InferencePoolGaProps } from '../inference/inference-pool-ga';
import { InferenceProvider } from '../inference/types';

/** A route with its namespace resolved. */
export type ResolvedRoute = MigrationRoute & { readonly namespace: string };

/** A request header: name and value. */
export interface Header {
  readonly name: string;
  readonly value: string;
}

/** Everything a stage builder needs, resolved once from the props. */
export interface ResolvedInferenceMigration {
  readonly name: string;
  readonly namespace: string;
  readonly alphaProps: InferenceMigrationProps['alphaPool'];
  readonly alpha: ResolvedAlphaPool;
  readonly gaProps: InferencePoolGaProps & { name: string; namespace: string };
  readonly gaEppName?: string;
  readonly provider: InferenceProvider;
  readonly gkeTwin?: { healthCheckDefault?: HealthCheckPolicyDefault; backendPolicyDefault?: GcpBackendPolicyDefault };
  readonly objectives: ObjectiveOptions[];
  readonly routes: ResolvedRoute[];
  /** Routes of other kinds to the alpha pool, carried, each with its namespace. */
  readonly otherRoutes: CarriedManifest[];
  /** The Gateways the routes attach to, as given (read for the READMEs' requests), each with its namespace. */
  readonly gateways: CarriedManifest[];
  readonly gatewayClassName?: string;
  readonly gieVersion: string;
  readonly gkeVersion?: string;
  readonly alphaCrdVersion: string;
  readonly warnings: string[];
  /** Manual steps from conversions (headers clients must send, rewrites accepted as lost), for the first GA stage. */
  readonly conversionSteps: ManualStep[];
  /** The model rewrites, the per-model table. */
  readonly models: ModelPlan;
  /** The CRD bundles every stage is validated against: the target's GIE CRDs, the alpha InferenceModel's, Gateway API's. */
  readonly validationBundles: string[];
}

const GKE_POLICY_KINDS = ['HealthCheckPolicy', 'GCPBackendPolicy'];

/**
 * Reads and checks the shared props of `scope` (the migration); errors name its path and the prop. The
 * namespace follows the one rule (`placeNamespace`): `namespace`, else the enclosing chart's, else the alpha
 * pool's, else `default`; two of them that differ are an error naming both.
 */
export function resolveInferenceMigration(scope: IConstruct, props: InferenceMigrationProps): ResolvedInferenceMigration {
  const where = scope.node.path;
  const name = props.name ?? scope.node.id;
  checkLabelName(where, 'name', name);
  if (!props.alphaPool || typeof props.alphaPool !== 'object') {
    throw propError(where, 'alphaPool', `must give the alpha pool as 'manifests' (from Git) or 'existing' (installed by Helm) (got ${show(props.alphaPool)})`);
  }
  // The one namespace rule: the migration's 'namespace', else its chart's, else the alpha pool's (which defaults
  // to the first two when the pool does not say), and any two that differ are an error.
  const given = placeNamespace(scope, 'namespace', props.namespace, undefined, '');
  const alpha = resolveAlphaPool(`${where}/alphaPool`, props.alphaPool, given === '' ? DEFAULT_NAMESPACE : given);
  const namespace = placeNamespace(scope, 'namespace', props.namespace, {
    what: `the alpha pool ${alpha.poolName}`,
    namespace: alpha.poolNamespace,
    why: 'the GA pool selects the same model-server pods, which live in the alpha pool\'s namespace',
  });
  const warnings: string[] = [...(props.warnings ?? [])];
  const versions = resolveVersions(where, props, alpha);
  const ga = resolveGaPool(where, props, alpha, namespace, warnings, versions.gieVersion);
  const objectives = resolveObjectives(where, props, alpha, warnings);
  const acceptLoss = props.acceptLoss ?? [];
  if (!Array.isArray(acceptLoss)) throw propError(where, 'acceptLoss', `must be a list of MigrationLoss values (got ${show(acceptLoss)})`);
  acceptLoss.forEach((l, i) => {
    if (!Object.values(MigrationLoss).includes(l)) throw propError(where, `acceptLoss[${i}]`, `must be one of ${Object.values(MigrationLoss).join(', ')} (got ${show(l)})`);
  });
  const models = planModels({
    where,
    gieVersion: versions.gieVersion,
    inferenceModels: alpha.inferenceModels,
    objectives,
    priorities: props.criticalityPriorities,
    acceptLoss,
    strict: props.strict ?? false,
    endpointPickerReadsModelRewrites: props.endpointPickerReadsModelRewrites,
    endpointPicker: props.gaPool?.endpointPicker,
    existingEndpointPicker: props.gaPool?.existingEndpointPicker !== undefined,
    alphaEndpointPickerRelease: alpha.endpointPickerRelease,
    alphaEndpointPickerImage: alpha.endpointPickerImage,
  });
  warnings.push(...models.warnings);
  const routes = resolveRoutes(where, name, namespace, props);
  const otherRoutes = resolveOtherRoutes(where, namespace, props.otherRoutes);
  const gateways = resolveGateways(where, namespace, props.gateways);
  if (props.gatewayClassName !== undefined) checkSubdomain(where, 'gatewayClassName', props.gatewayClassName);
  return {
    name,
    namespace,
    alphaProps: props.alphaPool,
    alpha,
    ...ga,
    objectives,
    routes,
    otherRoutes,
    gateways,
    gatewayClassName: props.gatewayClassName,
    ...versions,
    warnings,
    conversionSteps: models.steps,
    models,
    validationBundles: [`gie-${versions.gieVersion}`, 'gie-v0.3.0', 'gateway-api-v1.3.0'],
  };
}

type ResolvedGaPool = Pick<ResolvedInferenceMigration, 'gaProps' | 'gaEppName' | 'provider' | 'gkeTwin'>;

/** The GA pool: what the alpha pool has (selector, port, failure mode, GKE policies), unless the props say otherwise. */
function resolveGaPool(where: string, props: InferenceMigrationProps, alpha: ResolvedAlphaPool, namespace: string,
  warnings: string[], gieVersion: string): ResolvedGaPool {
  const ga = props.gaPool ?? {};
  const gaName = ga.name ?? gaPoolName(alpha.poolName, ga.nameSuffix);
  checkSubdomain(where, 'gaPool.name', gaName);
  if (gaName === alpha.poolName || endpointPickerName(gaName) === alpha.endpointPickerServiceName) {
    throw propError(where, 'gaPool.name', `must differ from the alpha pool ${show(alpha.poolName)} and give an EPP name other than the alpha EPP ${show(alpha.endpointPickerServiceName)}, or the GA EPP objects would replace the alpha ones (got ${show(gaName)})`);
  }
  const selector = ga.modelServerSelector ?? alpha.modelServerSelector;
  const targetPort = ga.targetPort ?? alpha.targetPort;
  const sameSelector = sortedJson(selector) === sortedJson(alpha.modelServerSelector);
  if ((!sameSelector || targetPort !== alpha.targetPort) && !props.allowSelectorChange) {
    throw propError(where, 'gaPool.modelServerSelector',
      `must select the same model-server pods as the alpha pool (selector ${show(alpha.modelServerSelector)}, port ${alpha.targetPort}); got selector ${show(selector)}, port ${targetPort}. Set allowSelectorChange to migrate to other pods on purpose`);
  }
  if (!sameSelector || targetPort !== alpha.targetPort) {
    warnings.push(`The GA pool ${gaName} selects other pods than the alpha pool ${alpha.poolName} (allowSelectorChange): make sure those model servers run before traffic shifts.`);
  }

  // GKE policies of a carried alpha pool get GA twins that target the GA pool.
  const alphaPolicies = alpha.manifests.map((m) => m._object)
    .filter((o) => GKE_POLICY_KINDS.includes(o.kind) && o.spec?.targetRef?.name === alpha.poolName);
  const healthCheck = alphaPolicies.find((o) => o.kind === 'HealthCheckPolicy');
  const backendPolicy = alphaPolicies.find((o) => o.kind === 'GCPBackendPolicy');
  const gkeTwin = alphaPolicies.length > 0
    ? { healthCheckDefault: healthCheck?.spec?.default, backendPolicyDefault: backendPolicy?.spec?.default }
    : undefined;
  const provider = ga.provider ?? (gkeTwin ? InferenceProvider.GKE : InferenceProvider.NONE);
  const chartFailureMode = chartDefaultFailureMode(gieVersion);
  if (ga.failureMode === undefined && alpha.failureMode !== chartFailureMode) {
    warnings.push(`The GA pool ${gaName} keeps the alpha pool's failureMode ${alpha.failureMode}${alpha.failureMode === 'FailClose' ? ' (also what an unset extensionRef.failureMode means)' : ''}, ` +
      `where a fresh helm install of the inferencepool chart ${gieVersion} gives ${chartFailureMode}: ${alpha.failureMode === 'FailClose' ? 'requests fail while the Endpoint Picker cannot be reached' : 'requests bypass the Endpoint Picker while it cannot be reached'}. ` +
      'To choose, set gaPool.failureMode (library) or edit the GA pool\'s endpointPickerRef.failureMode in the stages.');
  }
  return {
    gaProps: {
      name: gaName,
      namespace,
      modelServerSelector: selector,
      targetPort,
      failureMode: ga.failureMode ?? alpha.failureMode,
      modelServerType: ga.modelServerType,
      provider,
      endpointPicker: ga.endpointPicker,
      existingEndpointPicker: ga.existingEndpointPicker,
      metadata: ga.metadata,
      gieVersion,
    },
    gaEppName: ga.existingEndpointPicker ? undefined : endpointPickerName(gaName),
    provider,
    gkeTwin,
  };
}

/** The objectives: given, or converted from the carried InferenceModels (criticality to priority, by sign). */
function resolveObjectives(where: string, props: InferenceMigrationProps, alpha: ResolvedAlphaPool, warnings: string[]): ObjectiveOptions[] {
  let objectives: ObjectiveOptions[];
  if (props.objectives !== undefined) {
    objectives = props.objectives;
    if (alpha.inferenceModels.length > 0) {
      const missing = alpha.inferenceModelNames.filter((n) => !objectives.some((o) => o.name === n));
      if (missing.length > 0) warnings.push(`InferenceModels ${missing.join(', ')} get no InferenceObjective (objectives were given explicitly).`);
    }
  } else {
    objectives = alpha.inferenceModels.map((model) => {
      // What the objective alone does not keep (headers, rewrites) is planned with the models (planModels).
      const conversion = convertInferenceModel(model, props.criticalityPriorities);
      return { name: conversion.name, priority: conversion.priority };
    });
    if (alpha.external && alpha.inferenceModelNames.length > 0) {
      warnings.push(`The alpha pool has InferenceModels (${alpha.inferenceModelNames.join(', ')}) but no objectives were given: requests naming them get the default priority on the GA pool.`);
    }
  }
  const objectiveNames = new Set<string>();
  objectives.forEach((o, i) => {
    checkSubdomain(where, `objectives[${i}].name`, o.name);
    if (objectiveNames.has(o.name)) throw propError(where, `objectives[${i}].name`, `repeats ${show(o.name)}: each objective once`);
    objectiveNames.add(o.name);
  });
  return objectives;
}

/** The GIE release of the READMEs' CRDs, the alpha CRD release to remove, and the GKE version. */
function resolveVersions(where: string, props: InferenceMigrationProps, alpha: ResolvedAlphaPool): Pick<ResolvedInferenceMigration, 'gieVersion' | 'alphaCrdVersion' | 'gkeVersion'> {
  let gieVersion: string;
  try {
    gieVersion = resolveBridgeGie(props.gieVersion ?? DEFAULT_GIE_TARGET);
  } catch (err) {
    throw propError(where, 'gieVersion', (err as Error).message);
  }
  // The CRDs of the release the alpha EPP runs (an epp:v0.5.1 image was installed with the v0.5.1 CRDs).
  const eppRelease = alpha.endpointPickerRelease;
  const alphaCrdVersion = props.alphaCrdVersion ?? (eppRelease !== undefined && ALPHA_GIE.test(eppRelease) ? eppRelease : 'v0.3.0');
  if (!ALPHA_GIE.test(alphaCrdVersion)) {
    throw propError(where, 'alphaCrdVersion', `must be an alpha-only GIE release from v0.2.0 to v0.5.1 (got ${show(alphaCrdVersion)})`);
  }
  if (props.gkeVersion !== undefined) {
    try {
      installCrdSteps({ gieVersion, gke: true, gkeVersion: props.gkeVersion });
    } catch (err) {
      throw propError(where, 'gkeVersion', (err as Error).message.replace(/^'gkeVersion' /, ''));
    }
  }
  return { gieVersion, alphaCrdVersion, gkeVersion: props.gkeVersion };
}

function resolveRoutes(where: string, name: string, namespace: string, props: InferenceMigrationProps): ResolvedRoute[] {
  let routes: MigrationRoute[];
  if (props.routes !== undefined) {
    if (props.gateway || props.routeName || props.hostnames || props.matches || props.requestTimeout) {
      throw propError(where, 'routes', 'cannot be combined with \'gateway\', \'routeName\', \'hostnames\', \'matches\' or \'requestTimeout\': give the routes, or the single route\'s fields');
    }
    routes = props.routes;
    const others = Array.isArray(props.otherRoutes) ? props.otherRoutes.length : 0;
    if (!Array.isArray(routes) || (routes.length === 0 && others === 0)) {
      throw propError(where, 'routes', `must list at least one HTTPRoute, unless 'otherRoutes' are given (got ${show(routes)})`);
    }
  } else {
    if (!props.gateway) {
      throw propError(where, 'gateway', 'is required (the Gateway the route attaches to), unless \'routes\' are given');
    }
    routes = [{
      name: props.routeName ?? `${name}-route`,
      parentRefs: [props.gateway],
      hostnames: props.hostnames,
      rules: [{ matches: props.matches, requestTimeout: props.requestTimeout }],
    }];
  }
  const seen = new Set<string>();
  return routes.map((r, i) => {
    checkSubdomain(where, `routes[${i}].name`, r.name);
    const ns = r.namespace ?? namespace;
    checkLabelName(where, `routes[${i}].namespace`, ns);
    if (seen.has(`${ns}/${r.name}`)) throw propError(where, `routes[${i}].name`, `repeats route ${ns}/${r.name}`);
    seen.add(`${ns}/${r.name}`);
    // A carried route is namespaced: without a namespace of its own it gets the route's.
    const manifest = r.manifest?._withNamespace(ns);
    return { ...r, namespace: ns, ...(manifest ? { manifest } : {}) };
  });
}


/** The routes of other kinds: CarriedManifests, those without a namespace in the migration's. */
function resolveOtherRoutes(where: string, namespace: string, given: CarriedManifest[] | undefined): CarriedManifest[] {
  if (given === undefined) return [];
  if (!Array.isArray(given)) throw propError(where, 'otherRoutes', `must be a list of CarriedManifests (got ${show(given)})`);
  return given.map((m, i) => {
    if (!(m instanceof CarriedManifest)) throw propError(where, `otherRoutes[${i}]`, `must be a CarriedManifest (got ${show(m)})`);
    return m._withNamespace(namespace);
  });
}

function resolveGateways(where: string, namespace: string, given: CarriedManifest[] | undefined): CarriedManifest[] {
  if (given === undefined) return [];
  if (!Array.isArray(given)) throw propError(where, 'gateways', `must be a list of CarriedManifests of Gateways (got ${show(given)})`);
  return given.map((m, i) => {
    if (!(m instanceof CarriedManifest)) throw propError(where, `gateways[${i}]`, `must be a CarriedManifest (got ${show(m)})`);
    const o = m._object;
    if (o.kind !== 'Gateway' || !String(o.apiVersion).startsWith('gateway.networking.k8s.io/')) {
      throw propError(where, `gateways[${i}]`, `must be a gateway.networking.k8s.io Gateway (got ${o.apiVersion} ${o.kind})`);
    }
    return m._withNamespace(namespace);
  });
}
