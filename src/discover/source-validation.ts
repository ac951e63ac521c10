/**
 * Validates objects read from a directory with the library's ManifestValidator and places each problem
 * at its file, line (of the field, where the YAML has it), object and field.
 */
import { systemMessage } from './input-files';
import { fieldLine, InputError, InputProblem, objectRef, SourceObject } from './repo-reader';
import { DEFAULT_CRD_BUNDLES, ManifestValidator } from '../validation';

/**
 * A validator for the manifests of a migration to a GIE bridge release: that release's CRDs instead of the default
 * GIE v1.0.2 ones (plus the alpha InferenceModel's, Gateway API's, KServe's and LlamaStack's).
 */
export function validatorFor(gieVersion: string): ManifestValidator {
  return new ManifestValidator({ crdBundles: bundlesFor(gieVersion) });
}

function bundlesFor(gieVersion: string): string[] {
  return DEFAULT_CRD_BUNDLES.map((b) => (b === 'gie-v1.0.2' ? `gie-${gieVersion}` : b));
}

/**
 * A validator with the default bundles (or those of a GIE bridge release) and the CRDs under `crdPaths` (files or directories the user
 * named): a path that cannot be read, or a CRD that clashes with a bundle, is an InputError naming it.
 */
export function validatorWithCrds(crdPaths: string[], gieVersion?: string): ManifestValidator {
  try {
    return new ManifestValidator({ extraCrdPaths: crdPaths, ...(gieVersion !== undefined ? { crdBundles: bundlesFor(gieVersion) } : {}) });
  } catch (err) {
    const message = systemMessage(err);
    const named = crdPaths.find((p) => message.includes(p)) ?? crdPaths.join(', ');
    throw new InputError([{ file: named, line: 0, message: `--crds: ${message}` }], '');
  }
}

/**
 * Input that does not pass validation, with the platform each migration was planned for (one line per note, in the
 * order `plan` prints them), so that the platform can be shown first: it often explains the problem.
 */
export class InvalidInputError extends InputError {
  /** Per migration: `name: gateway ...; provider ...`, then the evidence, indented. */
  public readonly platformLines: string[];
  public constructor(problems: InputProblem[], displayRoot: string, platformLines: string[]) {
    super(problems, displayRoot);
    this.name = 'InvalidInputError';
    this.platformLines = platformLines;
  }
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
