/**
 * Validates objects read from a directory with the library's ManifestValidator and places each problem
 * at its file, line (of the field, where the YAML has it), object and field.
 */
import { fieldLine, InputProblem, objectRef, SourceObject } from './repo-reader';
import { ManifestValidator } from '../validation';

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
