/**
 * The `spec.default` of GKE's HealthCheckPolicy and GCPBackendPolicy (`networking.gke.io/v1`), as typed
 * structs whose fields are spelled as the API spells them. Plain types and enums: no cdk8s.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources
 */

/** The protocol of a GKE health check. */
export enum HealthCheckType {
  /** TCP. */
  TCP = 'TCP',
  /** HTTP (the `inferencepool` chart's choice). */
  HTTP = 'HTTP',
  /** HTTPS. */
  HTTPS = 'HTTPS',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
  /** gRPC. */
  GRPC = 'GRPC',
}

/** Which port a GKE health check probes. */
export enum HealthCheckPortSpecification {
  /** The fixed `port`. */
  USE_FIXED_PORT = 'USE_FIXED_PORT',
  /** The named port `portName`. */
  USE_NAMED_PORT = 'USE_NAMED_PORT',
  /** The port traffic is served on. */
  USE_SERVING_PORT = 'USE_SERVING_PORT',
}

/** The PROXY protocol header a GKE health check sends. */
export enum HealthCheckProxyHeader {
  /** No header. */
  NONE = 'NONE',
  /** PROXY protocol v1. */
  PROXY_V1 = 'PROXY_V1',
}

/** An HTTP, HTTPS or HTTP/2 health check. */
export interface GkeHttpHealthCheck {
  /**
   * Host header of the probe.
   * @default - the backend's IP address
   */
  readonly host?: string;
  /**
   * Port probed (with `USE_FIXED_PORT`).
   * @default - the serving port
   */
  readonly port?: number;
  /**
   * Named port probed (with `USE_NAMED_PORT`).
   * @default - none
   */
  readonly portName?: string;
  /**
   * Which port is probed.
   * @default - GKE's default
   */
  readonly portSpecification?: HealthCheckPortSpecification;
  /**
   * PROXY protocol header.
   * @default HealthCheckProxyHeader.NONE
   */
  readonly proxyHeader?: HealthCheckProxyHeader;
  /**
   * Path probed.
   * @default '/'
   */
  readonly requestPath?: string;
  /**
   * Text the answer must start with.
   * @default - any answer with status 200
   */
  readonly response?: string;
}

/** A gRPC health check. */
export interface GkeGrpcHealthCheck {
  /**
   * gRPC service name of the health check.
   * @default - the server's overall health
   */
  readonly grpcServiceName?: string;
  /**
   * Port probed (with `USE_FIXED_PORT`).
   * @default - the serving port
   */
  readonly port?: number;
  /**
   * Named port probed (with `USE_NAMED_PORT`).
   * @default - none
   */
  readonly portName?: string;
  /**
   * Which port is probed.
   * @default - GKE's default
   */
  readonly portSpecification?: HealthCheckPortSpecification;
}

/** A TCP health check. */
export interface GkeTcpHealthCheck {
  /**
   * Port probed (with `USE_FIXED_PORT`).
   * @default - the serving port
   */
  readonly port?: number;
  /**
   * Named port probed (with `USE_NAMED_PORT`).
   * @default - none
   */
  readonly portName?: string;
  /**
   * Which port is probed.
   * @default - GKE's default
   */
  readonly portSpecification?: HealthCheckPortSpecification;
  /**
   * PROXY protocol header.
   * @default HealthCheckProxyHeader.NONE
   */
  readonly proxyHeader?: HealthCheckProxyHeader;
  /**
   * Data sent after connecting.
   * @default - none
   */
  readonly request?: string;
  /**
   * Data the answer must start with.
   * @default - any answer
   */
  readonly response?: string;
}

/** The probe of a GKE health check: `type` and the matching check. */
export interface GkeHealthCheckConfig {
  /** Protocol of the probe. */
  readonly type: HealthCheckType;
  /**
   * With `HTTP`.
   * @default - none
   */
  readonly httpHealthCheck?: GkeHttpHealthCheck;
  /**
   * With `HTTPS`.
   * @default - none
   */
  readonly httpsHealthCheck?: GkeHttpHealthCheck;
  /**
   * With `HTTP2`.
   * @default - none
   */
  readonly http2HealthCheck?: GkeHttpHealthCheck;
  /**
   * With `GRPC`.
   * @default - none
   */
  readonly grpcHealthCheck?: GkeGrpcHealthCheck;
  /**
   * With `TCP`.
   * @default - none
   */
  readonly tcpHealthCheck?: GkeTcpHealthCheck;
}

/** Logging of a GKE health check. */
export interface GkeHealthCheckLogConfig {
  /**
   * Log probe results.
   * @default false
   */
  readonly enabled?: boolean;
}

/**
 * The `spec.default` of a HealthCheckPolicy.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_health_check
 */
export interface HealthCheckPolicyDefault {
  /**
   * Seconds between probes.
   * @default - GKE's default (5)
   */
  readonly checkIntervalSec?: number;
  /**
   * Seconds a probe may take.
   * @default - GKE's default (5)
   */
  readonly timeoutSec?: number;
  /**
   * Successes before a backend counts as healthy.
   * @default - GKE's default (2)
   */
  readonly healthyThreshold?: number;
  /**
   * Failures before a backend counts as unhealthy.
   * @default - GKE's default (2)
   */
  readonly unhealthyThreshold?: number;
  /**
   * Logging of probe results.
   * @default - not logged
   */
  readonly logConfig?: GkeHealthCheckLogConfig;
  /**
   * The probe.
   * @default - GKE's default probe
   */
  readonly config?: GkeHealthCheckConfig;
}

/** Which backends a GCPBackendPolicy prefers. */
export enum GkeBackendPreference {
  /** Default. */
  DEFAULT = 'DEFAULT',
  /** Preferred. */
  PREFERRED = 'PREFERRED',
}

/** Session affinity of a GCPBackendPolicy. */
export enum GkeSessionAffinityType {
  /** Client IP. */
  CLIENT_IP = 'CLIENT_IP',
  /** Client IP, port and protocol. */
  CLIENT_IP_PORT_PROTO = 'CLIENT_IP_PORT_PROTO',
  /** Client IP and protocol. */
  CLIENT_IP_PROTO = 'CLIENT_IP_PROTO',
  /** A cookie the load balancer generates. */
  GENERATED_COOKIE = 'GENERATED_COOKIE',
  /** A header field. */
  HEADER_FIELD = 'HEADER_FIELD',
  /** An HTTP cookie. */
  HTTP_COOKIE = 'HTTP_COOKIE',
  /** None. */
  NONE = 'NONE',
}

/** Connection draining of a GCPBackendPolicy. */
export interface GkeConnectionDraining {
  /**
   * Seconds existing connections may finish when a backend goes away.
   * @default - GKE's default
   */
  readonly drainingTimeoutSec?: number;
}

/** A Secret by name (the IAP OAuth client secret). */
export interface GkeSecretReference {
  /**
   * Name of the Secret.
   * @default - none
   */
  readonly name?: string;
}

/** Identity-Aware Proxy of a GCPBackendPolicy. */
export interface GkeIap {
  /**
   * OAuth client id.
   * @default - none
   */
  readonly clientID?: string;
  /**
   * IAP on or off.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * The Secret holding the OAuth client secret.
   * @default - none
   */
  readonly oauth2ClientSecret?: GkeSecretReference;
}

/** Request logging of a GCPBackendPolicy. */
export interface GkeBackendLogging {
  /**
   * Log requests.
   * @default false
   */
  readonly enabled?: boolean;
  /**
   * Share of requests logged, 0..1,000,000 (millionths).
   * @default - every request
   */
  readonly sampleRate?: number;
}

/** Session affinity settings of a GCPBackendPolicy. */
export interface GkeSessionAffinity {
  /**
   * Lifetime of the affinity cookie, in seconds.
   * @default - GKE's default
   */
  readonly cookieTtlSec?: number;
  /**
   * Kind of affinity.
   * @default GkeSessionAffinityType.NONE
   */
  readonly type?: GkeSessionAffinityType;
}

/**
 * The `spec.default` of a GCPBackendPolicy.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_backend_policy
 */
export interface GcpBackendPolicyDefault {
  /**
   * Backend preference.
   * @default - GKE's default
   */
  readonly backendPreference?: GkeBackendPreference;
  /**
   * Connection draining.
   * @default - GKE's default
   */
  readonly connectionDraining?: GkeConnectionDraining;
  /**
   * Identity-Aware Proxy.
   * @default - off
   */
  readonly iap?: GkeIap;
  /**
   * Request logging.
   * @default - off
   */
  readonly logging?: GkeBackendLogging;
  /**
   * Maximum requests per second per endpoint.
   * @default - no limit
   */
  readonly maxRatePerEndpoint?: number;
  /**
   * Name of a Cloud Armor security policy.
   * @default - none
   */
  readonly securityPolicy?: string;
  /**
   * Session affinity.
   * @default - none
   */
  readonly sessionAffinity?: GkeSessionAffinity;
  /**
   * Backend timeout in seconds (long generations need minutes).
   * @default - GKE's default (30)
   */
  readonly timeoutSec?: number;
}
