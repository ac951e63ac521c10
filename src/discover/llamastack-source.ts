/**
 * Converts the LlamaStackDistributions of manifests that were read (a file or a directory): their
 * names are checked where they were read (they become file names and kubectl commands), then the
 * library's converter does the rest. The library side of `inference-migrate convert llamastack`.
 */
import { nameProblems } from './input-names';
import type { RepoContents } from './repo-reader';
import { InputError } from './sources';
import { LlamaStackDocumentConversion, LlamaStackDocumentOptions } from '../convert/llamastack-types';
import { LLSD_KIND } from '../llamastack/api';
import { convertLlamaStackDocuments } from '../llamastack/convert-files';

/** Converts every LlamaStackDistribution of `repo`; an InputError names the file and line of a bad name. */
export function convertLlamaStackSource(repo: RepoContents, options: LlamaStackDocumentOptions = {}): LlamaStackDocumentConversion {
  const problems = repo.objects
    .filter((s) => s.object.kind === LLSD_KIND)
    .flatMap((s) => nameProblems(s, s.object.metadata.namespace || options.namespace || ''));
  if (problems.length > 0) throw new InputError(problems, repo.root);
  return convertLlamaStackDocuments(repo.objects.map((s) => s.object), options);
}
