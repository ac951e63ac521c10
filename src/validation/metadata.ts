// Checks of apiVersion/kind/metadata that the API server applies to every object, whatever its kind
// (k8s.io/apimachinery ObjectMeta validation: names, namespace, label and annotation keys and values).
import { isPlainObject, joinMapKey, joinProperty, showValue } from './paths';
import { showField } from './redact';
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, QUALIFIED_NAME } from '../core/name-patterns';

/** A problem found by a check, before it is tied to an object label. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Built-in kinds that are cluster-scoped: they must not carry metadata.namespace. */
const CLUSTER_SCOPED_CORE_KINDS = new Set([
  'v1/Namespace', 'v1/Node', 'v1/PersistentVolume', 'v1/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition', 'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'scheduling.k8s.io/PriorityClass', 'node.k8s.io/RuntimeClass', 'networking.k8s.io/IngressClass',
  'certificates.k8s.io/CertificateSigningRequest', 'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

/** True when a built-in kind (by API group, '' or 'v1' for the core group) is cluster-scoped. */
export function isClusterScopedCoreKind(group: string, kind: string): boolean {
  return CLUSTER_SCOPED_CORE_KINDS.has(`${group === '' ? 'v1' : group}/${kind}`);
}

/** Splits an apiVersion into group and version: "apps/v1" -> ["apps", "v1"], "v1" -> ["", "v1"]. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Problems with a DNS-1123 subdomain (e.g. most object names): at most 253 characters, lower case, dots allowed. */
export function checkDnsSubdomain(value: string): string | undefined {
  if (value.length > 253) return `must be no more than 253 characters (got ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `must be a lowercase RFC 1123 subdomain: lower case alphanumerics, '-' and '.', starting and ending with an alphanumeric (got ${showValue(value)})`;
  }
  return undefined;
}

/** Problems with a DNS-1123 label (e.g. namespace names): at most 63 characters, lower case, no dots. */
export function checkDnsLabel(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return `must be a lowercase RFC 1123 label: lower case alphanumerics and '-', starting and ending with an alphanumeric (got ${showValue(value)})`;
  }
  return undefined;
}

/** Problems with a DNS-1035 label (Service names): at most 63 characters, lower case, starting with a letter. */
export function checkDns1035Label(value: string): string | undefined {
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!DNS1035_LABEL.test(value)) {
    return `must be a lowercase RFC 1035 label: lower case alphanumerics and '-', starting with a letter and ending with an alphanumeric (got ${showValue(value)})`;
  }
  return undefined;
}

// RBAC objects only need a name that is a valid URL path segment (e.g. "system:auth-delegator").
function checkPathSegmentName(value: string): string | undefined {
  if (value === '.' || value === '..') return `may not be '.' or '..' (got ${showValue(value)})`;
  if (/[/%]/.test(value)) return `may not contain '/' or '%' (got ${showValue(value)})`;
  return undefined;
}

/** The name rule the API server applies to a kind (by API group): most kinds need a DNS-1123 subdomain. */
export function nameChecker(group: string, kind: string): (name: string) => string | undefined {
  if (group === 'rbac.authorization.k8s.io') return checkPathSegmentName;
  if (group === '' && kind === 'Service') return checkDns1035Label;
  if (group === '' && kind === 'Namespace') return checkDnsLabel;
  return checkDnsSubdomain;
}

/** Problems with a label or annotation key: optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function checkQualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `must be a qualified name: an optional DNS subdomain prefix and '/', then a name (got ${showValue(key)})`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0] === '') return `prefix must be non-empty (got ${showValue(key)})`;
    const prefixProblem = checkDnsSubdomain(parts[0]);
    if (prefixProblem) return `prefix part ${prefixProblem}`;
  }
  if (name === '') return `name part must be non-empty (got ${showValue(key)})`;
  if (name.length > 63) return `name part must be no more than 63 characters (got ${name.length})`;
  if (!QUALIFIED_NAME.test(name)) {
    return `name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (got ${showValue(name)})`;
  }
  return undefined;
}

/**
 * Problems with a label value: empty, or at most 63 alphanumerics, '-', '_' or '.', starting and ending with an
 * alphanumeric. `show` renders the value in the message.
 */
export function checkLabelValue(value: unknown, show: (value: unknown) => string = showValue): string | undefined {
  if (typeof value !== 'string') return `must be a string (got ${show(value)})`;
  if (value.length > 63) return `must be no more than 63 characters (got ${value.length})`;
  if (!LABEL_VALUE.test(value)) {
    return `must be empty or consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (got ${show(value)})`;
  }
  return undefined;
}

type ValueCheck = (value: unknown, show: (value: unknown) => string) => string | undefined;

/** Checks labels or annotations; values show in messages only where they cannot be secrets. */
function checkStringMap(kind: unknown, map: unknown, path: string, checkValue: ValueCheck): FieldProblem[] {
  if (map === undefined || map === null) return [];
  if (!isPlainObject(map)) return [{ field: path, message: `must be a map of strings (got ${showField(kind, path, map)})` }];
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(map)) {
    const field = joinMapKey(path, key);
    const keyProblem = checkQualifiedName(key);
    if (keyProblem) problems.push({ field, message: `key ${keyProblem}` });
    const valueProblem = checkValue(value, (v) => showField(kind, field, v));
    if (valueProblem) problems.push({ field, message: `value ${valueProblem}` });
  }
  return problems;
}

function checkAnnotationValue(value: unknown, show: (value: unknown) => string): string | undefined {
  return typeof value === 'string' ? undefined : `must be a string (got ${show(value)})`;
}

/** Where a kind lives: 'Cluster', 'Namespaced', or undefined when not known. */
export type Scope = 'Cluster' | 'Namespaced' | undefined;

/**
 * Checks apiVersion, kind and metadata of any object. `scope` says whether the kind is cluster-scoped (then a
 * namespace is a problem); a namespaced kind is fine with or without a namespace (kubectl fills in the default).
 */
export function checkObjectMeta(obj: Record<string, any>, scope: Scope): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') problems.push({ field: 'apiVersion', message: 'required field is missing' });
  if (typeof obj.kind !== 'string' || obj.kind === '') problems.push({ field: 'kind', message: 'required field is missing' });
  const meta = obj.metadata;
  if (!isPlainObject(meta)) {
    problems.push({ field: 'metadata', message: meta === undefined ? 'required field is missing' : `must be an object (got ${showField(obj.kind, 'metadata', meta)})` });
    return problems;
  }
  const { group } = splitApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  if (typeof meta.name !== 'string' || meta.name === '') {
    problems.push({ field: 'metadata.name', message: meta.name === undefined ? 'required field is missing' : `must be a non-empty string (got ${showValue(meta.name)})` });
  } else {
    const nameProblem = nameChecker(group, String(obj.kind))(meta.name);
    if (nameProblem) problems.push({ field: 'metadata.name', message: nameProblem });
  }
  problems.push(...checkNamespace(meta.namespace, scope, String(obj.kind)));
  problems.push(...checkStringMap(obj.kind, meta.labels, 'metadata.labels', checkLabelValue));
  problems.push(...checkStringMap(obj.kind, meta.annotations, 'metadata.annotations', checkAnnotationValue));
  if (isPlainObject(meta.annotations)) {
    const size = Object.entries(meta.annotations).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    if (size > MAX_ANNOTATIONS_BYTES) {
      problems.push({ field: 'metadata.annotations', message: `total size must be no more than ${MAX_ANNOTATIONS_BYTES} bytes (got ${size})` });
    }
  }
  return problems;
}

function checkNamespace(namespace: unknown, scope: Scope, kind: string): FieldProblem[] {
  if (namespace === undefined || namespace === '') return [];
  const field = joinProperty('metadata', 'namespace');
  if (scope === 'Cluster') return [{ field, message: `must not be set: ${kind} is cluster-scoped (got ${showValue(namespace)})` }];
  if (typeof namespace !== 'string') return [{ field, message: `must be a string (got ${showValue(namespace)})` }];
  const problem = checkDnsLabel(namespace);
  return problem ? [{ field, message: problem }] : [];
}
