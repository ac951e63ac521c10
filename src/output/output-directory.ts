/**
 * The one way this package writes its output: a folder (the CLI's `--out`, each migration folder of the
 * GitOpsWriter) is replaced as a whole, crash-safely, and never at the cost of a file the tool did
 * not write.
 *
 * - The folder's marker (names.ts) lists every file the tool wrote with its sha256. Only such files,
 *   unchanged, are ever replaced or removed. Other files (unknown, or changed since) make the write
 *   fail with their list, or, when the caller asks, are kept where they are.
 * - Nothing is followed: a symbolic link as the folder or anywhere inside it is refused (lstat
 *   everywhere, reads with O_NOFOLLOW).
 * - One writer at a time: a lock next to the folder (lock.ts).
 * - The new tree is written completely beside the folder before anything of the old one moves. The
 *   swap then is: journal `swap` (the commit point), rename the folder to `.<name>.inference-migrate-old`,
 *   move the kept files into the new tree, rename the new tree into place, remove the old tool-written
 *   files, remove the journal. Killed at any moment, the folder holds the complete old output, the
 *   complete new one, or is missing while the complete old output sits in `.<name>.inference-migrate-old`;
 *   the next run recovers from the journal before anything else (forward once the old folder has moved,
 *   back before), and says what it did.
 * - Every file system error is an OutputError that names the path; before the commit point the
 *   folder is left as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt } from './errors';
import { kindOf, lstatInside, lstatOrUndefined, permissionBits, readRegularFile, removeOwnTree, sha256, sha256OfFile, symlinkError, writeAtomically, writeNewFile } from './fs-safe';
import { FolderIdentity, Journal, JournalRemoval, RUN_ID_FILE, newRunId, readJournal, renderJournal } from './journal';
import { OutputLock, isLockLeftover } from './lock';
import { FoundMarker, WrittenFile, readMarker, renderMarker } from './marker';
import { OUTPUT_MARKER, OUTPUT_MARKERS, pathProblem, segmentProblem, sideName } from './names';
import { isInside, realPathOf } from './paths';

/** A file of a new output. */
export interface OutputFile {
  /** Path relative to the output folder, with `/` separators. */
  readonly path: string;
  /** Content (a string is written as UTF-8). */
  readonly content: string | Uint8Array;
  /** Permission bits, given at creation (never wider while it is written). Default: 0644 less the umask. */
  readonly mode?: number;
}

/** How an output folder may be written. */
export interface OutputOptions {
  /** The command or API that writes (recorded in the marker and the lock), e.g. `plan`, `GitOpsWriter`. */
  readonly command: string;
  /** How messages name the folder, e.g. `--out dist`. Default: the path as given. */
  readonly label?: string;
  /** Replace an earlier output of the tool. Without it, an earlier output is refused. */
  readonly replace?: boolean;
  /** What to do to replace an earlier output, for the refusal message, e.g. `add --force`. */
  readonly replaceHint?: string;
  /** Keep files in the folder that the tool did not write (or that were changed since) where they are, instead of refusing. */
  readonly keepUnknownFiles?: boolean;
  /** What to do to keep them, for the refusal message, e.g. `add --keep-unknown-files`. */
  readonly keepHint?: string;
  /** A folder the output must not be inside (compared as real paths), e.g. the input of `plan`. */
  readonly notInside?: { readonly path: string; readonly label: string };
  /** Called before every change to the file system (lets tests stop the process at any step). */
  readonly beforeChange?: (what: string) => void;
  /**
   * Called with each notice (what the recovery of an interrupted earlier run finished or undid) as soon
   * as it is known, also when the folder is then refused. Without it, the notices of a refused open
   * are added to the error's message.
   */
  readonly report?: (notice: string) => void;
}

/** What a write did. */
export interface OutputResult {
  /** The files written (the marker excluded), sorted by path. */
  readonly files: WrittenFile[];
  /** Files and folders the tool did not write that were kept where they are (relative paths; folders end with `/`). */
  readonly kept: string[];
  /** What else happened that a user should know, one sentence each. */
  readonly notices: string[];
}

/** A file or folder in an earlier output that the tool may not remove, and why. */
interface Unknown {
  readonly path: string;
  readonly dir: boolean;
  readonly why: string;
}

interface Inspection {
  /** absent; an empty folder; a non-empty folder without marker; an earlier output. */
  readonly state: 'absent' | 'empty' | 'foreign' | 'output';
  readonly marker?: FoundMarker;
  readonly ours: JournalRemoval[];
  readonly unknown: Unknown[];
  /** Permission bits of the existing folder, given to the new one. */
  readonly mode?: number;
}

const MAX_LISTED = 20;

/** An output folder, locked for this process from `open` until `close`. */
export class OutputDirectory {
  /**
   * Checks that `dir` may be written and locks it: not a symbolic link, not inside `notInside`; absent,
   * empty, or an earlier output (with `replace`) whose other files are kept (with `keepUnknownFiles`).
   * Recovers an interrupted earlier replacement first (see `notices`). Throws an OutputError otherwise.
   */
  public static open(dir: string, options: OutputOptions): OutputDirectory {
    const out = new OutputDirectory(dir, options);
    try {
      out.prepare();
    } catch (err) {
      out.close();
      throw options.report === undefined && out.notices.length > 0 && err instanceof OutputError
        ? new OutputError([err.message, ...out.notices.map((n) => `before that: ${n}`)].join('\n'))
        : err;
    }
    return out;
  }

  /**
   * Opens the folder `name` inside `parent`, as `open` does, after checking that `name` is one plain
   * folder name (see segmentProblem): no separator, not `.` or `..`, no control character. Every
   * caller that derives a folder name (a migration name) goes through here, so none can lead out of
   * `parent`.
   */
  public static openIn(parent: string, name: string, options: OutputOptions): OutputDirectory {
    const problem = segmentProblem(name);
    if (problem !== undefined) {
      throw new OutputError(`${options.label ?? parent}: cannot write the folder ${JSON.stringify(name)} in ${parent}: the name ${problem}; `
        + 'a folder name is one path segment of letters, digits, \'-\', \'_\' or \'.\'');
    }
    return OutputDirectory.open(path.join(parent, name), options);
  }

  /** Absolute path of the folder. */
  public readonly path: string;
  /** What the opening did that a user should know (recovery of an interrupted run). */
  public readonly notices: string[] = [];

  private readonly display: string;
  private readonly label: string;
  private readonly parent: string;
  private readonly parentDisplay: string;
  private readonly hook: (what: string) => void;
  private lock?: OutputLock;
  private createdDir?: string;
  private written = false;
  private closed = false;

  private constructor(dir: string, private readonly options: OutputOptions) {
    if (typeof dir !== 'string' || dir.length === 0) throw new OutputError(`${options.label ?? 'the output directory'}: expected a directory path`);
    this.path = path.resolve(dir);
    this.display = path.normalize(dir).replace(/(.)[\\/]+$/, '$1');
    this.label = options.label ?? this.display;
    this.parent = path.dirname(this.path);
    this.parentDisplay = path.dirname(this.display);
    this.hook = options.beforeChange ?? (() => undefined);
  }

  /**
   * Writes `files` as the folder's new content, with the marker. Returns what was written and kept;
   * releases the lock. Throws an OutputError (naming the path) when the files cannot be placed; the
   * folder is then as it was.
   */
  public write(files: OutputFile[]): OutputResult {
    if (this.closed || this.written) throw new OutputError(`${this.label}: the output was written or closed already`);
    this.written = true;
    try {
      return this.replaceWith(files);
    } finally {
      this.close();
    }
  }

  /** Releases the lock; removes the folders `open` created for the parent when nothing was written. */
  public close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lock?.release();
    if (this.createdDir !== undefined && lstatOrUndefined(this.path, this.display) === undefined) {
      removeEmptyDirsUpTo(this.parent, this.createdDir);
    }
  }

  /** Records a notice and reports it at once (when the caller asked). */
  private notify(notice: string): void {
    this.notices.push(notice);
    this.options.report?.(notice);
  }

  private side(role: string): { abs: string; display: string } {
    const name = sideName(path.basename(this.path), role);
    return { abs: path.join(this.parent, name), display: path.join(this.parentDisplay, name) };
  }

  private prepare(): void {
    const from = this.options.notInside;
    if (from !== undefined && isInside(realPathOf(this.path), realPathOf(from.path))) {
      throw new OutputError(`${this.label} is inside ${from.label}: the next run would read its own output; choose a directory outside ${from.path}`);
    }
    if (this.parent === this.path) throw new OutputError(`${this.label} is the root directory: choose a directory to write`);
    this.checkFolderItself();
    const parentStat = lstatOrUndefined(this.parent, this.parentDisplay);
    if (parentStat === undefined) {
      this.hook(`mkdir ${this.parentDisplay}`);
      this.createdDir = attempt(this.parentDisplay, 'create the directory', () => fs.mkdirSync(this.parent, { recursive: true }));
    } else if (!parentStat.isDirectory() && !(parentStat.isSymbolicLink() && statOrUndefined(this.parent)?.isDirectory())) {
      throw new OutputError(`${this.parentDisplay} is ${kindOf(parentStat)}, not a directory: ${this.label} cannot be written there`);
    }
    const lock = this.side('lock');
    this.lock = OutputLock.acquire(lock.abs, lock.display, this.label, this.options.command, this.hook);
    this.sweepLockLeftovers(path.basename(lock.abs));
    this.recover();
    this.removeJournalTmp();
    this.removeEmptyFresh();
    for (const role of ['new', 'old']) {
      const s = this.side(role);
      if (lstatOrUndefined(s.abs, s.display)) {
        throw new OutputError(`${s.display} is left from an earlier run of inference-migrate on ${this.label}, or was put there by someone else `
          + '(it may hold files inference-migrate did not write): look through it and remove it, then run again');
      }
    }
    this.check(this.inspect());
  }

  /**
   * Removes a journal left half-written by a kill (nothing else had changed then); refuses a file of
   * that name that is not the beginning of a journal of inference-migrate.
   */
  private removeJournalTmp(): void {
    const tmp = this.side('journal.tmp');
    if (!lstatOrUndefined(tmp.abs, tmp.display)) return;
    const text = readRegularFile(tmp.abs, tmp.display).toString('utf8');
    if (!JOURNAL_START.startsWith(text) && !text.startsWith(JOURNAL_START)) {
      throw new OutputError(`${tmp.display} is not a journal of inference-migrate, which keeps its journal under that name beside ${this.label}: `
        + 'look through it and remove it, then run again; nothing was changed');
    }
    this.hook(`unlink ${tmp.display}`);
    attempt(tmp.display, 'remove the file', () => fs.unlinkSync(tmp.abs));
  }

  /** Removes the empty new tree a kill left between its creation and the first journal (rmdir removes only an empty folder). */
  private removeEmptyFresh(): void {
    const fresh = this.side('new');
    const stat = lstatOrUndefined(fresh.abs, fresh.display);
    if (!stat?.isDirectory() || attempt(fresh.display, 'list the directory', () => fs.readdirSync(fresh.abs)).length > 0) return;
    this.hook(`rmdir ${fresh.display}`);
    attempt(fresh.display, 'remove the folder', () => fs.rmdirSync(fresh.abs));
    this.notify(`${this.label}: an earlier run of inference-migrate was interrupted before it wrote anything; its empty new folder ${fresh.display} was removed`);
  }

  private checkFolderItself(): void {
    const stat = lstatOrUndefined(this.path, this.display);
    if (stat?.isSymbolicLink()) throw symlinkError(this.label);
    if (stat && !stat.isDirectory()) throw new OutputError(`${this.label} exists and is not a directory (it is ${kindOf(stat)})`);
  }

  /**
   * Removes lock files of dead processes that a kill left half-made (`<lock>-<pid>`, `<lock>-stale-<pid>`):
   * only regular files whose content is a lock of this host naming that dead pid.
   */
  private sweepLockLeftovers(lockName: string): void {
    const names = attempt(this.parentDisplay, 'list the directory', () => fs.readdirSync(this.parent));
    for (const name of names) {
      if (!name.startsWith(`${lockName}-`)) continue;
      const abs = path.join(this.parent, name);
      if (!isLockLeftover(abs, path.join(this.parentDisplay, name), name.slice(lockName.length + 1))) continue;
      this.hook(`unlink ${name}`);
      attempt(path.join(this.parentDisplay, name), 'remove the file', () => fs.unlinkSync(abs));
    }
  }

  // ---- inspecting the folder -------------------------------------------------------------------

  private inspect(): Inspection {
    this.checkFolderItself();
    const stat = lstatOrUndefined(this.path, this.display);
    if (!stat) return { state: 'absent', ours: [], unknown: [] };
    const mode = permissionBits(stat);
    const entries = attempt(this.display, 'list the directory', () => fs.readdirSync(this.path));
    if (entries.length === 0) return { state: 'empty', ours: [], unknown: [], mode };
    const marker = readMarker(this.path, this.display);
    if (!marker) return { state: 'foreign', ours: [], unknown: [], mode };
    const listed = new Map(marker.files);
    listed.set(marker.name, marker.sha256);
    const ours: JournalRemoval[] = [];
    const unknown = this.walk('', listed, ours).unknown
      .map((u) => (u.path === marker.name ? { ...u, why: 'a marker of an earlier release that does not hold the text that release wrote' } : u));
    return { state: 'output', marker, ours, unknown, mode };
  }

  /** Classifies the tree under `rel`: the tool's unchanged files go to `ours`; the rest is unknown, as whole folders where possible. */
  private walk(rel: string, listed: Map<string, string | undefined>, ours: JournalRemoval[]): { hasOurs: boolean; unknown: Unknown[] } {
    const dirAbs = path.join(this.path, rel);
    const names = attempt(path.join(this.display, rel), 'list the directory', () => fs.readdirSync(dirAbs)).sort();
    let hasOurs = false;
    const unknown: Unknown[] = [];
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const abs = path.join(this.path, r);
      const display = path.join(this.display, r);
      const st = lstatOrUndefined(abs, display);
      if (!st) continue;
      if (st.isSymbolicLink()) throw symlinkError(display);
      if (st.isDirectory()) {
        const sub = this.walk(r, listed, ours);
        if (listed.has(r)) {unknown.push({ path: r, dir: true, why: 'a folder where inference-migrate wrote a file' });} else if (sub.hasOurs) {
          hasOurs = true;
          unknown.push(...sub.unknown);
        } else if (sub.unknown.length > 0) {
          unknown.push({ path: r, dir: true, why: 'a folder of files inference-migrate did not write' });
        }
      } else if (st.isFile() && listed.has(r)) {
        const expected = listed.get(r);
        if (expected === undefined) {
          unknown.push({ path: r, dir: false, why: `listed by ${UNPROVEN_WHY}` });
        } else if (sha256OfFile(abs, display) === expected) {
          ours.push({ path: r, sha256: expected });
          hasOurs = true;
        } else {
          unknown.push({ path: r, dir: false, why: 'changed since inference-migrate wrote it' });
        }
      } else {
        unknown.push({ path: r, dir: false, why: st.isFile() ? 'not written by inference-migrate' : `${kindOf(st)} inference-migrate did not write` });
      }
    }
    return { hasOurs, unknown };
  }

  private check(inspection: Inspection): void {
    const o = this.options;
    if (inspection.state === 'foreign') {
      throw new OutputError(`${this.label} exists, is not empty and was not written by inference-migrate (no ${OUTPUT_MARKER}): choose a new or empty directory`
        + `${o.replaceHint !== undefined ? `; ${o.replaceHint.replace(/^add /, '')} replaces only an earlier output of this tool` : ''}`);
    }
    if (inspection.state !== 'output') return;
    if (!o.replace) {
      throw new OutputError(`${this.label} holds an earlier output of inference-migrate: ${o.replaceHint ?? 'allow replacing it'} to replace it `
        + `(only the files it lists in ${inspection.marker!.name} are replaced, and only while unchanged)`);
    }
    if (inspection.unknown.length > 0 && !o.keepUnknownFiles) {
      throw new OutputError(`${this.label} holds files inference-migrate did not write, or changed after writing them; it never removes or replaces those:\n`
        + `${listing(inspection.unknown.map((u) => `${u.path}${u.dir ? '/' : ''} (${u.why})`))}\n`
        + `Move them away${o.keepHint !== undefined ? `, or ${o.keepHint} to keep them where they are` : ''}; nothing was changed`);
    }
  }

  /** Where kept files go in the new tree: whole folders where the new tree has nothing, else file by file; refuses clashes. */
  private placeKept(unknown: Unknown[], files: Set<string>, dirs: Set<string>): string[] {
    const moves: string[] = [];
    const clashes: string[] = [];
    const place = (u: Unknown) => {
      const ancestor = ancestorsOf(u.path).find((a) => files.has(a));
      if (u.path === RUN_ID_FILE) {clashes.push(`${u.path} (${u.why}): the name is reserved for inference-migrate's run id while it writes`);} else if (files.has(u.path)) {clashes.push(`${u.path}${u.dir ? '/' : ''} (${u.why}): the new output writes a file there`);} else if (ancestor !== undefined) {clashes.push(`${u.path}${u.dir ? '/' : ''} (${u.why}): the new output writes a file at ${ancestor}`);} else if (dirs.has(u.path) && !u.dir) {clashes.push(`${u.path} (${u.why}): the new output needs a folder there`);} else if (dirs.has(u.path)) {
        const names = attempt(path.join(this.display, u.path), 'list the directory', () => fs.readdirSync(path.join(this.path, u.path))).sort();
        for (const name of names) {
          const r = `${u.path}/${name}`;
          const st = lstatOrUndefined(path.join(this.path, r), path.join(this.display, r));
          if (st) place({ path: r, dir: st.isDirectory(), why: u.why });
        }
      } else {moves.push(u.path);}
    };
    unknown.forEach(place);
    if (clashes.length > 0) {
      throw new OutputError(`${this.label}: the new output would replace files inference-migrate did not write, or changed after writing them:\n`
        + `${listing(clashes)}\nMove them away (or restore them); nothing was changed`);
    }
    return moves;
  }

  // ---- writing ---------------------------------------------------------------------------------

  private replaceWith(files: OutputFile[]): OutputResult {
    const tree = checkFiles(files, this.label);
    const inspection = this.inspect();
    this.check(inspection);
    const keep = inspection.state === 'output' && inspection.unknown.length > 0
      ? this.placeKept(inspection.unknown, new Set(tree.files.map((f) => f.path)), tree.dirs)
      : [];

    const run = newRunId();
    const fresh = this.side('new');
    this.hook(`mkdir ${fresh.display}`);
    attempt(fresh.display, 'create the directory', () => fs.mkdirSync(fresh.abs));
    let written: WrittenFile[];
    let journal: Journal;
    try {
      const freshId = identityOf(fresh.abs, fresh.display);
      this.writeJournal({ tool: 'inference-migrate', step: 'prepare', run, fresh: freshId });
      this.hook(`write ${RUN_ID_FILE}`);
      writeNewFile(path.join(fresh.abs, RUN_ID_FILE), path.join(fresh.display, RUN_ID_FILE), `${run}\n`);
      written = this.writeTree(fresh.abs, fresh.display, tree.files, inspection.mode);
      const target = inspection.state === 'absent' ? undefined : identityOf(this.path, this.display);
      journal = { tool: 'inference-migrate', step: 'swap', run, fresh: freshId, ...(target ? { target } : {}), remove: inspection.ours, keep };
      // The commit point: once this journal is in place, the next run finishes the swap.
      this.writeJournal(journal);
    } catch (err) {
      this.undoPrepare();
      throw leftAsItWas(err, this.label);
    }
    const notices: string[] = [];
    try {
      this.finishSwap(journal, notices, false);
    } catch (err) {
      throw this.rollBack(err, keep);
    }
    return { files: written, kept: keep.map((k) => (isDir(path.join(this.path, k)) ? `${k}/` : k)), notices };
  }

  /** Writes the new tree and its marker into the folder `abs`, made empty but for the run id. */
  private writeTree(abs: string, display: string, files: OutputFile[], mode: number | undefined): WrittenFile[] {
    const made = new Set<string>();
    const written: WrittenFile[] = [];
    for (const f of files) {
      for (const dir of ancestorsOf(f.path)) {
        if (made.has(dir)) continue;
        this.hook(`mkdir ${dir}`);
        attempt(path.join(display, dir), 'create the directory', () => fs.mkdirSync(path.join(abs, dir)));
        made.add(dir);
      }
      this.hook(`write ${f.path}`);
      writeNewFile(path.join(abs, f.path), path.join(display, f.path), f.content, f.mode);
      written.push({ path: f.path, sha256: sha256(f.content) });
    }
    this.hook(`write ${OUTPUT_MARKER}`);
    writeNewFile(path.join(abs, OUTPUT_MARKER), path.join(display, OUTPUT_MARKER), renderMarker(this.options.command, written));
    if (mode !== undefined) {
      this.hook(`chmod ${display}`);
      attempt(display, 'set the permissions of the directory', () => fs.chmodSync(abs, mode));
    }
    return written;
  }

  /** Writes the journal atomically; a failure leaves the journal as it was and no temporary file. */
  private writeJournal(journal: Journal): void {
    const j = this.side('journal.json');
    const tmp = this.side('journal.tmp');
    try {
      writeAtomically(j.abs, tmp.abs, j.display, renderJournal(journal), this.hook);
    } catch (err) {
      fs.rmSync(tmp.abs, { force: true });
      throw err;
    }
  }

  private removeJournal(): void {
    const j = this.side('journal.json');
    this.hook(`unlink ${j.display}`);
    attempt(j.display, 'remove the journal', () => fs.rmSync(j.abs, { force: true }));
  }

  /** Undoes a `prepare` step of this run: its unfinished new tree and the journal go. */
  private undoPrepare(): void {
    this.removeFresh();
    this.removeJournal();
  }

  /**
   * Removes the new tree, its run id last (a kill meanwhile leaves a tree the next run can still prove
   * its own).
   */
  private removeFresh(): void {
    const fresh = this.side('new');
    const stat = lstatOrUndefined(fresh.abs, fresh.display);
    if (!stat) return;
    if (!stat.isDirectory()) throw new OutputError(`${fresh.display} is ${kindOf(stat)}, where inference-migrate keeps its new output while writing: remove it`);
    for (const name of attempt(fresh.display, 'list the directory', () => fs.readdirSync(fresh.abs))) {
      if (name !== RUN_ID_FILE) removeOwnTree(path.join(fresh.abs, name), path.join(fresh.display, name), this.hook);
    }
    removeOwnTree(fresh.abs, fresh.display, this.hook);
  }

  /**
   * Carries a committed swap to its end from whatever state a kill left: the folder moved to `old`,
   * the kept files moved to `new`, `new` moved into place, the old tool-written files removed. In a
   * recovery, `old` and `new` have been proven to be the journal's (recoverSwap).
   */
  private finishSwap(journal: Journal, notices: string[], recovering: boolean): void {
    const fresh = this.side('new');
    const old = this.side('old');
    const has = (abs: string, display: string) => lstatOrUndefined(abs, display) !== undefined;
    let target = has(this.path, this.display);
    let moved = has(old.abs, old.display);
    const staged = has(fresh.abs, fresh.display);

    if (target && !moved) {
      if (recovering) {
        // Interrupted before the folder moved: nothing of it changed; the unfinished new tree goes.
        if (staged) {
          this.removeFresh();
          notices.push(`${this.label}: an earlier run of inference-migrate was interrupted before it replaced anything; its unfinished new output was removed`);
        }
        this.removeJournal();
        return;
      }
      if (staged) {
        this.hook(`rename ${this.display} ${old.display}`);
        attempt(this.display, `move it to ${old.display}`, () => fs.renameSync(this.path, old.abs));
        target = false;
        moved = true;
      }
    }
    if (!target && moved && !staged) {
      // The new tree is gone (removed by hand): the old output goes back.
      this.hook(`rename ${old.display} ${this.display}`);
      attempt(old.display, `move it back to ${this.display}`, () => fs.renameSync(old.abs, this.path));
      notices.push(`${this.label}: an earlier run of inference-migrate was interrupted while replacing it and its new output is gone; the old output was restored from ${old.display}`);
      this.removeJournal();
      return;
    }
    if (target && moved && staged) {
      throw new OutputError(`${this.label}, ${old.display} and ${fresh.display} all exist: an interrupted replacement cannot be finished safely; `
        + `${this.label} or ${old.display} holds the earlier output: keep one, remove the others, then run again`);
    }
    if (!target && staged) {
      for (const k of journal.keep ?? []) this.moveKept(k, old, fresh);
      const runFile = path.join(fresh.abs, RUN_ID_FILE);
      if (lstatOrUndefined(runFile, path.join(fresh.display, RUN_ID_FILE))) {
        this.hook(`unlink ${RUN_ID_FILE}`);
        attempt(path.join(fresh.display, RUN_ID_FILE), 'remove the file', () => fs.unlinkSync(runFile));
      }
      this.hook(`rename ${fresh.display} ${this.display}`);
      attempt(fresh.display, `move it to ${this.display}`, () => fs.renameSync(fresh.abs, this.path));
      if (recovering) {
        notices.push(`${this.label}: an earlier run of inference-migrate was interrupted while replacing it; its complete new output is now in place`
          + `${moved ? ` (the old output had been kept in ${old.display})` : ''}`);
      }
    }
    if (moved) this.removeOld(journal.remove ?? [], old, notices);
    if (recovering && moved && target && !lstatOrUndefined(old.abs, old.display)) {
      notices.push(`${this.label}: an earlier run of inference-migrate was interrupted after replacing it; the old output it had kept in ${old.display} was removed`);
    }
    this.removeJournal();
  }

  /** Moves the kept file or folder `rel` from the old tree into the new one; no part of either way may be a link. */
  private moveKept(rel: string, old: { abs: string; display: string }, fresh: { abs: string; display: string }): void {
    const from = path.join(old.abs, rel);
    if (lstatInside(old.abs, old.display, rel) === undefined) return; // moved already
    for (const dir of ancestorsOf(rel)) {
      const st = lstatInside(fresh.abs, fresh.display, dir);
      if (st?.isDirectory()) continue;
      if (st) throw new OutputError(`${path.join(fresh.display, dir)} is ${kindOf(st)}: cannot keep ${rel} there`);
      this.hook(`mkdir ${dir}`);
      attempt(path.join(fresh.display, dir), 'create the directory', () => fs.mkdirSync(path.join(fresh.abs, dir)));
    }
    if (lstatInside(fresh.abs, fresh.display, rel) !== undefined) {
      throw new OutputError(`${path.join(fresh.display, rel)} exists: cannot keep ${path.join(old.display, rel)} there without replacing it`);
    }
    this.hook(`rename kept ${rel}`);
    attempt(path.join(old.display, rel), `keep it (move it to ${path.join(fresh.display, rel)})`, () => fs.renameSync(from, path.join(fresh.abs, rel)));
  }

  /**
   * Removes the old output's own files (each still with the sha256 the journal names, reached through
   * no link) and its empty folders; anything else stays, and is reported.
   */
  private removeOld(remove: readonly JournalRemoval[], old: { abs: string; display: string }, notices: string[]): void {
    try {
      for (const f of remove) {
        const abs = path.join(old.abs, f.path);
        const display = path.join(old.display, f.path);
        const st = lstatInside(old.abs, old.display, f.path);
        if (!st || !st.isFile() || sha256OfFile(abs, display) !== f.sha256) continue;
        this.hook(`unlink old ${f.path}`);
        attempt(display, 'remove the file', () => fs.unlinkSync(abs));
      }
      removeEmptyDirs(old.abs, old.display, this.hook);
    } catch (err) {
      notices.push(`${this.label} holds the new output; removing the old one failed: ${(err as Error).message}`);
    }
    const left = lstatOrUndefined(old.abs, old.display);
    if (left) {
      notices.push(`${old.display} still holds files of the old output that inference-migrate may not remove: look through it and remove it (the next run refuses until then)`);
    }
  }

  /** After a failed swap: everything back as it was, or (when that fails too) a message that says where the old output is. */
  private rollBack(err: unknown, keep: string[]): OutputError {
    const fresh = this.side('new');
    const old = this.side('old');
    try {
      if (lstatOrUndefined(old.abs, old.display) && !lstatOrUndefined(this.path, this.display)) {
        // Kept files that moved already go back first.
        for (const k of keep) {
          const inOld = lstatOrUndefined(path.join(old.abs, k), path.join(old.display, k));
          if (!inOld && lstatOrUndefined(path.join(fresh.abs, k), path.join(fresh.display, k))) {
            this.hook(`rename back ${k}`);
            fs.renameSync(path.join(fresh.abs, k), path.join(old.abs, k));
          }
        }
        this.hook(`rename ${old.display} ${this.display}`);
        fs.renameSync(old.abs, this.path);
      }
      if (lstatOrUndefined(this.path, this.display) && !lstatOrUndefined(old.abs, old.display)) {
        this.undoPrepare();
        return leftAsItWas(err, this.label);
      }
    } catch {
      // Reported below.
    }
    const message = err instanceof Error ? err.message : String(err);
    return new OutputError(`${message}; the replacement of ${this.label} could not be finished nor undone: the earlier output is in `
      + `${lstatOrUndefined(old.abs, old.display) ? old.display : this.label}; the next run of inference-migrate on ${this.label} finishes or undoes it`);
  }

  // ---- recovery --------------------------------------------------------------------------------

  /**
   * Finishes or undoes a replacement a killed run left, from its journal, after checking that the
   * journal and the folders it names are that run's own (recoveryProblem); refuses, touching nothing,
   * otherwise.
   */
  private recover(): void {
    const j = this.side('journal.json');
    if (!lstatOrUndefined(j.abs, j.display)) return;
    const advice = `an earlier run of inference-migrate on ${this.label} was interrupted, or the journal was put there by someone else; `
      + `look through ${this.label} and the folders beside it whose names start with ${sideName(path.basename(this.path), '')}, `
      + 'keep the complete output, then remove the journal and those folders';
    const journal = readJournal(j.abs, j.display, advice);
    const problem = this.recoveryProblem(journal);
    if (problem !== undefined) {
      throw new OutputError(`${j.display} cannot be acted on: ${problem}; nothing was changed: ${advice}`);
    }
    this.removeJournalTmp();
    const notices: string[] = [];
    if (journal.step === 'prepare') {
      const fresh = this.side('new');
      if (lstatOrUndefined(fresh.abs, fresh.display)) {
        notices.push(`${this.label}: an earlier run of inference-migrate was interrupted before it replaced anything; its unfinished new output was removed`);
      }
      this.undoPrepare();
    } else {
      try {
        this.finishSwap(journal, notices, true);
      } finally {
        notices.forEach((n) => this.notify(n));
      }
      return;
    }
    notices.forEach((n) => this.notify(n));
  }

  /**
   * Why the journal may not be acted on, or undefined: the new tree and the old folder it names must be
   * real folders (no link) with the device and inode numbers it recorded, and a new tree must hold the
   * journal's run id (or be empty: killed before the id was written) until the swap removes it.
   */
  private recoveryProblem(journal: Journal): string | undefined {
    const fresh = this.side('new');
    const old = this.side('old');
    const freshStat = lstatOrUndefined(fresh.abs, fresh.display);
    if (freshStat !== undefined) {
      if (journal.fresh === undefined || !sameFolder(fresh.abs, freshStat, journal.fresh)) {
        return `${fresh.display} is not the folder the journal's run made (${freshStat.isSymbolicLink() ? 'it is a symbolic link' : 'another device or inode number'})`;
      }
      const runFile = path.join(fresh.abs, RUN_ID_FILE);
      const runStat = lstatOrUndefined(runFile, path.join(fresh.display, RUN_ID_FILE));
      if (runStat !== undefined) {
        const id = runStat.isFile() ? readRegularFile(runFile, path.join(fresh.display, RUN_ID_FILE), { maxBytes: 1024 }).toString('utf8').trim() : '';
        // Killed between creating the id file and writing it: an empty id file alone in the new tree of a prepare step.
        const killedWritingId = id === '' && runStat.isFile() && journal.step === 'prepare'
          && attempt(fresh.display, 'list the directory', () => fs.readdirSync(fresh.abs)).length === 1;
        if (id !== journal.run && !killedWritingId) return `${path.join(fresh.display, RUN_ID_FILE)} does not hold the journal's run id`;
      } else if (journal.step === 'prepare' && attempt(fresh.display, 'list the directory', () => fs.readdirSync(fresh.abs)).length > 0) {
        return `${fresh.display} holds files but not the journal's run id`;
      }
    }
    const oldStat = lstatOrUndefined(old.abs, old.display);
    if (oldStat !== undefined && journal.step === 'swap') {
      if (journal.target === undefined || !sameFolder(old.abs, oldStat, journal.target)) {
        return `${old.display} is not the folder the journal's run moved aside (${oldStat.isSymbolicLink() ? 'it is a symbolic link' : 'another device or inode number'})`;
      }
    }
    return undefined;
  }
}

/** The new files, sorted, with every folder they need; refuses bad paths and clashes between them. */
function checkFiles(files: OutputFile[], label: string): { files: OutputFile[]; dirs: Set<string> } {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const paths = new Set<string>();
  const dirs = new Set<string>();
  for (const f of sorted) {
    const problem = pathProblem(f.path);
    if (problem) throw new OutputError(`${label}: cannot write ${JSON.stringify(f.path)}: the path ${problem}`);
    if (OUTPUT_MARKERS.includes(f.path)) throw new OutputError(`${label}: cannot write ${f.path}: the name is reserved for the marker of the output`);
    if (f.path === RUN_ID_FILE) throw new OutputError(`${label}: cannot write ${f.path}: the name is reserved for inference-migrate's run id while it writes`);
    if (paths.has(f.path)) throw new OutputError(`${label}: ${f.path} is written twice`);
    paths.add(f.path);
    for (const d of ancestorsOf(f.path)) dirs.add(d);
  }
  for (const p of paths) {
    if (dirs.has(p)) throw new OutputError(`${label}: ${p} would be both a file and a folder`);
  }
  return { files: sorted, dirs };
}

/** `a`, `a/b` for `a/b/c`. */
function ancestorsOf(rel: string): string[] {
  const parts = rel.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** The journal's text starts with this. */
const JOURNAL_START = '{"tool":"inference-migrate",';

/** Why a file or folder is not proven to be the tool's although a marker lists it. */
const UNPROVEN_WHY = 'the marker of an earlier release, without its sha256: not proven to be the file inference-migrate wrote';

/** The device and inode numbers of the folder `abs` (lstat: a link is itself). */
function identityOf(abs: string, display: string): FolderIdentity {
  const st = attempt(display, 'read its status', () => fs.lstatSync(abs, { bigint: true }));
  return { dev: String(st.dev), ino: String(st.ino) };
}

/** Whether `stat` (lstat of `abs`) is a real folder with the identity `id`. */
function sameFolder(abs: string, stat: fs.Stats, id: FolderIdentity): boolean {
  if (!stat.isDirectory()) return false;
  const now = identityOf(abs, abs);
  return now.dev === id.dev && now.ino === id.ino;
}

function isDir(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function statOrUndefined(abs: string): fs.Stats | undefined {
  try {
    return fs.statSync(abs);
  } catch {
    return undefined;
  }
}

/** Removes the empty folders under `abs` (and `abs` itself when it ends up empty); links are never followed. */
function removeEmptyDirs(abs: string, display: string, hook: (what: string) => void): boolean {
  const st = lstatOrUndefined(abs, display);
  if (!st?.isDirectory()) return false;
  let empty = true;
  for (const name of attempt(display, 'list the directory', () => fs.readdirSync(abs))) {
    if (!removeEmptyDirs(path.join(abs, name), path.join(display, name), hook)) empty = false;
  }
  if (!empty) return false;
  hook(`rmdir ${display}`);
  attempt(display, 'remove the directory', () => fs.rmdirSync(abs));
  return true;
}

/** Removes `from` and its parents up to `top` while they are empty. */
function removeEmptyDirsUpTo(from: string, top: string): void {
  let dir = from;
  for (;;) {
    try {
      if (fs.readdirSync(dir).length > 0) return;
      fs.rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === top || path.dirname(dir) === dir) return;
    dir = path.dirname(dir);
  }
}

/** A list of at most MAX_LISTED lines, `  - item`. */
function listing(items: string[]): string {
  const lines = items.slice(0, MAX_LISTED).map((i) => `  - ${i}`);
  if (items.length > MAX_LISTED) lines.push(`  - and ${items.length - MAX_LISTED} more`);
  return lines.join('\n');
}

/** An error before the commit point: the folder is as it was, and the message says so. */
function leftAsItWas(err: unknown, label: string): OutputError {
  const message = err instanceof Error ? err.message : String(err);
  return new OutputError(`${message}; ${label} was left as it was`);
}
