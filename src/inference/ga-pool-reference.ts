import { IConstruct } from 'constructs';
import { GA_POOL_GROUP } from './api';
import { IInferencePoolBackend } from './types';
import { propError, show } from '../core/errors';
import { placeNamespace } from '../core/namespace';

/**
 * The checks of an object that names a GA pool in its `poolRef` (InferenceObjective, InferenceModelRewrite):
 * the `pool` prop is a pool of the GA group, and the object lives in the pool's namespace (a poolRef has no
 * namespace). Returns the object's namespace by the one rule (`placeNamespace`): `namespace`, else the enclosing
 * chart's, else the pool's; any two of them that differ are an error. `kinds` names what the EPP reads (e.g.
 * "objectives"), for the messages.
 */
export function gaPoolReference(scope: IConstruct, pool: IInferencePoolBackend | undefined, namespace: string | undefined, kinds: string): string {
  if (!pool || typeof pool.poolName !== 'string') {
    throw propError(scope, 'pool', `must be an InferencePoolGa or another pool backend (got ${show(pool)})`);
  }
  if (pool.poolGroup !== GA_POOL_GROUP) {
    throw propError(scope, 'pool', `must be a GA pool (group ${GA_POOL_GROUP}); ${pool.poolName} is in group ${pool.poolGroup}, whose v0.x EPP reads InferenceModels, not ${kinds}`);
  }
  return placeNamespace(scope, 'namespace', namespace, {
    what: `the pool ${pool.poolName}`,
    namespace: pool.poolNamespace,
    why: `poolRef cannot cross namespaces, so ${kinds} live in their pool's namespace`,
  });
}
