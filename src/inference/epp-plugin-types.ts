/**
 * The plugin types upstream's Endpoint Picker registers at each bridge release, and the check of an
 * EndpointPickerConfig against them: an EPP started with a config that names an unregistered `type` exits at
 * start-up. Derived from `registerInTreePlugins` in cmd/epp/runner/runner.go at each tag (`plugins.Register`, from
 * v1.4.0 `fwkplugin.Register`), each `...Type` constant read where it is declared at the tag:
 * pkg/epp/scheduling/framework/plugins/... up to v1.3.1, pkg/epp/framework/plugins/... and
 * pkg/epp/flowcontrol/framework/plugins/... at v1.4.0. Internal; pure.
 */
import { parse } from 'yaml';
import { gieAtLeast } from '../convert/gie-versions';

/** A plugin type and the first bridge release whose runner registers it. */
interface PluginTypeSince {
  readonly type: string;
  readonly since: string;
}

const PLUGIN_TYPES: readonly PluginTypeSince[] = [
  // cmd/epp/runner/runner.go@v1.0.0 (also v1.0.2, v1.1.0)
  { type: 'prefix-cache-scorer', since: 'v1.0.0' },
  { type: 'max-score-picker', since: 'v1.0.0' },
  { type: 'random-picker', since: 'v1.0.0' },
  { type: 'weighted-random-picker', since: 'v1.0.0' },
  { type: 'single-profile-handler', since: 'v1.0.0' },
  { type: 'kv-cache-utilization-scorer', since: 'v1.0.0' },
  { type: 'queue-scorer', since: 'v1.0.0' },
  { type: 'lora-affinity-scorer', since: 'v1.0.0' },
  { type: 'header-based-testing-filter', since: 'v1.0.0' },
  // cmd/epp/runner/runner.go@v1.2.0
  { type: 'destination-endpoint-served-verifier', since: 'v1.2.0' },
  // cmd/epp/runner/runner.go@v1.3.1 (SLOAwareRouterPluginType, dlmetrics)
  { type: 'running-requests-size-scorer', since: 'v1.3.0' },
  { type: 'predicted-latency-scorer', since: 'v1.3.0' },
  { type: 'metrics-data-source', since: 'v1.3.0' },
  { type: 'model-server-protocol-metrics', since: 'v1.3.0' },
  // cmd/epp/runner/runner.go@v1.4.0 (flow control policies, notification source, request attribute reporter)
  { type: 'global-strict-fairness-policy', since: 'v1.4.0' },
  { type: 'round-robin-fairness-policy', since: 'v1.4.0' },
  { type: 'fcfs-ordering-policy', since: 'v1.4.0' },
  { type: 'edf-ordering-policy', since: 'v1.4.0' },
  { type: 'k8s-notification-source', since: 'v1.4.0' },
  { type: 'request-attribute-reporter', since: 'v1.4.0' },
];

/** The plugin types upstream's EPP of a bridge release registers, in registration order. */
export function registeredPluginTypes(gieVersion: string): string[] {
  return PLUGIN_TYPES.filter((p) => gieAtLeast(gieVersion, p.since)).map((p) => p.type);
}

/**
 * Reads an EndpointPickerConfig (YAML text) and checks it for upstream's EPP of `gieVersion`: a map whose
 * `plugins` list (when present) has entries each with a string `type` the release registers. Returns the plugin types in order;
 * throws an Error whose message says what is wrong (naming the entry, the type and the release).
 */
export function checkPluginsConfig(text: string, gieVersion: string): string[] {
  let config: any;
  try {
    config = parse(text);
  } catch (err) {
    throw new Error(`is not yaml: ${(err as Error).message.split('\n')[0]}`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error('must be an EndpointPickerConfig (a yaml map with a plugins list)');
  }
  if (config.kind !== undefined && config.kind !== 'EndpointPickerConfig') {
    throw new Error(`must be of kind EndpointPickerConfig (got kind ${JSON.stringify(config.kind)})`);
  }
  if (config.plugins === undefined || config.plugins === null) return [];
  if (!Array.isArray(config.plugins)) throw new Error('must have plugins as a list (each entry with a type)');
  const known = registeredPluginTypes(gieVersion);
  return config.plugins.map((p: any, i: number) => {
    const type = p?.type;
    if (typeof type !== 'string' || type === '') throw new Error(`plugins[${i}] has no type`);
    if (!known.includes(type)) {
      const later = PLUGIN_TYPES.find((k) => k.type === type);
      const why = later ? `${type} is registered from ${later.since}` : `upstream's EPP registers no ${type}`;
      throw new Error(`plugins[${i}].type ${type} does not exist in GIE ${gieVersion}'s Endpoint Picker (${why}; cmd/epp/runner/runner.go@${gieVersion}): ` +
        `use one of ${known.join(', ')}, or a custom image that registers it`);
    }
    return type;
  });
}
