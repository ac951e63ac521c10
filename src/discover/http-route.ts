/**
 * Conversion of an existing HTTPRoute manifest into the `MigrationRoute` of one alpha
 * InferencePool: the rules that send traffic to that pool become pool rules (every field kept: name,
 * matches, filters, timeouts and any other field; the pool's backendRef keeps its port and filters, and
 * each stage decides only which pool it names and with what weight), rules that do not touch the pool
 * are carried unchanged, and whatever cannot be carried is said, never dropped silently.
 */
import { Duration } from 'cdk8s';
import { CarriedManifest } from '../core/carried-manifest';
import { isUserError, show, UserError } from '../core/errors';
import { parseGatewayDurationMillis } from '../core/gateway-duration';
import { desiredState, sameJson } from '../core/manifest-objects';
import { ALPHA_GROUP, GATEWAY_GROUP } from '../inference/api';
import { GatewayParentRef, PathMatchType, RouteMatch, ValueMatch, ValueMatchType } from '../inference/http-route-types';
import { MigrationRoute, MigrationRouteRule } from '../migration/migration-route';

/** A pool by name and namespace. */
export interface PoolIdentity {
  readonly name: string;
  readonly namespace: string;
}

/** The result of converting one HTTPRoute for one alpha pool. */
export interface HttpRouteConversion {
  /** The route as the migration takes it. */
  readonly route: MigrationRoute;
  /** Indexes (in `spec.rules`) of the rules that become pool rules. */
  readonly poolRules: number[];
  /** Indexes of the rules that send traffic to the pool and to other backends (also pool rules: only the pool's share moves). */
  readonly mixedRules: number[];
  /** What could not be carried over, or changes on the way, one sentence each. */
  readonly warnings: string[];
}

/** The rule fields the conversion models; any other field is carried as given (`otherFields`). */
const MODELLED_RULE_FIELDS = ['name', 'matches', 'filters', 'timeouts', 'backendRefs'];
/** The fields of a backendRef to a pool that every stage keeps (group, kind, name and weight are the stage's). */
const POOL_REF_FIELDS = ['group', 'kind', 'name', 'namespace', 'weight', 'port', 'filters'];

/** True when a backendRef names an alpha (v1alpha2) InferencePool. */
export function isAlphaPoolRef(ref: any): boolean {
  return ref && typeof ref === 'object' && ref.group === ALPHA_GROUP && ref.kind === 'InferencePool' && typeof ref.name === 'string';
}

/** The alpha pools a route sends traffic to, each once, in order of appearance. */
export function alphaPoolRefs(route: any, routeNamespace: string): PoolIdentity[] {
  const out: PoolIdentity[] = [];
  for (const rule of asList(route?.spec?.rules)) {
    for (const ref of asList(rule?.backendRefs)) {
      if (!isAlphaPoolRef(ref)) continue;
      const id = { name: ref.name, namespace: typeof ref.namespace === 'string' ? ref.namespace : routeNamespace };
      if (!out.some((p) => p.name === id.name && p.namespace === id.namespace)) out.push(id);
    }
  }
  return out;
}

function asList(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Converts an HTTPRoute (as parsed from YAML) into the MigrationRoute of the alpha pool `pool`, whose GA
 * twin is `gaPoolName`. Throws an Error naming the route and the field when the route cannot be taken
 * over (no rule sends traffic only to the pool, a parent that is not a Gateway, a malformed timeout).
 */
export function convertHttpRoute(manifest: any, pool: PoolIdentity, gaPoolName: string, defaultNamespace: string,
  original?: CarriedManifest): HttpRouteConversion {
  if (!manifest || manifest.kind !== 'HTTPRoute' || typeof manifest.apiVersion !== 'string' || !manifest.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) {
    throw new UserError(`${JSON.stringify(manifest?.kind)} is not a ${GATEWAY_GROUP} HTTPRoute`);
  }
  const carried = desiredState(manifest);
  const name: string = carried.metadata.name;
  const namespace: string = carried.metadata.namespace ?? defaultNamespace;
  const where = `HTTPRoute ${namespace}/${name}`;
  const fail = (field: string, message: string) => new UserError(`${where}: '${field}' ${message}`);
  const spec = carried.spec ?? {};

  const parentRefs: GatewayParentRef[] = asList(spec.parentRefs).map((p, i) => {
    if (!isMap(p)) throw fail(`spec.parentRefs[${i}]`, `must be a map (got ${show(p)})`);
    const group = p.group ?? GATEWAY_GROUP;
    const kind = p?.kind ?? 'Gateway';
    if (group !== GATEWAY_GROUP || kind !== 'Gateway') {
      throw fail(`spec.parentRefs[${i}]`, `is a ${group === '' ? 'core' : group} ${kind}, not a Gateway: only routes attached to Gateways can be migrated`);
    }
    return {
      name: p.name,
      ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
      ...(p.sectionName !== undefined ? { sectionName: p.sectionName } : {}),
      ...(p.port !== undefined ? { port: p.port } : {}),
    };
  });
  if (parentRefs.length === 0) throw fail('spec.parentRefs', 'is empty: a route without a Gateway receives no traffic to migrate');

  const isThisPool = (ref: any) => isAlphaPoolRef(ref) && ref.name === pool.name && (ref.namespace ?? namespace) === pool.namespace;
  const rules: any[] = asList(spec.rules);
  const poolRules: number[] = [];
  const mixedRules: number[] = [];
  const otherRules: any[] = [];
  const migrationRules: MigrationRouteRule[] = [];
  const warnings: string[] = [];

  rules.forEach((rule, r) => {
    const refs = asList(rule?.backendRefs);
    refs.forEach((ref, b) => {
      // A ref to the alpha group that is not an InferencePool is a typo (kind defaults to Service).
      if (ref?.group === ALPHA_GROUP && ref?.kind !== 'InferencePool') {
        throw fail(`spec.rules[${r}].backendRefs[${b}].kind`, `is ${ref?.kind === undefined ? 'missing, so it defaults to Service,' : JSON.stringify(ref.kind)} in group ${ALPHA_GROUP}: a backendRef to an alpha pool needs kind: InferencePool`);
      }
    });
    const mine = refs.filter(isThisPool);
    if (mine.length === 0) {
      otherRules.push(rule);
      return;
    }
    if (mine.length < refs.length) {
      // The pool's share of the rule moves from alpha to GA; the other backends keep theirs.
      mixedRules.push(r);
      const others = refs.filter((ref) => !isThisPool(ref));
      warnings.push(`${where}: rule ${r} sends traffic to the alpha pool ${pool.name} and to ${others.map(describeBackend).join(', ')}; ` +
        `only the pool's share (weight ${mine[0].weight ?? 1}) moves to ${gaPoolName}, the other backends keep theirs.`);
      poolRules.push(r);
      migrationRules.push({ ...convertRule(rule, r, where, pool, isThisPool, warnings), otherBackendRefs: others, poolWeight: mine[0].weight ?? 1 });
      return;
    }
    poolRules.push(r);
    migrationRules.push(convertRule(rule, r, where, pool, isThisPool, warnings));
  });

  if (poolRules.length === 0) {
    throw new UserError(`${where}: none of its rules sends traffic to the alpha pool ${pool.namespace}/${pool.name}`);
  }
  // The library writes the pool rules first, then the other rules.
  const lastPool = poolRules[poolRules.length - 1];
  const reordered = rules.some((_rule, r) => !poolRules.includes(r) && r < lastPool);
  if (reordered) {
    warnings.push(`${where}: from the first shift stage on, the pool rules come first and the other rules after them; Gateway API breaks ties between equally specific matches by rule order, so check that no other rule matches the same requests.`);
  }

  const labels = carried.metadata.labels;
  const annotations = carried.metadata.annotations;
  return {
    route: {
      name,
      namespace,
      parentRefs,
      ...(Array.isArray(spec.hostnames) && spec.hostnames.length > 0 ? { hostnames: spec.hostnames } : {}),
      rules: migrationRules,
      ...(otherRules.length > 0 ? { otherRules } : {}),
      ...(hasKeys(labels) || hasKeys(annotations)
        ? { metadata: { ...(hasKeys(labels) ? { labels } : {}), ...(hasKeys(annotations) ? { annotations } : {}) } }
        : {}),
      // The route as read (its text kept, when given and the same object), in its namespace.
      manifest: (original && sameJson(original._object, carried)
        ? original
        : CarriedManifest.fromObject(carried)._fromFileWithMode(original?._fileMode))._withNamespace(namespace),
    },
    poolRules,
    mixedRules,
    warnings,
  };
}

function hasKeys(o: unknown): boolean {
  return o !== null && typeof o === 'object' && Object.keys(o).length > 0;
}

function describeBackend(ref: any): string {
  const kind = ref?.kind ?? 'Service';
  const group = ref?.group ? ` (${ref.group})` : '';
  return `${kind}${group} ${ref?.name}`;
}

function convertRule(rule: any, r: number, where: string, pool: PoolIdentity, isThisPool: (ref: any) => boolean,
  warnings: string[]): MigrationRouteRule {
  const at = `spec.rules[${r}]`;
  const otherFields: { [key: string]: any } = {};
  for (const key of Object.keys(rule ?? {})) {
    if (!MODELLED_RULE_FIELDS.includes(key)) otherFields[key] = rule[key];
  }
  if (rule.name !== undefined && typeof rule.name !== 'string') throw new UserError(`${where}: '${at}.name' must be a string (got ${show(rule.name)})`);
  const refs = asList(rule.backendRefs);
  const b = refs.findIndex(isThisPool);
  const poolRef = refs[b] ?? {};
  for (const key of Object.keys(poolRef).filter((k) => !POOL_REF_FIELDS.includes(k))) {
    warnings.push(`${where}: '${at}.backendRefs[${b}].${key}' (on the backendRef to ${pool.name}) is not a backendRef field this version knows, so the stages that change the rule do not carry it: add it back by hand.`);
  }
  if (poolRef.port !== undefined && (!Number.isInteger(poolRef.port) || poolRef.port < 1 || poolRef.port > 65535)) {
    throw new UserError(`${where}: '${at}.backendRefs[${b}].port' must be a port number 1..65535 (got ${show(poolRef.port)})`);
  }
  if (poolRef.filters !== undefined && !Array.isArray(poolRef.filters)) {
    throw new UserError(`${where}: '${at}.backendRefs[${b}].filters' must be a list of filters (got ${show(poolRef.filters)})`);
  }
  const timeouts = isMap(rule.timeouts) ? rule.timeouts : {};
  const duration = (field: 'request' | 'backendRequest') => {
    const text = timeouts[field];
    if (text === undefined) return undefined;
    if (typeof text !== 'string') throw new UserError(`${where}: '${at}.timeouts.${field}' must be a Gateway API duration such as 300s or 1h30m (got ${show(text)})`);
    try {
      return Duration.millis(parseGatewayDurationMillis(text));
    } catch (err) {
      if (!isUserError(err)) throw err;
      throw new UserError(`${where}: '${at}.timeouts.${field}' ${err.message}`);
    }
  };
  const requestTimeout = duration('request');
  const backendRequestTimeout = duration('backendRequest');
  const matches = rule.matches === undefined ? undefined : asList(rule.matches).map((m, i) => convertMatch(m, `${at}.matches[${i}]`, where));
  const filters = asList(rule.filters);
  return {
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    ...(matches !== undefined ? { matches } : {}),
    ...(requestTimeout ? { requestTimeout } : {}),
    ...(backendRequestTimeout ? { backendRequestTimeout } : {}),
    ...(filters.length > 0 ? { filters } : {}),
    ...(poolRef.port !== undefined ? { poolPort: poolRef.port } : {}),
    ...(Array.isArray(poolRef.filters) && poolRef.filters.length > 0 ? { poolFilters: poolRef.filters } : {}),
    ...(Object.keys(otherFields).length > 0 ? { otherFields } : {}),
  };
}

function convertMatch(m: any, at: string, where: string): RouteMatch {
  if (!isMap(m)) throw new UserError(`${where}: '${at}' must be a map (got ${show(m)})`);
  const out: { -readonly [K in keyof RouteMatch]: RouteMatch[K] } = {};
  if (m.path !== undefined && m.path !== null) {
    if (!isMap(m.path)) throw new UserError(`${where}: '${at}.path' must be a map (got ${show(m.path)})`);
    out.path = { type: (m.path.type ?? PathMatchType.PATH_PREFIX) as PathMatchType, value: m.path.value ?? '/' };
  }
  if (Array.isArray(m.headers) && m.headers.length > 0) out.headers = m.headers.map((v: any, i: number) => convertValueMatch(v, `${at}.headers[${i}]`, where));
  if (Array.isArray(m.queryParams) && m.queryParams.length > 0) out.queryParams = m.queryParams.map((v: any, i: number) => convertValueMatch(v, `${at}.queryParams[${i}]`, where));
  if (m.method !== undefined) out.method = m.method;
  return out;
}

function convertValueMatch(v: any, at: string, where: string): ValueMatch {
  if (!isMap(v)) throw new UserError(`${where}: '${at}' must be a map (got ${show(v)})`);
  return { name: v.name, value: v.value, type: (v.type ?? ValueMatchType.EXACT) as ValueMatchType };
}

function isMap(v: unknown): v is { [key: string]: any } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
