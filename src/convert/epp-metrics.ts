/**
 * The Prometheus metrics each Endpoint Picker (EPP) release exports, so that every metric a README names is one the
 * target's image really serves. Read from `pkg/epp/metrics/metrics.go` at each tag (each `Subsystem` + `Name`; the
 * package sets no namespace): v1.0.x names the per-request metrics `inference_model_*`, v1.1.0 renamed them
 * `inference_objective_*`, v1.3.0 added `inference_extension_model_rewrite_decisions_total`. Histograms are listed
 * by their base name (Prometheus serves `_bucket`, `_sum` and `_count` for them). Plain data.
 */

/** What changed in `pkg/epp/metrics/metrics.go` from one bridge release to the next. */
interface MetricChanges {
  readonly release: string;
  /** `[old prefix, new prefix]`: every metric whose name starts with the old one is renamed. */
  readonly renamedPrefix?: readonly [string, string];
  readonly added: readonly string[];
}

/** The metrics of v1.0.0, the first bridge release. */
const FIRST: readonly string[] = [
  'inference_model_request_total',
  'inference_model_request_error_total',
  'inference_model_request_duration_seconds',
  'inference_model_request_sizes',
  'inference_model_response_sizes',
  'inference_model_input_tokens',
  'inference_model_output_tokens',
  'inference_model_running_requests',
  'inference_model_normalized_time_per_output_token_seconds',
  'inference_pool_average_kv_cache_utilization',
  'inference_pool_average_queue_size',
  'inference_pool_ready_pods',
  'inference_extension_scheduler_e2e_duration_seconds',
  'inference_extension_plugin_duration_seconds',
  'inference_extension_prefix_indexer_size',
  'inference_extension_prefix_indexer_hit_ratio',
  'inference_extension_prefix_indexer_hit_bytes',
  'inference_extension_info',
];

/** Each later bridge release, oldest first, as changes to the one before (none removes a metric it does not rename). */
const CHANGES: readonly MetricChanges[] = [
  { release: 'v1.0.2', added: [] },
  {
    release: 'v1.1.0',
    renamedPrefix: ['inference_model_', 'inference_objective_'],
    added: ['inference_extension_flow_control_request_queue_duration_seconds', 'inference_extension_flow_control_queue_size'],
  },
  {
    release: 'v1.2.0',
    added: [
      'inference_objective_inference_request_metric',
      'inference_objective_request_ttft_seconds',
      'inference_objective_request_predicted_ttft_seconds',
      'inference_objective_request_ttft_prediction_duration_seconds',
      'inference_objective_request_tpot_seconds',
      'inference_objective_request_predicted_tpot_seconds',
      'inference_objective_request_tpot_prediction_duration_seconds',
      'inference_objective_request_slo_violation_total',
      'inference_objective_prompt_cached_tokens',
    ],
  },
  { release: 'v1.3.1', added: ['inference_extension_scheduler_attempts_total', 'inference_extension_model_rewrite_decisions_total'] },
  {
    release: 'v1.4.0',
    added: [
      'inference_extension_flow_control_dispatch_cycle_duration_seconds',
      'inference_extension_flow_control_request_enqueue_duration_seconds',
      'inference_extension_flow_control_queue_bytes',
    ],
  },
];

const METRICS: { readonly [release: string]: readonly string[] } = (() => {
  const table: { [release: string]: readonly string[] } = { 'v1.0.0': FIRST };
  let names = FIRST;
  for (const c of CHANGES) {
    const renamed = c.renamedPrefix;
    names = [...(renamed ? names.map((n) => (n.startsWith(renamed[0]) ? renamed[1] + n.slice(renamed[0].length) : n)) : names), ...c.added];
    table[c.release] = names;
  }
  return table;
})();

/** The metric names the EPP of a bridge release exports; throws for a release the table does not hold. */
export function eppMetricNames(release: string): readonly string[] {
  const names = METRICS[release];
  if (!names) throw new Error(`no EPP metric table for GIE ${release}: known are ${Object.keys(METRICS).join(', ')}`);
  return names;
}

/** The releases the table holds. */
export function eppMetricReleases(): string[] {
  return Object.keys(METRICS);
}

/** The EPP's per-request metrics of a release: `inference_model_*` before v1.1.0, `inference_objective_*` from it. */
export function eppRequestMetrics(release: string): { readonly requests: string; readonly errors: string } {
  const names = eppMetricNames(release);
  const prefix = names.includes('inference_objective_request_total') ? 'inference_objective' : 'inference_model';
  return { requests: `${prefix}_request_total`, errors: `${prefix}_request_error_total` };
}

/** The counter of InferenceModelRewrite decisions, when the release exports it (v1.3.0 and later). */
export function eppRewriteMetric(release: string): string | undefined {
  return eppMetricNames(release).find((n) => n === 'inference_extension_model_rewrite_decisions_total');
}
