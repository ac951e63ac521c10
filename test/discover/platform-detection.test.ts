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
});
