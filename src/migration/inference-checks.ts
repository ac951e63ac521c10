/**
 * The "Verify" checks of an InferencePool migration's stages, as data (StageCheck) with the README's command
 * rendered from it: the Gateways programmed, the routes accepted with their backends resolved, the pools and the
 * Endpoint Picker there, the requests through the listener each route attaches to (with the preview header where
 * the GA pool must answer), the model rewrites and the GA Endpoint Picker's metrics. Pure functions from the
 * resolved migration. Internal.
 */
import { attachedListener, checkRequest, curlSnippet, ParentOf } from './check-requests';
import { ResolvedParallelGateway } from './inference-objects';
import { Header, ResolvedInferenceMigration, ResolvedRoute } from './inference-resolve';
import { StageCommand } from './migration-stage';
import { PlannedStage, RouteState } from './plan';
import { CheckPool, kubectlCheck, StageCheckKind } from './stage-check';
import { eppRequestMetrics, eppRewriteMetric } from '../convert/epp-metrics';
import { shellQuote as q } from '../core/shell';
import { RouteMatch, ValueMatchType } from '../inference/http-route-types';

const GATEWAY_RESOURCE = 'gateway.gateway.networking.k8s.io';
const HTTPROUTE_RESOURCE = 'httproute.gateway.networking.k8s.io';
const GA_POOLS = 'inferencepools.inference.networking.k8s.io';
const ALPHA_POOLS = 'inferencepools.inference.networking.x-k8s.io';

/** Each parent's `Accepted` and `ResolvedRefs` (with the reason of the latter), one line per parent. */
const PARENT_CONDITIONS = 'jsonpath={range .status.parents[*]}{.parentRef.name}{" Accepted="}{.conditions[?(@.type=="Accepted")].status}' +
  '{" ResolvedRefs="}{.conditions[?(@.type=="ResolvedRefs")].status}{" "}{.conditions[?(@.type=="ResolvedRefs")].reason}{"\\n"}{end}';
const GATEWAY_STATUS = 'jsonpath={"Programmed="}{.status.conditions[?(@.type=="Programmed")].status}{" class="}{.spec.gatewayClassName}' +
  '{" address="}{.status.addresses[0].value}{"\\n"}';

/** The verification commands of an inference stage, with real names filled in. */
export function inferenceVerifications(m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header,
  parallel?: ResolvedParallelGateway): StageCommand[] {
  return [
    ...gatewayChecks(m, planned, parallel),
    ...routeChecks(m, planned, parallel),
    ...poolChecks(m, planned),
    ...requestChecks(m, planned, preview, parallel),
    ...metricsChecks(m, planned, preview, parallel),
  ];
}

/** What the original routes do in a stage: on parallel gateways they keep the alpha route, then only their other rules. */
function originalRouteState(planned: PlannedStage): RouteState {
  if (planned.route.kind === 'parallel') return { kind: 'alpha-only' };
  if (planned.route.kind === 'parallel-ga') return { kind: 'none' };
  return planned.route;
}

/** The Gateways of the routes (HTTPRoutes first, then other kinds' parentRefs to Gateways), and the new one. */
function gatewayChecks(m: ResolvedInferenceMigration, planned: PlannedStage, parallel?: ResolvedParallelGateway): StageCommand[] {
  const out: StageCommand[] = [];
  for (const gw of routeGateways(m)) {
    const cls = m.gatewayClassName ?? gatewayObject(m, gw.name, gw.namespace)?.spec?.gatewayClassName;
    const old = parallel !== undefined && gw.name === parallel.original.name && gw.namespace === parallel.original.namespace;
    out.push(gatewayCheck(gw, typeof cls === 'string' ? cls : undefined, old && planned.alphaStack
      ? ', and an address: clients that still use it are served by the alpha pool.' : undefined));
  }
  if (parallel) {
    out.push(gatewayCheck(parallel, parallel.gatewayClassName, ', and an address: the one clients move to.', 'new '));
  }
  return out;
}

function gatewayCheck(gw: { name: string; namespace: string }, cls: string | undefined, after = ', and an address.', adjective = ''): StageCommand {
  const line = `Programmed=True${cls !== undefined ? ` class=${cls}` : ''}`;
  return kubectlCheck(StageCheckKind.GATEWAY_STATUS, `The ${adjective}Gateway ${gw.namespace}/${gw.name} is programmed.`,
    ['get', GATEWAY_RESOURCE, gw.name, '-n', gw.namespace, '-o', GATEWAY_STATUS], `${line}${after}`, { lines: [line] });
}

/** Each route: gone, or accepted by each parent with its backends resolved; the copies on a new Gateway; routes of other kinds. */
function routeChecks(m: ResolvedInferenceMigration, planned: PlannedStage, parallel?: ResolvedParallelGateway): StageCommand[] {
  const out: StageCommand[] = [];
  const state = originalRouteState(planned);
  for (const route of m.routes) {
    const keepsRules = state.kind !== 'none' || route.rules?.some((r) => (r.otherBackendRefs ?? []).length > 0) || (route.otherRules ?? []).length > 0;
    if (!keepsRules) {
      out.push(kubectlCheck(StageCheckKind.API_READ, `The HTTPRoute ${route.namespace}/${route.name} is gone.`,
        ['get', HTTPROUTE_RESOURCE, route.name, '-n', route.namespace], 'NotFound.', { notFound: true }));
      continue;
    }
    out.push(routeConditionCheck(route, `The HTTPRoute ${route.namespace}/${route.name} is accepted by every parent and all its backends resolve.`,
      'ResolvedRefs=False with reason InvalidKind or BackendNotFound means the gateway rejects a backend (Istio 1.28 and newer reject the alpha group): do not promote; re-apply the previous folder.'));
  }
  if (parallel) {
    for (const route of m.routes) {
      const isOriginal = (ref: { name: string; namespace?: string }) => (ref.namespace ?? route.namespace) === parallel.original.namespace
        && ref.name === parallel.original.name;
      const parentRefs = route.parentRefs.map((ref) => (isOriginal(ref) ? { ...ref, name: parallel.name } : ref));
      const copy = { ...route, name: copyName(route, parallel), parentRefs };
      out.push(routeConditionCheck(copy, `The copy ${route.namespace}/${copy.name} is accepted by the new Gateway and its GA backend resolves.`,
        `ResolvedRefs=False (InvalidKind) means the new Gateway's control plane does not serve the v1 group: check its labels (${Object.entries(parallel.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}) and that control plane's version.`));
    }
  }
  if (state.kind !== 'none') out.push(...otherRouteChecks(m));
  return out;
}

function copyName(route: ResolvedRoute, p: ResolvedParallelGateway): string {
  return `${route.name}${p.routeSuffix}`.slice(0, 253).replace(/[-.]+$/, '');
}

function routeConditionCheck(route: { name: string; namespace: string; parentRefs: Array<{ name: string }> }, description: string,
  onFailure: string): StageCommand {
  const lines = [...new Set(route.parentRefs.map((p) => `${p.name} Accepted=True ResolvedRefs=True`))];
  return kubectlCheck(StageCheckKind.GATEWAY_STATUS, description, ['get', HTTPROUTE_RESOURCE, route.name, '-n', route.namespace, '-o', PARENT_CONDITIONS],
    `${lines.join('; ')} (one line per parent). ${onFailure}`, { lines });
}

function otherRouteChecks(m: ResolvedInferenceMigration): StageCommand[] {
  return m.otherRoutes.map((r) => {
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '';
    const resource = `${r.kind.toLowerCase()}${group !== '' ? `.${group}` : ''}`;
    const description = `The ${r.kind} ${r.namespace}/${r.name} is accepted and its backends resolve.`;
    if (group === 'gateway.networking.k8s.io') {
      const parents = (Array.isArray(r._object.spec?.parentRefs) ? r._object.spec.parentRefs : []).filter((p: any) => typeof p?.name === 'string');
      return routeConditionCheck({ name: r.name, namespace: r.namespace!, parentRefs: parents }, description, 'Otherwise do not promote; re-apply the previous folder.');
    }
    const args = ['get', resource, r.name, '-n', r.namespace!, '-o', 'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}{"\\n"}{end}'];
    // Envoy AI Gateway's AIGatewayRoute reports Accepted (api/v1alpha1 ConditionTypeAccepted); other kinds are read by a person.
    return r.kind === 'AIGatewayRoute' && group === 'aigateway.envoyproxy.io'
      ? kubectlCheck(StageCheckKind.GATEWAY_STATUS, description, args, 'Accepted=True: otherwise do not promote; re-apply the previous folder.', { lines: ['Accepted=True'] })
      : kubectlCheck(StageCheckKind.MANUAL, description, args, 'Accepted=True (and no condition saying a backend is not found): otherwise do not promote; re-apply the previous folder.');
  });
}

/** The GA pool and its Endpoint Picker; the alpha pool while it serves, gone once the stage removed it. */
function poolChecks(m: ResolvedInferenceMigration, planned: PlannedStage): StageCommand[] {
  const ns = m.namespace;
  const out: StageCommand[] = [];
  if (planned.gaStack) {
    out.push(kubectlCheck(StageCheckKind.API_READ, `The GA pool ${m.gaProps.name} exists.`, ['get', GA_POOLS, m.gaProps.name, '-n', ns],
      `${m.gaProps.name} is listed.`, { lines: [m.gaProps.name] }));
    if (m.gaEppName) {
      out.push(kubectlCheck(StageCheckKind.ROLLOUT, `The GA Endpoint Picker ${m.gaEppName} is rolled out.`,
        ['rollout', 'status', `deployment/${m.gaEppName}`, '-n', ns, '--timeout=5m'], 'successfully rolled out.'));
    }
  }
  if (planned.alphaStack) {
    out.push(kubectlCheck(StageCheckKind.API_READ, `The alpha pool ${m.alpha.poolName} still exists.`, ['get', ALPHA_POOLS, m.alpha.poolName, '-n', ns],
      `${m.alpha.poolName} is listed.`, { lines: [m.alpha.poolName] }));
  } else if (!m.alpha.external) {
    // Helm-installed alpha objects go with `helm uninstall`, after this stage is verified: nothing to check yet.
    // Asked by URL: NotFound whether the object is gone or the alpha CRDs are too (`kubectl get <kind>/<name>` fails
    // with "the server doesn't have a resource type" once they are, as the real API server showed).
    const alphaPath = (resource: string, name: string) => `/apis/inference.networking.x-k8s.io/v1alpha2/namespaces/${ns}/${resource}/${name}`;
    const objects = [['InferencePool', 'inferencepools', m.alpha.poolName], ...m.alpha.inferenceModelNames.map((n) => ['InferenceModel', 'inferencemodels', n])];
    for (const [kind, resource, name] of objects) {
      out.push(kubectlCheck(StageCheckKind.API_READ, `The alpha ${kind} ${ns}/${name} is gone (pruned with this stage).`,
        ['get', '--raw', alphaPath(resource, name)], 'NotFound (the object is gone, or the alpha API with it).', { notFound: true }));
    }
  }
  return out;
}

/** The Gateway and route a request to a pool goes through: the route's own, or its copy on the new Gateway. */
interface Entry {
  readonly parent: ParentOf;
  readonly gateway: any;
  readonly route: ResolvedRoute;
  readonly varPrefix: string;
}

function entries(m: ResolvedInferenceMigration, parallel?: ResolvedParallelGateway): { original?: Entry; copy?: Entry } {
  const route = m.routes[0];
  const ref = route?.parentRefs[0];
  if (!route || !ref) return {};
  const parent: ParentOf = { name: ref.name, namespace: ref.namespace ?? route.namespace, sectionName: ref.sectionName, port: ref.port };
  const original: Entry = { parent, gateway: gatewayObject(m, parent.name, parent.namespace), route, varPrefix: '' };
  if (!parallel) return { original };
  const copyParent: ParentOf = { ...parent, name: parallel.name, namespace: parallel.namespace };
  return { original, copy: { parent: copyParent, gateway: { spec: { listeners: parallel.listeners } }, route, varPrefix: 'NEW_' } };
}

/** The header some gateways route by model name (GIE's body-based routing sets it; routes match it). */
const MODEL_HEADER = 'x-gateway-model-name';

function modelHeaderOf(match: RouteMatch | undefined): string | undefined {
  return match?.headers?.find((h) => h.name.toLowerCase() === MODEL_HEADER && (h.type ?? ValueMatchType.EXACT) === ValueMatchType.EXACT)?.value;
}

/** The match a request for `model` meets: the first that routes that model by its header, else the route's first. */
function matchFor(route: ResolvedRoute, model?: string): RouteMatch | undefined {
  const matches = (route.rules ?? []).flatMap((r) => r.matches ?? []);
  return (model !== undefined ? matches.find((x) => modelHeaderOf(x) === model) : undefined) ?? route.rules?.[0]?.matches?.[0];
}

/**
 * The model a plain request names: the one the route's first match routes by its header; else one an InferenceModel
 * serves as it is (no rewrite); else a placeholder.
 */
function plainModel(m: ResolvedInferenceMigration, route: ResolvedRoute): string {
  const routed = modelHeaderOf(route.rules?.[0]?.matches?.[0]);
  if (routed !== undefined) return routed;
  const row = m.models.mappings.find((r) => r.inferenceModel !== undefined && r.rewrite === undefined && r.alphaTargets === undefined);
  return row?.modelName ?? '<your_model>';
}

function requestCheck(entry: Entry, description: string, model: string, reaches: CheckPool, expected: string, headers: Header[] = []): StageCommand {
  const listener = attachedListener(entry.gateway, entry.parent);
  const { request, notes } = checkRequest({
    parent: entry.parent, listener, routeHostnames: entry.route.hostnames, match: matchFor(entry.route, model), headers, model, prompt: 'Say hello', maxTokens: 20, reaches,
  });
  const adjust = [...notes, ...(request.scheme === 'https' ? ['with a certificate your machine does not trust, add --cacert <CA file>'] : [])];
  return {
    description: `${description} Port: ${listener.source}.${adjust.length > 0 ? ` Adjust the request: ${adjust.join('; ')}.` : ''}`,
    command: curlSnippet(request, entry.varPrefix),
    expected,
    check: { kind: StageCheckKind.DATA_PLANE, request },
  };
}

/** Requests through the gateways: to whichever pool serves, with the preview header to the GA pool, each model rewrite. */
function requestChecks(m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header, parallel?: ResolvedParallelGateway): StageCommand[] {
  const { original, copy } = entries(m, parallel);
  if (!original || planned.route.kind === 'none') return [];
  const out: StageCommand[] = [];
  const kind = planned.route.kind;
  const servedBy: CheckPool = kind === 'split' ? CheckPool.EITHER : kind === 'ga-only' ? CheckPool.GA : CheckPool.ALPHA;
  if (kind !== 'parallel-ga') {
    out.push(requestCheck(original, `A completion request through the Gateway ${original.parent.namespace}/${original.parent.name} succeeds${servedBy === CheckPool.ALPHA ? ' (on the alpha pool)' : servedBy === CheckPool.GA ? ' (on the GA pool)' : ''}.`,
      plainModel(m, original.route), servedBy, 'HTTP/1.1 200.'));
  }
  // Where a request reaches the GA pool, and what it must carry to get there.
  const ga: { entry: Entry; headers: Header[]; reaches: CheckPool } | undefined = copy ? { entry: copy, headers: [], reaches: CheckPool.GA }
    : kind === 'preview' ? { entry: original, headers: [preview!], reaches: CheckPool.GA }
      : kind === 'split' || kind === 'ga-only' ? { entry: original, headers: [], reaches: servedBy } : undefined;
  if (ga && (copy || kind === 'preview')) {
    out.push(requestCheck(ga.entry, copy ? `A completion request through the new Gateway ${copy.parent.namespace}/${copy.parent.name} reaches the GA pool and succeeds${planned.alphaStack ? ' (no client needs that address yet)' : ''}.`
      : 'A request with the preview header reaches the GA pool.', plainModel(m, ga.entry.route), CheckPool.GA,
    copy ? 'HTTP/1.1 200.' : 'HTTP/1.1 200, and the request shows up in the GA Endpoint Picker\'s metrics (below), not the alpha one\'s.', ga.headers));
  }
  if (ga) {
    for (const rw of m.models.rewrites) {
      out.push(requestCheck(ga.entry, `A request for model ${rw.model} is rewritten by the InferenceModelRewrite ${rw.name} (to ${rw.targets.map((t) => t.model).join(' or ')}) and succeeds${ga.headers.length > 0 ? ' on the GA pool (it carries the preview header)' : ''}: without the rewrite the model servers would not know the name.`,
        rw.model, ga.reaches, ga.reaches === CheckPool.EITHER ? 'HTTP/1.1 200 (repeat it: while traffic is split, the alpha pool answers some requests, rewriting by its InferenceModel).' : 'HTTP/1.1 200.', ga.headers));
    }
  }
  return out;
}

/** The GA Endpoint Picker's metrics: ready pods; requests (and rewrites) growing once traffic reaches it. */
function metricsChecks(m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header, parallel?: ResolvedParallelGateway): StageCommand[] {
  if (!planned.gaStack || !m.gaEppName) return [];
  const ns = m.namespace;
  const metrics = eppRequestMetrics(m.gieVersion);
  const rewriteMetric = m.models.rewrites.length > 0 ? eppRewriteMetric(m.gieVersion) : undefined;
  const names = ['pool_ready_pods', 'pool_average_kv_cache_utilization', 'pool_average_queue_size', metrics.requests.replace(/^inference_/, ''),
    metrics.errors.replace(/^inference_/, ''), ...(rewriteMetric ? [rewriteMetric.replace(/^inference_/, '')] : [])];
  const kind = planned.route.kind;
  const traffic = kind === 'preview' ? `with each request that carries the preview header ${preview!.name}: ${preview!.value} (the checks above)`
    : parallel && planned.alphaStack ? 'with each request through the new Gateway (the checks above, then the clients that moved)'
      : 'with traffic';
  const reaches = planned.gaShare > 0 || kind === 'preview' || parallel !== undefined;
  return [{
    description: `The GA Endpoint Picker (GIE ${m.gieVersion}) sees ready model servers and serves requests (metrics need a token allowed to get /metrics, e.g. your Prometheus service account's).`,
    command: [
      `kubectl port-forward -n ${q(ns)} ${q(`svc/${m.gaEppName}`)} 9090:9090 &`,
      `curl -s -H "Authorization: Bearer $(kubectl create token <metrics-reader-service-account> -n ${q(ns)})" localhost:9090/metrics | grep -E '^inference_(${names.join('|')})'`,
    ].join('\n'),
    expected: reaches
      ? `inference_pool_ready_pods equals the number of model-server pods; ${metrics.requests} grows ${traffic}; ${metrics.errors} stays flat (it has no series at all until a request has failed)` +
        (rewriteMetric ? `; ${rewriteMetric} grows for ${m.models.rewrites.map((r) => `model_rewrite_name="${r.name}"`).join(', ')} with each request of the rewritten models.` : '.')
      : 'inference_pool_ready_pods equals the number of model-server pods (no traffic reaches the GA pool yet).',
    check: { kind: StageCheckKind.DATA_PLANE },
  }];
}

/** The Gateway object of that name, when the migration was given it. */
function gatewayObject(m: ResolvedInferenceMigration, name: string, namespace: string): any {
  return m.gateways.find((g) => g.name === name && g.namespace === namespace)?._object;
}

/** The Gateways the routes attach to: HTTPRoutes' parentRefs, then other kinds' parentRefs to Gateways. */
export function routeGateways(m: ResolvedInferenceMigration): Array<{ name: string; namespace: string }> {
  const seen = new Map<string, { name: string; namespace: string }>();
  for (const route of m.routes) {
    for (const p of route.parentRefs) {
      const gw = { name: p.name, namespace: p.namespace ?? route.namespace };
      seen.set(`${gw.namespace}/${gw.name}`, gw);
    }
  }
  // Routes of other kinds: their parentRefs to Gateways (Gateway API's shape, which AIGatewayRoute shares).
  for (const r of m.otherRoutes) {
    const parents = (r._object.spec?.parentRefs ?? []) as any[];
    for (const p of Array.isArray(parents) ? parents : []) {
      if (typeof p?.name !== 'string' || (p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') continue;
      const gw = { name: p.name, namespace: typeof p.namespace === 'string' ? p.namespace : r.namespace! };
      seen.set(`${gw.namespace}/${gw.name}`, gw);
    }
  }
  return [...seen.values()];
}
