import type { IConstruct } from 'constructs';
import { propError, show } from './errors';
import { DNS1035_LABEL, DNS1123_LABEL, DNS1123_SUBDOMAIN, QUALIFIED_NAME as LABEL_NAME } from './name-patterns';

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

/** Throws unless `value` is a DNS-1123 subdomain (object names of most kinds). */
export function checkSubdomain(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw propError(scope, prop, `must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters (got ${show(value)})`);
  }
}

/** Throws unless `value` is a DNS-1123 label (namespaces, and names that end up in other names). */
export function checkLabelName(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw propError(scope, prop, `must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (got ${show(value)})`);
  }
}

/** Throws unless `value` is a DNS-1035 label (Service names: must start with a letter). */
export function checkServiceName(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || !DNS1035_LABEL.test(value)) {
    throw propError(scope, prop, `must be a DNS-1035 label (a Service name): lower-case letters, digits and '-', starting with a letter, ending with a letter or digit, at most 63 characters (got ${show(value)})`);
  }
}

/** Throws unless `key` is a valid label key (optional DNS subdomain prefix and '/', then a name of at most 63). */
export function checkLabelKey(scope: IConstruct | string, prop: string, key: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS1123_SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length > 63 || !LABEL_NAME.test(name)) {
    throw propError(scope, prop, `has an invalid label key ${show(key)}: an optional DNS subdomain prefix and '/', then at most 63 of [A-Za-z0-9-_.] starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a valid label value (empty, or at most 63 of [A-Za-z0-9-_.] with alphanumeric ends). */
export function checkLabelValue(scope: IConstruct | string, prop: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
    throw propError(scope, prop, `must be a valid label value: empty, or at most 63 of [A-Za-z0-9-_.] starting and ending with a letter or digit (got ${show(value)})`);
  }
}

/** Throws unless `labels` is a map of valid label keys and values with `min..max` entries. */
export function checkLabels(scope: IConstruct | string, prop: string, labels: { [key: string]: string } | undefined, min: number, max: number): void {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw propError(scope, prop, `must be a map of label keys to values with ${min}..${max} entries (got ${show(labels)})`);
  }
  const entries = Object.entries(labels);
  if (entries.length < min || entries.length > max) {
    throw propError(scope, prop, `must have ${min}..${max} entries (got ${entries.length})`);
  }
  for (const [key, value] of entries) {
    checkLabelKey(scope, prop, key);
    checkLabelValue(scope, `${prop}.${key}`, value);
  }
}

/** Throws unless `name` is an HTTP header name (RFC 7230 token). */
export function checkHeaderName(scope: IConstruct | string, prop: string, name: string): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > 256 || !HEADER_NAME.test(name)) {
    throw propError(scope, prop, `must be an HTTP header name (RFC 7230 token characters, 1..256) (got ${show(name)})`);
  }
}

/** Cuts `value` to at most `max` characters, as Helm's `trunc` does. */
export function trunc(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

/** The chart's EPP name: the release (pool) name cut to 40 characters, then `-epp`. */
export function endpointPickerName(poolName: string): string {
  return `${trunc(poolName.toLowerCase().trim(), 40)}-epp`;
}

/** The chart's name for cluster-scoped EPP RBAC: unique per pool and namespace. */
export function clusterRbacName(poolName: string, namespace: string): string {
  return `${trunc(poolName.toLowerCase().trim(), 40)}-${trunc(namespace.toLowerCase().trim(), 40)}-epp`;
}
