/**
 * The one in-place edit of a user's file (for `inference-migrate promote`, which moves a GitOps
 * object's path to the next stage folder). The file is replaced only when it still has the content it
 * had when it was read, through a temporary file in the same folder renamed over it, with the file's
 * permission bits, owner and group. A symbolic link, a special file and a file with several hard links
 * (which a rename would silently split) are refused, never followed or edited.
 *
 * No edit made while it runs is lost, whatever the editor does: a hard link to the original is kept
 * aside before the rename, and the original is hashed again through it afterwards; when it changed
 * (an `echo >>` through a descriptor opened before the rename), the original is put back and the
 * error says so. What remains is the window after that second hash (see docs/safety.md).
 *
 * Leftovers of a killed run (`.inference-migrate-<pid>-<sha>.tmp` and `.before`) are its own: the
 * pid is of a dead process of this host and the content has the sha256 the name starts with. The next
 * edit in that folder removes them; any other file is left alone.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt, codeOf } from './errors';
import { kindOf, lstatOrUndefined, permissionBits, readRegularFile, sha256, sha256OfFile, symlinkError } from './fs-safe';
import { isDeadProcess } from './lock';

/** A leftover of a killed edit: `.inference-migrate-<pid>-<16 hex of its content's sha256>.<tmp|before>`. */
const LEFTOVER = /^\.inference-migrate-(\d{1,10})-([0-9a-f]{16})\.(tmp|before)$/;

/** Hex digits of the sha256 in a leftover's name. */
const NAME_HASH = 16;

/** How an in-place edit reports and can be observed. */
export interface EditOptions {
  /** Hears about leftovers of killed edits: removed, or left because they hold content the tool did not write. */
  readonly report?: (notice: string) => void;
  /** Called before each step (`write`, `link`, `rename`, `rehash`, `restore`): lets tests act at any moment. */
  readonly beforeChange?: (what: string) => void;
}

/**
 * Replaces the content of the file `file` with `content`, provided its content still has the sha256
 * `expectedSha256` (taken when the caller read it). Returns the sha256 of the new content. Throws an
 * OutputError naming the file, with nothing changed, when it is a symbolic link, not a regular file,
 * has several hard links, changed since it was read, or changed while it was replaced (then the
 * original, with that change, is back in place).
 */
export function replaceFileContent(file: string, expectedSha256: string, content: string | Uint8Array, options: EditOptions = {}): string {
  const abs = path.resolve(file);
  const hook = options.beforeChange ?? (() => undefined);
  // First, so that the link a killed run kept aside does not count as a second link of the file.
  removeLeftovers(path.dirname(abs), path.dirname(file), options.report);
  const stat = checkEditable(abs, file);
  const changed = () => new OutputError(`${file} was changed after it was read (its sha256 differs): nothing was written; read it again and retry`);
  if (sha256OfFile(abs, file) !== expectedSha256) throw changed();

  const dir = path.dirname(abs);
  const tmp = path.join(dir, leftoverName(sha256(content), 'tmp'));
  const before = path.join(dir, leftoverName(expectedSha256, 'before'));
  const shown = (p: string) => path.join(path.dirname(file), path.basename(p));
  let placed = false;
  try {
    hook('write');
    writeLike(tmp, shown(tmp), content, stat);
    hook('link');
    attempt(shown(before), 'keep a link to the original aside', () => fs.linkSync(abs, before));
    // Checked once more right before the rename: an edit made meanwhile is never overwritten silently.
    const now = lstatOrUndefined(abs, file);
    if (!now || now.ino !== stat.ino || now.dev !== stat.dev || sha256OfFile(before, shown(before)) !== expectedSha256) throw changed();
    hook('rename');
    attempt(file, 'replace it', () => fs.renameSync(tmp, abs));
    placed = true;
    // Writes through a descriptor opened before the rename land in the original, kept aside.
    hook('rehash');
    if (sha256OfFile(before, shown(before)) !== expectedSha256) {
      hook('restore');
      attempt(file, 'put the original back', () => fs.renameSync(before, abs));
      throw new OutputError(`${file} was edited while inference-migrate replaced it: the edited file is back in place and nothing was promoted; `
        + 'run the command again');
    }
  } finally {
    if (!placed) fs.rmSync(tmp, { force: true });
    if (lstatOrUndefined(before, shown(before))) fs.unlinkSync(before);
  }
  return sha256(content);
}

/** The lstat of a file that may be edited in place; refuses anything else, naming it. */
function checkEditable(abs: string, file: string): fs.Stats {
  const stat = lstatOrUndefined(abs, file);
  if (!stat) throw new OutputError(`${file}: cannot update it: it does not exist`);
  if (stat.isSymbolicLink()) throw symlinkError(file);
  if (!stat.isFile()) throw new OutputError(`${file}: cannot update it: it is ${kindOf(stat)}, not a file`);
  if (stat.nlink > 1) {
    throw new OutputError(`${file}: cannot update it: it has ${stat.nlink} hard links, and replacing it would split them (the other names would keep the old content); `
      + 'edit the path by hand, or give a file with one link');
  }
  return stat;
}

/** Writes `content` to the new file `tmp` with the permission bits, owner and group of `like`, flushed. */
function writeLike(tmp: string, display: string, content: string | Uint8Array, like: fs.Stats): void {
  const mode = permissionBits(like);
  attempt(display, 'write the new content', () => {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeFileSync(fd, content);
      fs.fchmodSync(fd, mode);
      if (typeof process.getuid === 'function' && (like.uid !== process.getuid() || like.gid !== process.getgid!())) {
        try {
          fs.fchownSync(fd, like.uid, like.gid);
        } catch (err) {
          if (codeOf(err) !== 'EPERM') throw err;
          throw new OutputError(`${display}: cannot give the new content the owner and group of the file (uid ${like.uid}, gid ${like.gid}): `
            + 'run as that user (or as root); nothing was changed');
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  });
}

/** The name of a temporary file of this process whose content has the sha256 `hash`. */
function leftoverName(hash: string, kind: 'tmp' | 'before'): string {
  return `.inference-migrate-${process.pid}-${hash.slice(0, NAME_HASH)}.${kind}`;
}

/** Removes the leftovers of killed edits in `dir` (see LEFTOVER): only those that prove to be such. */
function removeLeftovers(dir: string, display: string, report: ((notice: string) => void) | undefined): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = LEFTOVER.exec(name);
    if (!m || !isDeadProcess(Number(m[1]))) continue;
    const abs = path.join(dir, name);
    const shown = path.join(display, name);
    const stat = lstatOrUndefined(abs, shown);
    if (!stat?.isFile()) continue;
    // A `.before` with another name beside it loses nothing; alone, only while it holds what its name says.
    const own = (m[3] === 'before' && stat.nlink > 1) || (stat.nlink === 1 && hashOf(abs, shown).startsWith(m[2]));
    if (!own) {
      report?.(`${shown} is left from an interrupted run of inference-migrate promote and holds content it did not write: look at it, then remove it`);
      continue;
    }
    fs.unlinkSync(abs);
    report?.(`removed ${shown}, left by an interrupted run of inference-migrate promote`);
  }
}

function hashOf(abs: string, display: string): string {
  try {
    return sha256(readRegularFile(abs, display));
  } catch {
    return '';
  }
}

/** A user's file as read for an in-place edit: its text, and the sha256 that replaceFileContent checks. */
export interface FileForEdit {
  readonly text: string;
  readonly sha256: string;
}

/**
 * Reads the file `file` for an in-place edit: refuses a symbolic link (never followed), anything but a
 * regular file (checked after a non-blocking open: a FIFO never hangs it), a file larger than 16 MiB,
 * and content that is not UTF-8 text. Pass `sha256` to replaceFileContent.
 */
export function readFileForEdit(file: string): FileForEdit {
  const abs = path.resolve(file);
  if (!lstatOrUndefined(abs, file)) throw new OutputError(`${file}: no such file`);
  const bytes = readRegularFile(abs, file);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new OutputError(`${file}: not UTF-8 text: cannot edit it`);
  return { text, sha256: sha256(bytes) };
}
