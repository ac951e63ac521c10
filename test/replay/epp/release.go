// Package epp knows the Endpoint Picker (EPP) of each GIE release the replay runs: how to build and cache it, what
// its command line looks like, which model-server metrics it scrapes, how it serves ext_proc and /metrics, and how it
// sheds. Every fact names the upstream file and tag it was read from (kubernetes-sigs/gateway-api-inference-extension).
package epp

import (
	"fmt"
	"strings"
)

// Alpha releases are the v1alpha2 side of the fixtures; Targets are the bridge releases a migration can target.
var (
	Alpha   = []string{"v0.3.0", "v0.5.1"}
	Targets = []string{"v1.0.0", "v1.0.2", "v1.1.0", "v1.2.0", "v1.3.1", "v1.4.0"}
	// CI is the part of the matrix `.ci/run` builds and runs; E2E_ALL=1 runs Alpha and Targets whole.
	CI = []string{"v0.3.0", "v0.5.1", "v1.0.2", "v1.4.0"}
)

// Release is what the replay needs to know of one EPP release.
type Release struct {
	Tag string
	// Kebab is true for v1.x, whose flags are `--grpc-port`; v0.x uses Go's flag package with `-grpcPort`
	// (cmd/epp/main.go@v0.3.0, cmd/epp/runner/runner.go@v0.5.1, pkg/epp/server/options.go@v1.3.1).
	Kebab bool
	// StreamingFromEnv is true where the ext_proc server is buffered unless USE_STREAMING=true
	// (cmd/epp/main.go@v0.3.0 strconv.ParseBool(os.Getenv("USE_STREAMING")), pkg/epp/server/runserver.go@v0.3.0);
	// every later release has the streaming server only (pkg/epp/handlers/server.go@v0.5.1).
	StreamingFromEnv bool
	// Metrics are the default metric specs the EPP scrapes from each model server: the flag defaults of
	// cmd/epp/main.go@v0.3.0, pkg/epp/server/runserver.go@v0.5.1..v1.2.0, pkg/epp/server/options.go@v1.3.1..v1.4.0.
	Metrics MetricNames
	// UnknownModelRejected is true where a request for a model no InferenceModel names gets 404
	// (BadConfiguration, pkg/epp/handlers/request.go and server.go@v0.3.0); from v0.5.0 such a model is Sheddable
	// (pkg/epp/requestcontrol/director.go@v0.5.1), and v1.x has no InferenceModel at all.
	UnknownModelRejected bool
	// ReadsObjectives is true for v1.x (InferenceObjective, header x-gateway-inference-objective,
	// pkg/epp/metadata/consts.go@v1.0.2); v0.x reads InferenceModels by the body's model.
	ReadsObjectives bool
	// ReadsRewrites is true where the director applies InferenceModelRewrites (applyWeightedModelRewrite,
	// pkg/epp/requestcontrol/director.go@v1.3.1); from v1.3.0 the kinds are found at start-up only
	// (pkg/epp/server/controller_config.go@v1.3.1).
	ReadsRewrites bool
	// BindsPort8080 is true where the EPP also starts controller-runtime's metrics server on its default ":8080",
	// which no flag moves: cmd/epp/main.go@v0.3.0 passes no metrics options to the manager and controller-runtime
	// v0.20.4 defaults BindAddress to ":8080" (pkg/metrics/server/server.go). From v0.5.0 the manager's metrics server
	// is the EPP's own, on --metricsPort (cmd/epp/runner/runner.go@v0.5.1 metricsserver.Options{BindAddress}).
	BindsPort8080 bool
}

// MetricNames are the model-server metric families an EPP scrapes (empty: not scraped).
type MetricNames struct {
	Queued, Running, KVCache, LoRA, CacheInfo string
}

var releases = map[string]Release{
	"v0.3.0": {Tag: "v0.3.0", StreamingFromEnv: true, UnknownModelRejected: true, BindsPort8080: true, Metrics: vllmV0},
	// v0.4.0: no fixture's, but upstream's quickstart at that tag (E2E_INPUT builds it). Streaming server only and
	// the manager's metrics server on --metricsPort (cmd/epp/runner/runner.go@v0.4.0), a model no InferenceModel
	// names refused as BadConfiguration, 404 (pkg/epp/requestcontrol/director.go, pkg/epp/handlers/server.go@v0.4.0).
	"v0.4.0": {Tag: "v0.4.0", UnknownModelRejected: true, Metrics: vllmV0},
	"v0.5.1": {Tag: "v0.5.1", Metrics: vllmV0},
	"v1.0.0": {Tag: "v1.0.0", Kebab: true, ReadsObjectives: true, Metrics: vllmV0},
	"v1.0.2": {Tag: "v1.0.2", Kebab: true, ReadsObjectives: true, Metrics: vllmV0},
	"v1.1.0": {Tag: "v1.1.0", Kebab: true, ReadsObjectives: true, Metrics: vllmV11},
	"v1.2.0": {Tag: "v1.2.0", Kebab: true, ReadsObjectives: true, Metrics: vllmV11},
	"v1.3.1": {Tag: "v1.3.1", Kebab: true, ReadsObjectives: true, ReadsRewrites: true, Metrics: vllmV13},
	"v1.4.0": {Tag: "v1.4.0", Kebab: true, ReadsObjectives: true, ReadsRewrites: true, Metrics: vllmV13},
}

var (
	// vllm:gpu_cache_usage_perc until v1.2.0 (pkg/epp/server/runserver.go@v1.2.0 DefaultKvCacheUsagePercentageMetric).
	vllmV0 = MetricNames{Queued: "vllm:num_requests_waiting", KVCache: "vllm:gpu_cache_usage_perc", LoRA: "vllm:lora_requests_info"}
	// v1.1.0 adds --cache-info-metric (DefaultCacheInfoMetric, pkg/epp/server/runserver.go@v1.1.0).
	vllmV11 = MetricNames{Queued: "vllm:num_requests_waiting", KVCache: "vllm:gpu_cache_usage_perc", LoRA: "vllm:lora_requests_info", CacheInfo: "vllm:cache_config_info"}
	// v1.3.0 moves to vLLM v1's names and scrapes running requests (pkg/epp/server/options.go@v1.3.1 NewOptions).
	vllmV13 = MetricNames{Queued: "vllm:num_requests_waiting", Running: "vllm:num_requests_running", KVCache: "vllm:kv_cache_usage_perc", LoRA: "vllm:lora_requests_info", CacheInfo: "vllm:cache_config_info"}
)

// Lookup returns the release of a tag.
func Lookup(tag string) (Release, error) {
	r, ok := releases[tag]
	if !ok {
		return Release{}, fmt.Errorf("no EPP release %q: known are %s", tag, strings.Join(Known(), ", "))
	}
	return r, nil
}

// Known lists the tags this package knows, oldest first.
func Known() []string {
	return append(append([]string{}, Alpha...), Targets...)
}

// flag returns the spelling of a flag at this release: `--grpc-port` (v1.x) or `-grpcPort` (v0.x).
func (r Release) flag(kebab, camel string) string {
	if r.Kebab {
		return "--" + kebab
	}
	return "-" + camel
}

// PortFlags are the three listeners every EPP binds (9002 ext_proc, 9003 gRPC health, 9090 metrics), as upstream's
// integration harness overrides them to run EPPs side by side (test/integration/epp/harness.go@v1.4.0 sets
// opts.GRPCPort, opts.GRPCHealthPort and opts.MetricsPort to free ports).
func (r Release) PortFlags(grpc, health, metrics int) map[string]string {
	return map[string]string{
		r.flag("grpc-port", "grpcPort"):              fmt.Sprint(grpc),
		r.flag("grpc-health-port", "grpcHealthPort"): fmt.Sprint(health),
		r.flag("metrics-port", "metricsPort"):        fmt.Sprint(metrics),
	}
}

// MetricFlags are the flags that override Metrics, keyed by the field they set.
func (r Release) MetricFlags() map[string]string {
	return map[string]string{
		r.flag("total-queued-requests-metric", "totalQueuedRequestsMetric"):        "Queued",
		r.flag("total-running-requests-metric", "totalRunningRequestsMetric"):      "Running",
		r.flag("kv-cache-usage-percentage-metric", "kvCacheUsagePercentageMetric"): "KVCache",
		r.flag("lora-info-metric", "loraInfoMetric"):                               "LoRA",
		r.flag("cache-info-metric", "cacheInfoMetric"):                             "CacheInfo",
	}
}

// SecureServingFlag is the flag that turns TLS off (default true: DefaultSecureServing, pkg/epp/server/runserver.go
// @v0.3.0..v1.2.0, options.go@v1.3.1..v1.4.0; a self-signed certificate when no --cert-path).
func (r Release) SecureServingFlag() string { return r.flag("secure-serving", "secureServing") }

// ConfigFileFlag is the flag naming the plugins config file (v0.5.0 and later).
func (r Release) ConfigFileFlag() string { return r.flag("config-file", "configFile") }

// Saturation thresholds: a pod with more than 5 waiting requests or KV cache above 0.8 has no room for a sheddable
// request (defaultQueueThresholdCritical, defaultKVCacheThreshold, pkg/epp/scheduling/scheduler.go@v0.3.0; the
// saturation detector's DefaultQueueDepthThreshold/DefaultKVCacheUtilThreshold, pkg/epp/saturationdetector/config.go
// @v0.5.1..v1.2.0 and pkg/epp/saturationdetector/framework/plugins/utilizationdetector/config.go@v1.4.0), and from
// v0.5.0 metrics older than 200 ms count as saturated (DefaultMetricsStalenessThreshold, same files).
const (
	QueueThreshold   = 5
	KVCacheThreshold = 0.8
)
