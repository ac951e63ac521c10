/**
 * The requests of the READMEs' data-plane checks: sent to the listener the route attaches to (its port, protocol
 * and host name, read from the Gateway in Git, else from the cluster when run), matching the route's own rule
 * (path, headers, query parameters, method), and rendered as a self-contained shell snippet. Pure.
 */
import { CheckPool, CheckRequest } from './stage-check';
import { shellQuote as q } from '../core/shell';
import { HttpHeader, PathMatchType, RouteMatch, ValueMatchType } from '../inference/http-route-types';

/** The listener a request goes to. */
export interface AttachedListener {
  /** Its port; unset when the Gateway is not known (the snippet reads it from the cluster). */
  readonly port?: number;
  readonly scheme: 'http' | 'https';
  /** The listener's host name (a wildcard kept as written). */
  readonly hostname?: string;
  /** The listener's name, when the port is read from the cluster by it. */
  readonly sectionName?: string;
  /** Where the port comes from, for the snippet's comment. */
  readonly source: string;
}

/** A parentRef of a route: the Gateway and, optionally, one of its listeners. */
export interface ParentOf {
  readonly name: string;
  readonly namespace: string;
  readonly sectionName?: string;
  readonly port?: number;
}

const HTTP_PROTOCOLS: { [p: string]: 'http' | 'https' } = { HTTP: 'http', HTTPS: 'https' };

/**
 * The listener of `gateway` (a Gateway object, or undefined when it is not in the input) that a route attached by
 * `parent` is served on: the listener the parentRef names (sectionName, port), an HTTP one before an HTTPS one.
 */
export function attachedListener(gateway: any, parent: ParentOf): AttachedListener {
  const listeners: any[] = Array.isArray(gateway?.spec?.listeners) ? gateway.spec.listeners : [];
  const candidates = listeners.filter((l) => HTTP_PROTOCOLS[l?.protocol] !== undefined && Number.isInteger(l?.port)
    && (parent.sectionName === undefined || l.name === parent.sectionName) && (parent.port === undefined || l.port === parent.port));
  const chosen = candidates.find((l) => l.protocol === 'HTTP') ?? candidates[0];
  if (chosen) {
    return {
      port: chosen.port,
      scheme: HTTP_PROTOCOLS[chosen.protocol],
      ...(typeof chosen.hostname === 'string' ? { hostname: chosen.hostname } : {}),
      source: `listener ${chosen.name} (${chosen.protocol} ${chosen.port}) of Gateway ${parent.namespace}/${parent.name}`,
    };
  }
  if (parent.port !== undefined) return { port: parent.port, scheme: 'http', source: `the port the route's parentRef names on Gateway ${parent.namespace}/${parent.name}` };
  if (parent.sectionName !== undefined) {
    return { scheme: 'http', sectionName: parent.sectionName, source: `listener ${parent.sectionName} of Gateway ${parent.namespace}/${parent.name}, read from the cluster (the Gateway is not in the input: if that listener is HTTPS, use https:// and the route's host name)` };
  }
  return { scheme: 'http', source: `the first HTTP listener of Gateway ${parent.namespace}/${parent.name}, read from the cluster (the Gateway is not in the input)` };
}

/** What a request needs: where it goes, the rule it must match, extra headers, the model, the pool it must reach. */
export interface RequestInput {
  readonly parent: ParentOf;
  readonly listener: AttachedListener;
  readonly routeHostnames?: readonly string[];
  /** The first match of the route's rule to the pool. */
  readonly match?: RouteMatch;
  /** Headers that select the pool (the preview header). */
  readonly headers?: readonly HttpHeader[];
  readonly model: string;
  readonly prompt: string;
  readonly maxTokens: number;
  readonly reaches: CheckPool;
}

/** The completions path the model servers answer (OpenAI API), as vLLM serves it. */
export const COMPLETIONS_PATH = '/v1/completions';

/** The request of a data-plane check, and what the reader must adjust where the route's match cannot be met exactly. */
export function checkRequest(input: RequestInput): { request: CheckRequest; notes: string[] } {
  const notes: string[] = [];
  const match = wellTypedMatch(input.match);
  const path = requestPath(match, notes);
  const chat = /\/chat\/completions$/.test(path);
  const query = (match.queryParams ?? []).flatMap((p) => {
    if ((p.type ?? ValueMatchType.EXACT) === ValueMatchType.EXACT) return [`${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`];
    notes.push(`the route matches the query parameter ${p.name} by the regular expression ${p.value}: add a value it matches`);
    return [];
  });
  const headers: HttpHeader[] = [];
  for (const h of match.headers ?? []) {
    if ((h.type ?? ValueMatchType.EXACT) === ValueMatchType.EXACT) headers.push({ name: h.name, value: h.value });
    else notes.push(`the route matches the header ${h.name} by the regular expression ${h.value}: add the header with a value it matches`);
  }
  headers.push(...(input.headers ?? []));
  const host = hostOf(input.routeHostnames, input.listener.hostname);
  const request: CheckRequest = {
    gatewayName: input.parent.name,
    gatewayNamespace: input.parent.namespace,
    ...(input.listener.port !== undefined ? { port: input.listener.port } : {}),
    ...(input.listener.port === undefined && input.listener.sectionName !== undefined ? { listenerName: input.listener.sectionName } : {}),
    scheme: input.listener.scheme,
    ...(host !== undefined ? { host } : {}),
    method: match.method ?? 'POST',
    path: query.length > 0 ? `${path}?${query.join('&')}` : path,
    headers,
    // The OpenAI API's body of the path: messages for chat completions, a prompt for completions.
    body: JSON.stringify(chat
      ? { model: input.model, messages: [{ role: 'user', content: input.prompt }], max_tokens: input.maxTokens, temperature: 0 }
      : { model: input.model, prompt: input.prompt, max_tokens: input.maxTokens, temperature: 0 }),
    expectedStatus: 200,
    reaches: input.reaches,
  };
  return { request, notes };
}

/**
 * The parts of a route's match that have the types of the Gateway API: a carried route is not validated when
 * the user says --no-validate, and a README check must not fail on a field of the wrong type (it is left out).
 */
function wellTypedMatch(match: RouteMatch | undefined): RouteMatch {
  const m: any = match ?? {};
  const str = (v: unknown): v is string => typeof v === 'string';
  const typed = (v: any) => str(v?.name) && str(v?.value) && (v.type === undefined || str(v.type));
  const values = (list: unknown) => (Array.isArray(list) ? list.filter(typed) : []);
  const p = m.path;
  const path = p !== null && typeof p === 'object' && (p.type === undefined || str(p.type)) && (p.value === undefined || str(p.value)) ? p : undefined;
  return {
    ...(path ? { path } : {}),
    headers: values(m.headers),
    queryParams: values(m.queryParams),
    ...(str(m.method) ? { method: m.method } : {}),
  };
}

/**
 * The path of the request: the completions path where the rule's path match allows it; the match's own path when
 * it is an exact path or names a completions endpoint (`/v1/chat/completions`); else the completions path under the
 * match's prefix.
 */
function requestPath(match: RouteMatch, notes: string[]): string {
  const type = match.path?.type ?? PathMatchType.PATH_PREFIX;
  const value = match.path?.value ?? '/';
  if (type === PathMatchType.EXACT) return value;
  if (type === PathMatchType.REGULAR_EXPRESSION) {
    notes.push(`the route matches paths by the regular expression ${value}: change the path if ${COMPLETIONS_PATH} does not match it`);
    return COMPLETIONS_PATH;
  }
  const prefix = value.replace(/\/+$/, '');
  // A prefix matches element by element: /v1 matches /v1/completions, /v matches nothing of it.
  if (prefix === '' || COMPLETIONS_PATH === prefix || COMPLETIONS_PATH.startsWith(`${prefix}/`)) return COMPLETIONS_PATH;
  if (/\/completions$/.test(prefix)) return prefix;
  notes.push(`the route matches the path prefix ${value}: the request goes to ${prefix}${COMPLETIONS_PATH}, which the model servers answer only if the route rewrites the path`);
  return `${prefix}${COMPLETIONS_PATH}`;
}

/** The host of the request: the route's first host name, else the listener's (a wildcard gets `test.`). */
function hostOf(routeHostnames: readonly string[] | undefined, listenerHostname: string | undefined): string | undefined {
  const first = Array.isArray(routeHostnames) ? routeHostnames[0] : undefined;
  const host = typeof first === 'string' ? first : listenerHostname;
  return typeof host !== 'string' ? undefined : host.replace(/^\*\./, 'test.');
}

/** The shell lines that set `<prefix>IP` and `<prefix>PORT` for a request through the Gateway of `r`. */
function addressLines(r: CheckRequest, prefix: string): string[] {
  const gw = q(`gateway.gateway.networking.k8s.io/${r.gatewayName}`);
  const ip = `${prefix}IP=$(kubectl get ${gw} -n ${q(r.gatewayNamespace)} -o jsonpath='{.status.addresses[0].value}')`;
  const listener = r.listenerName !== undefined ? `jsonpath={.spec.listeners[?(@.name=="${r.listenerName}")].port}` : 'jsonpath={.spec.listeners[?(@.protocol=="HTTP")].port}';
  const port = r.port !== undefined
    ? `${prefix}PORT=${r.port}`
    : `${prefix}PORT=$(kubectl get ${gw} -n ${q(r.gatewayNamespace)} -o ${q(listener)} | cut -d ' ' -f 1)`;
  return [ip, port];
}

/**
 * The request as a self-contained shell snippet: the Gateway's address and port, then curl. With https and a host
 * name, curl connects to the address and sends that name (TLS server name and Host) with `--resolve`.
 */
export function curlSnippet(r: CheckRequest, varPrefix: string = ''): string {
  const ip = `\${${varPrefix}IP}`;
  const port = `\${${varPrefix}PORT}`;
  const path = q(r.path);
  const args: string[] = ['curl', '-i'];
  if (r.method !== 'POST') args.push('-X', q(r.method));
  if (r.scheme === 'https' && r.host !== undefined) {
    args.push('--resolve', `${q(r.host)}:${port}:${ip}`, `https://${q(r.host)}:${port}${path}`);
  } else {
    args.push(`${r.scheme}://${ip}:${port}${path}`);
    if (r.host !== undefined) args.push('-H', q(`Host: ${r.host}`));
  }
  for (const h of r.headers) args.push('-H', q(`${h.name}: ${h.value}`));
  args.push('-H', q('Content-Type: application/json'), '-d', q(r.body));
  return [...addressLines(r, varPrefix), args.join(' ')].join('\n');
}
