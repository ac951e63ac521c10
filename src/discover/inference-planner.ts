/**
 * Plans the migration of every v1alpha2 InferencePool found in a directory of manifests: which objects
 * make up each alpha stack, which HTTPRoutes use each pool, and the `ZeroDowntimeMigrationProps` of one
 * migration per pool. Plain data in, plain data out: the command turns the props into constructs.
 *
 * How objects are attributed to an alpha pool (each object to at most one pool):
 * - the pool itself, the InferenceModels whose `spec.poolRef` names it (same namespace), and the GKE
 *   HealthCheckPolicy and GCPBackendPolicy whose `spec.targetRef` names it;
 * - its Endpoint Picker: the Service named by `spec.extensionRef` (kind Service) in the pool's
 *   namespace; the Deployments in that namespace whose pod labels match the Service's selector; their
 *   ServiceAccount (unless `default`) and the ConfigMaps they mount or read; the RoleBindings and
 *   ClusterRoleBindings whose subjects include that ServiceAccount, and the Role or ClusterRole each
 *   binds; an Istio DestinationRule whose host is the EPP Service;
 * - an object claimed by the EPPs of two pools (a shared ClusterRole, say) is carried by neither: it
 *   stays where it is, and a warning says so.
 * The model-server Deployment is never carried: both pools select its pods, and it outlives the
 * migration.
 */
import { AlphaReference, alphaReferences, ROUTE_KINDS, uniquePools } from './alpha-references';
import { customEppSettings, eppContainer, isUpstreamEppImage, splitImage } from './custom-epp';
import { alphaPoolRefs, convertHttpRoute, PoolIdentity } from './http-route';
import { nameProblems } from './input-names';
import { detectPlatform } from './platform-detection';
import type { RepoContents } from './repo-reader';
import { displayLocation, fieldLine, InputError, InputProblem, objectRef, SourceObject } from './sources';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { NEWEST_BRIDGE_GIE } from '../convert/gie-versions';
import { gaPoolName } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { isUserError, PropError } from '../core/errors';
import { sameJson } from '../core/manifest-objects';
import { nameSuffixProblem } from '../core/name-patterns';
import { shellQuote } from '../core/shell';
import { ALPHA_GROUP, GA_POOL_GROUP, GATEWAY_GROUP } from '../inference/api';
import type { EndpointPickerOptions } from '../inference/endpoint-picker';
import { InferenceProvider } from '../inference/types';
import { GatewayCapabilities } from '../migration/gateway-capabilities';
import { GatewayImplementation } from '../migration/gateway-implementation';
import { MigrationLoss } from '../migration/migration-loss';
import { MigrationRoute } from '../migration/migration-route';
import { MigrationStrategy } from '../migration/migration-strategy';
import { checkSteps } from '../migration/plan';
import type { ZeroDowntimeMigrationProps } from '../migration/zero-downtime-migration';

/** What the user chose on the command line. */
export interface PlanOptions {
  /** GA weights of the shift stages. @default - the library's default (50) */
  readonly steps?: number[];
  /** The GA pool's provider. @default - GKE when the alpha pool has GKE policies, else none */
  readonly provider?: InferenceProvider;
  /** The gateway implementation. @default - GKE when the provider is GKE, Istio when it is Istio, else generic */
  readonly gateway?: GatewayImplementation;
  /** How traffic moves. @default - the one that works on the gateway (weighted-shift where nothing says it cannot) */
  readonly strategy?: MigrationStrategy;
  /** Suffix of the GA pool names. @default '-ga' */
  readonly gaNameSuffix?: string;
  /** The GIE release to migrate to. @default NEWEST_BRIDGE_GIE (v1.4.0), as `plan --target-gie` */
  readonly gieVersion?: string;
  /** Losses accepted explicitly. @default - none */
  readonly acceptLoss?: MigrationLoss[];
  /** Fail where clients must change (objective headers). @default false */
  readonly strict?: boolean;
  /** GIE release of the alpha CRDs installed today. @default - the library's (v0.3.0) */
  readonly alphaCrdVersion?: string;
  /**
   * The second Gateway of the parallel-gateway strategy: its name, class and labels; the original Gateway is read
   * from the directory. @default - `<gateway>-v1`, the original's class, no labels
   */
  readonly newGateway?: { readonly name?: string; readonly gatewayClassName?: string; readonly labels?: { [key: string]: string } };
  /**
   * Image of the GA Endpoint Picker (`repo:tag`) for an alpha EPP that is not upstream's: the GA EPP
   * keeps the alpha one's flags, environment, resources and plugin config. @default - none: a custom
   * alpha EPP fails the plan
   */
  readonly eppImage?: string;
  /**
   * The custom GA Endpoint Picker (`eppImage`) applies InferenceModelRewrites (as upstream's does from v1.3.0).
   * @default false: with a custom image, a model rewrite fails the plan unless its loss is accepted
   */
  readonly eppReadsModelRewrites?: boolean;
  /** Version of the gateway implementation. @default - the version the input shows (an Istio revision label), else unknown */
  readonly gatewayVersion?: string;
  /**
   * How the READMEs name the files that were read: `prefix/<file>`, and what the paths are relative to.
   * @default - paths relative to the directory that was read
   */
  readonly sourcePaths?: { readonly prefix: string; readonly relativeTo: string; readonly stream?: boolean };
}

/** A plan option that cannot work, by its name in `PlanOptions`. */
export interface OptionProblem {
  readonly option: 'steps' | 'gateway' | 'gaNameSuffix' | 'newGateway';
  /** What is wrong, without the option's name. */
  readonly message: string;
}

/**
 * What is wrong with the options themselves, whatever the manifests hold: steps that are not increasing
 * integers in 1..99 or that come with a strategy that does not move traffic by weight, an unknown gateway,
 * a second Gateway with a strategy other than parallel-gateway, a GA name suffix that cannot end a name.
 * Whether the gateway can run an explicit strategy is the migration's check: its error names the Gateway.
 */
export function planOptionProblems(options: PlanOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const strategy = options.strategy;
  if (options.steps !== undefined) {
    const problem = checkSteps(options.steps);
    if (problem) {
      problems.push({ option: 'steps', message: problem });
    } else if (strategy !== undefined && strategy !== MigrationStrategy.WEIGHTED_SHIFT) {
      problems.push({ option: 'steps', message: `cannot be combined with the ${strategy} strategy, which does not move traffic by weight` });
    }
  }
  const gateways: string[] = Object.values(GatewayImplementation);
  if (options.gateway !== undefined && !gateways.includes(options.gateway)) {
    problems.push({ option: 'gateway', message: `must be one of ${gateways.join(', ')} (got ${JSON.stringify(options.gateway)})` });
  }
  if (options.newGateway !== undefined && strategy !== undefined && strategy !== MigrationStrategy.PARALLEL_GATEWAY) {
    problems.push({ option: 'newGateway', message: `belongs to the parallel-gateway strategy, not ${strategy}` });
  }
  const suffixProblem = options.gaNameSuffix === undefined ? undefined : nameSuffixProblem(options.gaNameSuffix);
  if (suffixProblem) problems.push({ option: 'gaNameSuffix', message: suffixProblem });
  return problems;
}

/** A step for a stage README. */
export interface PlannedManualStep {
  readonly text: string;
  readonly commands?: string[];
  /** `first`: the first stage (before its sync, unless `afterSync`); `last`: after verifying the cleanup stage. */
  readonly stage: 'first' | 'last';
  /** In the first stage: right after its sync (before it is verified). */
  readonly afterSync?: boolean;
}

/** The migration of one alpha pool. */
export interface PlannedMigration {
  /** Name of the migration: its folder. */
  readonly name: string;
  /** The alpha pool and where it is defined. */
  readonly alphaPool: SourceObject;
  /** Namespace of the pool. */
  readonly namespace: string;
  /** Name of the GA pool. */
  readonly gaPoolName: string;
  /** The props of the ZeroDowntimeMigration. */
  readonly props: ZeroDowntimeMigrationProps;
  /** The alpha stack objects carried into the stages, with their sources. */
  readonly carried: SourceObject[];
  /** The HTTPRoutes that use the pool, with their sources. */
  readonly routes: SourceObject[];
  /** The routes of other kinds (GRPCRoute, AIGatewayRoute, ...) that use the pool, with their sources. */
  readonly otherRoutes: SourceObject[];
  /** Steps for the stage READMEs. */
  readonly manualSteps: PlannedManualStep[];
  /** Warnings for the cleanup stage's README (what it does not remove). */
  readonly cleanupWarnings: string[];
  /** The platform: gateway implementation and provider, each from a flag, the input, or neither. */
  readonly platform: PlannedPlatform;
}

/** The gateway and provider a migration is planned for, and where each came from. */
export interface PlannedPlatform {
  readonly gateway: GatewayImplementation;
  readonly gatewayVersion?: string;
  readonly gatewayFrom: 'flag' | 'detected' | 'provider' | 'default';
  readonly provider: InferenceProvider;
  readonly providerFrom: 'flag' | 'detected' | 'default';
  /** How the input shows them, and what made detection uncertain, one sentence each. */
  readonly evidence: string[];
  readonly doubts: string[];
}

/** A reference to an alpha pool that is not in the input. */
export interface OrphanReference {
  /** The object that refers. */
  readonly source: SourceObject;
  /** Line of the reference. */
  readonly line: number;
  /** The pool it names. */
  readonly pool: PoolIdentity;
  /** What it means and what to do, one paragraph. */
  readonly message: string;
}

/** The plan for a directory. */
export interface RepoPlan {
  /** One migration per alpha pool, sorted by namespace and name. */
  readonly migrations: PlannedMigration[];
  /** Warnings that concern the directory as a whole (shared objects, guessed namespaces, orphan references). */
  readonly warnings: string[];
  /** References to alpha pools that are not in the input (also among the warnings), in input order. */
  readonly orphans: OrphanReference[];
}

const CLUSTER_SCOPED = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition', 'GatewayClass', 'PriorityClass',
  'StorageClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'APIService', 'IngressClass', 'RuntimeClass', 'Node', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
]);
const GKE_POLICY_KINDS = ['HealthCheckPolicy', 'GCPBackendPolicy'];
/** Argo CD's and Flux's annotations that keep an object from being pruned. */
const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

/** An object with its resolved namespace ('' for cluster-scoped kinds). */
interface Located {
  readonly source: SourceObject;
  readonly obj: any;
  readonly namespace: string;
  readonly group: string;
}

/**
 * The namespace an object is planned in: its own, else the one its kustomization sets, else `default`
 * (as kubectl would apply it); '' for cluster-scoped kinds.
 */
export function plannedNamespace(source: SourceObject): string {
  if (CLUSTER_SCOPED.has(source.object.kind)) return '';
  return source.object.metadata.namespace || source.namespaceHint || 'default';
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function keyOf(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/**
 * Plans one migration per v1alpha2 InferencePool of `repo`. Throws an InputError naming file and line
 * when the directory cannot be planned: a route or InferenceModel pointing at an alpha pool that is not
 * in the directory, a route that uses two alpha pools, a pool no route uses, an object defined twice.
 */
export function planRepo(repo: RepoContents, options: PlanOptions = {}): RepoPlan {
  const optionProblems = planOptionProblems(options);
  if (optionProblems.length > 0) {
    throw new PropError(`plan options: ${optionProblems.map((p) => `'${p.option}' ${p.message}`).join('; ')}`);
  }
  const problems: InputProblem[] = [];
  const warnings: string[] = [];
  const at = (s: SourceObject) => displayLocation(repo.root, s.file, s.line);
  const guessed = new Set<SourceObject>();

  const all: Located[] = repo.objects.map((source) => {
    const obj = source.object;
    if (!CLUSTER_SCOPED.has(obj.kind) && !obj.metadata.namespace && !source.namespaceHint) guessed.add(source);
    return { source, obj, namespace: plannedNamespace(source), group: groupOf(obj.apiVersion) };
  });
  // Names go into file names, commands, error messages and READMEs: first refuse any name of a pool,
  // model or route the API server would refuse.
  const namesFirst = all.filter((l) => isAlphaPool(l.obj) || isAlphaModel(l.obj) || (l.obj.kind === 'HTTPRoute' && alphaPoolRefs(l.obj, l.namespace).length > 0))
    .flatMap((l) => nameProblems(l.source, l.namespace));
  if (namesFirst.length > 0) throw new InputError(sortProblems(namesFirst), repo.root);

  const byKey = new Map<string, Located[]>();
  for (const l of all) {
    const key = keyOf(l.group, l.obj.kind, l.namespace, l.obj.metadata.name);
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  const lookup = (group: string, kind: string, namespace: string, name: string): Located | undefined => {
    const found = byKey.get(keyOf(group, kind, namespace, name)) ?? [];
    if (found.length > 1) {
      problems.push({
        file: found[1].source.file,
        line: found[1].source.line,
        message: `${objectRef(found[1].obj, found[1].namespace)} is defined twice (also at ${at(found[0].source)}): read one rendered overlay or environment (e.g. the output of kustomize build) instead of all of them`,
      });
    }
    return found[0];
  };

  const pools = all.filter((l) => isAlphaPool(l.obj)).sort(byNamespaceAndName);
  for (const p of pools) lookup(p.group, 'InferencePool', p.namespace, p.obj.metadata.name);
  const poolKey = (id: PoolIdentity) => `${id.namespace}/${id.name}`;
  const poolByKey = new Map(pools.map((p) => [poolKey({ name: p.obj.metadata.name, namespace: p.namespace }), p]));

  // Every reference to an alpha pool, by what refers: InferenceModels (poolRef), HTTPRoutes and routes of
  // other kinds (backendRefs), policies (targetRef). A reference to a pool that is not here is an orphan:
  // a warning, unless a pool of that name is in another namespace (then the namespace is wrong: an error).
  const modelsByPool = new Map<string, Located[]>();
  const routesByPool = new Map<string, Located[]>();
  const otherRoutesByPool = new Map<string, Located[]>();
  const policiesByPool = new Map<string, Located[]>();
  const orphans: OrphanReference[] = [];
  const routedElsewhere = new Set<string>(); // pools of routes refused below: no second error for them
  const push = (map: Map<string, Located[]>, key: string, l: Located) => map.set(key, [...(map.get(key) ?? []), l]);
  const missing = (l: Located, ref: AlphaReference, verb: string) => {
    const elsewhere = pools.find((p) => p.obj.metadata.name === ref.pool.name && p.namespace !== ref.pool.namespace);
    const line = fieldLine(l.source, ref.field);
    if (elsewhere && l.obj.metadata.namespace === undefined && !ref.explicitNamespace) {
      problems.push({
        file: l.source.file,
        line,
        message: `${objectRef(l.obj, l.namespace)} ${verb} alpha InferencePool ${ref.pool.namespace}/${ref.pool.name}, which is not under ${repo.root || 'the input'}; ` +
          `an alpha pool ${ref.pool.name} is in namespace ${elsewhere.namespace} (${at(elsewhere.source)}). The ${l.obj.kind} has no metadata.namespace, so it is planned in ` +
          `${l.namespace}: set its namespace, or give --namespace ${elsewhere.namespace} (what helm template -n and kubectl apply -n do for objects without one)`,
      });
      return;
    }
    if (elsewhere && elsewhere.obj.metadata.namespace === undefined && !elsewhere.source.namespaceHint) {
      // `helm template` output: the pool's template sets no namespace, the route's does.
      routedElsewhere.add(poolKey({ name: elsewhere.obj.metadata.name, namespace: elsewhere.namespace }));
      problems.push({
        file: elsewhere.source.file,
        line: elsewhere.source.line,
        message: `alpha InferencePool ${elsewhere.obj.metadata.name} has no metadata.namespace, so it is planned in ${elsewhere.namespace}, but ${objectRef(l.obj, l.namespace)} ` +
          `(${displayLocation(repo.root, l.source.file, line)}) ${verb} it in namespace ${ref.pool.namespace}: give --namespace ${ref.pool.namespace} ` +
          '(what helm template -n and kubectl apply -n do for objects without one), or set the pool\'s namespace',
      });
      return;
    }
    const ga = byKey.get(keyOf(GA_POOL_GROUP, 'InferencePool', ref.pool.namespace, ref.pool.name))?.[0];
    orphans.push({
      source: l.source,
      line,
      pool: ref.pool,
      message: `${objectRef(l.obj, l.namespace)} (${displayLocation(repo.root, l.source.file, line)}) ${verb} alpha InferencePool ${ref.pool.namespace}/${ref.pool.name}, ` +
        `which is not under ${repo.root || 'the input'}, so it is not planned. ` +
        (ga
          ? `A v1 InferencePool ${ref.pool.namespace}/${ref.pool.name} is (${at(ga.source)}): if the pool was converted already, point '${ref.field}' at group ${GA_POOL_GROUP}.`
          : 'If Helm installed the pool, plan it with its manifest: add the output of ' +
            `helm get manifest <release> -n ${shellQuote(ref.pool.namespace)} to the input (a file beside the others, or a stream: ` +
            `{ cat <files>; helm get manifest <release> -n ${shellQuote(ref.pool.namespace)}; } | inference-migrate plan --from - ...); if the pool is gone, remove the reference.`),
    });
  };

  for (const l of all) {
    const refs = alphaReferences(l.obj, l.namespace);
    if (isAlphaModel(l.obj) && refs.length === 0) {
      problems.push({ file: l.source.file, line: l.source.line, message: `${objectRef(l.obj, l.namespace)}: 'spec.poolRef' must name an alpha InferencePool (got ${JSON.stringify(l.obj.spec?.poolRef)})` });
      continue;
    }
    if (refs.length === 0) continue;
    if (isAlphaModel(l.obj)) {
      lookup(l.group, 'InferenceModel', l.namespace, l.obj.metadata.name);
      const ref = refs[0];
      if (!poolByKey.has(poolKey(ref.pool))) missing(l, ref, 'points at');
      else push(modelsByPool, poolKey(ref.pool), l);
      continue;
    }
    const backendRefs = refs.filter((r) => r.via === 'backendRef');
    if (ROUTE_KINDS.includes(l.obj.kind) && backendRefs.length > 0) {
      lookup(l.group, l.obj.kind, l.namespace, l.obj.metadata.name);
      const ids = uniquePools(backendRefs);
      const absent = backendRefs.filter((r) => !poolByKey.has(poolKey(r.pool)));
      if (absent.length > 0) {
        for (const ref of absent.filter((r, i) => absent.findIndex((o) => poolKey(o.pool) === poolKey(r.pool)) === i)) missing(l, ref, 'sends traffic to');
        for (const id of ids) routedElsewhere.add(poolKey(id));
        continue;
      }
      if (ids.length > 1) {
        for (const id of ids) routedElsewhere.add(poolKey(id));
        problems.push({
          file: l.source.file,
          line: l.source.line,
          message: `${objectRef(l.obj, l.namespace)} sends traffic to ${ids.length} alpha pools (${ids.map(poolKey).join(', ')}): ` +
            'each pool gets its own migration, and two migrations cannot own one route; split it into one route per pool ' +
            '(same parentRefs and hostnames), then plan again',
        });
        continue;
      }
      push(l.obj.kind === 'HTTPRoute' && l.group === GATEWAY_GROUP ? routesByPool : otherRoutesByPool, poolKey(ids[0]), l);
      continue;
    }
    const targets = refs.filter((r) => r.via === 'targetRef');
    for (const r of targets) {
      if (!poolByKey.has(poolKey(r.pool))) missing(l, r, 'is a policy of');
      else push(policiesByPool, poolKey(r.pool), l);
    }
    for (const r of refs.filter((x) => x.via !== 'targetRef' && !(ROUTE_KINDS.includes(l.obj.kind) && x.via === 'backendRef'))) {
      warnings.push(`${objectRef(l.obj, l.namespace)} (${displayLocation(repo.root, l.source.file, fieldLine(l.source, r.field))}) refers to alpha InferencePool ` +
        `${r.pool.namespace}/${r.pool.name} in '${r.field}', which no migration changes: point it at the GA pool (group ${GA_POOL_GROUP}) by hand before the alpha pool is removed.`);
    }
  }

  // Each pool's Endpoint Picker objects; an object two pools claim is carried by neither.
  const eppByPool = new Map<string, Located[]>();
  const eppNotes = new Map<string, PlannedManualStep[]>();
  const eppWarningsByPool = new Map<string, string[]>();
  const eppRemainsByPool = new Map<string, string[]>();
  const claims = new Map<Located, string[]>();
  for (const pool of pools) {
    const key = poolKey({ name: pool.obj.metadata.name, namespace: pool.namespace });
    const { objects, steps, warnings: eppWarnings, remains } = endpointPickerObjects(pool, all, lookup, at);
    eppByPool.set(key, objects);
    eppNotes.set(key, steps);
    eppWarningsByPool.set(key, eppWarnings);
    eppRemainsByPool.set(key, remains);
    for (const o of objects) claims.set(o, [...(claims.get(o) ?? []), key]);
  }
  for (const [obj, owners] of claims) {
    if (owners.length < 2) continue;
    warnings.push(`${objectRef(obj.obj, obj.namespace)} (${at(obj.source)}) serves the Endpoint Pickers of the alpha pools ${owners.join(' and ')}: ` +
      'it is carried by neither migration and stays where it is; delete it by hand once both cleanups are done.');
    for (const owner of owners) eppByPool.set(owner, eppByPool.get(owner)!.filter((o) => o !== obj));
  }

  // GA names must not collide with each other or with objects in the directory.
  const suffix = options.gaNameSuffix ?? '-ga';
  const gaNames = new Map<string, Located>();
  for (const pool of pools) {
    const ga = gaPoolName(pool.obj.metadata.name, suffix);
    const key = `${pool.namespace}/${ga}`;
    const twin = gaNames.get(key);
    if (twin) {
      problems.push({ file: pool.source.file, line: pool.source.line, message: `alpha pools ${twin.obj.metadata.name} and ${pool.obj.metadata.name} in namespace ${pool.namespace} would both become GA pool ${ga}: rename one of them (or plan them from separate directories with different --ga-name-suffix values)` });
    }
    gaNames.set(key, pool);
    const existing = byKey.get(keyOf(GA_POOL_GROUP, 'InferencePool', pool.namespace, ga));
    if (existing) {
      problems.push({ file: existing[0].source.file, line: existing[0].source.line, message: `the GA pool ${pool.namespace}/${ga} planned for alpha pool ${pool.obj.metadata.name} already exists here: remove it, or choose another --ga-name-suffix` });
    }
  }

  const names = migrationNames(pools);
  const migrations: PlannedMigration[] = [];
  for (const pool of pools) {
    const id = { name: pool.obj.metadata.name as string, namespace: pool.namespace };
    const key = poolKey(id);
    const routes = routesByPool.get(key) ?? [];
    const otherRoutes = otherRoutesByPool.get(key) ?? [];
    if (routes.length === 0 && otherRoutes.length === 0) {
      if (routedElsewhere.has(key)) continue;
      problems.push({ file: pool.source.file, line: pool.source.line, message: `alpha InferencePool ${key} is not a backend of any route under ${repo.root || 'the input'} (HTTPRoute, GRPCRoute, AIGatewayRoute, ...): a zero-downtime migration moves a route's traffic, so add the route's manifest, then plan again` });
      continue;
    }
    // The names of the objects carried with the pool, too.
    const carriedWith = [...(policiesByPool.get(key) ?? []), ...(eppByPool.get(key) ?? []), ...otherRoutes];
    const badNames = carriedWith.flatMap((l) => nameProblems(l.source, l.namespace));
    if (badNames.length > 0) {
      problems.push(...badNames);
      continue;
    }
    try {
      migrations.push(planPool(pool, id, names.get(pool)!, {
        models: modelsByPool.get(key) ?? [],
        policies: policiesByPool.get(key) ?? [],
        epp: eppByPool.get(key) ?? [],
        eppSteps: eppNotes.get(key) ?? [],
        eppWarnings: eppWarningsByPool.get(key) ?? [],
        eppRemains: eppRemainsByPool.get(key) ?? [],
        routes,
        otherRoutes,
        guessed,
        at,
        all,
        gateways: all.filter((l) => l.obj.kind === 'Gateway' && l.group === 'gateway.networking.k8s.io'),
      }, options));
    } catch (err) {
      if (err instanceof InputError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputError(sortProblems(dedupe(problems)), repo.root);
  return { migrations, warnings: [...warnings, ...orphans.map((o) => o.message)], orphans };
}

function sortProblems(problems: InputProblem[]): InputProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function dedupe(problems: InputProblem[]): InputProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}:${p.line}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function byNamespaceAndName(a: Located, b: Located): number {
  return a.namespace.localeCompare(b.namespace) || a.obj.metadata.name.localeCompare(b.obj.metadata.name);
}

/** Migration folder names: the pool name without `-alpha`/`-preview`, plus `-<namespace>` when two pools would share one. */
function migrationNames(pools: Located[]): Map<Located, string> {
  const label = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '') || 'migration';
  const stems = pools.map((p) => label(p.obj.metadata.name.replace(/-(alpha|preview)$/, '')));
  return new Map(pools.map((p, i) => {
    const shared = stems.filter((s) => s === stems[i]).length > 1;
    return [p, shared ? label(`${stems[i].slice(0, 62 - p.namespace.length)}-${p.namespace}`) : stems[i]];
  }));
}

type Lookup = (group: string, kind: string, namespace: string, name: string) => Located | undefined;

/** What belongs to a pool's Endpoint Picker, and what to say about what could not be found. */
interface EndpointPickerParts {
  readonly objects: Located[];
  /** Steps for the cleanup stage: what no stage removes, with the commands. */
  readonly steps: PlannedManualStep[];
  /** Warnings for the plan (printed, and in the first stage's README). */
  readonly warnings: string[];
  /** What no stage removes, for the cleanup stage's warnings. */
  readonly remains: string[];
}

/** The objects of a pool's Endpoint Picker (see the module comment), and what is missing. */
function endpointPickerObjects(pool: Located, all: Located[], lookup: Lookup, at: (s: SourceObject) => string): EndpointPickerParts {
  const ns = pool.namespace;
  const poolName = pool.obj.metadata.name;
  const ext = pool.obj.spec?.extensionRef ?? {};
  const objects: Located[] = [];
  const steps: PlannedManualStep[] = [];
  const warnings: string[] = [];
  const remains: string[] = [];
  const add = (o: Located | undefined) => {
    if (o && !objects.includes(o)) objects.push(o);
  };
  if ((ext.kind ?? 'Service') !== 'Service' || (ext.group ?? '') !== '' || typeof ext.name !== 'string') {
    steps.push({ stage: 'last', text: `The alpha pool ${poolName}'s extensionRef is not a core Service, so its Endpoint Picker objects could not be found: delete them by hand once this stage is verified.` });
    remains.push(`Not removed by this stage: the Endpoint Picker of the alpha pool ${poolName}, whose extensionRef is not a core Service.`);
    warnings.push(`The alpha pool ${ns}/${poolName}'s extensionRef is not a core Service: its Endpoint Picker is not carried, and no stage removes it (the cleanup README says what remains).`);
    return { objects, steps, warnings, remains };
  }
  const leftovers = (what: string, names: string) => {
    remains.push(`Not removed by this stage: ${what}.`);
    return leftoverStep(what, names);
  };
  const leftoverStep = (what: string, names: string) => ({
    stage: 'last' as const,
    text: `Not removed by this stage: ${what}. Once this stage is verified, find the objects and delete them where they are managed (the Git path or Helm release that applies them); ` +
      'each has the Endpoint Picker\'s name in its own, unless it was named otherwise:',
    commands: [
      `kubectl get deployment,service,serviceaccount,configmap,role,rolebinding -n ${shellQuote(ns)} -o name | grep -F -e ${shellQuote(names)}`,
      `kubectl get clusterrole,clusterrolebinding -o name | grep -F -e ${shellQuote(names)}`,
    ],
  });
  const service = lookup('', 'Service', ns, ext.name);
  if (!service) {
    steps.push(leftovers(`the alpha Endpoint Picker behind Service ${ns}/${ext.name}, which is not in the planned input (its Deployment, ServiceAccount, RBAC and ConfigMaps are unknown to this plan)`, ext.name));
    warnings.push(`The alpha pool ${ns}/${poolName} (${at(pool.source)}) names Endpoint Picker Service ${ns}/${ext.name}, which is not in the input: the alpha EPP is not carried and no stage removes it; ` +
      'it is treated as upstream\'s EPP, and the cleanup README lists what remains. Add its manifests to the input to carry and remove it with the migration.');
    return { objects, steps, warnings, remains };
  }
  add(service);
  const selector: Record<string, string> = service.obj.spec?.selector ?? {};
  const deployments = Object.keys(selector).length === 0 ? [] : all.filter((l) => l.obj.kind === 'Deployment' && l.group === 'apps' && l.namespace === ns
    && Object.entries(selector).every(([k, v]) => l.obj.spec?.template?.metadata?.labels?.[k] === v));
  if (deployments.length === 0) {
    steps.push(leftovers(`the Deployment of the alpha Endpoint Picker behind Service ${ns}/${ext.name} (the Service is carried and removed; no Deployment in the input matches its selector)`, ext.name));
    warnings.push(`No Deployment in the input runs the alpha Endpoint Picker of Service ${ns}/${ext.name} (${at(service.source)}): the Service is carried, the EPP Deployment is not, and no stage removes it (the cleanup README says what remains).`);
  }
  const rbac = all.filter((l) => (l.obj.kind === 'RoleBinding' || l.obj.kind === 'ClusterRoleBinding') && l.group === 'rbac.authorization.k8s.io');
  for (const d of deployments) {
    add(d);
    const pod = d.obj.spec?.template?.spec ?? {};
    const named = pod.serviceAccountName ?? pod.serviceAccount;
    const sa = typeof named === 'string' && named !== '' ? named : 'default';
    if (sa !== 'default') add(lookup('', 'ServiceAccount', ns, sa));
    for (const b of rbac) {
      if (b.obj.kind === 'RoleBinding' && b.namespace !== ns) continue;
      const bound = (Array.isArray(b.obj.subjects) ? b.obj.subjects : []).some((x: any) => x?.kind === 'ServiceAccount' && x.name === sa
        && (x.namespace ?? (b.obj.kind === 'RoleBinding' ? b.namespace : undefined)) === ns);
      if (!bound) continue;
      const ref = b.obj.roleRef ?? {};
      const role = ref.kind === 'Role' ? lookup('rbac.authorization.k8s.io', 'Role', b.namespace, ref.name)
        : ref.kind === 'ClusterRole' ? lookup('rbac.authorization.k8s.io', 'ClusterRole', '', ref.name) : undefined;
      if (sa === 'default') {
        // Upstream's v0.5.1 manifests run the EPP as the namespace's default ServiceAccount, bound to a
        // `pod-read` ClusterRole (config/manifests/inferencepool-resources.yaml at v0.5.1). Only a grant
        // on the alpha API belongs to the alpha stack; other grants of `default` serve other workloads.
        if (!role || !grantsAlphaApi(role.obj)) continue;
        warnings.push(`The alpha Endpoint Picker ${d.obj.metadata.name} runs as the default ServiceAccount of namespace ${ns}: ${b.obj.kind} ${b.obj.metadata.name} (${at(b.source)}) ` +
          `and ${role.obj.kind} ${role.obj.metadata.name} grant it the alpha API, so they are carried and removed at cleanup. Any other workload that runs as ${ns}/default loses those permissions then.`);
      }
      add(b);
      add(role);
    }
    for (const name of configMapsOf(pod)) add(lookup('', 'ConfigMap', ns, name));
  }
  const hosts = [ext.name, `${ext.name}.${ns}`, `${ext.name}.${ns}.svc`, `${ext.name}.${ns}.svc.cluster.local`];
  for (const dr of all.filter((l) => l.obj.kind === 'DestinationRule' && l.group === 'networking.istio.io' && l.namespace === ns)) {
    if (hosts.includes(dr.obj.spec?.host)) add(dr);
  }
  return { objects, steps, warnings, remains };
}

/** True when a Role or ClusterRole grants anything on the alpha API group. */
function grantsAlphaApi(role: any): boolean {
  return (Array.isArray(role?.rules) ? role.rules : []).some((r: any) => Array.isArray(r?.apiGroups)
    && r.apiGroups.some((g: unknown) => g === ALPHA_GROUP || g === '*'));
}

function configMapsOf(pod: any): string[] {
  const names = new Set<string>();
  for (const v of Array.isArray(pod.volumes) ? pod.volumes : []) {
    if (typeof v?.configMap?.name === 'string') names.add(v.configMap.name);
    for (const s of Array.isArray(v?.projected?.sources) ? v.projected.sources : []) {
      if (typeof s?.configMap?.name === 'string') names.add(s.configMap.name);
    }
  }
  for (const c of [...(Array.isArray(pod.containers) ? pod.containers : []), ...(Array.isArray(pod.initContainers) ? pod.initContainers : [])]) {
    for (const e of Array.isArray(c?.envFrom) ? c.envFrom : []) {
      if (typeof e?.configMapRef?.name === 'string') names.add(e.configMapRef.name);
    }
    for (const e of Array.isArray(c?.env) ? c.env : []) {
      if (typeof e?.valueFrom?.configMapKeyRef?.name === 'string') names.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  return [...names].sort();
}

interface PoolParts {
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

function planPool(pool: Located, id: PoolIdentity, name: string, parts: PoolParts, options: PlanOptions): PlannedMigration {
  const ga = gaPoolName(id.name, options.gaNameSuffix ?? '-ga');
  const warnings: string[] = [...parts.eppWarnings];
  const manualSteps: PlannedManualStep[] = [...parts.eppSteps];

  const carried = [pool, ...parts.models, ...parts.policies, ...parts.epp];
  // Carried as read (their text kept), a namespaced object without a namespace getting the one it is planned in.
  const asCarried = (l: Located) => (l.namespace === '' ? carriedManifestOf(l.source) : carriedManifestOf(l.source)._withNamespace(l.namespace));
  const guessedHere = [...carried, ...parts.routes, ...parts.otherRoutes].filter((l) => parts.guessed.has(l.source));
  if (guessedHere.length > 0) {
    warnings.push(`${guessedHere.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (${parts.at(l.source)})`).join(', ')} ` +
      `${guessedHere.length === 1 ? 'has' : 'have'} no metadata.namespace: the stages put ${guessedHere.length === 1 ? 'it' : 'them'} in namespace ` +
      `${guessedHere[0].namespace}. If your GitOps tool deploys ${guessedHere.length === 1 ? 'it' : 'them'} elsewhere, set metadata.namespace (or give --namespace) and plan again.`);
  }

  const routes: MigrationRoute[] = [];
  for (const r of parts.routes) {
    let conversion;
    try {
      conversion = convertHttpRoute(r.obj, id, ga, r.namespace, carriedManifestOf(r.source));
    } catch (err) {
      // Only the conversion's own verdicts on the route are about the input; anything else is a bug.
      if (!isUserError(err)) throw err;
      throw new InputError([{ file: r.source.file, line: r.source.line, message: err.message }], '');
    }
    routes.push(conversion.route);
    warnings.push(...conversion.warnings);
  }
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

  const epp = gaEndpointPicker(id, parts, options.eppImage);
  warnings.push(...epp.warnings);

  const sourcePaths = options.sourcePaths ?? { prefix: '', relativeTo: 'the directory that was planned' };
  manualSteps.unshift(...handoverSteps([...carried, ...parts.routes, ...parts.otherRoutes], sourcePaths));

  // The platform: a flag wins; else what the input shows (the routes' Gateways, the alpha stack's Istio or GKE objects).
  const src = (l: Located) => ({ obj: l.obj, namespace: l.namespace, group: l.group, at: parts.at(l.source) });
  const detected = detectPlatform([...parts.routes, ...parts.otherRoutes].map(src), parts.all.map(src), carried.map(src));
  const provider = options.provider ?? detected.provider;
  const gateway = options.gateway ?? detected.gateway ?? (provider === InferenceProvider.GKE ? GatewayImplementation.GKE
    : provider === InferenceProvider.ISTIO ? GatewayImplementation.ISTIO : undefined);
  const platform: PlannedPlatform = {
    gateway: gateway ?? GatewayImplementation.GENERIC,
    ...((options.gatewayVersion ?? (options.gateway === undefined ? detected.gatewayVersion : undefined)) !== undefined
      ? { gatewayVersion: options.gatewayVersion ?? detected.gatewayVersion } : {}),
    gatewayFrom: options.gateway !== undefined ? 'flag' : detected.gateway !== undefined ? 'detected' : gateway !== undefined ? 'provider' : 'default',
    provider: provider ?? InferenceProvider.NONE,
    providerFrom: options.provider !== undefined ? 'flag' : detected.provider !== undefined ? 'detected' : 'default',
    evidence: detected.evidence,
    doubts: detected.doubts,
  };
  const parallel = parallelGatewayOf(pool, routes, parts, { ...options, gatewayVersion: platform.gatewayVersion }, gateway);
  const props: ZeroDowntimeMigrationProps = {
    name,
    namespace: id.namespace,
    alphaPool: { manifests: carried.map(asCarried), namespace: id.namespace },
    gaPool: { name: ga, ...(provider !== undefined ? { provider } : {}), ...(epp.options ? { endpointPicker: epp.options } : {}) },
    routes,
    ...(parts.otherRoutes.length > 0 ? { otherRoutes: parts.otherRoutes.map(asCarried) } : {}),
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

/**
 * The GA EPP's options: none for upstream's alpha EPP (the target's upstream EPP replaces it, as for an
 * EPP that is not in the input); for a custom image, its container kept with `eppImage`, or an error
 * naming the image and the flag.
 */
function gaEndpointPicker(id: PoolIdentity, parts: PoolParts, eppImage: string | undefined): { options?: EndpointPickerOptions; warnings: string[] } {
  const deployment = parts.epp.find((l) => l.obj.kind === 'Deployment' && l.group === 'apps');
  const container = deployment ? eppContainer(deployment.obj) : undefined;
  const image = typeof container?.image === 'string' ? container.image : undefined;
  if (!deployment || image === undefined || isUpstreamEppImage(image)) {
    if (eppImage === undefined) return { warnings: [] };
    const [repo, tag] = splitImage(eppImage);
    return {
      options: { image: repo, imageTag: tag },
      warnings: [`The GA Endpoint Picker of ${id.namespace}/${id.name} runs ${eppImage} (--epp-image) with upstream's flags and default plugins.`],
    };
  }
  const line = fieldLine(deployment.source, 'spec.template.spec.containers');
  if (eppImage === undefined) {
    throw new InputError([{
      file: deployment.source.file,
      line,
      message: `the alpha Endpoint Picker ${deployment.obj.metadata.name} of pool ${id.namespace}/${id.name} runs ${image}, not upstream's EPP: the GA pool's EPP would be ` +
        'upstream\'s epp with its default plugins, silently replacing yours. Give --epp-image <image:tag> (a release of your EPP that serves the v1 InferencePool, ' +
        `group ${GA_POOL_GROUP}): the GA EPP then keeps the alpha one's flags, environment, resources and plugin config, with that image`,
    }], '');
  }
  const configMaps = new Map(parts.epp.filter((l) => l.obj.kind === 'ConfigMap' && l.group === '').map((l) => [l.obj.metadata.name as string, l.obj.data ?? {}]));
  const settings = customEppSettings(container, deployment.obj.spec?.template?.spec, eppImage, (name) => configMaps.get(name));
  const kept = [
    ...(settings.options.flags ? [`flags ${Object.entries(settings.options.flags).map(([k, v]) => `--${k} ${v}`).join(' ')}`] : []),
    ...(settings.options.env ? [`env ${Object.keys(settings.options.env).join(', ')}`] : []),
    ...(settings.options.resources ? ['CPU and memory'] : []),
    ...(settings.options.pluginsConfig !== undefined ? [`the plugin config ${settings.options.pluginsConfigFile}`] : []),
  ];
  return {
    options: settings.options,
    warnings: [
      `The alpha Endpoint Picker ${deployment.obj.metadata.name} (${parts.at(deployment.source)}) runs ${image}: the GA EPP runs ${eppImage} (--epp-image) and keeps ` +
        `${kept.length > 0 ? kept.join(', ') : 'nothing else (the alpha EPP sets no flags, env, resources or plugin config)'}. Check that this image serves the v1 InferencePool (--pool-group ${GA_POOL_GROUP}).`,
      ...settings.dropped.map((d) => `The GA Endpoint Picker of ${id.namespace}/${id.name} does not keep ${d}.`),
    ],
  };
}

/** How the READMEs name the files that were read. */
interface SourcePaths {
  readonly prefix: string;
  readonly relativeTo: string;
  /** True when the input was one stream (standard input): objects are named, not files. */
  readonly stream?: boolean;
}

/**
 * The steps that hand the carried objects from their old owner (an Argo CD Application or a Flux
 * Kustomization that prunes) to the stage folders without a prune deleting them: mark them in their old
 * place first, sync the first stage, check the new owner holds them, only then remove them from the old
 * place.
 */
function handoverSteps(owned: Located[], sourcePaths: SourcePaths): PlannedManualStep[] {
  const files = [...new Set(owned.map((l) => l.source.file))].sort();
  const label = (l: Located) => `${l.obj.kind} ${l.namespace !== '' ? `${l.namespace}/` : ''}${l.obj.metadata.name}`;
  const listing = sourcePaths.stream
    ? owned.map((l) => `- ${label(l)}`)
    : files.map((f) => {
      const here = owned.filter((l) => l.source.file === f).sort((a, b) => a.source.line - b.source.line);
      const shown = sourcePaths.prefix === '' || sourcePaths.prefix === '.' ? f : `${sourcePaths.prefix.replace(/\/$/, '')}/${f}`;
      return `- \`${shown}\`: ${here.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (line ${l.source.line})`).join(', ')}`;
    });
  const where = sourcePaths.stream
    ? 'in the sources that rendered the planned stream (the kustomize overlay or Helm values that produce them)'
    : `in their old place (paths relative to ${sourcePaths.relativeTo})`;
  const byNamespace = new Map<string, Located[]>();
  for (const l of owned) byNamespace.set(l.namespace, [...(byNamespace.get(l.namespace) ?? []), l]);
  const owner = '{.kind}/{.metadata.name}{"\\t"}{.metadata.annotations.argocd\\.argoproj\\.io/tracking-id}{.metadata.labels.app\\.kubernetes\\.io/instance}' +
    '{"\\t"}{.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name}{"\\n"}';
  // kubectl returns a List for two or more names, the object itself for one.
  const jsonpath = (n: number) => (n === 1 ? owner : `{range .items[*]}${owner}{end}`);
  const checks = [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ns, objects]) => {
    const refs = objects.map((l) => shellQuote(`${l.obj.kind.toLowerCase()}${l.group !== '' ? `.${l.group}` : ''}/${l.obj.metadata.name}`));
    return `kubectl get ${ns !== '' ? `-n ${shellQuote(ns)} ` : ''}${refs.join(' ')} -o jsonpath=${shellQuote(jsonpath(refs.length))}`;
  });
  return [
    {
      stage: 'first',
      text: 'Hand the carried objects over without a prune deleting them. The stage folders now own the alpha stack and the routes of this migration, ' +
        'but the Argo CD Application or Flux Kustomization that applies them today deletes whatever leaves its path when it prunes. So first, ' +
        `${where}, mark each of these objects so that its old owner never deletes it, and let that owner sync once (only an annotation changes): ` +
        `Argo CD: \`${ARGO_SYNC_OPTIONS}: Prune=false\`; Flux: \`${FLUX_PRUNE}: disabled\`. Then point the new Application or Kustomization at 01-side-by-side:\n` +
        listing.join('\n'),
      commands: [
        '# Argo CD, after committing the annotations:',
        'argocd app sync <old-application>',
        '# Flux, after committing the annotations:',
        'flux reconcile kustomization <old-kustomization> -n flux-system --with-source',
      ],
    },
    {
      stage: 'first',
      afterSync: true,
      text: 'Check that the new owner holds every carried object before the old place is cleaned: each line must name the new owner, the Argo CD Application ' +
        '(tracking annotation or app.kubernetes.io/instance label) or the Flux Kustomization (kustomize.toolkit.fluxcd.io/name label) that syncs 01-side-by-side.',
      commands: checks,
    },
    {
      stage: 'first',
      afterSync: true,
      text: `Only then remove the carried objects from their old place (${sourcePaths.stream ? 'the sources of the stream' : 'the files listed before the sync'}) and let the old owner sync: ` +
        'it deletes nothing, because each object carries the annotation that keeps it from being pruned there. From then on the stage folders are their only owner.',
    },
  ];
}

/**
 * The object as a migration carries it: with the text of its YAML document when that text reads back as
 * exactly the object (so the stages hold it byte for byte), else as data.
 */
export function carriedManifestOf(source: SourceObject): CarriedManifest {
  if (source.text !== undefined) {
    try {
      const fromText = CarriedManifest.fromYaml(source.text);
      if (sameJson(fromText._object, source.object)) return fromText;
    } catch (err) {
      if (!isUserError(err)) throw err;
    }
  }
  return CarriedManifest.fromObject(source.object);
}

/**
 * The second Gateway when the plan uses the parallel-gateway strategy (given, or the one the gateway needs): the
 * routes' Gateway is read from the directory, its listeners copied. Undefined for other strategies.
 */
function parallelGatewayOf(pool: Located, routes: MigrationRoute[], parts: PoolParts, options: PlanOptions, gateway?: GatewayImplementation):
ZeroDowntimeMigrationProps['parallelGateway'] {
  // The second Gateway's flags choose parallel-gateway; else the gateway's working strategy, unless one was given.
  const strategy = options.strategy ?? (options.newGateway !== undefined ? MigrationStrategy.PARALLEL_GATEWAY
    : gateway !== undefined ? GatewayCapabilities.of(gateway, options.gatewayVersion).workingStrategy : undefined);
  if (strategy !== MigrationStrategy.PARALLEL_GATEWAY) return undefined;
  const parents = [...new Map(routes.flatMap((r) => r.parentRefs.map((p) => {
    const ns = p.namespace ?? r.namespace ?? pool.namespace;
    return [`${ns}/${p.name}`, { name: p.name, namespace: ns }] as const;
  }))).values()];
  const problem = (message: string) => new InputError([{ file: pool.source.file, line: pool.source.line, message }], '');
  if (parents.length !== 1) {
    throw problem(`the parallel-gateway strategy copies the one Gateway the routes attach to, and the routes of alpha InferencePool ${pool.namespace}/${pool.obj.metadata.name} attach to ${parents.length} (${parents.map((p) => `${p.namespace}/${p.name}`).join(', ')}): split the routes by Gateway, or choose another strategy`);
  }
  const parent = parents[0];
  const found = parts.gateways.find((g) => g.obj.metadata.name === parent.name && g.namespace === parent.namespace);
  if (!found) {
    throw problem(`the parallel-gateway strategy copies the listeners of the Gateway ${parent.namespace}/${parent.name}, which is not in the directory that was planned: add its manifest (kubectl get gateway ${shellQuote(parent.name)} -n ${shellQuote(parent.namespace)} -o yaml), then plan again`);
  }
  const original = found.obj.metadata.namespace === undefined
    ? { ...found.obj, metadata: { ...found.obj.metadata, namespace: found.namespace } }
    : found.obj;
  const nw = options.newGateway ?? {};
  return {
    name: nw.name ?? `${parent.name}-v1`,
    originalGateway: CarriedManifest.fromObject(original),
    ...(nw.gatewayClassName !== undefined ? { gatewayClassName: nw.gatewayClassName } : {}),
    ...(nw.labels !== undefined ? { labels: nw.labels } : {}),
  };
}
