/**
 * Recognizing the alpha (v1alpha2) objects of the Gateway API Inference Extension in parsed YAML. Pure.
 */

const ALPHA_API = 'inference.networking.x-k8s.io/v1alpha2';

/** True when `obj` is a v1alpha2 InferencePool. */
export function isAlphaPool(obj: any): boolean {
  return obj?.apiVersion === ALPHA_API && obj?.kind === 'InferencePool';
}

/** True when `obj` is a v1alpha2 InferenceModel. */
export function isAlphaModel(obj: any): boolean {
  return obj?.apiVersion === ALPHA_API && obj?.kind === 'InferenceModel';
}
