/**
 * The planner's Endpoint Picker phase: the objects that make up each alpha pool's EPP.
 * - the Service named by `spec.extensionRef` (kind Service) in the pool's namespace; the Deployments in
 *   that namespace whose pod labels match the Service's selector; their ServiceAccount (unless `default`)
 *   and the ConfigMaps they mount or read; the RoleBindings and ClusterRoleBindings whose subjects include
 *   that ServiceAccount, and the Role or ClusterRole each binds; an Istio DestinationRule whose host is the
 *   EPP Service;
 * - an object claimed by the EPPs of two pools (a shared ClusterRole, say) is carried by neither: it
 *   stays where it is, and a warning says so.
 */
import { Located, LocatedInput, Lookup } from './located-objects';
import type { PlannedManualStep } from './planner-types';
import { poolKey } from './pool-attribution';
import { objectRef, SourceObject } from './sources';
import { shellQuote } from '../core/shell';
import { ALPHA_GROUP } from '../inference/api';

/** What belongs to a pool's Endpoint Picker, and what to say about what could not be found. */
export interface EndpointPickerParts {
  readonly objects: Located[];
  /** Steps for the cleanup stage: what no stage removes, with the commands. */
  readonly steps: PlannedManualStep[];
  /** Warnings for the plan (printed, and in the first stage's README). */
  readonly warnings: string[];
  /** What no stage removes, for the cleanup stage's warnings. */
  readonly remains: string[];
}

/**
 * The Endpoint Picker parts of every pool, by `poolKey`; an object two pools claim is removed from both,
 * with a warning in `warnings`.
 */
export function endpointPickersByPool(pools: Located[], input: LocatedInput, warnings: string[]): Map<string, EndpointPickerParts> {
  const byPool = new Map<string, EndpointPickerParts>();
  const claims = new Map<Located, string[]>();
  for (const pool of pools) {
    const key = poolKey({ name: pool.obj.metadata.name, namespace: pool.namespace });
    const parts = endpointPickerObjects(pool, input.all, input.lookup, input.at);
    byPool.set(key, parts);
    for (const o of parts.objects) claims.set(o, [...(claims.get(o) ?? []), key]);
  }
  for (const [obj, owners] of claims) {
    if (owners.length < 2) continue;
    warnings.push(`${objectRef(obj.obj, obj.namespace)} (${input.at(obj.source)}) serves the Endpoint Pickers of the alpha pools ${owners.join(' and ')}: ` +
      'it is carried by neither migration and stays where it is; delete it by hand once both cleanups are done.');
    for (const owner of owners) {
      const parts = byPool.get(owner)!;
      byPool.set(owner, { ...parts, objects: parts.objects.filter((o) => o !== obj) });
    }
  }
  return byPool;
}

/** Collects the parts of one EPP: objects once each, and what to say about the rest. */
class PartsCollector {
  public readonly objects: Located[] = [];
  public readonly steps: PlannedManualStep[] = [];
  public readonly warnings: string[] = [];
  public readonly remains: string[] = [];

  constructor(private readonly namespace: string) {}

  public add(o: Located | undefined): void {
    if (o && !this.objects.includes(o)) this.objects.push(o);
  }

  /** Something of the EPP no stage removes: the cleanup README says so, with commands that find it by name. */
  public leftover(what: string, names: string): void {
    this.remains.push(`Not removed by this stage: ${what}.`);
    this.steps.push({
      stage: 'last' as const,
      text: `Not removed by this stage: ${what}. Once this stage is verified, find the objects and delete them where they are managed (the Git path or Helm release that applies them); ` +
        'each has the Endpoint Picker\'s name in its own, unless it was named otherwise:',
      commands: [
        `kubectl get deployment,service,serviceaccount,configmap,role,rolebinding -n ${shellQuote(this.namespace)} -o name | grep -F -e ${shellQuote(names)}`,
        `kubectl get clusterrole,clusterrolebinding -o name | grep -F -e ${shellQuote(names)}`,
      ],
    });
  }

  public parts(): EndpointPickerParts {
    return { objects: this.objects, steps: this.steps, warnings: this.warnings, remains: this.remains };
  }
}

/** The objects of a pool's Endpoint Picker (see the module comment), and what is missing. */
function endpointPickerObjects(pool: Located, all: Located[], lookup: Lookup, at: (s: SourceObject) => string): EndpointPickerParts {
  const ns = pool.namespace;
  const poolName = pool.obj.metadata.name;
  const ext = pool.obj.spec?.extensionRef ?? {};
  const found = new PartsCollector(ns);
  if ((ext.kind ?? 'Service') !== 'Service' || (ext.group ?? '') !== '' || typeof ext.name !== 'string') {
    found.steps.push({ stage: 'last', text: `The alpha pool ${poolName}'s extensionRef is not a core Service, so its Endpoint Picker objects could not be found: delete them by hand once this stage is verified.` });
    found.remains.push(`Not removed by this stage: the Endpoint Picker of the alpha pool ${poolName}, whose extensionRef is not a core Service.`);
    found.warnings.push(`The alpha pool ${ns}/${poolName}'s extensionRef is not a core Service: its Endpoint Picker is not carried, and no stage removes it (the cleanup README says what remains).`);
    return found.parts();
  }
  const service = lookup('', 'Service', ns, ext.name);
  if (!service) {
    found.leftover(`the alpha Endpoint Picker behind Service ${ns}/${ext.name}, which is not in the planned input (its Deployment, ServiceAccount, RBAC and ConfigMaps are unknown to this plan)`, ext.name);
    found.warnings.push(`The alpha pool ${ns}/${poolName} (${at(pool.source)}) names Endpoint Picker Service ${ns}/${ext.name}, which is not in the input: the alpha EPP is not carried and no stage removes it; ` +
      'it is treated as upstream\'s EPP, and the cleanup README lists what remains. Add its manifests to the input to carry and remove it with the migration.');
    return found.parts();
  }
  found.add(service);
  const selector: Record<string, string> = service.obj.spec?.selector ?? {};
  const deployments = Object.keys(selector).length === 0 ? [] : all.filter((l) => l.obj.kind === 'Deployment' && l.group === 'apps' && l.namespace === ns
    && Object.entries(selector).every(([k, v]) => l.obj.spec?.template?.metadata?.labels?.[k] === v));
  if (deployments.length === 0) {
    found.leftover(`the Deployment of the alpha Endpoint Picker behind Service ${ns}/${ext.name} (the Service is carried and removed; no Deployment in the input matches its selector)`, ext.name);
    found.warnings.push(`No Deployment in the input runs the alpha Endpoint Picker of Service ${ns}/${ext.name} (${at(service.source)}): the Service is carried, the EPP Deployment is not, and no stage removes it (the cleanup README says what remains).`);
  }
  for (const d of deployments) {
    found.add(d);
    const pod = d.obj.spec?.template?.spec ?? {};
    const named = pod.serviceAccountName ?? pod.serviceAccount;
    const sa = typeof named === 'string' && named !== '' ? named : 'default';
    if (sa !== 'default') found.add(lookup('', 'ServiceAccount', ns, sa));
    addRoleBindings(found, d, sa, ns, all, lookup, at);
    for (const name of configMapsOf(pod)) found.add(lookup('', 'ConfigMap', ns, name));
  }
  const hosts = [ext.name, `${ext.name}.${ns}`, `${ext.name}.${ns}.svc`, `${ext.name}.${ns}.svc.cluster.local`];
  for (const dr of all.filter((l) => l.obj.kind === 'DestinationRule' && l.group === 'networking.istio.io' && l.namespace === ns)) {
    if (hosts.includes(dr.obj.spec?.host)) found.add(dr);
  }
  return found.parts();
}

/** The RoleBindings and ClusterRoleBindings of the EPP Deployment's ServiceAccount, and the roles they bind. */
function addRoleBindings(found: PartsCollector, d: Located, sa: string, ns: string, all: Located[], lookup: Lookup,
  at: (s: SourceObject) => string): void {
  const rbac = all.filter((l) => (l.obj.kind === 'RoleBinding' || l.obj.kind === 'ClusterRoleBinding') && l.group === 'rbac.authorization.k8s.io');
  for (const b of rbac) {
    if (b.obj.kind === 'RoleBinding' && b.namespace !== ns) continue;
    const bound = (Array.isArray(b.obj.subjects) ? b.obj.subjects : []).some((x: any) => x?.kind === 'ServiceAccount' && x.name === sa
      && (x.namespace ?? (b.obj.kind === 'RoleBinding' ? b.namespace : undefined)) === ns);
    if (!bound) continue;
    const ref = b.obj.roleRef ?? {};
    const role = ref.kind === 'Role' ? lookup('rbac.authorization.k8s.io', 'Role', b.namespace, ref.name)
      : ref.kind === 'ClusterRole' ? lookup('rbac.authorization.k8s.io', 'ClusterRole', '', ref.name) : undefined;
    if (sa === 'default') {
      // Upstream's v0.5.1 manifests run the EPP as the namespace's default ServiceAccount, bound to a
      // `pod-read` ClusterRole (config/manifests/inferencepool-resources.yaml at v0.5.1). Only a grant
      // on the alpha API belongs to the alpha stack; other grants of `default` serve other workloads.
      if (!role || !grantsAlphaApi(role.obj)) continue;
      found.warnings.push(`The alpha Endpoint Picker ${d.obj.metadata.name} runs as the default ServiceAccount of namespace ${ns}: ${b.obj.kind} ${b.obj.metadata.name} (${at(b.source)}) ` +
        `and ${role.obj.kind} ${role.obj.metadata.name} grant it the alpha API, so they are carried and removed at cleanup. Any other workload that runs as ${ns}/default loses those permissions then.`);
    }
    found.add(b);
    found.add(role);
  }
}

/** True when a Role or ClusterRole grants anything on the alpha API group. */
function grantsAlphaApi(role: any): boolean {
  return (Array.isArray(role?.rules) ? role.rules : []).some((r: any) => Array.isArray(r?.apiGroups)
    && r.apiGroups.some((g: unknown) => g === ALPHA_GROUP || g === '*'));
}

function configMapsOf(pod: any): string[] {
  const names = new Set<string>();
  for (const v of Array.isArray(pod.volumes) ? pod.volumes : []) {
    if (typeof v?.configMap?.name === 'string') names.add(v.configMap.name);
    for (const s of Array.isArray(v?.projected?.sources) ? v.projected.sources : []) {
      if (typeof s?.configMap?.name === 'string') names.add(s.configMap.name);
    }
  }
  for (const c of [...(Array.isArray(pod.containers) ? pod.containers : []), ...(Array.isArray(pod.initContainers) ? pod.initContainers : [])]) {
    for (const e of Array.isArray(c?.envFrom) ? c.envFrom : []) {
      if (typeof e?.configMapRef?.name === 'string') names.add(e.configMapRef.name);
    }
    for (const e of Array.isArray(c?.env) ? c.env : []) {
      if (typeof e?.valueFrom?.configMapKeyRef?.name === 'string') names.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  return [...names].sort();
}
