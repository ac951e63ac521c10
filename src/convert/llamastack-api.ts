/**
 * Names and values of the LlamaStackDistribution API (llama-stack-k8s-operator, CRD of pull request 253).
 * Internal: not exported from the package entry point.
 */

/** Kind of the custom resource. */
export const LLSD_KIND = 'LlamaStackDistribution';
/** apiVersion of the environment-variable based API. */
export const LLSD_V1ALPHA1 = 'llamastack.io/v1alpha1';
/** apiVersion of the declarative API (the storage version). */
export const LLSD_V1ALPHA2 = 'llamastack.io/v1alpha2';

/**
 * The annotation in which the operator's conversion webhook keeps v1alpha1-only fields (one JSON object), so that
 * reading the CR as v1alpha1 gives them back. Its keys are those of EXTRAS_KEYS.
 */
export const EXTRAS_ANNOTATION = 'llamastack.io/v1alpha1-extras';
/** Keys of the extras annotation, in the order the webhook writes them. */
export const EXTRAS_KEYS = ['containerName', 'terminationGracePeriod', 'userConfigNamespace', 'caBundleNamespace', 'caBundleKeys'] as const;

/** v1alpha1's default container name; v1alpha2 always uses it. */
export const DEFAULT_CONTAINER_NAME = 'llama-stack';

/** The API types `spec.providers` configures, as the CRD spells them. */
export const PROVIDER_APIS = ['inference', 'vectorIo', 'toolRuntime', 'telemetry'] as const;

/** The API names `spec.disabled` accepts, and the `spec.providers` field of each (if any). */
export const DISABLED_APIS: { readonly [api: string]: string | undefined } = {
  agents: undefined,
  inference: 'inference',
  telemetry: 'telemetry',
  tool_runtime: 'toolRuntime',
  vector_io: 'vectorIo',
};

/** Fields of a provider list item. */
export const PROVIDER_FIELDS = ['id', 'provider', 'endpoint', 'secretRefs', 'settings'];

/** Fields of `spec` in v1alpha2. */
export const SPEC_FIELDS = [
  'distribution', 'providers', 'resources', 'storage', 'disabled', 'overrideConfig', 'externalProviders', 'networking', 'workload',
];

/** The fields overrideConfig excludes (it supplies the whole config.yaml they would generate). */
export const GENERATED_CONFIG_FIELDS = ['providers', 'resources', 'storage', 'disabled'];

/** KV storage backends, and SQL storage backends. */
export const KV_STORAGE_TYPES = ['sqlite', 'redis'];
export const SQL_STORAGE_TYPES = ['sqlite', 'postgres'];
