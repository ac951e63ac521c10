/**
 * Validates objects read from a directory with the library's ManifestValidator and places each problem
 * at its file, line (of the field, where the YAML has it), object and field.
 */
import { fieldLine, InputProblem, objectRef, SourceObject } from './repo-reader';
import { DEFAULT_CRD_BUNDLES, ManifestValidator } from '../validation';

/**
 * A validator for the manifests of a migration to a GIE bridge release: that release's CRDs instead of the default
 * GIE v1.0.2 ones (plus the alpha InferenceModel's, Gateway API's, KServe's and LlamaStack's).
 */
export function validatorFor(gieVersion: string): ManifestValidator {
  return new ManifestValidator({ crdBundles: DEFAULT_CRD_BUNDLES.map((b) => (b === 'gie-v1.0.2' ? `gie-${gieVersion}` : b)) });
}

/** A validation problem of an object read from a file. */
export interface SourceProblem extends InputProblem {
  /** `Kind namespace/name`. */
  readonly object: string;
  /** The field path, e.g. `spec.rules[0].backendRefs[1].weight` ('' for the whole object). */
  readonly field: string;
  /** Which check found it (schema, cel, metadata, core, unknown-kind, unknown-field). */
  readonly source: string;
}

/** Validates each object; returns the problems in file order. */
export function validateSources(sources: SourceObject[], validator: ManifestValidator = new ManifestValidator()): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const s of sources) {
    const report = validator.validate([s.object]);
    for (const p of report.problems) {
      problems.push({
        file: s.file,
        line: fieldLine(s, p.field),
        object: objectRef(s.object),
        field: p.field,
        source: p.source,
        message: `${objectRef(s.object)}: ${p.field === '' ? '' : `${p.field}: `}${p.message} [${p.source}]`,
      });
    }
  }
  return problems;
}
