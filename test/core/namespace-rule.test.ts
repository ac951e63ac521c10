/**
 * The one namespace rule, for every construct that places an object: its own `namespace` prop, else the
 * enclosing chart's, else the namespace of what it is bound to (a pool), else its default; two of these that
 * are set and differ are an error naming both (docs/library.md, "Namespaces").
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CarriedManifest, CarriedObjects, EndpointPicker, GkePoolPolicies, InferenceModelRewrite, InferenceObjective, InferencePoolAlpha,
  InferencePoolGa, KServeGatewayApiMigration, KServeIngressGateway, LlamaStackDistribution, SimpleMigration, WeightedInferenceRoute,
  ZeroDowntimeMigration,
} from '../../src';

/** A construct under test: builds it in `scope` with the namespace prop `namespace` (or none), returns the namespaces of what it renders. */
interface Placer {
  readonly name: string;
  /** The namespace its objects get with neither prop nor chart namespace. */
  readonly fallback: string;
  /** Builds it; returns the namespaces it places objects in when it renders none itself (a referenced pool). */
  readonly build: (scope: Construct, namespace: string | undefined) => unknown;
}

const selector = { app: 'vllm' };
const gaPool = (scope: Construct, id: string, namespace?: string) => new InferencePoolGa(scope, id, { name: 'vllm-ga', modelServerSelector: selector, ...(namespace ? { namespace } : {}) });
const alphaProps = (namespace: string | undefined) => ({
  alphaPool: { existing: { name: 'vllm-alpha', modelServerSelector: selector } },
  gateway: { name: 'inference-gateway' },
  routeName: 'llm-route',
  activeStage: '01-side-by-side',
  ...(namespace ? { namespace } : {}),
});
const ns = (namespace: string | undefined) => (namespace ? { namespace } : {});

const PLACERS: Placer[] = [
  { name: 'InferencePoolGa', fallback: 'default', build: (s, n) => gaPool(s, 'pool', n) },
  { name: 'EndpointPicker', fallback: 'default', build: (s, n) => new EndpointPicker(s, 'epp', { poolName: 'vllm-ga', ...ns(n) }) },
  { name: 'InferencePoolAlpha.fromExisting', fallback: 'default', build: (s, n) => [InferencePoolAlpha.fromExisting(s, 'alpha', { name: 'vllm-alpha', modelServerSelector: selector, ...ns(n) }).poolNamespace] },
  { name: 'WeightedInferenceRoute', fallback: 'default', build: (s, n) => new WeightedInferenceRoute(s, 'route', { name: 'r', parentRefs: [{ name: 'gw' }], backends: [{ pool: { poolName: 'p', poolGroup: 'inference.networking.k8s.io', poolNamespace: n ?? Chart.of(s).namespace ?? 'default', external: false }, weight: 1 }], ...ns(n) }) },
  { name: 'GkePoolPolicies', fallback: 'default', build: (s, n) => new GkePoolPolicies(s, 'gke', { poolName: 'vllm-ga', ...ns(n) }) },
  { name: 'LlamaStackDistribution', fallback: 'default', build: (s, n) => new LlamaStackDistribution(s, 'llsd', { name: 'llsd', distribution: { name: 'starter' }, ...ns(n) }) },
  { name: 'KServeIngressGateway', fallback: 'kserve', build: (s, n) => new KServeIngressGateway(s, 'gw', ns(n)) },
  { name: 'ZeroDowntimeMigration', fallback: 'default', build: (s, n) => new ZeroDowntimeMigration(s, 'm', alphaProps(n)) },
  { name: 'SimpleMigration', fallback: 'default', build: (s, n) => new SimpleMigration(s, 'm', { ...alphaProps(n), activeStage: '02-install-ga' }) },
  { name: 'KServeGatewayApiMigration', fallback: 'kserve', build: (s, n) => new KServeGatewayApiMigration(s, 'k', { helm: true, activeStage: '01-gateway', ...(n ? { kserveNamespace: n } : {}) }) },
];

/** The namespaces of the namespaced objects `build` renders in a chart of namespace `chartNamespace`. */
function placedIn(p: Placer, chartNamespace: string | undefined, prop: string | undefined): string[] {
  const chart = new Chart(Testing.app(), 'team', chartNamespace ? { namespace: chartNamespace } : {});
  const referenced = p.build(chart, prop);
  if (Array.isArray(referenced)) return referenced;
  const namespaced = Testing.synth(chart).filter((o: any) => !/^(Cluster|GatewayClass$|Namespace$)/.test(o.kind));
  expect(namespaced.length).toBeGreaterThan(0);
  return [...new Set(namespaced.map((o: any) => o.metadata.namespace))];
}

describe.each(PLACERS)('$name', (p) => {
  test('given neither the prop nor a chart namespace, then its objects are in its default namespace', () => {
    expect(placedIn(p, undefined, undefined)).toEqual([p.fallback]);
  });

  test('given the prop, then its objects are in it', () => {
    expect(placedIn(p, undefined, 'llm')).toEqual(['llm']);
  });

  test('given a chart namespace, then its objects are in it', () => {
    expect(placedIn(p, 'team-a', undefined)).toEqual(['team-a']);
  });

  test('given the prop and the chart namespace agreeing, then its objects are in it', () => {
    expect(placedIn(p, 'llm', 'llm')).toEqual(['llm']);
  });

  test('given a prop that differs from the chart namespace, then it is an error naming both', () => {
    expect(() => placedIn(p, 'team-a', 'llm')).toThrow(/^team\/\S+: conflicting namespaces: '[\w.]+' is "llm", but the enclosing chart team has namespace "team-a"; an object takes its own namespace, else its chart's/);
  });
});

describe('objects bound to a pool', () => {
  const bound: Array<[string, (scope: Construct, pool: InferencePoolGa) => void, string]> = [
    ['InferenceObjective', (s, pool) => new InferenceObjective(s, 'o', { name: 'chat', pool, priority: 1 }), 'objectives'],
    ['InferenceModelRewrite', (s, pool) => new InferenceModelRewrite(s, 'r', { name: 'rw', pool, rules: [{ models: ['a'], targets: [{ model: 'b', weight: 1 }] }] }), 'model rewrites'],
  ];

  test.each(bound)('given a %s in a chart without namespace, then it takes its pool\'s namespace', (_name, build) => {
    const chart = new Chart(Testing.app(), 'team');
    const pool = gaPool(new Chart(chart.node.root as any, 'pools', { namespace: 'llm' }), 'pool');
    build(chart, pool);
    expect(Testing.synth(chart).map((o: any) => o.metadata.namespace)).toEqual(['llm']);
  });

  test.each(bound)('given a %s in a team-a chart whose pool is in llm, then it is an error naming both (it landed in llm silently)', (_name, build) => {
    const app = Testing.app();
    const pool = gaPool(new Chart(app, 'pools', { namespace: 'llm' }), 'pool');
    expect(() => build(new Chart(app, 'team', { namespace: 'team-a' }), pool)).toThrow(
      /^team\/\w: conflicting namespaces: the enclosing chart team has namespace "team-a", but the pool vllm-ga is in namespace "llm"; poolRef cannot cross namespaces, so .* live in their pool's namespace: place it in a chart of namespace "llm" \(or one without a namespace\)$/);
  });
});

describe('migrations, bound to their alpha pool', () => {
  const carriedAlpha = (namespace: string) => CarriedManifest.fromObject({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferencePool',
    metadata: { name: 'vllm-alpha', namespace },
    spec: { selector, targetPortNumber: 8000, extensionRef: { name: 'vllm-alpha-epp' } },
  });
  const props = (alphaNamespace: string) => ({ ...alphaProps(undefined), alphaPool: { manifests: [carriedAlpha(alphaNamespace)] } });

  test('given a carried alpha pool in llm and a chart without namespace, then the migration is in llm', () => {
    const chart = new Chart(Testing.app(), 'team');
    const m = new ZeroDowntimeMigration(chart, 'm', props('llm'));
    expect(m.namespace).toBe('llm');
  });

  test('given a carried alpha pool in llm inside a team-a chart, then it is an error naming both (the chart was ignored silently)', () => {
    expect(() => new ZeroDowntimeMigration(new Chart(Testing.app(), 'team', { namespace: 'team-a' }), 'm', props('llm'))).toThrow(
      /^team\/m: conflicting namespaces: the enclosing chart team has namespace "team-a", but the alpha pool vllm-alpha is in namespace "llm"; the GA pool selects the same model-server pods/);
  });

  test('given a KServe ConfigMap from Git in kubeflow and no kserveNamespace, then KServe\'s namespace is kubeflow', () => {
    const configMap = CarriedManifest.fromObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferenceservice-config', namespace: 'kubeflow' }, data: { ingress: '{"ingressGateway": "knative-serving/knative-ingress-gateway"}' } });
    const m = new KServeGatewayApiMigration(new Chart(Testing.app(), 'team'), 'k', { existingConfigMap: configMap, activeStage: '01-gateway' });
    expect(m.namespace).toBe('kubeflow');
  });
});

describe('objects carried from Git', () => {
  test('given a carried object without namespace in a namespaced chart, then it stays without (the chart\'s is never added)', () => {
    const chart = new Chart(Testing.app(), 'team', { namespace: 'team-a' });
    new CarriedObjects(chart, 'c', { manifests: [CarriedManifest.fromObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })] });
    new ApiObject(chart, 'mine', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } });
    expect(Testing.synth(chart).map((o: any) => [o.metadata.name, o.metadata.namespace])).toEqual([['x', undefined], ['y', 'team-a']]);
  });
});
