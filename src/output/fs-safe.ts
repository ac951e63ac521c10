/**
 * The file system calls of the output module that must never follow a symbolic link: lstat instead of
 * stat, reads that refuse a link (O_NOFOLLOW where the platform has it), exclusive creation of new
 * files, and removal of the module's own temporary trees that unlinks links instead of entering them.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt, codeOf } from './errors';

/** `lstat`, or undefined when nothing is there. Other errors are OutputErrors naming `display`. */
export function lstatOrUndefined(abs: string, display: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(abs);
  } catch (err) {
    if (codeOf(err) === 'ENOENT') return undefined;
    return attempt(display, 'read its status', () => {
      throw err;
    });
  }
}

const NOFOLLOW = (fs.constants as any).O_NOFOLLOW ?? 0;

/** The content of a regular file; a symbolic link (or anything else) is refused, never followed. */
export function readRegularFile(abs: string, display: string): Buffer {
  const stat = lstatOrUndefined(abs, display);
  if (stat?.isSymbolicLink()) throw symlinkError(display);
  if (stat && !stat.isFile()) throw new OutputError(`${display}: expected a file, found ${kindOf(stat)}`);
  return attempt(display, 'read the file', () => {
    const fd = fs.openSync(abs, fs.constants.O_RDONLY + NOFOLLOW); // distinct flag bits;
    try {
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** The permission bits of a file (mode without the file type). */
export function permissionBits(stat: fs.Stats): number {
  return stat.mode % 0o10000;
}

/** sha256 of `content`, hex. */
export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The refusal of a symbolic link where the tool writes. */
export function symlinkError(display: string): OutputError {
  return new OutputError(`${display} is a symbolic link: inference-migrate never follows, replaces or removes links where it writes; ` +
    'replace the link by a real folder (or give that folder instead), then run again');
}

/** `a folder`, `a file`, `a symbolic link`, ... for messages. */
export function kindOf(stat: fs.Stats): string {
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFile()) return 'a file';
  return 'a special file (device, pipe or socket)';
}

/** Creates a new file; fails (names the path) when anything, a link included, is there already. */
export function writeNewFile(abs: string, display: string, content: string | Uint8Array, mode?: number): void {
  attempt(display, 'write the file', () => fs.writeFileSync(abs, content, { flag: 'wx', ...(mode !== undefined ? { mode } : {}) }));
}

/**
 * Removes a tree the tool created itself (a temporary folder): files and links are unlinked, folders
 * emptied then removed; a link is never followed.
 */
export function removeOwnTree(abs: string, display: string, beforeChange: (what: string) => void): void {
  const stat = lstatOrUndefined(abs, display);
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of attempt(display, 'list the folder', () => fs.readdirSync(abs))) {
      removeOwnTree(path.join(abs, name), path.join(display, name), beforeChange);
    }
    beforeChange(`rmdir ${display}`);
    attempt(display, 'remove the folder', () => fs.rmdirSync(abs));
  } else {
    beforeChange(`unlink ${display}`);
    attempt(display, 'remove the file', () => fs.unlinkSync(abs));
  }
}

/** Writes a small file atomically: a temporary file next to it, then a rename over it. */
export function writeAtomically(abs: string, tmp: string, display: string, content: string, beforeChange: (what: string) => void): void {
  beforeChange(`write ${display} (temporary)`);
  attempt(display, 'write the file', () => {
    fs.rmSync(tmp, { force: true });
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
  beforeChange(`rename ${display}`);
  attempt(display, 'write the file', () => fs.renameSync(tmp, abs));
}
