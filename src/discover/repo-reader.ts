/**
 * Reads a directory of YAML as users keep it in Git: plain manifests, multi-document files, the output
 * of `kustomize build` or `helm template`, next to kustomizations, Helm charts and values files. Every
 * document becomes either a Kubernetes object (with its file and line) or a skipped document with the
 * reason; malformed YAML and objects without a kind or a name are errors that name file and line.
 *
 * Pure apart from reading files: no cdk8s, no validation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments, visit } from 'yaml';
import { OUTPUT_MARKERS } from '../output/names';

/** Where a document or object starts. */
export interface SourceLocation {
  /** Path relative to the directory that was read, with `/` separators. */
  readonly file: string;
  /** 1-based line of the document's (or list item's) first content line. */
  readonly line: number;
}

/** A Kubernetes object read from the directory. */
export interface SourceObject extends SourceLocation {
  /** The object as plain JSON. */
  readonly object: any;
  /**
   * Namespace a kustomization.yaml next to (or above) the file sets for it (`namespace:` of a
   * kustomization that lists the file under `resources`), used when the object has none.
   */
  readonly namespaceHint?: string;
  /** The YAML node of the object, to find the line of a field. */
  readonly node?: Node;
  /** Line counter of the file, to turn node offsets into lines. */
  readonly lines?: LineCounter;
  /** True when the file is in a directory this tool (or the library's GitOpsWriter) wrote. */
  readonly generated?: boolean;
}

/** A document (or file, or directory) that is not a Kubernetes object, and why. */
export interface SkippedDocument {
  /** Path relative to the directory that was read, with `/` separators (a directory ends with `/`). */
  readonly file: string;
  /** 1-based line, or 0 for a whole file or directory. */
  readonly line: number;
  /** Why it was skipped, lower-case. */
  readonly reason: string;
}

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

/** One problem in the input, with its place. */
export interface InputProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Bad input: one or more problems, each `file:line: message` (file as displayed). */
export class InputError extends Error {
  public readonly problems: InputProblem[];
  public constructor(problems: InputProblem[], displayRoot: string) {
    super(problems.map((p) => `${displayPath(displayRoot, p.file)}:${p.line}: ${p.message}`).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

const YAML_FILE = /\.ya?ml$/i;
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * API groups of configuration files read by tools, not applied to a cluster. They often lack
 * `metadata.name`, which would otherwise be an error.
 */
const TOOL_CONFIG_GROUPS = [
  'kustomize.config.k8s.io',
  'kind.x-k8s.io',
  'kubeadm.k8s.io',
  'kubelet.config.k8s.io',
  'kubeproxy.config.k8s.io',
  'apiserver.config.k8s.io',
  'config.kubernetes.io',
  'kpt.dev',
  'skaffold',
];

/** The path of a file as shown to people: the root as given, then the relative path. */
export function displayPath(root: string, file: string): string {
  const joined = path.join(root, file);
  return joined.split(path.sep).join('/');
}

/** Options of readRepo. */
export interface ReadOptions {
  /**
   * Skip directories written by this tool (they hold a marker file): its output is not input to
   * `plan`. `scan` and `validate` read them (their objects are marked `generated`).
   * @default true
   */
  readonly skipOutputs?: boolean;
}

/**
 * Reads every `.yaml`/`.yml` file under `root` (recursively; `.git`, `node_modules` and hidden
 * directories are skipped, and so are directories this tool wrote, unless told otherwise). Throws an InputError listing
 * every malformed document and every object without a kind or name.
 */
export function readRepo(root: string, options: ReadOptions = {}): RepoContents {
  const stat = statOrUndefined(root);
  if (!stat) throw new Error(`${root}: no such directory`);
  if (!stat.isDirectory()) throw new Error(`${root}: not a directory`);

  const files: string[] = [];
  const skipped: SkippedDocument[] = [];
  const generated = new Set<string>();
  walk(root, '', { files, skipped, generated, seen: new Set([fs.realpathSync(root)]), skipOutputs: options.skipOutputs ?? true }, false);
  files.sort();

  const context = readLayout(root, files, skipped);
  const objects: SourceObject[] = [];
  const problems: InputProblem[] = [];
  for (const file of files) {
    const fileSkip = context.skippedFiles.get(file);
    if (fileSkip) {
      skipped.push({ file, line: 0, reason: fileSkip });
      continue;
    }
    const abs = path.join(root, file);
    if (fs.statSync(abs).size > MAX_FILE_BYTES) {
      skipped.push({ file, line: 0, reason: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB` });
      continue;
    }
    const parsed = parseYamlText(fs.readFileSync(abs, 'utf8'), file);
    problems.push(...parsed.problems);
    skipped.push(...parsed.skipped);
    const hint = context.namespaceHints.get(file);
    const extra = { ...(hint !== undefined ? { namespaceHint: hint } : {}), ...(generated.has(file) ? { generated: true } : {}) };
    objects.push(...parsed.objects.map((o) => ({ ...o, ...extra })));
  }
  if (problems.length > 0) throw new InputError(problems, root);
  skipped.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { root, files, objects, skipped };
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

interface WalkState {
  readonly files: string[];
  readonly skipped: SkippedDocument[];
  /** Files inside directories this tool wrote. */
  readonly generated: Set<string>;
  /** Real paths of the directories visited (symbolic link loops). */
  readonly seen: Set<string>;
  readonly skipOutputs: boolean;
}

function walk(root: string, rel: string, state: WalkState, insideOutput: boolean): void {
  const dir = path.join(root, rel);
  const entries = fs.readdirSync(dir).sort();
  // The marker of the CLI's --out and of the GitOpsWriter's folders (and those of earlier releases).
  const isOutput = rel !== '' && entries.some((e) => OUTPUT_MARKERS.includes(e));
  if (isOutput && state.skipOutputs) {
    state.skipped.push({ file: `${toPosix(rel)}/`, line: 0, reason: 'written by inference-migrate (stage folders are output, not input)' });
    return;
  }
  const generated = insideOutput || isOutput;
  for (const name of entries) {
    const childRel = rel === '' ? name : path.join(rel, name);
    const stat = statOrUndefined(path.join(root, childRel));
    if (!stat) continue; // a dangling symbolic link
    if (stat.isDirectory()) {
      if (SKIPPED_DIRS.has(name)) continue;
      if (name.startsWith('.')) {
        state.skipped.push({ file: `${toPosix(childRel)}/`, line: 0, reason: 'hidden directory' });
        continue;
      }
      const real = fs.realpathSync(path.join(root, childRel));
      if (state.seen.has(real)) continue; // a symbolic link loop
      state.seen.add(real);
      walk(root, childRel, state, generated);
    } else if (stat.isFile() && (YAML_FILE.test(name) || name === 'Kustomization')) {
      state.files.push(toPosix(childRel));
      if (generated) state.generated.add(toPosix(childRel));
    }
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

interface Layout {
  /** Whole files skipped before parsing, with the reason. */
  readonly skippedFiles: Map<string, string>;
  /** Namespaces set by kustomizations for the files they list. */
  readonly namespaceHints: Map<string, string>;
}

/**
 * Reads what kustomizations and Helm charts say about the other files: chart templates, values and
 * metadata are not manifests; kustomize patches and generator inputs are not whole objects; a
 * kustomization's `namespace` applies to the resource files it lists.
 */
function readLayout(root: string, files: string[], skipped: SkippedDocument[]): Layout {
  const skippedFiles = new Map<string, string>();
  const namespaceHints = new Map<string, string>();
  const fileSet = new Set(files);

  const chartDirs = files.filter((f) => path.posix.basename(f) === 'Chart.yaml').map((f) => path.posix.dirname(f));
  for (const file of files) {
    const chart = chartDirs.filter((d) => d === '.' || file.startsWith(`${d}/`)).sort((a, b) => b.length - a.length)[0];
    if (chart === undefined) continue;
    const inChart = chart === '.' ? file : file.slice(chart.length + 1);
    const base = path.posix.basename(file);
    if (inChart === 'Chart.yaml') skippedFiles.set(file, 'helm chart metadata (Chart.yaml)');
    else if (inChart.startsWith('templates/')) skippedFiles.set(file, `helm chart template (chart ${chart === '.' ? '.' : `${chart}/`})`);
    else if (/^values.*\.ya?ml$/i.test(base)) skippedFiles.set(file, 'helm values file');
  }

  for (const file of files.filter((f) => KUSTOMIZATION_FILES.includes(path.posix.basename(f)))) {
    skippedFiles.set(file, 'kustomization (kustomize configuration, not a cluster object)');
    let k: any;
    try {
      const docs = parseAllDocuments(fs.readFileSync(path.join(root, file), 'utf8'), { logLevel: 'error' });
      k = Array.isArray(docs) && docs.length > 0 && docs[0].errors.length === 0 ? docs[0].toJS() : undefined;
    } catch {
      k = undefined;
    }
    if (!k || typeof k !== 'object' || Array.isArray(k)) {
      skipped.push({ file, line: 1, reason: 'kustomization that could not be read (patches and namespace are not applied)' });
      continue;
    }
    const dir = path.posix.dirname(file);
    const resolve = (p: unknown) => (typeof p === 'string' ? path.posix.normalize(path.posix.join(dir, p)) : undefined);
    const mark = (p: unknown, reason: string) => {
      const f = resolve(p);
      if (f && fileSet.has(f)) skippedFiles.set(f, `${reason} (listed in ${file})`);
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

function asList(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** The documents of one file: objects, skipped documents and problems. */
export interface ParsedFile {
  readonly objects: SourceObject[];
  readonly skipped: SkippedDocument[];
  readonly problems: InputProblem[];
}

/**
 * Parses the text of one YAML file (YAML 1.1, as Kubernetes reads manifests) and classifies each
 * document. Pure.
 */
export function parseYamlText(text: string, file: string): ParsedFile {
  const objects: SourceObject[] = [];
  const skipped: SkippedDocument[] = [];
  const problems: InputProblem[] = [];
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, version: '1.1', logLevel: 'error', prettyErrors: false });
  if (!Array.isArray(docs)) return { objects, skipped, problems }; // an empty stream
  const base = path.posix.basename(file);

  for (const doc of docs) {
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lines.linePos(start).line;
    const source = text.slice(doc.range[0], doc.range[2]);
    if (doc.errors.length > 0) {
      if (source.includes('{{')) {
        skipped.push({ file, line, reason: 'template ({{ }}), not yaml until rendered' });
      } else {
        const e = doc.errors[0];
        const at = lines.linePos(e.pos[0]);
        problems.push({ file, line: at.line, message: `malformed yaml: ${firstLine(e.message)} (column ${at.col})` });
      }
      continue;
    }
    if (hasTemplateMarkers(doc, text)) {
      skipped.push({ file, line, reason: 'template ({{ }}), not yaml until rendered' });
      continue;
    }
    let value: any;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      problems.push({ file, line, message: `malformed yaml: ${firstLine((err as Error).message)}` });
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document
    classify(value, doc.contents as Node, line, file, base, lines, { objects, skipped, problems });
  }
  return { objects, skipped, problems };
}

function firstLine(message: string): string {
  const text = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Unquoted `{{` in a plain scalar or a flow map that opens with `{{`: a Go template, not data. */
function hasTemplateMarkers(doc: Document, text: string): boolean {
  let found = false;
  visit(doc, {
    Scalar(_key, node) {
      if (node.type === 'PLAIN' && typeof node.source === 'string' && node.source.includes('{{')) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_key, node) {
      if (node.flow && node.range && text.startsWith('{{', node.range[0])) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function classify(value: any, node: Node | undefined, line: number, file: string, base: string, lines: LineCounter, out: ParsedFile): void {
  const { objects, skipped, problems } = out;
  if (typeof value !== 'object' || Array.isArray(value)) {
    skipped.push({ file, line, reason: `not a kubernetes object (a yaml ${Array.isArray(value) ? 'list' : 'scalar'})` });
    return;
  }
  const apiVersion = value.apiVersion;
  const kind = value.kind;
  if (apiVersion === undefined && kind === undefined) {
    const what = /^values.*\.ya?ml$/i.test(base) ? 'helm values file' : 'not a kubernetes object (no apiVersion and no kind)';
    skipped.push({ file, line, reason: what });
    return;
  }
  const group = typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kustomize = (kind === 'Kustomization' || kind === 'Component') && (apiVersion === undefined || group === 'kustomize.config.k8s.io');
  if (kustomize || TOOL_CONFIG_GROUPS.some((g) => group === g || group.endsWith(`.${g}`))
    || (apiVersion === 'v1' && kind === 'Config') || kind === 'EndpointPickerConfig') {
    skipped.push({ file, line, reason: `tool configuration (${apiVersion ?? '?'} ${kind ?? '?'}), not a cluster object` });
    return;
  }
  if (typeof kind !== 'string' || kind === '') {
    problems.push({ file, line, message: `object with apiVersion ${JSON.stringify(apiVersion)} has no kind` });
    return;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    problems.push({ file, line, message: `${kind} has no apiVersion` });
    return;
  }
  if (kind.endsWith('List') && Array.isArray(value.items) && value.metadata?.name === undefined) {
    const items = isMap(node) ? node.get('items', true) : undefined;
    value.items.forEach((item: any, i: number) => {
      const itemNode = isSeq(items) ? (items.items[i] as Node) : undefined;
      const itemLine = itemNode?.range ? lines.linePos(itemNode.range[0]).line : line;
      classify(item, itemNode, itemLine, file, base, lines, out);
    });
    return;
  }
  const name = value.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    const generate = typeof value.metadata?.generateName === 'string' ? ' (only metadata.generateName, which gives a new object on every apply)' : '';
    problems.push({ file, line, message: `${kind} has no metadata.name${generate}` });
    return;
  }
  objects.push({ file, line, object: value, node, lines });
}

/**
 * The line of a field of an object, from a validation field path such as
 * `spec.rules[0].backendRefs[1].weight` or `metadata.labels[app]`: the deepest part of the path that
 * exists in the YAML. Falls back to the object's line.
 */
export function fieldLine(source: SourceObject, field: string): number {
  if (!source.node || !source.lines || field === '') return source.line;
  let node: any = source.node;
  let line = source.line;
  for (const segment of splitFieldPath(field)) {
    let next: any;
    if (isMap(node)) next = node.items.find((p: any) => isScalar(p.key) && String(p.key.value) === segment)?.value;
    else if (isSeq(node) && /^\d+$/.test(segment)) next = node.items[Number(segment)];
    if (!next || !next.range) break;
    node = next;
    line = source.lines.linePos(next.range[0]).line;
  }
  return line;
}

/** `a.b[0][key.x]` -> ['a', 'b', '0', 'key.x']. */
export function splitFieldPath(field: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < field.length) {
    if (field[i] === '.') {
      i++;
    } else if (field[i] === '[') {
      const end = field.indexOf(']', i);
      const stop = end < 0 ? field.length : end;
      out.push(field.slice(i + 1, stop));
      i = stop + 1;
    } else {
      let j = i;
      while (j < field.length && field[j] !== '.' && field[j] !== '[') j++;
      out.push(field.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** `Kind namespace/name` (or `Kind name` for an object without namespace). */
export function objectRef(obj: any, namespace?: string): string {
  const ns = obj.metadata?.namespace ?? namespace;
  return `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata?.name}`;
}
