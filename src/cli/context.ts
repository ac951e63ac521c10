/**
 * What every command gets: where to print, the package version, exit codes, and the errors that map
 * to them. Light: loaded at start-up.
 */
import * as path from 'path';

/** Exit codes shared by all commands (scan adds 2 and 3). */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** Bad input, failed validation, refused output. */
  FAILURE: 1,
  /** Usage error: unknown flag, missing argument, bad flag value (EX_USAGE). */
  USAGE: 64,
  /** Internal error: a bug in this tool (EX_SOFTWARE). */
  INTERNAL: 70,
} as const;

/** Where the CLI prints. */
export interface CliIo {
  /** True when stderr is a terminal: progress is printed there (unless --quiet). */
  readonly stderrIsTerminal?: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Shared by the commands of one run. */
export interface CliContext {
  readonly io: CliIo;
  /** Version of the package. */
  readonly version: string;
  /** Exit code the command chose (0 unless set). */
  exitCode: number;
}

/**
 * A usage error found by a command after commander parsed the flags (e.g. two flags that cannot be
 * combined): exit 64, with the command's usage.
 */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A progress line on stderr for long runs, only when stderr is a terminal and --quiet is not given
 * (pipes and CI logs stay clean).
 */
export function progress(io: CliIo, quiet: boolean | undefined, text: string): void {
  if (io.stderrIsTerminal && !quiet) io.stderr(`${text}\n`);
}

/** Prints warnings to stderr, one `warning:` line (or paragraph) each. */
export function printWarnings(io: CliIo, warnings: string[]): void {
  for (const w of warnings) io.stderr(`warning: ${w.split('\n').join('\n  ')}\n`);
}

/**
 * Prints what was skipped while reading: the notable skips (symbolic links, templates, Helm charts,
 * special files) always, the routine ones (kustomizations, values files, ...) with --verbose.
 */
export function printSkipped(
  io: CliIo,
  root: string,
  skipped: ReadonlyArray<{ file: string; line: number; reason: string; notable?: boolean }>,
  verbose: boolean | undefined,
): void {
  for (const s of skipped) {
    if (verbose || s.notable) io.stderr(`skipped ${displayPath(root, s.file)}${s.line > 0 ? `:${s.line}` : ''}: ${s.reason}\n`);
  }
}

/** `dir/file` with `/` separators, as the user gave `dir` ('' for no directory). */
export function displayPath(root: string, file: string): string {
  return (root === '' ? file : path.join(root, file)).split(path.sep).join('/');
}
