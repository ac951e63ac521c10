/**
 * The planner's last phase: the `ZeroDowntimeMigrationProps` of one alpha pool, from the objects
 * attributed to it. The model-server Deployment is never carried: both pools select its pods, and it
 * outlives the migration.
 */
import { gaEndpointPicker } from './ga-endpoint-picker';
import { ARGO_SYNC_OPTIONS, FLUX_PRUNE, handoverSteps } from './handover-steps';
import { convertHttpRoute, PoolIdentity } from './http-route';
import type { Located } from './located-objects';
import type { PlannedManualStep, PlannedMigration, PlanOptions } from './planner-types';
import { choosePlatform, parallelGatewayOf } from './platform-choice';
import { schedulingChangeWarning } from './scheduling-change';
import { InputError, objectRef, SourceObject } from './sources';
import { NEWEST_BRIDGE_GIE } from '../convert/gie-versions';
import { gaPoolName } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { isUserError } from '../core/errors';
import { sameJson } from '../core/manifest-objects';
import { GA_POOL_GROUP } from '../inference/api';
import { InferenceProvider } from '../inference/types';
import { MigrationRoute } from '../migration/migration-route';
import type { ZeroDowntimeMigrationProps } from '../migration/zero-downtime-migration';

const GKE_POLICY_KINDS = ['HealthCheckPolicy', 'GCPBackendPolicy'];

/** The objects attributed to one alpha pool, and what the earlier phases said about them. */
export interface PoolParts {
  readonly models: Located[];
  readonly policies: Located[];
  readonly epp: Located[];
  readonly eppSteps: PlannedManualStep[];
  readonly eppWarnings: string[];
  readonly eppRemains: string[];
  readonly routes: Located[];
  readonly otherRoutes: Located[];
  readonly guessed: Set<SourceObject>;
  readonly at: (s: SourceObject) => string;
  /** Every object of the input (Gateways, GatewayClasses). */
  readonly all: Located[];
  /** Every Gateway of the directory: the parallel-gateway strategy copies the routes' one. */
  readonly gateways: Located[];
}

/** The migration of one alpha pool; an InputError names what in the input stops it. */
export function planPool(pool: Located, id: PoolIdentity, name: string, parts: PoolParts, options: PlanOptions): PlannedMigration {
  const ga = gaPoolName(id.name, options.gaNameSuffix ?? '-ga');
  const manualSteps: PlannedManualStep[] = [...parts.eppSteps];
  const carried = [pool, ...parts.models, ...parts.policies, ...parts.epp];
  // Carried as read (their text kept), a namespaced object without a namespace getting the one it is planned in.
  const asCarried = (l: Located) => (l.namespace === '' ? carriedManifestOf(l.source) : carriedManifestOf(l.source)._withNamespace(l.namespace));
  const warnings: string[] = [...parts.eppWarnings, ...guessedNamespaceWarnings(carried, parts)];

  const routes: MigrationRoute[] = [];
  for (const r of parts.routes) {
    const conversion = convertRoute(r, id, ga);
    routes.push(conversion.route);
    warnings.push(...conversion.warnings);
  }
  warnings.push(...carriedWarnings(carried, id, ga, parts, options));

  const epp = gaEndpointPicker(id, parts, options.eppImage, options.eppGieVersion);
  warnings.push(...epp.warnings);
  const endpointPicker = options.eppConfig !== undefined ? { ...epp.options, pluginsConfig: options.eppConfig } : epp.options;
  if (epp.options === undefined && options.eppConfig === undefined) {
    const change = schedulingChangeWarning(`${id.namespace}/${id.name}`, parts.epp.map((l) => l.obj), options.gieVersion ?? NEWEST_BRIDGE_GIE);
    if (change !== undefined) warnings.push(change);
  }

  const sourcePaths = options.sourcePaths ?? { prefix: '', relativeTo: 'the directory that was planned' };
  manualSteps.unshift(...handoverSteps([...carried, ...parts.routes, ...parts.otherRoutes], sourcePaths));

  const { platform, gateway, provider } = choosePlatform({
    routes: [...parts.routes, ...parts.otherRoutes], all: parts.all, carried, at: (l) => parts.at(l.source),
  }, options);
  const parallel = parallelGatewayOf(pool, routes, parts.gateways, { ...options, gatewayVersion: platform.gatewayVersion }, gateway);
  const props: ZeroDowntimeMigrationProps = {
    name,
    namespace: id.namespace,
    alphaPool: { manifests: carried.map(asCarried), namespace: id.namespace },
    gaPool: { name: ga, ...(provider !== undefined ? { provider } : {}), ...(endpointPicker ? { endpointPicker } : {}) },
    routes,
    ...(parts.otherRoutes.length > 0 ? { otherRoutes: parts.otherRoutes.map(asCarried) } : {}),
    ...(parentGateways(parts).length > 0 ? { gateways: parentGateways(parts).map(asCarried) } : {}),
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    ...(gateway !== undefined ? { gatewayImplementation: gateway } : {}),
    ...(platform.gatewayVersion !== undefined ? { gatewayVersion: platform.gatewayVersion } : {}),
    gieVersion: options.gieVersion ?? NEWEST_BRIDGE_GIE,
    ...(options.acceptLoss !== undefined ? { acceptLoss: options.acceptLoss } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.eppReadsModelRewrites ? { endpointPickerReadsModelRewrites: true } : {}),
    ...(options.alphaCrdVersion !== undefined ? { alphaCrdVersion: options.alphaCrdVersion } : {}),
    ...(parallel ? { parallelGateway: parallel } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  return {
    name,
    alphaPool: pool.source,
    namespace: id.namespace,
    gaPoolName: ga,
    props,
    carried: carried.map((l) => l.source),
    routes: parts.routes.map((l) => l.source),
    otherRoutes: parts.otherRoutes.map((l) => l.source),
    manualSteps,
    cleanupWarnings: parts.eppRemains,
    platform,
  };
}

/** The Gateways of the input that the pool's routes (of any kind) attach to. */
function parentGateways(parts: PoolParts): Located[] {
  const parents = [...parts.routes, ...parts.otherRoutes].flatMap((r) => (Array.isArray(r.obj.spec?.parentRefs) ? r.obj.spec.parentRefs : [])
    .filter((p: any) => typeof p?.name === 'string' && (p.kind ?? 'Gateway') === 'Gateway' && (p.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io')
    .map((p: any) => `${typeof p.namespace === 'string' ? p.namespace : r.namespace}/${p.name}`));
  return parts.gateways.filter((g) => parents.includes(`${g.namespace}/${g.obj.metadata.name}`));
}

/** An HTTPRoute with its backendRefs to the alpha pool converted; the conversion's verdicts on it name its file and line. */
function convertRoute(r: Located, id: PoolIdentity, ga: string): ReturnType<typeof convertHttpRoute> {
  try {
    return convertHttpRoute(r.obj, id, ga, r.namespace, carriedManifestOf(r.source));
  } catch (err) {
    // Only the conversion's own verdicts on the route are about the input; anything else is a bug.
    if (!isUserError(err)) throw err;
    throw new InputError([{ file: r.source.file, line: r.source.line, message: err.message }], '');
  }
}

/** The objects of the migration whose namespace was guessed, in one warning. */
function guessedNamespaceWarnings(carried: Located[], parts: PoolParts): string[] {
  const guessedHere = [...carried, ...parts.routes, ...parts.otherRoutes].filter((l) => parts.guessed.has(l.source));
  if (guessedHere.length === 0) return [];
  return [`${guessedHere.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (${parts.at(l.source)})`).join(', ')} ` +
    `${guessedHere.length === 1 ? 'has' : 'have'} no metadata.namespace: the stages put ${guessedHere.length === 1 ? 'it' : 'them'} in namespace ` +
    `${guessedHere[0].namespace}. If your GitOps tool deploys ${guessedHere.length === 1 ? 'it' : 'them'} elsewhere, set metadata.namespace (or give --namespace) and plan again.`];
}

/** What the migration carries but does not convert: routes of other kinds, policies, objects that are never pruned. */
function carriedWarnings(carried: Located[], id: PoolIdentity, ga: string, parts: PoolParts, options: PlanOptions): string[] {
  const warnings: string[] = [];
  for (const r of parts.otherRoutes) {
    warnings.push(`${objectRef(r.obj, r.namespace)} (${parts.at(r.source)}) is not an HTTPRoute, so it does not split traffic between the pools: it is carried unchanged while ` +
      `traffic goes to the alpha pool, and its backendRefs to ${id.name} point at ${ga} from the stage where every route sends all traffic to the GA pool (everything else in it unchanged).`);
  }
  const gkePolicies = parts.policies.filter((p) => GKE_POLICY_KINDS.includes(p.obj.kind) && p.group === 'networking.gke.io');
  if (gkePolicies.length > 0 && options.provider !== undefined && options.provider !== InferenceProvider.GKE) {
    warnings.push(`The alpha pool ${id.name} has GKE policies (${gkePolicies.map((p) => p.obj.kind).join(', ')}), but --provider ${options.provider} was given: the GA pool ${ga} gets no GKE policies.`);
  }
  for (const p of parts.policies.filter((x) => !gkePolicies.includes(x))) {
    warnings.push(`${objectRef(p.obj, p.namespace)} (${parts.at(p.source)}) targets the alpha pool ${id.name}: it is carried until cleanup, but the GA pool ${ga} gets no copy of it: ` +
      `add one that targets ${ga} (group ${GA_POOL_GROUP}) before traffic shifts.`);
  }
  for (const l of [...carried, ...parts.routes, ...parts.otherRoutes]) {
    const annotations = l.obj.metadata.annotations ?? {};
    const keeps = String(annotations[ARGO_SYNC_OPTIONS] ?? '').split(',').some((o) => o.trim() === 'Prune=false') || annotations[FLUX_PRUNE] === 'disabled';
    if (keeps) {
      warnings.push(`${objectRef(l.obj, l.namespace)} (${parts.at(l.source)}) carries ${annotations[FLUX_PRUNE] === 'disabled' ? `${FLUX_PRUNE}: disabled` : `${ARGO_SYNC_OPTIONS}: Prune=false`}, ` +
        'so the stage folders carry it too and the cleanup stage will not delete it: remove the annotation from the input and plan again (add it to the old place only for the handover).');
    }
  }
  return warnings;
}

/**
 * The object as a migration carries it: with the text of its YAML document when that text reads back as
 * exactly the object (so the stages hold it byte for byte), else as data.
 */
export function carriedManifestOf(source: SourceObject): CarriedManifest {
  if (source.text !== undefined) {
    try {
      const fromText = CarriedManifest.fromYaml(source.text);
      if (sameJson(fromText._object, source.object)) return fromText._fromFileWithMode(source.fileMode);
    } catch (err) {
      if (!isUserError(err)) throw err;
    }
  }
  return CarriedManifest.fromObject(source.object)._fromFileWithMode(source.fileMode);
}
