import { convertLlamaStackDocuments, scanLlamaStackDocuments } from './convert-files';
import { convertLlamaStackDistribution, normalizeLlamaStackDraft } from '../convert/llamastack';
import { EXTRAS_ANNOTATION } from '../convert/llamastack-api';
import {
  LlamaStackConversion,
  LlamaStackConversionOptions,
  LlamaStackDocumentConversion,
  LlamaStackDocumentOptions,
  LlamaStackNormalization,
} from '../convert/llamastack-types';

/**
 * Converts LlamaStackDistributions from `llamastack.io/v1alpha1` to `v1alpha2` (the operator's migration guide,
 * with the typed forms of the operator's CRD), as plain data. The `LlamaStackDistribution` construct and the CLI
 * use the same functions.
 */
export class LlamaStackConverter {
  /**
   * The annotation that keeps v1alpha1 fields v1alpha2 lacks (container name, terminationGracePeriodSeconds,
   * ConfigMap namespaces, CA bundle keys), as one JSON object: the one the operator's conversion webhook reads.
   */
  public static readonly EXTRAS_ANNOTATION: string = EXTRAS_ANNOTATION;

  /**
   * Converts a v1alpha1 LlamaStackDistribution (as parsed from YAML) into v1alpha2, in the CRD's typed form.
   * Throws an Error naming the field for input v1alpha2 cannot express (a userConfig ConfigMap in another
   * namespace than the CR).
   *
   * @param v1alpha1 the `llamastack.io/v1alpha1` object
   * @param options how env vars and ConfigMap namespaces are treated
   */
  public static convert(v1alpha1: object, options?: LlamaStackConversionOptions): LlamaStackConversion {
    return convertLlamaStackDistribution(v1alpha1, options);
  }

  /**
   * Rewrites a v1alpha2 LlamaStackDistribution written in the migration guide's draft forms (`expose: true`, a
   * single provider object, `apiKey`) into the CRD's typed forms, listing each rewrite.
   *
   * @param v1alpha2 the `llamastack.io/v1alpha2` object
   */
  public static normalizeDraft(v1alpha2: object): LlamaStackNormalization {
    return normalizeLlamaStackDraft(v1alpha2);
  }

  /**
   * Converts every LlamaStackDistribution of parsed YAML documents (v1alpha1, or v1alpha2 in draft or typed
   * form), checks the v1alpha2 rules and the CRD, and returns the objects, the warnings and the migration steps.
   * Other kinds are skipped with a note; bad input is an Error naming the object.
   *
   * @param documents the parsed YAML documents (`List` documents are opened)
   * @param options conversion, validation and where the files go
   */
  public static convertDocuments(documents: object[], options?: LlamaStackDocumentOptions): LlamaStackDocumentConversion {
    return convertLlamaStackDocuments(documents, options);
  }

  /**
   * One line per LlamaStackDistribution that needs migrating: v1alpha1 objects, and v1alpha2 objects in the
   * guide's draft forms (which the CRD rejects). Never throws.
   *
   * @param documents the parsed YAML documents (`List` documents are opened)
   */
  public static scanDocuments(documents: object[]): string[] {
    return scanLlamaStackDocuments(documents);
  }

  private constructor() {}
}
