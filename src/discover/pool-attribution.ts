/**
 * The planner's attribution phase: every reference to an alpha pool, by what refers: InferenceModels
 * (`spec.poolRef`), HTTPRoutes and routes of other kinds (backendRefs), policies (`spec.targetRef`). A
 * reference to a pool that is not in the input is an orphan: a warning, unless a pool of that name is in
 * another namespace (then the namespace is wrong: an error).
 */
import { AlphaReference, alphaReferences, ROUTE_KINDS, uniquePools } from './alpha-references';
import type { PoolIdentity } from './http-route';
import { byNamespaceAndName, keyOf, Located, LocatedInput } from './located-objects';
import type { OrphanReference } from './planner-types';
import { displayLocation, fieldLine, objectRef } from './sources';
import { isAlphaModel, isAlphaPool } from '../convert/alpha-kinds';
import { shellQuote } from '../core/shell';
import { GA_POOL_GROUP, GATEWAY_GROUP } from '../inference/api';

/** `namespace/name` of a pool: the key of the maps below. */
export function poolKey(id: PoolIdentity): string {
  return `${id.namespace}/${id.name}`;
}

/** What refers to each alpha pool of the input. */
export interface PoolAttribution {
  /** The alpha pools, sorted by namespace and name. */
  readonly pools: Located[];
  readonly modelsByPool: Map<string, Located[]>;
  /** HTTPRoutes of the Gateway API group. */
  readonly routesByPool: Map<string, Located[]>;
  /** GRPCRoutes, AIGatewayRoutes and other route kinds. */
  readonly otherRoutesByPool: Map<string, Located[]>;
  readonly policiesByPool: Map<string, Located[]>;
  readonly orphans: OrphanReference[];
  /** Pools of routes that were refused: no second error for them. */
  readonly routedElsewhere: Set<string>;
}

/**
 * Attributes every reference of the input to the alpha pool it names. Problems go to `input.problems`,
 * warnings (references no migration changes) to `warnings`.
 */
export function attributeToPools(input: LocatedInput, warnings: string[]): PoolAttribution {
  const pools = input.all.filter((l) => isAlphaPool(l.obj)).sort(byNamespaceAndName);
  for (const p of pools) input.lookup(p.group, 'InferencePool', p.namespace, p.obj.metadata.name);
  const poolByKey = new Map(pools.map((p) => [poolKey({ name: p.obj.metadata.name, namespace: p.namespace }), p]));
  const attribution: PoolAttribution = {
    pools,
    modelsByPool: new Map(),
    routesByPool: new Map(),
    otherRoutesByPool: new Map(),
    policiesByPool: new Map(),
    orphans: [],
    routedElsewhere: new Set(),
  };
  const push = (map: Map<string, Located[]>, key: string, l: Located) => map.set(key, [...(map.get(key) ?? []), l]);
  const missing = (l: Located, ref: AlphaReference, verb: string) => missingPool(input, attribution, l, ref, verb);
  const problems = input.problems;

  for (const l of input.all) {
    const refs = alphaReferences(l.obj, l.namespace);
    if (isAlphaModel(l.obj) && refs.length === 0) {
      problems.push({ file: l.source.file, line: l.source.line, message: `${objectRef(l.obj, l.namespace)}: 'spec.poolRef' must name an alpha InferencePool (got ${JSON.stringify(l.obj.spec?.poolRef)})` });
      continue;
    }
    if (refs.length === 0) continue;
    if (isAlphaModel(l.obj)) {
      input.lookup(l.group, 'InferenceModel', l.namespace, l.obj.metadata.name);
      const ref = refs[0];
      if (!poolByKey.has(poolKey(ref.pool))) missing(l, ref, 'points at');
      else push(attribution.modelsByPool, poolKey(ref.pool), l);
      continue;
    }
    const backendRefs = refs.filter((r) => r.via === 'backendRef');
    if (ROUTE_KINDS.includes(l.obj.kind) && backendRefs.length > 0) {
      attributeRoute(input, attribution, l, backendRefs, poolByKey, missing);
      continue;
    }
    const targets = refs.filter((r) => r.via === 'targetRef');
    for (const r of targets) {
      if (!poolByKey.has(poolKey(r.pool))) missing(l, r, 'is a policy of');
      else push(attribution.policiesByPool, poolKey(r.pool), l);
    }
    for (const r of refs.filter((x) => x.via !== 'targetRef' && !(ROUTE_KINDS.includes(l.obj.kind) && x.via === 'backendRef'))) {
      warnings.push(`${objectRef(l.obj, l.namespace)} (${displayLocation(input.repo.root, l.source.file, fieldLine(l.source, r.field))}) refers to alpha InferencePool ` +
        `${r.pool.namespace}/${r.pool.name} in '${r.field}', which no migration changes: point it at the GA pool (group ${GA_POOL_GROUP}) by hand before the alpha pool is removed.`);
    }
  }
  return attribution;
}

/** A route's backendRefs to alpha pools: the route belongs to its one pool, or a problem says why not. */
function attributeRoute(input: LocatedInput, attribution: PoolAttribution, l: Located, backendRefs: AlphaReference[], poolByKey: Map<string, Located>,
  missing: (l: Located, ref: AlphaReference, verb: string) => void): void {
  input.lookup(l.group, l.obj.kind, l.namespace, l.obj.metadata.name);
  const ids = uniquePools(backendRefs);
  const absent = backendRefs.filter((r) => !poolByKey.has(poolKey(r.pool)));
  if (absent.length > 0) {
    for (const ref of absent.filter((r, i) => absent.findIndex((o) => poolKey(o.pool) === poolKey(r.pool)) === i)) missing(l, ref, 'sends traffic to');
    for (const id of ids) attribution.routedElsewhere.add(poolKey(id));
    return;
  }
  if (ids.length > 1) {
    for (const id of ids) attribution.routedElsewhere.add(poolKey(id));
    input.problems.push({
      file: l.source.file,
      line: l.source.line,
      message: `${objectRef(l.obj, l.namespace)} sends traffic to ${ids.length} alpha pools (${ids.map(poolKey).join(', ')}): ` +
        'each pool gets its own migration, and two migrations cannot own one route; split it into one route per pool ' +
        '(same parentRefs and hostnames), then plan again',
    });
    return;
  }
  const byPool = l.obj.kind === 'HTTPRoute' && l.group === GATEWAY_GROUP ? attribution.routesByPool : attribution.otherRoutesByPool;
  byPool.set(poolKey(ids[0]), [...(byPool.get(poolKey(ids[0])) ?? []), l]);
}

/**
 * A reference to an alpha pool that is not in the input: an error when a pool of that name is in another
 * namespace and a namespace was guessed, else an orphan (a warning with what to add).
 */
function missingPool(input: LocatedInput, attribution: PoolAttribution, l: Located, ref: AlphaReference, verb: string): void {
  const { repo, at, problems } = input;
  const elsewhere = attribution.pools.find((p) => p.obj.metadata.name === ref.pool.name && p.namespace !== ref.pool.namespace);
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
    attribution.routedElsewhere.add(poolKey({ name: elsewhere.obj.metadata.name, namespace: elsewhere.namespace }));
    problems.push({
      file: elsewhere.source.file,
      line: elsewhere.source.line,
      message: `alpha InferencePool ${elsewhere.obj.metadata.name} has no metadata.namespace, so it is planned in ${elsewhere.namespace}, but ${objectRef(l.obj, l.namespace)} ` +
        `(${displayLocation(repo.root, l.source.file, line)}) ${verb} it in namespace ${ref.pool.namespace}: give --namespace ${ref.pool.namespace} ` +
        '(what helm template -n and kubectl apply -n do for objects without one), or set the pool\'s namespace',
    });
    return;
  }
  const ga = input.byKey.get(keyOf(GA_POOL_GROUP, 'InferencePool', ref.pool.namespace, ref.pool.name))?.[0];
  attribution.orphans.push({
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
}
