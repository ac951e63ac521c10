/**
 * Plans the migration of every v1alpha2 InferencePool found in a directory of manifests: which objects
 * make up each alpha stack, which HTTPRoutes use each pool, and the `ZeroDowntimeMigrationProps` of one
 * migration per pool. Plain data in, plain data out: the command turns the props into constructs.
 *
 * The phases, each in its own file:
 * - `located-objects.ts`: every object with the namespace it is planned in, indexed;
 * - `pool-attribution.ts`: each object to at most one pool: the pool itself, the InferenceModels whose
 *   `spec.poolRef` names it (same namespace), the routes that use it, and the GKE HealthCheckPolicy and
 *   GCPBackendPolicy whose `spec.targetRef` names it;
 * - `endpoint-picker-parts.ts`: each pool's Endpoint Picker objects;
 * - `platform-choice.ts`: the gateway and provider, and the second Gateway of parallel-gateway;
 * - `pool-migration.ts`: one pool's props (with `ga-endpoint-picker.ts` and `handover-steps.ts`).
 */
import { endpointPickersByPool } from './endpoint-picker-parts';
import { alphaPoolRefs } from './http-route';
import { nameProblems } from './input-names';
import { keyOf, Located, LocatedInput, locateObjects } from './located-objects';
import type { OptionProblem, PlannedMigration, PlanOptions, RepoPlan } from './planner-types';
import { attributeToPools, PoolAttribution, poolKey } from './pool-attribution';
import { planPool } from './pool-migration';
import type { RepoContents } from './repo-reader';
import { InputError, InputProblem } from './sources';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { gaPoolName } from '../convert/inference-model';
import { PropError } from '../core/errors';
import { nameSuffixProblem } from '../core/name-patterns';
import { GA_POOL_GROUP } from '../inference/api';
import { EPP_FLAG_RELEASES, eppFlagRelease, eppFlagsOf } from '../inference/epp-flags';
import { GatewayCapabilities } from '../migration/gateway-capabilities';
import { GatewayImplementation } from '../migration/gateway-implementation';
import { MigrationStrategy } from '../migration/migration-strategy';
import { checkSteps } from '../migration/plan';

export type { OptionProblem, OrphanReference, PlannedManualStep, PlannedMigration, PlannedPlatform, PlanOptions, RepoPlan } from './planner-types';
export { plannedNamespace } from './located-objects';
export { carriedManifestOf } from './pool-migration';

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
  if (options.gateway === GatewayImplementation.ENVOY_GATEWAY && options.gatewayVersion !== undefined) {
    problems.push({ option: 'gatewayVersion', message: envoyGatewayVersionProblem(options.gatewayVersion) });
  }
  if (options.newGateway !== undefined && strategy !== undefined && strategy !== MigrationStrategy.PARALLEL_GATEWAY) {
    problems.push({ option: 'newGateway', message: `belongs to the parallel-gateway strategy, not ${strategy}` });
  }
  if (options.eppGieVersion !== undefined && options.eppImage === undefined) {
    problems.push({ option: 'eppGieVersion', message: 'says which GIE release the custom GA Endpoint Picker image (--epp-image, eppImage) is built on: give that image too' });
  } else if (options.eppGieVersion !== undefined && eppFlagsOf(eppFlagRelease(options.eppGieVersion)) === undefined) {
    problems.push({ option: 'eppGieVersion', message: `must be a GIE release whose EPP flags are known: ${EPP_FLAG_RELEASES.join(', ')} (got ${JSON.stringify(options.eppGieVersion)})` });
  }
  const suffixProblem = options.gaNameSuffix === undefined ? undefined : nameSuffixProblem(options.gaNameSuffix);
  if (suffixProblem) problems.push({ option: 'gaNameSuffix', message: suffixProblem });
  return problems;
}

/** Why an Envoy Gateway version cannot choose the gateway table's row (the AI Gateway release does). */
function envoyGatewayVersionProblem(version: string): string {
  try {
    GatewayCapabilities.of(GatewayImplementation.ENVOY_GATEWAY, version);
    return '';
  } catch (err) {
    return `${(err as Error).message.replace(/, with the implementation envoy-ai-gateway$/, '')}: --gateway envoy-ai-gateway --gateway-version <AI Gateway release>`;
  }
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
  const input = locateObjects(repo, problems);
  // Names go into file names, commands, error messages and READMEs: first refuse any name of a pool,
  // model or route the API server would refuse.
  const namesFirst = input.all.filter((l) => isAlphaPool(l.obj) || isAlphaModel(l.obj) || (l.obj.kind === 'HTTPRoute' && alphaPoolRefs(l.obj, l.namespace).length > 0))
    .flatMap((l) => nameProblems(l.source, l.namespace));
  if (namesFirst.length > 0) throw new InputError(sortProblems(namesFirst), repo.root);

  const attribution = attributeToPools(input, warnings);
  const epps = endpointPickersByPool(attribution.pools, input, warnings);
  problems.push(...gaNameProblems(attribution.pools, input, options.gaNameSuffix ?? '-ga'));

  const names = migrationNames(attribution.pools);
  const migrations: PlannedMigration[] = [];
  for (const pool of attribution.pools) {
    const planned = planAttributedPool(pool, names.get(pool)!, input, attribution, epps, options);
    if (planned) migrations.push(planned);
  }
  if (problems.length > 0) throw new InputError(sortProblems(dedupe(problems)), repo.root);
  return { migrations, warnings: [...warnings, ...attribution.orphans.map((o) => o.message)], orphans: attribution.orphans };
}

/** GA names must not collide with each other or with objects in the directory. */
function gaNameProblems(pools: Located[], input: LocatedInput, suffix: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const gaNames = new Map<string, Located>();
  for (const pool of pools) {
    const ga = gaPoolName(pool.obj.metadata.name, suffix);
    const key = `${pool.namespace}/${ga}`;
    const twin = gaNames.get(key);
    if (twin) {
      problems.push({ file: pool.source.file, line: pool.source.line, message: `alpha pools ${twin.obj.metadata.name} and ${pool.obj.metadata.name} in namespace ${pool.namespace} would both become GA pool ${ga}: rename one of them (or plan them from separate directories with different --ga-name-suffix values)` });
    }
    gaNames.set(key, pool);
    const existing = input.byKey.get(keyOf(GA_POOL_GROUP, 'InferencePool', pool.namespace, ga));
    if (existing) {
      problems.push({ file: existing[0].source.file, line: existing[0].source.line, message: `the GA pool ${pool.namespace}/${ga} planned for alpha pool ${pool.obj.metadata.name} already exists here: remove it, or choose another --ga-name-suffix` });
    }
  }
  return problems;
}

/** The migration of one pool from what was attributed to it, or undefined with its problems in `input.problems`. */
function planAttributedPool(pool: Located, name: string, input: LocatedInput, attribution: PoolAttribution,
  epps: ReturnType<typeof endpointPickersByPool>, options: PlanOptions): PlannedMigration | undefined {
  const { repo, problems } = input;
  const id = { name: pool.obj.metadata.name as string, namespace: pool.namespace };
  const key = poolKey(id);
  const routes = attribution.routesByPool.get(key) ?? [];
  const otherRoutes = attribution.otherRoutesByPool.get(key) ?? [];
  if (routes.length === 0 && otherRoutes.length === 0) {
    if (attribution.routedElsewhere.has(key)) return undefined;
    problems.push({ file: pool.source.file, line: pool.source.line, message: `alpha InferencePool ${key} is not a backend of any route under ${repo.root || 'the input'} (HTTPRoute, GRPCRoute, AIGatewayRoute, ...): a zero-downtime migration moves a route's traffic, so add the route's manifest, then plan again` });
    return undefined;
  }
  const epp = epps.get(key);
  // The names of the objects carried with the pool, too.
  const carriedWith = [...(attribution.policiesByPool.get(key) ?? []), ...(epp?.objects ?? []), ...otherRoutes];
  const badNames = carriedWith.flatMap((l) => nameProblems(l.source, l.namespace));
  if (badNames.length > 0) {
    problems.push(...badNames);
    return undefined;
  }
  try {
    return planPool(pool, id, name, {
      models: attribution.modelsByPool.get(key) ?? [],
      policies: attribution.policiesByPool.get(key) ?? [],
      epp: epp?.objects ?? [],
      eppSteps: epp?.steps ?? [],
      eppWarnings: epp?.warnings ?? [],
      eppRemains: epp?.remains ?? [],
      routes,
      otherRoutes,
      guessed: input.guessed,
      at: input.at,
      all: input.all,
      gateways: input.all.filter((l) => l.obj.kind === 'Gateway' && l.group === 'gateway.networking.k8s.io'),
    }, options);
  } catch (err) {
    if (err instanceof InputError) problems.push(...err.problems);
    else throw err;
    return undefined;
  }
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

/** Migration folder names: the pool name without `-alpha`/`-preview`, plus `-<namespace>` when two pools would share one. */
function migrationNames(pools: Located[]): Map<Located, string> {
  const label = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '') || 'migration';
  const stems = pools.map((p) => label(p.obj.metadata.name.replace(/-(alpha|preview)$/, '')));
  return new Map(pools.map((p, i) => {
    const shared = stems.filter((s) => s === stems[i]).length > 1;
    return [p, shared ? label(`${stems[i].slice(0, 62 - p.namespace.length)}-${p.namespace}`) : stems[i]];
  }));
}
