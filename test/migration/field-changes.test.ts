import { FieldChange, fieldChanges, formatFieldChange, showFieldValue } from '../../src/migration/field-changes';

const ALPHA = { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-alpha' };
const GA = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-ga' };

function route(...backendRefs: any[]): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'llm-route', namespace: 'default' },
    spec: { parentRefs: [{ name: 'inference-gateway' }], rules: [{ backendRefs, matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] },
  };
}

function lines(changes: FieldChange[]): string[] {
  return changes.map(formatFieldChange);
}

describe('fieldChanges', () => {
  test('a weight change names the backendRef by group, kind and name', () => {
    // Given a route at 50/50 and the same route at 0/100
    const before = route({ ...ALPHA, weight: 50 }, { ...GA, weight: 50 });
    const after = route({ ...ALPHA, weight: 0 }, { ...GA, weight: 100 });

    // Then each weight is one change, keyed by the backend, not by its index
    expect(lines(fieldChanges(before, after))).toEqual([
      'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha].weight: 50 -> 0',
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight: 50 -> 100',
    ]);
  });

  test('an unset field shows as (unset); an added or removed backendRef is one change (removals after what stays)', () => {
    const before = route({ ...ALPHA });
    const shift = route({ ...ALPHA, weight: 50 }, { ...GA, weight: 50 });
    expect(lines(fieldChanges(before, shift))).toEqual([
      'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha].weight: (unset) -> 50',
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga]: (unset) -> {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-ga, weight: 50}',
    ]);
    const finalize = route({ ...GA, weight: 100 });
    expect(fieldChanges(shift, finalize)).toEqual([
      { path: 'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight', before: 50, after: 100 },
      { path: 'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha]', before: { ...ALPHA, weight: 50 } },
    ]);
  });

  test('two backendRefs of one name in two namespaces are told apart by their namespace', () => {
    // Given a route that splits between the GA pools of two teams (cross-namespace, each with its ReferenceGrant)
    const before = route({ ...GA, namespace: 'team-a', weight: 50 }, { ...GA, namespace: 'team-b', weight: 50 });
    const after = route({ ...GA, namespace: 'team-a', weight: 80 }, { ...GA, namespace: 'team-b', weight: 20 });

    // Then each change names its backend with the namespace, not by position
    expect(lines(fieldChanges(before, after))).toEqual([
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/team-a/vllm-ga].weight: 50 -> 80',
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/team-b/vllm-ga].weight: 50 -> 20',
    ]);
  });

  test('a core Service backend is keyed Service/name; equal objects have no changes', () => {
    const before = route({ name: 'svc', port: 80, weight: 1 });
    const after = route({ name: 'svc', port: 8080, weight: 1 });
    expect(lines(fieldChanges(before, after))).toEqual(['spec.rules[0].backendRefs[Service/svc].port: 80 -> 8080']);
    expect(fieldChanges(before, structuredClone(before))).toEqual([]);
  });

  test('containers, env and ports are keyed by name; args compare as one list; env values never show', () => {
    // Given an EPP Deployment whose sidecar comes first after the change, with a new flag and a changed secret env value
    const container = (args: string[], token: string) => ({
      name: 'epp',
      args,
      env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, { name: 'TOKEN', value: token }],
      ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'metrics', containerPort: 9090 }],
    });
    const deployment = (containers: any[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers } } } });
    const before = deployment([container(['--pool-name', 'p'], 'hunter22'), { name: 'sidecar', image: 'a' }]);
    const after = deployment([{ name: 'sidecar', image: 'b' }, container(['--pool-name', 'p', '--pool-group', 'g'], 'correct-horse')]);

    const shown = lines(fieldChanges(before, after));
    expect(shown).toEqual([
      'spec.template.spec.containers[sidecar].image: a -> b',
      'spec.template.spec.containers[epp].args: [--pool-name, p] -> [--pool-name, p, --pool-group, g]',
      'spec.template.spec.containers[epp].env[TOKEN].value: <redacted> -> <redacted>',
      'spec.template.spec.containers (order): [epp, sidecar] -> [sidecar, epp]',
    ]);
    expect(shown.join('\n')).not.toMatch(/hunter22|correct-horse/);
  });

  test('a new env var shows its name, not its value; Secret data never shows', () => {
    const pod = (env: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env }] } });
    expect(lines(fieldChanges(pod([]), pod([{ name: 'MODEL_NAME', value: 's3cr3t-value' }])))).toEqual([
      'spec.containers[c].env[MODEL_NAME]: (unset) -> {name: MODEL_NAME, value: <redacted>}',
    ]);
    // A name that says it holds a secret: nothing of it shows but the path (validation/redact's rule).
    expect(lines(fieldChanges(pod([]), pod([{ name: 'API_KEY', value: 's3cr3t-value' }])))).toEqual([
      'spec.containers[c].env[API_KEY]: (unset) -> <redacted>',
    ]);
    const secret = (data: any) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(lines(fieldChanges(secret({ a: 'b2xk' }), secret({ a: 'bmV3', b: 'eA==' })))).toEqual([
      'data.a: <redacted> -> <redacted>',
      'data.b: (unset) -> <redacted>',
    ]);
  });

  test('a list item without its key is compared by index; annotations with dots go in brackets', () => {
    const role = (verbs: string[], wave?: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', ...(wave ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}) },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs }],
    });
    expect(lines(fieldChanges(role(['get']), role(['get', 'list'], '0')))).toEqual([
      'metadata.annotations: (unset) -> {argocd.argoproj.io/sync-wave: "0"}',
      'rules[0].verbs: [get] -> [get, list]',
    ]);
    expect(lines(fieldChanges(role(['get'], '0'), role(['get'], '1')))).toEqual([
      'metadata.annotations[argocd.argoproj.io/sync-wave]: "0" -> "1"',
    ]);
  });

  describe('a list whose items repeat a key (two env vars of one name: the API server keeps both)', () => {
    // Through the writer, status and the pull request: test/migration/gitops-writer.test.ts.
    const job = (first: string, second: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'model-loader', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'loader' } },
        template: {
          metadata: { labels: { app: 'loader' } },
          spec: { containers: [{ name: 'loader', image: 'busybox:1.36', env: [{ name: 'MODEL_DIR', value: first }, { name: 'MODEL_DIR', value: second }] }] },
        },
      },
    });

    test('given a change to the first of the two, then it is one change at its index, not lost under the second', () => {
      // Given the same name twice (kubectl and the API server accept it; the last value wins in the container)
      const changes = fieldChanges(job('/models/a', '/models/b'), job('/models/c', '/models/b'));

      // Then the change is listed, by index since the name cannot tell the items apart; values stay redacted
      expect(lines(changes)).toEqual(['spec.template.spec.containers[loader].env[0].value: <redacted> -> <redacted>']);
    });

    test('given a change to the second of the two, then it is listed at index 1', () => {
      expect(fieldChanges(job('/models/a', '/models/b'), job('/models/a', '/models/c')).map((c) => c.path))
        .toEqual(['spec.template.spec.containers[loader].env[1].value']);
    });
  });

  test('a string holding a JSON object is compared inside it, as a JSON pointer after #', () => {
    const cm = (ingress: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferenceservice-config' }, data: { ingress: JSON.stringify(ingress, null, 2) } });
    const before = cm({ ingressGateway: 'knative-serving/knative-ingress-gateway', ingressDomain: 'example.com' });
    const after = cm({ ingressGateway: 'knative-serving/knative-ingress-gateway', ingressDomain: 'example.com', enableGatewayApi: true, kserveIngressGateway: 'kserve/kserve-ingress-gateway' });
    expect(lines(fieldChanges(before, after))).toEqual([
      'data.ingress#/enableGatewayApi: (unset) -> true',
      'data.ingress#/kserveIngressGateway: (unset) -> kserve/kserve-ingress-gateway',
    ]);
  });

  test('a Secret value holding JSON is not compared inside: the change shows redacted, never its fields', () => {
    // Given a Secret whose data holds a JSON document (a registry config, say) that changes
    const secret = (auth: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { config: JSON.stringify({ auths: { r: { auth } } }) } });

    // Then the one change is the value, redacted, with nothing of the JSON inside
    const shown = lines(fieldChanges(secret('b2xk'), secret('bmV3')));
    expect(shown).toEqual(['stringData.config: <redacted> -> <redacted>']);
  });

  test('a JSON key with / or ~ is escaped in the pointer after # (RFC 6901)', () => {
    const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { j: JSON.stringify({ 'a/b': { '~c': value } }) } });
    expect(lines(fieldChanges(cm('v1'), cm('v2')))).toEqual(['data.j#/a~1b/~0c: v1 -> v2']);
  });

  test('a string that only looks like JSON is compared as a string', () => {
    const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { j: value } });
    expect(lines(fieldChanges(cm('{not json'), cm('{not json either')))).toEqual(['data.j: "{not json" -> "{not json either"']);
    expect(lines(fieldChanges(cm('[1]'), cm('[2]')))).toEqual(['data.j: "[1]" -> "[2]"']);
  });

  test('ports without a name are keyed by their number; keys holding brackets fall back to the index', () => {
    const svc = (ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports } });
    const http = { port: 80, targetPort: 8080 };
    expect(lines(fieldChanges(svc([http, { port: 443, targetPort: 8443 }]), svc([http, { port: 443, targetPort: 9443 }]))))
      .toEqual(['spec.ports[443].targetPort: 8443 -> 9443']);
    const pod = (env: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env }] } });
    expect(fieldChanges(pod([{ name: 'A[0]', valueFrom: { fieldRef: { fieldPath: 'a' } } }]), pod([{ name: 'A[0]', valueFrom: { fieldRef: { fieldPath: 'b' } } }])).map((c) => c.path))
      .toEqual(['spec.containers[c].env[0].valueFrom.fieldRef.fieldPath']);
  });

  test('a reordered keyed list inside a list item is one (order) change at that item', () => {
    // Given a route whose one rule lists the same two backends in the other order
    const [alpha, ga] = [{ ...ALPHA, weight: 50 }, { ...GA, weight: 50 }];
    expect(lines(fieldChanges(route(alpha, ga), route(ga, alpha)))).toEqual([
      'spec.rules[0].backendRefs (order): [inference.networking.x-k8s.io/InferencePool/vllm-alpha, inference.networking.k8s.io/InferencePool/vllm-ga] -> '
        + '[inference.networking.k8s.io/InferencePool/vllm-ga, inference.networking.x-k8s.io/InferencePool/vllm-alpha]',
    ]);
  });

  test('an added rule shows whole, its lists as written', () => {
    const before = route({ ...GA, weight: 1 });
    const after = { ...before, spec: { ...before.spec, rules: [...before.spec.rules, { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ ...ALPHA, weight: 1 }] }] } };
    expect(lines(fieldChanges(before, after))).toEqual([
      'spec.rules[1]: (unset) -> {matches: [{path: {type: PathPrefix, value: /v2}}], backendRefs: [{group: inference.networking.x-k8s.io, kind: InferencePool, name: vllm-alpha, weight: 1}]}',
    ]);
    const pod = (containers: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers } });
    expect(fieldChanges(pod([]), pod([{ name: 'c', ports: [{ name: 'http', containerPort: 80 }] }]))).toEqual([
      { path: 'spec.containers[c]', after: { name: 'c', ports: [{ name: 'http', containerPort: 80 }] } },
    ]);
  });

  test('a field that is unset on one side has no key for that side', () => {
    const cm = (data: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data });
    const [added] = fieldChanges(cm({}), cm({ a: '1' }));
    const [removed] = fieldChanges(cm({ a: '1' }), cm({}));
    expect([Object.keys(added), Object.keys(removed)]).toEqual([['path', 'after'], ['path', 'before']]);
  });

  test('null values and a field that changes type are compared without error, in document order', () => {
    const obj = (spec: any) => ({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, spec });
    expect(lines(fieldChanges(obj({ a: null, b: { c: 1 }, d: 1 }), obj({ a: { x: 1 }, b: null, d: 2 })))).toEqual([
      'spec.a: null -> {x: 1}',
      'spec.b: {c: 1} -> null',
      'spec.d: 1 -> 2',
    ]);
  });

  test('an empty list that gains a flag is one change of the whole list', () => {
    const pod = (args: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', args }] } });
    expect(lines(fieldChanges(pod([]), pod(['--v=2'])))).toEqual(['spec.containers[c].args: [] -> [--v=2]']);
  });

  test('list items that lack their key, or have an empty one, are compared by index', () => {
    const pod = (mounts: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', volumeMounts: mounts }] } });
    expect(fieldChanges(pod([{ name: 'v' }]), pod([{ name: 'w' }])).map((c) => c.path)).toEqual(['spec.containers[c].volumeMounts[0].name']);
    const env = (value: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env: [{ name: '', valueFrom: { fieldRef: { fieldPath: value } } }] }] } });
    expect(fieldChanges(env('a'), env('b')).map((c) => c.path)).toEqual(['spec.containers[c].env[0].valueFrom.fieldRef.fieldPath']);
    const refs = route({ kind: 'Service', port: 80 }, { kind: 'Service', port: 81 });
    expect(fieldChanges(refs, route({ kind: 'Service', port: 80 }, { kind: 'Service', port: 82 })).map((c) => c.path)).toEqual(['spec.rules[0].backendRefs[1].port']);
  });

  test('a value that turns from text into JSON, or a JSON value with leading space, is compared as it should be', () => {
    const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { j: value } });
    expect(lines(fieldChanges(cm('plain'), cm('{"a":1}')))).toEqual(['data.j: plain -> \'{"a":1}\'']);
    expect(lines(fieldChanges(cm('\n  {"a":1}'), cm('\n  {"a":2}')))).toEqual(['data.j#/a: 1 -> 2']);
  });

  test('a value of 160 characters is shown whole; one of 161 is cut to 160 with its length', () => {
    expect(showFieldValue('x'.repeat(160))).toBe('x'.repeat(160));
    expect(showFieldValue('x'.repeat(161))).toBe(`${'x'.repeat(159)}… (161 characters)`);
  });

  test('long values are cut in the line, never in the data', () => {
    const long = 'x'.repeat(500);
    expect(showFieldValue(long)).toMatch(/… \(500 characters\)$/);
    expect(showFieldValue(long).length).toBeLessThan(200);
    expect(fieldChanges({ kind: 'ConfigMap', data: { a: 'y' } }, { kind: 'ConfigMap', data: { a: long } })).toEqual([{ path: 'data.a', before: 'y', after: long }]);
  });
});

describe('fieldChanges: how list items are named', () => {
  test('given a backendRef with an empty namespace, then it is named as one with none (no stray slash)', () => {
    // Given the GA backend written with namespace: '' (the API server treats it as the route's namespace)
    const before = route({ ...ALPHA, weight: 50 }, { ...GA, namespace: '', weight: 50 });
    const after = route({ ...ALPHA, weight: 50 }, { ...GA, namespace: '', weight: 60 });
    // Then its key is group/kind/name
    expect(lines(fieldChanges(before, after))).toEqual(['spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight: 50 -> 60']);
  });

  test('given a backendRef with a namespace, then the namespace is part of its name', () => {
    const before = route({ ...GA, namespace: 'models', weight: 50 });
    const after = route({ ...GA, namespace: 'models', weight: 70 });
    expect(lines(fieldChanges(before, after))).toEqual(['spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/models/vllm-ga].weight: 50 -> 70']);
  });

  test('given backendRefs of which one has no name, then the list is compared by index', () => {
    // Given a backendRef without a name (invalid, but carried as written) beside a named one
    const before = route({ kind: 'Service', port: 80, weight: 1 }, { ...GA, weight: 1 });
    const after = route({ kind: 'Service', port: 80, weight: 2 }, { ...GA, weight: 1 });
    // Then no key is made up for it: the items are named by their index
    expect(lines(fieldChanges(before, after))).toEqual(['spec.rules[0].backendRefs[0].weight: 1 -> 2']);
  });

  test('given a list of objects with no key (tolerations), then an item is named by its index, not as a property', () => {
    const pod = (seconds: number) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }, { key: 'spot', operator: 'Exists', tolerationSeconds: seconds }] },
    });
    expect(lines(fieldChanges(pod(10), pod(20)))).toEqual(['spec.tolerations[1].tolerationSeconds: 10 -> 20']);
  });
});

describe('fieldChanges: lists of scalars and maps', () => {
  test('given a list of scalars with a null among them, then a change shows the whole list, as for any list of scalars', () => {
    const cm = (args: unknown[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', args }] } });
    expect(fieldChanges(cm(['--a', null]), cm(['--b', null]))).toEqual([{ path: 'spec.containers[c].args', before: ['--a', null], after: ['--b', null] }]);
  });

  test('given a map whose keys only change order, then nothing changes: maps have no order', () => {
    const labelled = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels } });
    expect(fieldChanges(labelled({ a: '1', b: '2' }), labelled({ b: '2', a: '1' }))).toEqual([]);
  });
});

// Kubernetes merges these lists by a key (the patchMergeKey of the Kubernetes API, the header name of the Gateway
// API): a README that named their items by index would show a reorder as a change of every item, at the wrong item.
describe('fieldChanges: every list merged by key is compared item by item, by its key', () => {
  test.each([
    ['initContainers', 'name'], ['ephemeralContainers', 'name'], ['volumes', 'name'], ['imagePullSecrets', 'name'],
    ['resourceClaims', 'name'], ['ports', 'name'], ['volumeMounts', 'mountPath'], ['volumeDevices', 'devicePath'],
    ['hostAliases', 'ip'], ['listeners', 'name'], ['conditions', 'type'], ['set', 'name'], ['add', 'name'], ['headers', 'name'],
  ])('given a %s list reordered with one item changed, then the one change names that item by its %s', (field, key) => {
    // Given two items, then the same two in the other order, the second with another value
    const before = { spec: { [field]: [{ [key]: 'first', value: 'a' }, { [key]: 'second', value: 'b' }] } };
    const after = { spec: { [field]: [{ [key]: 'second', value: 'c' }, { [key]: 'first', value: 'a' }] } };
    // Then the change is the second item's, named by its key, and the new order is one line of its own (the values
    // of a field whose path says secret are not shown)
    const shown = field === 'imagePullSecrets' ? '<redacted> -> <redacted>' : 'b -> c';
    expect(lines(fieldChanges(before, after))).toEqual([`spec.${field}[second].value: ${shown}`, `spec.${field} (order): [first, second] -> [second, first]`]);
  });

  // A list keyed by a number lost its order when keyed into an object (integer-like keys come first, ascending):
  // its reorder was not shown, and a whole list of them was shown sorted by port.
  test('given container ports without names, then they are keyed by containerPort, and Service ports without names by port, in the order written', () => {
    const containerPorts = (second: string) => ({ spec: { ports: [{ containerPort: 8000, protocol: 'TCP' }, { containerPort: 9090, protocol: second }] } });
    expect(lines(fieldChanges(containerPorts('TCP'), { spec: { ports: [...containerPorts('UDP').spec.ports].reverse() } })))
      .toEqual(['spec.ports[9090].protocol: TCP -> UDP', 'spec.ports (order): ["8000", "9090"] -> ["9090", "8000"]']);
    const servicePorts = (target: number) => ({ spec: { ports: [{ port: 80, targetPort: 8000 }, { port: 9090, targetPort: target }] } });
    expect(lines(fieldChanges(servicePorts(9090), { spec: { ports: [...servicePorts(9091).spec.ports].reverse() } })))
      .toEqual(['spec.ports[9090].targetPort: 9090 -> 9091', 'spec.ports (order): ["80", "9090"] -> ["9090", "80"]']);
  });

  test('given a list of Service ports added whole, then it is shown in the order written, not sorted by port', () => {
    const after = { spec: { ports: [{ port: 9090 }, { port: 80 }] } };
    expect(lines(fieldChanges({ spec: {} }, after))).toEqual(['spec.ports: (unset) -> [{port: 9090}, {port: 80}]']);
  });
});
