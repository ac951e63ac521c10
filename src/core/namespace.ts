import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkLabelName } from './names';

/** Namespace used when neither the prop nor the chart sets one. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * The namespace a construct writes into: its own prop, else its chart's namespace, else `default`.
 * Namespaced objects always carry it explicitly, so the output does not depend on the namespace of
 * the GitOps tool's destination.
 */
export function resolveNamespace(scope: IConstruct, prop: string, namespace: string | undefined): string {
  const resolved = namespace ?? Chart.of(scope).namespace ?? DEFAULT_NAMESPACE;
  checkLabelName(scope, prop, resolved);
  return resolved;
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
