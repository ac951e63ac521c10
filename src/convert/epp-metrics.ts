/**
 * The Prometheus metrics each Endpoint Picker (EPP) release exports, so that every metric a README names is one the
 * target's image really serves. Read from `pkg/epp/metrics/metrics.go` at each tag (each `Subsystem` + `Name`; the
 * package sets no namespace): v1.0.x names the per-request metrics `inference_model_*`, v1.1.0 renamed them
 * `inference_objective_*`, v1.3.0 added `inference_extension_model_rewrite_decisions_total`. Histograms are listed
 * by their base name (Prometheus serves `_bucket`, `_sum` and `_count` for them). Plain data.
 */

const METRICS: { readonly [release: string]: readonly string[] } = {
  'v1.0.0': [
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
  ],
  'v1.0.2': [
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
  ],
  'v1.1.0': [
    'inference_objective_request_total',
    'inference_objective_request_error_total',
    'inference_objective_request_duration_seconds',
    'inference_objective_request_sizes',
    'inference_objective_response_sizes',
    'inference_objective_input_tokens',
    'inference_objective_output_tokens',
    'inference_objective_running_requests',
    'inference_objective_normalized_time_per_output_token_seconds',
    'inference_pool_average_kv_cache_utilization',
    'inference_pool_average_queue_size',
    'inference_pool_ready_pods',
    'inference_extension_scheduler_e2e_duration_seconds',
    'inference_extension_plugin_duration_seconds',
    'inference_extension_prefix_indexer_size',
    'inference_extension_prefix_indexer_hit_ratio',
    'inference_extension_prefix_indexer_hit_bytes',
    'inference_extension_info',
    'inference_extension_flow_control_request_queue_duration_seconds',
    'inference_extension_flow_control_queue_size',
  ],
  'v1.2.0': [
    'inference_objective_request_total',
    'inference_objective_request_error_total',
    'inference_objective_inference_request_metric',
    'inference_objective_request_ttft_seconds',
    'inference_objective_request_predicted_ttft_seconds',
    'inference_objective_request_ttft_prediction_duration_seconds',
    'inference_objective_request_tpot_seconds',
    'inference_objective_request_predicted_tpot_seconds',
    'inference_objective_request_tpot_prediction_duration_seconds',
    'inference_objective_request_slo_violation_total',
    'inference_objective_request_duration_seconds',
    'inference_objective_request_sizes',
    'inference_objective_response_sizes',
    'inference_objective_input_tokens',
    'inference_objective_output_tokens',
    'inference_objective_prompt_cached_tokens',
    'inference_objective_running_requests',
    'inference_objective_normalized_time_per_output_token_seconds',
    'inference_pool_average_kv_cache_utilization',
    'inference_pool_average_queue_size',
    'inference_pool_ready_pods',
    'inference_extension_scheduler_e2e_duration_seconds',
    'inference_extension_plugin_duration_seconds',
    'inference_extension_prefix_indexer_size',
    'inference_extension_prefix_indexer_hit_ratio',
    'inference_extension_prefix_indexer_hit_bytes',
    'inference_extension_info',
    'inference_extension_flow_control_request_queue_duration_seconds',
    'inference_extension_flow_control_queue_size',
  ],
  'v1.3.1': [
    'inference_objective_request_total',
    'inference_objective_request_error_total',
    'inference_objective_inference_request_metric',
    'inference_objective_request_ttft_seconds',
    'inference_objective_request_predicted_ttft_seconds',
    'inference_objective_request_ttft_prediction_duration_seconds',
    'inference_objective_request_tpot_seconds',
    'inference_objective_request_predicted_tpot_seconds',
    'inference_objective_request_tpot_prediction_duration_seconds',
    'inference_objective_request_slo_violation_total',
    'inference_objective_request_duration_seconds',
    'inference_objective_request_sizes',
    'inference_objective_response_sizes',
    'inference_objective_input_tokens',
    'inference_objective_output_tokens',
    'inference_objective_prompt_cached_tokens',
    'inference_objective_running_requests',
    'inference_objective_normalized_time_per_output_token_seconds',
    'inference_pool_average_kv_cache_utilization',
    'inference_pool_average_queue_size',
    'inference_pool_ready_pods',
    'inference_extension_scheduler_e2e_duration_seconds',
    'inference_extension_scheduler_attempts_total',
    'inference_extension_plugin_duration_seconds',
    'inference_extension_prefix_indexer_size',
    'inference_extension_prefix_indexer_hit_ratio',
    'inference_extension_prefix_indexer_hit_bytes',
    'inference_extension_info',
    'inference_extension_flow_control_request_queue_duration_seconds',
    'inference_extension_flow_control_queue_size',
    'inference_extension_model_rewrite_decisions_total',
  ],
  'v1.4.0': [
    'inference_objective_request_total',
    'inference_objective_request_error_total',
    'inference_objective_inference_request_metric',
    'inference_objective_request_ttft_seconds',
    'inference_objective_request_predicted_ttft_seconds',
    'inference_objective_request_ttft_prediction_duration_seconds',
    'inference_objective_request_tpot_seconds',
    'inference_objective_request_predicted_tpot_seconds',
    'inference_objective_request_tpot_prediction_duration_seconds',
    'inference_objective_request_slo_violation_total',
    'inference_objective_request_duration_seconds',
    'inference_objective_request_sizes',
    'inference_objective_response_sizes',
    'inference_objective_input_tokens',
    'inference_objective_output_tokens',
    'inference_objective_prompt_cached_tokens',
    'inference_objective_running_requests',
    'inference_objective_normalized_time_per_output_token_seconds',
    'inference_pool_average_kv_cache_utilization',
    'inference_pool_average_queue_size',
    'inference_pool_ready_pods',
    'inference_extension_scheduler_e2e_duration_seconds',
    'inference_extension_scheduler_attempts_total',
    'inference_extension_plugin_duration_seconds',
    'inference_extension_prefix_indexer_size',
    'inference_extension_prefix_indexer_hit_ratio',
    'inference_extension_prefix_indexer_hit_bytes',
    'inference_extension_info',
    'inference_extension_flow_control_request_queue_duration_seconds',
    'inference_extension_flow_control_dispatch_cycle_duration_seconds',
    'inference_extension_flow_control_request_enqueue_duration_seconds',
    'inference_extension_flow_control_queue_size',
    'inference_extension_flow_control_queue_bytes',
    'inference_extension_model_rewrite_decisions_total',
  ],

};

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
