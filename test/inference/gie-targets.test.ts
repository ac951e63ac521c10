import { EndpointPicker, InferenceModelRewrite, InferencePoolAlpha, InferencePoolGa, InferenceProvider, ModelServerType } from '../../src';
import { CarriedManifest } from '../../src/core/carried-manifest';
import { inventory, newChart, only, synthValid, validator } from '../util';

const SELECTOR = { app: 'vllm-llama3-8b-instruct' };
const NAME = 'vllm-llama3-8b-instruct-ga';
const EPP = `${NAME}-epp`;
const V14 = ['gie-v1.4.0', 'gateway-api-v1.3.0'];

function pool(gieVersion: string, props: Partial<ConstructorParameters<typeof InferencePoolGa>[2]> = {}) {
  const chart = newChart();
  const p = new InferencePoolGa(chart, 'pool', { name: NAME, modelServerSelector: SELECTOR, gieVersion, ...props });
  return { chart, pool: p };
}

// The EPP as the inferencepool chart v1.4.0 renders it: config/charts/epplib/templates/_deployment.yaml, _rbac.yaml,
// _config.yaml and config/charts/inferencepool/templates/rbac.yaml and values.yaml at v1.4.0.
describe('InferencePoolGa at GIE v1.4.0 (the epplib chart)', () => {
  const { chart } = pool('v1.4.0');
  const objects = synthValid(chart, V14);

  test('then it renders the chart\'s objects: the Roles split by ServiceAccount (-epp-sa for pods, -epp-non-sa for the inference objects)', () => {
    expect(inventory(objects)).toEqual([
      `ClusterRole ${NAME}-default-epp`,
      `ClusterRoleBinding ${NAME}-default-epp`,
      `ConfigMap default/${EPP}`,
      `Deployment default/${EPP}`,
      `InferencePool default/${NAME}`,
      `Role default/${EPP}-non-sa`,
      `Role default/${EPP}-sa`,
      `RoleBinding default/${EPP}-non-sa`,
      `RoleBinding default/${EPP}-sa`,
      `Service default/${EPP}`,
      `ServiceAccount default/${EPP}`,
    ]);
    expect(only(objects, 'Role', `${EPP}-sa`).rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }]);
    expect(only(objects, 'Role', `${EPP}-non-sa`).rules).toEqual([
      { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
    ]);
    expect(only(objects, 'RoleBinding', `${EPP}-non-sa`).roleRef.name).toBe(`${EPP}-non-sa`);
  });

  test('then the Deployment is the chart\'s: image v1.4.0, --tracing=false after the flags, POD_NAME, the igw-mode label, the chart\'s resources', () => {
    const deployment = only(objects, 'Deployment');
    expect(deployment.metadata.labels).toEqual({
      'app.kubernetes.io/name': EPP,
      'app.kubernetes.io/version': 'v1.4.0',
      'inference.networking.k8s.io/igw-mode': 'inferencepool',
    });
    // The selector stays the chart's selector label: the mode label is only on the pods.
    expect(deployment.spec.selector).toEqual({ matchLabels: { inferencepool: EPP } });
    expect(deployment.spec.template.metadata.labels).toEqual({ 'inferencepool': EPP, 'inference.networking.k8s.io/igw-mode': 'inferencepool' });
    const epp = deployment.spec.template.spec.containers[0];
    expect(epp.image).toBe('registry.k8s.io/gateway-api-inference-extension/epp:v1.4.0');
    expect(epp.args).toEqual([
      '--pool-name', NAME,
      '--pool-namespace', 'default',
      '--pool-group', 'inference.networking.k8s.io',
      '--zap-encoder', 'json',
      '--config-file', '/config/default-plugins.yaml',
      '--v', '1',
      '--tracing=false',
    ]);
    expect(epp.env).toEqual([
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(epp.resources).toEqual({ requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '16Gi' } });
    // Beyond the chart: the restricted Pod Security Standard stays.
    expect(epp.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  test('then the plugins config weighs the scorers 2, 2 and 3, as the chart does from v1.2.0', () => {
    expect(only(objects, 'ConfigMap').data['default-plugins.yaml']).toContain('  - pluginRef: prefix-cache-scorer\n    weight: 3\n');
  });

  test('then the pool writes appProtocol http, the v1.4.0 CRD\'s default, keeps FailClose (not the chart\'s FailOpen), and has no default left to apply', () => {
    const p = only(objects, 'InferencePool');
    expect(p.spec.appProtocol).toBe('http');
    expect(p.spec.endpointPickerRef.failureMode).toBe('FailClose');
    expect(validator(V14).validate([p]).defaultsApplied).toEqual([]);
  });

  test('then the metrics-auth ClusterRole stays (the EPP authenticates /metrics callers by default; the chart renders it only with monitoring on)', () => {
    expect(only(objects, 'ClusterRole').rules.map((r: any) => r.resources[0])).toEqual(['tokenreviews', 'subjectaccessreviews']);
  });

  test('given flags, then they come in key order, as Helm renders the chart\'s flags map; a tracing flag of the user\'s replaces the chart\'s', () => {
    const { chart: c } = pool('v1.4.0', { endpointPicker: { flags: { 'v': '3', 'kv-cache-usage-percentage-metric': 'm', 'tracing': 'true' } } });
    const args = only(synthValid(c, V14), 'Deployment').spec.template.spec.containers[0].args;
    expect(args.slice(10)).toEqual(['--kv-cache-usage-percentage-metric', 'm', '--tracing', 'true', '--v', '3']);
  });

  test('given Triton, then its metric flags come before --zap-encoder, as in epplib', () => {
    const { chart: c } = pool('v1.4.0', { modelServerType: ModelServerType.TRITON_TENSORRT_LLM });
    const args: string[] = only(synthValid(c, V14), 'Deployment').spec.template.spec.containers[0].args;
    expect(args.indexOf('--total-queued-requests-metric')).toBeLessThan(args.indexOf('--zap-encoder'));
  });

  test('given two replicas, then the leader-election Role and its binding have the chart\'s names', () => {
    const { chart: c } = pool('v1.4.0', { endpointPicker: { replicas: 2 } });
    const out = synthValid(c, V14);
    expect(only(out, 'RoleBinding', `${EPP}-leader-election-binding`).roleRef.name).toBe(`${EPP}-leader-election`);
  });

  test('given provider GKE, then the pool writes no field newer than v1.0 (GKE serves its own v1 InferencePool CRD)', () => {
    const { chart: c } = pool('v1.4.0', { provider: InferenceProvider.GKE });
    const p = only(synthValid(c, V14), 'InferencePool');
    expect(p.spec.appProtocol).toBeUndefined();
    expect(validator(['gie-v1.0.2', 'gateway-api-v1.3.0']).validate([p]).problems).toEqual([]);
  });
});

// The EPP as the inferencepool chart v1.0.0 renders it: config/charts/inferencepool/templates/epp-deployment.yaml and
// rbac.yaml at v1.0.0 (no --pool-group value, user flags before the Triton flags, readiness after 5 s every 10 s, no
// NAMESPACE env, a Role that reads the pools of both groups).
describe('InferencePoolGa at GIE v1.0.0', () => {
  test('then the EPP follows that chart: its args, readiness probe and env, and a Role reading the pools of both groups', () => {
    const { chart } = pool('v1.0.0');
    const objects = synthValid(chart, ['gie-v1.0.0', 'gateway-api-v1.3.0']);
    const epp = only(objects, 'Deployment').spec.template.spec.containers[0];
    expect(epp.args).toEqual(['--pool-name', NAME, '--pool-namespace', 'default', '--zap-encoder', 'json', '--config-file', '/config/default-plugins.yaml', '--v', '1']);
    expect(epp.readinessProbe).toEqual({ grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10 });
    expect(epp.env).toEqual([]);
    expect(only(objects, 'Role').rules).toEqual([
      { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives', 'inferencepools'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
    ]);
    // Deliberately v1.0.2's name: v1.0.0's <pool>-epp would be shared by pools of the same name in two namespaces.
    expect(only(objects, 'ClusterRole').metadata.name).toBe(`${NAME}-default-epp`);
  });

  test('given Triton, then its metric flags come after the user\'s flags, as in that chart', () => {
    const { chart } = pool('v1.0.0', { modelServerType: ModelServerType.TRITON_TENSORRT_LLM, endpointPicker: { flags: { v: '2' } } });
    const args: string[] = only(synthValid(chart, ['gie-v1.0.0', 'gateway-api-v1.3.0']), 'Deployment').spec.template.spec.containers[0].args;
    expect(args.slice(8, 12)).toEqual(['--v', '2', '--total-queued-requests-metric', 'nv_trt_llm_request_metrics{request_type=waiting}']);
  });

  test('given an EPP for the alpha group, then --pool-group is written, since it is not the EPP\'s default', () => {
    const chart = newChart();
    new EndpointPicker(chart, 'epp', { poolName: 'a', gieVersion: 'v1.0.0', poolGroup: 'inference.networking.x-k8s.io' });
    const args: string[] = only(synthValid(chart, ['gie-v1.0.0']), 'Deployment').spec.template.spec.containers[0].args;
    expect(args.slice(4, 6)).toEqual(['--pool-group', 'inference.networking.x-k8s.io']);
  });

  test('given a user env NAMESPACE, then it is kept (the construct sets NAMESPACE only from v1.0.2)', () => {
    const chart = newChart();
    expect(() => new EndpointPicker(chart, 'a', { poolName: 'a', gieVersion: 'v1.0.2', env: [{ name: 'NAMESPACE', value: 'x' }] })).toThrow(/'env\[0\].name' is set by the construct/);
    new EndpointPicker(chart, 'b', { poolName: 'b', gieVersion: 'v1.0.0', env: [{ name: 'NAMESPACE', value: 'x' }] });
    expect(only(synthValid(chart, ['gie-v1.0.0']), 'Deployment', 'b-epp').spec.template.spec.containers[0].env).toEqual([{ name: 'NAMESPACE', value: 'x' }]);
  });
});

describe('InferencePoolGa between v1.0.2 and v1.4.0', () => {
  test.each([
    ['v1.0.2', [], false, false],
    ['v1.1.0', ['--tracing', 'false'], false, false],
    ['v1.2.0', ['--tracing=false'], true, false],
    ['v1.3.1', ['--tracing=false'], true, true],
  ])('given %s, then the EPP follows that chart: tracing args %p, POD_NAME %p, rewrites in the Role %p', (version, tracing, podName, rewrites) => {
    const { chart } = pool(version as string);
    const objects = synthValid(chart, [`gie-${version}`, 'gateway-api-v1.3.0']);
    const epp = only(objects, 'Deployment').spec.template.spec.containers[0];
    expect(epp.image).toBe(`registry.k8s.io/gateway-api-inference-extension/epp:${version}`);
    expect(epp.args.slice(10)).toEqual(['--v', '1', ...(tracing as string[])]);
    expect(epp.env.some((e: any) => e.name === 'POD_NAME')).toBe(podName);
    expect(only(objects, 'Role').rules[0].resources.includes('inferencemodelrewrites')).toBe(rewrites);
    expect(only(objects, 'InferencePool').spec.appProtocol).toBeUndefined();
  });

  test.each([
    ['v1.3.0', /v1\.3\.0 is not pinned; use v1\.3\.1, the pinned release of the v1\.3 line/],
    ['v1.0.1', /use v1\.0\.2, the pinned release of the v1\.0 line/],
    ['v1.4.2', /use v1\.4\.0/],
    ['v1.5.0', /must be a bridge release from v1\.0\.0 to v1\.4\.x, whose CRDs serve both the alpha and the GA InferencePool: v1\.5\.0 no longer serves the v1alpha2 InferencePool.*; the nearest pinned release is v1\.4\.0/],
    ['v0.5.1', /must be a bridge release from v1\.0\.0 to v1\.4\.x.*v0\.5\.1 has no v1 InferencePool.*; the nearest pinned release is v1\.0\.0/],
    ['latest', /'gieVersion' must be a GIE release such as v1\.4\.0 \(got "latest"\)/],
  ])('given gieVersion %p, then the error names the prop and the fix', (version, message) => {
    expect(() => pool(version)).toThrow(/test\/pool: 'gieVersion' must/);
    expect(() => pool(version)).toThrow(message);
  });
});

describe('InferenceModelRewrite', () => {
  const quickstartModel = CarriedManifest.fromObject({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name: 'food-review' },
    spec: { modelName: 'food-review', criticality: 'Standard', poolRef: { name: 'vllm-llama3-8b-instruct' }, targetModels: [{ name: 'food-review-1', weight: 100 }] },
  });

  test('given the v0.5.1 quickstart\'s food-review, then the rewrite sends food-review to food-review-1 with its weight, valid against the v1.4.0 CRD', () => {
    const { chart, pool: p } = pool('v1.4.0');
    InferenceModelRewrite.fromInferenceModel(chart, 'rw', { inferenceModel: quickstartModel, pool: p });
    const rewrite = only(synthValid(chart, V14), 'InferenceModelRewrite');
    expect(rewrite.apiVersion).toBe('inference.networking.x-k8s.io/v1alpha2');
    expect(rewrite.metadata).toEqual({ name: 'food-review', namespace: 'default' });
    expect(rewrite.spec).toEqual({
      poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: NAME },
      rules: [{ matches: [{ model: { type: 'Exact', value: 'food-review' } }], targets: [{ modelRewrite: 'food-review-1', weight: 100 }] }],
    });
    expect(validator(V14).validate([rewrite]).defaultsApplied).toEqual([]);
    // The v1.3.1 CRD is the same.
    expect(validator(['gie-v1.3.1']).validate([rewrite]).problems).toEqual([]);
  });

  test('given targets that only name the model itself, then there is nothing to rewrite and the factory says so', () => {
    const { chart, pool: p } = pool('v1.4.0');
    const identity = CarriedManifest.fromObject({ ...quickstartModel._object, spec: { ...quickstartModel._object.spec, targetModels: [{ name: 'food-review', weight: 1 }] } });
    expect(() => InferenceModelRewrite.fromInferenceModel(chart, 'rw', { inferenceModel: identity, pool: p })).toThrow(/'inferenceModel' has no targetModels that rename its model "food-review": nothing to rewrite/);
  });

  test('given weights on some targets only, an alpha pool, or no rules, then the construct refuses', () => {
    const { chart, pool: p } = pool('v1.4.0');
    expect(() => new InferenceModelRewrite(chart, 'a', { pool: p, rules: [{ models: ['m'], targets: [{ model: 'x', weight: 1 }, { model: 'y' }] }] }))
      .toThrow(/'rules\[0\].targets' must give a weight to every target or to none/);
    expect(() => new InferenceModelRewrite(chart, 'b', { pool: p, rules: [] })).toThrow(/'rules' must list at least one rule/);
    const alpha = InferencePoolAlpha.fromExisting(chart, 'alpha', { name: 'a', modelServerSelector: SELECTOR });
    expect(() => new InferenceModelRewrite(chart, 'c', { pool: alpha, rules: [{ models: ['m'], targets: [{ model: 'x' }] }] })).toThrow(/'pool' must be a GA pool/);
  });
});
