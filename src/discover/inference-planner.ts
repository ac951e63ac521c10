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
import { alphaPoolRefs, convertHttpRoute, PoolIdentity } from './http-route';
import { nameProblems } from './input-names';
import type { RepoContents } from './repo-reader';
import { displayLocation, displayPath, InputError, InputProblem, objectRef, SourceObject } from './sources';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { NEWEST_BRIDGE_GIE } from '../convert/gie-versions';
import { gaPoolName } from '../convert/inference-model';
import { CarriedManifest } from '../core/carried-manifest';
import { isUserError, PropError } from '../core/errors';
import { nameSuffixProblem } from '../core/name-patterns';
import { shellQuote } from '../core/shell';
import { ALPHA_GROUP, GA_POOL_GROUP } from '../inference/api';
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
  /** Version of the gateway implementation. @default - unknown */
  readonly gatewayVersion?: string;
  /** GIE release of the alpha CRDs installed today. @default - the library's (v0.3.0) */
  readonly alphaCrdVersion?: string;
  /**
   * The second Gateway of the parallel-gateway strategy: its name, class and labels; the original Gateway is read
   * from the directory. @default - `<gateway>-v1`, the original's class, no labels
   */
  readonly newGateway?: { readonly name?: string; readonly gatewayClassName?: string; readonly labels?: { [key: string]: string } };
  /**
   * How the READMEs name the files that were read: `prefix/<file>`, and what the paths are relative to.
   * @default - paths relative to the directory that was read
   */
  readonly sourcePaths?: { readonly prefix: string; readonly relativeTo: string };
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
  /** `first`: before syncing the first stage; `last`: after verifying the cleanup stage. */
  readonly stage: 'first' | 'last';
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
  /** Steps for the stage READMEs. */
  readonly manualSteps: PlannedManualStep[];
}

/** The plan for a directory. */
export interface RepoPlan {
  /** One migration per alpha pool, sorted by namespace and name. */
  readonly migrations: PlannedMigration[];
  /** Warnings that concern the directory as a whole (shared objects, guessed namespaces). */
  readonly warnings: string[];
}

const CLUSTER_SCOPED = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition', 'GatewayClass', 'PriorityClass',
  'StorageClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'APIService', 'IngressClass', 'RuntimeClass', 'Node', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
]);
const GKE_POLICY_KINDS = ['HealthCheckPolicy', 'GCPBackendPolicy'];

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
  const missingPool = (id: PoolIdentity) => `alpha InferencePool ${id.namespace}/${id.name}, which is not under ${repo.root}: ` +
    'its selector and port are needed, so add the pool\'s manifest (if Helm installed it: ' +
    `helm get manifest <release> -n ${shellQuote(id.namespace)} > ${shellQuote(displayPath(repo.root, `${id.name}.yaml`))}), then plan again`;

  // InferenceModels, by pool.
  const modelsByPool = new Map<string, Located[]>();
  for (const m of all.filter((l) => isAlphaModel(l.obj))) {
    const ref = m.obj.spec?.poolRef ?? {};
    if ((ref.group ?? ALPHA_GROUP) !== ALPHA_GROUP || (ref.kind ?? 'InferencePool') !== 'InferencePool' || typeof ref.name !== 'string') {
      problems.push({ file: m.source.file, line: m.source.line, message: `${objectRef(m.obj, m.namespace)}: 'spec.poolRef' must name an alpha InferencePool (got ${JSON.stringify(m.obj.spec?.poolRef)})` });
      continue;
    }
    lookup(m.group, 'InferenceModel', m.namespace, m.obj.metadata.name);
    const id = { name: ref.name, namespace: m.namespace };
    if (!poolByKey.has(poolKey(id))) {
      problems.push({ file: m.source.file, line: m.source.line, message: `${objectRef(m.obj, m.namespace)} points at ${missingPool(id)}` });
      continue;
    }
    modelsByPool.set(poolKey(id), [...(modelsByPool.get(poolKey(id)) ?? []), m]);
  }

  // HTTPRoutes, by pool.
  const routesByPool = new Map<string, Located[]>();
  const routedElsewhere = new Set<string>(); // pools of routes refused above: no second error for them
  for (const r of all.filter((l) => l.obj.kind === 'HTTPRoute')) {
    const refs = alphaPoolRefs(r.obj, r.namespace);
    if (refs.length === 0) continue;
    lookup(r.group, 'HTTPRoute', r.namespace, r.obj.metadata.name);
    const missing = refs.filter((id) => !poolByKey.has(poolKey(id)));
    if (missing.length > 0) {
      for (const id of missing) problems.push({ file: r.source.file, line: r.source.line, message: `${objectRef(r.obj, r.namespace)} sends traffic to ${missingPool(id)}` });
      continue;
    }
    if (refs.length > 1) {
      for (const id of refs) routedElsewhere.add(poolKey(id));
      problems.push({
        file: r.source.file,
        line: r.source.line,
        message: `${objectRef(r.obj, r.namespace)} sends traffic to ${refs.length} alpha pools (${refs.map(poolKey).join(', ')}): ` +
          'each pool gets its own migration, and two migrations cannot own one route; split it into one HTTPRoute per pool ' +
          '(same parentRefs and hostnames), then plan again',
      });
      continue;
    }
    routesByPool.set(poolKey(refs[0]), [...(routesByPool.get(poolKey(refs[0])) ?? []), r]);
  }

  // GKE policies, by pool.
  const policiesByPool = new Map<string, Located[]>();
  for (const p of all.filter((l) => GKE_POLICY_KINDS.includes(l.obj.kind) && l.group === 'networking.gke.io')) {
    const t = p.obj.spec?.targetRef ?? {};
    if (t.kind !== 'InferencePool' || (t.group ?? ALPHA_GROUP) !== ALPHA_GROUP) continue;
    const id = { name: t.name, namespace: p.namespace };
    if (!poolByKey.has(poolKey(id))) continue; // a policy of a pool that is not here: not ours to move
    policiesByPool.set(poolKey(id), [...(policiesByPool.get(poolKey(id)) ?? []), p]);
  }

  // Each pool's Endpoint Picker objects; an object two pools claim is carried by neither.
  const eppByPool = new Map<string, Located[]>();
  const eppNotes = new Map<string, PlannedManualStep[]>();
  const claims = new Map<Located, string[]>();
  for (const pool of pools) {
    const key = poolKey({ name: pool.obj.metadata.name, namespace: pool.namespace });
    const { objects, steps } = endpointPickerObjects(pool, all, lookup);
    eppByPool.set(key, objects);
    eppNotes.set(key, steps);
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
    if (routes.length === 0) {
      if (routedElsewhere.has(key)) continue;
      problems.push({ file: pool.source.file, line: pool.source.line, message: `alpha InferencePool ${key} is not a backend of any HTTPRoute under ${repo.root}: a zero-downtime migration moves a route's traffic, so add the HTTPRoute's manifest, then plan again` });
      continue;
    }
    // The names of the objects carried with the pool, too.
    const carriedWith = [...(policiesByPool.get(key) ?? []), ...(eppByPool.get(key) ?? [])];
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
        routes,
        guessed,
        at,
        gateways: all.filter((l) => l.obj.kind === 'Gateway' && l.group === 'gateway.networking.k8s.io'),
      }, options));
    } catch (err) {
      if (err instanceof InputError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputError(sortProblems(dedupe(problems)), repo.root);
  return { migrations, warnings };
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

/** The objects of a pool's Endpoint Picker (see the module comment), and steps for what is missing. */
function endpointPickerObjects(pool: Located, all: Located[], lookup: Lookup): { objects: Located[]; steps: PlannedManualStep[] } {
  const ns = pool.namespace;
  const ext = pool.obj.spec?.extensionRef ?? {};
  const objects: Located[] = [];
  const steps: PlannedManualStep[] = [];
  const add = (o: Located | undefined) => {
    if (o && !objects.includes(o)) objects.push(o);
  };
  if ((ext.kind ?? 'Service') !== 'Service' || (ext.group ?? '') !== '' || typeof ext.name !== 'string') {
    steps.push({ stage: 'last', text: `The alpha pool ${pool.obj.metadata.name}'s extensionRef is not a core Service, so its Endpoint Picker objects could not be found: delete them by hand once this stage is verified.` });
    return { objects, steps };
  }
  const service = lookup('', 'Service', ns, ext.name);
  if (!service) {
    steps.push({
      stage: 'last',
      text: `The alpha Endpoint Picker Service ${ns}/${ext.name} is not in the directory that was planned, so no stage removes it: once this stage is verified, delete the alpha EPP (Deployment, Service, ServiceAccount, RBAC, ConfigMap) where it is managed.`,
      commands: [`kubectl get deployment,service,serviceaccount,configmap -n ${shellQuote(ns)} | grep -F -e ${shellQuote(ext.name)}`],
    });
    return { objects, steps };
  }
  add(service);
  const selector: Record<string, string> = service.obj.spec?.selector ?? {};
  const deployments = Object.keys(selector).length === 0 ? [] : all.filter((l) => l.obj.kind === 'Deployment' && l.group === 'apps' && l.namespace === ns
    && Object.entries(selector).every(([k, v]) => l.obj.spec?.template?.metadata?.labels?.[k] === v));
  for (const d of deployments) {
    add(d);
    const pod = d.obj.spec?.template?.spec ?? {};
    const sa = pod.serviceAccountName ?? pod.serviceAccount;
    if (typeof sa === 'string' && sa !== 'default') {
      add(lookup('', 'ServiceAccount', ns, sa));
      for (const b of all.filter((l) => (l.obj.kind === 'RoleBinding' || l.obj.kind === 'ClusterRoleBinding') && l.group === 'rbac.authorization.k8s.io')) {
        if (b.obj.kind === 'RoleBinding' && b.namespace !== ns) continue;
        const bound = (Array.isArray(b.obj.subjects) ? b.obj.subjects : []).some((s: any) => s?.kind === 'ServiceAccount' && s.name === sa
          && (s.namespace ?? (b.obj.kind === 'RoleBinding' ? b.namespace : undefined)) === ns);
        if (!bound) continue;
        add(b);
        const role = b.obj.roleRef ?? {};
        if (role.kind === 'Role') add(lookup('rbac.authorization.k8s.io', 'Role', b.namespace, role.name));
        if (role.kind === 'ClusterRole') add(lookup('rbac.authorization.k8s.io', 'ClusterRole', '', role.name));
      }
    }
    for (const name of configMapsOf(pod)) add(lookup('', 'ConfigMap', ns, name));
  }
  const hosts = [ext.name, `${ext.name}.${ns}`, `${ext.name}.${ns}.svc`, `${ext.name}.${ns}.svc.cluster.local`];
  for (const dr of all.filter((l) => l.obj.kind === 'DestinationRule' && l.group === 'networking.istio.io' && l.namespace === ns)) {
    if (hosts.includes(dr.obj.spec?.host)) add(dr);
  }
  return { objects, steps };
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
  readonly routes: Located[];
  readonly guessed: Set<SourceObject>;
  readonly at: (s: SourceObject) => string;
  /** Every Gateway of the directory: the parallel-gateway strategy copies the routes' one. */
  readonly gateways: Located[];
}

function planPool(pool: Located, id: PoolIdentity, name: string, parts: PoolParts, options: PlanOptions): PlannedMigration {
  const ga = gaPoolName(id.name, options.gaNameSuffix ?? '-ga');
  const warnings: string[] = [];
  const manualSteps: PlannedManualStep[] = [...parts.eppSteps];

  const carried = [pool, ...parts.models, ...parts.policies, ...parts.epp];
  const withNamespace = (l: Located) => (l.namespace === '' || l.obj.metadata.namespace !== undefined
    ? l.obj
    : { ...l.obj, metadata: { ...l.obj.metadata, namespace: l.namespace } });
  const guessedHere = [...carried, ...parts.routes].filter((l) => parts.guessed.has(l.source));
  if (guessedHere.length > 0) {
    warnings.push(`${guessedHere.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (${parts.at(l.source)})`).join(', ')} ` +
      `${guessedHere.length === 1 ? 'has' : 'have'} no metadata.namespace: the stages put ${guessedHere.length === 1 ? 'it' : 'them'} in namespace ` +
      `${guessedHere[0].namespace}. If your GitOps tool deploys ${guessedHere.length === 1 ? 'it' : 'them'} elsewhere, set metadata.namespace and plan again.`);
  }

  const routes: MigrationRoute[] = [];
  for (const r of parts.routes) {
    let conversion;
    try {
      conversion = convertHttpRoute(withNamespace(r), id, ga, r.namespace);
    } catch (err) {
      // Only the conversion's own verdicts on the route are about the input; anything else is a bug.
      if (!isUserError(err)) throw err;
      throw new InputError([{ file: r.source.file, line: r.source.line, message: err.message }], '');
    }
    routes.push(conversion.route);
    warnings.push(...conversion.warnings);
  }

  const gke = parts.policies.length > 0;
  if (gke && options.provider !== undefined && options.provider !== InferenceProvider.GKE) {
    warnings.push(`The alpha pool ${id.name} has GKE policies (${parts.policies.map((p) => p.obj.kind).join(', ')}), but --provider ${options.provider} was given: the GA pool ${ga} gets no GKE policies.`);
  }

  // The objects the stages now own, by file: they must leave their old place in the same change.
  const owned = [...carried, ...parts.routes];
  const files = [...new Set(owned.map((l) => l.source.file))].sort();
  const sourcePaths = options.sourcePaths ?? { prefix: '', relativeTo: 'the directory that was planned' };
  const listing = files.map((f) => {
    const here = owned.filter((l) => l.source.file === f).sort((a, b) => a.source.line - b.source.line);
    const shown = sourcePaths.prefix === '' || sourcePaths.prefix === '.' ? f : `${sourcePaths.prefix.replace(/\/$/, '')}/${f}`;
    return `- \`${shown}\`: ${here.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (line ${l.source.line})`).join(', ')}`;
  });
  manualSteps.unshift({
    stage: 'first',
    text: 'The stage folders now own the alpha stack and the routes of this migration. Remove these objects from their old place ' +
      `(paths relative to ${sourcePaths.relativeTo}) in the same Git change that points your GitOps tool at 01-side-by-side; ` +
      'otherwise two tools (or two Applications) fight over them:\n' + listing.join('\n'),
  });

  const provider = options.provider;
  const gateway = options.gateway ?? (provider === InferenceProvider.GKE ? GatewayImplementation.GKE
    : provider === InferenceProvider.ISTIO ? GatewayImplementation.ISTIO : undefined);
  const parallel = parallelGatewayOf(pool, routes, parts, options, gateway);
  const props: ZeroDowntimeMigrationProps = {
    name,
    namespace: id.namespace,
    alphaPool: { manifests: CarriedManifest.fromObjects(carried.map(withNamespace)), namespace: id.namespace },
    gaPool: { name: ga, ...(provider !== undefined ? { provider } : {}) },
    routes,
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    ...(gateway !== undefined ? { gatewayImplementation: gateway } : {}),
    ...(options.gatewayVersion !== undefined ? { gatewayVersion: options.gatewayVersion } : {}),
    gieVersion: options.gieVersion ?? NEWEST_BRIDGE_GIE,
    ...(options.acceptLoss !== undefined ? { acceptLoss: options.acceptLoss } : {}),
    ...(options.strict ? { strict: true } : {}),
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
    manualSteps,
  };
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
