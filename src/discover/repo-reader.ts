/**
 * Reads a directory of YAML as users keep it in Git: plain manifests, multi-document files, the output
 * of `kustomize build` or `helm template`, next to kustomizations, Helm charts and values files. Every
 * document becomes either a Kubernetes object (with its file and line) or a skipped document with the
 * reason; malformed YAML and objects without a kind or a name are errors that name file and line.
 *
 * What it never does: follow a symbolic link (a link is listed as skipped, with its target: what it
 * points at inside the directory is read at its own path, and nothing outside is read), read a special
 * file (a FIFO would block), read more than the size limit of one file, decode bytes that are not UTF-8,
 * or recurse on a document nested deeper than the depth limit.
 *
 * Pure apart from reading files: no cdk8s, no validation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter } from 'yaml';
import { isHelmfileName } from './helmfile-name';
import { alphaChartReleases } from './helmfile-releases';
import { decodeUtf8, DEFAULT_MAX_FILE_BYTES, readInputFile, readProblem, sizeProblem, systemMessage } from './input-files';
import { InputError, InputProblem, SkippedDocument, SourceObject } from './sources';
import { composeDocuments, parseYamlText } from './yaml-documents';
import { readBounded } from '../output/fs-safe';
import { OUTPUT_MARKERS } from '../output/names';

export { displayLocation, displayPath, fieldLine, InputError, objectRef, splitFieldPath } from './sources';
export type { InputProblem, SkippedDocument, SourceLocation, SourceObject } from './sources';
export { MAX_NESTING_DEPTH, parseYamlText } from './yaml-documents';
export type { ParsedFile } from './yaml-documents';
export { DEFAULT_MAX_FILE_BYTES } from './input-files';

/** Everything read from a directory. */
export interface RepoContents {
  /** The directory as given. */
  readonly root: string;
  /** Every YAML file read, relative to the root, sorted. */
  readonly files: string[];
  /** The Kubernetes objects, in file order, then document order. */
  readonly objects: SourceObject[];
  /** What was skipped, in file order. */
  readonly skipped: SkippedDocument[];
}

const YAML_FILE = /\.ya?ml$/i;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** Options of readRepo and readPath. */
export interface ReadOptions {
  /**
   * Skip directories written by this tool (they hold a marker file): its output is not input to
   * `plan`. `scan` and `validate` read them (their objects are marked `generated`).
   * @default true
   */
  readonly skipOutputs?: boolean;
  /**
   * Size limit of one file, in bytes: a larger file is an error.
   * @default DEFAULT_MAX_FILE_BYTES (16 MiB)
   */
  readonly maxFileBytes?: number;
  /**
   * Namespace of namespaced objects that have none (and no kustomization that sets one), as
   * `kubectl apply -n` and `helm template -n` give it.
   * @default - none: such objects are planned in `default`, with a warning
   */
  readonly namespace?: string;
  /**
   * How many YAML documents one file (or standard input) may hold: more is an error.
   * @default DEFAULT_MAX_DOCUMENTS (10000)
   */
  readonly maxDocuments?: number;
}

/** Name of standard input in messages. */
export const STDIN_NAME = '<stdin>';

/** `contents` with `namespace` as the hint of every object that has neither a namespace nor a hint. */
function withNamespace(contents: RepoContents, namespace: string | undefined): RepoContents {
  if (namespace === undefined) return contents;
  return {
    ...contents,
    objects: contents.objects.map((o) => (o.object.metadata.namespace || o.namespaceHint ? o : { ...o, namespaceHint: namespace })),
  };
}

/**
 * Reads one YAML stream from standard input (`kustomize build | ...`, `helm template | ...`): named
 * `<stdin>` in messages, the same size limit and checks as a file.
 */
export function readStdin(options: ReadOptions = {}): RepoContents {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let bytes: Buffer | undefined;
  try {
    // Read in pieces, never past the limit: an endless stream (`yes | ...`) costs at most the limit.
    bytes = readBounded(0, STDIN_NAME, maxBytes);
  } catch (err) {
    throw new InputError([{ file: STDIN_NAME, line: 0, message: `cannot be read: ${readProblem(err, STDIN_NAME)}` }], '');
  }
  if (bytes === undefined) throw new InputError([sizeProblem(STDIN_NAME, undefined, maxBytes)!], '');
  const read = decodeUtf8(bytes, STDIN_NAME);
  if ('problem' in read) throw new InputError([read.problem], '');
  const parsed = parseYamlText(read.text, STDIN_NAME, options.maxDocuments);
  if (parsed.problems.length > 0) throw new InputError(parsed.problems, '');
  return withNamespace({ root: '', files: [STDIN_NAME], objects: parsed.objects, skipped: parsed.skipped }, options.namespace);
}

function isYamlName(name: string): boolean {
  return YAML_FILE.test(name) || name === 'Kustomization';
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Reads every `.yaml`/`.yml` file under `root` (recursively; `.git`, `node_modules` and hidden
 * directories are skipped, and so are directories this tool wrote, unless told otherwise). Throws an
 * InputError listing every problem: malformed documents, objects without a kind or name, files above
 * the size limit, not UTF-8, or nested too deep, and files that cannot be read.
 */
export function readRepo(root: string, options: ReadOptions = {}): RepoContents {
  const stat = statRoot(root);
  if (!stat.isDirectory()) throw new InputError([{ file: '', line: 0, message: 'is not a directory' }], root);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;

  const files: string[] = [];
  const skipped: SkippedDocument[] = [];
  const generated = new Set<string>();
  const problems: InputProblem[] = [];
  const state: WalkState = { root, realRoot: fs.realpathSync(root), files, skipped, generated, problems, skipOutputs: options.skipOutputs ?? true };
  walk(state, '', false);
  files.sort();

  const context = readLayout(root, files, skipped, maxBytes, problems);
  const objects: SourceObject[] = [];
  for (const file of files) {
    const fileSkip = context.skippedFiles.get(file);
    if (fileSkip) {
      skipped.push({ file, line: fileSkip.alphaLines?.[0] ?? 0, ...fileSkip });
      continue;
    }
    const read = readInputFile(path.join(root, file), file, maxBytes);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    const parsed = parseYamlText(read.text, file, options.maxDocuments);
    problems.push(...parsed.problems);
    skipped.push(...parsed.skipped);
    const hint = context.namespaceHints.get(file);
    const extra = {
      ...(hint !== undefined ? { namespaceHint: hint } : {}),
      ...(generated.has(file) ? { generated: true } : {}),
      ...(read.mode !== undefined ? { fileMode: read.mode } : {}),
    };
    objects.push(...parsed.objects.map((o) => ({ ...o, ...extra })));
  }
  if (problems.length > 0) throw new InputError(sortProblems(problems), root);
  skipped.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return withNamespace({ root, files, objects, skipped }, options.namespace);
}

/**
 * Reads a file or a directory: a directory as `readRepo` does; a file (a symbolic link named on the
 * command line is followed, as the user chose it) as one YAML file, its path relative to its directory.
 */
export function readPath(input: string, options: ReadOptions = {}): RepoContents {
  const stat = statRoot(input);
  if (stat.isDirectory()) return readRepo(input, options);
  const root = path.dirname(input);
  const file = path.basename(input);
  if (!stat.isFile()) throw new InputError([{ file, line: 0, message: 'is neither a regular file nor a directory' }], root);
  const read = readInputFile(input, file, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES, true);
  if ('problem' in read) throw new InputError([read.problem], root);
  const parsed = parseYamlText(read.text, file, options.maxDocuments);
  if (parsed.problems.length > 0) throw new InputError(parsed.problems, root);
  const objects = read.mode === undefined ? parsed.objects : parsed.objects.map((o) => ({ ...o, fileMode: read.mode }));
  return withNamespace({ root, files: [file], objects, skipped: parsed.skipped }, options.namespace);
}

/** Reads `-` (standard input), a file or a directory. */
export function readInput(input: string, options: ReadOptions = {}): RepoContents {
  return input === '-' ? readStdin(options) : readPath(input, options);
}

/** The stat of a path the user named (symbolic links followed); an InputError when it is missing or unreadable. */
function statRoot(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError([{ file: '', line: 0, message: code === 'ENOENT' ? 'does not exist' : `cannot be read: ${systemMessage(err)}` }], p);
  }
}

function sortProblems(problems: InputProblem[]): InputProblem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

interface WalkState {
  readonly root: string;
  /** The real path of the root: the boundary of what is read. */
  readonly realRoot: string;
  readonly files: string[];
  readonly skipped: SkippedDocument[];
  /** Files inside directories this tool wrote. */
  readonly generated: Set<string>;
  readonly problems: InputProblem[];
  readonly skipOutputs: boolean;
}

function walk(state: WalkState, rel: string, insideOutput: boolean): void {
  const dir = path.join(state.root, rel);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    state.problems.push({ file: rel === '' ? '' : `${toPosix(rel)}/`, line: 0, message: `cannot be read: ${systemMessage(err)}` });
    return;
  }
  // The marker of the CLI's --out and of the GitOpsWriter's folders (and those of earlier releases).
  const isOutput = rel !== '' && entries.some((e) => OUTPUT_MARKERS.includes(e.name));
  if (isOutput && state.skipOutputs) {
    state.skipped.push({ file: `${toPosix(rel)}/`, line: 0, reason: 'written by inference-migrate (stage folders are output, not input)' });
    return;
  }
  const generated = insideOutput || isOutput;
  for (const entry of entries) {
    const name = entry.name;
    const childRel = rel === '' ? name : path.join(rel, name);
    if (entry.isSymbolicLink()) {
      symbolicLink(state, childRel);
    } else if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(name)) continue;
      if (name.startsWith('.')) {
        state.skipped.push({ file: `${toPosix(childRel)}/`, line: 0, reason: 'hidden directory' });
        continue;
      }
      walk(state, childRel, generated);
    } else if (isYamlName(name)) {
      if (!entry.isFile()) {
        state.skipped.push({ file: toPosix(childRel), line: 0, reason: `not a regular file (${specialKind(entry)}), not read`, notable: true });
        continue;
      }
      state.files.push(toPosix(childRel));
      if (generated) state.generated.add(toPosix(childRel));
    }
  }
}

function specialKind(entry: fs.Dirent): string {
  if (entry.isFIFO()) return 'a named pipe';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'a device';
  return 'unknown type';
}

/**
 * A symbolic link is never followed: listed as skipped with its target when it names a YAML file or a
 * directory (other links could not hold manifests). What it points at inside the root is read at its
 * own path; nothing outside the root is read.
 */
function symbolicLink(state: WalkState, childRel: string): void {
  const abs = path.join(state.root, childRel);
  const name = path.basename(childRel);
  if (SKIPPED_DIRS.has(name) || name.startsWith('.')) return;
  let target: string;
  try {
    target = fs.readlinkSync(abs);
  } catch {
    target = '?';
  }
  let real: string | undefined;
  try {
    real = fs.realpathSync(abs);
  } catch {
    real = undefined; // dangling, or a loop
  }
  const pointsAt = real === undefined ? undefined : lstatOrUndefined(real);
  if (!isYamlName(name) && !(pointsAt?.isDirectory() ?? false)) return;
  const rel = real === undefined ? undefined : path.relative(state.realRoot, real);
  const inside = rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel);
  const why = real === undefined
    ? 'which does not resolve (missing, or a loop)'
    : inside
      ? `inside the directory: read at ${rel === '' ? 'the top' : `its own path (${toPosix(rel)})`}${pointsAt?.isDirectory() ? '' : ' if it is a manifest'}`
      : `outside ${state.root}`;
  state.skipped.push({
    file: `${toPosix(childRel)}${pointsAt?.isDirectory() ? '/' : ''}`,
    line: 0,
    reason: `symbolic link to ${target}, ${why}: links are not followed`,
    notable: true,
  });
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

interface Layout {
  /** Whole files skipped before parsing, with the reason. */
  readonly skippedFiles: Map<string, { reason: string; notable?: boolean; alphaLines?: number[] }>;
  /** Namespaces set by kustomizations for the files they list. */
  readonly namespaceHints: Map<string, string>;
}

/**
 * Reads what kustomizations and Helm charts say about the other files: chart templates, values and
 * metadata are not manifests; kustomize patches and generator inputs are not whole objects; a
 * kustomization's `namespace` applies to the resource files it lists.
 */
function readLayout(root: string, files: string[], skipped: SkippedDocument[], maxBytes: number, problems: InputProblem[]): Layout {
  const skippedFiles = new Map<string, { reason: string; notable?: boolean; alphaLines?: number[] }>();
  const namespaceHints = new Map<string, string>();
  const fileSet = new Set(files);

  const chartDirs = files.filter((f) => path.posix.basename(f) === 'Chart.yaml').map((f) => path.posix.dirname(f));
  const templateCount = new Map<string, number>();
  const alphaTemplates = new Map<string, number>();
  for (const file of files) {
    const chart = chartDirs.filter((d) => d === '.' || file.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0];
    if (chart === undefined) continue;
    const inChart = chart === '.' ? file : file.slice(chart.length + 1);
    const base = path.posix.basename(file);
    const chartName = chart === '.' ? '.' : `${chart}/`;
    if (inChart.startsWith('templates/')) {
      // A template is not YAML until rendered; its text still shows whether it uses the alpha API.
      const read = readInputFile(path.join(root, file), file, maxBytes);
      const alphaLines = 'text' in read ? alphaApiLines(read.text) : [];
      skippedFiles.set(file, alphaLines.length > 0
        ? {
          reason: `helm chart template (chart ${chartName}) that uses the alpha API ${ALPHA_API_GROUP} (line${alphaLines.length === 1 ? '' : 's'} ${alphaLines.join(', ')}): ` +
            'render the chart to plan it',
          notable: true,
          alphaLines,
        }
        : { reason: `helm chart template (chart ${chartName})` });
      templateCount.set(chart, (templateCount.get(chart) ?? 0) + 1);
      if (alphaLines.length > 0) alphaTemplates.set(chart, (alphaTemplates.get(chart) ?? 0) + 1);
    } else if (/^values.*\.ya?ml$/i.test(base)) {
      skippedFiles.set(file, { reason: 'helm values file' });
    } else if (!inChart.startsWith('crds/') && base !== 'Chart.yaml') {
      // Chart metadata and tooling (Chart.lock, chart_schema.yaml, ci/ values, ...): not manifests.
      skippedFiles.set(file, { reason: `helm chart file (chart ${chartName}), not a manifest` });
    }
  }
  for (const chart of chartDirs) {
    const n = templateCount.get(chart) ?? 0;
    const alpha = alphaTemplates.get(chart) ?? 0;
    skippedFiles.set(chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml`, {
      reason: `helm chart${n > 0 ? ` with ${n} template file${n === 1 ? '' : 's'}` : ''}` +
        `${alpha > 0 ? ` (${alpha === n ? (n === 1 ? 'it uses' : 'all use') : `${alpha} use${alpha === 1 ? 's' : ''}`} the alpha API)` : ''}: ` +
        'not read, templates are not manifests until rendered; render it (helm template) and read the output',
      notable: true,
    });
  }

  for (const file of files.filter((f) => isHelmfileName(path.posix.basename(f)))) {
    const skip = helmfileSkip(root, file, maxBytes);
    if (skip) skippedFiles.set(file, skip);
  }

  for (const file of files.filter((f) => KUSTOMIZATION_FILES.includes(path.posix.basename(f)))) {
    skippedFiles.set(file, { reason: 'kustomization (kustomize configuration, not a cluster object)' });
    const read = readInputFile(path.join(root, file), file, maxBytes);
    if ('problem' in read) {
      problems.push(read.problem);
      continue;
    }
    let k: any;
    try {
      const { docs, tooDeep } = composeDocuments(read.text, new LineCounter());
      k = tooDeep.length === 0 && docs.length > 0 && docs[0].errors.length === 0 ? docs[0].toJS({ maxAliasCount: 1000 }) : undefined;
    } catch {
      k = undefined; // the yaml library's errors about the text (aliases)
    }
    if (!k || typeof k !== 'object' || Array.isArray(k)) {
      skipped.push({ file, line: 1, reason: 'kustomization that could not be read (patches and namespace are not applied)', notable: true });
      continue;
    }
    const dir = path.posix.dirname(file);
    const resolve = (p: unknown) => (typeof p === 'string' ? path.posix.normalize(path.posix.join(dir, p)) : undefined);
    const mark = (p: unknown, reason: string) => {
      const f = resolve(p);
      if (f && fileSet.has(f)) skippedFiles.set(f, { reason: `${reason} (listed in ${file})` });
    };
    for (const p of asList(k.patches)) mark(typeof p === 'string' ? p : p?.path, 'kustomize patch');
    for (const p of asList(k.patchesStrategicMerge)) mark(p, 'kustomize patch');
    for (const p of asList(k.patchesJson6902)) mark(p?.path, 'kustomize patch');
    for (const g of [...asList(k.configMapGenerator), ...asList(k.secretGenerator)]) {
      for (const f of asList(g?.files)) mark(typeof f === 'string' ? f.replace(/^[^=]*=/, '') : undefined, 'kustomize generator input');
    }
    if (typeof k.namespace === 'string' && k.namespace !== '') {
      for (const r of asList(k.resources)) {
        const f = resolve(r);
        if (f && fileSet.has(f) && !namespaceHints.has(f)) namespaceHints.set(f, k.namespace);
      }
    }
  }
  return { skippedFiles, namespaceHints };
}

/**
 * A helmfile that installs GIE's inferencepool chart at a v0.x release: its alpha pool is in the cluster
 * but in no manifest, so the file is a notable skip with the lines of those releases (as an alpha chart
 * template is), which makes `plan` refuse to say "nothing to migrate" and `scan` list it.
 */
function helmfileSkip(root: string, file: string, maxBytes: number): { reason: string; notable: true; alphaLines: number[] } | undefined {
  const read = readInputFile(path.join(root, file), file, maxBytes);
  if (!('text' in read)) return undefined; // read again, and reported, as a manifest file
  const releases = alphaChartReleases(read.text);
  if (releases.length === 0) return undefined;
  const named = releases.map((r) => `${r.name} (line ${r.line}, chart version ${r.version})`).join(', ');
  return {
    reason: `helmfile whose release${releases.length === 1 ? '' : 's'} ${named} install${releases.length === 1 ? 's' : ''} ` +
      `Gateway API Inference Extension's inferencepool chart at a release that writes the alpha API ${ALPHA_API_GROUP}: ` +
      'render it (helmfile template, or helm get manifest <release> -n <namespace>) and plan the output',
    notable: true,
    alphaLines: releases.map((r) => r.line),
  };
}

/** The alpha API group, as templates spell it. */
const ALPHA_API_GROUP = 'inference.networking.x-k8s.io';

/** The 1-based lines of `text` that name the alpha API group. */
export function alphaApiLines(text: string): number[] {
  const out: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes(ALPHA_API_GROUP)) out.push(i + 1);
  });
  return out;
}

function asList(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
