/**
 * Small records the tool keeps inside an output it wrote, beside the files it generated: `promote` records
 * the stage it moved a migration to (`<migration>/active-stage.json`), and the next `plan` into the same
 * output reads it. A record is a file of the output like any other: listed in the output's marker with its
 * sha256, so only a record the tool wrote, unchanged, is ever replaced; the marker's entry is updated with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt } from './errors';
import { kindOf, lstatInside, lstatOrUndefined, readRegularFile, sha256, symlinkError, writeAtomically } from './fs-safe';
import { OutputLock } from './lock';
import { WrittenFile, readMarker, renderMarker } from './marker';
import { OUTPUT_MARKER, pathProblem, sideName } from './names';

/** A record found in an output folder. */
export interface FoundRecord {
  /** Path relative to the output folder, with `/` separators. */
  readonly path: string;
  /** Its text. */
  readonly text: string;
  /** Whether the output's marker lists it with this content's sha256: the tool wrote it, and it is unchanged since. */
  readonly proven: boolean;
}

/**
 * The records named `name` in the output folder `dir`: at its root (a GitOpsWriter migration folder), or in
 * each folder one level down (`subfolders`: the migration folders of the CLI's `--out`). Read without following
 * links: a link, or anything but a file, is an OutputError. An absent folder has none.
 */
export function readRecords(dir: string, name: string, where: 'root' | 'subfolders'): FoundRecord[] {
  const abs = path.resolve(dir);
  const stat = lstatOrUndefined(abs, dir);
  if (!stat || !stat.isDirectory()) return [];
  const marker = readMarker(abs, dir);
  const subfolders = () => attempt(dir, 'list the directory', () => fs.readdirSync(abs)).sort()
    .filter((d) => lstatOrUndefined(path.join(abs, d), path.join(dir, d))?.isDirectory());
  const candidates = where === 'root' ? [name] : subfolders().map((d) => `${d}/${name}`);
  const found: FoundRecord[] = [];
  for (const rel of candidates) {
    const file = path.join(abs, rel);
    const display = path.join(dir, rel);
    const st = lstatOrUndefined(file, display);
    if (!st) continue;
    if (st.isSymbolicLink()) throw symlinkError(display);
    if (!st.isFile()) throw new OutputError(`${display}: expected a file, found ${kindOf(st)}`);
    const bytes = readRegularFile(file, display);
    const listed = marker?.files.get(rel);
    found.push({ path: rel, text: bytes.toString('utf8'), proven: listed !== undefined && listed === sha256(bytes) });
  }
  return found;
}

/** Where a record goes. */
export interface RecordTarget {
  /** The output folder: the one whose marker lists `proof` (the CLI's `--out`, or a GitOpsWriter migration folder). */
  readonly root: string;
  /** The record's path relative to `root`. */
  readonly path: string;
  /** A file the marker must list, relative to `root`: it proves the record's folder is the tool's output (e.g. `<migration>/plan.json`). */
  readonly proof: string;
}

/**
 * The output folder that holds the folder `dir` and proves it wrote `file` there: `dir` itself when its marker
 * lists `file` with the sha256 of its content, else `dir`'s parent when its marker lists `<dir's name>/file`
 * so. Undefined when neither does: a marker that names the file without proving it (another content, a marker
 * put there by someone else) proves nothing.
 */
export function findRecordTarget(dir: string, file: string, name: string): RecordTarget | undefined {
  const abs = path.resolve(dir);
  if (provenBy(abs, dir, file)) return { root: dir, path: name, proof: file };
  const parent = path.dirname(abs);
  if (parent === abs) return undefined;
  const base = path.basename(abs);
  // The parent as a path the user can read: `..` for `.`, `migrations` for `migrations/m`.
  const parentDisplay = path.join(dir, '..');
  if (provenBy(parent, parentDisplay, `${base}/${file}`)) return { root: parentDisplay, path: `${base}/${name}`, proof: `${base}/${file}` };
  return undefined;
}

/** True when the output marker of `root` lists `rel` with the sha256 of the file there (reached without a link). */
function provenBy(root: string, rootDisplay: string, rel: string): boolean {
  try {
    const marker = readMarker(root, rootDisplay);
    const listed = marker?.name === OUTPUT_MARKER ? marker.files.get(rel) : undefined;
    if (listed === undefined || !lstatInside(root, rootDisplay, rel)?.isFile()) return false;
    return sha256(readRegularFile(path.join(root, rel), path.join(rootDisplay, rel))) === listed;
  } catch (err) {
    if (err instanceof OutputError) return false;
    throw err;
  }
}

/**
 * Checks, changing nothing, that `target` may take the record: the output's marker proves `target.proof` (by
 * sha256), no part of the way from the output folder to the record is a symbolic link (the output folder
 * itself included), and the record's path is free or holds a record the tool wrote, unchanged. An OutputError
 * says what is wrong. `promote` calls it before it edits the GitOps file, so a record it cannot write stops
 * the promotion before anything changes; writeRecord checks again under the output's lock.
 */
export function checkRecordTarget(target: RecordTarget): void {
  const problem = pathProblem(target.path) ?? pathProblem(target.proof);
  if (problem !== undefined) throw new OutputError(`${target.path}: a record path that ${problem}`);
  const root = path.resolve(target.root);
  const rootDisplay = path.normalize(target.root);
  const rootStat = lstatOrUndefined(root, rootDisplay);
  if (rootStat?.isSymbolicLink()) throw symlinkError(rootDisplay);
  if (!rootStat?.isDirectory()) throw new OutputError(`${rootDisplay}: expected the output folder, found ${rootStat ? kindOf(rootStat) : 'nothing'}`);
  // An interrupted write of the output (its journal beside it) is finished or undone by the next plan, which
  // would drop a record written now into the old tree.
  const journal = sideName(path.basename(root), 'journal.json');
  if (lstatOrUndefined(path.join(root, '..', journal), journal) !== undefined) {
    throw new OutputError(`${path.join(rootDisplay, '..', journal)} is there: an earlier write of ${rootDisplay} was interrupted; `
      + 'run the plan that writes it again (it finishes or undoes that write first), then promote');
  }
  // The temporary file of the record beside the output: a leftover file or link there is replaced (never
  // followed); a folder cannot be, and would stop the write after the GitOps file changed.
  const tmpName = recordTmpName(root);
  const tmpStat = lstatOrUndefined(path.join(root, '..', tmpName), tmpName);
  if (tmpStat?.isDirectory()) {
    throw new OutputError(`${path.join(rootDisplay, '..', tmpName)} is a folder where inference-migrate writes the record's temporary file: move it away, then run again`);
  }
  const marker = readMarker(root, rootDisplay);
  const markerDisplay = path.join(rootDisplay, OUTPUT_MARKER);
  if (marker?.name !== OUTPUT_MARKER || !marker.files.has(target.proof)) {
    throw new OutputError(`${path.join(rootDisplay, target.proof)} is not listed in ${markerDisplay}: the folder is not an output of inference-migrate, so nothing is recorded in it`);
  }
  if (!provenBy(root, rootDisplay, target.proof)) {
    lstatInside(root, rootDisplay, target.proof); // names a link on the way, if that is why
    throw new OutputError(`${path.join(rootDisplay, target.proof)} is not what ${markerDisplay} says inference-migrate wrote (its sha256 differs): nothing is recorded beside it`);
  }
  const display = path.join(rootDisplay, target.path);
  const stat = lstatInside(root, rootDisplay, target.path);
  if (stat && !stat.isFile()) throw new OutputError(`${display} is ${kindOf(stat)}: inference-migrate records there only in a file it wrote`);
  if (stat) {
    if (stat.nlink > 1) throw new OutputError(`${display} has ${stat.nlink} hard links: inference-migrate never replaces a file shared with another name; move it away, then run again`);
    const listed = marker.files.get(target.path);
    if (listed === undefined) throw new OutputError(`${display} was not written by inference-migrate: it is never replaced; move it away, then run again`);
    if (sha256(readRegularFile(path.join(root, target.path), display)) !== listed) {
      throw new OutputError(`${display} was changed since inference-migrate wrote it: it is never replaced; restore it or move it away, then run again`);
    }
  }
}

/**
 * Writes `content` as the record `target.path` of the output `target.root` and lists it in the output's marker,
 * under the output's lock. Refuses, writing nothing, when checkRecordTarget does, and when another run holds
 * the lock. The record is written first, then the marker (each atomically): killed in between, the record
 * differs from the marker, and the next write refuses it as changed, naming it.
 */
export function writeRecord(target: RecordTarget, content: string, command: string): void {
  const problem = pathProblem(target.path);
  if (problem !== undefined) throw new OutputError(`${target.path}: a record path that ${problem}`);
  const root = path.resolve(target.root);
  const rootDisplay = path.normalize(target.root);
  const lockName = sideName(path.basename(root), 'lock');
  const lockDisplay = path.join(rootDisplay, '..', lockName);
  const lock = OutputLock.acquire(path.join(path.dirname(root), lockName), lockDisplay, rootDisplay, command, () => undefined);
  try {
    checkRecordTarget(target);
    const marker = readMarker(root, rootDisplay)!;
    const markerFile = path.join(root, OUTPUT_MARKER);
    const markerDisplay = path.join(rootDisplay, OUTPUT_MARKER);
    // The temporary file sits beside the output folder, as its lock does: a kill never leaves it inside.
    const tmp = path.join(path.dirname(root), recordTmpName(root));
    writeAtomically(path.join(root, target.path), tmp, path.join(rootDisplay, target.path), content, () => undefined);
    const files: WrittenFile[] = [...marker.files]
      .filter(([p]) => p !== target.path)
      .map(([p, sha]) => ({ path: p, sha256: sha! }));
    files.push({ path: target.path, sha256: sha256(content) });
    writeAtomically(markerFile, tmp, markerDisplay, renderMarker(markerCommand(markerFile, markerDisplay), files), () => undefined);
  } finally {
    lock.release();
  }
}

/** Name of the temporary file of a record, beside the output folder `root`. */
function recordTmpName(root: string): string {
  return sideName(path.basename(root), 'record.tmp');
}

/** The `command` an existing marker records (kept when the marker is rewritten). */
function markerCommand(abs: string, display: string): string {
  try {
    const command = JSON.parse(readRegularFile(abs, display).toString('utf8')).command;
    return typeof command === 'string' ? command : 'inference-migrate';
  } catch {
    return 'inference-migrate';
  }
}
