import { Duration, Testing } from 'cdk8s';
import { HttpRouteFilterType, IInferencePoolBackend, InferencePoolAlpha, InferencePoolGa, PathMatchType, ValueMatchType, WeightedInferenceRoute, HttpMethod } from '../../src';
import { GUIDE_SPLIT_ROUTE, routeWithApiDefaults } from '../fixtures/guide-000';
import { newChart, only, synthValid, validator } from '../util';


function pools(chart = newChart()) {
  const alpha = InferencePoolAlpha.fromExisting(chart, 'alpha', { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } });
  const ga = new InferencePoolGa(chart, 'ga', { name: 'vllm-llama3-8b-instruct-ga', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } });
  return { chart, alpha, ga };
}

function external(name: string, namespace = 'default', group = 'inference.networking.k8s.io'): IInferencePoolBackend {
  return { poolName: name, poolNamespace: namespace, poolGroup: group, external: true };
}

describe('WeightedInferenceRoute', () => {
  test('given the guide\'s 50/50 split, then the HTTPRoute is the guide\'s YAML with the API defaults written out', () => {
    const { chart, alpha, ga } = pools();
    new WeightedInferenceRoute(chart, 'route', {
      name: 'llm-route',
      parentRefs: [{ name: 'inference-gateway' }],
      backends: [{ pool: alpha, weight: 50 }, { pool: ga, weight: 50 }],
    });
    const route = only(synthValid(chart), 'HTTPRoute');

    expect(route).toEqual(routeWithApiDefaults(GUIDE_SPLIT_ROUTE));
    // Nothing left for the API server to default: no drift for a GitOps tool.
    expect(validator().validate([route]).defaultsApplied).toEqual([]);
  });

  test('given header matches, hostnames, a listener and timeouts, then all are written with their API defaults', () => {
    const { chart, alpha, ga } = pools();
    new WeightedInferenceRoute(chart, 'route', {
      name: 'llm-route',
      parentRefs: [{ name: 'inference-gateway', namespace: 'gateways', sectionName: 'https' }],
      hostnames: ['llm.example.com'],
      rules: [
        {
          matches: [{ path: { value: '/v1' }, headers: [{ name: 'X-Gateway-Model-Name', value: 'food-review' }] }],
          backends: [{ pool: alpha, weight: 90 }, { pool: ga, weight: 10 }],
          requestTimeout: Duration.minutes(5),
          backendRequestTimeout: Duration.seconds(90),
        },
        {
          matches: [{ headers: [{ name: 'x-preview', value: 'ga', type: ValueMatchType.EXACT }], method: HttpMethod.POST }],
          backends: [{ pool: ga, weight: 1 }],
        },
      ],
    });
    const route = only(synthValid(chart), 'HTTPRoute');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['llm.example.com']);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ name: 'X-Gateway-Model-Name', type: 'Exact', value: 'food-review' }] }]);
    expect(route.spec.rules[0].timeouts).toEqual({ request: '300s', backendRequest: '90s' });
    // A match with only header and method conditions still gets the API's default path, written out.
    expect(route.spec.rules[1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x-preview', type: 'Exact', value: 'ga' }], method: 'POST' }]);
    expect(validator().validate([route]).defaultsApplied).toEqual([]);
  });

  test('given a pool in another namespace, then a ReferenceGrant in the pool\'s namespace allows the route', () => {
    const chart = newChart();
    const ga = new InferencePoolGa(chart, 'ga', { name: 'pool-ga', namespace: 'models', modelServerSelector: { app: 'm' } });
    new WeightedInferenceRoute(chart, 'route', { name: 'llm-route', namespace: 'edge', parentRefs: [{ name: 'gw' }], backends: [{ pool: ga, weight: 1 }] });
    const objects = synthValid(chart);
    const route = only(objects, 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool-ga', namespace: 'models', weight: 1 }]);
    const grant = only(objects, 'ReferenceGrant');
    expect(grant.metadata).toEqual({ name: 'llm-route-from-edge', namespace: 'models' });
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'edge' }],
      to: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'pool-ga' }],
    });
  });

  test('given a pool in another namespace and grants turned off, then the route is rejected with a clear error', () => {
    const chart = newChart();
    expect(() => new WeightedInferenceRoute(chart, 'route', {
      namespace: 'edge', parentRefs: [{ name: 'gw' }], backends: [{ pool: external('p', 'models'), weight: 1 }], createReferenceGrants: false,
    })).toThrow(/'backends' names pool p in namespace models, but the route is in edge: set createReferenceGrants or move the route/);
  });

  test('given a weight of 0 for one of two pools, then it is written (a pool can be kept attached at 0%)', () => {
    const { chart, alpha, ga } = pools();
    new WeightedInferenceRoute(chart, 'route', { parentRefs: [{ name: 'gw' }], backends: [{ pool: alpha, weight: 0 }, { pool: ga, weight: 100 }] });
    expect(only(synthValid(chart), 'HTTPRoute').spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([0, 100]);
  });

  describe('bad input', () => {
    const route = (props: any) => () => {
      const chart = newChart();
      return new WeightedInferenceRoute(chart, 'route', { parentRefs: [{ name: 'gw' }], ...props });
    };
    const one = (weight: number) => [{ pool: external('a'), weight }];

    test.each([1.5, -1, 1_000_001, 2_000_000])('a weight of %p is rejected with the allowed range', (w) => {
      expect(route({ backends: one(w) })).toThrow(/test\/route: 'backends\[0\]\.weight' must be an integer in 0\.\.1000000/);
    });
    test('all weights 0 are rejected', () => {
      expect(route({ backends: [{ pool: external('a'), weight: 0 }, { pool: external('b'), weight: 0 }] })).toThrow(/'backends' must give at least one backend a weight above 0/);
    });
    test('more than 16 backends are rejected', () => {
      const backends = Array.from({ length: 17 }, (_, i) => ({ pool: external(`p${i}`), weight: 1 }));
      expect(route({ backends })).toThrow(/'backends' must list 1\.\.16 pools, additional backendRefs included \(got 17\)/);
    });
    test('more than 16 rules are rejected', () => {
      const rules = Array.from({ length: 17 }, (_, i) => ({ backends: [{ pool: external(`p${i}`), weight: 1 }] }));
      expect(route({ rules })).toThrow(/'rules' must give 1\.\.16 rules with backends, additional rules included \(got 17\)/);
    });
    test('the same pool twice in a rule is rejected', () => {
      expect(route({ backends: [{ pool: external('a'), weight: 1 }, { pool: external('a'), weight: 2 }] })).toThrow(/'backends\[1\]\.pool' names pool a \(inference.networking.k8s.io\) again, already at backends\[0\]/);
    });
    test('no backends are rejected', () => {
      expect(route({})).toThrow(/'backends' must give 1\.\.16 rules with backends, additional rules included \(got 0\)/);
    });
    test('rules and single-rule fields together are rejected', () => {
      expect(route({ rules: [{ backends: one(1) }], backends: one(1) })).toThrow(/'rules' cannot be combined with 'backends'/);
    });
    test('no parentRefs are rejected', () => {
      expect(route({ parentRefs: [], backends: one(1) })).toThrow(/'parentRefs' must list 1\.\.32 Gateways \(got 0\)/);
    });
    test('a repeated parentRef is rejected', () => {
      expect(route({ parentRefs: [{ name: 'gw' }, { name: 'gw' }], backends: one(1) })).toThrow(/'parentRefs\[1\]' must not repeat another parentRef/);
    });
    test('a bad hostname is rejected', () => {
      expect(route({ hostnames: ['Not A Host'], backends: one(1) })).toThrow(/'hostnames\[0\]' must be a lower-case DNS host name/);
    });
    test('a prefix path without a leading slash is rejected', () => {
      expect(route({ matches: [{ path: { type: PathMatchType.PATH_PREFIX, value: 'v1' } }], backends: one(1) })).toThrow(/'matches\[0\]\.path\.value' must start with '\/' for PathPrefix matches/);
    });
    test('a bad header name is rejected', () => {
      expect(route({ matches: [{ headers: [{ name: 'bad header', value: 'x' }] }], backends: one(1) })).toThrow(/'matches\[0\]\.headers\[0\]\.name' must be an HTTP header name/);
    });
    test('more than 64 matches in a rule are rejected', () => {
      const matches = Array.from({ length: 65 }, (_, i) => ({ path: { value: `/p${i}` } }));
      expect(route({ matches, backends: one(1) })).toThrow(/'matches' must list 1\.\.64 matches \(got 65\)/);
    });
    test('a backend timeout longer than the request timeout is rejected', () => {
      expect(route({ rules: [{ backends: one(1), requestTimeout: Duration.seconds(10), backendRequestTimeout: Duration.seconds(20) }] }))
        .toThrow(/'rules\[0\]\.backendRequestTimeout' must not exceed requestTimeout \(10s\) \(got 20s\)/);
    });
    test('an unknown HTTP method is rejected', () => {
      expect(route({ matches: [{ method: 'FETCH' }], backends: one(1) })).toThrow(/'matches\[0\]\.method' must be one of "GET"/);
    });
  });
  test('given a port and filters on the pool backends, a rule name and a field the construct does not model, then each is written as given', () => {
    // Given kgateway's need for the target port on the backendRef (GIE v0.3.0 kgateway httproute.yaml) and an experimental field
    const { chart, alpha, ga } = pools();
    const filters = [{ type: HttpRouteFilterType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: { set: [{ name: 'x-pool', value: 'llama' }] } }];
    new WeightedInferenceRoute(chart, 'route', {
      name: 'llm-route',
      parentRefs: [{ name: 'inference-gateway' }],
      rules: [{
        name: 'chat',
        backends: [{ pool: alpha, weight: 50, port: 8000, filters }, { pool: ga, weight: 50, port: 8000 }],
        otherFields: { sessionPersistence: { sessionName: 'chat' } },
      }],
    });
    // When it is synthesized (the experimental field is not in the standard CRD, so no validation here)
    const route = only(Testing.synth(chart), 'HTTPRoute');
    // Then
    expect(route.spec.rules[0].name).toBe('chat');
    expect(route.spec.rules[0].sessionPersistence).toEqual({ sessionName: 'chat' });
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha', port: 8000, weight: 50, filters },
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', port: 8000, weight: 50 },
    ]);
  });

  test('given two rules of one name, a bad backend port or a modelled field among otherFields, then the error names the prop', () => {
    const build = (rules: any[]) => () => {
      const { chart, ga } = pools();
      new WeightedInferenceRoute(chart, 'route', { name: 'r', parentRefs: [{ name: 'gw' }], rules: rules.map((r) => ({ backends: [{ pool: ga, weight: 1 }], ...r })) });
    };
    expect(build([{ name: 'a' }, { name: 'a' }])).toThrow(/'rules\[1\]\.name' repeats rule name "a"/);
    expect(build([{ backends: [{ pool: pools().ga, weight: 1, port: 0 }] }])).toThrow(/'rules\[0\]\.backends\[0\]\.port' must be an integer in 1\.\.65535/);
    expect(build([{ otherFields: { matches: [] } }])).toThrow(/'rules\[0\]\.otherFields' must not hold matches/);
  });
});
