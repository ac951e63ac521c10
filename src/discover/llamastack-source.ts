/**
 * Converts the LlamaStackDistributions of manifests that were read (a file or a directory): their
 * names are checked where they were read (they become file names and kubectl commands), then the
 * library's converter does the rest. The library side of `inference-migrate convert llamastack`.
 */
import { nameProblems } from './input-names';
import type { RepoContents } from './repo-reader';
import { InputError } from './sources';
import { llamaStackLabel } from '../convert/llamastack';
import { LLSD_KIND } from '../convert/llamastack-api';
import { LlamaStackDocumentConversion, LlamaStackDocumentOptions } from '../convert/llamastack-types';
import { isUserError } from '../core/errors';
import { convertLlamaStackDocuments } from '../llamastack/convert-files';
import { fileModeLike } from '../output/fs-safe';
import { secretValues } from '../validation/redact';

/**
 * The permission bits to write a converted LlamaStackDistribution with: those of the file it was read
 * from when it holds secret values (env values), so a 0600 input is not written 0644; else undefined.
 */
export function convertedFileMode(
  repo: RepoContents, converted: { readonly kind?: unknown; readonly metadata?: any }, namespace?: string,
): number | undefined {
  const name = converted.metadata?.name;
  const ns = converted.metadata?.namespace;
  const source = repo.objects.find((s) => s.object.kind === LLSD_KIND && s.object.metadata.name === name
    && (s.object.metadata.namespace || namespace || undefined) === (ns || undefined));
  if (source?.fileMode === undefined || secretValues(converted.kind, '', converted).size === 0) return undefined;
  return fileModeLike(source.fileMode);
}

/** Converts every LlamaStackDistribution of `repo`; an InputError names the file and line of a bad name. */
export function convertLlamaStackSource(repo: RepoContents, options: LlamaStackDocumentOptions = {}): LlamaStackDocumentConversion {
  const distributions = repo.objects.filter((s) => s.object.kind === LLSD_KIND);
  const problems = distributions.flatMap((s) => nameProblems(s, s.object.metadata.namespace || options.namespace || ''));
  if (problems.length > 0) throw new InputError(problems, repo.root);
  try {
    return convertLlamaStackDocuments(repo.objects.map((s) => s.object), options);
  } catch (err) {
    // The converter names the object; add where it was read.
    if (!isUserError(err)) throw err;
    const source = distributions.find((s) => err.message.startsWith(`${llamaStackLabel(s.object)}:`));
    if (!source) throw err;
    throw new InputError([{ file: source.file, line: source.line, message: err.message }], repo.root);
  }
}
