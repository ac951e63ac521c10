/**
 * Props of the `LlamaStackDistribution` construct. They mirror the `llamastack.io/v1alpha2` spec of the operator's
 * CRD field for field, so a YAML spec reads as props and errors name the same paths.
 */
import type { EnvVar, TopologySpreadConstraint, Volume, VolumeMount } from '../core/pod-types';

/** The APIs `disabled` can remove from the generated config. */
export enum LlamaStackApi {
  /** The agents API. */
  AGENTS = 'agents',
  /** The inference API. */
  INFERENCE = 'inference',
  /** The telemetry API. */
  TELEMETRY = 'telemetry',
  /** The tool runtime API. */
  TOOL_RUNTIME = 'tool_runtime',
  /** The vector I/O API. */
  VECTOR_IO = 'vector_io',
}

/** KV storage backends. */
export enum LlamaStackKvStorageType {
  /** SQLite on the server's volume (the operator's default). */
  SQLITE = 'sqlite',
  /** Redis; needs `endpoint`. */
  REDIS = 'redis',
}

/** SQL storage backends. */
export enum LlamaStackSqlStorageType {
  /** SQLite on the server's volume (the operator's default). */
  SQLITE = 'sqlite',
  /** PostgreSQL; needs `connectionString`. */
  POSTGRES = 'postgres',
}

/** A key of a Secret in the distribution's namespace. */
export interface LlamaStackSecretRef {
  /** Name of the Secret. */
  readonly name: string;
  /** Key within the Secret. */
  readonly key: string;
}

/** Which LlamaStack distribution to run: exactly one of `name` or `image`. */
export interface LlamaStackDistributionSource {
  /**
   * A distribution name the operator resolves to an image, e.g. `starter`.
   * @default - none; set `image` instead
   */
  readonly name?: string;
  /**
   * A container image to run.
   * @default - none; set `name` instead
   */
  readonly image?: string;
}

/** One provider instance of an API. */
export interface LlamaStackProvider {
  /**
   * Unique provider id, across all APIs; models name their provider by it.
   * @default - the provider type; required when an API has more than one provider
   */
  readonly id?: string;
  /** Provider type, e.g. `vllm`, `ollama`, `pgvector` (written as `remote::<type>` in config.yaml). */
  readonly provider: string;
  /**
   * Endpoint URL of the provider (its `config.url`).
   * @default - the provider's default
   */
  readonly endpoint?: string;
  /**
   * Secret-backed config fields: each key (e.g. `api_key`) becomes `config.<key>`, read from the Secret through an
   * environment variable.
   * @default - none
   */
  readonly secretRefs?: { [field: string]: LlamaStackSecretRef };
  /**
   * Provider-specific settings merged into the provider's config, as they are (no secret resolution).
   * @default - none
   */
  readonly settings?: object;
}

/** Providers by API type; an API left out keeps the distribution's default providers. */
export interface LlamaStackProviders {
  /**
   * Inference providers (e.g. vllm, ollama).
   * @default - the distribution's
   */
  readonly inference?: LlamaStackProvider[];
  /**
   * Vector I/O providers (e.g. pgvector, chromadb).
   * @default - the distribution's
   */
  readonly vectorIo?: LlamaStackProvider[];
  /**
   * Tool runtime providers.
   * @default - the distribution's
   */
  readonly toolRuntime?: LlamaStackProvider[];
  /**
   * Telemetry providers (e.g. opentelemetry).
   * @default - the distribution's
   */
  readonly telemetry?: LlamaStackProvider[];
}

/** A model to register with an inference provider. */
export interface LlamaStackModel {
  /** Model identifier, e.g. `llama3.2:1b`. */
  readonly name: string;
  /**
   * Id of the inference provider to register it with.
   * @default - the first inference provider
   */
  readonly provider?: string;
  /**
   * Model type classification.
   * @default - the provider's
   */
  readonly modelType?: string;
  /**
   * Quantization method.
   * @default - none
   */
  readonly quantization?: string;
  /**
   * Context window size.
   * @default - the model's
   */
  readonly contextLength?: number;
}

/** Models and tool groups to register. The CRD has no shields: register those in a full config.yaml (`overrideConfig`). */
export interface LlamaStackResources {
  /**
   * Models to register with inference providers.
   * @default - none
   */
  readonly models?: LlamaStackModel[];
  /**
   * Tool group names to register with the tool runtime provider.
   * @default - none
   */
  readonly tools?: string[];
}

/** The key-value state store. */
export interface LlamaStackKvStorage {
  /**
   * Backend.
   * @default LlamaStackKvStorageType.SQLITE
   */
  readonly type?: LlamaStackKvStorageType;
  /**
   * Redis endpoint, e.g. `redis://redis.default.svc:6379`; required for redis, not allowed otherwise.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * Secret key holding the Redis password; redis only.
   * @default - no password
   */
  readonly password?: LlamaStackSecretRef;
}

/** The SQL state store. */
export interface LlamaStackSqlStorage {
  /**
   * Backend.
   * @default LlamaStackSqlStorageType.SQLITE
   */
  readonly type?: LlamaStackSqlStorageType;
  /**
   * Secret key holding the PostgreSQL connection string; required for postgres, not allowed otherwise.
   * @default - none
   */
  readonly connectionString?: LlamaStackSecretRef;
}

/** State storage backends. */
export interface LlamaStackStateStorage {
  /**
   * Key-value store.
   * @default - SQLite
   */
  readonly kv?: LlamaStackKvStorage;
  /**
   * SQL store.
   * @default - SQLite
   */
  readonly sql?: LlamaStackSqlStorage;
}

/** A user-provided ConfigMap holding the full config.yaml, in the distribution's namespace. */
export interface LlamaStackOverrideConfig {
  /** Name of the ConfigMap. */
  readonly configMapName: string;
}

/** A provider injected at deploy time from an image. */
export interface LlamaStackExternalProvider {
  /** Unique provider id. */
  readonly providerId: string;
  /** Image holding the provider's implementation. */
  readonly image: string;
}

/** External providers by API type. */
export interface LlamaStackExternalProviders {
  /**
   * External inference providers.
   * @default - none
   */
  readonly inference?: LlamaStackExternalProvider[];
}

/** External exposure through an Ingress or Route. Give `{}` to expose with a generated hostname. */
export interface LlamaStackExpose {
  /**
   * Hostname of the Ingress or Route.
   * @default - generated
   */
  readonly hostname?: string;
}

/** Namespaces allowed through the distribution's NetworkPolicy (either list grants access). */
export interface LlamaStackAllowedFrom {
  /**
   * Namespace names; `*` allows all.
   * @default - none beyond the distribution's and the operator's namespaces
   */
  readonly namespaces?: string[];
  /**
   * Namespace label keys: a namespace with any of them is allowed.
   * @default - none
   */
  readonly labels?: string[];
}

/** A ConfigMap of CA certificates, in the distribution's namespace. */
export interface LlamaStackCaBundle {
  /** Name of the ConfigMap. */
  readonly configMapName: string;
}

/** TLS settings of the server. */
export interface LlamaStackTls {
  /**
   * Custom CA certificates.
   * @default - the image's
   */
  readonly caBundle?: LlamaStackCaBundle;
}

/** Network settings. */
export interface LlamaStackNetworking {
  /**
   * Server port.
   * @default 8321
   */
  readonly port?: number;
  /**
   * Expose the server outside the cluster.
   * @default - not exposed
   */
  readonly expose?: LlamaStackExpose;
  /**
   * Extra namespaces allowed to reach the server.
   * @default - the distribution's and the operator's namespaces only
   */
  readonly allowedFrom?: LlamaStackAllowedFrom;
  /**
   * TLS settings.
   * @default - none
   */
  readonly tls?: LlamaStackTls;
}

/** Compute resources of the server container. */
export interface LlamaStackResourceRequirements {
  /**
   * Requested resources, e.g. `{ cpu: '2', memory: '8Gi' }`.
   * @default - none (CPU is set from `workers` by the operator)
   */
  readonly requests?: { [resource: string]: string };
  /**
   * Resource limits.
   * @default - none
   */
  readonly limits?: { [resource: string]: string };
}

/** The server's PersistentVolumeClaim. */
export interface LlamaStackPvcStorage {
  /**
   * Size of the claim, e.g. `20Gi`.
   * @default - the operator's
   */
  readonly size?: string;
  /**
   * Mount path in the container.
   * @default '/.llama'
   */
  readonly mountPath?: string;
}

/** HorizontalPodAutoscaler settings. */
export interface LlamaStackAutoscaling {
  /**
   * Lower bound of replicas.
   * @default 1
   */
  readonly minReplicas?: number;
  /** Upper bound of replicas (at least minReplicas). */
  readonly maxReplicas: number;
  /**
   * Target CPU utilization, 1..100.
   * @default - not CPU-based
   */
  readonly targetCPUUtilizationPercentage?: number;
  /**
   * Target memory utilization, 1..100.
   * @default - not memory-based
   */
  readonly targetMemoryUtilizationPercentage?: number;
}

/** PodDisruptionBudget settings: exactly one of `minAvailable` or `maxUnavailable`, a count or a percentage. */
export interface LlamaStackPodDisruptionBudget {
  /**
   * Pods that must stay available, e.g. `1` or `'50%'`.
   * @default - none; set maxUnavailable instead
   */
  readonly minAvailable?: number | string;
  /**
   * Pods that may be disrupted at once, e.g. `1` or `'25%'`.
   * @default - none; set minAvailable instead
   */
  readonly maxUnavailable?: number | string;
}

/** Low-level pod template settings, as Kubernetes spells them. */
export interface LlamaStackWorkloadOverrides {
  /**
   * Extra environment variables.
   * @default - none
   */
  readonly env?: EnvVar[];
  /**
   * Container command.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Container arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * ServiceAccount of the pods.
   * @default - the operator's
   */
  readonly serviceAccountName?: string;
  /**
   * Extra volumes: ConfigMaps, Secrets, empty directories, PersistentVolumeClaims and CSI volumes are typed in
   * `Volume`; a volume of any other source comes through `LlamaStackDistribution.fromObject` as it is written.
   * @default - none
   */
  readonly volumes?: Volume[];
  /**
   * Extra volume mounts.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
}

/** Deployment settings. */
export interface LlamaStackWorkload {
  /**
   * Pod replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Uvicorn worker processes per pod.
   * @default - one process
   */
  readonly workers?: number;
  /**
   * Container resources.
   * @default - the operator's
   */
  readonly resources?: LlamaStackResourceRequirements;
  /**
   * Persistent volume for the server's data.
   * @default - none
   */
  readonly storage?: LlamaStackPvcStorage;
  /**
   * Horizontal autoscaling.
   * @default - fixed replicas
   */
  readonly autoscaling?: LlamaStackAutoscaling;
  /**
   * Disruption budget.
   * @default - none
   */
  readonly podDisruptionBudget?: LlamaStackPodDisruptionBudget;
  /**
   * Pod topology spread constraints.
   * @default - none
   */
  readonly topologySpreadConstraints?: TopologySpreadConstraint[];
  /**
   * Pod template overrides.
   * @default - none
   */
  readonly overrides?: LlamaStackWorkloadOverrides;
}

/** The v1alpha2 spec of a LlamaStackDistribution. */
export interface LlamaStackDistributionSpec {
  /** The distribution to run. */
  readonly distribution: LlamaStackDistributionSource;
  /**
   * Providers by API; excluded by `overrideConfig`.
   * @default - the distribution's
   */
  readonly providers?: LlamaStackProviders;
  /**
   * Models and tools to register; excluded by `overrideConfig`.
   * @default - none
   */
  readonly resources?: LlamaStackResources;
  /**
   * State storage; excluded by `overrideConfig`.
   * @default - SQLite for both stores
   */
  readonly storage?: LlamaStackStateStorage;
  /**
   * APIs to remove from the generated config; excluded by `overrideConfig`. An API cannot be both disabled and
   * provided.
   * @default - none
   */
  readonly disabled?: LlamaStackApi[];
  /**
   * A full config.yaml from a ConfigMap, instead of providers, resources, storage and disabled.
   * @default - the operator generates config.yaml
   */
  readonly overrideConfig?: LlamaStackOverrideConfig;
  /**
   * Providers injected from images.
   * @default - none
   */
  readonly externalProviders?: LlamaStackExternalProviders;
  /**
   * Network settings.
   * @default - port 8321, not exposed
   */
  readonly networking?: LlamaStackNetworking;
  /**
   * Deployment settings.
   * @default - one replica
   */
  readonly workload?: LlamaStackWorkload;
}

/** Props of a `LlamaStackDistribution`: its spec, plus name, namespace, labels and annotations. */
export interface LlamaStackDistributionProps extends LlamaStackDistributionSpec {
  /**
   * Name of the LlamaStackDistribution.
   * @default - a name unique in the app, generated from the construct path (as cdk8s names objects)
   */
  readonly name?: string;
  /**
   * Namespace of the LlamaStackDistribution (the Secrets and ConfigMaps it names must be there too).
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the object.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
