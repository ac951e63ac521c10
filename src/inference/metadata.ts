/**
 * The `metadata` prop of the inference constructs: checked and merged with the construct's own labels.
 * Internal.
 */
import { IConstruct } from 'constructs';
import { ResourceMetadata } from './types';
import { propError, show } from '../core/errors';
import { checkLabelKey, checkLabels } from '../core/names';

/** Labels and annotations, ready for an object's metadata (empty maps left out). */
export interface RenderedMetadata {
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

/**
 * Checks `metadata` (named `prop`) and merges its labels after `own`; a label the construct sets itself is
 * refused.
 */
export function resolveMetadata(scope: IConstruct, prop: string, metadata: ResourceMetadata | undefined,
  own: { [key: string]: string } = {}): RenderedMetadata {
  if (metadata === undefined) return Object.keys(own).length > 0 ? { labels: { ...own } } : {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw propError(scope, prop, `must be an object with labels and annotations (got ${show(metadata)})`);
  }
  const labels = metadata.labels ?? {};
  checkLabels(scope, `${prop}.labels`, labels, 0, Number.MAX_SAFE_INTEGER);
  for (const key of Object.keys(labels)) {
    if (key in own) throw propError(scope, `${prop}.labels`, `sets ${show(key)}, which the construct sets itself (to ${show(own[key])}): choose another key`);
  }
  const annotations = metadata.annotations ?? {};
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) {
    throw propError(scope, `${prop}.annotations`, `must be a map of annotation keys to values (got ${show(annotations)})`);
  }
  for (const [key, value] of Object.entries(annotations)) {
    checkLabelKey(scope, `${prop}.annotations`, key);
    if (typeof value !== 'string') throw propError(scope, `${prop}.annotations.${key}`, `must be a string (got ${show(value)})`);
  }
  const allLabels = { ...own, ...labels };
  return {
    ...(Object.keys(allLabels).length > 0 ? { labels: allLabels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
}

