import { Construct } from 'constructs';
import { resolveAlphaPool } from './alpha-pool-facts';
import { ALPHA_GROUP } from './api';
import { CarriedObjects } from './carried-objects';
import { FailureMode, IInferencePoolBackend } from './types';
import { CarriedManifest } from '../core/carried-manifest';
import { givenProps } from '../core/errors';
import { resolveNamespace } from '../core/namespace';

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
   * Every object is written out unchanged (without status and the metadata the API server fills in).
   * @default - none: `existing` must be set
   */
  readonly manifests?: CarriedManifest[];

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
 *
 * @example
 * const alpha = InferencePoolAlpha.fromExisting(chart, 'alpha', {
 *   name: 'vllm-llama3-8b-instruct-alpha',
 *   modelServerSelector: { app: 'vllm-llama3-8b-instruct' },
 * });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v0.5.1/site-src/api-types/inferencepool.md
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
   *
   * @param manifests the alpha stack, e.g. `CarriedManifest.allFromYaml(text)`
   */
  public static fromManifests(scope: Construct, id: string, manifests: CarriedManifest[]): InferencePoolAlpha {
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
  /** The carried objects, as rendered (empty for a referenced pool). */
  public readonly manifests: CarriedManifest[];

  public constructor(scope: Construct, id: string, props: InferencePoolAlphaProps) {
    super(scope, id);
    props = givenProps(this, props);
    // A referenced pool's namespace follows the one rule (its own, else the chart's); carried objects keep theirs.
    const namespace = props.existing?.namespace !== undefined
      ? resolveNamespace(this, 'existing.namespace', props.existing.namespace)
      : resolveNamespace(this, 'namespace', props.namespace);
    const facts = resolveAlphaPool(this.node.path, props, namespace);
    this.external = facts.external;
    this.manifests = facts.manifests;
    this.poolName = facts.poolName;
    this.poolNamespace = facts.poolNamespace;
    this.modelServerSelector = facts.modelServerSelector;
    this.targetPort = facts.targetPort;
    this.failureMode = facts.failureMode;
    this.endpointPickerServiceName = facts.endpointPickerServiceName;
    this.helmRelease = facts.helmRelease;
    this.inferenceModelNames = facts.inferenceModelNames;
    if (facts.manifests.length > 0) new CarriedObjects(this, 'Carried', { manifests: facts.manifests });
  }
}

