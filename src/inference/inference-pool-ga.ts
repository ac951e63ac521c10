import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_TARGET_PORT, EPP_GRPC_PORT, GA_POOL_GROUP } from './api';
import { EndpointPicker, EndpointPickerOptions } from './endpoint-picker';
import { eppChartFacts } from './epp-chart';
import { GcpBackendPolicyDefault, HealthCheckPolicyDefault } from './gke-policy-types';
import { GkePoolPolicies } from './gke-pool-policies';
import { InferencePoolAlpha } from './inference-pool-alpha';
import { resolveMetadata } from './metadata';
import { FailureMode, IInferencePoolBackend, InferenceProvider, ModelServerType, ResourceMetadata } from './types';
import { DEFAULT_GIE_TARGET, resolveBridgeGie } from '../convert/gie-versions';
import { gaPoolName } from '../convert/inference-model';
import { checkInteger, checkOneOf, givenProps, propError } from '../core/errors';
import { checkLabels, checkServiceName, checkSubdomain, endpointPickerName } from '../core/names';
import { generatedName, resolveNamespace } from '../core/namespace';
import { InferencePool, InferencePoolSpecAppProtocol } from '../imports/inference.networking.k8s.io';

/**
 * An Endpoint Picker Service that already exists (deployed by other means), for a pool that should not
 * deploy its own.
 */
export interface ExistingEndpointPicker {
  /** Name of the EPP Service in the pool's namespace. */
  readonly serviceName: string;

  /**
   * gRPC ext-proc port of the EPP Service.
   * @default 9002
   */
  readonly port?: number;
}

/**
 * The `spec.default` of the GKE policies, for pools whose policies are not the chart's.
 */
export interface GkePolicyDefaults {
  /**
   * The HealthCheckPolicy's `spec.default`.
   * @default - HTTP `/health` on the target port, timeoutSec 2, checkIntervalSec 2
   */
  readonly healthCheckDefault?: HealthCheckPolicyDefault;
  /**
   * The GCPBackendPolicy's `spec.default`.
   * @default - timeoutSec 300, logging enabled
   */
  readonly backendPolicyDefault?: GcpBackendPolicyDefault;
}

/**
 * Options of `InferencePoolGa.fromAlpha`: everything else is copied from the alpha pool.
 */
export interface InferencePoolGaFromAlphaOptions {
  /**
   * Name of the GA InferencePool.
   * @default - the alpha name with a trailing `-alpha` or `-preview` replaced by `nameSuffix`, else with `nameSuffix` appended
   */
  readonly name?: string;

  /**
   * Suffix of the derived GA name.
   * @default '-ga'
   */
  readonly nameSuffix?: string;

  /**
   * Failure mode of the EPP reference.
   * @default - the alpha pool's failure mode
   */
  readonly failureMode?: FailureMode;

  /**
   * The model server behind the pool.
   * @default ModelServerType.VLLM
   */
  readonly modelServerType?: ModelServerType;

  /**
   * The gateway's platform.
   * @default InferenceProvider.NONE
   */
  readonly provider?: InferenceProvider;

  /**
   * Settings of the GA pool's Endpoint Picker.
   * @default - the chart's defaults
   */
  readonly endpointPicker?: EndpointPickerOptions;

  /**
   * Use an existing EPP Service instead of deploying one.
   * @default - an EndpointPicker is deployed
   */
  readonly existingEndpointPicker?: ExistingEndpointPicker;

  /**
   * Labels and annotations of the GA InferencePool.
   * @default - the chart's labels only
   */
  readonly metadata?: ResourceMetadata;
}

/**
 * Props of an `InferencePoolGa`.
 */
export interface InferencePoolGaProps {
  /**
   * Name of the InferencePool: also the Helm release name the chart would have used, from which the EPP
   * objects are named (`<name>-epp`).
   * @default - a name unique in the app, generated from the construct path (as cdk8s names objects)
   */
  readonly name?: string;

  /**
   * Labels and annotations of the InferencePool (the chart's `app.kubernetes.io/name` and
   * `app.kubernetes.io/version` labels are set by the construct). The EPP's objects take
   * `endpointPicker.metadata`.
   * @default - the chart's labels only
   */
  readonly metadata?: ResourceMetadata;

  /**
   * Namespace of the pool and its EPP.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /**
   * Labels that select the model-server pods (`spec.selector.matchLabels`), 1..64 entries. During a
   * migration these must equal the alpha pool's selector, so both pools serve the same pods.
   */
  readonly modelServerSelector: { [key: string]: string };

  /**
   * Port the model servers listen on (`spec.targetPorts[0].number`).
   * @default 8000
   */
  readonly targetPort?: number;

  /**
   * What the gateway does when the EPP cannot answer.
   * @default FailureMode.FAIL_CLOSE
   */
  readonly failureMode?: FailureMode;

  /**
   * The model server behind the pool (decides the metrics the EPP reads).
   * @default ModelServerType.VLLM
   */
  readonly modelServerType?: ModelServerType;

  /**
   * The gateway's platform: GKE adds a HealthCheckPolicy and a GCPBackendPolicy, Istio a DestinationRule.
   * @default InferenceProvider.NONE
   */
  readonly provider?: InferenceProvider;

  /**
   * The GKE policies' settings when `provider` is GKE (e.g. copied from an alpha pool's policies).
   * @default - the chart's policies
   */
  readonly gkePolicyDefaults?: GkePolicyDefaults;

  /**
   * Settings of the EPP the pool deploys. Ignored when `existingEndpointPicker` is set.
   * @default - the chart's defaults
   */
  readonly endpointPicker?: EndpointPickerOptions;

  /**
   * Use an EPP Service that exists already instead of deploying one.
   * @default - an `EndpointPicker` is deployed with the pool
   */
  readonly existingEndpointPicker?: ExistingEndpointPicker;

  /**
   * The GIE release whose `inferencepool` chart is rendered (pool and EPP): one of the bridge releases v1.0.0,
   * v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0 (see `EndpointPickerProps.gieVersion`). From v1.4.0 the pool writes
   * `spec.appProtocol: http`, the CRD's default; with provider GKE it never does, since GKE serves its own v1
   * InferencePool CRD, which may not know fields newer than v1.0.
   * @default 'v1.0.2'
   */
  readonly gieVersion?: string;
}

/**
 * A GA InferencePool (`inference.networking.k8s.io/v1`) and, by default, its Endpoint Picker: what the
 * upstream `inferencepool` chart v1.0.2 renders, with the chart's object names, plus every API default
 * written out (`endpointPickerRef.group`, `kind`, `port.number`, `failureMode`) so a GitOps tool sees no
 * drift.
 *
 * @example
 * new InferencePoolGa(chart, 'pool', {
 *   name: 'vllm-llama3-8b-instruct-ga',
 *   modelServerSelector: { app: 'vllm-llama3-8b-instruct' },
 *   provider: InferenceProvider.GKE,
 *   endpointPicker: { replicas: 2 },
 * });
 *
 * @see https://gateway-api-inference-extension.sigs.k8s.io/api-types/inferencepool/
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/tree/v1.0.2/config/charts/inferencepool
 */
export class InferencePoolGa extends Construct implements IInferencePoolBackend {
  /**
   * The GA twin of an alpha pool: same namespace, selector, port and failure mode, so both pools serve
   * the same model-server pods.
   */
  public static fromAlpha(scope: Construct, id: string, alpha: InferencePoolAlpha, options: InferencePoolGaFromAlphaOptions = {}): InferencePoolGa {
    return new InferencePoolGa(scope, id, {
      ...options,
      name: options.name ?? gaPoolName(alpha.poolName, options.nameSuffix),
      namespace: alpha.poolNamespace,
      modelServerSelector: alpha.modelServerSelector,
      targetPort: alpha.targetPort,
      failureMode: options.failureMode ?? alpha.failureMode,
    });
  }

  /** Name of the InferencePool. */
  public readonly poolName: string;
  /** Namespace of the InferencePool. */
  public readonly poolNamespace: string;
  /** API group of the pool: `inference.networking.k8s.io`. */
  public readonly poolGroup: string = GA_POOL_GROUP;
  /** Always false: the pool is rendered by this construct. */
  public readonly external: boolean = false;
  /** The model-server selector. */
  public readonly modelServerSelector: { [key: string]: string };
  /** The model-server port. */
  public readonly targetPort: number;
  /** The failure mode of the EPP reference. */
  public readonly failureMode: FailureMode;
  /** Name of the EPP Service the pool points at. */
  public readonly endpointPickerServiceName: string;
  /** The EPP deployed with the pool, if any. */
  public readonly endpointPicker?: EndpointPicker;
  /** The InferencePool API object. */
  public readonly resource: ApiObject;
  /** The GIE release whose chart is rendered. */
  public readonly gieVersion: string;

  public constructor(scope: Construct, id: string, props: InferencePoolGaProps) {
    super(scope, id);
    props = givenProps(this, props);

    this.poolName = props.name ?? generatedName(this);
    checkSubdomain(this, 'name', this.poolName);
    this.poolNamespace = resolveNamespace(this, 'namespace', props.namespace);
    checkLabels(this, 'modelServerSelector', props.modelServerSelector, 1, 64);
    this.modelServerSelector = { ...props.modelServerSelector };
    this.targetPort = props.targetPort ?? DEFAULT_TARGET_PORT;
    checkInteger(this, 'targetPort', this.targetPort, 1, 65535);
    this.failureMode = props.failureMode ?? FailureMode.FAIL_CLOSE;
    checkOneOf(this, 'failureMode', this.failureMode, Object.values(FailureMode));
    const provider = props.provider ?? InferenceProvider.NONE;
    checkOneOf(this, 'provider', provider, Object.values(InferenceProvider));
    try {
      this.gieVersion = resolveBridgeGie(props.gieVersion ?? DEFAULT_GIE_TARGET);
    } catch (err) {
      throw propError(this, 'gieVersion', (err as Error).message);
    }
    const chart = eppChartFacts(this.gieVersion);
    const chartLabels = { 'app.kubernetes.io/name': endpointPickerName(this.poolName), 'app.kubernetes.io/version': this.gieVersion };

    let eppPort = EPP_GRPC_PORT;
    if (props.existingEndpointPicker) {
      if (props.endpointPicker) {
        throw propError(this, 'endpointPicker', 'cannot be set together with \'existingEndpointPicker\': give one or the other');
      }
      this.endpointPickerServiceName = props.existingEndpointPicker.serviceName;
      checkServiceName(this, 'existingEndpointPicker.serviceName', this.endpointPickerServiceName);
      eppPort = props.existingEndpointPicker.port ?? EPP_GRPC_PORT;
      checkInteger(this, 'existingEndpointPicker.port', eppPort, 1, 65535);
    } else {
      this.endpointPicker = new EndpointPicker(this, 'EndpointPicker', {
        ...props.endpointPicker,
        poolName: this.poolName,
        namespace: this.poolNamespace,
        poolGroup: GA_POOL_GROUP,
        modelServerType: props.modelServerType,
        provider,
        gieVersion: this.gieVersion,
      });
      this.endpointPickerServiceName = this.endpointPicker.serviceName;
      eppPort = this.endpointPicker.port;
    }

    this.resource = new InferencePool(this, 'Resource', {
      metadata: {
        name: this.poolName,
        namespace: this.poolNamespace,
        ...resolveMetadata(this, 'metadata', props.metadata, chartLabels),
      },
      spec: {
        selector: { matchLabels: this.modelServerSelector },
        targetPorts: [{ number: this.targetPort }],
        // The v1.4.0 CRD defaults appProtocol to http: written out, except on GKE, whose own CRD may not know it.
        ...(chart.poolAppProtocol && provider !== InferenceProvider.GKE ? { appProtocol: InferencePoolSpecAppProtocol.HTTP } : {}),
        endpointPickerRef: {
          group: '',
          kind: 'Service',
          name: this.endpointPickerServiceName,
          port: { number: eppPort },
          failureMode: this.failureMode as any,
        },
      },
    });

    if (provider === InferenceProvider.GKE) {
      new GkePoolPolicies(this, 'GkePolicies', {
        poolName: this.poolName,
        namespace: this.poolNamespace,
        targetPort: this.targetPort,
        labels: chartLabels,
        healthCheckDefault: props.gkePolicyDefaults?.healthCheckDefault,
        backendPolicyDefault: props.gkePolicyDefaults?.backendPolicyDefault,
      });
    }
  }
}
