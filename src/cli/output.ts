/**
 * `--out` of the commands that write: the flags that say how an earlier output is treated, and the
 * calls into the output module (loaded when a command runs). Light: loaded at start-up.
 */
import { Option } from 'commander';
import { CliContext, printWarnings } from './context';
import { load } from './lazy';
import type * as ActiveStage from '../migration/active-stage';
import type * as Output from '../output';

/** The flags of a command that writes. */
export interface OutFlags {
  readonly out: string;
  readonly force?: boolean;
  readonly keepUnknownFiles?: boolean;
}

/** `--force`: replace an earlier output. */
export function forceOption(): Option {
  return new Option('--force', 'replace an earlier output of this tool in --out (only the files it wrote, and only while unchanged)');
}

/** `--keep-unknown-files`: keep other files in --out instead of refusing. */
export function keepUnknownFilesOption(): Option {
  return new Option('--keep-unknown-files', 'with --force: keep files in --out that this tool did not write (or that were changed since) where they are, instead of refusing');
}

/**
 * Opens `--out` for writing: refuses it when it may not be written (inside `from`, a symbolic link,
 * another run writing it, files the tool did not write), locks it and finishes an interrupted earlier
 * run; prints what that recovery did (also when --out is then refused).
 */
export function openOut(
  ctx: CliContext,
  command: string,
  flags: OutFlags,
  from?: { readonly path: string; readonly label: string },
): Output.OutputDirectory {
  const output = load<typeof Output>('../output');
  const out = output.OutputDirectory.open(flags.out, {
    command,
    label: `--out ${flags.out}`,
    replace: flags.force ?? false,
    replaceHint: 'add --force',
    keepUnknownFiles: flags.keepUnknownFiles ?? false,
    keepHint: 'add --keep-unknown-files',
    ...(from !== undefined ? { notInside: from } : {}),
    // What the recovery of an interrupted run did is printed at once, also when --out is then refused.
    report: (notice) => printWarnings(ctx.io, [notice]),
  });
  return out;
}

/**
 * Writes `files` into `--out` (and releases it); prints what a user should know. A migration folder of the
 * earlier output that `promote` recorded as live (`<migration>/active-stage.json`) must keep that stage folder
 * in the new output, else nothing is written; its record is carried over.
 */
export function writeOut(ctx: CliContext, out: Output.OutputDirectory, files: Output.OutputFile[], label: string): Output.OutputResult {
  const output = load<typeof Output>('../output');
  const { ACTIVE_STAGE_FILE, keepActiveStages } = load<typeof ActiveStage>('../migration/active-stage');
  const kept = keepActiveStages(output.readRecords(out.path, ACTIVE_STAGE_FILE, 'subfolders'), files, label);
  const result = out.write(kept);
  printWarnings(ctx.io, result.notices);
  return result;
}

/** The line that lists the files kept in `--out`, or nothing. */
export function keptLines(result: Output.OutputResult): string[] {
  if (result.kept.length === 0) return [];
  return [`kept ${result.kept.length} file${result.kept.length === 1 ? '' : 's'} in --out that inference-migrate did not write: ${result.kept.join(', ')}`];
}
