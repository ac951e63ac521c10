import { IConstruct } from 'constructs';
import { GA_POOL_GROUP } from './api';
import { IInferencePoolBackend } from './types';
import { propError, show } from '../core/errors';
import { resolveNamespace } from '../core/namespace';

/**
 * The checks of an object that names a GA pool in its `poolRef` (InferenceObjective, InferenceModelRewrite):
 * the `pool` prop is a pool of the GA group, and the object lives in the pool's namespace (a poolRef has no
 * namespace). Returns the object's namespace: `namespace`, else the pool's. `kinds` names what the EPP reads
 * (e.g. "objectives"), for the message about alpha pools.
 */
export function gaPoolReference(scope: IConstruct, pool: IInferencePoolBackend | undefined, namespace: string | undefined, kinds: string): string {
  if (!pool || typeof pool.poolName !== 'string') {
    throw propError(scope, 'pool', `must be an InferencePoolGa or another pool backend (got ${show(pool)})`);
  }
  if (pool.poolGroup !== GA_POOL_GROUP) {
    throw propError(scope, 'pool', `must be a GA pool (group ${GA_POOL_GROUP}); ${pool.poolName} is in group ${pool.poolGroup}, whose v0.x EPP reads InferenceModels, not ${kinds}`);
  }
  const resolved = resolveNamespace(scope, 'namespace', namespace ?? pool.poolNamespace);
  if (resolved !== pool.poolNamespace) {
    throw propError(scope, 'namespace', `must be the pool's namespace ${show(pool.poolNamespace)}: poolRef cannot cross namespaces (got ${show(resolved)})`);
  }
  return resolved;
}
