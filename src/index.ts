// Objects carried from Git, as typed manifests.
export * from './core/carried-manifest';
// Container and pod settings (env, resources, volumes), the library's own structs.
export * from './core/pod-types';

// API objects: the Gateway API Inference Extension constructs.
export * from './inference/types';
export * from './inference/http-route-types';
export * from './inference/gke-policy-types';
export * from './inference/carried-objects';
export * from './inference/endpoint-picker';
export * from './inference/inference-pool-ga';
export * from './inference/inference-pool-alpha';
export * from './inference/inference-objective';
export * from './inference/inference-model-rewrite';
export * from './inference/weighted-inference-route';
export * from './inference/gke-pool-policies';

// Converters: pure functions on plain data.
export * from './convert/types';
export * from './convert/inference-model-converter';

// Validation against the pinned CRDs (OpenAPI and CEL) and the core schemas.
export * from './validation';

// Migration orchestration: stages, plans and the GitOps writer.
export * from './migration/migration';
export * from './migration/migration-stage';
export * from './migration/stage-check';
export * from './migration/stage-selection';
export * from './migration/migration-strategy';
export * from './migration/migration-loss';
export * from './migration/model-mapping';
export * from './migration/migration-route';
export * from './migration/gateway-implementation';
export * from './migration/gateway-capabilities';
export * from './migration/parallel-gateway-options';
export * from './migration/inference-migration-props';
export * from './migration/zero-downtime-migration';
export * from './migration/simple-migration';
export * from './migration/gitops-writer';
export * from './migration/promotion';

// Planning from existing manifests: read a directory, a YAML stream or ApiObjects; plan the migrations.
export * from './discover/manifest-source';
export * from './discover/inference-migration-plan';
export * from './discover/kserve-migration-plan';

// The built-in examples: the upstream guides' migrations with their exact names.
export * from './examples/guide-examples';

// KServe: Ingress to Gateway API.
export * from './kserve/kserve-ingress-gateway';
export * from './kserve/kserve-gateway-api-migration';

// LlamaStack operator: v1alpha1 to v1alpha2 conversion and the v1alpha2 construct.
export * from './convert/llamastack-types';
export * from './llamastack/llamastack-converter';
export * from './llamastack/types';
export * from './llamastack/llama-stack-distribution';
