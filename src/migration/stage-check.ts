/**
 * A stage README's check as data: what it runs, what it needs beyond an API server, and what a good result is,
 * so that a machine (`inference-migrate verify`, a CI job, a promotion gate) can run the read-only ones and tell
 * the others apart without parsing shell. The README's command is rendered from this data (kubectlCommand).
 */
import { shellQuote } from '../core/shell';
import { HttpHeader } from '../inference/http-route-types';

/** What a check needs in the cluster to give its expected result. */
export enum StageCheckKind {
  /**
   * `kubectl get` of what the API server holds (objects, their fields): runs against any API server with the CRDs.
   * Read only.
   */
  API_READ = 'api-read',
  /**
   * `kubectl get` of a status a gateway controller writes (a Gateway's `Programmed`, a route's `Accepted` and
   * `ResolvedRefs`): needs that controller running. Read only.
   */
  GATEWAY_STATUS = 'gateway-status',
  /**
   * `kubectl rollout status` or `kubectl wait`: needs the pods scheduled and ready (scheduler, kubelets, images).
   * Read only.
   */
  ROLLOUT = 'rollout',
  /**
   * Requests through the gateway or the Endpoint Picker's metrics (curl, port-forward): needs the whole data plane
   * serving (gateway, Endpoint Picker, model servers).
   */
  DATA_PLANE = 'data-plane',
  /** Read and judged by a person (logs, a choice between environments, a file to write). */
  MANUAL = 'manual',
}

/**
 * What kubectl must print for a read-only check. With nothing set, kubectl must exit 0. Fields are compared as
 * `strings.Fields` in Go or `split(/\s+/)` does: runs of spaces and tabs are one separator.
 */
export interface CheckExpectation {
  /**
   * Lines standard output must hold: each is the start of some output line, field by field (`gw Accepted=True`
   * matches the line `gw Accepted=True ResolvedRefs=True`; `pool` matches `pool   5m`). kubectl exits 0.
   * @default - no line is required
   */
  readonly lines?: string[];
  /**
   * Standard output must be empty, and kubectl exit 0 (`--ignore-not-found` on objects that must be gone).
   * @default false
   */
  readonly empty?: boolean;
  /**
   * kubectl must fail with `NotFound` (the object must not exist).
   * @default false
   */
  readonly notFound?: boolean;
}

/** Which pool a request must be served by. */
export enum CheckPool {
  /** The GA (v1) pool: e.g. a request with the preview header, or any request once the route sends only there. */
  GA = 'ga',
  /** The alpha (v1alpha2) pool. */
  ALPHA = 'alpha',
  /** Either pool: the route splits traffic, or the request checks only that the gateway answers. */
  EITHER = 'either',
}

/** The request a data-plane check sends through a Gateway. */
export interface CheckRequest {
  /** Name of the Gateway the request goes through (its address: `status.addresses[0].value`). */
  readonly gatewayName: string;
  /** Namespace of that Gateway. */
  readonly gatewayNamespace: string;
  /**
   * Port of the listener the route attaches to.
   * @default - read from the Gateway when the check runs (the Gateway is not in the input): the port of the listener
   * `listenerName` names, else of its first HTTP listener
   */
  readonly port?: number;
  /**
   * The listener the route's parentRef names (`sectionName`), when the port is read from the cluster.
   * @default - none
   */
  readonly listenerName?: string;
  /** `http` or `https`: the listener's protocol. */
  readonly scheme: string;
  /**
   * Host name the request is for (the `Host` header; with https also the TLS server name).
   * @default - none: the route and the listener accept any host
   */
  readonly host?: string;
  /** HTTP method. */
  readonly method: string;
  /** Path, with the query string the route's match requires. */
  readonly path: string;
  /** Request headers besides `Host` and `Content-Type` (the route's header matches, the preview header). */
  readonly headers: HttpHeader[];
  /** The JSON body. */
  readonly body: string;
  /** HTTP status a good response has. */
  readonly expectedStatus: number;
  /** Which pool must serve the request. */
  readonly reaches: CheckPool;
}

/** A README check as data. */
export interface StageCheck {
  /** What the check needs to give its expected result. */
  readonly kind: StageCheckKind;
  /**
   * kubectl's arguments (after `kubectl`) for the read-only kinds (`get`, `rollout status`, `wait`): run them
   * without a shell. The README's command is these, quoted for the shell.
   * @default - not a kubectl command (a data-plane or manual check)
   */
  readonly kubectl?: string[];
  /**
   * What kubectl must print (read-only kinds).
   * @default - kubectl exits 0
   */
  readonly expect?: CheckExpectation;
  /**
   * The request a data-plane check sends.
   * @default - none
   */
  readonly request?: CheckRequest;
}

/** The README command of a kubectl check: `kubectl` and its arguments, each quoted for a POSIX shell. */
export function kubectlCommand(args: readonly string[]): string {
  return ['kubectl', ...args.map(shellQuote)].join(' ');
}

/** A README check that runs kubectl with `args`: its command rendered from them, its data beside it. */
export function kubectlCheck(kind: StageCheckKind, description: string, args: string[], expected: string, expect?: CheckExpectation)
  : { description: string; command: string; expected: string; check: StageCheck } {
  return { description, command: kubectlCommand(args), expected, check: { kind, kubectl: args, ...(expect ? { expect } : {}) } };
}

/** A README check that only a person can run or judge (a pipeline, logs, a choice), or that needs the data plane. */
export function shellCheck<T extends { description: string; command: string; expected?: string }>(
  kind: StageCheckKind.MANUAL | StageCheckKind.DATA_PLANE, c: T)
  : T & { check: StageCheck } {
  return { ...c, check: { kind } };
}
