/**
 * API groups, versions and upstream defaults the constructs write. Internal: not exported from the
 * package entry point (jsii exports only classes, interfaces and enums).
 */

/** API group of the GA (v1) InferencePool. */
export const GA_POOL_GROUP = 'inference.networking.k8s.io';
/** apiVersion of the GA (v1) InferencePool. */
export const GA_POOL_API_VERSION = `${GA_POOL_GROUP}/v1`;
/** API group of the alpha InferencePool, InferenceModel and (still) InferenceObjective. */
export const ALPHA_GROUP = 'inference.networking.x-k8s.io';
/** apiVersion of the alpha InferencePool and InferenceModel, and of InferenceObjective. */
export const ALPHA_API_VERSION = `${ALPHA_GROUP}/v1alpha2`;
/** Gateway API group. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The Endpoint Picker image the chart deploys (its tag is the chart's release: see EndpointPickerProps.gieVersion). */
export const EPP_IMAGE = 'registry.k8s.io/gateway-api-inference-extension/epp';
/** EPP ports, as the chart names them. */
export const EPP_GRPC_PORT = 9002;
export const EPP_HEALTH_PORT = 9003;
export const EPP_METRICS_PORT = 9090;
/** File name of the plugins configuration inside the EPP ConfigMap. */
export const EPP_PLUGINS_FILE = 'default-plugins.yaml';

/** Gateway API limits (HTTPRoute). */
export const MAX_BACKEND_WEIGHT = 1_000_000;
export const MAX_BACKENDS_PER_RULE = 16;
export const MAX_RULES = 16;
export const MAX_MATCHES_PER_RULE = 64;

/** Default model-server port (the chart's `targetPortNumber`). */
export const DEFAULT_TARGET_PORT = 8000;