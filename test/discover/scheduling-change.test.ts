import { alphaPluginsConfig, schedulingChangeWarning } from '../../src/discover/scheduling-change';

/** The plugins of the v0.5.1 chart's default config (config/charts/inferencepool/templates/epp-config.yaml@v0.5.1), trimmed. */
const V051_CONFIG = [
  'apiVersion: inference.networking.x-k8s.io/v1alpha1',
  'kind: EndpointPickerConfig',
  'plugins:',
  '- type: low-queue-filter',
  '  parameters: {threshold: 128}',
  '- type: lora-affinity-filter',
  '  parameters: {threshold: 0.999}',
  '- type: least-queue-filter',
  '- type: least-kv-cache-filter',
  '- type: decision-tree-filter',
  '  name: low-latency-filter',
  '- type: random-picker',
  '- type: single-profile-handler',
  '',
].join('\n');

const configMap = (name: string, data: object) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const deployment = (args: string[], image?: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'epp' }, spec: { template: { spec: { containers: [{ name: 'epp', args, ...(image ? { image } : {}) }] } } } });
const EPP = 'registry.k8s.io/gateway-api-inference-extension/epp';

describe('scheduling change', () => {
  test('given the v0.5.1 chart\'s EPP with its config, then the warning lists the alpha plugins beside the GA chart\'s default scorers and weights', () => {
    const objects = [deployment(['-configFile', 'config/default-plugins.yaml']), configMap('pool-epp', { 'default-plugins.yaml': V051_CONFIG, 'plugins-v2.yaml': 'kind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\n' })];

    expect(schedulingChangeWarning('default/pool', objects, 'v1.4.0')).toBe(
      'Scheduling changes on the GA pool of default/pool: the alpha Endpoint Picker ran low-queue-filter, lora-affinity-filter, least-queue-filter, least-kv-cache-filter, '
      + 'decision-tree-filter (low-latency-filter), random-picker, single-profile-handler (ConfigMap pool-epp (default-plugins.yaml)); '
      + 'the GA Endpoint Picker runs the inferencepool chart v1.4.0\'s default plugins, queue-scorer (weight 2), kv-cache-utilization-scorer (weight 2), prefix-cache-scorer (weight 3). '
      + 'To keep what the alpha scheduling did (LoRA affinity, say: lora-affinity-scorer at v1), give the GA config with --epp-config (library: eppConfig).');
  });

  test('given the key the EPP\'s flag names, then that config is the alpha one, not the first', () => {
    const objects = [deployment(['--config-file', '/config/plugins-v2.yaml']), configMap('pool-epp', { 'default-plugins.yaml': V051_CONFIG, 'plugins-v2.yaml': 'kind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\n' })];

    expect(alphaPluginsConfig(objects)).toEqual({ where: 'ConfigMap pool-epp (plugins-v2.yaml)', plugins: ['queue-scorer'] });
  });

  test('given upstream\'s v0.3.0 EPP, which has no plugin config, then the warning names its built-in decision tree beside the GA defaults', () => {
    const warning = schedulingChangeWarning('default/pool', [deployment(['-poolName', 'pool'], `${EPP}:v0.3.0`)], 'v1.4.0');

    expect(warning).toBe('Scheduling changes on the GA pool of default/pool: the alpha Endpoint Picker ran a decision tree of low-queue, LoRA-affinity, least-queue and '
      + 'least-KV-cache filters for critical requests, sheddable requests dropped when no pod has capacity (the scheduler built into the GIE v0.3.0 EPP, which reads no plugin config); '
      + 'the GA Endpoint Picker runs the inferencepool chart v1.4.0\'s default plugins, queue-scorer (weight 2), kv-cache-utilization-scorer (weight 2), prefix-cache-scorer (weight 3). '
      + 'To keep what the alpha scheduling did (LoRA affinity, say: lora-affinity-scorer at v1), give the GA config with --epp-config (library: eppConfig).');
  });

  test('given a v0.5.1 or a custom EPP image without a carried config, then nothing is said (its scheduling is not known from the input)', () => {
    expect(schedulingChangeWarning('default/pool', [deployment(['-poolName', 'pool'], `${EPP}:v0.5.1`)], 'v1.4.0')).toBeUndefined();
    expect(schedulingChangeWarning('default/pool', [deployment(['-poolName', 'pool'], 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1')], 'v1.4.0')).toBeUndefined();
  });

  test('given no EndpointPickerConfig among the alpha EPP\'s objects (none carried), then nothing is said', () => {
    expect(schedulingChangeWarning('default/pool', [deployment(['-poolName', 'pool']), configMap('other', { a: 'b' })], 'v1.4.0')).toBeUndefined();
  });
});
