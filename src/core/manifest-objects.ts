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
  if (out.annotations && LAST_APPLIED in out.annotations) {
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
