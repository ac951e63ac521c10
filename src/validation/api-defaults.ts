/**
 * The API server's defaulting of built-in kinds, applied before their schema is checked, as the API server does:
 * it decodes an object, runs the `SetDefaults_*` functions registered for its group and version, and only then
 * validates. Without this a validator refuses what every cluster accepts: GIE's own quickstarts v0.2.0..v0.4.0
 * (`config/manifests/inferencepool-resources.yaml`) bind `pod-read` with a roleRef that has no apiGroup.
 *
 * Only the defaults that can change what the schema check finds are applied (a required field filled, a volume
 * given its source); a default that fills an optional field with a value the schema accepts anyway (a Deployment's
 * replicas, a Service's type) would change no verdict. Each entry names the upstream file, tag and function.
 * Pure: objects in, a defaulted copy and the list of what was set out.
 */

/** A default the API server sets on an object of a built-in kind. */
export interface ApiServerDefault {
  /** The field, e.g. `roleRef.apiGroup`, `subjects[0].apiGroup`. */
  readonly field: string;
  /** The value set. */
  readonly value: unknown;
}

/** The defaulting of one built-in kind: where upstream does it, and the function that does it here. */
export interface KindDefaults {
  /** `group/version`, or `version` for the core group. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Upstream: `kubernetes/kubernetes <file>@<tag> <functions>`. */
  readonly upstream: string;
  /** Sets the defaults on `obj` (a copy the caller owns); returns what it set. */
  readonly apply: (obj: any) => ApiServerDefault[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const RBAC_DEFAULTS = 'kubernetes/kubernetes pkg/apis/rbac/v1/defaults.go@v1.35.0';
const CORE_DEFAULTS = 'kubernetes/kubernetes pkg/apis/core/v1/defaults.go@v1.35.0';

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding, then SetDefaults_Subject for each subject. */
function bindingDefaults(obj: any): ApiServerDefault[] {
  const set: ApiServerDefault[] = [];
  if (isObject(obj.roleRef) && (obj.roleRef.apiGroup === undefined || obj.roleRef.apiGroup === '')) {
    obj.roleRef.apiGroup = RBAC_GROUP;
    set.push({ field: 'roleRef.apiGroup', value: RBAC_GROUP });
  }
  list(obj.subjects).forEach((s, i) => {
    if (!isObject(s) || (s.apiGroup !== undefined && s.apiGroup !== '')) return;
    // A ServiceAccount subject's default is "", which the API server stores as no apiGroup at all: nothing to set.
    const group = s.kind === 'User' || s.kind === 'Group' ? RBAC_GROUP : undefined;
    if (group === undefined) return;
    s.apiGroup = group;
    set.push({ field: `subjects[${i}].apiGroup`, value: group });
  });
  return set;
}

/** SetDefaults_ContainerPort and SetDefaults_Volume on a pod spec at `path`. */
function podSpecDefaults(spec: unknown, path: string): ApiServerDefault[] {
  if (!isObject(spec)) return [];
  const set: ApiServerDefault[] = [];
  for (const key of ['initContainers', 'containers']) {
    list(spec[key]).forEach((c, i) => {
      list(isObject(c) ? c.ports : undefined).forEach((p, j) => {
        if (!isObject(p) || (p.protocol !== undefined && p.protocol !== '')) return;
        p.protocol = 'TCP';
        set.push({ field: `${path}.${key}[${i}].ports[${j}].protocol`, value: 'TCP' });
      });
    });
  }
  list(spec.volumes).forEach((v, i) => {
    if (!isObject(v) || Object.keys(v).some((k) => k !== 'name')) return;
    v.emptyDir = {};
    set.push({ field: `${path}.volumes[${i}].emptyDir`, value: {} });
  });
  return set;
}

/** SetDefaults_Service: each port's protocol (TCP). */
function serviceDefaults(obj: any): ApiServerDefault[] {
  const set: ApiServerDefault[] = [];
  list(obj.spec?.ports).forEach((p, i) => {
    if (!isObject(p) || (p.protocol !== undefined && p.protocol !== '')) return;
    p.protocol = 'TCP';
    set.push({ field: `spec.ports[${i}].protocol`, value: 'TCP' });
  });
  return set;
}

const withTemplate = (obj: any) => podSpecDefaults(obj.spec?.template?.spec, 'spec.template.spec');

/** The built-in kinds whose defaulting can change a schema verdict, with the upstream function of each. */
export const API_SERVER_DEFAULTS: readonly KindDefaults[] = [
  { apiVersion: `${RBAC_GROUP}/v1`, kind: 'RoleBinding', upstream: `${RBAC_DEFAULTS} SetDefaults_RoleBinding, SetDefaults_Subject`, apply: bindingDefaults },
  { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', upstream: `${RBAC_DEFAULTS} SetDefaults_ClusterRoleBinding, SetDefaults_Subject`, apply: bindingDefaults },
  { apiVersion: 'v1', kind: 'Service', upstream: `${CORE_DEFAULTS} SetDefaults_Service`, apply: serviceDefaults },
  { apiVersion: 'v1', kind: 'Pod', upstream: `${CORE_DEFAULTS} SetDefaults_ContainerPort, SetDefaults_Volume`, apply: (obj) => podSpecDefaults(obj.spec, 'spec') },
  { apiVersion: 'apps/v1', kind: 'Deployment', upstream: `${CORE_DEFAULTS} SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)`, apply: withTemplate },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', upstream: `${CORE_DEFAULTS} SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)`, apply: withTemplate },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', upstream: `${CORE_DEFAULTS} SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)`, apply: withTemplate },
  { apiVersion: 'batch/v1', kind: 'Job', upstream: `${CORE_DEFAULTS} SetDefaults_ContainerPort, SetDefaults_Volume (on the pod template)`, apply: withTemplate },
];

const BY_KIND = new Map(API_SERVER_DEFAULTS.map((d) => [`${d.apiVersion}/${d.kind}`, d]));

/**
 * The object as the API server sees it after defaulting, and what was set; the object itself is not changed. An
 * object of a kind without such defaults comes back as it is.
 */
export function withApiServerDefaults<T extends Record<string, any>>(obj: T): { readonly object: T; readonly applied: ApiServerDefault[] } {
  const defaults = BY_KIND.get(`${obj.apiVersion}/${obj.kind}`);
  if (!defaults) return { object: obj, applied: [] };
  const copy = JSON.parse(JSON.stringify(obj)) as T;
  const applied = defaults.apply(copy);
  return { object: applied.length > 0 ? copy : obj, applied };
}
