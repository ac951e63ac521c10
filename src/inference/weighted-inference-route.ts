import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  GATEWAY_GROUP,
  MAX_BACKEND_WEIGHT,
  MAX_BACKENDS_PER_RULE,
  MAX_MATCHES_PER_RULE,
  MAX_RULES,
} from './api';
import {
  GatewayParentRef,
  HttpBackendRef,
  HttpMethod,
  HttpPathModifier,
  HttpPathModifierType,
  HttpRouteFilter,
  HttpRouteFilterType,
  HttpRouteRule,
  PathMatchType,
  RouteMatch,
  ValueMatch,
  ValueMatchType,
} from './http-route-types';
import { resolveMetadata } from './metadata';
import { IInferencePoolBackend, ResourceMetadata } from './types';
import { checkInteger, checkOneOf, givenProps, propError, show } from '../core/errors';
import { toGatewayDuration } from '../core/gateway-duration';
import { GATEWAY_HOSTNAME } from '../core/name-patterns';
import { checkHeaderName, checkLabelName, checkSubdomain } from '../core/names';
import { generatedName, resolveNamespace } from '../core/namespace';
import { HttpRoute, ReferenceGrant } from '../imports/gateway.networking.k8s.io';

/** A pool and the share of a rule's traffic it receives. */
export interface WeightedPoolBackend {
  /** The pool: an `InferencePoolGa`, an `InferencePoolAlpha`, or any other pool backend. */
  readonly pool: IInferencePoolBackend;
  /** Relative weight, an integer in 0..1,000,000. */
  readonly weight: number;
  /**
   * `port` of the backendRef. The Gateway API leaves it optional for an InferencePool, but some
   * implementations need the pool's target port there (upstream's kgateway route of GIE v0.3.0 sets
   * `port: 8000`, kgateway-dev/kgateway#10987).
   * @default - none
   */
  readonly port?: number;
  /**
   * Filters applied to the requests sent to this pool (`backendRefs[].filters`).
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
}

/** One HTTPRoute rule: matches, weighted pool backends, timeouts and filters. */
export interface InferenceRouteRule {
  /**
   * Conditions, any of which selects the rule (1..64).
   * @default - one match, `PathPrefix /` (the API default, written out)
   */
  readonly matches?: RouteMatch[];
  /** Weighted pool backends (each pool at most once; with the additional backendRefs 1..16, not all weights 0). */
  readonly backends: WeightedPoolBackend[];
  /**
   * Other backendRefs of the rule (Services, other backends), written as given after the pool backends.
   * @default - none
   */
  readonly additionalBackendRefs?: HttpBackendRef[];
  /**
   * Timeout of the whole request (`timeouts.request`). Long generations need minutes.
   * @default - the gateway's default
   */
  readonly requestTimeout?: Duration;
  /**
   * Timeout of one request to a backend (`timeouts.backendRequest`); at most `requestTimeout`.
   * @default - the gateway's default
   */
  readonly backendRequestTimeout?: Duration;
  /**
   * Filters of the rule (request and response header changes, mirrors, redirects, rewrites, extensions).
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
  /**
   * Name of the rule (`name`, a section name that policies and status can refer to; Gateway API v1.4
   * standard channel), unique within the route.
   * @default - none
   */
  readonly name?: string;
  /**
   * Fields of the rule that this construct does not model, as the API spells them (e.g. the experimental
   * channel's `sessionPersistence` and `retry`), written as given after the modelled ones.
   * @default - none
   */
  readonly otherFields?: object;
}

/** Props of a `WeightedInferenceRoute`. */
export interface WeightedInferenceRouteProps {
  /**
   * Name of the HTTPRoute.
   * @default - a name unique in the app, generated from the construct path (as cdk8s names objects)
   */
  readonly name?: string;

  /**
   * Namespace of the HTTPRoute.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /**
   * Labels and annotations of the HTTPRoute.
   * @default - none
   */
  readonly metadata?: ResourceMetadata;

  /** The Gateways the route attaches to (1..32). */
  readonly parentRefs: GatewayParentRef[];

  /**
   * Host names the route answers for (at most 16).
   * @default - every host name of the listeners
   */
  readonly hostnames?: string[];

  /**
   * The rules (1..16). Give either `rules`, or `backends` (and optionally `matches` and timeouts) for a
   * route of one rule.
   * @default - one rule made of `matches`, `backends` and the timeouts
   */
  readonly rules?: InferenceRouteRule[];

  /**
   * Matches of the single rule, when `rules` is not given.
   * @default - `PathPrefix /`
   */
  readonly matches?: RouteMatch[];

  /**
   * Backends of the single rule, when `rules` is not given.
   * @default - none: `rules` must be given
   */
  readonly backends?: WeightedPoolBackend[];

  /**
   * Request timeout of the single rule, when `rules` is not given.
   * @default - the gateway's default
   */
  readonly requestTimeout?: Duration;

  /**
   * Rules for other backends (Services, other pools), written as given after the pool rules. They count
   * towards the limit of 16 rules.
   * @default - none
   */
  readonly additionalRules?: HttpRouteRule[];

  /**
   * Create a ReferenceGrant in a pool's namespace when the pool lives in another namespace than the
   * route. When false, a cross-namespace pool is an error.
   * @default true
   */
  readonly createReferenceGrants?: boolean;
}

// The HTTPRoute CRD (v1.3.0) caps the total of matches over all rules.
const MAX_MATCHES_TOTAL = 128;

/**
 * An HTTPRoute that splits traffic by weight between InferencePools, e.g. between an alpha and a GA pool
 * during a migration. Every API default is written out (parentRef group and kind, backendRef group, kind
 * and weight, the `PathPrefix /` match, header match types), so a GitOps tool sees no drift between Git
 * and the cluster. A pool in another namespace gets a ReferenceGrant.
 *
 * @example
 * new WeightedInferenceRoute(chart, 'route', {
 *   name: 'llm-route',
 *   parentRefs: [{ name: 'inference-gateway' }],
 *   backends: [{ pool: alphaPool, weight: 90 }, { pool: gaPool, weight: 10 }],
 *   requestTimeout: Duration.minutes(5),
 * });
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 * @see https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
 */
export class WeightedInferenceRoute extends Construct {
  /** Name of the HTTPRoute. */
  public readonly name: string;
  /** Namespace of the HTTPRoute. */
  public readonly namespace: string;
  /** The HTTPRoute API object. */
  public readonly resource: ApiObject;
  /** The rules as given (after defaults), for inspection by migrations. */
  public readonly rules: InferenceRouteRule[];
  /** The additional rules, as given. */
  public readonly additionalRules: HttpRouteRule[];

  public constructor(scope: Construct, id: string, props: WeightedInferenceRouteProps) {
    super(scope, id);
    props = givenProps(this, props);
    this.name = props.name ?? generatedName(this);
    checkSubdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'namespace', props.namespace);
    const metadata = resolveMetadata(this, 'metadata', props.metadata);

    const parents = props.parentRefs;
    if (!Array.isArray(parents) || parents.length < 1 || parents.length > 32) {
      throw propError(this, 'parentRefs', `must list 1..32 Gateways (got ${Array.isArray(parents) ? parents.length : show(parents)})`);
    }
    parents.forEach((p, i) => {
      checkSubdomain(this, `parentRefs[${i}].name`, p.name);
      if (p.namespace !== undefined) checkLabelName(this, `parentRefs[${i}].namespace`, p.namespace);
      if (p.sectionName !== undefined) checkSubdomain(this, `parentRefs[${i}].sectionName`, p.sectionName);
      if (p.port !== undefined) checkInteger(this, `parentRefs[${i}].port`, p.port, 1, 65535);
    });
    const parentKeys = parents.map((p) => `${p.namespace ?? ''}/${p.name}/${p.sectionName ?? ''}/${p.port ?? ''}`);
    const dupParent = parentKeys.findIndex((k, i) => parentKeys.indexOf(k) !== i);
    if (dupParent >= 0) {
      throw propError(this, `parentRefs[${dupParent}]`, 'must not repeat another parentRef (same Gateway, section and port)');
    }

    const hostnames = props.hostnames ?? [];
    if (hostnames.length > 16) throw propError(this, 'hostnames', `must have at most 16 entries (got ${hostnames.length})`);
    hostnames.forEach((h, i) => {
      if (typeof h !== 'string' || h.length > 253 || !GATEWAY_HOSTNAME.test(h)) {
        throw propError(this, `hostnames[${i}]`, `must be a lower-case DNS host name, optionally starting with '*.' (got ${show(h)})`);
      }
    });

    const additionalRules = props.additionalRules ?? [];
    if (!Array.isArray(additionalRules) || additionalRules.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) {
      throw propError(this, 'additionalRules', `must be a list of HTTPRoute rules (got ${show(additionalRules)})`);
    }
    additionalRules.forEach((r, i) => {
      checkFilters(this, `additionalRules[${i}].filters`, r.filters);
      (r.backendRefs ?? []).forEach((b, j) => checkFilters(this, `additionalRules[${i}].backendRefs[${j}].filters`, b.filters));
    });
    this.additionalRules = additionalRules;
    this.rules = this.resolveRules(props, additionalRules.length);
    const ruleNames = [...this.rules.map((r) => r.name), ...additionalRules.map((r) => (r as any).name)];
    ruleNames.forEach((n, i) => {
      if (n !== undefined && ruleNames.indexOf(n) !== i) {
        throw propError(this, i < this.rules.length ? `rules[${i}].name` : `additionalRules[${i - this.rules.length}].name`, `repeats rule name ${show(n)}: rule names are unique within a route`);
      }
    });
    const totalMatches = this.rules.reduce((n, r) => n + (r.matches?.length ?? 0), 0)
      + additionalRules.reduce((n, r) => n + (Array.isArray(r.matches) ? r.matches.length : 1), 0);
    if (totalMatches > MAX_MATCHES_TOTAL) {
      throw propError(this, 'rules', `must have at most ${MAX_MATCHES_TOTAL} matches over all rules (got ${totalMatches})`);
    }

    const grants = new Map<string, Set<string>>();
    const createGrants = props.createReferenceGrants ?? true;
    const poolRef = (b: WeightedPoolBackend, at: (f: string) => string) => {
      const crossNamespace = b.pool.poolNamespace !== this.namespace;
      if (crossNamespace) {
        if (!createGrants) {
          throw propError(this, at('backends'), `names pool ${b.pool.poolName} in namespace ${b.pool.poolNamespace}, but the route is in ${this.namespace}: set createReferenceGrants or move the route`);
        }
        const names = grants.get(b.pool.poolNamespace) ?? new Set<string>();
        names.add(`${b.pool.poolGroup}/${b.pool.poolName}`);
        grants.set(b.pool.poolNamespace, names);
      }
      return {
        group: b.pool.poolGroup,
        kind: 'InferencePool',
        name: b.pool.poolName,
        ...(crossNamespace ? { namespace: b.pool.poolNamespace } : {}),
        ...(b.port !== undefined ? { port: b.port } : {}),
        weight: b.weight,
        ...(b.filters && b.filters.length > 0 ? { filters: asGiven(b.filters) } : {}),
      };
    };
    const rules = this.rules.map((rule, r) => {
      const prefix = props.rules ? `rules[${r}]` : '';
      const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
      return {
        ...(rule.name !== undefined ? { name: rule.name } : {}),
        matches: rule.matches!.map((m, i) => renderMatch(this, at(`matches[${i}]`), m)),
        ...(rule.filters && rule.filters.length > 0 ? { filters: asGiven(rule.filters) } : {}),
        backendRefs: [...rule.backends.map((b) => poolRef(b, at)), ...asGiven(rule.additionalBackendRefs ?? [])],
        ...renderTimeouts(this, at, rule),
        ...asGiven(rule.otherFields ?? {}),
      };
    });

    // A plain ApiObject, not the generated class: its mapping keeps only the fields of the CRD it was
    // generated from, and every field given here (a rule name, experimental fields, filters) is written.
    this.resource = new ApiObject(this, 'Resource', {
      ...HttpRoute.GVK,
      metadata: { name: this.name, namespace: this.namespace, ...metadata },
      spec: {
        parentRefs: parents.map((p) => ({
          group: GATEWAY_GROUP,
          kind: 'Gateway',
          name: p.name,
          ...(p.namespace !== undefined ? { namespace: p.namespace } : {}),
          ...(p.sectionName !== undefined ? { sectionName: p.sectionName } : {}),
          ...(p.port !== undefined ? { port: p.port } : {}),
        })),
        ...(hostnames.length > 0 ? { hostnames } : {}),
        rules: [...rules, ...asGiven(additionalRules)],
      },
    });

    for (const [poolNamespace, pools] of [...grants.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      new ReferenceGrant(this, `ReferenceGrant-${poolNamespace}`, {
        metadata: { name: `${this.name}-from-${this.namespace}`.slice(0, 253), namespace: poolNamespace },
        spec: {
          from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: this.namespace }],
          to: [...pools].sort().map((key) => {
            const [group, name] = key.split('/');
            return { group, kind: 'InferencePool', name };
          }),
        },
      });
    }
  }

  private resolveRules(props: WeightedInferenceRouteProps, additional: number): InferenceRouteRule[] {
    if (props.rules !== undefined && (props.backends !== undefined || props.matches !== undefined || props.requestTimeout !== undefined)) {
      throw propError(this, 'rules', 'cannot be combined with \'backends\', \'matches\' or \'requestTimeout\': give the rules, or the single rule\'s fields');
    }
    const given: InferenceRouteRule[] = props.rules ?? (props.backends !== undefined
      ? [{ backends: props.backends, matches: props.matches, requestTimeout: props.requestTimeout }]
      : []);
    const min = additional > 0 ? 0 : 1;
    if (!Array.isArray(given) || given.length < min || given.length + additional > MAX_RULES) {
      const count = Array.isArray(given) ? `${given.length}${additional > 0 ? ` and ${additional} additional` : ''}` : show(given);
      throw propError(this, props.rules ? 'rules' : 'backends', `must give ${min}..${MAX_RULES} rules with backends, additional rules included (got ${count})`);
    }
    return given.map((rule, r) => {
      const at = (field: string) => (props.rules ? `rules[${r}].${field}` : field);
      const backends = rule.backends;
      const others = rule.additionalBackendRefs ?? [];
      if (!Array.isArray(others) || others.some((ref) => !ref || typeof ref !== 'object' || typeof ref.name !== 'string')) {
        throw propError(this, at('additionalBackendRefs'), `must be a list of HTTPRoute backendRefs with a name (got ${show(others)})`);
      }
      others.forEach((ref, i) => checkFilters(this, at(`additionalBackendRefs[${i}].filters`), ref.filters));
      checkFilters(this, at('filters'), rule.filters);
      const minPools = others.length > 0 ? 0 : 1;
      if (!Array.isArray(backends) || backends.length < minPools || backends.length + others.length > MAX_BACKENDS_PER_RULE) {
        const count = Array.isArray(backends) ? `${backends.length}${others.length > 0 ? ` and ${others.length} additional` : ''}` : show(backends);
        throw propError(this, at('backends'), `must list ${minPools}..${MAX_BACKENDS_PER_RULE} pools, additional backendRefs included (got ${count})`);
      }
      if (rule.name !== undefined) checkSubdomain(this, at('name'), rule.name);
      const other = rule.otherFields ?? {};
      if (other === null || typeof other !== 'object' || Array.isArray(other)) {
        throw propError(this, at('otherFields'), `must be a map of rule fields (got ${show(other)})`);
      }
      const modelled = Object.keys(other).filter((k) => ['name', 'matches', 'filters', 'backendRefs', 'timeouts'].includes(k));
      if (modelled.length > 0) {
        throw propError(this, at('otherFields'), `must not hold ${modelled.join(', ')}: give ${modelled.length === 1 ? 'it' : 'them'} as the rule's own props`);
      }
      const seen = new Map<string, number>();
      backends.forEach((b, i) => {
        if (!b || !b.pool || typeof b.pool.poolName !== 'string') {
          throw propError(this, at(`backends[${i}].pool`), `must be an InferencePoolGa, an InferencePoolAlpha or another pool backend (got ${show(b?.pool)})`);
        }
        checkInteger(this, at(`backends[${i}].weight`), b.weight, 0, MAX_BACKEND_WEIGHT);
        if (b.port !== undefined) checkInteger(this, at(`backends[${i}].port`), b.port, 1, 65535);
        checkFilters(this, at(`backends[${i}].filters`), b.filters);
        const key = `${b.pool.poolGroup}/${b.pool.poolNamespace}/${b.pool.poolName}`;
        if (seen.has(key)) {
          throw propError(this, at(`backends[${i}].pool`), `names pool ${b.pool.poolName} (${b.pool.poolGroup}) again, already at backends[${seen.get(key)}]: each pool at most once per rule`);
        }
        seen.set(key, i);
      });
      if (backends.every((b) => b.weight === 0) && others.every((ref) => ref.weight === 0)) {
        throw propError(this, at('backends'), 'must give at least one backend a weight above 0 (all weights are 0, so the rule would reject every request)');
      }
      const matches = rule.matches ?? [{ path: { type: PathMatchType.PATH_PREFIX, value: '/' } }];
      if (!Array.isArray(matches) || matches.length < 1 || matches.length > MAX_MATCHES_PER_RULE) {
        throw propError(this, at('matches'), `must list 1..${MAX_MATCHES_PER_RULE} matches (got ${Array.isArray(matches) ? matches.length : show(matches)})`);
      }
      return { ...rule, matches };
    });
  }
}

function renderMatch(scope: Construct, at: string, match: RouteMatch): any {
  const out: any = {};
  // The API server defaults every match's path to `PathPrefix /` (which matches any path): written out.
  const path = match.path ?? { value: '/' };
  {
    const type = path.type ?? PathMatchType.PATH_PREFIX;
    checkOneOf(scope, `${at}.path.type`, type, Object.values(PathMatchType));
    if (typeof path.value !== 'string' || path.value.length > 1024) {
      throw propError(scope, `${at}.path.value`, `must be a string of at most 1024 characters (got ${show(path.value)})`);
    }
    if (type !== PathMatchType.REGULAR_EXPRESSION && !path.value.startsWith('/')) {
      throw propError(scope, `${at}.path.value`, `must start with '/' for ${type} matches (got ${show(path.value)})`);
    }
    out.path = { type, value: path.value };
  }
  if (match.headers && match.headers.length > 0) out.headers = renderValueMatches(scope, `${at}.headers`, match.headers, true);
  if (match.queryParams && match.queryParams.length > 0) out.queryParams = renderValueMatches(scope, `${at}.queryParams`, match.queryParams, false);
  if (match.method !== undefined) {
    checkOneOf(scope, `${at}.method`, match.method, Object.values(HttpMethod));
    out.method = match.method;
  }
  return out;
}

function renderValueMatches(scope: Construct, at: string, matches: ValueMatch[], caseInsensitive: boolean): any[] {
  if (matches.length > 16) throw propError(scope, at, `must have at most 16 entries (got ${matches.length})`);
  const names = matches.map((m) => (caseInsensitive ? m.name?.toLowerCase() : m.name));
  return matches.map((m, i) => {
    checkHeaderName(scope, `${at}[${i}].name`, m.name);
    if (names.indexOf(names[i]) !== i) {
      throw propError(scope, `${at}[${i}].name`, `repeats ${show(m.name)}: each name at most once per match`);
    }
    if (typeof m.value !== 'string' || m.value.length < 1 || m.value.length > 4096) {
      throw propError(scope, `${at}[${i}].value`, `must be a string of 1..4096 characters (got ${show(m.value)})`);
    }
    const type = m.type ?? ValueMatchType.EXACT;
    checkOneOf(scope, `${at}[${i}].type`, type, Object.values(ValueMatchType));
    return { name: m.name, type, value: m.value };
  });
}

function renderTimeouts(scope: Construct, at: (f: string) => string, rule: InferenceRouteRule): any {
  if (rule.requestTimeout === undefined && rule.backendRequestTimeout === undefined) return {};
  const request = rule.requestTimeout && toGatewayDuration(scope, at('requestTimeout'), rule.requestTimeout);
  const backendRequest = rule.backendRequestTimeout && toGatewayDuration(scope, at('backendRequestTimeout'), rule.backendRequestTimeout);
  if (rule.requestTimeout && rule.backendRequestTimeout) {
    const r = rule.requestTimeout.toMilliseconds();
    if (r !== 0 && rule.backendRequestTimeout.toMilliseconds() > r) {
      throw propError(scope, at('backendRequestTimeout'), `must not exceed requestTimeout (${request}) (got ${backendRequest})`);
    }
  }
  return { timeouts: { ...(request ? { request } : {}), ...(backendRequest ? { backendRequest } : {}) } };
}

/** A deep copy without undefined values: what the user wrote, as the API spells it. */
function asGiven<T>(value: T): any {
  return JSON.parse(JSON.stringify(value));
}

const FILTER_FIELDS: Array<[HttpRouteFilterType, keyof HttpRouteFilter]> = [
  [HttpRouteFilterType.REQUEST_HEADER_MODIFIER, 'requestHeaderModifier'],
  [HttpRouteFilterType.RESPONSE_HEADER_MODIFIER, 'responseHeaderModifier'],
  [HttpRouteFilterType.REQUEST_MIRROR, 'requestMirror'],
  [HttpRouteFilterType.REQUEST_REDIRECT, 'requestRedirect'],
  [HttpRouteFilterType.URL_REWRITE, 'urlRewrite'],
  [HttpRouteFilterType.EXTENSION_REF, 'extensionRef'],
];

/**
 * Checks filters as the HTTPRoute CRD's rules do (Gateway API v1.3.0, config/crd/standard
 * gateway.networking.k8s.io_httproutes.yaml): at most 16, the field of the filter's type set and no other,
 * a redirect status of 301 or 302, a path modifier with the field of its type, mirror percent or fraction.
 */
function checkFilters(scope: Construct, at: string, filters: HttpRouteFilter[] | undefined): void {
  if (filters === undefined) return;
  if (!Array.isArray(filters) || filters.length > 16) {
    throw propError(scope, at, `must be a list of at most 16 HTTPRoute filters (got ${Array.isArray(filters) ? filters.length : show(filters)})`);
  }
  filters.forEach((f, i) => {
    const where = `${at}[${i}]`;
    if (!f || typeof f !== 'object') throw propError(scope, where, `must be an HTTPRoute filter (got ${show(f)})`);
    checkOneOf(scope, `${where}.type`, f.type, Object.values(HttpRouteFilterType));
    for (const [type, field] of FILTER_FIELDS) {
      const set = f[field] !== undefined;
      if (type === f.type && !set) throw propError(scope, `${where}.${field}`, `must be set for a filter of type ${f.type}`);
      if (type !== f.type && set) throw propError(scope, `${where}.${field}`, `must be left out for a filter of type ${f.type} (only ${type} filters take it)`);
    }
    const modifier = f.requestHeaderModifier ?? f.responseHeaderModifier;
    if (modifier) {
      const field = f.requestHeaderModifier ? 'requestHeaderModifier' : 'responseHeaderModifier';
      for (const list of ['add', 'set'] as const) {
        (modifier[list] ?? []).forEach((h, j) => checkHeaderName(scope, `${where}.${field}.${list}[${j}].name`, h.name));
      }
      (modifier.remove ?? []).forEach((h, j) => checkHeaderName(scope, `${where}.${field}.remove[${j}]`, h));
    }
    if (f.requestRedirect) {
      const r = f.requestRedirect;
      if (r.statusCode !== undefined) checkOneOf(scope, `${where}.requestRedirect.statusCode`, r.statusCode, [301, 302]);
      if (r.port !== undefined) checkInteger(scope, `${where}.requestRedirect.port`, r.port, 1, 65535);
      checkPathModifier(scope, `${where}.requestRedirect.path`, r.path);
    }
    if (f.urlRewrite) checkPathModifier(scope, `${where}.urlRewrite.path`, f.urlRewrite.path);
    if (f.requestMirror) {
      const m = f.requestMirror;
      if (!m.backendRef || typeof m.backendRef.name !== 'string') throw propError(scope, `${where}.requestMirror.backendRef`, `must name a backend (got ${show(m.backendRef)})`);
      if (m.percent !== undefined && m.fraction !== undefined) throw propError(scope, `${where}.requestMirror`, 'must give percent or fraction, not both');
      if (m.percent !== undefined) checkInteger(scope, `${where}.requestMirror.percent`, m.percent, 0, 100);
      if (m.fraction !== undefined) {
        const denominator = m.fraction.denominator ?? 100;
        checkInteger(scope, `${where}.requestMirror.fraction.denominator`, denominator, 1, 2147483647);
        checkInteger(scope, `${where}.requestMirror.fraction.numerator`, m.fraction.numerator, 0, denominator);
      }
    }
  });
}

function checkPathModifier(scope: Construct, at: string, path: HttpPathModifier | undefined): void {
  if (path === undefined) return;
  checkOneOf(scope, `${at}.type`, path.type, Object.values(HttpPathModifierType));
  const full = path.type === HttpPathModifierType.REPLACE_FULL_PATH;
  if ((full && path.replaceFullPath === undefined) || (!full && path.replacePrefixMatch === undefined)) {
    throw propError(scope, at, `must set ${full ? 'replaceFullPath' : 'replacePrefixMatch'} for type ${path.type}`);
  }
  if ((full && path.replacePrefixMatch !== undefined) || (!full && path.replaceFullPath !== undefined)) {
    throw propError(scope, at, `must set only ${full ? 'replaceFullPath' : 'replacePrefixMatch'} for type ${path.type}`);
  }
}
