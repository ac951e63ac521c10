import { alphaPoolRefs, convertHttpRoute } from '../../src/discover/http-route';

const POOL = { name: 'vllm-alpha', namespace: 'llm' };
const alphaRef = (name = 'vllm-alpha', extra: any = {}) => ({ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name, ...extra });

function route(rules: any[], extra: any = {}): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'llm-route', namespace: 'llm', ...(extra.metadata ?? {}) },
    spec: { parentRefs: [{ name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'https' }], hostnames: ['api.example.com'], rules, ...(extra.spec ?? {}) },
  };
}

describe('convertHttpRoute', () => {
  test('given a route with header matches, filters and timeouts in two pool rules, then every rule keeps them', () => {
    const manifest = route([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/v1/chat' }, headers: [{ name: 'X-Gateway-Model-Name', value: 'llama' }] }],
        backendRefs: [alphaRef()],
        timeouts: { request: '300s', backendRequest: '1m30s' },
      },
      {
        matches: [{ headers: [{ type: 'RegularExpression', name: 'X-Gateway-Model-Name', value: 'food-.*' }], method: 'POST', queryParams: [{ name: 'v', value: '2' }] }],
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-gateway-inference-objective', value: 'food-review' }] } }],
        backendRefs: [alphaRef('vllm-alpha', { weight: 1 })],
      },
    ]);

    const c = convertHttpRoute(manifest, POOL, 'vllm-ga', 'default');

    expect(c.poolRules).toEqual([0, 1]);
    expect(c.warnings).toEqual([]);
    expect(c.route.name).toBe('llm-route');
    expect(c.route.namespace).toBe('llm');
    expect(c.route.parentRefs).toEqual([{ name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'https' }]);
    expect(c.route.hostnames).toEqual(['api.example.com']);
    expect(c.route.otherRules).toBeUndefined();
    const [r0, r1] = c.route.rules!;
    expect(r0.matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1/chat' }, headers: [{ name: 'X-Gateway-Model-Name', value: 'llama', type: 'Exact' }] }]);
    expect(r0.requestTimeout!.toSeconds()).toBe(300);
    expect(r0.backendRequestTimeout!.toSeconds()).toBe(90);
    expect(r1.matches).toEqual([{
      headers: [{ name: 'X-Gateway-Model-Name', value: 'food-.*', type: 'RegularExpression' }],
      queryParams: [{ name: 'v', value: '2', type: 'Exact' }],
      method: 'POST',
    }]);
    expect(r1.filters).toEqual(manifest.spec.rules[1].filters);
    expect(r1.requestTimeout).toBeUndefined();
  });

  test('given a route as in Git, then the manifest is carried for the first stage without server fields, with its namespace', () => {
    const manifest = route([{ backendRefs: [alphaRef()] }], {
      metadata: { namespace: undefined, resourceVersion: '42', labels: { team: 'ml' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    });
    manifest.status = { parents: [] };

    const c = convertHttpRoute(manifest, { name: 'vllm-alpha', namespace: 'default' }, 'vllm-ga', 'default');

    const carried = c.route.manifest!.toJson() as any;
    expect(carried.status).toBeUndefined();
    expect(carried.metadata).toEqual({ name: 'llm-route', namespace: 'default', labels: { team: 'ml' } });
    expect(c.route.metadata).toEqual({ labels: { team: 'ml' } });
    expect(c.route.rules).toEqual([{}]);
  });

  test('given rules that do not touch the pool, then they are carried unchanged after the pool rules, with a warning about the order', () => {
    const health = { matches: [{ path: { type: 'PathPrefix', value: '/health' } }], backendRefs: [{ name: 'status', port: 8080 }] };
    const otherPool = { backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'other-ga' }] };

    const c = convertHttpRoute(route([health, { backendRefs: [alphaRef()] }, otherPool]), POOL, 'vllm-ga', 'default');

    expect(c.poolRules).toEqual([1]);
    expect(c.route.otherRules).toEqual([health, otherPool]);
    expect(c.warnings).toEqual([expect.stringMatching(/^HTTPRoute llm\/llm-route: from the first shift stage on, the pool rules come first/)]);
  });

  test('given a rule mixing the pool with a Service, then it is a pool rule whose other backends keep their share', () => {
    const fallback = { name: 'fallback', port: 8000, weight: 20 };
    const mixed = { backendRefs: [alphaRef('vllm-alpha', { weight: 80 }), fallback] };

    const c = convertHttpRoute(route([{ backendRefs: [alphaRef()] }, mixed]), POOL, 'vllm-ga', 'default');

    expect(c.mixedRules).toEqual([1]);
    expect(c.poolRules).toEqual([0, 1]);
    expect(c.route.otherRules).toBeUndefined();
    expect(c.route.rules![1].otherBackendRefs).toEqual([fallback]);
    expect(c.route.rules![1].poolWeight).toBe(80);
    expect(c.warnings).toEqual([expect.stringMatching(/^HTTPRoute llm\/llm-route: rule 1 sends traffic to the alpha pool vllm-alpha and to Service fallback; only the pool's share \(weight 80\) moves to vllm-ga, the other backends keep theirs\.$/)]);
  });

  test('given a rule name, fields this version does not model and a port and filters on the pool backendRef, then every one is kept without a warning', () => {
    // Given upstream's kgateway route (GIE v0.3.0 config/manifests/gateway/kgateway/httproute.yaml: port 8000) with more on the rule
    const filters = [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-pool', value: 'llama' }] } }];
    const manifest = route([{ name: 'chat', sessionPersistence: { sessionName: 's' }, retry: { attempts: 2 }, backendRefs: [alphaRef('vllm-alpha', { port: 8000, filters })] }]);
    // When it is converted
    const c = convertHttpRoute(manifest, POOL, 'vllm-ga', 'default');
    // Then the rule keeps them all
    expect(c.warnings).toEqual([]);
    expect(c.route.rules).toEqual([{ name: 'chat', poolPort: 8000, poolFilters: filters, otherFields: { sessionPersistence: { sessionName: 's' }, retry: { attempts: 2 } } }]);
  });

  test('given a field on the pool backendRef that no Gateway API version has, then it is named in a warning', () => {
    const c = convertHttpRoute(route([{ backendRefs: [alphaRef('vllm-alpha', { portName: 'http' })] }]), POOL, 'vllm-ga', 'default');
    expect(c.warnings).toEqual([expect.stringMatching(/'spec\.rules\[0\]\.backendRefs\[0\]\.portName' \(on the backendRef to vllm-alpha\) is not a backendRef field this version knows/)]);
  });

  test('given a port that is not a port number on the pool backendRef, then the error names the field', () => {
    expect(() => convertHttpRoute(route([{ backendRefs: [alphaRef('vllm-alpha', { port: '8000' })] }]), POOL, 'vllm-ga', 'default'))
      .toThrow(/'spec\.rules\[0\]\.backendRefs\[0\]\.port' must be a port number 1\.\.65535 \(got "8000"\)/);
  });

  test('given a cross-namespace backendRef, then only a ref resolving to the pool\'s namespace counts', () => {
    const refs = [alphaRef('vllm-alpha', { namespace: 'other' })];

    expect(() => convertHttpRoute(route([{ backendRefs: refs }]), POOL, 'vllm-ga', 'default'))
      .toThrow(/^HTTPRoute llm\/llm-route: none of its rules sends traffic to the alpha pool llm\/vllm-alpha/);
    expect(convertHttpRoute(route([{ backendRefs: refs }]), { name: 'vllm-alpha', namespace: 'other' }, 'vllm-ga', 'default').poolRules).toEqual([0]);
  });

  test('given a backendRef to the alpha group without kind, then the error names the field instead of carrying a dangling ref', () => {
    const typo = { backendRefs: [{ group: 'inference.networking.x-k8s.io', name: 'vllm-alpha' }] };
    expect(() => convertHttpRoute(route([{ backendRefs: [alphaRef()] }, typo]), POOL, 'vllm-ga', 'default'))
      .toThrow(/^HTTPRoute llm\/llm-route: 'spec\.rules\[1\]\.backendRefs\[0\]\.kind' is missing, so it defaults to Service, in group inference\.networking\.x-k8s\.io: a backendRef to an alpha pool needs kind: InferencePool/);
  });

  test('given only a mixed rule, then the route is taken over with the pool weight defaulting to 1', () => {
    const mixed = { backendRefs: [alphaRef(), { name: 'fallback', port: 8000 }] };

    const c = convertHttpRoute(route([mixed]), POOL, 'vllm-ga', 'default');

    expect(c.poolRules).toEqual([0]);
    expect(c.route.rules![0].poolWeight).toBe(1);
  });

  test('given a malformed timeout, then the error names the route and the field', () => {
    expect(() => convertHttpRoute(route([{ backendRefs: [alphaRef()], timeouts: { request: '5 minutes' } }]), POOL, 'vllm-ga', 'default'))
      .toThrow(/^HTTPRoute llm\/llm-route: 'spec\.rules\[0\]\.timeouts\.request' "5 minutes" is not a Gateway API duration/);
  });

  test('given a parent that is not a Gateway, then the route is refused', () => {
    const manifest = route([{ backendRefs: [alphaRef()] }], { spec: { parentRefs: [{ group: '', kind: 'Service', name: 'mesh' }] } });

    expect(() => convertHttpRoute(manifest, POOL, 'vllm-ga', 'default'))
      .toThrow(/^HTTPRoute llm\/llm-route: 'spec\.parentRefs\[0\]' is a core Service, not a Gateway/);
  });

  test('given a route without parentRefs, then the route is refused', () => {
    expect(() => convertHttpRoute(route([{ backendRefs: [alphaRef()] }], { spec: { parentRefs: [] } }), POOL, 'vllm-ga', 'default'))
      .toThrow(/'spec\.parentRefs' is empty/);
  });
});

describe('alphaPoolRefs', () => {
  test('given backendRefs to alpha, GA and core backends, then only the alpha pools are listed, each once, with their namespace', () => {
    const r = route([
      { backendRefs: [alphaRef('a'), { name: 'svc' }] },
      { backendRefs: [alphaRef('a'), alphaRef('b', { namespace: 'other' }), { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'ga' }] },
    ]);

    expect(alphaPoolRefs(r, 'llm')).toEqual([{ name: 'a', namespace: 'llm' }, { name: 'b', namespace: 'other' }]);
  });
});
