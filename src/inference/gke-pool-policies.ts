import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GA_POOL_GROUP } from './api';
import { GcpBackendPolicyDefault, HealthCheckPolicyDefault, HealthCheckPortSpecification, HealthCheckType } from './gke-policy-types';
import { DEFAULT_GIE_TARGET } from '../convert/gie-versions';
import { checkInteger, givenProps } from '../core/errors';
import { checkSubdomain } from '../core/names';
import { resolveNamespace } from '../core/namespace';

/**
 * Props of `GkePoolPolicies`.
 */
export interface GkePoolPoliciesProps {
  /** Name of the InferencePool the policies target; also the name of both policies (as the chart). */
  readonly poolName: string;

  /**
   * Namespace of the pool and the policies.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /**
   * API group of the targeted pool.
   * @default 'inference.networking.k8s.io'
   */
  readonly poolGroup?: string;

  /**
   * Model-server port that the load balancer health-checks.
   * @default 8000
   */
  readonly targetPort?: number;

  /**
   * The HealthCheckPolicy's whole `spec.default`, used as given (for twins of an existing policy).
   * @default - HTTP `/health` on the target port (portSpecification USE_FIXED_PORT), timeoutSec 2, checkIntervalSec 2
   */
  readonly healthCheckDefault?: HealthCheckPolicyDefault;

  /**
   * The GCPBackendPolicy's whole `spec.default`, used as given (for twins of an existing policy).
   * @default - timeoutSec 300, logging enabled
   */
  readonly backendPolicyDefault?: GcpBackendPolicyDefault;

  /**
   * Labels of both policies.
   * @default - the chart's labels
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The GKE policies the `inferencepool` chart adds for `provider.name=gke`: a HealthCheckPolicy and a
 * GCPBackendPolicy (`networking.gke.io/v1`), both targeting the pool.
 *
 * @example
 * new GkePoolPolicies(chart, 'policies', {
 *   poolName: 'vllm-llama3-8b-instruct-ga',
 *   backendPolicyDefault: { timeoutSec: 600, logging: { enabled: true } },
 * });
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources
 */
export class GkePoolPolicies extends Construct {
  /** The HealthCheckPolicy. */
  public readonly healthCheckPolicy: ApiObject;
  /** The GCPBackendPolicy. */
  public readonly backendPolicy: ApiObject;

  public constructor(scope: Construct, id: string, props: GkePoolPoliciesProps) {
    super(scope, id);
    props = givenProps(this, props);
    checkSubdomain(this, 'poolName', props.poolName);
    const namespace = resolveNamespace(this, 'namespace', props.namespace);
    const targetPort = props.targetPort ?? 8000;
    checkInteger(this, 'targetPort', targetPort, 1, 65535);
    const labels = props.labels ?? { 'app.kubernetes.io/name': `${props.poolName}-epp`, 'app.kubernetes.io/version': DEFAULT_GIE_TARGET };
    const metadata = { name: props.poolName, namespace, labels };
    const targetRef = { group: props.poolGroup ?? GA_POOL_GROUP, kind: 'InferencePool', name: props.poolName };

    this.healthCheckPolicy = new ApiObject(this, 'HealthCheckPolicy', {
      apiVersion: 'networking.gke.io/v1',
      kind: 'HealthCheckPolicy',
      metadata,
      spec: {
        targetRef,
        default: asGiven(props.healthCheckDefault ?? {
          timeoutSec: 2,
          checkIntervalSec: 2,
          // portSpecification is written out: GKE's CRD (gke-gateway-api @ fc40d60,
          // networking.gke.io_healthcheckpolicies.yaml) refuses a port without it ("port and portName must be unset
          // for portSpecification USE_SERVING_PORT or unset"), as the real API server showed; upstream's chart leaves it out.
          config: {
            type: HealthCheckType.HTTP,
            httpHealthCheck: { requestPath: '/health', portSpecification: HealthCheckPortSpecification.USE_FIXED_PORT, port: targetPort },
          },
        }),
      },
    });
    this.backendPolicy = new ApiObject(this, 'GCPBackendPolicy', {
      apiVersion: 'networking.gke.io/v1',
      kind: 'GCPBackendPolicy',
      metadata,
      spec: {
        targetRef,
        default: asGiven(props.backendPolicyDefault ?? { timeoutSec: 300, logging: { enabled: true } }),
      },
    });
  }
}

/** A deep copy without undefined values: the struct as the API spells it. */
function asGiven(value: object): any {
  return JSON.parse(JSON.stringify(value));
}
