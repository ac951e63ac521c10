/**
 * Which Gateway API implementation serves a pool's routes, and which platform (provider) its alpha stack was
 * built for, read from the input: the `gatewayClassName` of each route's parent Gateway and that class's
 * `controllerName` (with the version an Istio revision label shows), an Istio DestinationRule or EnvoyFilter
 * of the alpha EPP, GKE policies of the pool. Pure: plain objects in, a finding with its evidence out.
 */
import { InferenceProvider } from '../inference/types';
import { GatewayImplementation } from '../migration/gateway-implementation';

/** An object of the input with where it is, for the evidence. */
export interface PlatformSource {
  readonly obj: any;
  readonly namespace: string;
  readonly group: string;
  /** `file:line`, for people. */
  readonly at: string;
}

/** What the input says about the platform. */
export interface DetectedPlatform {
  /** The implementation of the routes' Gateways, when every one that is in the input agrees. */
  readonly gateway?: GatewayImplementation;
  /** Its version, when the input shows it (an Istio revision label such as `istio.io/rev: 1-28-1`). */
  readonly gatewayVersion?: string;
  /** The provider the alpha stack was built for. */
  readonly provider?: InferenceProvider;
  /** How each was found, one sentence each. */
  readonly evidence: string[];
  /** Gateways that disagree, or that are not in the input, one sentence each. */
  readonly doubts: string[];
}

/** GatewayClass controllers, by the implementation they belong to. */
const CONTROLLERS: ReadonlyArray<[RegExp, GatewayImplementation]> = [
  [/^istio\.io\//, GatewayImplementation.ISTIO],
  [/^kgateway\.dev\//, GatewayImplementation.KGATEWAY],
  [/^networking\.gke\.io\//, GatewayImplementation.GKE],
  [/^gateway\.envoyproxy\.io\//, GatewayImplementation.ENVOY_GATEWAY],
  [/^gateway\.nginx\.org\//, GatewayImplementation.NGINX_GATEWAY_FABRIC],
  // agentgateway's own controller from v1.0 (controller/pkg/kgateway/wellknown/controller.go@v1.0.0 DefaultAgwControllerName).
  [/^agentgateway\.dev\//, GatewayImplementation.AGENTGATEWAY],
];

/** Well-known class names, for a Gateway whose GatewayClass is not in the input. */
function implementationOfClassName(name: string): GatewayImplementation | undefined {
  if (name === 'istio' || name.startsWith('istio-')) return GatewayImplementation.ISTIO;
  if (name === 'kgateway' || name.startsWith('kgateway-')) return GatewayImplementation.KGATEWAY;
  if (name === 'agentgateway') return GatewayImplementation.AGENTGATEWAY;
  if (name.startsWith('gke-l7-')) return GatewayImplementation.GKE;
  if (name === 'envoy-gateway' || name === 'eg') return GatewayImplementation.ENVOY_GATEWAY;
  if (name === 'nginx') return GatewayImplementation.NGINX_GATEWAY_FABRIC;
  return undefined;
}

/** `1-28-1` (an Istio revision named after its release) -> `1.28.1`. */
function istioRevisionVersion(rev: unknown): string | undefined {
  const m = typeof rev === 'string' ? /^(\d+)-(\d+)(?:-(\d+))?$/.exec(rev) : null;
  return m ? `${m[1]}.${m[2]}.${m[3] ?? '0'}` : undefined;
}

/**
 * The platform of one pool: `routes` are its routes (any kind), `all` every object of the input, `stack` the
 * alpha stack that is carried (pool, EPP objects, policies).
 */
export function detectPlatform(routes: PlatformSource[], all: PlatformSource[], stack: PlatformSource[]): DetectedPlatform {
  const evidence: string[] = [];
  const doubts: string[] = [];
  const found = new Map<GatewayImplementation, string[]>();
  let gatewayVersion: string | undefined;
  const aiRoutes = routes.some((r) => r.obj.kind === 'AIGatewayRoute');
  for (const route of routes) {
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent: every route of a pool has a spec (its backendRefs name the pool); an item of a non-list has no name and is skipped
    const parents = Array.isArray(route.obj.spec?.parentRefs) ? route.obj.spec.parentRefs : [];
    for (const p of parents) {
      if (typeof p?.name !== 'string' || (p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') continue;
      const ns = typeof p.namespace === 'string' ? p.namespace : route.namespace;
      const gw = all.find((o) => o.obj.kind === 'Gateway' && o.group === 'gateway.networking.k8s.io' && o.obj.metadata.name === p.name && o.namespace === ns);
      if (!gw) {
        doubts.push(`Gateway ${ns}/${p.name} of ${route.obj.kind} ${route.namespace}/${route.obj.metadata.name} is not in the input`);
        continue;
      }
      const className = gw.obj.spec?.gatewayClassName;
      const cls = all.find((o) => o.obj.kind === 'GatewayClass' && o.group === 'gateway.networking.k8s.io' && o.obj.metadata.name === className);
      const controller: unknown = cls?.obj.spec?.controllerName;
      let impl = typeof controller === 'string' ? CONTROLLERS.find(([re]) => re.test(controller))?.[1] : undefined;
      if (impl === undefined && typeof className === 'string') impl = implementationOfClassName(className);
      if (impl === GatewayImplementation.ENVOY_GATEWAY && aiRoutes) impl = GatewayImplementation.ENVOY_AI_GATEWAY;
      const how = `Gateway ${ns}/${p.name} (${gw.at}) has gatewayClassName ${String(className)}` +
        (typeof controller === 'string' ? `, whose GatewayClass (${cls!.at}) has controllerName ${controller}` : '');
      if (impl === undefined) {
        doubts.push(`${how}: an implementation this tool does not know`);
        continue;
      }
      found.set(impl, [...(found.get(impl) ?? []), how]);
      const rev = istioRevisionVersion(gw.obj.metadata.labels?.['istio.io/rev']);
      if (impl === GatewayImplementation.ISTIO && rev !== undefined) {
        gatewayVersion = rev;
        evidence.push(`Istio ${rev}: Gateway ${ns}/${p.name} has the revision label istio.io/rev: ${gw.obj.metadata.labels['istio.io/rev']}`);
      }
    }
  }
  let gateway: GatewayImplementation | undefined;
  if (found.size === 1) {
    gateway = [...found.keys()][0];
    evidence.unshift(...found.get(gateway)!.map((h) => `${h}: ${gateway}`));
    // Stryker disable next-line EqualityOperator: equivalent: a size of 1 took the branch above
  } else if (found.size > 1) {
    doubts.push(`the routes attach to Gateways of ${[...found.keys()].join(' and ')}: ${[...found.values()].flat().join('; ')}`);
  }

  let provider: InferenceProvider | undefined;
  const istio = stack.find((o) => o.group === 'networking.istio.io' && (o.obj.kind === 'DestinationRule' || o.obj.kind === 'EnvoyFilter'));
  const gke = stack.find((o) => o.group === 'networking.gke.io' && (o.obj.kind === 'HealthCheckPolicy' || o.obj.kind === 'GCPBackendPolicy'));
  if (gke) {
    provider = InferenceProvider.GKE;
    evidence.push(`provider gke: the alpha pool has ${gke.obj.kind} ${gke.obj.metadata.name} (${gke.at})`);
  } else if (istio) {
    provider = InferenceProvider.ISTIO;
    evidence.push(`provider istio: the alpha EPP has ${istio.obj.kind} ${istio.obj.metadata.name} (${istio.at}, ${istio.obj.apiVersion})`);
  } else if (gateway === GatewayImplementation.GKE) {
    provider = InferenceProvider.GKE;
    evidence.push('provider gke: the routes\' Gateway is GKE\'s');
  }
  return { ...(gateway ? { gateway } : {}), ...(gatewayVersion ? { gatewayVersion } : {}), ...(provider ? { provider } : {}), evidence, doubts };
}
