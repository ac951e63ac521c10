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
const NONBLOCK = (fs.constants as any).O_NONBLOCK ?? 0;

/** The size limit of a file the tool reads back from a folder it wrote (marker, journal, plan.json, lock): 16 MiB. */
export const MAX_OWN_FILE_BYTES = 16 * 1024 * 1024;

/** How a file is opened for reading. */
export interface ReadOptions {
  /** Refuse a file larger than this many bytes (the error names the limit). Default: MAX_OWN_FILE_BYTES. */
  readonly maxBytes?: number;
  /** Follow a symbolic link (only for a path the user named on the command line). Default: false. */
  readonly followLinks?: boolean;
  /** What raises the limit, for the error message, e.g. `--max-file-size`. Default: none named. */
  readonly limitHint?: string;
}

/**
 * Opens `abs` for reading without blocking and without following a link (unless asked), and checks
 * with fstat on the open descriptor that it is a regular file: a FIFO, a device or a socket is
 * refused before a byte is read, so nothing can make a read hang or run without end. Returns the
 * descriptor and its status; the caller closes it.
 */
export function openRegularFile(abs: string, display: string, options: ReadOptions = {}): { fd: number; stat: fs.Stats } {
  if (!options.followLinks) {
    // Platforms without O_NOFOLLOW (Windows) still refuse a link seen by lstat.
    const before = lstatOrUndefined(abs, display);
    if (before?.isSymbolicLink()) throw symlinkError(display);
  }
  let fd: number;
  try {
    // Distinct flag bits: their sum is their union.
    fd = fs.openSync(abs, fs.constants.O_RDONLY + NONBLOCK + (options.followLinks ? 0 : NOFOLLOW));
  } catch (err) {
    if (codeOf(err) === 'ELOOP' && !options.followLinks) throw symlinkError(display);
    return attempt(display, 'read the file', () => {
      throw err;
    });
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new OutputError(`${display}: expected a regular file, found ${kindOf(stat)}: it is not read`);
    const limit = options.maxBytes ?? MAX_OWN_FILE_BYTES;
    if (stat.size > limit) throw tooLarge(display, stat.size, limit, options.limitHint);
    return { fd, stat };
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

/**
 * The content of a regular file, at most `maxBytes` bytes (also when it grows while it is read); a
 * symbolic link (unless `followLinks`) or anything but a regular file is refused, never followed or
 * read: see openRegularFile.
 */
export function readRegularFile(abs: string, display: string, options: ReadOptions = {}): Buffer {
  const limit = options.maxBytes ?? MAX_OWN_FILE_BYTES;
  const { fd, stat } = openRegularFile(abs, display, options);
  try {
    const bytes = readBounded(fd, display, limit, stat.size);
    if (bytes === undefined) throw tooLarge(display, undefined, limit, options.limitHint);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads the open descriptor `fd` to its end, but never more than `limit` bytes: undefined when there
 * is more (the rest is not read, so an endless stream costs at most `limit` bytes of memory). A
 * descriptor in non-blocking mode (a pipe on standard input) is waited for.
 */
export function readBounded(fd: number, display: string, limit: number, sizeHint = 0): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(Math.min(Math.max(sizeHint + 1, 64 * 1024), 1024 * 1024, limit + 1));
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if (codeOf(err) === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      if (codeOf(err) === 'EOF') break; // Windows: a closed pipe
      return attempt(display, 'read it', () => {
        throw err;
      });
    }
    if (n === 0) break;
    total += n;
    if (total > limit) return undefined;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

/** sha256 (hex) of a regular file's content, read in pieces (any size); links and special files are refused. */
export function sha256OfFile(abs: string, display: string): string {
  const { fd } = openRegularFile(abs, display, { maxBytes: Number.MAX_SAFE_INTEGER });
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.alloc(1024 * 1024);
    for (;;) {
      const n = attempt(display, 'read the file', () => fs.readSync(fd, chunk, 0, chunk.length, null));
      if (n === 0) break;
      hash.update(chunk.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(display: string, bytes: number | undefined, limit: number, hint: string | undefined): OutputError {
  return new OutputError(`${display}: ${bytes !== undefined ? `is ${formatBytes(bytes)}, above` : 'is larger than'} the size limit of ${formatBytes(limit)}`
    + `${hint !== undefined ? `; if it really is that large, raise the limit (${hint})` : ': it is not read'}`);
}

/** `16 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  const units: Array<[number, string]> = [[1024 * 1024 * 1024, 'GiB'], [1024 * 1024, 'MiB'], [1024, 'KiB']];
  for (const [size, unit] of units) {
    if (n >= size) {
      const v = n / size;
      return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
    }
  }
  return `${n} byte${n === 1 ? '' : 's'}`;
}

/**
 * The lstat of `rel` (a checked relative path, `/` separators) inside the folder `root`, provided no
 * part of the way is a symbolic link: every folder on the way is checked with lstat, and a link (or a
 * file where a folder should be) is refused with an OutputError naming it. Undefined when `rel` (or a
 * folder on the way) does not exist. Node has no openat: a link swapped in after this check and before
 * the caller's own call is not seen (see docs/safety.md).
 */
export function lstatInside(root: string, rootDisplay: string, rel: string): fs.Stats | undefined {
  const parts = rel.split('/');
  let abs = root;
  let display = rootDisplay;
  for (const [i, part] of parts.entries()) {
    abs = path.join(abs, part);
    display = path.join(display, part);
    const stat = lstatOrUndefined(abs, display);
    if (!stat) return undefined;
    if (stat.isSymbolicLink()) throw symlinkError(display);
    if (i < parts.length - 1 && !stat.isDirectory()) throw new OutputError(`${display} is ${kindOf(stat)}, where a folder was expected`);
    if (i === parts.length - 1) return stat;
  }
  return undefined;
}

/** The permission bits of a file (mode without the file type). */
export function permissionBits(stat: fs.Stats): number {
  return stat.mode % 0o10000;
}

/**
 * The read and write bits of `mode` for a file the tool writes in place of a user's (no execute, setuid,
 * setgid or sticky bit): 0600 stays 0600, 0755 becomes 0644.
 */
export function fileModeLike(mode: number): number {
  let out = 0;
  for (const place of [64, 8, 1]) {
    const digit = Math.floor(mode / place) % 8;
    out += (digit - (digit % 2)) * place;
  }
  return out;
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
