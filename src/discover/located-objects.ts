/**
 * The planner's first step: every object of the input with the namespace it is planned in and its API
 * group, indexed by group, kind, namespace and name. A lookup that finds an object defined twice records
 * the problem (two rendered overlays read at once) and returns the first.
 */
import type { RepoContents } from './repo-reader';
import { displayLocation, InputProblem, objectRef, SourceObject } from './sources';

const CLUSTER_SCOPED = new Set([
  'ClusterRole', 'ClusterRoleBinding', 'Namespace', 'CustomResourceDefinition', 'GatewayClass', 'PriorityClass',
  'StorageClass', 'PersistentVolume', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'APIService', 'IngressClass', 'RuntimeClass', 'Node', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
]);

/** An object with its resolved namespace ('' for cluster-scoped kinds). */
export interface Located {
  readonly source: SourceObject;
  readonly obj: any;
  readonly namespace: string;
  readonly group: string;
}

/** Finds the object of a group, kind, namespace and name (recording a problem when it is defined twice). */
export type Lookup = (group: string, kind: string, namespace: string, name: string) => Located | undefined;

/** The input, located and indexed. */
export interface LocatedInput {
  readonly repo: RepoContents;
  /** Every object, in input order. */
  readonly all: Located[];
  /** The namespaced objects whose namespace was guessed (`default`): no metadata.namespace and no kustomization's. */
  readonly guessed: Set<SourceObject>;
  /** Objects by `keyOf`. */
  readonly byKey: Map<string, Located[]>;
  readonly lookup: Lookup;
  /** Where an object is, for messages. */
  readonly at: (s: SourceObject) => string;
  /** Problems found so far; `lookup` adds to them. */
  readonly problems: InputProblem[];
}

/**
 * The namespace an object is planned in: its own, else the one its kustomization sets, else `default`
 * (as kubectl would apply it); '' for cluster-scoped kinds.
 */
export function plannedNamespace(source: SourceObject): string {
  if (CLUSTER_SCOPED.has(source.object.kind)) return '';
  return source.object.metadata.namespace || source.namespaceHint || 'default';
}

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function keyOf(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

/** Every object of `repo` located and indexed; `problems` collects what `lookup` finds defined twice. */
export function locateObjects(repo: RepoContents, problems: InputProblem[]): LocatedInput {
  const at = (s: SourceObject) => displayLocation(repo.root, s.file, s.line);
  const guessed = new Set<SourceObject>();
  const all: Located[] = repo.objects.map((source) => {
    const obj = source.object;
    if (!CLUSTER_SCOPED.has(obj.kind) && !obj.metadata.namespace && !source.namespaceHint) guessed.add(source);
    return { source, obj, namespace: plannedNamespace(source), group: groupOf(obj.apiVersion) };
  });
  const byKey = new Map<string, Located[]>();
  for (const l of all) {
    const key = keyOf(l.group, l.obj.kind, l.namespace, l.obj.metadata.name);
    byKey.set(key, [...(byKey.get(key) ?? []), l]);
  }
  const lookup = (group: string, kind: string, namespace: string, name: string): Located | undefined => {
    const found = byKey.get(keyOf(group, kind, namespace, name)) ?? [];
    if (found.length > 1) {
      problems.push({
        file: found[1].source.file,
        line: found[1].source.line,
        message: `${objectRef(found[1].obj, found[1].namespace)} is defined twice (also at ${at(found[0].source)}): read one rendered overlay or environment (e.g. the output of kustomize build) instead of all of them`,
      });
    }
    return found[0];
  };
  return { repo, all, guessed, byKey, lookup, at, problems };
}

export function byNamespaceAndName(a: Located, b: Located): number {
  return a.namespace.localeCompare(b.namespace) || a.obj.metadata.name.localeCompare(b.obj.metadata.name);
}
