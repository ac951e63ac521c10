/**
 * Names and upstream facts of the KServe Ingress to Gateway API migration (KServe guide 002, chart
 * v0.15.1). Internal: not exported from the package entry point.
 */

/** The Gateway API release KServe v0.15 implements. */
export const GATEWAY_API_VERSION = 'v1.2.1';
/** The standard-channel install manifest of that release. */
export const GATEWAY_API_STANDARD_INSTALL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;
/** The annotation the Gateway API CRDs carry with their bundle version. */
export const BUNDLE_VERSION_ANNOTATION = 'gateway.networking.k8s.io/bundle-version';

/** Defaults of guide 002. */
export const DEFAULT_GATEWAY_CLASS = 'envoy';
export const ENVOY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
export const DEFAULT_GATEWAY_NAME = 'kserve-ingress-gateway';
export const DEFAULT_KSERVE_NAMESPACE = 'kserve';
/** Namespace Envoy Gateway runs its proxies in (the guide's port-forward). */
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';

/** The label KServe's guide puts on the gateway's pods and Service through `spec.infrastructure.labels`. */
export const GATEWAY_LABEL = 'serving.kserve.io/gateway';

/** KServe's configuration ConfigMap and its controller. */
export const CONFIG_MAP_NAME = 'inferenceservice-config';
export const CONTROLLER_DEPLOYMENT = 'kserve-controller-manager';
export const INGRESS_KEY = 'ingress';

/** The pod-template annotation `kubectl rollout restart` sets. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** The KServe Helm chart of the guide. */
export const HELM_CHART = 'oci://ghcr.io/kserve/charts/kserve';
export const HELM_CHART_VERSION = 'v0.15.1';
export const HELM_VALUE_PREFIX = 'kserve.controller.gateway.ingressGateway';

/** The guide's test InferenceService. */
export const TEST_ISVC_NAME = 'sklearn-v2-iris';
export const TEST_ISVC_STORAGE_URI = 'gs://kfserving-examples/models/sklearn/1.0/model';

/** Sync waves: the gateway before the config, the config before the controller restart, the test model last. */
export const WAVE_GATEWAY_CLASS = -2;
export const WAVE_GATEWAY = -1;
export const WAVE_CONFIG = 0;
export const WAVE_CONTROLLER = 1;
export const WAVE_TEST_ISVC = 2;
