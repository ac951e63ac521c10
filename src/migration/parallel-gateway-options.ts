import { CarriedManifest } from '../core/carried-manifest';

/** The second Gateway of a `parallel-gateway` migration. */
export interface ParallelGatewayOptions {
  /** Name of the new Gateway (in the original Gateway's namespace, so its TLS Secrets resolve the same way). */
  readonly name: string;

  /**
   * The Gateway the routes attach to today, as it is in Git: its listeners (ports, protocols, hostnames, TLS,
   * allowedRoutes) and infrastructure are copied; its addresses are not (the new Gateway gets its own).
   */
  readonly originalGateway: CarriedManifest;

  /**
   * GatewayClass of the new Gateway.
   * @default - the original Gateway's class
   */
  readonly gatewayClassName?: string;

  /**
   * Labels of the new Gateway. On Istio, `istio.io/rev: <revision>` of a control plane that serves the v1 group
   * (Istio 1.28+) is required: a second `istio` Gateway without it is served by the same control plane as the first.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Suffix of the copies of the routes on the new Gateway (`llm-route` becomes `llm-route-ga`).
   * @default '-ga'
   */
  readonly routeNameSuffix?: string;
}
