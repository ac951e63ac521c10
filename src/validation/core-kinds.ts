// Built-in Kubernetes kinds and Istio DestinationRules, validated with the generated validators of the
// kubernetes-models packages; GKE policy kinds, Argo CD's Application and Flux's Kustomization (the gitops/ examples
// plan writes) with the generated validators pinned in imports/crds.lock.json ("validators": made by
// @kubernetes-models/gke 4.6.2, argo-cd 2.7.2 (Argo CD v2.14.11) and flux-cd 2.3.4 (kustomize-controller v1.2.2)
// from the upstream CRDs, fetched with the CRDs). Each validator is loaded on first use of its kind.
import * as fs from 'fs';
import { pinnedValidators } from './crd-store';
import { loadModule } from './lazy';
import { FieldProblem } from './metadata';
import { ajvErrorsToProblems } from './openapi';
import { pointerToPath } from './paths';
import { findUnreadFields } from './strict-fields';

/** Third-party kinds this library emits, by apiVersion/kind, and the kubernetes-models module that knows them. */
const THIRD_PARTY_MODELS: Record<string, string> = {
  'networking.istio.io/v1beta1/DestinationRule': '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule',
  'networking.istio.io/v1alpha3/DestinationRule': '@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule',
  'networking.istio.io/v1alpha3/EnvoyFilter': '@kubernetes-models/istio/networking.istio.io/v1alpha3/EnvoyFilter',
};

/**
 * Versions a package does not hold, validated with the schema of another version of the same CRD. Istio serves
 * DestinationRule v1alpha3, v1beta1 and v1 from one CRD whose versions share one schema (generated from one proto:
 * @kubernetes-models/istio 3.0.1's three DestinationRule validators differ only in apiVersion), and upstream GIE
 * v0.5.1 and v1.0.0 ship `networking.istio.io/v1` DestinationRules; the bundled @kubernetes-models/istio 2.3.0 has
 * no v1 (3.x brings a second copy of the kubernetes-models runtime, which the package budget cannot carry).
 */
const SAME_SCHEMA_AS: Record<string, string> = {
  'networking.istio.io/v1/DestinationRule': 'networking.istio.io/v1beta1',
};

const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  /** The model's validate() runs on `this`, so it can be called on any object. */
  readonly prototype: { validate(): void };
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

let pinned: ReturnType<typeof pinnedValidators> | undefined;

/**
 * A model class around a pinned validator, built the way kubernetes-models builds its own classes (the
 * @kubernetes-models/base Model with the validate function set), so that the checks are the same.
 */
function pinnedModel(apiVersion: string, kind: string): ModelClass | null {
  pinned ??= pinnedValidators();
  const entry = pinned.get(`${apiVersion}/${kind}`);
  if (!entry) return null;
  if (!fs.existsSync(entry.file)) {
    throw new Error(`the validator of ${apiVersion} ${kind} is missing (${entry.file}): run \`npx projen fetch-crds\``);
  }
  const validate = loadModule(entry.file).validate;
  const base = loadModule('@kubernetes-models/base');
  const Model = class extends base.Model {
    public static readonly apiVersion = apiVersion;
    public static readonly kind = kind;
    constructor(data: unknown) {
      super();
      this.setDefinedProps({ apiVersion, kind, ...(data as object) });
    }
  };
  base.setValidateFunc(Model, validate);
  return Model as unknown as ModelClass;
}

function loadModel(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key)!;
  const alias = SAME_SCHEMA_AS[key];
  if (alias) {
    const model = loadModel(alias, kind);
    modelCache.set(key, model);
    return model;
  }
  let model: ModelClass | null = pinnedModel(apiVersion, kind);
  const id = model ? undefined : moduleId(apiVersion, kind);
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

/** What the validator of a built-in (or GKE/Istio) kind found. */
export interface CoreObjectReport {
  /** Schema problems. */
  readonly problems: FieldProblem[];
  /** Fields the kind's schema does not declare (strict field validation), `status` aside. */
  readonly unknownFields: string[];
}

/**
 * Validates a built-in (or GKE/Istio) object. The kind must be known (isKnownCoreKind). The model's validator runs
 * on a copy that records which fields it reads, so fields the schema does not declare are found too.
 */
export function validateCoreObject(obj: Record<string, any>): CoreObjectReport {
  const Model = loadModel(obj.apiVersion, obj.kind)!;
  const alias = SAME_SCHEMA_AS[`${obj.apiVersion}/${obj.kind}`];
  // The aliased schema checks its own apiVersion: validate with it, report paths as they are.
  const { status: _status, ...desired } = alias ? { ...obj, apiVersion: alias } : obj;
  const { result: problems, unread } = findUnreadFields(desired, Model.prototype, (copy) => {
    try {
      Model.prototype.validate.call(copy);
      return [];
    } catch (err) {
      const errors = (err as { errors?: unknown }).errors;
      if (Array.isArray(errors)) return ajvErrorsToProblems(errors, obj, (pointer) => pointerToPath(obj, pointer));
      return [{ field: '', message: (err as Error).message }];
    }
  });
  return { problems: [...problems, ...containerImageProblems(obj)], unknownFields: unread.filter((field) => !unreadByDesign(obj, field)) };
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: { readonly [kind: string]: string[] } = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * Every container of a pod spec needs an image: the OpenAPI schema leaves `image` optional (higher-level
 * controllers may fill it), but the API server refuses a Pod or a workload's pod template without one
 * (kubernetes v1.35 `pkg/apis/core/validation/validation.go`, validateContainerCommon: "image: Required value"),
 * as the real API server showed in the differential tests.
 */
function containerImageProblems(obj: Record<string, any>): FieldProblem[] {
  const path = POD_SPEC_PATHS[obj.kind];
  if (!path || !String(obj.apiVersion).match(/^(v1|apps\/v1|batch\/v1)$/)) return [];
  let spec: any = obj;
  for (const key of path) spec = spec?.[key];
  if (spec === null || typeof spec !== 'object') return [];
  const problems: FieldProblem[] = [];
  for (const list of ['initContainers', 'containers']) {
    if (!Array.isArray(spec[list])) continue;
    spec[list].forEach((c: any, i: number) => {
      if (c !== null && typeof c === 'object' && (typeof c.image !== 'string' || c.image.trim() === '')) {
        problems.push({ field: `${path.join('.')}.${list}[${i}].image`, message: 'is required: the API server refuses a container without an image' });
      }
    });
  }
  return problems;
}

/**
 * Fields the generated validators never read although the schema declares them: the model generator drops
 * properties named `description` and the `x-kubernetes-*` extensions of a CRD's schema.
 */
function unreadByDesign(obj: Record<string, any>, field: string): boolean {
  const group = String(obj.apiVersion).split('/')[0];
  if (group === 'scheduling.k8s.io' && obj.kind === 'PriorityClass') return field === 'description';
  if (group === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition') {
    return /^spec\.(versions\[\d+\]\.)?(schema|validation)\.openAPIV3Schema(\.|\[)/.test(field)
      || /(^|\.)additionalPrinterColumns\[\d+\]\.description$/.test(field);
  }
  return false;
}

/**
 * The fields of an ObjectMeta (the metadata of a custom resource, or of a resource embedded in one) that
 * ObjectMeta does not declare, as paths below `metadata`, e.g. `metadata.lables`.
 */
export function unknownMetadataFields(metadata: unknown): string[] {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return [];
  // Any built-in kind's validator checks its metadata as an ObjectMeta; a ConfigMap has nothing else to check.
  return validateCoreObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata }).unknownFields.filter((f) => /^metadata[.[]/.test(f));
}
