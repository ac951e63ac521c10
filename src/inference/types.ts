/**
 * What the EPP does when it cannot pick an endpoint (the pool's `endpointPickerRef.failureMode`).
 */
export enum FailureMode {
  /** Requests fail when the EPP is unavailable (the API default). */
  FAIL_CLOSE = 'FailClose',
  /** Requests fall back to the gateway's own load balancing when the EPP is unavailable. */
  FAIL_OPEN = 'FailOpen',
}

/**
 * The model server behind a pool: decides which metrics the EPP scrapes.
 */
export enum ModelServerType {
  /** vLLM (the chart's default). */
  VLLM = 'vllm',
  /** NVIDIA Triton with the TensorRT-LLM backend: the EPP reads Triton's queue and KV-cache metrics. */
  TRITON_TENSORRT_LLM = 'triton-tensorrt-llm',
}

/**
 * The platform that runs the gateway, as the chart's `provider.name` value.
 */
export enum InferenceProvider {
  /** No provider-specific objects. */
  NONE = 'none',
  /** GKE: a HealthCheckPolicy and a GCPBackendPolicy target the pool. */
  GKE = 'gke',
  /** Istio: a DestinationRule for the EPP Service (TLS to the EPP). */
  ISTIO = 'istio',
}

/**
 * A pool that an HTTPRoute can send traffic to: a GA pool, an alpha pool, or one managed elsewhere.
 */
export interface IInferencePoolBackend {
  /** Name of the InferencePool object. */
  readonly poolName: string;
  /** Namespace of the InferencePool object. */
  readonly poolNamespace: string;
  /** API group of the pool: `inference.networking.k8s.io` (GA) or `inference.networking.x-k8s.io` (alpha). */
  readonly poolGroup: string;
  /**
   * True when the pool object is not rendered by this app (installed by Helm or managed elsewhere), so a
   * stage may reference it without holding it.
   */
  readonly external: boolean;
}

/**
 * Labels and annotations for the objects a construct renders, merged with the ones the construct sets
 * itself (a key the construct sets is refused, so its selectors and chart labels keep working).
 */
export interface ResourceMetadata {
  /**
   * Labels.
   * @default - none beyond the construct's own
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
