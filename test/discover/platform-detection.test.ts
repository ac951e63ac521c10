import { detectPlatform, PlatformSource } from '../../src/discover/platform-detection';
import { InferenceProvider } from '../../src/inference/types';
import { GatewayImplementation } from '../../src/migration/gateway-implementation';

const obj = (o: any, at = 'x.yaml:1'): PlatformSource => ({
  obj: o, namespace: o.metadata.namespace ?? 'default', group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '', at,
});
const gateway = (name: string, className: string, labels?: object) => obj({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'llm', ...(labels ? { labels } : {}) }, spec: { gatewayClassName: className },
}, `gw-${name}.yaml:1`);
const route = (kind: string, ...parents: string[]) => obj({
  apiVersion: kind === 'AIGatewayRoute' ? 'aigateway.envoyproxy.io/v1alpha1' : 'gateway.networking.k8s.io/v1',
  kind,
  metadata: { name: 'r', namespace: 'llm' },
  spec: { parentRefs: parents.map((name) => ({ name })) },
});
/** An HTTPRoute in llm with the given parentRefs as written. */
const routeWith = (parentRefs: any[]) => obj({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'llm' }, spec: { parentRefs },
});
const gatewayClass = (name: string, controllerName: string) => obj({
  apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name }, spec: { controllerName },
}, 'class.yaml:1');

describe('detectPlatform', () => {
  test.each([
    ['istio', GatewayImplementation.ISTIO],
    ['kgateway', GatewayImplementation.KGATEWAY],
    ['gke-l7-regional-external-managed', GatewayImplementation.GKE],
    ['nginx', GatewayImplementation.NGINX_GATEWAY_FABRIC],
  ])('given a Gateway of class %s (no GatewayClass in the input), then the implementation is %s', (className, expected) => {
    const gw = gateway('inference-gateway', className);
    const found = detectPlatform([route('HTTPRoute', 'inference-gateway')], [gw], []);

    expect(found.gateway).toBe(expected);
    expect(found.evidence[0]).toBe(`Gateway llm/inference-gateway (gw-inference-gateway.yaml:1) has gatewayClassName ${className}: ${expected}`);
  });

  test.each([
    ['istio-remote', GatewayImplementation.ISTIO],
    ['kgateway-waypoint', GatewayImplementation.KGATEWAY],
    ['agentgateway', GatewayImplementation.AGENTGATEWAY],
    ['envoy-gateway', GatewayImplementation.ENVOY_GATEWAY],
    ['eg', GatewayImplementation.ENVOY_GATEWAY],
  ])('given a Gateway of the well-known class %s (no GatewayClass in the input), then the implementation is %s', (className, expected) => {
    // Given a Gateway whose class is named as its implementation's install names it
    // When the platform is detected
    const found = detectPlatform([route('HTTPRoute', 'inference-gateway')], [gateway('inference-gateway', className)], []);

    // Then the class name tells the implementation, and nothing is in doubt
    expect(found).toEqual({
      gateway: expected,
      evidence: [`Gateway llm/inference-gateway (gw-inference-gateway.yaml:1) has gatewayClassName ${className}: ${expected}`],
      doubts: [],
    });
  });

  test('given a Gateway of a class this tool does not know, or one with no spec, then no implementation is assumed and the doubt says why', () => {
    // Given a Gateway of a class with no GatewayClass in the input, and a Gateway stub with no spec
    const unknown = gateway('gw', 'acme-gateway');
    const stub = obj({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'stub', namespace: 'llm' } }, 'stub.yaml:1');

    // When the platform is detected
    const found = detectPlatform([route('HTTPRoute', 'gw', 'stub')], [unknown, stub], []);

    // Then there is no gateway, and each Gateway is a doubt
    expect(found).toEqual({
      evidence: [],
      doubts: [
        'Gateway llm/gw (gw-gw.yaml:1) has gatewayClassName acme-gateway: an implementation this tool does not know',
        'Gateway llm/stub (stub.yaml:1) has gatewayClassName undefined: an implementation this tool does not know',
      ],
    });
  });

  test('given a GatewayClass in the input, then its controllerName decides, and an Envoy Gateway serving an AIGatewayRoute is Envoy AI Gateway', () => {
    const all = [gateway('ai', 'custom-class'), gatewayClass('custom-class', 'gateway.envoyproxy.io/gatewayclass-controller')];

    expect(detectPlatform([route('HTTPRoute', 'ai')], all, []).gateway).toBe(GatewayImplementation.ENVOY_GATEWAY);
    const ai = detectPlatform([route('AIGatewayRoute', 'ai')], all, []);
    expect(ai.gateway).toBe(GatewayImplementation.ENVOY_AI_GATEWAY);
    expect(ai.evidence[0]).toMatch(/whose GatewayClass \(class\.yaml:1\) has controllerName gateway\.envoyproxy\.io\/gatewayclass-controller: envoy-ai-gateway$/);
  });

  test('given an Istio revision label named after a release, then the version is read from it', () => {
    const found = detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'istio', { 'istio.io/rev': '1-28-1' })], []);

    expect(found).toMatchObject({ gateway: GatewayImplementation.ISTIO, gatewayVersion: '1.28.1' });
    expect(found.evidence).toEqual([
      'Gateway llm/gw (gw-gw.yaml:1) has gatewayClassName istio: istio',
      'Istio 1.28.1: Gateway llm/gw has the revision label istio.io/rev: 1-28-1',
    ]);
  });

  test.each([
    ['1-28', '1.28.0'],
    ['1-27-10', '1.27.10'],
    ['10-0-1', '10.0.1'],
    ['asm-1157-3', undefined],
    ['1-28-canary', undefined],
    ['canary', undefined],
  ])('given the Istio revision label %s, then the gateway version is %p', (rev, expected) => {
    // Given an Istio Gateway with that revision label
    // When the platform is detected
    const found = detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'istio', { 'istio.io/rev': rev })], []);

    // Then the version is read only from a revision named after a release (major-minor, with the patch or not)
    expect(found.gatewayVersion).toBe(expected);
    expect(found.evidence).toHaveLength(expected === undefined ? 1 : 2);
  });

  test('given an istio.io/rev label on a Gateway of another implementation, then it gives no version', () => {
    // Given a kgateway Gateway in a namespace whose objects carry Istio's revision label
    const found = detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'kgateway', { 'istio.io/rev': '1-28-1' })], []);

    // Then the gateway is kgateway, with no version
    expect(found).toEqual({ gateway: GatewayImplementation.KGATEWAY, evidence: ['Gateway llm/gw (gw-gw.yaml:1) has gatewayClassName kgateway: kgateway'], doubts: [] });
  });

  test('given parentRefs that are no Gateway API Gateway (a Service of the mesh, a ListenerSet, Istio\'s own Gateway), then they are skipped without a doubt', () => {
    // Given a route attached to the mesh, to a ListenerSet, to Istio's networking.istio.io Gateway, an empty item and an item with no name,
    // and to the Gateway gw
    const r = routeWith([
      { group: '', kind: 'Service', name: 'vllm' },
      { kind: 'ListenerSet', name: 'team-a' },
      { group: 'networking.istio.io', kind: 'Gateway', name: 'ingress' },
      null,
      { sectionName: 'https' },
      { name: 'gw' },
    ]);

    // When the platform is detected
    const found = detectPlatform([r], [gateway('gw', 'istio')], []);

    // Then only the Gateway API Gateway counts, and nothing else is in doubt
    expect(found).toEqual({ gateway: GatewayImplementation.ISTIO, evidence: ['Gateway llm/gw (gw-gw.yaml:1) has gatewayClassName istio: istio'], doubts: [] });
  });

  test('given a parentRef with a namespace, then the Gateway is looked up there, not in the route\'s namespace', () => {
    // Given a shared Gateway in infra, and another Gateway of the same name in the route's namespace listed first
    const shared = obj({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'inference-gateway', namespace: 'infra' }, spec: { gatewayClassName: 'kgateway' },
    }, 'infra.yaml:1');
    const local = gateway('inference-gateway', 'istio');

    // When a route in llm attaches to infra's Gateway
    const found = detectPlatform([routeWith([{ name: 'inference-gateway', namespace: 'infra' }])], [local, shared], []);

    // Then infra's Gateway decides
    expect(found.gateway).toBe(GatewayImplementation.KGATEWAY);
    expect(found.evidence).toEqual(['Gateway infra/inference-gateway (infra.yaml:1) has gatewayClassName kgateway: kgateway']);

    // And given only a Gateway of that name in another namespace (staging), a route with no namespace on its parentRef finds none
    const staging = obj({
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'inference-gateway', namespace: 'staging' }, spec: { gatewayClassName: 'kgateway' },
    }, 'staging.yaml:1');
    const none = detectPlatform([route('HTTPRoute', 'inference-gateway')], [staging], []);
    expect(none).toEqual({ evidence: [], doubts: ['Gateway llm/inference-gateway of HTTPRoute llm/r is not in the input'] });
  });

  test('given objects of the Gateway\'s name that are no Gateway API Gateway, listed first, then the Gateway itself decides', () => {
    // Given an HTTPRoute and an Istio networking.istio.io Gateway, both named like the Gateway API Gateway and listed before it
    const sameNameRoute = obj({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'inference-gateway', namespace: 'llm' }, spec: {} });
    const istioGateway = obj({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'inference-gateway', namespace: 'llm' }, spec: { selector: {} } });
    const service = obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'inference-gateway', namespace: 'llm' }, spec: {} });

    // When the platform is detected
    const found = detectPlatform([route('HTTPRoute', 'inference-gateway')], [service, sameNameRoute, istioGateway, gateway('inference-gateway', 'kgateway')], []);

    // Then the Gateway API Gateway's class decides
    expect(found).toEqual({
      gateway: GatewayImplementation.KGATEWAY,
      evidence: ['Gateway llm/inference-gateway (gw-inference-gateway.yaml:1) has gatewayClassName kgateway: kgateway'],
      doubts: [],
    });
  });

  test('given several GatewayClasses, a Gateway named like its class and a stub class with no spec, then the Gateway\'s own GatewayClass decides', () => {
    // Given a Gateway named like its custom class, listed before it, an older service-apis GatewayClass of that name and another class
    const gw = gateway('ai-gateway', 'ai-gateway');
    const oldApi = obj({ apiVersion: 'networking.x-k8s.io/v1alpha1', kind: 'GatewayClass', metadata: { name: 'ai-gateway' }, spec: { controller: 'acme.io/gateway' } }, 'old.yaml:1');
    const other = gatewayClass('shared', 'kgateway.dev/kgateway');
    const all = [gw, oldApi, other, gatewayClass('ai-gateway', 'gateway.envoyproxy.io/gatewayclass-controller')];

    // When the platform is detected
    const found = detectPlatform([route('HTTPRoute', 'ai-gateway')], all, []);

    // Then the controllerName of the class named ai-gateway decides
    expect(found).toEqual({
      gateway: GatewayImplementation.ENVOY_GATEWAY,
      evidence: ['Gateway llm/ai-gateway (gw-ai-gateway.yaml:1) has gatewayClassName ai-gateway, whose GatewayClass (class.yaml:1) has controllerName ' +
        'gateway.envoyproxy.io/gatewayclass-controller: envoy-gateway'],
      doubts: [],
    });

    // And given a GatewayClass stub with no spec, When detected, Then the well-known class name decides
    const stub = obj({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' } }, 'stub.yaml:1');
    expect(detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'istio'), stub], []).gateway).toBe(GatewayImplementation.ISTIO);
  });

  test('given an AIGatewayRoute and an HTTPRoute of the pool on an Envoy Gateway, then it is Envoy AI Gateway', () => {
    // Given both route kinds attached to one Envoy Gateway
    const routes = [route('HTTPRoute', 'ai'), route('AIGatewayRoute', 'ai')];

    // When the platform is detected
    const found = detectPlatform(routes, [gateway('ai', 'eg')], []);

    // Then one AIGatewayRoute is enough for Envoy AI Gateway
    expect(found.gateway).toBe(GatewayImplementation.ENVOY_AI_GATEWAY);
  });

  test('given an AIGatewayRoute on an Envoy Gateway and an HTTPRoute on a kgateway Gateway, then two implementations are a doubt', () => {
    // Given the pool's routes on Gateways of two implementations
    const routes = [route('AIGatewayRoute', 'ai'), route('HTTPRoute', 'kg')];

    // When the platform is detected
    const found = detectPlatform(routes, [gateway('ai', 'eg'), gateway('kg', 'kgateway')], []);

    // Then nothing is assumed, and the doubt names both with their evidence
    expect(found).toEqual({
      evidence: [],
      doubts: ['the routes attach to Gateways of envoy-ai-gateway and kgateway: Gateway llm/ai (gw-ai.yaml:1) has gatewayClassName eg; ' +
        'Gateway llm/kg (gw-kg.yaml:1) has gatewayClassName kgateway'],
    });
  });

  test('given Gateways of two implementations, or one that is not in the input, then nothing is assumed and the doubts say why', () => {
    const two = detectPlatform([route('HTTPRoute', 'a', 'b')], [gateway('a', 'istio'), gateway('b', 'kgateway')], []);
    expect(two.gateway).toBeUndefined();
    expect(two.doubts).toEqual([expect.stringMatching(/^the routes attach to Gateways of istio and kgateway: /)]);

    const missing = detectPlatform([route('HTTPRoute', 'gone')], [], []);
    expect(missing.gateway).toBeUndefined();
    expect(missing.doubts).toEqual(['Gateway llm/gone of HTTPRoute llm/r is not in the input']);
  });

  test.each(['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'])(
    'given the alpha EPP\'s DestinationRule (%s), then the provider is istio', (apiVersion) => {
      const dr = obj({ apiVersion, kind: 'DestinationRule', metadata: { name: 'epp-insecure-tls' }, spec: { host: 'epp' } }, 'dr.yaml:1');

      const found = detectPlatform([], [dr], [dr]);

      expect(found.provider).toBe(InferenceProvider.ISTIO);
      expect(found.evidence).toEqual([`provider istio: the alpha EPP has DestinationRule epp-insecure-tls (dr.yaml:1, ${apiVersion})`]);
    });

  test('given a GKE policy of the alpha pool, then the provider is gke', () => {
    const policy = obj({ apiVersion: 'networking.gke.io/v1', kind: 'HealthCheckPolicy', metadata: { name: 'hc', namespace: 'llm' }, spec: {} });

    expect(detectPlatform([], [policy], [policy]).provider).toBe(InferenceProvider.GKE);
  });

  test('given a GCPBackendPolicy of the alpha pool, then the provider is gke, with the policy as evidence', () => {
    // Given the pool's GCPBackendPolicy
    const policy = obj({ apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'backend', namespace: 'llm' }, spec: {} }, 'policy.yaml:3');

    // When the platform is detected
    const found = detectPlatform([], [policy], [policy]);

    // Then the provider is gke, and the evidence names the policy
    expect(found).toEqual({ provider: InferenceProvider.GKE, evidence: ['provider gke: the alpha pool has GCPBackendPolicy backend (policy.yaml:3)'], doubts: [] });
  });

  test('given the alpha EPP\'s EnvoyFilter, then the provider is istio', () => {
    // Given an EnvoyFilter of the alpha EPP (the ext_proc filter of an Istio install)
    const filter = obj({ apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'epp-ext-proc', namespace: 'llm' }, spec: {} }, 'ef.yaml:1');

    // When the platform is detected, Then the provider is istio
    expect(detectPlatform([], [filter], [filter])).toEqual({
      provider: InferenceProvider.ISTIO,
      evidence: ['provider istio: the alpha EPP has EnvoyFilter epp-ext-proc (ef.yaml:1, networking.istio.io/v1alpha3)'],
      doubts: [],
    });
  });

  test('given a GKE Gateway and no GKE policy, then the provider is gke, from the Gateway', () => {
    // Given the routes' Gateway of a GKE class, and an alpha stack with no policy
    const found = detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'gke-l7-rilb')], []);

    // Then the gateway and the provider are GKE's, each with its evidence
    expect(found).toEqual({
      gateway: GatewayImplementation.GKE,
      provider: InferenceProvider.GKE,
      evidence: ['Gateway llm/gw (gw-gw.yaml:1) has gatewayClassName gke-l7-rilb: gke', 'provider gke: the routes\' Gateway is GKE\'s'],
      doubts: [],
    });
  });
});

describe('detectPlatform: a GatewayClass controllerName is matched from its start', () => {
  // A controllerName is a domain-prefixed path: another vendor's controller may carry a known domain further in.
  test.each([
    'example.com/istio.io/gateway-controller', 'example.com/kgateway.dev/kgateway', 'example.com/networking.gke.io/gateway',
    'example.com/gateway.envoyproxy.io/gatewayclass-controller', 'example.com/gateway.nginx.org/nginx-gateway-controller',
    'example.com/agentgateway.dev/agentgateway',
  ])('given a class whose controller %s only holds a known domain after its own, then no implementation is detected from it', (controllerName) => {
    const result = detectPlatform([route('HTTPRoute', 'gw')], [gateway('gw', 'custom-class'), gatewayClass('custom-class', controllerName)], []);
    expect(result.gateway).toBeUndefined();
  });
});

describe('detectPlatform: the provider comes only from the objects that set it', () => {
  test('given an alpha stack with a Service, an Istio VirtualService and a GKE object that is no policy, then no provider is detected', () => {
    // Given objects of the stack that are neither the EPP's DestinationRule or EnvoyFilter nor a GKE backend policy
    const stack = [
      obj({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'epp', namespace: 'llm' }, spec: {} }),
      obj({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'llm' }, spec: {} }),
      obj({ apiVersion: 'networking.gke.io/v1', kind: 'GCPGatewayPolicy', metadata: { name: 'gw', namespace: 'llm' }, spec: {} }),
    ];
    // When the platform is detected
    const found = detectPlatform([], stack, stack);
    // Then the provider is left to the user, and nothing is claimed as evidence
    expect(found.provider).toBeUndefined();
    expect(found.evidence).toEqual([]);
  });
});
