/**
 * The name patterns of Kubernetes' apimachinery validation, shared by the constructs' prop checks and
 * the manifest validator.
 */

/** DNS-1123 label: namespaces, and names that end up inside other names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: object names of most kinds, label-key prefixes. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1035 label: Service names (must start with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Qualified name: the name part of label and annotation keys, and non-empty label values. */
export const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Gateway API hostname: a DNS-1123 subdomain, optionally starting with `*.`. */
export const GATEWAY_HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What is wrong with a suffix for object names (e.g. the GA pool's `-ga`), or undefined when it keeps names valid. */
export function nameSuffixProblem(value: string): string | undefined {
  if (typeof value === 'string' && /^[-.a-z0-9]{0,39}[a-z0-9]$/.test(value) && !/\.\.|\.-|-\./.test(value)) return undefined;
  return `must be 1..40 lower-case letters, digits, '-' and '.', ending in a letter or digit, such as -ga (got ${JSON.stringify(value)})`;
}
