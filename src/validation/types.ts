/**
 * One thing the Kubernetes API server would reject (or silently change) in a manifest.
 */
export interface ValidationProblem {
  /**
   * The object the problem belongs to: kind, then namespace/name for namespaced objects
   * (e.g. "HTTPRoute default/llm-route") or the bare name for cluster-scoped or unnamespaced ones
   * (e.g. "ClusterRole foo").
   */
  readonly object: string;

  /**
   * Path of the offending field inside the object, e.g. "spec.rules[0].backendRefs[1].weight".
   * Map keys are written in brackets ("metadata.labels[app]"). Empty for the whole object.
   */
  readonly field: string;

  /**
   * What is wrong and what is allowed, e.g. "must be <= 1000000 (got 2000000)". The value of a secret field (a
   * Secret's data, an env var, a field named password, token, key, secret or credential) is shown as `<redacted>`.
   */
  readonly message: string;

  /**
   * Which check found the problem: 'schema' (OpenAPI schema of a CRD), 'cel' (an x-kubernetes-validations rule),
   * 'metadata' (names, namespace, labels, annotations), 'unknown-kind' (no schema known for the apiVersion/kind),
   * 'core' (kubernetes-models validators for built-in, GKE and Istio kinds) or 'unknown-field' (a field the schema
   * does not declare: the API server's strict field validation, kubectl's default, rejects it).
   */
  readonly source: string;

  /**
   * The CEL rule text, for problems with source 'cel'.
   *
   * @default - not a CEL problem
   */
  readonly rule?: string;
}

/**
 * A field the API server's structural-schema defaulting would add to an object.
 */
export interface AppliedDefault {
  /**
   * The object, labelled like ValidationProblem.object.
   */
  readonly object: string;

  /**
   * Path of the defaulted field, e.g. "spec.endpointPickerRef.failureMode".
   */
  readonly field: string;

  /**
   * The default value the API server would write, as JSON text (e.g. `"Service"`, `1`, `[]`).
   */
  readonly value: string;
}

/**
 * The outcome of validating a list of manifests.
 */
export interface ValidationReport {
  /**
   * Every problem found, in object order. Empty when all objects are valid.
   */
  readonly problems: ValidationProblem[];

  /**
   * How many objects were checked.
   */
  readonly objectsChecked: number;

  /**
   * How many CEL rule evaluations ran (a rule on a list item counts once per item).
   */
  readonly celRulesEvaluated: number;

  /**
   * How many CEL rule evaluations were skipped because the rule is a transition rule (it uses `oldSelf`),
   * which cannot apply to a newly created object.
   */
  readonly celRulesSkipped: number;

  /**
   * Every field that API-server defaulting would add to the objects as given. An empty list proves that every
   * API default is already written out.
   */
  readonly defaultsApplied: AppliedDefault[];
}

/**
 * Options for ManifestValidator.
 */
export interface ManifestValidatorOptions {
  /**
   * CRD bundles to validate custom resources against, by their `bundle` name in imports/crds.lock.json.
   * Two bundles must not define the same group/version/kind.
   *
   * @default DEFAULT_CRD_BUNDLES
   */
  readonly crdBundles?: string[];

  /**
   * Directory holding the CRD files of the bundles (`<bundle>/<file>.yaml`, laid out as imports/crds.lock.json names
   * them, e.g. as written by `npx projen fetch-crds`), read and compiled at run time.
   *
   * @default the package's pinned CRDs, compiled when the package was built (imports/compiled)
   */
  readonly crdDir?: string;

  /**
   * More CRDs to validate against, beside the bundles: files or directories (read recursively) of YAML
   * holding CustomResourceDefinitions (apiextensions.k8s.io/v1), any number per file, e.g. cert-manager's
   * or Argo CD's. A CRD that defines a group/version/kind a bundle defines too is an error.
   *
   * @default - none
   */
  readonly extraCrdPaths?: string[];
}

/**
 * The CRD bundles used by the inference migration: GIE v1.0.2 (v1 InferencePool, v1alpha2 InferencePool and
 * InferenceObjective), GIE v0.3.0 (InferenceModel), Gateway API v1.3.0, KServe v0.15.1 and the LlamaStack operator.
 * The KServe migration uses ['gateway-api-v1.2.1', 'kserve-v0.15.1'] instead.
 */
export const DEFAULT_CRD_BUNDLES: string[] = Object.freeze([
  'gie-v1.0.2',
  'gie-v0.3.0',
  'gateway-api-v1.3.0',
  'kserve-v0.15.1',
  'llamastack-operator-pr253',
]) as string[];
