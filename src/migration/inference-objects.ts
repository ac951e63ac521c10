/**
 * The objects of one planned stage of an InferencePool migration: the alpha pool (carried or referenced),
 * the GA pool with its EPP and objectives, and each route with the stage's backends. Internal.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Header, ResolvedInferenceMigration, ResolvedRoute } from './inference-resolve';
import { MigrationRoute, MigrationRouteRule } from './migration-route';
import { PlannedStage, RouteState } from './plan';
import { repointPoolReferences } from '../convert/pool-references';
import { CarriedManifest } from '../core/carried-manifest';
import { propError, show } from '../core/errors';
import { ALPHA_GROUP, GA_POOL_GROUP } from '../inference/api';
import { CarriedObjects } from '../inference/carried-objects';
import { HttpBackendRef, RouteMatch } from '../inference/http-route-types';
import { InferenceModelRewrite } from '../inference/inference-model-rewrite';
import { InferenceObjective } from '../inference/inference-objective';
import { InferencePoolAlpha } from '../inference/inference-pool-alpha';
import { InferencePoolGa } from '../inference/inference-pool-ga';
import { IInferencePoolBackend } from '../inference/types';
import { InferenceRouteRule, WeightedInferenceRoute } from '../inference/weighted-inference-route';

/** The pools a stage holds (or references). */
export interface StagePools {
  readonly alpha?: IInferencePoolBackend;
  readonly ga?: InferencePoolGa;
}

/** The second Gateway of the parallel-gateway strategy, resolved. */
export interface ResolvedParallelGateway {
  readonly name: string;
  readonly namespace: string;
  readonly gatewayClassName: string;
  /** The original's labels (less its owners' tracking labels) with the user's over them. */
  readonly labels: { [key: string]: string };
  /** The original's annotations, less its owners' tracking annotations. */
  readonly annotations: { [key: string]: string };
  /** How the new Gateway differs from the original, one sentence each, for the README. */
  readonly differences: string[];
  /** The original Gateway's listeners (hostnames, TLS), copied. */
  readonly listeners: any[];
  /** The original Gateway's `spec.infrastructure`, copied. */
  readonly infrastructure?: any;
  readonly original: { readonly name: string; readonly namespace: string };
  /** Suffix of the copies of the routes on the new Gateway. */
  readonly routeSuffix: string;
}

/** Adds the objects of one planned stage to `stage`. */
export function buildInferenceStage(stage: Construct, m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header,
  parallel?: ResolvedParallelGateway): StagePools {
  let alpha: IInferencePoolBackend | undefined;
  const routeNeedsAlpha = planned.route.kind === 'alpha-only' || planned.route.kind === 'split' || planned.route.kind === 'preview' || planned.route.kind === 'parallel';
  if (planned.alphaStack || routeNeedsAlpha) {
    // The namespace resolved once (prop, alpha pool, enclosing chart): the same in every stage and in the active copy.
    alpha = new InferencePoolAlpha(stage, 'AlphaPool', { ...m.alphaProps, namespace: m.alpha.poolNamespace });
  }
  let ga: InferencePoolGa | undefined;
  if (planned.gaStack) {
    ga = new InferencePoolGa(stage, 'GaPool', {
      ...m.gaProps,
      // GKE policies of the alpha pool are twinned; the chart's defaults apply otherwise.
      gkePolicyDefaults: m.gkeTwin,
    });
    for (const objective of m.objectives) {
      new InferenceObjective(stage, `Objective-${objective.name}`, { name: objective.name, priority: objective.priority, metadata: objective.metadata, pool: ga });
    }
    for (const rewrite of m.models.rewrites) {
      new InferenceModelRewrite(stage, `Rewrite-${rewrite.name}`, { name: rewrite.name, pool: ga, rules: [{ models: [rewrite.model], targets: rewrite.targets }] });
    }
  }
  if (planned.route.kind === 'parallel' || planned.route.kind === 'parallel-ga') {
    buildParallelGateway(stage, parallel!);
    for (const route of m.routes) {
      // The old Gateway keeps the route as it is (alpha) until cleanup, then only its other rules.
      buildRoute(stage, route, planned.route.kind === 'parallel' ? { kind: 'alpha-only' } : { kind: 'none' }, { alpha, ga });
      buildRoute(stage, parallelCopy(route, parallel!), { kind: 'ga-only' }, { alpha, ga }, undefined, 'RouteGa');
    }
    return { alpha, ga };
  }
  for (const route of m.routes) {
    buildRoute(stage, route, planned.route, { alpha, ga }, preview);
  }
  buildOtherRoutes(stage, m, planned.route);
  return { alpha, ga };
}

/**
 * Routes of other kinds: carried as they are while the stage sends traffic to the alpha pool; with their
 * references to the alpha pool naming the GA pool once all traffic goes there; absent when no pool serves.
 */
function buildOtherRoutes(stage: Construct, m: ResolvedInferenceMigration, state: RouteState): void {
  if (m.otherRoutes.length === 0 || state.kind === 'none') return;
  const manifests = state.kind !== 'ga-only' ? m.otherRoutes : m.otherRoutes.map((r) => CarriedManifest.fromObject(repointPoolReferences(r._object, r.namespace!,
    { group: ALPHA_GROUP, name: m.alpha.poolName, namespace: m.alpha.poolNamespace }, { group: GA_POOL_GROUP, name: m.gaProps.name })));
  new CarriedObjects(stage, 'OtherRoutes', { manifests });
}

/**
 * The second Gateway: a copy of the original (labels, annotations, listeners, infrastructure) with another name, and
 * the class and labels the user names; `differences` lists every change.
 */
function buildParallelGateway(stage: Construct, p: ResolvedParallelGateway): void {
  new ApiObject(stage, 'ParallelGateway', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      ...(Object.keys(p.labels).length > 0 ? { labels: { ...p.labels } } : {}),
      ...(Object.keys(p.annotations).length > 0 ? { annotations: { ...p.annotations } } : {}),
    },
    spec: {
      gatewayClassName: p.gatewayClassName,
      listeners: p.listeners,
      ...(p.infrastructure !== undefined ? { infrastructure: p.infrastructure } : {}),
    },
  });
}

/** The copy of a route on the new Gateway: parentRefs to the original Gateway point at the new one; not carried. */
function parallelCopy(route: ResolvedRoute, p: ResolvedParallelGateway): ResolvedRoute {
  const parentRefs = route.parentRefs.map((ref) => {
    const ns = ref.namespace ?? route.namespace;
    if (ref.name !== p.original.name || ns !== p.original.namespace) return ref;
    return { ...ref, name: p.name };
  });
  const { manifest: _manifest, ...rest } = route;
  return { ...rest, name: `${route.name}${p.routeSuffix}`.slice(0, 253).replace(/[-.]+$/, ''), parentRefs };
}

function buildRoute(stage: Construct, route: ResolvedRoute, state: RouteState, pools: StagePools, preview?: Header, idPrefix = 'Route'): void {
  const id = `${idPrefix}-${route.namespace}-${route.name}`;
  if (state.kind === 'alpha-only' && route.manifest) {
    // The route is untouched until traffic shifts: carried exactly as it is in Git.
    new CarriedObjects(stage, id, { manifests: [route.manifest] });
    return;
  }
  const baseRules: MigrationRouteRule[] = route.rules && route.rules.length > 0 ? route.rules : [{}];
  const toRule = (rule: MigrationRouteRule, backends: InferenceRouteRule['backends'], others: HttpBackendRef[], matches?: RouteMatch[],
    nameSuffix = ''): InferenceRouteRule => ({
    matches: matches ?? rule.matches,
    // The pool's backendRef keeps its port and filters, on the alpha and on the GA pool.
    backends: backends.map((b) => ({
      ...b,
      ...(rule.poolPort !== undefined ? { port: rule.poolPort } : {}),
      ...(rule.poolFilters !== undefined ? { filters: rule.poolFilters } : {}),
    })),
    additionalBackendRefs: others,
    requestTimeout: rule.requestTimeout,
    backendRequestTimeout: rule.backendRequestTimeout,
    filters: rule.filters,
    ...(rule.name !== undefined ? { name: `${rule.name}${nameSuffix}` } : {}),
    ...(rule.otherFields !== undefined ? { otherFields: rule.otherFields } : {}),
  });
  let rules: InferenceRouteRule[];
  switch (state.kind) {
    case 'none':
      // The alpha backend goes; a rule that also served other backends keeps them.
      rules = baseRules.filter((r) => (r.otherBackendRefs ?? []).length > 0).map((r) => toRule(r, [], r.otherBackendRefs!));
      break;
    case 'alpha-only':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, 0)));
      break;
    case 'split':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, state.gaPercent)));
      break;
    case 'preview':
      rules = [
        // Preview requests go to the GA pool only; everything else is as before.
        ...baseRules.map((r) => toRule(r, [{ pool: pools.ga!, weight: 100 }], [], previewMatches(stage, route, r.matches, preview!), '-preview')),
        ...baseRules.map((r) => toRule(r, ...poolShare(r, pools, 0))),
      ];
      break;
    case 'ga-only':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, 100)));
      break;
    default:
      throw new Error(`route state ${state.kind} is built by buildInferenceStage`);
  }
  const otherRules = route.otherRules ?? [];
  if (rules.length === 0 && otherRules.length === 0) return; // the route is removed
  new WeightedInferenceRoute(stage, id, {
    name: route.name,
    namespace: route.namespace,
    parentRefs: route.parentRefs,
    hostnames: route.hostnames,
    rules,
    additionalRules: otherRules,
    metadata: route.metadata,
  });
}

/**
 * The backends of a rule when the GA pool has `gaPercent` of the pool's share: weights in percent for a
 * rule that only serves the pool; for a rule that also serves other backends, the pool's weight is split
 * and the others keep theirs (all scaled by 100 when that stays within the API's maximum, so the split
 * is exact).
 */
function poolShare(rule: MigrationRouteRule, pools: StagePools, gaPercent: number): [InferenceRouteRule['backends'], HttpBackendRef[]] {
  const split = (total: number) => {
    const ga = Math.round((total * gaPercent) / 100);
    return [
      ...(gaPercent < 100 ? [{ pool: pools.alpha!, weight: total - ga }] : []),
      ...(gaPercent > 0 ? [{ pool: pools.ga!, weight: ga }] : []),
    ];
  };
  const others = rule.otherBackendRefs ?? [];
  if (others.length === 0) return [split(100), []];
  const poolWeight = rule.poolWeight ?? 1;
  const weights = [poolWeight, ...others.map((o) => o.weight ?? 1)];
  const scale = Math.max(...weights) * 100 <= 1_000_000 ? 100 : 1;
  return [split(poolWeight * scale), others.map((o) => ({ ...o, weight: (o.weight ?? 1) * scale }))];
}

/** The matches of a preview rule: each original match, also requiring the preview header. */
function previewMatches(stage: Construct, route: MigrationRoute, matches: RouteMatch[] | undefined, header: Header): RouteMatch[] {
  const base: RouteMatch[] = matches && matches.length > 0 ? matches : [{}];
  return base.map((m) => {
    if ((m.headers ?? []).some((h) => h.name.toLowerCase() === header.name.toLowerCase())) {
      throw propError(stage, 'previewHeader.name', `${show(header.name)} is already matched by route ${route.name}: choose another preview header`);
    }
    return { ...m, headers: [...(m.headers ?? []), { name: header.name, value: header.value }] };
  });
}
