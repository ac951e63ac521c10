/**
 * The command-line flags of upstream's Endpoint Picker at each GIE release, as its Go flag set registers them: the
 * flags a custom EPP built on that release (llm-d's inference scheduler runs GIE's runner with its own plugins)
 * accepts. An EPP given a flag it does not register exits at start-up (`flag provided but not defined`), so its
 * Deployment crash-loops. Read at each tag from:
 *
 * - v0.3.0: `cmd/epp/main.go` (`flag.*` calls), camelCase names;
 * - v0.4.0..v0.5.1: `cmd/epp/runner/runner.go` (`flag.*`), camelCase names;
 * - v1.0.0..v1.2.1: `cmd/epp/runner/runner.go` (`flag.*`), kebab-case names;
 * - v1.3.0..v1.4.0: `pkg/epp/server/options.go` (`Options.AddFlags`, pflag), which `cmd/epp/runner/runner.go` binds;
 *
 * each with the `zap-*` flags of controller-runtime's `zap.Options.BindFlags`, which the runner (or main.go) calls on
 * the same flag set, and up to v1.2.1 (Go's `flag.CommandLine`) controller-runtime's `--kubeconfig`. Checked against
 * `epp -h` of the EPP built from the Go module proxy at v0.3.0, v0.5.1, v1.0.0, v1.0.2, v1.1.0 and v1.4.0 (v1.0.0
 * exits with `flag provided but not defined: -tracing`; v1.4.0 hides the metric flags it deprecates, and accepts
 * them, and has no `--kubeconfig`). Internal.
 */

/** The zap logging flags (controller-runtime `pkg/log/zap`, `Options.BindFlags`). */
const ZAP_FLAGS = ['zap-devel', 'zap-encoder', 'zap-log-level', 'zap-stacktrace-level', 'zap-time-encoding'];

/** v0.3.0 `cmd/epp/main.go`; v0.4.0 `cmd/epp/runner/runner.go` registers the same. */
const V0_3 = [
  'DestinationEndpointHintMetadataNamespace', 'certPath', 'destinationEndpointHintKey', 'grpcHealthPort', 'grpcPort', 'kvCacheUsagePercentageMetric',
  'loraInfoMetric', 'metricsPort', 'poolName', 'poolNamespace', 'refreshMetricsInterval', 'refreshPrometheusMetricsInterval', 'secureServing',
  'totalQueuedRequestsMetric', 'v', 'kubeconfig', ...ZAP_FLAGS,
];
/** v0.5.0 `cmd/epp/runner/runner.go`: the plugin config and model-server metric endpoint flags. */
const V0_5_0 = [...V0_3, 'configFile', 'configText', 'enablePprof', 'healthChecking', 'modelServerMetricsPath', 'modelServerMetricsPort'];
/** v0.5.1 `cmd/epp/runner/runner.go`. */
const V0_5_1 = [...V0_5_0, 'modelServerMetricsHttpsInsecureSkipVerify', 'modelServerMetricsScheme'];
/** v1.0.0 `cmd/epp/runner/runner.go`: every flag renamed to kebab-case; `pool-group`, leader election, metrics staleness. */
const V1_0 = [
  'cert-path', 'config-file', 'config-text', 'enable-pprof', 'grpc-health-port', 'grpc-port', 'ha-enable-leader-election', 'health-checking',
  'kv-cache-usage-percentage-metric', 'lora-info-metric', 'metrics-port', 'metrics-staleness-threshold', 'model-server-metrics-https-insecure-skip-verify',
  'model-server-metrics-path', 'model-server-metrics-port', 'model-server-metrics-scheme', 'pool-group', 'pool-name', 'pool-namespace',
  'refresh-metrics-interval', 'refresh-prometheus-metrics-interval', 'secure-serving', 'total-queued-requests-metric', 'v', 'kubeconfig', ...ZAP_FLAGS,
];
/** v1.1.0 `cmd/epp/runner/runner.go`: tracing (on by default), metrics endpoint auth, the cache info metric. */
const V1_1 = [...V1_0, 'cache-info-metric', 'metrics-endpoint-auth', 'tracing'];
/** v1.2.0 `cmd/epp/runner/runner.go`: endpoint selection without a pool. */
const V1_2 = [...V1_1, 'endpoint-selector', 'endpoint-target-ports'];
/** v1.3.0 `pkg/epp/server/options.go`: pflag, without Go's `flag.CommandLine`, so no `--kubeconfig`. */
const V1_3 = [...V1_2.filter((f) => f !== 'kubeconfig'), 'disable-endpoint-subset-filter', 'enable-cert-reload', 'total-running-requests-metric'];

const FLAGS_BY_RELEASE: { readonly [release: string]: readonly string[] } = {
  'v0.3.0': V0_3,
  'v0.4.0': V0_3,
  'v0.5.0': V0_5_0,
  'v0.5.1': V0_5_1,
  'v1.0.0': V1_0,
  'v1.0.1': V1_0,
  'v1.0.2': V1_0,
  'v1.1.0': V1_1,
  'v1.2.0': V1_2,
  'v1.2.1': V1_2,
  'v1.3.0': V1_3,
  'v1.3.1': V1_3,
  'v1.4.0': V1_3,
};

/** The releases whose flag sets are known, oldest first. */
export const EPP_FLAG_RELEASES: readonly string[] = Object.freeze(Object.keys(FLAGS_BY_RELEASE));

/** The flag names (without dashes) upstream's EPP of `release` registers, or undefined for a release not in the table. */
export function eppFlagsOf(release: string): readonly string[] | undefined {
  return FLAGS_BY_RELEASE[release];
}

/** `v1.0.0` for `v1.0.0` or `1.0.0`: how a release is looked up in the table. */
export function eppFlagRelease(text: string): string {
  return /^\d/.test(text) ? `v${text}` : text;
}

/**
 * The EPP's boolean flags at any release (camelCase up to v0.5.1, kebab-case from v1.0.0), read from the `flag.Bool`
 * calls of `cmd/epp/main.go@v0.3.0`, `cmd/epp/runner/runner.go@v0.5.1`, `@v1.0.0`, `@v1.2.0` and the `BoolVar` calls of
 * `pkg/epp/server/options.go@v1.4.0`, plus controller-runtime's `zap-devel`.
 */
const BOOLEAN_FLAGS = new Set([
  'secureServing', 'enablePprof', 'healthChecking', 'modelServerMetricsHttpsInsecureSkipVerify',
  'secure-serving', 'enable-pprof', 'health-checking', 'model-server-metrics-https-insecure-skip-verify', 'ha-enable-leader-election',
  'tracing', 'metrics-endpoint-auth', 'disable-endpoint-subset-filter', 'enable-cert-reload', 'zap-devel',
]);

/** Whether `flag` is one of the EPP's boolean flags, which take their value in the same argument (`--name=value`). */
export function isBooleanEppFlag(flag: string): boolean {
  return BOOLEAN_FLAGS.has(flag);
}
