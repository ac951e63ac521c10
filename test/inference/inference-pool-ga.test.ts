import { Testing } from 'cdk8s';
import { FailureMode, ImagePullPolicy, InferencePoolGa, InferenceProvider, ModelServerType } from '../../src';
import { inventory, newChart, only, synthValid, validator } from '../util';

const GUIDE_SELECTOR = { app: 'vllm-llama3-8b-instruct' };
const NAME = 'vllm-llama3-8b-instruct-ga';
const EPP = 'vllm-llama3-8b-instruct-ga-epp';

function guidePool(props: Partial<ConstructorParameters<typeof InferencePoolGa>[2]> = {}, chartNamespace?: string) {
  const chart = newChart(chartNamespace ? { namespace: chartNamespace } : {});
  const pool = new InferencePoolGa(chart, 'pool', { name: NAME, modelServerSelector: GUIDE_SELECTOR, ...props });
  return { chart, pool };
}

describe('InferencePoolGa', () => {
  describe('given the guide\'s v1 pool (selector app: vllm-llama3-8b-instruct, port 8000, EPP 9002)', () => {
    const { chart } = guidePool();
    const objects = synthValid(chart);

    test('then it renders the chart\'s objects with the chart\'s names, cluster-scoped ones without namespace', () => {
      expect(inventory(objects)).toEqual([
        `ClusterRole ${NAME}-default-epp`,
        `ClusterRoleBinding ${NAME}-default-epp`,
        `ConfigMap default/${EPP}`,
        `Deployment default/${EPP}`,
        `InferencePool default/${NAME}`,
        `Role default/${EPP}`,
        `RoleBinding default/${EPP}`,
        `Service default/${EPP}`,
        `ServiceAccount default/${EPP}`,
      ]);
    });

    test('then the pool is the v1 pool with every API default written out', () => {
      const pool = only(objects, 'InferencePool');
      expect(pool.apiVersion).toBe('inference.networking.k8s.io/v1');
      expect(pool.spec).toEqual({
        selector: { matchLabels: { app: 'vllm-llama3-8b-instruct' } },
        targetPorts: [{ number: 8000 }],
        endpointPickerRef: { group: '', kind: 'Service', name: EPP, port: { number: 9002 }, failureMode: 'FailClose' },
      });
      const report = validator().validate([pool]);
      expect(report.defaultsApplied).toEqual([]);
    });

    test('then the EPP Deployment is the chart\'s, with --pool-group always set', () => {
      const deployment = only(objects, 'Deployment');
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.selector).toEqual({ matchLabels: { inferencepool: EPP } });
      const pod = deployment.spec.template.spec;
      expect(deployment.spec.template.metadata.labels).toEqual({ inferencepool: EPP });
      expect(pod.serviceAccountName).toBe(EPP);
      expect(pod.terminationGracePeriodSeconds).toBe(130);
      expect(pod.containers).toHaveLength(1);
      const epp = pod.containers[0];
      expect(epp.name).toBe('epp');
      expect(epp.image).toBe('registry.k8s.io/gateway-api-inference-extension/epp:v1.0.2');
      expect(epp.args).toEqual([
        '--pool-name', NAME,
        '--pool-namespace', 'default',
        '--pool-group', 'inference.networking.k8s.io',
        '--zap-encoder', 'json',
        '--config-file', '/config/default-plugins.yaml',
        '--v', '1',
      ]);
      expect(epp.ports).toEqual([
        { name: 'grpc', containerPort: 9002 },
        { name: 'grpc-health', containerPort: 9003 },
        { name: 'metrics', containerPort: 9090 },
      ]);
      expect(epp.livenessProbe).toEqual({ grpc: { port: 9003, service: 'inference-extension' }, initialDelaySeconds: 5, periodSeconds: 10 });
      expect(epp.readinessProbe).toEqual({ grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 });
      expect(epp.env).toEqual([{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }]);
      expect(epp.volumeMounts).toContainEqual({ name: 'plugins-config-volume', mountPath: '/config' });
      expect(pod.volumes).toContainEqual({ name: 'plugins-config-volume', configMap: { name: EPP } });
    });

    test('then the EPP pod meets the restricted Pod Security Standard', () => {
      const pod = only(objects, 'Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.containers[0].securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      // A read-only root filesystem still needs somewhere to write temporary files.
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    });

    test('then the EPP Service exposes ext-proc on 9002 and metrics on 9090', () => {
      const service = only(objects, 'Service');
      expect(service.spec).toEqual({
        type: 'ClusterIP',
        selector: { inferencepool: EPP },
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: 9002, targetPort: 9002, appProtocol: 'http2' },
          { name: 'http-metrics', protocol: 'TCP', port: 9090, targetPort: 9090 },
        ],
      });
    });

    test('then the ConfigMap holds the default plugins config', () => {
      const config = only(objects, 'ConfigMap');
      const text: string = config.data['default-plugins.yaml'];
      expect(text).toContain('kind: EndpointPickerConfig');
      for (const plugin of ['queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer']) {
        expect(text).toContain(`- type: ${plugin}`);
      }
    });

    test('then the Role reads objectives, pools of the pool\'s own group only, and pods', () => {
      const role = only(objects, 'Role');
      expect(role.rules).toEqual([
        { apiGroups: ['inference.networking.x-k8s.io'], resources: ['inferenceobjectives'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
      ]);
      const binding = only(objects, 'RoleBinding');
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: EPP, namespace: 'default' }]);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: EPP });
    });

    test('then the ClusterRole allows token and access reviews for metrics auth', () => {
      const clusterRole = only(objects, 'ClusterRole');
      expect(clusterRole.metadata.namespace).toBeUndefined();
      expect(clusterRole.rules).toEqual([
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ]);
      const binding = only(objects, 'ClusterRoleBinding');
      expect(binding.metadata.namespace).toBeUndefined();
      expect(binding.roleRef.name).toBe(`${NAME}-default-epp`);
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: EPP, namespace: 'default' }]);
    });
  });

  test('given a chart namespace, then namespaced objects carry it and cluster-scoped ones carry none', () => {
    const { chart } = guidePool({}, 'llm');
    const objects = synthValid(chart);
    for (const o of objects) {
      if (o.kind.startsWith('Cluster')) {
        expect(o.metadata.namespace).toBeUndefined();
        expect(o.metadata.name).toBe(`${NAME}-llm-epp`);
      } else {
        expect(o.metadata.namespace).toBe('llm');
      }
    }
    expect(only(objects, 'Deployment').spec.template.spec.containers[0].args).toContain('llm');
  });

  test('given two pools of one name in two namespaces, then their cluster-scoped names differ', () => {
    const chart = newChart();
    new InferencePoolGa(chart, 'a', { name: 'pool', namespace: 'team-a', modelServerSelector: GUIDE_SELECTOR });
    new InferencePoolGa(chart, 'b', { name: 'pool', namespace: 'team-b', modelServerSelector: GUIDE_SELECTOR });
    const objects = synthValid(chart);
    expect(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata.name).sort()).toEqual(['pool-team-a-epp', 'pool-team-b-epp']);
  });

  test('given more than one EPP replica, then leader election is on: flag, lease Role and per-role health services', () => {
    const { chart } = guidePool({ endpointPicker: { replicas: 3 } });
    const objects = synthValid(chart);
    const deployment = only(objects, 'Deployment');
    const epp = deployment.spec.template.spec.containers[0];
    expect(deployment.spec.replicas).toBe(3);
    expect(epp.args).toContain('--ha-enable-leader-election');
    expect(epp.livenessProbe.grpc).toEqual({ port: 9003, service: 'liveness' });
    expect(epp.readinessProbe.grpc).toEqual({ port: 9003, service: 'readiness' });
    const leases = only(objects, 'Role', `${EPP}-leader-election`);
    expect(leases.rules).toContainEqual(expect.objectContaining({ apiGroups: ['coordination.k8s.io'], resources: ['leases'] }));
    // The chart names the binding `-leader-election-binding` (leader-election-rbac.yaml@v1.0.2).
    expect(only(objects, 'RoleBinding', `${EPP}-leader-election-binding`).roleRef.name).toBe(`${EPP}-leader-election`);
  });

  test('given one replica, then there is no leader election', () => {
    const objects = synthValid(guidePool().chart);
    expect(only(objects, 'Deployment').spec.template.spec.containers[0].args).not.toContain('--ha-enable-leader-election');
    expect(objects.filter((o) => o.kind === 'Role')).toHaveLength(1);
  });

  test('given a Triton TensorRT-LLM model server, then the EPP reads Triton\'s metrics', () => {
    const objects = synthValid(guidePool({ modelServerType: ModelServerType.TRITON_TENSORRT_LLM }).chart);
    const args: string[] = only(objects, 'Deployment').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([
      '--total-queued-requests-metric', 'nv_trt_llm_request_metrics{request_type=waiting}',
      '--kv-cache-usage-percentage-metric', 'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=fraction}',
    ]));
    expect(args[args.indexOf('--lora-info-metric') + 1]).toBe('');
  });

  test('given EPP image, flags, env, resources and plugins config, then the Deployment and ConfigMap use them', () => {
    const { chart } = guidePool({
      endpointPicker: {
        image: 'example.com/epp',
        imageTag: 'v1.0.1',
        imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
        flags: { 'v': '3', 'kv-cache-usage-percentage-metric': 'vllm:gpu_cache_usage_perc' },
        env: [{ name: 'GOMEMLIMIT', value: '1GiB' }, { name: 'GOGC', value: '$(GOMEMLIMIT_PERCENT)' }],
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2' } },
        pluginsConfig: 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n',
        pluginsConfigFile: 'custom.yaml',
      },
    });
    const objects = synthValid(chart);
    const epp = only(objects, 'Deployment').spec.template.spec.containers[0];
    expect(epp.image).toBe('example.com/epp:v1.0.1');
    expect(epp.imagePullPolicy).toBe('IfNotPresent');
    // In name order for every release, however the map was built (a Go or Java map has no insertion order).
    expect(epp.args.slice(-6)).toEqual(['--config-file', '/config/custom.yaml', '--kv-cache-usage-percentage-metric', 'vllm:gpu_cache_usage_perc', '--v', '3']);
    expect(epp.env).toEqual([
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'GOMEMLIMIT', value: '1GiB' },
      { name: 'GOGC', value: '$(GOMEMLIMIT_PERCENT)' },
    ]);
    expect(epp.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2' } });
    expect(only(objects, 'ConfigMap').data).toEqual({ 'custom.yaml': 'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\n' });
  });

  test('given env from a resource with a divisor and from a Secret, then the Deployment carries both sources in order', () => {
    const { chart } = guidePool({
      endpointPicker: {
        env: [
          { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
        ],
      },
    });
    const env = only(synthValid(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.slice(1)).toEqual([
      { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
    ]);
  });

  test('given provider gke, then a HealthCheckPolicy and a GCPBackendPolicy target the pool', () => {
    const objects = synthValid(guidePool({ provider: InferenceProvider.GKE, targetPort: 8080 }).chart);
    const targetRef = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: NAME };
    const health = only(objects, 'HealthCheckPolicy', NAME);
    expect(health.apiVersion).toBe('networking.gke.io/v1');
    expect(health.spec).toEqual({
      targetRef,
      default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', portSpecification: 'USE_FIXED_PORT', port: 8080 } } },
    });
    const backend = only(objects, 'GCPBackendPolicy', NAME);
    expect(backend.spec).toEqual({ targetRef, default: { timeoutSec: 300, logging: { enabled: true } } });
  });

  test('given provider istio, then a DestinationRule sets TLS to the EPP Service', () => {
    const objects = synthValid(guidePool({ provider: InferenceProvider.ISTIO }).chart);
    const rule = only(objects, 'DestinationRule', EPP);
    expect(rule.spec).toEqual({
      host: `${EPP}.default.svc.cluster.local`,
      trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } },
    });
  });

  test('given an existing EPP Service, then no EPP is deployed and the pool points at it', () => {
    const { chart, pool } = guidePool({ existingEndpointPicker: { serviceName: 'shared-epp', port: 9102 }, failureMode: FailureMode.FAIL_OPEN });
    const objects = synthValid(chart);
    expect(inventory(objects)).toEqual([`InferencePool default/${NAME}`]);
    expect(only(objects, 'InferencePool').spec.endpointPickerRef).toEqual({ group: '', kind: 'Service', name: 'shared-epp', port: { number: 9102 }, failureMode: 'FailOpen' });
    expect(pool.endpointPicker).toBeUndefined();
  });

  test('given a pool name longer than 40 characters, then the EPP name is cut to 40 before -epp, as the chart does', () => {
    const long = 'a-very-long-pool-name-that-goes-on-and-on-and-on';
    const chart = newChart();
    new InferencePoolGa(chart, 'pool', { name: long, modelServerSelector: GUIDE_SELECTOR });
    const objects = synthValid(chart);
    expect(only(objects, 'Deployment').metadata.name).toBe(`${long.slice(0, 40)}-epp`);
  });

  test('given the same props twice, then the output is identical (no hashes, no randomness)', () => {
    const a = JSON.stringify(Testing.synth(guidePool().chart));
    const b = JSON.stringify(Testing.synth(guidePool().chart));
    expect(a).toEqual(b);
  });

  describe('bad input', () => {
    const build = (props: any) => () => new InferencePoolGa(newChart(), 'pool', { name: NAME, modelServerSelector: GUIDE_SELECTOR, ...props });

    test('an empty selector names the prop and the allowed size', () => {
      expect(build({ modelServerSelector: {} })).toThrow(/test\/pool: 'modelServerSelector' must have 1\.\.64 entries \(got 0\)/);
    });
    test('a selector of 65 labels is rejected', () => {
      const labels = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`l${i}`, 'x']));
      expect(build({ modelServerSelector: labels })).toThrow(/'modelServerSelector' must have 1\.\.64 entries \(got 65\)/);
    });
    test('a bad label key is rejected', () => {
      expect(build({ modelServerSelector: { 'bad key': 'x' } })).toThrow(/'modelServerSelector' has an invalid label key "bad key"/);
    });
    test('a bad label value is rejected', () => {
      expect(build({ modelServerSelector: { app: 'no spaces' } })).toThrow(/'modelServerSelector.app' must be a valid label value/);
    });
    test.each([0, 65536, 80.5])('a target port of %p is rejected with the allowed range', (port) => {
      expect(build({ targetPort: port })).toThrow(/'targetPort' must be an integer in 1\.\.65535/);
    });
    test('a name that is not a DNS-1123 subdomain is rejected', () => {
      expect(build({ name: 'Bad_Name' })).toThrow(/test\/pool: 'name' must be a DNS-1123 subdomain/);
    });
    test('a name whose EPP Service name would start with a digit is rejected', () => {
      expect(build({ name: '1-pool' })).toThrow(/'poolName' must be a DNS-1035 label \(a Service name\)/);
    });
    test('a bad namespace is rejected', () => {
      expect(build({ namespace: 'Not_A_Namespace' })).toThrow(/'namespace' must be a DNS-1123 label/);
    });
    test('zero EPP replicas are rejected', () => {
      expect(build({ endpointPicker: { replicas: 0 } })).toThrow(/test\/pool\/EndpointPicker: 'replicas' must be an integer in 1\.\.100 \(got 0\)/);
    });
    test.each(['pool-group', '--pool-name', '-pool-namespace', 'pool-name=evil', '--config-file=/etc/passwd', 'zap-encoder=', 'ha-enable-leader-election'])(
      'a flag the construct owns is rejected in every spelling: %p', (flag) => {
        expect(build({ endpointPicker: { flags: { [flag]: 'x' } } })).toThrow(new RegExp(`'flags.${flag.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' is set by the construct`));
      });
    test.each(['v=2', 'bad flag', '', '--'])('a flag name that is not one (%p) is rejected', (flag) => {
      expect(build({ endpointPicker: { flags: { [flag]: 'x' } } })).toThrow(/must be a flag name/);
    });
    test('the same flag given twice in two spellings is rejected', () => {
      expect(build({ endpointPicker: { flags: { 'v': '1', '--v': '2' } } })).toThrow(/'flags\.v' repeats flag --v \(given as "--v"\)/);
    });
    test.each(['A=B', '1ABC', '.', '..', '..x', 'with space', ''])('an env var name Kubernetes refuses (%p) is rejected', (name) => {
      expect(build({ endpointPicker: { env: [{ name, value: 'x' }] } })).toThrow(/'env\[0\]\.name' must be an environment variable name/);
    });
    test('the env var the construct sets (NAMESPACE) is rejected', () => {
      expect(build({ endpointPicker: { env: [{ name: 'NAMESPACE', value: 'x' }] } })).toThrow(/'env\[0\]\.name' is set by the construct/);
    });
    test.each(['my.env-name', 'MY_ENV.NAME', 'MyEnvName1', '_x', '-x'])('an env var name Kubernetes accepts (%p) is accepted', (name) => {
      expect(build({ endpointPicker: { env: [{ name, value: 'x' }] } })).not.toThrow();
    });
    test('an env var given twice is rejected at its second entry', () => {
      expect(build({ endpointPicker: { env: [{ name: 'X', value: '1' }, { name: 'X', value: '2' }] } })).toThrow(/'env\[1\]\.name' repeats X/);
    });
    test('env as a map (the cdk8s-plus EnvValue form of earlier releases) is rejected with the list form named', () => {
      expect(build({ endpointPicker: { env: { X: { value: '1' } } } })).toThrow(/'env' must be a list of \{ name, value \} or \{ name, valueFrom \} entries/);
    });
    test('an env var with both a value and a source is rejected', () => {
      expect(build({ endpointPicker: { env: [{ name: 'X', value: '1', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] } }))
        .toThrow(/'env\[0\]\.valueFrom' must be left out when 'value' is set/);
    });
    test('an env source naming two sources is rejected', () => {
      expect(build({ endpointPicker: { env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } }] } }))
        .toThrow(/'env\[0\]\.valueFrom' must name exactly one of configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef/);
    });
    test.each(['1GB', '-1', 'lots', '1.5.5', ''])('a resource quantity Kubernetes refuses (%p) is rejected with its path', (quantity) => {
      expect(build({ endpointPicker: { resources: { limits: { memory: quantity } } } })).toThrow(/'resources\.limits\.memory' must be a quantity/);
    });
    test.each(['500m', '2', '0.5', '1Gi', '512Mi', '1e3', '1.5G', '100k'])('a resource quantity Kubernetes accepts (%p) is written as given', (quantity) => {
      const { chart } = guidePool({ endpointPicker: { resources: { requests: { cpu: quantity } } } });
      expect(only(Testing.synth(chart), 'Deployment').spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: quantity } });
    });
    test('a resources field other than requests and limits is rejected', () => {
      expect(build({ endpointPicker: { resources: { cpu: { request: '1' } } } })).toThrow(/'resources\.cpu' is not a field: allowed are requests and limits/);
    });
    test.each(Object.values(ImagePullPolicy))('every ImagePullPolicy (%p) is accepted', (policy) => {
      const { chart } = guidePool({ endpointPicker: { imagePullPolicy: policy } });
      expect(only(Testing.synth(chart), 'Deployment').spec.template.spec.containers[0].imagePullPolicy).toBe(policy);
    });
    test('an image pull policy outside the enum is rejected', () => {
      expect(build({ endpointPicker: { imagePullPolicy: 'Sometimes' } })).toThrow(/'imagePullPolicy' must be one of "Always", "IfNotPresent", "Never" \(got "Sometimes"\)/);
    });
    test('an unknown failure mode is rejected', () => {
      expect(build({ failureMode: 'FailSometimes' })).toThrow(/'failureMode' must be one of "FailClose", "FailOpen"/);
    });
    test('an unknown provider is rejected', () => {
      expect(build({ provider: 'aws' })).toThrow(/'provider' must be one of "none", "gke", "istio"/);
    });
    test('an EPP and an existing EPP together are rejected', () => {
      expect(build({ endpointPicker: {}, existingEndpointPicker: { serviceName: 'x' } })).toThrow(/'endpointPicker' cannot be set together with 'existingEndpointPicker'/);
    });
  });
});
