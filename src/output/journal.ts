/**
 * The journal of a replacement: what a run of the output module is doing to a folder, kept beside it
 * (`.<name>.inference-migrate-journal.json`) so that the next run can finish or undo it after a kill.
 *
 * The journal sits in the parent of the folder, usually inside the user's Git repository, where a
 * pull request can plant one. So nothing in it is trusted: it is read as a regular file within a size
 * limit, every path in it must be a relative path inside its own temporary folder, and it is bound to
 * the run that wrote it: a random run id (kept in the journal and in the file RUN_ID_FILE of the new
 * tree, never in the committed output) and the device and inode numbers of the folders it moves, taken
 * with lstat while they were the run's own. A journal that fails any check is refused, and nothing is
 * touched. Pure apart from reading the journal.
 */
import { randomBytes } from 'crypto';
import { OutputError } from './errors';
import { MAX_OWN_FILE_BYTES, readRegularFile } from './fs-safe';
import { pathProblem } from './names';
import { jsonSyntaxProblem } from '../core/json';

/**
 * The file in the root of a new tree that holds the run id while the tree is temporary; it is removed
 * before the tree becomes the output, so the committed output (and its marker) never hold it.
 */
export const RUN_ID_FILE = '.inference-migrate-run';

/** Where a folder is: its device and inode numbers (decimal strings: they may exceed 2^53). */
export interface FolderIdentity {
  readonly dev: string;
  readonly ino: string;
}

/** A file of the old output that the swap removes: proven by its sha256. */
export interface JournalRemoval {
  readonly path: string;
  readonly sha256: string;
}

/** The journal of a replacement. */
export interface Journal {
  readonly tool: 'inference-migrate';
  /** `prepare`: the new tree is being written (undo: remove it). `swap`: committed (finish it). */
  readonly step: 'prepare' | 'swap';
  /** The random id of the run that wrote the journal. */
  readonly run: string;
  /** The new tree, once made. */
  readonly fresh?: FolderIdentity;
  /** The folder as it was before the swap moved it aside (absent: there was none). */
  readonly target?: FolderIdentity;
  /** Files of the old output to remove once the new one is in place (paths relative to it). */
  readonly remove?: JournalRemoval[];
  /** Files and folders of the old output to move into the new one (paths relative to both). */
  readonly keep?: string[];
}

/** A new run id: 32 hex digits. */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

/** The journal's text. */
export function renderJournal(journal: Journal): string {
  return `${JSON.stringify(journal)}\n`;
}

const RUN_ID = /^[0-9a-f]{32}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const NUMBER = /^\d{1,40}$/;

/**
 * Reads and checks the journal at `abs` (shown as `display`). Throws an OutputError that says what is
 * wrong and what to do (`advice`) when it is not a regular file within the size limit, not a journal
 * of this release, or names a path that is not a plain relative path.
 */
export function readJournal(abs: string, display: string, advice: string): Journal {
  let text: string;
  try {
    text = readRegularFile(abs, display, { maxBytes: MAX_OWN_FILE_BYTES }).toString('utf8');
  } catch (err) {
    throw new OutputError(`${display} cannot be read (${firstLine(err)}); nothing was changed: ${advice}`);
  }
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // Never the JSON parser's own message: it quotes the file's text.
    throw new OutputError(`${display} cannot be read (${jsonSyntaxProblem(err, text)}); nothing was changed: ${advice}`);
  }
  const problem = journalProblem(data);
  if (problem !== undefined) throw new OutputError(`${display} is not a journal inference-migrate can act on (${problem}); nothing was changed: ${advice}`);
  return data as Journal;
}

/** What is wrong with a parsed journal, or undefined. */
function journalProblem(data: any): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || data.tool !== 'inference-migrate') return 'not a journal of inference-migrate';
  if (data.step !== 'prepare' && data.step !== 'swap') return `an unknown step ${JSON.stringify(data.step)}`;
  if (typeof data.run !== 'string' || !RUN_ID.test(data.run)) return 'no run id: written by an earlier release, or not by inference-migrate';
  for (const key of ['fresh', 'target'] as const) {
    if (data[key] !== undefined && !isIdentity(data[key])) return `"${key}" is not a device and inode number`;
  }
  if (data.step === 'swap' && data.fresh === undefined) return 'a swap without the identity of its new tree';
  if (data.remove !== undefined) {
    if (!Array.isArray(data.remove)) return '"remove" is not a list';
    for (const r of data.remove) {
      if (r === null || typeof r !== 'object' || typeof r.path !== 'string' || typeof r.sha256 !== 'string' || !SHA256.test(r.sha256)) {
        return '"remove" lists a file without its sha256';
      }
      const p = pathProblem(r.path);
      if (p !== undefined) return `"remove" lists ${JSON.stringify(r.path).slice(0, 200)}, whose path ${p}`;
    }
  }
  if (data.keep !== undefined) {
    if (!Array.isArray(data.keep)) return '"keep" is not a list';
    for (const k of data.keep) {
      const p = typeof k === 'string' ? pathProblem(k) : 'is not a string';
      if (p !== undefined) return `"keep" lists ${JSON.stringify(k)?.slice(0, 200)}, whose path ${p}`;
    }
  }
  return undefined;
}

function isIdentity(v: any): v is FolderIdentity {
  return v !== null && typeof v === 'object' && typeof v.dev === 'string' && NUMBER.test(v.dev) && typeof v.ino === 'string' && NUMBER.test(v.ino);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
