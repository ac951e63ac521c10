/**
 * Reads one input file as text the way Kubernetes reads manifests: UTF-8 (a UTF-8 byte order mark is
 * allowed), within a size limit. Anything else is a problem with the file's place, never replacement
 * characters or a silent skip.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { InputProblem } from './sources';
import { formatBytes, openRegularFile, readBounded } from '../output/fs-safe';

export { formatBytes } from '../output/fs-safe';

/** The size limit of one input file unless the caller raises it: 16 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The text of a file, or the problem that kept it from being read. */
export type FileText = { readonly text: string; readonly mode?: number } | { readonly problem: InputProblem };

/** The problem of a text of `bytes` bytes (undefined: more than `maxBytes`) that is larger than `maxBytes`, or undefined. */
export function sizeProblem(file: string, bytes: number | undefined, maxBytes: number): InputProblem | undefined {
  if (bytes !== undefined && bytes <= maxBytes) return undefined;
  return {
    file,
    line: 0,
    message: `${bytes !== undefined ? `is ${formatBytes(bytes)}, above` : 'is larger than'} the size limit of ${formatBytes(maxBytes)} for one input file; ` +
      'if it really is one manifest file, raise the limit (--max-file-size, or the maxFileSize option)',
  };
}

/**
 * Reads `abs` (shown as `file`) as UTF-8 text. Problems: not a regular file (checked with fstat after a
 * non-blocking open, so a FIFO or a device swapped in after the directory was listed is refused, never
 * waited on or read), a symbolic link (unless `followLinks`: a file the user named), larger than
 * `maxBytes` (also when it grows while it is read), not readable, UTF-16 or UTF-32 (a byte order mark),
 * or bytes that are not UTF-8 (with the line and column of the first).
 */
export function readInputFile(abs: string, file: string, maxBytes: number, followLinks = false): FileText {
  let bytes: Buffer | undefined;
  let mode: number;
  try {
    const { fd, stat } = openRegularFile(abs, file, { maxBytes: Number.MAX_SAFE_INTEGER, followLinks });
    try {
      mode = stat.mode % 0o10000;
      const tooBig = sizeProblem(file, stat.size, maxBytes);
      if (tooBig) return { problem: tooBig };
      bytes = readBounded(fd, file, maxBytes, stat.size);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    return { problem: { file, line: 0, message: `cannot be read: ${readProblem(err, file)}` } };
  }
  // The file grew since it was measured.
  if (bytes === undefined) return { problem: sizeProblem(file, undefined, maxBytes)! };
  const decoded = decodeUtf8(bytes, file);
  return 'text' in decoded ? { text: decoded.text, mode } : decoded;
}

/** Decodes manifest bytes: UTF-8 only (a UTF-8 byte order mark is dropped). */
export function decodeUtf8(bytes: Buffer, file: string): FileText {
  const wide = wideEncoding(bytes);
  if (wide) {
    return { problem: { file, line: 1, message: `is encoded as ${wide} (byte order mark): Kubernetes reads manifests as UTF-8; convert it, e.g. iconv -f ${wide} -t UTF-8` } };
  }
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, at);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = at - (before.lastIndexOf(0x0a) + 1) + 1;
    return {
      problem: {
        file,
        line,
        message: `is not valid UTF-8 (byte 0x${bytes[at].toString(16).padStart(2, '0')} at column ${column}): ` +
          'Kubernetes reads manifests as UTF-8; save the file as UTF-8 (it may be Latin-1 or Windows-1252)',
      },
    };
  }
  const text = bytes.toString('utf8');
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

function wideEncoding(b: Buffer): string | undefined {
  if (b.length >= 4 && b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32BE';
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'UTF-32LE';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE';
  return undefined;
}

/**
 * Offset of the first byte that does not belong to a well-formed UTF-8 sequence (the table of RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF); the length when there is none.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  const inRange = (i: number, lo: number, hi: number) => i < b.length && b[i] >= lo && b[i] <= hi;
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    // The allowed range of the second byte, and how many bytes the sequence has.
    let second: [number, number];
    let length: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      second = [0x80, 0xbf]; length = 2;
    } else if (c === 0xe0) {
      second = [0xa0, 0xbf]; length = 3;
    } else if (c === 0xed) {
      second = [0x80, 0x9f]; length = 3;
    } else if (c >= 0xe1 && c <= 0xef) {
      second = [0x80, 0xbf]; length = 3;
    } else if (c === 0xf0) {
      second = [0x90, 0xbf]; length = 4;
    } else if (c === 0xf4) {
      second = [0x80, 0x8f]; length = 4;
    } else if (c >= 0xf1 && c <= 0xf3) {
      second = [0x80, 0xbf]; length = 4;
    } else {
      return i;
    }
    if (!inRange(i + 1, second[0], second[1])) return i;
    for (let k = 2; k < length; k++) {
      if (!inRange(i + k, 0x80, 0xbf)) return i;
    }
    i += length;
  }
  return b.length;
}

/** Why a file could not be read, without its name and Node's wording: `permission denied (EACCES)`. */
export function readProblem(err: unknown, file: string): string {
  return systemMessage(err).replace(`${file}: `, '').replace(/^cannot (read the file|read it|read its status): /, '');
}

/** The message of a file system error without Node's stack: `EACCES: permission denied`. */
export function systemMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    const text = String(e.message ?? '').replace(/,\s*\w+ '.*'$/, '');
    return text === '' ? e.code : text;
  }
  return err instanceof Error ? err.message : String(err);
}
