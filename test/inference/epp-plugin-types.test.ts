import { Testing } from 'cdk8s';
import { InferencePoolGa } from '../../src';
import { BRIDGE_GIE_RELEASES } from '../../src/convert/gie-versions';
import { checkPluginsConfig, registeredPluginTypes } from '../../src/inference/epp-plugin-types';

/**
 * The plugin types registered by `registerInTreePlugins` in cmd/epp/runner/runner.go of
 * kubernetes-sigs/gateway-api-inference-extension at each tag, each `...Type` constant read where it is declared at
 * the tag (pkg/epp/scheduling/framework/plugins/... up to v1.3.1; pkg/epp/framework/plugins/... and
 * pkg/epp/flowcontrol/framework/plugins/... at v1.4.0).
 */
const V1_0 = ['prefix-cache-scorer', 'max-score-picker', 'random-picker', 'weighted-random-picker', 'single-profile-handler',
  'kv-cache-utilization-scorer', 'queue-scorer', 'lora-affinity-scorer', 'header-based-testing-filter'];
const V1_2 = [...V1_0, 'destination-endpoint-served-verifier'];
const V1_3 = [...V1_2, 'running-requests-size-scorer', 'predicted-latency-scorer', 'metrics-data-source', 'model-server-protocol-metrics'];
const V1_4 = [...V1_3, 'global-strict-fairness-policy', 'round-robin-fairness-policy', 'fcfs-ordering-policy', 'edf-ordering-policy',
  'k8s-notification-source', 'request-attribute-reporter'];
const BY_RELEASE: Record<string, string[]> = {
  'v1.0.0': V1_0, 'v1.0.2': V1_0, 'v1.1.0': V1_0, 'v1.2.0': V1_2, 'v1.3.1': V1_3, 'v1.4.0': V1_4,
};

const config = (...types: string[]) => [
  'apiVersion: inference.networking.x-k8s.io/v1alpha1',
  'kind: EndpointPickerConfig',
  'plugins:',
  ...types.map((t) => `- type: ${t}`),
  '',
].join('\n');

describe('registeredPluginTypes', () => {
  test.each(BRIDGE_GIE_RELEASES.map((r) => [r]))('given %s, then the types are those cmd/epp/runner/runner.go registers at the tag', (release) => {
    expect(new Set(registeredPluginTypes(release))).toEqual(new Set(BY_RELEASE[release]));
  });
});

describe('checkPluginsConfig', () => {
  test('given the chart\'s default plugins, then every bridge release accepts them', () => {
    for (const release of BRIDGE_GIE_RELEASES) {
      expect(checkPluginsConfig(config('queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer'), release)).toEqual(['queue-scorer', 'kv-cache-utilization-scorer', 'prefix-cache-scorer']);
    }
  });

  test('given a type a later release brings, then it is refused naming the type, the release and when it arrives', () => {
    expect(() => checkPluginsConfig(config('queue-scorer', 'running-requests-size-scorer'), 'v1.2.0'))
      .toThrow(/^plugins\[1\]\.type running-requests-size-scorer does not exist in GIE v1\.2\.0's Endpoint Picker \(running-requests-size-scorer is registered from v1\.3\.0; cmd\/epp\/runner\/runner\.go@v1\.2\.0\): use one of /);
  });

  test('given a type no upstream release registers (an llm-d plugin), then it is refused as unknown upstream', () => {
    expect(() => checkPluginsConfig(config('pd-profile-handler'), 'v1.4.0')).toThrow(/upstream's EPP registers no pd-profile-handler/);
  });

  test('given malformed configs, then each is refused with what is wrong', () => {
    expect(() => checkPluginsConfig('- a\n- b\n', 'v1.4.0')).toThrow(/^must be an EndpointPickerConfig/);
    expect(() => checkPluginsConfig('kind: ConfigMap\n', 'v1.4.0')).toThrow(/^must be of kind EndpointPickerConfig/);
    expect(() => checkPluginsConfig('plugins: queue-scorer\n', 'v1.4.0')).toThrow(/^must have plugins as a list/);
    expect(() => checkPluginsConfig('plugins:\n- name: x\n', 'v1.4.0')).toThrow(/^plugins\[0\] has no type/);
  });
});

describe('InferencePoolGa pluginsConfig', () => {
  const pool = (pluginsConfig: string, endpointPicker: object = {}) => () => new InferencePoolGa(Testing.chart(), 'pool', {
    name: 'p', modelServerSelector: { app: 'vllm' }, gieVersion: 'v1.2.0', endpointPicker: { pluginsConfig, ...endpointPicker },
  });

  test('given upstream\'s image and a type its release lacks, then the construct fails naming the path, the prop, the type and the release', () => {
    expect(pool(config('predicted-latency-scorer'))).toThrow(/pluginsConfig.*plugins\[0\]\.type predicted-latency-scorer does not exist in GIE v1\.2\.0's Endpoint Picker/);
  });

  test('given a custom image, then its config is not checked (it may register its own plugins)', () => {
    expect(pool(config('pd-profile-handler'), { image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0' })).not.toThrow();
  });
});
