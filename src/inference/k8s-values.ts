// cdk8s-plus' `k8s.Quantity` and `k8s.IntOrString` turned into what they hold, without loading cdk8s-plus-28
// (about 3.5 MB of JavaScript) for values that cannot be its instances: only a class instance is checked, and a
// caller that made one has loaded the package already.
import type { k8s } from 'cdk8s-plus-28';

let k8sModule: typeof k8s | undefined;

function isK8sValue(value: object): value is k8s.Quantity | k8s.IntOrString {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  k8sModule ??= (require('cdk8s-plus-28') as typeof import('cdk8s-plus-28')).k8s;
  return value instanceof k8sModule.Quantity || value instanceof k8sModule.IntOrString;
}

/**
 * The value with cdk8s-plus' `k8s.Quantity` and `k8s.IntOrString` instances replaced by what they hold, as the API
 * spells it (what cdk8s-plus' own `toJson_` functions do); plain values (e.g. from YAML) pass through.
 */
export function unwrapK8sValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(unwrapK8sValues);
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && isK8sValue(value)) return value.value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapK8sValues(v)]));
}
