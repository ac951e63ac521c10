/**
 * The marker file: what it holds, how it is written, and how markers of this and earlier releases are
 * read (never through a symbolic link).
 */
import * as fs from 'fs';
import * as path from 'path';
import { OutputError } from './errors';
import { lstatOrUndefined, readRegularFile, sha256 } from './fs-safe';
import { LEGACY_CLI_MARKER, LEGACY_WRITER_MARKER, OUTPUT_MARKER, pathProblem } from './names';
import { jsonSyntaxProblem } from '../core/json';

/** A file the tool wrote. */
export interface WrittenFile {
  /** Path relative to the folder, with `/` separators. */
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
  readonly note: string;
  readonly files: WrittenFile[];
}

/** A marker found in a folder: the files it says the tool wrote (sha256 undefined: not recorded). */
export interface FoundMarker {
  /** File name of the marker. */
  readonly name: string;
  /**
   * Path -> sha256 (undefined for outputs of releases that did not record it: such a file is not
   * proven to be the tool's, and is never replaced or removed).
   */
  readonly files: ReadonlyMap<string, string | undefined>;
  /** sha256 of the marker file itself, when it is proven to be the tool's (it is what a marker of its name holds). */
  readonly sha256?: string;
}

/** What the GitOpsWriter of earlier releases wrote into its marker LEGACY_WRITER_MARKER, byte for byte. */
export const LEGACY_WRITER_MARKER_TEXT = 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n';

/** The version of this package (recorded in the marker). */
export function packageVersion(): string {
  try {
    // src/output and lib/output both sit two levels below the package root.
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The marker's text for `files` (sorted by path): deterministic for the same files and version. */
export function renderMarker(command: string, files: WrittenFile[]): string {
  const marker: OutputMarker = {
    tool: 'inference-migrate',
    package: 'cdk8s-inference-migration',
    version: packageVersion(),
    command,
    note: 'Written by cdk8s-inference-migration. It replaces or removes only the files listed here, and only while their sha256 matches; '
      + 'every other file in this folder is left alone.',
    files: [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}

/**
 * The marker of the folder `abs` (shown as `display`), of this release or an earlier one; undefined
 * when the folder holds none. A marker that cannot be read, or lists paths outside the folder, is an
 * OutputError.
 */
export function readMarker(abs: string, display: string): FoundMarker | undefined {
  for (const name of [OUTPUT_MARKER, LEGACY_CLI_MARKER]) {
    if (!lstatOrUndefined(path.join(abs, name), path.join(display, name))) continue;
    const text = readRegularFile(path.join(abs, name), path.join(display, name));
    return { name, files: readFileList(text, display, name), sha256: sha256(text) };
  }
  const legacy = path.join(abs, LEGACY_WRITER_MARKER);
  if (lstatOrUndefined(legacy, path.join(display, LEGACY_WRITER_MARKER))) {
    const text = readRegularFile(legacy, path.join(display, LEGACY_WRITER_MARKER));
    return {
      name: LEGACY_WRITER_MARKER,
      files: legacyWriterFiles(abs, display),
      ...(text.toString('utf8') === LEGACY_WRITER_MARKER_TEXT ? { sha256: sha256(text) } : {}),
    };
  }
  return undefined;
}

function readFileList(text: Buffer, display: string, name: string): Map<string, string | undefined> {
  const where = path.join(display, name);
  let marker: any;
  const json = text.toString('utf8');
  try {
    marker = JSON.parse(json);
  } catch (err) {
    if (err instanceof OutputError) throw err;
    throw new OutputError(`${where} cannot be read (${jsonSyntaxProblem(err, json)}): the tool cannot tell which files it wrote; move the folder away`);
  }
  const files = marker?.files;
  const valid = Array.isArray(files) && files.every((f: any) => typeof f?.path === 'string' && typeof f?.sha256 === 'string'
    && /^[0-9a-f]{64}$/.test(f.sha256) && pathProblem(f.path) === undefined);
  if (!valid) throw new OutputError(`${where} does not list the files it wrote as relative paths with their sha256: move the folder away`);
  return new Map(files.map((f: WrittenFile) => [f.path, f.sha256]));
}

/**
 * The files an earlier release's GitOpsWriter wrote into a migration folder: it kept no list, so they
 * are read from its plan.json (stage folders and object files) plus the fixed names it always wrote.
 * Their sha256 was not recorded, so none of them is proven to be the writer's (a plan.json can name
 * any file): they are listed as such and never replaced or removed.
 */
function legacyWriterFiles(abs: string, display: string): Map<string, string | undefined> {
  const names = [LEGACY_WRITER_MARKER, 'README.md', 'plan.json', 'gitops/argocd-application.yaml', 'gitops/flux-kustomization.yaml', 'crds/kustomization.yaml'];
  let plan: any;
  try {
    plan = JSON.parse(readRegularFile(path.join(abs, 'plan.json'), path.join(display, 'plan.json')).toString('utf8'));
  } catch {
    plan = undefined;
  }
  for (const stage of Array.isArray(plan?.stages) ? plan.stages : []) {
    if (typeof stage?.folder !== 'string') continue;
    names.push(`${stage.folder}/kustomization.yaml`, `${stage.folder}/README.md`);
    for (const o of Array.isArray(stage.objects) ? stage.objects : []) {
      if (typeof o?.file === 'string') names.push(`${stage.folder}/${o.file}`);
    }
  }
  return new Map(names.filter((n) => pathProblem(n) === undefined).map((n) => [n, undefined]));
}
