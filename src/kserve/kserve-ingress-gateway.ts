import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { gatewayClassObject, resolveGateway } from './gateway-options';
import { GATEWAY_LABEL } from './kserve-api';
import {
  Gateway,
  GatewaySpecListeners,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  ReferenceGrant,
} from '../imports/gateway.networking.k8s.io';
import { GATEWAY_GROUP } from '../inference/api';

/** Props of a `KServeIngressGateway`. */
export interface KServeIngressGatewayProps {
  /**
   * Name of the Gateway. KServe's `kserveIngressGateway` setting names it as `<namespace>/<name>`, and the
   * gateway's pods and Service carry it as the `serving.kserve.io/gateway` label.
   * @default 'kserve-ingress-gateway'
   */
  readonly name?: string;

  /**
   * Namespace of the Gateway.
   * @default 'kserve'
   */
  readonly namespace?: string;

  /**
   * Name of the GatewayClass the Gateway uses.
   * @default 'envoy'
   */
  readonly gatewayClassName?: string;

  /**
   * Controller of the GatewayClass (a domain-prefixed path).
   * @default 'gateway.envoyproxy.io/gatewayclass-controller' (Envoy Gateway, as in KServe's guide)
   */
  readonly controllerName?: string;

  /**
   * Write the GatewayClass. Leave it out when the class exists already and is managed elsewhere.
   * @default true
   */
  readonly createGatewayClass?: boolean;

  /**
   * Port of the HTTP listener (`http`).
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Name of the `kubernetes.io/tls` Secret for an HTTPS listener (`https`) that terminates TLS.
   * @default - no HTTPS listener
   */
  readonly tlsSecretName?: string;

  /**
   * Namespace of the TLS Secret. When it is not the Gateway's namespace, a ReferenceGrant in the Secret's
   * namespace allows the Gateway to use it.
   * @default - the Gateway's namespace
   */
  readonly tlsSecretNamespace?: string;

  /**
   * Port of the HTTPS listener.
   * @default 443
   */
  readonly httpsPort?: number;
}

/**
 * The Gateway KServe's guide 002 creates for InferenceServices: a GatewayClass (default `envoy`, Envoy
 * Gateway's controller) and a Gateway (default `kserve/kserve-ingress-gateway`) with an HTTP listener and,
 * when a TLS Secret is given, an HTTPS listener that terminates TLS; routes from all namespaces may attach,
 * and the infrastructure label `serving.kserve.io/gateway: <name>` marks the gateway's pods and Service.
 * Every API default of Gateway API v1.2.1 is written out, so a GitOps tool sees no drift.
 *
 * Within a `KServeGatewayApiMigration`, the GitOps writer gives the objects Argo CD sync waves:
 * GatewayClass and ReferenceGrant -2, Gateway -1 (before KServe's ConfigMap at 0).
 *
 * @example
 * new KServeIngressGateway(chart, 'gateway', { tlsSecretName: 'kserve-tls' });
 *
 * @see https://kserve.github.io/website/docs/admin-guide/gatewayapi-migration
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export class KServeIngressGateway extends Construct {
  /** Name of the Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway. */
  public readonly gatewayNamespace: string;
  /** Name of the GatewayClass. */
  public readonly gatewayClassName: string;
  /** Controller of the GatewayClass. */
  public readonly controllerName: string;
  /** The Gateway as KServe's `kserveIngressGateway` setting names it: `<namespace>/<name>`. */
  public readonly reference: string;
  /** True when the Gateway has an HTTPS listener. */
  public readonly tls: boolean;
  /** The Gateway. */
  public readonly gateway: ApiObject;
  /**
   * The GatewayClass.
   * @default - none when `createGatewayClass` is false
   */
  public readonly gatewayClass?: ApiObject;
  /**
   * The ReferenceGrant that lets the Gateway use a TLS Secret of another namespace.
   * @default - none when the Secret is in the Gateway's namespace
   */
  public readonly referenceGrant?: ApiObject;

  public constructor(scope: Construct, id: string, props: KServeIngressGatewayProps = {}) {
    super(scope, id);
    const g = resolveGateway(this, props ?? {});
    this.gatewayName = g.name;
    this.gatewayNamespace = g.namespace;
    this.gatewayClassName = g.gatewayClassName;
    this.controllerName = g.controllerName;
    this.reference = `${g.namespace}/${g.name}`;
    this.tls = g.tls !== undefined;

    const listeners: GatewaySpecListeners[] = [{
      name: 'http',
      protocol: 'HTTP',
      port: g.httpPort,
      allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
    }];
    if (g.tls) {
      listeners.push({
        name: 'https',
        protocol: 'HTTPS',
        port: g.tls.port,
        tls: {
          mode: GatewaySpecListenersTlsMode.TERMINATE,
          certificateRefs: [{ group: '', kind: 'Secret', name: g.tls.secretName, namespace: g.tls.secretNamespace }],
        },
        allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.ALL } },
      });
      if (g.tls.secretNamespace !== g.namespace) {
        this.referenceGrant = new ReferenceGrant(this, 'ReferenceGrant', {
          metadata: { name: `${g.name}-tls`, namespace: g.tls.secretNamespace },
          spec: {
            from: [{ group: GATEWAY_GROUP, kind: 'Gateway', namespace: g.namespace }],
            to: [{ group: '', kind: 'Secret', name: g.tls.secretName }],
          },
        });
      }
    }

    if (g.createGatewayClass) {
      this.gatewayClass = gatewayClassObject(this, 'GatewayClass', this.gatewayClassName, this.controllerName);
    }

    this.gateway = new Gateway(this, 'Gateway', {
      metadata: { name: this.gatewayName, namespace: this.gatewayNamespace },
      spec: {
        gatewayClassName: this.gatewayClassName,
        listeners,
        infrastructure: { labels: { [GATEWAY_LABEL]: this.gatewayName } },
      },
    });
  }
}
