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
const deployment = (args: string[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'epp' }, spec: { template: { spec: { containers: [{ name: 'epp', args }] } } } });

describe('scheduling change', () => {
  test('given the v0.5.1 chart\'s EPP with its config, then the warning lists the alpha plugins beside the GA chart\'s default scorers and weights', () => {
    const objects = [deployment(['-configFile', 'config/default-plugins.yaml']), configMap('pool-epp', { 'default-plugins.yaml': V051_CONFIG, 'plugins-v2.yaml': 'kind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\n' })];

    expect(schedulingChangeWarning('default/pool', objects, 'v1.4.0')).toBe(
      'Scheduling changes on the GA pool of default/pool: the alpha Endpoint Picker ran low-queue-filter, lora-affinity-filter, least-queue-filter, least-kv-cache-filter, '
      + 'decision-tree-filter (low-latency-filter), random-picker, single-profile-handler (ConfigMap pool-epp (default-plugins.yaml)); '
      + 'the GA Endpoint Picker runs the inferencepool chart v1.4.0\'s default plugins, queue-scorer (weight 2), kv-cache-utilization-scorer (weight 2), prefix-cache-scorer (weight 3). '
      + 'To keep what the alpha config did (LoRA affinity, say: lora-affinity-scorer at v1), give the GA config with --epp-config (library: eppConfig).');
  });

  test('given the key the EPP\'s flag names, then that config is the alpha one, not the first', () => {
    const objects = [deployment(['--config-file', '/config/plugins-v2.yaml']), configMap('pool-epp', { 'default-plugins.yaml': V051_CONFIG, 'plugins-v2.yaml': 'kind: EndpointPickerConfig\nplugins:\n- type: queue-scorer\n' })];

    expect(alphaPluginsConfig(objects)).toEqual({ where: 'ConfigMap pool-epp (plugins-v2.yaml)', plugins: ['queue-scorer'] });
  });

  test('given no EndpointPickerConfig among the alpha EPP\'s objects (none carried), then nothing is said', () => {
    expect(schedulingChangeWarning('default/pool', [deployment(['-poolName', 'pool']), configMap('other', { a: 'b' })], 'v1.4.0')).toBeUndefined();
  });
});
