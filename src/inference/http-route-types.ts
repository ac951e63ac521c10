/**
 * The parts of a Gateway API HTTPRoute (v1, standard channel of Gateway API v1.3.0) that the route
 * constructs and the migrations take: parent references, matches, filters, backendRefs and rules, as
 * typed structs whose fields are spelled as the API spells them. Plain types and enums: no cdk8s.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproute
 */

/** How an HTTPRoute path match compares. */
export enum PathMatchType {
  /** The path starts with the value, element by element (the API default). */
  PATH_PREFIX = 'PathPrefix',
  /** The path equals the value. */
  EXACT = 'Exact',
  /** The path matches the value as a regular expression (implementation-specific dialect). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** How an HTTPRoute header or query-parameter match compares. */
export enum ValueMatchType {
  /** The value equals (the API default). */
  EXACT = 'Exact',
  /** The value matches a regular expression (implementation-specific dialect). */
  REGULAR_EXPRESSION = 'RegularExpression',
}

/** An HTTP method an HTTPRoute match can require. */
export enum HttpMethod {
  /** GET. */
  GET = 'GET',
  /** HEAD. */
  HEAD = 'HEAD',
  /** POST (completions and chat requests). */
  POST = 'POST',
  /** PUT. */
  PUT = 'PUT',
  /** DELETE. */
  DELETE = 'DELETE',
  /** CONNECT. */
  CONNECT = 'CONNECT',
  /** OPTIONS. */
  OPTIONS = 'OPTIONS',
  /** TRACE. */
  TRACE = 'TRACE',
  /** PATCH. */
  PATCH = 'PATCH',
}

/** A Gateway the route attaches to (an HTTPRoute `parentRef`). */
export interface GatewayParentRef {
  /** Name of the Gateway. */
  readonly name: string;
  /**
   * Namespace of the Gateway.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Name of the Gateway listener to attach to.
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;
  /**
   * Port of the Gateway listener to attach to.
   * @default - every port
   */
  readonly port?: number;
}

/** A path match. */
export interface PathMatch {
  /**
   * How to compare.
   * @default PathMatchType.PATH_PREFIX
   */
  readonly type?: PathMatchType;
  /** The path, starting with `/` (for prefix and exact matches). */
  readonly value: string;
}

/** A header or query-parameter match. */
export interface ValueMatch {
  /** Header or query-parameter name, e.g. `X-Gateway-Model-Name`. */
  readonly name: string;
  /** Value to compare with. */
  readonly value: string;
  /**
   * How to compare.
   * @default ValueMatchType.EXACT
   */
  readonly type?: ValueMatchType;
}

/**
 * One HTTPRoute match: every condition must hold.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutematch
 */
export interface RouteMatch {
  /**
   * Path condition.
   * @default - `PathPrefix /` (any path; the API default, written out)
   */
  readonly path?: PathMatch;
  /**
   * Header conditions.
   * @default - none
   */
  readonly headers?: ValueMatch[];
  /**
   * Query-parameter conditions.
   * @default - none
   */
  readonly queryParams?: ValueMatch[];
  /**
   * HTTP method condition.
   * @default - any method
   */
  readonly method?: HttpMethod;
}

/** The type of an HTTPRoute filter: which of its fields is set. */
export enum HttpRouteFilterType {
  /** Adds, sets or removes request headers (`requestHeaderModifier`). */
  REQUEST_HEADER_MODIFIER = 'RequestHeaderModifier',
  /** Adds, sets or removes response headers (`responseHeaderModifier`). */
  RESPONSE_HEADER_MODIFIER = 'ResponseHeaderModifier',
  /** Mirrors requests to another backend (`requestMirror`). */
  REQUEST_MIRROR = 'RequestMirror',
  /** Answers with a redirect (`requestRedirect`). */
  REQUEST_REDIRECT = 'RequestRedirect',
  /** Rewrites the host name or path before forwarding (`urlRewrite`). */
  URL_REWRITE = 'URLRewrite',
  /** An implementation-specific filter, by reference (`extensionRef`). */
  EXTENSION_REF = 'ExtensionRef',
}

/** An HTTP header name and value. */
export interface HttpHeader {
  /** Header name (case-insensitive). */
  readonly name: string;
  /** Header value. */
  readonly value: string;
}

/** Header changes of a `RequestHeaderModifier` or `ResponseHeaderModifier` filter. */
export interface HttpHeaderModifier {
  /**
   * Headers to add (appended to any existing value).
   * @default - none
   */
  readonly add?: HttpHeader[];
  /**
   * Headers to set (replacing any existing value).
   * @default - none
   */
  readonly set?: HttpHeader[];
  /**
   * Names of headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** A reference to a backend object (as in a `RequestMirror` filter). */
export interface BackendObjectReference {
  /** Name of the backend. */
  readonly name: string;
  /**
   * API group of the backend (`''` for the core group).
   * @default '' (the core group)
   */
  readonly group?: string;
  /**
   * Kind of the backend.
   * @default 'Service'
   */
  readonly kind?: string;
  /**
   * Namespace of the backend (another namespace needs a ReferenceGrant there).
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /**
   * Port of the backend (required for a Service).
   * @default - none
   */
  readonly port?: number;
}

/** The share of requests a `RequestMirror` filter mirrors: numerator / denominator. */
export interface MirrorFraction {
  /** Numerator. */
  readonly numerator: number;
  /**
   * Denominator.
   * @default 100
   */
  readonly denominator?: number;
}

/** A `RequestMirror` filter: requests are also sent to another backend, whose answers are ignored. */
export interface HttpRequestMirror {
  /** Where requests are mirrored to. */
  readonly backendRef: BackendObjectReference;
  /**
   * Percent of requests mirrored (give this or `fraction`).
   * @default - every request
   */
  readonly percent?: number;
  /**
   * Share of requests mirrored (give this or `percent`).
   * @default - every request
   */
  readonly fraction?: MirrorFraction;
}

/** How a redirect or rewrite changes the path. */
export enum HttpPathModifierType {
  /** Replace the whole path with `replaceFullPath`. */
  REPLACE_FULL_PATH = 'ReplaceFullPath',
  /** Replace the matched prefix with `replacePrefixMatch` (only after a `PathPrefix` match). */
  REPLACE_PREFIX_MATCH = 'ReplacePrefixMatch',
}

/** A path change of a redirect or rewrite. */
export interface HttpPathModifier {
  /** How the path changes. */
  readonly type: HttpPathModifierType;
  /**
   * The new path (with `REPLACE_FULL_PATH`).
   * @default - none
   */
  readonly replaceFullPath?: string;
  /**
   * The new prefix (with `REPLACE_PREFIX_MATCH`).
   * @default - none
   */
  readonly replacePrefixMatch?: string;
}

/** The scheme of a redirect. */
export enum RedirectScheme {
  /** http. */
  HTTP = 'http',
  /** https. */
  HTTPS = 'https',
}

/** A `RequestRedirect` filter: the gateway answers with a redirect. */
export interface HttpRequestRedirect {
  /**
   * Scheme of the redirect.
   * @default - the request's
   */
  readonly scheme?: RedirectScheme;
  /**
   * Host name of the redirect.
   * @default - the request's
   */
  readonly hostname?: string;
  /**
   * Path change of the redirect.
   * @default - the request's path
   */
  readonly path?: HttpPathModifier;
  /**
   * Port of the redirect.
   * @default - derived from the scheme and the listener
   */
  readonly port?: number;
  /**
   * HTTP status code: 301 or 302.
   * @default 302
   */
  readonly statusCode?: number;
}

/** A `URLRewrite` filter: the request is changed before it is forwarded. */
export interface HttpUrlRewrite {
  /**
   * The new host name.
   * @default - unchanged
   */
  readonly hostname?: string;
  /**
   * The path change.
   * @default - unchanged
   */
  readonly path?: HttpPathModifier;
}

/** An object in the route's namespace, by group, kind and name (an `ExtensionRef` filter). */
export interface LocalObjectReference {
  /** API group of the object. */
  readonly group: string;
  /** Kind of the object. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
}

/**
 * One HTTPRoute filter, as the API spells it: `type` says which one of the other fields is set.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httproutefilter
 */
export interface HttpRouteFilter {
  /** The filter's type. */
  readonly type: HttpRouteFilterType;
  /**
   * With `REQUEST_HEADER_MODIFIER`.
   * @default - none
   */
  readonly requestHeaderModifier?: HttpHeaderModifier;
  /**
   * With `RESPONSE_HEADER_MODIFIER`.
   * @default - none
   */
  readonly responseHeaderModifier?: HttpHeaderModifier;
  /**
   * With `REQUEST_MIRROR`.
   * @default - none
   */
  readonly requestMirror?: HttpRequestMirror;
  /**
   * With `REQUEST_REDIRECT`.
   * @default - none
   */
  readonly requestRedirect?: HttpRequestRedirect;
  /**
   * With `URL_REWRITE`.
   * @default - none
   */
  readonly urlRewrite?: HttpUrlRewrite;
  /**
   * With `EXTENSION_REF`.
   * @default - none
   */
  readonly extensionRef?: LocalObjectReference;
}

/**
 * A backendRef of an HTTPRoute rule other than an InferencePool of the migration (a Service, another
 * backend), as the API spells it.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref
 */
export interface HttpBackendRef extends BackendObjectReference {
  /**
   * Relative weight, 0..1,000,000.
   * @default 1
   */
  readonly weight?: number;
  /**
   * Filters applied to requests sent to this backend.
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
}

/** Timeouts of an HTTPRoute rule, as Gateway API durations (e.g. `300s`, `1m30s`). */
export interface HttpRouteTimeouts {
  /**
   * Timeout of the whole request.
   * @default - the gateway's default
   */
  readonly request?: string;
  /**
   * Timeout of one request to a backend.
   * @default - the gateway's default
   */
  readonly backendRequest?: string;
}

/**
 * An HTTPRoute rule as the API spells it, for rules that serve other backends and are written as given.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule
 */
export interface HttpRouteRule {
  /**
   * Conditions, any of which selects the rule.
   * @default - as given (the API server defaults a missing list to `PathPrefix /`)
   */
  readonly matches?: RouteMatch[];
  /**
   * Filters of the rule.
   * @default - none
   */
  readonly filters?: HttpRouteFilter[];
  /**
   * Backends of the rule.
   * @default - none (requests get a 500 answer)
   */
  readonly backendRefs?: HttpBackendRef[];
  /**
   * Timeouts of the rule.
   * @default - the gateway's defaults
   */
  readonly timeouts?: HttpRouteTimeouts;
}
