/**
 * Checks and defaults of the KServe ingress Gateway, shared by `KServeIngressGateway` and
 * `KServeGatewayApiMigration` (which names the same settings differently). Internal.
 */
import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_GATEWAY_CLASS, DEFAULT_GATEWAY_NAME, DEFAULT_KSERVE_NAMESPACE, ENVOY_CONTROLLER } from './kserve-api';
import type { KServeIngressGatewayProps } from './kserve-ingress-gateway';
import { checkInteger, propError, show } from '../core/errors';
import { checkLabelName, checkSubdomain } from '../core/names';
import { clusterScoped, placeNamespace } from '../core/namespace';
import { GatewayClass } from '../imports/gateway.networking.k8s.io';

// A domain-prefixed path, as the GatewayClass CRD requires of spec.controllerName.
const CONTROLLER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** The gateway settings as given: the props of `KServeIngressGateway`. */
export type GatewayInput = KServeIngressGatewayProps;

/** The gateway settings with defaults applied and checked. */
export interface ResolvedGateway {
  readonly name: string;
  readonly namespace: string;
  readonly gatewayClassName: string;
  readonly controllerName: string;
  readonly createGatewayClass: boolean;
  readonly httpPort: number;
  readonly tls?: { readonly secretName: string; readonly secretNamespace: string; readonly port: number };
}

/** What each setting is called by the caller, for error messages. */
export type GatewayPropNames = { readonly [K in keyof GatewayInput]-?: string };

/** The names `KServeIngressGateway` uses. */
export const OWN_NAMES: GatewayPropNames = {
  name: 'name',
  namespace: 'namespace',
  gatewayClassName: 'gatewayClassName',
  controllerName: 'controllerName',
  createGatewayClass: 'createGatewayClass',
  httpPort: 'httpPort',
  tlsSecretName: 'tlsSecretName',
  tlsSecretNamespace: 'tlsSecretNamespace',
  httpsPort: 'httpsPort',
};

/** Applies defaults and checks every setting; throws naming `scope` and the caller's prop. */
export function resolveGateway(scope: IConstruct | string, input: GatewayInput, names: GatewayPropNames = OWN_NAMES): ResolvedGateway {
  const name = input.name ?? DEFAULT_GATEWAY_NAME;
  // The one namespace rule (placeNamespace): the namespace given, else the enclosing chart's, else kserve.
  const namespace = typeof scope === 'string' ? input.namespace ?? DEFAULT_KSERVE_NAMESPACE
    : placeNamespace(scope, names.namespace, input.namespace, undefined, DEFAULT_KSERVE_NAMESPACE);
  const gatewayClassName = input.gatewayClassName ?? DEFAULT_GATEWAY_CLASS;
  const controllerName = input.controllerName ?? ENVOY_CONTROLLER;
  // KServe checks both halves of `kserveIngressGateway` (`<namespace>/<name>`) as DNS-1123 labels.
  checkLabelName(scope, names.name, name);
  checkLabelName(scope, names.namespace, namespace);
  checkSubdomain(scope, names.gatewayClassName, gatewayClassName);
  if (typeof controllerName !== 'string' || controllerName.length > 253 || !CONTROLLER_NAME.test(controllerName)) {
    throw propError(scope, names.controllerName, `must be a domain-prefixed path such as 'gateway.envoyproxy.io/gatewayclass-controller', at most 253 characters (got ${show(controllerName)})`);
  }
  const httpPort = input.httpPort ?? 80;
  checkInteger(scope, names.httpPort, httpPort, 1, 65535);

  let tls: ResolvedGateway['tls'];
  if (input.tlsSecretName !== undefined) {
    checkSubdomain(scope, names.tlsSecretName, input.tlsSecretName);
    const secretNamespace = input.tlsSecretNamespace ?? namespace;
    checkLabelName(scope, names.tlsSecretNamespace, secretNamespace);
    const port = input.httpsPort ?? 443;
    checkInteger(scope, names.httpsPort, port, 1, 65535);
    if (port === httpPort) {
      throw propError(scope, names.httpsPort, `must differ from '${names.httpPort}' (both are ${port}): an HTTP and an HTTPS listener cannot share a port`);
    }
    tls = { secretName: input.tlsSecretName, secretNamespace, port };
  } else {
    for (const prop of ['tlsSecretNamespace', 'httpsPort'] as const) {
      if (input[prop] !== undefined) {
        throw propError(scope, names[prop], `only applies with '${names.tlsSecretName}' (the HTTPS listener): give '${names.tlsSecretName}' or leave '${names[prop]}' out`);
      }
    }
  }
  return { name, namespace, gatewayClassName, controllerName, createGatewayClass: input.createGatewayClass ?? true, httpPort, tls };
}

/** The GatewayClass of guide 002 (cluster-scoped). */
export function gatewayClassObject(scope: Construct, id: string, name: string, controllerName: string): ApiObject {
  return clusterScoped(new GatewayClass(scope, id, {
    metadata: { name },
    spec: { controllerName },
  }));
}
