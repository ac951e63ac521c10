/**
 * The one error class of the output module, and the translation of Node's file system errors
 * (ENOTDIR, EISDIR, ENAMETOOLONG, ...) into messages that name the path and say what went wrong.
 */

import { UserError } from '../core/errors';

/**
 * Output refused or failed. The message names the folder or file and what to do; the CLI prints it
 * and exits 1.
 */
export class OutputError extends UserError {
  public constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

const REASONS: { readonly [code: string]: string } = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long for the file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EEXIST: 'it exists already',
  ENOENT: 'it does not exist',
  ENOTEMPTY: 'the folder is not empty',
  EBUSY: 'it is busy (a mount point?)',
  EXDEV: 'it is on another file system (a mount point?)',
  ELOOP: 'it is a symbolic link',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error',
  EINVAL: 'invalid argument',
};

/** Why a file system call failed, in words, with Node's code. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return e instanceof Error ? e.message : String(err);
}

/**
 * Runs `fn`; a file system error becomes an OutputError `<where>: cannot <action>: <reason>`. An
 * OutputError passes through unchanged.
 */
export function attempt<T>(where: string, action: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OutputError) throw err;
    throw new OutputError(`${where}: cannot ${action}: ${describeFsError(err)}`);
  }
}

/** The error code of a file system error, if any. */
export function codeOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : undefined;
}
