/**
 * Names the output module uses and enforces: the marker file, the limit of a file name, and the
 * deterministic shortening of names that would exceed it. Pure: no file system access.
 */
import { createHash } from 'crypto';

/**
 * The marker at the root of every folder the tool wrote (`--out` of the CLI, each migration folder of
 * the GitOpsWriter): which files it wrote, with their sha256. Only those files are ever replaced or
 * removed, and only while their sha256 still matches.
 */
export const OUTPUT_MARKER = '.inference-migrate-output.json';

/** The marker of `--out` written by earlier releases of the CLI (it lists files with their sha256, too). */
export const LEGACY_CLI_MARKER = '.inference-migrate.json';

/** The marker of migration folders written by earlier releases of the GitOpsWriter (no file list). */
export const LEGACY_WRITER_MARKER = '.generated-by-cdk8s-inference-migration';

/** Every marker name a folder written by this tool, or by an earlier release of it, may hold. */
export const OUTPUT_MARKERS: readonly string[] = [OUTPUT_MARKER, LEGACY_CLI_MARKER, LEGACY_WRITER_MARKER];

/** The longest file name (one path segment), in bytes, that Linux, macOS and Windows file systems accept. */
export const MAX_NAME_BYTES = 255;

/** Hex digits of the sha256 suffix of a shortened name. */
const HASH_DIGITS = 10;

/**
 * `<stem><extension>`, or, when that is longer than `maxBytes` bytes (UTF-8), the stem cut short and
 * followed by `-` and the first hex digits of the sha256 of the full name: deterministic, distinct for
 * distinct full names, and never longer than `maxBytes`.
 */
export function fitFileName(stem: string, extension = '', maxBytes = MAX_NAME_BYTES): string {
  const full = `${stem}${extension}`;
  if (Buffer.byteLength(full) <= maxBytes) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_DIGITS);
  const room = maxBytes - Buffer.byteLength(extension) - HASH_DIGITS - 1;
  if (room < 1) throw new Error(`the extension ${JSON.stringify(extension)} leaves no room for a name of at most ${maxBytes} bytes`);
  return `${cutToBytes(stem, room).replace(/[-.]+$/, '')}-${hash}${extension}`;
}

/** The longest prefix of `text` of at most `bytes` UTF-8 bytes that does not split a character. */
function cutToBytes(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > bytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** Bytes a side name leaves free for the suffixes of temporary files derived from it (`-stale-<pid>`). */
const SIDE_NAME_ROOM = 24;

/**
 * Name of a file or folder the tool keeps next to the folder `name` while it writes it (lock, journal,
 * new tree, old tree): `.<name>.inference-migrate-<role>`, with `name` shortened when needed so that
 * the name, and a suffix of up to 24 bytes on it, fit in MAX_NAME_BYTES.
 */
export function sideName(name: string, role: string): string {
  const suffix = `.inference-migrate-${role}`;
  return `.${fitFileName(name, '', MAX_NAME_BYTES - SIDE_NAME_ROOM - 1 - Buffer.byteLength(suffix))}${suffix}`;
}

/**
 * What is wrong with one name the output module is asked to create (a folder or file name: a migration
 * folder, a stage folder, a file), or undefined: not empty, not `.` or `..`, no `/`, backslash, NUL or
 * other control character, at most MAX_NAME_BYTES bytes. The one rule for every path segment the
 * tool derives, so no name can lead out of the folder it is written into.
 */
export function segmentProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is empty';
  if (name === '.' || name === '..') return `is ${JSON.stringify(name)}, which would name the folder itself or its parent`;
  if (/[/\\]/.test(name)) return 'holds a path separator (/ or \\)';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'holds a control character';
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_NAME_BYTES) return `is ${bytes} bytes long; file systems allow at most ${MAX_NAME_BYTES}`;
  return undefined;
}

/**
 * Checks a relative output path (`/` separators): not absolute, and every segment passes
 * segmentProblem (so no empty, `.` or `..` part, no backslash, NUL or control character, no name
 * longer than MAX_NAME_BYTES). Returns the problem, or undefined.
 */
export function pathProblem(rel: string): string | undefined {
  if (typeof rel !== 'string' || rel === '') return 'is empty';
  if (rel.startsWith('/')) return 'is absolute';
  for (const segment of rel.split('/')) {
    const problem = segmentProblem(segment);
    if (problem !== undefined) return `has a part that ${problem}`;
  }
  return undefined;
}
