/**
 * Small records the tool keeps inside an output it wrote, beside the files it generated: `promote` records
 * the stage it moved a migration to (`<migration>/active-stage.json`), and the next `plan` into the same
 * output reads it. A record is a file of the output like any other: listed in the output's marker with its
 * sha256, so only a record the tool wrote, unchanged, is ever replaced; the marker's entry is updated with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputError, attempt } from './errors';
import { kindOf, lstatOrUndefined, readRegularFile, sha256, symlinkError, writeAtomically } from './fs-safe';
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
 * lists `file`, else `dir`'s parent when its marker lists `<dir's name>/file`. Undefined when neither does.
 */
export function findRecordTarget(dir: string, file: string, name: string): RecordTarget | undefined {
  const abs = path.resolve(dir);
  const own = readMarker(abs, dir);
  if (own?.name === OUTPUT_MARKER && own.files.has(file)) return { root: dir, path: name, proof: file };
  const parent = path.dirname(abs);
  if (parent === abs) return undefined;
  const base = path.basename(abs);
  const up = readMarker(parent, path.dirname(dir));
  if (up?.name === OUTPUT_MARKER && up.files.has(`${base}/${file}`)) return { root: path.dirname(dir), path: `${base}/${name}`, proof: `${base}/${file}` };
  return undefined;
}

/**
 * Writes `content` as the record `target.path` of the output `target.root` and lists it in the output's marker,
 * under the output's lock. Refuses, writing nothing, when the marker does not list `target.proof`, when the
 * record's path is taken by a link, a folder, or a file the tool did not write or that changed since, and when
 * another run holds the lock. The record is written first, then the marker (each atomically): killed in
 * between, the record differs from the marker, and the next write refuses it as changed, naming it.
 */
export function writeRecord(target: RecordTarget, content: string, command: string): void {
  const problem = pathProblem(target.path);
  if (problem !== undefined) throw new OutputError(`${target.path}: a record path that ${problem}`);
  const root = path.resolve(target.root);
  const rootDisplay = path.normalize(target.root);
  const lockName = sideName(path.basename(root), 'lock');
  const lockDisplay = path.join(path.dirname(rootDisplay), lockName);
  const lock = OutputLock.acquire(path.join(path.dirname(root), lockName), lockDisplay, rootDisplay, command, () => undefined);
  try {
    const marker = readMarker(root, rootDisplay);
    const markerFile = path.join(root, OUTPUT_MARKER);
    const markerDisplay = path.join(rootDisplay, OUTPUT_MARKER);
    if (marker?.name !== OUTPUT_MARKER || !marker.files.has(target.proof)) {
      throw new OutputError(`${path.join(rootDisplay, target.proof)} is not listed in ${markerDisplay}: the folder is not an output of inference-migrate, so nothing is recorded in it`);
    }
    const file = path.join(root, target.path);
    const display = path.join(rootDisplay, target.path);
    const stat = lstatOrUndefined(file, display);
    if (stat?.isSymbolicLink()) throw symlinkError(display);
    if (stat && !stat.isFile()) throw new OutputError(`${display} is ${kindOf(stat)}: inference-migrate records there only in a file it wrote`);
    if (stat) {
      const listed = marker.files.get(target.path);
      if (listed === undefined) throw new OutputError(`${display} was not written by inference-migrate: it is never replaced; move it away, then run again`);
      if (sha256(readRegularFile(file, display)) !== listed) {
        throw new OutputError(`${display} was changed since inference-migrate wrote it: it is never replaced; restore it or move it away, then run again`);
      }
    }
    // The temporary file sits beside the output folder, as its lock does: a kill never leaves it inside.
    const tmp = path.join(path.dirname(root), sideName(path.basename(root), 'record.tmp'));
    writeAtomically(file, tmp, display, content, () => undefined);
    const files: WrittenFile[] = [...marker.files]
      .filter(([p]) => p !== target.path)
      .map(([p, sha]) => ({ path: p, sha256: sha! }));
    files.push({ path: target.path, sha256: sha256(content) });
    writeAtomically(markerFile, tmp, markerDisplay, renderMarker(markerCommand(markerFile, markerDisplay), files), () => undefined);
  } finally {
    lock.release();
  }
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
