/**
 * Parses the text of one YAML file (YAML 1.1, as Kubernetes reads manifests) and classifies each
 * document: a Kubernetes object (with its line), a skipped document with the reason, or a problem.
 * Pure: no file system, no cdk8s.
 *
 * Never recursion without a bound: the nesting depth of every document is measured on the parser's
 * tokens (the tokenizer is not recursive) before a document is composed, and again after aliases are
 * expanded, so a document nested deeper than `MAX_NESTING_DEPTH` is a problem with its line instead of
 * a stack overflow anywhere later.
 */
import * as path from 'path';
import { Composer, CST, Document, isMap, isSeq, LineCounter, Node, Parser, visit } from 'yaml';
import { InputProblem, SkippedDocument, SourceObject } from './sources';
import { findVariablePlaceholder, placeholderReason } from './variable-placeholders';
import { show } from '../core/errors';
import { KUBERNETES_YAML, toKubernetesJsonKeys } from '../core/kubernetes-yaml';
import { documentTexts } from '../core/yaml-text';

/**
 * How deep collections may nest in one document. Kubernetes objects stay far below it (the deepest
 * pinned CRD, KServe's InferenceService with its embedded pod spec, nests 31 levels).
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * How many YAML documents one file (or stream) may hold unless the caller raises it. The largest
 * `helm template` and `kustomize build` outputs of real repositories stay well below it; a file of
 * hundreds of thousands of tiny documents would otherwise take minutes and gigabytes to read.
 */
export const DEFAULT_MAX_DOCUMENTS = 10_000;

/** The documents of one file: objects, skipped documents and problems. */
export interface ParsedFile {
  readonly objects: SourceObject[];
  readonly skipped: SkippedDocument[];
  readonly problems: InputProblem[];
}

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

const TEMPLATE_REASON = 'template ({{ }}), not yaml until rendered: render it (helm template, or its own tool) and read the output';

/**
 * A Helm template action in a string: a built-in object (`.Release`, `.Values`, `.Chart`, ...) or a
 * Helm-only function (`include`, `tpl`). Go templates of other tools (Prometheus' `{{ $labels.x }}`,
 * Argo's `{{workflow.name}}`) are data, and stay.
 */
const HELM_ACTION = /\{\{[^}]*(?:\$?\.(?:Release|Values|Chart|Capabilities|Files|Template)\b|\b(?:include|tpl)\s)/;

/** The fields that name an object: a template there can never be data. */
const IDENTITY_FIELDS: Array<[string, (o: any) => unknown]> = [
  ['apiVersion', (o) => o.apiVersion],
  ['kind', (o) => o.kind],
  ['metadata.name', (o) => o.metadata?.name],
  ['metadata.namespace', (o) => o.metadata?.namespace],
  ['metadata.generateName', (o) => o.metadata?.generateName],
];

/** A composed document, or the problem that kept it from being composed. */
interface ComposedDocuments {
  readonly docs: Document[];
  /** The text of each document of `docs` (comments before it included), as `CarriedManifest` keeps it. */
  readonly texts: string[];
  /** Documents deeper than the limit, by first line: not composed. */
  readonly tooDeep: Array<{ line: number; depth: number }>;
  /** The line of the first document past `maxDocuments`, when the text holds more: then nothing is composed. */
  readonly tooManyAt?: number;
}

/**
 * Tokenizes and composes `text`, leaving out (and reporting) every document nested deeper than
 * `MAX_NESTING_DEPTH`. Never recurses on the input's structure before the depth is known.
 */
export function composeDocuments(text: string, lines: LineCounter, maxDocuments = DEFAULT_MAX_DOCUMENTS): ComposedDocuments {
  // Tokens are taken one by one, so a text of too many documents costs no more than the limit.
  const tokens: CST.Token[] = [];
  let count = 0;
  for (const token of new Parser(lines.addNewLine).parse(text)) {
    if (token.type === 'document' && ++count > maxDocuments) {
      return { docs: [], texts: [], tooDeep: [], tooManyAt: lines.linePos(token.offset).line };
    }
    tokens.push(token);
  }
  const allTexts = documentTexts(text, tokens);
  const texts: string[] = [];
  const kept: CST.Token[] = [];
  const tooDeep: Array<{ line: number; depth: number }> = [];
  let dropping = false;
  let index = 0;
  for (const token of tokens) {
    if (token.type === 'document') {
      const depth = tokenDepth(token);
      dropping = depth > MAX_NESTING_DEPTH;
      const own = allTexts[index++];
      if (dropping) {
        tooDeep.push({ line: lines.linePos(token.value?.offset ?? token.offset).line, depth });
        continue;
      }
      texts.push(own);
    } else if (dropping && token.type === 'doc-end') {
      continue; // the end marker of a dropped document
    } else if (token.type === 'directive') {
      dropping = false;
    }
    kept.push(token);
  }
  // Scalars typed as the API server's decoder (sigs.k8s.io/yaml, go-yaml v2) types them: see core/kubernetes-yaml.
  const composer = new Composer({ ...KUBERNETES_YAML, logLevel: 'error', prettyErrors: false });
  return { docs: Array.from(composer.compose(kept)), texts, tooDeep };
}

/** How deep collections nest in a token, counted without recursion. */
function tokenDepth(root: CST.Token): number {
  let max = 0;
  const stack: Array<[CST.Token | undefined, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      const d = depth + 1;
      if (d > max) max = d;
      if (max > MAX_NESTING_DEPTH) return max;
      for (const item of token.items) {
        const it = item as { key?: CST.Token | null; value?: CST.Token };
        if (it.key) stack.push([it.key, d]);
        if (it.value) stack.push([it.value, d]);
      }
    }
  }
  return max;
}

/** How deep a plain value nests (aliases expanded), counted without recursion; stops past the limit. */
function valueDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > MAX_NESTING_DEPTH) return max;
    for (const child of Object.values(v as object)) stack.push([child, d]);
  }
  return max;
}

function tooDeepMessage(depth: number): string {
  return `document nested deeper than ${MAX_NESTING_DEPTH} levels (${depth > MAX_NESTING_DEPTH ? `at least ${depth}` : depth}): ` +
    'no Kubernetes object nests that deep; check the file (a generator gone wrong, or not a manifest)';
}

/**
 * Parses the text of one YAML file (YAML 1.1, as Kubernetes reads manifests) and classifies each
 * document. Pure.
 */
export function parseYamlText(text: string, file: string, maxDocuments = DEFAULT_MAX_DOCUMENTS): ParsedFile {
  const objects: SourceObject[] = [];
  const skipped: SkippedDocument[] = [];
  const problems: InputProblem[] = [];
  const lines = new LineCounter();
  const { docs, texts, tooDeep, tooManyAt } = composeDocuments(text, lines, maxDocuments);
  if (tooManyAt !== undefined) {
    problems.push({
      file,
      line: tooManyAt,
      message: `holds more than ${maxDocuments} yaml documents, the limit of one input file; if it really is one manifest stream, `
        + 'raise the limit (--max-documents, or the maxDocuments option)',
    });
    return { objects, skipped, problems };
  }
  for (const d of tooDeep) problems.push({ file, line: d.line, message: tooDeepMessage(d.depth) });
  const base = path.posix.basename(file);

  for (const [d, doc] of docs.entries()) {
    const range = doc.range ?? [0, text.length, text.length];
    const start = doc.contents?.range?.[0] ?? range[0];
    const line = lines.linePos(start).line;
    const source = text.slice(range[0], range[2]);
    if (doc.errors.length > 0) {
      if (source.includes('{{')) {
        skipped.push({ file, line, reason: TEMPLATE_REASON, notable: true });
      } else {
        const e = doc.errors[0];
        const at = lines.linePos(e.pos[0]);
        problems.push({ file, line: at.line, message: `malformed yaml: ${firstLine(e.message)} (column ${at.col})${runTogether(e.code, text, e.pos[0])}` });
      }
      continue;
    }
    const template = templateMarker(doc, text);
    if (template) {
      skipped.push({ file, line, reason: template, notable: true });
      continue;
    }
    const read = documentValue(doc, lines);
    if ('problem' in read) {
      problems.push({ file, ...read.problem });
      continue;
    }
    const value: any = read.value;
    if (value === null || value === undefined) continue; // an empty document
    const depth = valueDepth(value);
    if (depth > MAX_NESTING_DEPTH) {
      problems.push({ file, line, message: tooDeepMessage(depth) });
      continue;
    }
    classify(value, doc.contents as Node, line, file, base, lines, { objects, skipped, problems }, texts[d]);
  }
  return { objects, skipped, problems };
}

/**
 * The JSON value of a composed document, as sigs.k8s.io/yaml's YAMLToJSON gives it (map keys as
 * strings; aliases expanded), or the problem (with its line) that keeps it from being JSON.
 */
function documentValue(doc: Document, lines: LineCounter): { value: unknown } | { problem: { line: number; message: string } } {
  const refused = toKubernetesJsonKeys(doc);
  if (refused.length > 0) return { problem: { line: lines.linePos(refused[0].offset).line, message: refused[0].message } };
  try {
    return { value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (err) {
    // The yaml library's own errors (an alias bomb, an unresolved alias) are about the input.
    const start = doc.contents?.range?.[0] ?? 0;
    return { problem: { line: lines.linePos(start).line, message: `malformed yaml: ${firstLine((err as Error).message)}` } };
  }
}

/**
 * The JSON value of a YAML text of one document, as the API server reads it (sigs.k8s.io/yaml's
 * YAMLToJSON): scalars typed by go-yaml v2's rules, map keys as strings. Throws an Error naming the
 * line when the text is not one well-formed document that JSON can hold. Pure.
 */
export function yamlToJson(text: string): unknown {
  const lines = new LineCounter();
  const { docs, tooDeep } = composeDocuments(text, lines);
  if (tooDeep.length > 0) throw new Error(`line ${tooDeep[0].line}: ${tooDeepMessage(tooDeep[0].depth)}`);
  if (docs.length !== 1) throw new Error(`expected one yaml document, found ${docs.length}`);
  const doc = docs[0];
  if (doc.errors.length > 0) throw new Error(`line ${lines.linePos(doc.errors[0].pos[0]).line}: malformed yaml: ${firstLine(doc.errors[0].message)}`);
  const read = documentValue(doc, lines);
  if ('problem' in read) throw new Error(`line ${read.problem.line}: ${read.problem.message}`);
  return read.value;
}

/**
 * Classifies objects that were parsed elsewhere (e.g. cdk8s ApiObjects) as parsed documents are:
 * `fileOf(i)` names where the i-th came from (line 0: not known). Pure.
 */
export function classifyValues(values: unknown[], fileOf: (index: number) => string): ParsedFile {
  const out: ParsedFile = { objects: [], skipped: [], problems: [] };
  values.forEach((value, i) => {
    const file = fileOf(i);
    if (value === null || value === undefined) return;
    const depth = valueDepth(value);
    if (depth > MAX_NESTING_DEPTH) {
      out.problems.push({ file, line: 0, message: tooDeepMessage(depth) });
      return;
    }
    classify(value, undefined, 0, file, path.posix.basename(file), new LineCounter(), out);
  });
  return out;
}

/**
 * The hint for two documents run together: a top-level `apiVersion` or `kind` repeated is what files concatenated
 * without `---` between them look like (`cat a.yaml b.yaml | inference-migrate plan --from -`).
 */
function runTogether(code: string, text: string, pos: number): string {
  if (code !== 'DUPLICATE_KEY' || !/^(apiVersion|kind)\s*:/.test(text.slice(pos))) return '';
  return '; two documents run together? Files concatenated without --- between them read as one: separate them '
    + '(for f in *.yaml; do cat "$f"; echo ---; done | inference-migrate ...), or give the folder itself';
}

function firstLine(message: string): string {
  const text = String(message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Why a document is a template, or undefined: an unquoted `{{` (plain scalar, or a flow map that
 * opens with `{{`), or a Helm action in a quoted string.
 */
function templateMarker(doc: Document, text: string): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.source !== 'string' || !node.source.includes('{{')) return undefined;
      if (node.type === 'PLAIN') {
        found = TEMPLATE_REASON;
      } else if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && HELM_ACTION.test(node.source)) {
        found = `helm template (${quoteShort(node.source)} in a quoted string), not yaml until rendered: render it with helm template and read the output`;
      }
      return found ? visit.BREAK : undefined;
    },
    Map(_key, node) {
      if (node.flow && node.range && text.startsWith('{{', node.range[0])) {
        found = TEMPLATE_REASON;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function quoteShort(s: string): string {
  const m = /\{\{[^}]*\}?\}?/.exec(s);
  const t = m ? m[0] : s;
  return t.length > 40 ? `${t.slice(0, 37)}...` : t;
}

/** The identity field of an object that holds a template, if any. */
function templatedIdentity(value: any): string | undefined {
  for (const [field, get] of IDENTITY_FIELDS) {
    const v = get(value);
    if (typeof v === 'string' && v.includes('{{')) return field;
  }
  return undefined;
}

function classify(value: any, node: Node | undefined, line: number, file: string, base: string, lines: LineCounter, out: ParsedFile,
  text?: string): void {
  const { objects, skipped, problems } = out;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    skipped.push({ file, line, reason: `not a kubernetes object (a yaml ${Array.isArray(value) ? 'list' : 'scalar'})` });
    return;
  }
  const templated = templatedIdentity(value);
  if (templated) {
    skipped.push({ file, line, reason: `template ({{ }} in ${templated}), not yaml until rendered: render it (helm template, or its own tool) and read the output`, notable: true });
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
    skipped.push({ file, line, reason: `tool configuration (${typeof apiVersion === 'string' ? apiVersion : '?'} ${typeof kind === 'string' ? kind : '?'}), not a cluster object` });
    return;
  }
  if (typeof kind !== 'string' || kind === '') {
    problems.push({ file, line, message: `object with apiVersion ${JSON.stringify(apiVersion) ?? 'undefined'} has no kind` });
    return;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    problems.push({ file, line, message: `${kind} has no apiVersion` });
    return;
  }
  const metadata = value.metadata;
  if (kind.endsWith('List') && Array.isArray(value.items) && (metadata === null || typeof metadata !== 'object' || metadata.name === undefined)) {
    const items = isMap(node) ? node.get('items', true) : undefined;
    value.items.forEach((item: any, i: number) => {
      const itemNode = isSeq(items) ? (items.items[i] as Node) : undefined;
      const itemLine = itemNode?.range ? lines.linePos(itemNode.range[0]).line : line;
      classify(item, itemNode, itemLine, file, base, lines, out);
    });
    return;
  }
  const placeholder = findVariablePlaceholder(value);
  if (placeholder) {
    skipped.push({ file, line, reason: placeholderReason(placeholder), notable: true });
    return;
  }
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    problems.push({ file, line, message: `${kind} has no metadata.name${metadata === undefined ? '' : ` (metadata is ${show(metadata)}, not a map)`}` });
    return;
  }
  if (metadata.namespace !== undefined && metadata.namespace !== null && typeof metadata.namespace !== 'string') {
    problems.push({ file, line, message: `${kind} ${typeof metadata.name === 'string' ? `${metadata.name} ` : ''}has a metadata.namespace that is not a string (got ${show(metadata.namespace)})` });
    return;
  }
  const name = metadata.name;
  if (name !== undefined && name !== null && typeof name !== 'string') {
    problems.push({ file, line, message: `${kind} has a metadata.name that is not a string (got ${show(name)}): Kubernetes reads the unquoted value so; quote it` });
    return;
  }
  if (typeof name !== 'string' || name === '') {
    const generate = typeof metadata.generateName === 'string' ? ' (only metadata.generateName, which gives a new object on every apply)' : '';
    problems.push({ file, line, message: `${kind} has no metadata.name${generate}` });
    return;
  }
  objects.push({ file, line, object: value, node, lines, ...(text !== undefined ? { text } : {}) });
}
