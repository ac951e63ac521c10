import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PropError, show } from './errors';
import { checkLabelName } from './names';

/** Namespace used when neither the prop nor the chart sets one. */
export const DEFAULT_NAMESPACE = 'default';

/** What a construct's objects must share a namespace with (an objective's pool, a migration's alpha pool). */
export interface NamespaceBinding {
  /** What it is, for messages: `the pool vllm-ga`. */
  readonly what: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Why the namespaces must be the same: `poolRef cannot cross namespaces`. */
  readonly why: string;
}

/** Where a namespace came from, for messages. */
interface NamespaceSource {
  readonly namespace: string;
  readonly text: string;
}

/** The enclosing chart of `scope`, if any (the App itself is no chart). */
function chartOf(scope: IConstruct): Chart | undefined {
  return [...scope.node.scopes].reverse().find((c): c is Chart => Chart.isChart(c));
}

/**
 * The namespace rule of every construct of this library, the rule cdk8s follows, stated once: a construct's
 * namespaced objects take its own `namespace` prop, else the namespace of its enclosing chart, else the
 * namespace of what they are bound to (`bound`: a GA pool for an objective, the alpha pool for a migration),
 * else `fallback` (`default`). Two of these that are set and differ are a PropError naming both, never a silent
 * choice. The objects always carry the namespace explicitly, so the output does not depend on the namespace of
 * the GitOps tool's destination.
 */
export function placeNamespace(
  scope: IConstruct, prop: string, own: string | undefined, bound?: NamespaceBinding, fallback = DEFAULT_NAMESPACE,
): string {
  if (own !== undefined) checkLabelName(scope, prop, own);
  const chart = chartOf(scope);
  const sources: NamespaceSource[] = [
    ...(own !== undefined ? [{ namespace: own, text: `'${prop}' is ${show(own)}` }] : []),
    ...(chart?.namespace !== undefined ? [{ namespace: chart.namespace, text: `the enclosing chart ${chart.node.path} has namespace ${show(chart.namespace)}` }] : []),
    ...(bound !== undefined ? [{ namespace: bound.namespace, text: `${bound.what} is in namespace ${show(bound.namespace)}` }] : []),
  ];
  const [first, ...rest] = sources;
  const conflict = rest.find((s) => s.namespace !== first.namespace);
  if (first !== undefined && conflict !== undefined) {
    const where = scope.node.path;
    let fix: string;
    if (bound === undefined || !conflict.text.startsWith(bound.what)) {
      fix = `an object takes its own namespace, else its chart's: leave '${prop}' out, or place the construct in a chart of namespace ${show(first.namespace)} (or one without a namespace)`;
    } else if (own !== undefined) {
      fix = `${bound.why}: set '${prop}' to ${show(bound.namespace)}, or leave it out`;
    } else {
      fix = `${bound.why}: place it in a chart of namespace ${show(bound.namespace)} (or one without a namespace)`;
    }
    throw new PropError(`${where}: conflicting namespaces: ${first.text}, but ${conflict.text}; ${fix}`);
  }
  if (first === undefined) return fallback;
  checkLabelName(scope, prop, first.namespace);
  return first.namespace;
}

/**
 * The namespace a construct writes into: its own prop, else its chart's namespace, else `default`, by the rule
 * of `placeNamespace` (a prop and a chart namespace that differ are an error).
 */
export function resolveNamespace(scope: IConstruct, prop: string, namespace: string | undefined): string {
  return placeNamespace(scope, prop, namespace);
}

/**
 * Cluster-scoped objects must carry no namespace, but cdk8s gives every object its chart's namespace:
 * take it off again.
 */
export function clusterScoped<T extends ApiObject>(obj: T): T {
  if (obj.metadata.namespace !== undefined) {
    obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return obj;
}

/**
 * The name cdk8s gives an object whose name is not set, for a construct whose name prop is left out (as
 * cdk8s-plus does): unique in the app, from the construct path (`<chart>-<id>-<hash>`; without the hash in
 * a chart with `disableResourceNameHashes`).
 */
export function generatedName(scope: IConstruct): string {
  return Chart.of(scope).generateObjectName(scope as ApiObject);
}
