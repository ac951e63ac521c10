/**
 * The one in-place edit of a user's file (for `inference-migrate promote`, which moves a GitOps
 * object's path to the next stage folder): the file is replaced only when it still has the content it
 * had when it was read, through a temporary file in the same folder renamed over it, keeping its
 * permission bits. A symbolic link is refused, never followed.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt } from './errors';
import { kindOf, lstatOrUndefined, permissionBits, readRegularFile, sha256, symlinkError } from './fs-safe';

/**
 * Replaces the content of the file `file` with `content`, provided its content still has the sha256
 * `expectedSha256` (taken when the caller read it). The new content is written to a temporary file in
 * the same folder, flushed, given the file's permission bits, and renamed over the file: a reader sees
 * the old content or the new one, never a mix. Returns the sha256 of the new content. Throws an
 * OutputError naming the file when it is a symbolic link, not a regular file, or changed since.
 */
export function replaceFileContent(file: string, expectedSha256: string, content: string | Uint8Array): string {
  const abs = path.resolve(file);
  const stat = lstatOrUndefined(abs, file);
  if (!stat) throw new OutputError(`${file}: cannot update it: it does not exist`);
  if (stat.isSymbolicLink()) throw symlinkError(file);
  if (!stat.isFile()) throw new OutputError(`${file}: cannot update it: it is ${kindOf(stat)}, not a file`);
  const unchanged = () => sha256(readRegularFile(abs, file)) === expectedSha256;
  const changed = () => new OutputError(`${file} was changed after it was read (its sha256 differs): nothing was written; read it again and retry`);
  if (!unchanged()) throw changed();

  const mode = permissionBits(stat);
  // A short name of its own, so a file name near the length limit still leaves room for it.
  const tmp = path.join(path.dirname(abs), `.inference-migrate-${randomBytes(6).toString('hex')}.tmp`);
  const tmpDisplay = path.join(path.dirname(file), path.basename(tmp));
  let renamed = false;
  try {
    attempt(tmpDisplay, 'write the new content', () => {
      const fd = fs.openSync(tmp, 'wx', mode);
      try {
        fs.writeFileSync(fd, content);
        fs.fchmodSync(fd, mode);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
    // Checked once more right before the rename: an edit made meanwhile is never overwritten silently.
    const now = lstatOrUndefined(abs, file);
    if (!now || now.isSymbolicLink() || !now.isFile() || !unchanged()) throw changed();
    attempt(file, 'replace it', () => fs.renameSync(tmp, abs));
    renamed = true;
  } finally {
    if (!renamed) fs.rmSync(tmp, { force: true });
  }
  return sha256(content);
}

/** A user's file as read for an in-place edit: its text, and the sha256 that replaceFileContent checks. */
export interface FileForEdit {
  readonly text: string;
  readonly sha256: string;
}

/**
 * Reads the file `file` for an in-place edit: refuses a symbolic link (never followed), anything but a
 * regular file, and content that is not UTF-8 text. Pass `sha256` to replaceFileContent.
 */
export function readFileForEdit(file: string): FileForEdit {
  const abs = path.resolve(file);
  if (!lstatOrUndefined(abs, file)) throw new OutputError(`${file}: no such file`);
  const bytes = readRegularFile(abs, file);
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new OutputError(`${file}: not UTF-8 text: cannot edit it`);
  return { text, sha256: sha256(bytes) };
}
