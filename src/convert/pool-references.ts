/**
 * References to an InferencePool inside any object (a route's backendRefs, a policy's targetRef):
 * found wherever the object puts them, and pointed at another pool. Pure: plain objects in, plain
 * objects out; no cdk8s.
 */

/** A pool by group, name and namespace. */
export interface PoolRef {
  readonly group: string;
  readonly name: string;
  readonly namespace: string;
}

/**
 * A deep copy of `obj` (planned in `namespace`) in which every reference to `from` (a map with `group`,
 * `kind: InferencePool`, `name`, and a `namespace` that is absent or `from.namespace`) names `to` instead:
 * group and name change, every other field of the reference (port, weight, filters) stays.
 * `metadata` and `status` are not searched.
 */
export function repointPoolReferences(obj: any, namespace: string, from: PoolRef, to: Omit<PoolRef, 'namespace'>): any {
  // Objects are at most 100 levels deep (the reader refuses deeper ones): no unbounded recursion.
  const visit = (value: any): any => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    if (isReference(value, namespace, from)) return { ...value, group: to.group, name: to.name };
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
  };
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, k === 'metadata' || k === 'status' ? v : visit(v)]));
}

/** True when `value` is a reference to `pool` from an object in `namespace`. */
export function isReference(value: any, namespace: string, pool: PoolRef): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && value.group === pool.group && value.kind === 'InferencePool' && value.name === pool.name
    && (value.namespace ?? namespace) === pool.namespace;
}
