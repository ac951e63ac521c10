// Built-in Kubernetes kinds, GKE policy kinds and Istio DestinationRules, validated with the generated validators
// of the kubernetes-models packages. Each model module is required on first use of its kind.
import { loadModule } from './lazy';
import { FieldProblem } from './metadata';
import { ajvErrorsToProblems } from './openapi';
import { pointerToPath } from './paths';

/** Third-party kinds this library emits, by apiVersion/kind, and the kubernetes-models module that knows them. */
const THIRD_PARTY_MODELS: Record<string, string> = {
  'networking.gke.io/v1/HealthCheckPolicy': '@kubernetes-models/gke/networking.gke.io/v1/HealthCheckPolicy',
  'networking.gke.io/v1/GCPBackendPolicy': '@kubernetes-models/gke/networking.gke.io/v1/GCPBackendPolicy',
  'networking.istio.io/v1beta1/DestinationRule': '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule',
  'networking.istio.io/v1alpha3/DestinationRule': '@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule',
};

const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: unknown): { validate(): void };
}

const modelCache = new Map<string, ModelClass | null>();

/** Module id of the kubernetes-models class for a built-in apiVersion/kind, e.g. kubernetes-models/apps/v1/Deployment. */
function moduleId(apiVersion: string, kind: string): string | undefined {
  const thirdParty = THIRD_PARTY_MODELS[`${apiVersion}/${kind}`];
  if (thirdParty) return thirdParty;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  if ((group !== '' && !GROUP.test(group)) || !VERSION.test(version) || !KIND.test(kind)) return undefined;
  return group === '' ? `kubernetes-models/v1/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

function loadModel(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key)!;
  let model: ModelClass | null = null;
  const id = moduleId(apiVersion, kind);
  if (id) {
    try {
      const candidate = loadModule(id)[kind] as ModelClass | undefined;
      // Only top-level resources qualify (the packages also hold nested types such as DeploymentSpec).
      if (candidate && candidate.apiVersion === apiVersion && candidate.kind === kind) model = candidate;
    } catch (err) {
      // Not a kind the package knows: no such file, or a group the package does not export.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw err;
    }
  }
  modelCache.set(key, model);
  return model;
}

/** True when a kubernetes-models validator exists for the apiVersion/kind. */
export function isKnownCoreKind(apiVersion: string, kind: string): boolean {
  return loadModel(apiVersion, kind) !== null;
}

/** Validates a built-in (or GKE/Istio) object; returns its problems. The kind must be known (isKnownCoreKind). */
export function validateCoreObject(obj: Record<string, any>): FieldProblem[] {
  const Model = loadModel(obj.apiVersion, obj.kind)!;
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return ajvErrorsToProblems(errors, obj, (pointer) => pointerToPath(obj, pointer));
    return [{ field: '', message: (err as Error).message }];
  }
}
