/**
 * Every reference to an alpha (v1alpha2) InferencePool in an object, wherever the object puts it: the
 * backendRefs of routes of any kind (HTTPRoute, GRPCRoute, Envoy AI Gateway's AIGatewayRoute, a mirror
 * filter's backendRef), the targetRef(s) of policies (GKE's HealthCheckPolicy and GCPBackendPolicy, Istio's
 * and Envoy Gateway's policies), and an InferenceModel's poolRef (whose group defaults to the alpha group).
 * Pure: plain objects in, references out.
 */
import type { PoolIdentity } from './http-route';
import { isAlphaModel } from '../convert/alpha-kinds';
import { ALPHA_GROUP } from '../inference/api';

/** How an object refers to a pool. */
export type AlphaReferenceVia = 'backendRef' | 'targetRef' | 'poolRef' | 'reference';

/** One reference to an alpha pool. */
export interface AlphaReference {
  /** Field path of the reference in the object, e.g. `spec.rules[0].backendRefs[1]`. */
  readonly field: string;
  /** The pool it names (its namespace: the reference's own, else the object's). */
  readonly pool: PoolIdentity;
  /** What kind of reference it is, from the field's name. */
  readonly via: AlphaReferenceVia;
  /** True when the reference names the pool's namespace itself. */
  readonly explicitNamespace: boolean;
}

/** The kinds of routes that send traffic to backends. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'AIGatewayRoute'];

/**
 * The references to alpha pools in `obj` (planned in `namespace`), in document order. An alpha
 * InferencePool refers to none; an InferenceModel's `spec.poolRef` counts with its defaults (group: the
 * alpha group, kind: InferencePool).
 */
export function alphaReferences(obj: any, namespace: string): AlphaReference[] {
  if (obj === null || typeof obj !== 'object') return [];
  if (obj.kind === 'InferencePool' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(`${ALPHA_GROUP}/`)) return [];
  if (isAlphaModel(obj)) {
    const ref = obj.spec?.poolRef;
    if (!isMap(ref) || typeof ref.name !== 'string' || (ref.group ?? ALPHA_GROUP) !== ALPHA_GROUP || (ref.kind ?? 'InferencePool') !== 'InferencePool') return [];
    return [{ field: 'spec.poolRef', pool: { name: ref.name, namespace }, via: 'poolRef', explicitNamespace: false }];
  }
  const out: AlphaReference[] = [];
  // Objects are at most 100 levels deep (the reader refuses deeper ones): no unbounded recursion.
  const visit = (value: unknown, field: string, key: string) => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${field}[${i}]`, key));
      return;
    }
    if (!isMap(value)) return;
    if (value.group === ALPHA_GROUP && value.kind === 'InferencePool' && typeof value.name === 'string') {
      const ns = typeof value.namespace === 'string' ? value.namespace : namespace;
      out.push({ field, pool: { name: value.name, namespace: ns }, via: viaOf(key), explicitNamespace: typeof value.namespace === 'string' });
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, field === '' ? k : `${field}.${k}`, k);
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') visit(v, k, k);
  }
  return out;
}

/** The pools of `refs`, each once, in order. */
export function uniquePools(refs: AlphaReference[]): PoolIdentity[] {
  const out: PoolIdentity[] = [];
  for (const r of refs) {
    if (!out.some((p) => p.name === r.pool.name && p.namespace === r.pool.namespace)) out.push(r.pool);
  }
  return out;
}

function viaOf(key: string): AlphaReferenceVia {
  const k = key.toLowerCase();
  if (k.includes('backendref')) return 'backendRef';
  if (k.includes('targetref')) return 'targetRef';
  if (k.includes('poolref')) return 'poolRef';
  return 'reference';
}

function isMap(v: unknown): v is { [key: string]: any } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
