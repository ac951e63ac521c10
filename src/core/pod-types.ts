/**
 * Container and pod settings of the public API (the EPP's env, resources and pull policy; the LlamaStack
 * overrides), as plain structs spelled as Kubernetes' core/v1 API spells them. They are the library's own, not
 * cdk8s-plus' classes: enums and classes are nominal in TypeScript and in every jsii language, so a prop typed
 * with cdk8s-plus-28's `EnvValue` could be given only by an app that loads that very cdk8s-plus line. Quantities
 * are text (`'500m'`, `'8Gi'`), as in a manifest. Pure types: no cdk8s.
 */

/** When the kubelet pulls a container image (core/v1 `Container.imagePullPolicy`). */
export enum ImagePullPolicy {
  /** Pull on every start of the container. */
  ALWAYS = 'Always',
  /** Pull only when the node does not have the image. */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never pull: the image must be on the node. */
  NEVER = 'Never',
}

/** A key of a ConfigMap in the pod's namespace. */
export interface ConfigMapKeySelector {
  /** Name of the ConfigMap. */
  readonly name: string;
  /** The key to read. */
  readonly key: string;
  /**
   * Whether the pod starts when the ConfigMap or the key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** A key of a Secret in the pod's namespace. */
export interface SecretKeySelector {
  /** Name of the Secret. */
  readonly name: string;
  /** The key to read. */
  readonly key: string;
  /**
   * Whether the pod starts when the Secret or the key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** A field of the pod, e.g. `metadata.name`, `status.podIP`, `spec.nodeName`. */
export interface ObjectFieldSelector {
  /** Path of the field. */
  readonly fieldPath: string;
  /**
   * Version of the schema the path is written in.
   * @default 'v1'
   */
  readonly apiVersion?: string;
}

/** A resource of a container, e.g. `limits.memory`, `requests.cpu`. */
export interface ResourceFieldSelector {
  /** The resource. */
  readonly resource: string;
  /**
   * The container whose resource is read; required for a volume, optional for an env variable.
   * @default - the container the variable is set in
   */
  readonly containerName?: string;
  /**
   * The unit the value is given in, as a quantity, e.g. `'1Mi'` or `'1m'`.
   * @default '1'
   */
  readonly divisor?: string;
}

/** Where an environment variable's value comes from: exactly one of the fields. */
export interface EnvVarSource {
  /**
   * A key of a ConfigMap.
   * @default - none
   */
  readonly configMapKeyRef?: ConfigMapKeySelector;
  /**
   * A key of a Secret.
   * @default - none
   */
  readonly secretKeyRef?: SecretKeySelector;
  /**
   * A field of the pod.
   * @default - none
   */
  readonly fieldRef?: ObjectFieldSelector;
  /**
   * A resource request or limit of a container.
   * @default - none
   */
  readonly resourceFieldRef?: ResourceFieldSelector;
}

/**
 * An environment variable of a container: a `value`, or a `valueFrom` source. A list of them keeps its order in
 * every language, which `$(NAME)` references to earlier variables rely on.
 */
export interface EnvVar {
  /** Name of the variable. */
  readonly name: string;
  /**
   * The value; `$(NAME)` expands an earlier variable.
   * @default - none; set `valueFrom` instead (or neither, for an empty value)
   */
  readonly value?: string;
  /**
   * Where the value comes from.
   * @default - none; set `value` instead
   */
  readonly valueFrom?: EnvVarSource;
}

/**
 * Compute resources of a container: quantities by resource name, e.g. `{ cpu: '500m', memory: '1Gi' }`.
 */
export interface ResourceRequirements {
  /**
   * What the scheduler reserves for the container.
   * @default - none
   */
  readonly requests?: { [resource: string]: string };
  /**
   * The most the container may use.
   * @default - none
   */
  readonly limits?: { [resource: string]: string };
}

/** Where a volume is mounted in a container. */
export interface VolumeMount {
  /** Name of the volume (a `Volume` of the pod). */
  readonly name: string;
  /** Path inside the container. */
  readonly mountPath: string;
  /**
   * Whether the mount is read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Whether a read-only mount is read-only recursively: `Disabled`, `IfPossible` or `Enabled`.
   * @default - 'Disabled'
   */
  readonly recursiveReadOnly?: string;
  /**
   * A path inside the volume to mount instead of its root.
   * @default - the volume's root
   */
  readonly subPath?: string;
  /**
   * Like `subPath`, with `$(VAR)` references to the container's environment expanded.
   * @default - none
   */
  readonly subPathExpr?: string;
  /**
   * How mounts propagate: `None`, `HostToContainer` or `Bidirectional`.
   * @default - 'None'
   */
  readonly mountPropagation?: string;
}

/** A key of a ConfigMap or Secret projected into a volume as a file. */
export interface KeyToPath {
  /** The key. */
  readonly key: string;
  /** Relative path of the file. */
  readonly path: string;
  /**
   * Mode bits of the file, e.g. `0o440`.
   * @default - the volume's `defaultMode`
   */
  readonly mode?: number;
}

/** A ConfigMap as a volume. */
export interface ConfigMapVolumeSource {
  /** Name of the ConfigMap. */
  readonly name: string;
  /**
   * The keys to project, and where.
   * @default - every key, as a file of its name
   */
  readonly items?: KeyToPath[];
  /**
   * Mode bits of the files.
   * @default 0o644
   */
  readonly defaultMode?: number;
  /**
   * Whether the pod starts when the ConfigMap or a key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** A Secret as a volume. */
export interface SecretVolumeSource {
  /** Name of the Secret. */
  readonly secretName: string;
  /**
   * The keys to project, and where.
   * @default - every key, as a file of its name
   */
  readonly items?: KeyToPath[];
  /**
   * Mode bits of the files.
   * @default 0o644
   */
  readonly defaultMode?: number;
  /**
   * Whether the pod starts when the Secret or a key does not exist.
   * @default false
   */
  readonly optional?: boolean;
}

/** A directory that lives as long as the pod. */
export interface EmptyDirVolumeSource {
  /**
   * `Memory` for a tmpfs.
   * @default - the node's disk
   */
  readonly medium?: string;
  /**
   * The most the directory may hold, as a quantity, e.g. `'2Gi'`.
   * @default - no limit
   */
  readonly sizeLimit?: string;
}

/** A PersistentVolumeClaim in the pod's namespace as a volume. */
export interface PersistentVolumeClaimVolumeSource {
  /** Name of the claim. */
  readonly claimName: string;
  /**
   * Whether the volume is mounted read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** A Secret in the pod's namespace, by name (core/v1 `LocalObjectReference`). */
export interface SecretReference {
  /** Name of the Secret. */
  readonly name: string;
}

/** A volume provided by a CSI driver, e.g. the Secrets Store CSI driver. */
export interface CsiVolumeSource {
  /** Name of the driver, e.g. `secrets-store.csi.k8s.io`. */
  readonly driver: string;
  /**
   * Whether the volume is mounted read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Filesystem type, e.g. `ext4`.
   * @default - the driver's
   */
  readonly fsType?: string;
  /**
   * Driver-specific attributes.
   * @default - none
   */
  readonly volumeAttributes?: { [key: string]: string };
  /**
   * A Secret with what the driver needs to publish the volume.
   * @default - none
   */
  readonly nodePublishSecretRef?: SecretReference;
}

/**
 * A volume of a pod: a name and exactly one source. The sources a model or LlamaStack server mounts are typed
 * here; for any other source, patch the rendered object (cdk8s `ApiObject.addJsonPatch`), which the manifest
 * validator then checks against the CRD like everything else.
 */
export interface Volume {
  /** Name of the volume, which `VolumeMount.name` refers to. */
  readonly name: string;
  /**
   * A ConfigMap.
   * @default - none
   */
  readonly configMap?: ConfigMapVolumeSource;
  /**
   * A Secret.
   * @default - none
   */
  readonly secret?: SecretVolumeSource;
  /**
   * An empty directory.
   * @default - none
   */
  readonly emptyDir?: EmptyDirVolumeSource;
  /**
   * A PersistentVolumeClaim.
   * @default - none
   */
  readonly persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  /**
   * A CSI driver.
   * @default - none
   */
  readonly csi?: CsiVolumeSource;
}

/** A label selector requirement: a key, an operator and values. */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * The values (`In`, `NotIn`); empty for `Exists` and `DoesNotExist`.
   * @default - none
   */
  readonly values?: string[];
}

/** A label selector: labels that must match and requirements, all ANDed. */
export interface LabelSelector {
  /**
   * Labels that must match exactly.
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Requirements on labels.
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorRequirement[];
}

/** How pods spread across a topology domain (zones, nodes). */
export interface TopologySpreadConstraint {
  /** The most the number of matching pods may differ between two domains. */
  readonly maxSkew: number;
  /** The node label whose values are the domains, e.g. `topology.kubernetes.io/zone`. */
  readonly topologyKey: string;
  /** `DoNotSchedule` or `ScheduleAnyway`. */
  readonly whenUnsatisfiable: string;
  /**
   * Which pods are counted.
   * @default - none
   */
  readonly labelSelector?: LabelSelector;
  /**
   * Pod label keys whose values are added to the selector.
   * @default - none
   */
  readonly matchLabelKeys?: string[];
  /**
   * The fewest eligible domains (with `DoNotSchedule`).
   * @default 1
   */
  readonly minDomains?: number;
  /**
   * `Honor` or `Ignore` the pod's node affinity when counting.
   * @default - 'Honor'
   */
  readonly nodeAffinityPolicy?: string;
  /**
   * `Honor` or `Ignore` node taints when counting.
   * @default - 'Ignore'
   */
  readonly nodeTaintsPolicy?: string;
}
