/**
 * Data types of the LlamaStackDistribution conversion (plain data, shared by the construct and the CLI).
 */

/** Options of a v1alpha1 to v1alpha2 LlamaStackDistribution conversion. */
export interface LlamaStackConversionOptions {
  /**
   * Turn the environment variables the starter distribution reads into declarative config:
   * `OLLAMA_URL` + `OLLAMA_INFERENCE_MODEL` into an ollama inference provider and a model, `VLLM_URL` +
   * `INFERENCE_MODEL` + `VLLM_API_KEY` (a secretKeyRef) into a vllm provider with `secretRefs.api_key` and a
   * model. When false, every env var is copied to `workload.overrides.env` as it is, like the operator's
   * conversion webhook does.
   * @default true
   */
  readonly mapKnownEnv?: boolean;

  /**
   * The namespace a CR without `metadata.namespace` will be applied in. v1alpha2 reads the override ConfigMap
   * and the CA bundle ConfigMap from the CR's own namespace, so the converter compares their v1alpha1
   * namespaces with this one.
   * @default - unknown: a ConfigMap namespace is then kept in the extras annotation, with a warning
   */
  readonly namespace?: string;
}

/** The result of converting one v1alpha1 LlamaStackDistribution. */
export interface LlamaStackConversion {
  /** The `llamastack.io/v1alpha2` LlamaStackDistribution, in the CRD's typed form (JSON data). */
  readonly object: object;
  /** What did not carry over as it was, one sentence each, naming the v1alpha1 field. */
  readonly warnings: string[];
}

/** The result of normalizing a v1alpha2 LlamaStackDistribution written in the migration guide's draft forms. */
export interface LlamaStackNormalization {
  /** The LlamaStackDistribution in the CRD's typed form (JSON data). */
  readonly object: object;
  /** Each draft form that was rewritten, one sentence each, naming the field. Empty for a typed object. */
  readonly differences: string[];
}

/** Options of converting the LlamaStackDistributions of a set of YAML documents. */
export interface LlamaStackDocumentOptions extends LlamaStackConversionOptions {
  /**
   * The directory the converted files are written to, as the step-by-step instructions name it.
   * @default '.'
   */
  readonly outDir?: string;

  /**
   * Validate every converted object against the pinned LlamaStackDistribution CRD (OpenAPI schema and CEL
   * rules); a problem is an Error naming the object.
   * @default true
   */
  readonly validate?: boolean;
}

/** One converted LlamaStackDistribution. */
export interface LlamaStackConvertedObject {
  /** The v1alpha2 object, in the CRD's typed form (JSON data). */
  readonly object: object;
  /** File name for it: `<namespace>-<name>.yaml`, or `<name>.yaml` without a namespace. */
  readonly fileName: string;
  /** The apiVersion it was read as: `llamastack.io/v1alpha1`, or `llamastack.io/v1alpha2` for a draft or typed object. */
  readonly sourceApiVersion: string;
  /** What did not carry over (v1alpha1) or which draft form was rewritten (v1alpha2), one sentence each. */
  readonly warnings: string[];
}

/** The result of converting the LlamaStackDistributions of a set of YAML documents. */
export interface LlamaStackDocumentConversion {
  /** The converted objects, in input order. */
  readonly converted: LlamaStackConvertedObject[];
  /** Every warning of every object, then notes on documents that were skipped (other kinds). */
  readonly warnings: string[];
  /** The step-by-step migration, as plain text with the object names and files filled in. */
  readonly instructions: string;
}
