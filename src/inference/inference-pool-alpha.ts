import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ALPHA_API_VERSION, ALPHA_GROUP, DEFAULT_TARGET_PORT } from './api';
import { checkLabels, checkSubdomain, endpointPickerName } from './names';
import { resolveNamespace } from './namespace';
import { FailureMode, IInferencePoolBackend } from './types';
import { readAlphaPool } from '../convert/inference-model';
import { checkInteger, checkOneOf, propError, show } from '../errors';

/**
 * An alpha pool that runs already and is not in Git (typically installed by Helm): only the facts a
 * GA pool must copy.
 */
export interface ExistingInferencePoolAlphaProps {
  /** Name of the v1alpha2 InferencePool. */
  readonly name: string;

  /**
   * Namespace of the pool.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /** The pool's model-server selector (`spec.selector`), 1..64 labels. */
  readonly modelServerSelector: { [key: string]: string };

  /**
   * The pool's model-server port (`spec.targetPortNumber`).
   * @default 8000
   */
  readonly targetPort?: number;

  /**
   * The pool's `extensionRef.failureMode`.
   * @default FailureMode.FAIL_CLOSE
   */
  readonly failureMode?: FailureMode;

  /**
   * Name of the Helm release that installed the pool, for the cleanup instructions (`helm uninstall`).
   * @default - the pool name
   */
  readonly helmRelease?: string;

  /**
   * Name of the pool's EPP Service.
   * @default - `<name>-epp`
   */
  readonly endpointPickerServiceName?: string;

  /**
   * Names of the InferenceModels that point at the pool, for the cleanup instructions.
   * @default - none known
   */
  readonly inferenceModelNames?: string[];
}

/**
 * Props of an `InferencePoolAlpha`: either the user's existing alpha objects (`manifests`, carried
 * unchanged) or the facts of a pool that is not in Git (`existing`, rendered nowhere). Exactly one.
 */
export interface InferencePoolAlphaProps {
  /**
   * The alpha stack as it is in Git: exactly one `inference.networking.x-k8s.io/v1alpha2` InferencePool,
   * plus its InferenceModels, EPP Deployment, Service, ServiceAccount, RBAC, ConfigMap and policies.
   * Every object is written out unchanged.
   * @default - none: `existing` must be set
   */
  readonly manifests?: any[];

  /**
   * A pool that is not in Git.
   * @default - none: `manifests` must be set
   */
  readonly existing?: ExistingInferencePoolAlphaProps;

  /**
   * Namespace assumed for carried objects that carry none.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
}

/**
 * The v1alpha2 InferencePool as it already runs. It is never regenerated: its v0.x EPP reads
 * InferenceModels and has no `--pool-group` flag, and rewriting any alpha object risks the traffic that
 * still flows through it. It is either referenced (`fromExisting`: renders nothing, usable as a route
 * backend) or carried (`fromManifests`: the user's objects written out unchanged). Either way it exposes
 * what a GA pool must copy: selector, port and failure mode.
 */
export class InferencePoolAlpha extends Construct implements IInferencePoolBackend {
  /**
   * References an alpha pool installed outside Git (by Helm): renders nothing.
   */
  public static fromExisting(scope: Construct, id: string, props: ExistingInferencePoolAlphaProps): InferencePoolAlpha {
    return new InferencePoolAlpha(scope, id, { existing: props });
  }

  /**
   * Carries the user's existing alpha objects (from their GitOps repo) unchanged.
   */
  public static fromManifests(scope: Construct, id: string, manifests: any[]): InferencePoolAlpha {
    return new InferencePoolAlpha(scope, id, { manifests });
  }

  /** Name of the alpha InferencePool. */
  public readonly poolName: string;
  /** Namespace of the alpha InferencePool. */
  public readonly poolNamespace: string;
  /** API group of the pool: `inference.networking.x-k8s.io`. */
  public readonly poolGroup: string = ALPHA_GROUP;
  /** True when the pool is referenced, not carried: no stage holds its objects. */
  public readonly external: boolean;
  /** The pool's model-server selector. */
  public readonly modelServerSelector: { [key: string]: string };
  /** The pool's model-server port. */
  public readonly targetPort: number;
  /** The pool's failure mode. */
  public readonly failureMode: FailureMode;
  /** Name of the pool's EPP Service. */
  public readonly endpointPickerServiceName: string;
  /** The Helm release of a referenced pool. */
  public readonly helmRelease?: string;
  /** Names of the InferenceModels that point at the pool. */
  public readonly inferenceModelNames: string[];
  /** The carried objects, as given (empty for a referenced pool). */
  public readonly manifests: any[];

  public constructor(scope: Construct, id: string, props: InferencePoolAlphaProps) {
    super(scope, id);
    if ((props.manifests === undefined) === (props.existing === undefined)) {
      throw propError(this, 'manifests', 'or \'existing\' must be set, not both and not neither');
    }
    const defaultNamespace = resolveNamespace(this, 'namespace', props.namespace);

    if (props.existing) {
      const e = props.existing;
      this.external = true;
      this.manifests = [];
      this.poolName = e.name;
      checkSubdomain(this, 'existing.name', e.name);
      this.poolNamespace = resolveNamespace(this, 'existing.namespace', e.namespace ?? defaultNamespace);
      checkLabels(this, 'existing.modelServerSelector', e.modelServerSelector, 1, 64);
      this.modelServerSelector = { ...e.modelServerSelector };
      this.targetPort = e.targetPort ?? DEFAULT_TARGET_PORT;
      checkInteger(this, 'existing.targetPort', this.targetPort, 1, 65535);
      this.failureMode = e.failureMode ?? FailureMode.FAIL_CLOSE;
      checkOneOf(this, 'existing.failureMode', this.failureMode, Object.values(FailureMode));
      this.endpointPickerServiceName = e.endpointPickerServiceName ?? endpointPickerName(e.name);
      this.helmRelease = e.helmRelease ?? e.name;
      this.inferenceModelNames = [...(e.inferenceModelNames ?? [])];
      return;
    }

    const manifests = props.manifests!;
    if (!Array.isArray(manifests)) {
      throw propError(this, 'manifests', `must be a list of Kubernetes objects (got ${show(manifests)})`);
    }
    manifests.forEach((obj, i) => {
      if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
        throw propError(this, `manifests[${i}]`, 'must be a Kubernetes object with apiVersion, kind and metadata.name');
      }
    });
    const pools = manifests.filter((o) => o.apiVersion === ALPHA_API_VERSION && o.kind === 'InferencePool');
    if (pools.length !== 1) {
      throw propError(this, 'manifests', `must hold exactly one ${ALPHA_API_VERSION} InferencePool (got ${pools.length})`);
    }
    let facts;
    try {
      facts = readAlphaPool(pools[0]);
    } catch (err) {
      throw propError(this, 'manifests', `has an alpha pool that cannot be read: ${(err as Error).message}`);
    }
    this.external = false;
    this.manifests = manifests;
    this.poolName = facts.name;
    this.poolNamespace = facts.namespace ?? defaultNamespace;
    this.modelServerSelector = facts.selector;
    this.targetPort = facts.targetPort;
    this.failureMode = facts.failureMode === 'FailOpen' ? FailureMode.FAIL_OPEN : FailureMode.FAIL_CLOSE;
    this.endpointPickerServiceName = facts.endpointPickerServiceName;
    const models = manifests.filter((o) => o.kind === 'InferenceModel');
    for (const model of models) {
      const target = model.spec?.poolRef?.name;
      if (target !== this.poolName) {
        throw propError(this, 'manifests', `holds InferenceModel ${model.metadata.name}, which points at pool ${show(target)}, not ${show(this.poolName)}`);
      }
    }
    this.inferenceModelNames = models.map((m) => m.metadata.name);

    const seen = new Set<string>();
    for (const obj of manifests) {
      const key = `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
      if (seen.has(key)) {
        throw propError(this, 'manifests', `holds ${obj.kind} ${obj.metadata.name} twice`);
      }
      seen.add(key);
      const { apiVersion, kind, metadata, ...rest } = obj;
      new ApiObject(this, `${kind}-${metadata.namespace ?? ''}-${metadata.name}`, { apiVersion, kind, metadata, ...rest });
    }
  }
}
