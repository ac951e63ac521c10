/**
 * Small helpers on Kubernetes objects as parsed from YAML (plain data): shared by the converters, the
 * migrations that carry existing objects, and the CLI's library functions.
 */

/** Metadata the API server writes: never part of a manifest to apply. */
const SERVER_METADATA = [
  'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds',
];
/** kubectl's record of the last applied object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Metadata as desired state: without what the API server and kubectl fill in (shallow copy). */
export function desiredMetadata(metadata: any): any {
  const out: any = { ...metadata };
  for (const f of SERVER_METADATA) delete out[f];
  if (out.annotations !== null && typeof out.annotations === 'object' && LAST_APPLIED in out.annotations) {
    const { [LAST_APPLIED]: _, ...annotations } = out.annotations;
    if (Object.keys(annotations).length > 0) out.annotations = annotations;
    else delete out.annotations;
  }
  return out;
}

/** An object as desired state: without status and server-filled metadata (shallow copy). */
export function desiredState(obj: any): any {
  const { status, ...rest } = obj;
  return { ...rest, metadata: desiredMetadata(obj.metadata) };
}

/**
 * The documents with every list document (`kind: List` or `<Kind>List` with `items`, as `kubectl get -o
 * yaml` writes several objects) replaced by its items, recursively; empty documents dropped.
 */
export function listItems(docs: any[]): any[] {
  const out: any[] = [];
  for (const d of docs) {
    if (d === null || d === undefined) continue;
    if (typeof d === 'object' && !Array.isArray(d) && typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items)) {
      out.push(...listItems(d.items));
    } else {
      out.push(d);
    }
  }
  return out;
}

/** True when two JSON values are equal, whatever the order of their keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  const ka = Object.keys(a as object).filter((k) => (a as any)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as any)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as any)[k], (b as any)[k]));
}
