import { Duration } from 'cdk8s';
import { CarriedManifest } from '../core/carried-manifest';
import { GatewayParentRef, HttpBackendRef, HttpRouteFilter, HttpRouteRule, RouteMatch } from '../inference/http-route-types';
import { ResourceMetadata } from '../inference/types';

/** One rule of a route being migrated: everything but its backends, which each stage decides. */
export interface MigrationRouteRule {
  /**
   * Conditions of the rule.
   * @default - `PathPrefix /`
   */
  readonly matches?: RouteMatch[];
  /**
   * Request timeout of the rule.
   * @default - the gateway's default
   */
  readonly requestTimeout?: Duration;
  /**
   * Backend request timeout of the rule.
   * @default - the gateway's default
   */
  readonly backendRequestTimeout?: Duration;
  /**
   * Filters of the rule, carried as given.
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];

  /**
   * Other backendRefs of the rule (Services, other backends), for a rule that sends part of its traffic
   * to the pool and part elsewhere. They keep their share in every stage; only the pool's share moves
   * from the alpha to the GA pool.
   * @default - none: all of the rule's traffic goes to the pool
   */
  readonly otherBackendRefs?: HttpBackendRef[];

  /**
   * Weight of the pool's backendRef next to `otherBackendRefs`.
   * @default 1 (the API default weight)
   */
  readonly poolWeight?: number;

  /**
   * `port` of the pool's backendRef, kept on the alpha and the GA backendRef in every stage (some
   * implementations need it, e.g. kgateway v2.0: `port: 8000` in upstream's GIE v0.3.0 route).
   * @default - none
   */
  readonly poolPort?: number;

  /**
   * Filters of the pool's backendRef, kept on the alpha and the GA backendRef in every stage.
   * @default - none
   */
  readonly poolFilters?: HttpRouteFilter[];

  /**
   * Name of the rule, kept in every stage (a preview copy of the rule is named `<name>-preview`).
   * @default - none
   */
  readonly name?: string;

  /**
   * Fields of the rule this library does not model (e.g. the experimental `sessionPersistence` and
   * `retry`), kept as given in every stage.
   * @default - none
   */
  readonly otherFields?: object;
}

/** An HTTPRoute whose pool backend moves from the alpha to the GA pool. */
export interface MigrationRoute {
  /** Name of the HTTPRoute. */
  readonly name: string;
  /**
   * Namespace of the HTTPRoute.
   * @default - the migration's namespace
   */
  readonly namespace?: string;
  /** The Gateways the route attaches to. */
  readonly parentRefs: GatewayParentRef[];
  /**
   * Host names of the route.
   * @default - none
   */
  readonly hostnames?: string[];
  /**
   * The rules that send traffic to the pool.
   * @default - one rule matching `PathPrefix /`
   */
  readonly rules?: MigrationRouteRule[];
  /**
   * Rules of the route that serve other backends (Services, other pools), carried unchanged in every
   * stage, after the pool rules.
   * @default - none
   */
  readonly otherRules?: HttpRouteRule[];
  /**
   * Labels and annotations of the HTTPRoute.
   * @default - none
   */
  readonly metadata?: ResourceMetadata;
  /**
   * The route as it is in Git today. When given, the first stage carries it unchanged (the route is
   * untouched until traffic shifts) and it counts as existing before the migration.
   * @default - the first stage renders the route with 100% to the alpha pool
   */
  readonly manifest?: CarriedManifest;
}

/** The request header that selects the GA pool in a header-preview-cutover migration. */
export interface PreviewHeader {
  /**
   * Header name.
   * @default 'x-inference-preview'
   */
  readonly name?: string;
  /**
   * Header value.
   * @default 'ga'
   */
  readonly value?: string;
}
