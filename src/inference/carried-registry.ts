/**
 * Which API objects carry an object from Git, and what they rendered when they were made: the GitOps
 * writer writes such an object as its original text while it is unchanged. Internal.
 */
import { ApiObject } from 'cdk8s';
import { CarriedManifest } from '../core/carried-manifest';

/** An API object made from a carried manifest. */
export interface CarriedSource {
  /** The manifest it was made from. */
  readonly manifest: CarriedManifest;
  /** Its JSON when it was made: a different JSON at synthesis means it was changed afterwards. */
  readonly rendered: object;
}

const registry = new WeakMap<ApiObject, CarriedSource>();

/** Records that `obj` carries `manifest`; call once the object is complete. */
export function recordCarried(obj: ApiObject, manifest: CarriedManifest): void {
  registry.set(obj, { manifest, rendered: obj.toJson() });
}

/** The carried manifest of `obj`, if it carries one. */
export function carriedSourceOf(obj: ApiObject): CarriedSource | undefined {
  return registry.get(obj);
}
