/**
 * Safe output directories. Everything is written into a temporary directory next to `--out` (same
 * file system), then renamed into place, so a failure leaves `--out` as it was. The root of every
 * output holds a marker file listing the files written (with their sha256). An existing `--out` is
 * used only when it is empty, or with `--force` when the marker says this tool wrote it; then only the
 * files the marker lists are deleted, and only when they are unchanged. `--out` inside `--from` is
 * refused (real paths, so symbolic links do not get around it).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CLI_OUTPUT_MARKER } from '../discover/repo-reader';

/** Name of the marker file at the root of every output directory. */
export const OUTPUT_MARKER = CLI_OUTPUT_MARKER;

/** A file the tool wrote. */
export interface WrittenFile {
  /** Path relative to the output directory, with `/` separators. */
  readonly path: string;
  /** sha256 of the content, hex. */
  readonly sha256: string;
}

/** The content of the marker file. */
export interface OutputMarker {
  readonly tool: string;
  readonly package: string;
  readonly version: string;
  readonly command: string;
  readonly files: WrittenFile[];
}

/** An output directory that passed the checks. */
export interface CheckedOutput {
  /** Absolute path of `--out`. */
  readonly out: string;
  /** Whether `--out` exists now. */
  readonly exists: boolean;
  /** The marker of an earlier output that `--force` replaces. */
  readonly previous?: OutputMarker;
}

/** Output refused or failed: the message names the directory and what to do. */
export class OutputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** The real path of `p`, also when its last parts do not exist yet. */
export function realPathOf(p: string): string {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let existing = abs;
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...missing);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Checks that `out` may be written: not inside `from`; absent, empty, or (with `force`) an earlier
 * output of this tool whose files are unchanged. Throws an OutputError otherwise.
 */
export function checkOutputDir(out: string, options: { force?: boolean; from?: string } = {}): CheckedOutput {
  const abs = path.resolve(out);
  const real = realPathOf(abs);
  if (options.from !== undefined) {
    const from = realPathOf(options.from);
    if (isInside(real, from)) {
      throw new OutputError(`--out ${out} is inside --from ${options.from}: the next plan would read its own output; choose a directory outside ${options.from}`);
    }
  }
  if (!fs.existsSync(abs)) return { out: abs, exists: false };
  if (!fs.statSync(abs).isDirectory()) throw new OutputError(`--out ${out} exists and is not a directory`);
  const entries = fs.readdirSync(abs);
  if (entries.length === 0) return { out: abs, exists: true };
  if (!entries.includes(OUTPUT_MARKER)) {
    throw new OutputError(`--out ${out} exists, is not empty and was not written by inference-migrate (no ${OUTPUT_MARKER}): choose a new or empty directory; --force replaces only an earlier output of this tool`);
  }
  if (!options.force) {
    throw new OutputError(`--out ${out} holds an earlier output of inference-migrate: add --force to replace it (only the files it lists in ${OUTPUT_MARKER} are deleted)`);
  }
  const previous = readMarker(abs, out);
  for (const f of previous.files) {
    const file = path.join(abs, ...f.path.split('/'));
    if (fs.existsSync(file) && fs.statSync(file).isFile() && sha256(file) !== f.sha256) {
      throw new OutputError(`--out ${out}: ${f.path} was changed after inference-migrate wrote it: move it away (or restore it) first; --force replaces only files it wrote and nobody changed`);
    }
  }
  return { out: abs, exists: true, previous };
}

function readMarker(abs: string, out: string): OutputMarker {
  let marker: any;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(abs, OUTPUT_MARKER), 'utf8'));
  } catch (err) {
    throw new OutputError(`--out ${out}: ${OUTPUT_MARKER} cannot be read (${(err as Error).message}): move the directory away`);
  }
  const files = marker?.files;
  const valid = Array.isArray(files) && files.every((f: any) => typeof f?.path === 'string' && typeof f?.sha256 === 'string'
    && f.path !== '' && !path.posix.isAbsolute(f.path) && !f.path.split('/').includes('..') && !f.path.includes('\\'));
  if (!valid) throw new OutputError(`--out ${out}: ${OUTPUT_MARKER} does not list the files it wrote as relative paths: move the directory away`);
  return marker as OutputMarker;
}

/** Every file under `dir`, relative, with `/` separators, sorted. */
export function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const stat = fs.lstatSync(path.join(dir, childRel));
    if (stat.isDirectory()) out.push(...listFiles(dir, childRel));
    else out.push(childRel);
  }
  return out;
}

/**
 * Writes an output: `write` fills a temporary directory next to `checked.out`; then the marker is added
 * and the directory is renamed into place (or, when `--out` keeps files this tool did not write, the
 * new files are moved in one by one after the old listed ones are deleted). Nothing is left behind
 * when `write` throws. Returns the files written (marker excluded).
 */
export function writeOutput(checked: CheckedOutput, meta: { command: string; version: string }, write: (dir: string) => void): WrittenFile[] {
  const parent = path.dirname(checked.out);
  const createdParent = fs.mkdirSync(parent, { recursive: true });
  let tmp: string | undefined;
  let done = false;
  try {
    tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(checked.out)}.inference-migrate-`));
    write(tmp);
    const dir = tmp;
    const files = listFiles(dir).filter((f) => f !== OUTPUT_MARKER).map((f) => ({ path: f, sha256: sha256(path.join(dir, ...f.split('/'))) }));
    const marker: OutputMarker = { tool: 'inference-migrate', package: 'cdk8s-inference-migration', version: meta.version, command: meta.command, files };
    fs.writeFileSync(path.join(dir, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    commit(checked, dir, files);
    done = true;
    return files;
  } finally {
    if (!done) {
      if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
      if (createdParent !== undefined) removeEmptyDirs(createdParent);
    }
  }
}

/** Removes `dir` and the directories under it, if none holds a file. */
function removeEmptyDirs(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const child = path.join(dir, name);
    if (fs.lstatSync(child).isDirectory()) removeEmptyDirs(child);
  }
  if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

function commit(checked: CheckedOutput, tmp: string, files: WrittenFile[]): void {
  const out = checked.out;
  if (!fs.existsSync(out)) {
    fs.renameSync(tmp, out);
    return;
  }
  const listed = new Set((checked.previous?.files ?? []).map((f) => f.path));
  // A new file must not land on a file the tool did not write.
  for (const f of files) {
    const target = path.join(out, ...f.path.split('/'));
    if (fs.existsSync(target) && !listed.has(f.path)) {
      throw new OutputError(`--out ${out}: ${f.path} exists and was not written by inference-migrate: move it away first`);
    }
  }
  for (const f of checked.previous?.files ?? []) {
    fs.rmSync(path.join(out, ...f.path.split('/')), { force: true });
    pruneEmptyParents(out, path.posix.dirname(f.path));
  }
  fs.rmSync(path.join(out, OUTPUT_MARKER), { force: true });
  if (fs.readdirSync(out).length === 0) {
    fs.rmdirSync(out);
    fs.renameSync(tmp, out);
    return;
  }
  // Files the tool did not write stay: move the new ones in beside them.
  for (const f of [...files.map((x) => x.path), OUTPUT_MARKER]) {
    const target = path.join(out, ...f.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(tmp, ...f.split('/')), target);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

/** Removes `rel` and its parents (below `root`) while they are empty. */
function pruneEmptyParents(root: string, rel: string): void {
  let dir = rel;
  while (dir !== '.' && dir !== '') {
    const abs = path.join(root, ...dir.split('/'));
    if (!fs.existsSync(abs) || fs.readdirSync(abs).length > 0) return;
    fs.rmdirSync(abs);
    dir = path.posix.dirname(dir);
  }
}

/**
 * Path of `p` relative to the root of the Git repository that holds it (found by looking for `.git`
 * above it), with `/` separators; undefined when it is in no repository.
 */
export function gitRelativePath(p: string): string | undefined {
  const abs = realPathOf(p);
  let dir = abs;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return path.relative(dir, abs).split(path.sep).join('/') || '.';
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Path of `out` inside its Git repository (for the example Argo CD and Flux manifests); `out` as given
 * when it is relative and no repository is found, else `.`.
 */
export function repoPathOf(out: string): string {
  return gitRelativePath(out) ?? (path.isAbsolute(out) ? '.' : path.normalize(out).split(path.sep).join('/'));
}
