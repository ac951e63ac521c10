/**
 * The GitOps objects that point a cluster at a stage folder (Argo CD Applications, Flux Kustomizations)
 * in a user's YAML file: where their path value sits in the text, and the edit of that value alone.
 * Pure: text in, text out. The edit replaces the source text of the one scalar node (found with the
 * `yaml` library's document API) and keeps every other byte: comments, spacing, key order, quoting.
 */
import * as YAML from 'yaml';
import { groupOf } from './manifests';
import { UserError } from '../core/errors';
import { KUBERNETES_YAML } from '../core/kubernetes-yaml';
import { isPlainObject } from '../validation/paths';

/** A GitOps object whose path can be promoted. */
export interface GitOpsPathRef {
  /** `Argo CD` or `Flux`. */
  readonly tool: string;
  /** `Application` or `Kustomization`. */
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The field holding the path: `spec.source.path` or `spec.path`. */
  readonly field: string;
  /** The path as the object holds it. */
  readonly path: string;
  /** 1-based line of the path value. */
  readonly line: number;
  /** Why the revision the object deploys may not pick up a promotion (a pinned tag or commit), if so. */
  readonly revisionWarning?: string;
  /** Index of the YAML document in the file. */
  readonly document: number;
  /** Source range [start, end) of the path scalar, including its quotes. */
  readonly range: readonly [number, number];
  /** The scalar's style: PLAIN, QUOTE_DOUBLE or QUOTE_SINGLE. */
  readonly style: string;
}

/** An object of the file that points at a path but cannot be promoted by editing it, and why. */
export interface RefusedGitOpsObject {
  readonly kind: string;
  readonly name: string;
  /** The paths it points at (may be empty or templated). */
  readonly paths: string[];
  readonly reason: string;
}

/** What a file holds. */
export interface GitOpsFile {
  readonly objects: GitOpsPathRef[];
  readonly refused: RefusedGitOpsObject[];
}

const ARGO_GROUP = 'argoproj.io';
const FLUX_GROUP = 'kustomize.toolkit.fluxcd.io';

/** `namespace/name`, or `name` for an object without a namespace. */
export function refName(ref: { readonly name: string; readonly namespace?: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

/** `tag` or `commit` when `revision` pins one (a guess from its form: branches are never certain). */
export function pinnedRevision(revision: unknown): 'tag' | 'commit' | undefined {
  if (typeof revision !== 'string') return undefined;
  const r = revision.trim();
  if (r === '' || r === 'HEAD') return undefined;
  if (/^[0-9a-f]{7,40}$/i.test(r) && /\d/.test(r)) return 'commit';
  if (/^refs\/tags\//.test(r) || /^v?\d+(\.\d+){1,2}([-+][0-9A-Za-z.+-]*)?$/.test(r)) return 'tag';
  return undefined;
}

function argoRevisionWarning(spec: any): string | undefined {
  const revision = spec?.source?.targetRevision;
  const pinned = pinnedRevision(revision);
  if (!pinned) return undefined;
  return `spec.source.targetRevision is ${revision}, which looks like a ${pinned}: Argo CD keeps deploying that ${pinned}, so merging this change promotes nothing until targetRevision points at a revision that holds it (a branch, or a new ${pinned})`;
}

/**
 * The pin of the Flux source a Kustomization reads, when that source is in the same file: GitRepository
 * `spec.ref` commit, tag, semver or a `refs/tags/` name; OCIRepository digest, tag or semver
 * (api/v1/gitrepository_types.go and ocirepository_types.go of fluxcd/source-controller@v1.9.1).
 */
function fluxRevisionWarning(kustomization: any, all: any[]): string | undefined {
  const ref = kustomization?.spec?.sourceRef;
  if (!isPlainObject(ref) || typeof ref.name !== 'string') return undefined;
  const kind = ref.kind ?? 'GitRepository';
  const ns = ref.namespace ?? kustomization.metadata?.namespace;
  const source = all.find((o) => isPlainObject(o) && o.kind === kind && o.metadata?.name === ref.name && (o.metadata?.namespace ?? ns) === ns);
  const pin = isPlainObject(source?.spec?.ref) ? source.spec.ref : {};
  const field = ['commit', 'digest', 'tag', 'semver'].find((k) => typeof pin[k] === 'string' && pin[k] !== '')
    ?? (typeof pin.name === 'string' && pin.name.startsWith('refs/tags/') ? 'name' : undefined);
  if (!field) return undefined;
  return `the ${kind} ${ref.name} that this Kustomization reads is pinned (spec.ref.${field}: ${pin[field]}): Flux keeps applying that revision, so merging this change promotes nothing until the ${kind} follows a revision that holds it`;
}

function describeNode(node: unknown): string | undefined {
  if (YAML.isAlias(node)) return `an alias (*${node.source})`;
  if (YAML.isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return 'a block scalar';
  if (YAML.isScalar(node) && typeof node.value !== 'string') return 'not a string';
  if (!YAML.isScalar(node)) return 'not a string';
  return undefined;
}

/** True when an alias of `anchor` appears in `doc`. */
function aliasUsed(doc: YAML.Document, anchor: string): boolean {
  let used = false;
  YAML.visit(doc, {
    Alias(_key, node) {
      if (node.source === anchor) {
        used = true;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return used;
}

/**
 * The Argo CD Applications and Flux Kustomizations of a YAML file (multi-document files included), with
 * the source position of each path; what cannot be promoted by an edit (ApplicationSets, multi-source
 * Applications, a path given by an alias) is listed with the reason. Throws on YAML errors.
 */
export function readGitOpsFile(text: string, file: string): GitOpsFile {
  const lineCounter = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, { lineCounter, keepSourceTokens: false, ...KUBERNETES_YAML });
  if (!Array.isArray(docs)) throw new UserError(`${file}: not a YAML stream`);
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const at = err.linePos?.[0];
      throw new UserError(`${file}${at ? `:${at.line}` : ''}: ${err.message.split('\n')[0]}`);
    }
  }
  const all = docs.map((d) => {
    try {
      return d.toJS();
    } catch (e) {
      throw new UserError(`${file}: ${(e as Error).message}`);
    }
  });
  const objects: GitOpsPathRef[] = [];
  const refused: RefusedGitOpsObject[] = [];
  docs.forEach((doc, index) => {
    const obj = all[index];
    if (!isPlainObject(obj)) return;
    const group = typeof obj.apiVersion === 'string' ? groupOf(obj.apiVersion) : '';
    const name = String(obj.metadata?.name ?? '');
    const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
    const refuse = (paths: unknown[], reason: string) => refused.push({ kind: obj.kind, name, paths: paths.filter((p): p is string => typeof p === 'string'), reason });
    let field: string[] | undefined;
    let tool = '';
    let revisionWarning: string | undefined;
    if (group === ARGO_GROUP && obj.kind === 'ApplicationSet') {
      const tpl = obj.spec?.template?.spec ?? {};
      refuse([tpl.source?.path, ...(Array.isArray(tpl.sources) ? tpl.sources.map((s: any) => s?.path) : [])],
        `the Argo CD ApplicationSet ${name} is not supported yet: the Applications it generates take their path from its template and generators; change the path there by hand`);
      return;
    }
    if (group === ARGO_GROUP && obj.kind === 'Application') {
      // Argo CD reads spec.sources when it is not empty and no source hydrator is set, spec.source otherwise
      // (ApplicationSpec.HasMultipleSources, pkg/apis/application/v1alpha1/types.go@v3.5.1).
      if (isPlainObject(obj.spec?.sourceHydrator)) {
        const hydrator = obj.spec.sourceHydrator;
        refuse([hydrator.drySource?.path, hydrator.syncSource?.path],
          `the Argo CD Application ${name} uses the source hydrator (spec.sourceHydrator), which promotion does not support yet: change its drySource.path by hand`);
        return;
      }
      if (Array.isArray(obj.spec?.sources) && obj.spec.sources.length > 0) {
        refuse(obj.spec.sources.map((s: any) => s?.path),
          `the Argo CD Application ${name} has several sources (spec.sources), which promotion does not support yet: change the path of the source that points at the stage by hand`);
        return;
      }
      field = ['spec', 'source', 'path'];
      tool = 'Argo CD';
      revisionWarning = argoRevisionWarning(obj.spec);
    } else if (group === FLUX_GROUP && obj.kind === 'Kustomization') {
      field = ['spec', 'path'];
      tool = 'Flux';
      revisionWarning = fluxRevisionWarning(obj, all);
    } else {
      return;
    }
    const node = doc.getIn(field, true);
    if (node === undefined) return; // e.g. an Argo CD Application of a Helm chart: no path
    const problem = describeNode(node);
    if (problem) {
      refuse([doc.getIn(field)], `${field.join('.')} of the ${tool} ${obj.kind} ${name} is ${problem}: change it by hand`);
      return;
    }
    const scalar = node as YAML.Scalar;
    if (scalar.anchor && aliasUsed(doc, scalar.anchor)) {
      refuse([scalar.value], `${field.join('.')} of the ${tool} ${obj.kind} ${name} is anchored (&${scalar.anchor}) and used elsewhere (*${scalar.anchor}): changing it would change those too; change it by hand`);
      return;
    }
    const [start, end] = scalar.range!;
    objects.push({
      tool,
      kind: obj.kind,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      field: field.join('.'),
      path: scalar.value as string,
      line: lineCounter.linePos(start).line,
      ...(revisionWarning ? { revisionWarning } : {}),
      document: index,
      range: [start, end],
      style: scalar.type ?? 'PLAIN',
    });
  });
  return { objects, refused };
}

/** The source text of a scalar holding `value`, in `style` (a plain scalar that would not read back is double-quoted). */
function scalarSource(value: string, style: string): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, '\'\'')}'`;
  if (style === 'PLAIN' && /^[A-Za-z0-9_./][A-Za-z0-9_./@+~-]*$/.test(value)) return value;
  return JSON.stringify(value);
}

/**
 * `text` with the path of `ref` replaced by `value`: only the scalar's source changes. Checked by reading
 * the result back: every document must hold exactly what it held, but that path. Throws otherwise.
 */
export function replacePath(text: string, ref: GitOpsPathRef, value: string, file = 'the GitOps file'): string {
  const [start, end] = ref.range;
  const result = `${text.slice(0, start)}${scalarSource(value, ref.style)}${text.slice(end)}`;
  const before = YAML.parseAllDocuments(text, KUBERNETES_YAML).map((d) => d.toJS());
  const after = YAML.parseAllDocuments(result, KUBERNETES_YAML);
  const expected = before.map((o, i) => (i === ref.document ? withPath(o, ref.field.split('.'), value) : o));
  const same = after.length === before.length
    && after.every((d, i) => d.errors.length === 0 && JSON.stringify(d.toJS()) === JSON.stringify(expected[i]));
  if (!same) {
    // The value is shared: an anchor (`&src`) whose aliases elsewhere in the file would change with it.
    throw new UserError(`${file}:${ref.line}: replacing ${ref.field} of the ${ref.tool} ${ref.kind} ${ref.name} would change more than that value `
      + '(is it, or a map around it, a YAML anchor used elsewhere with *?): edit the path by hand; nothing was changed');
  }
  return result;
}

function withPath(obj: any, path: string[], value: string): any {
  if (path.length === 0) return value;
  return { ...obj, [path[0]]: withPath(obj[path[0]], path.slice(1), value) };
}

/** A unified diff of the lines that differ between `before` and `after` (one hunk), for `file`. */
export function lineDiff(file: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const removed = a.slice(head, a.length - tail);
  const added = b.slice(head, b.length - tail);
  if (removed.length === 0 && added.length === 0) return '';
  const range = (n: number) => (n === 1 ? `${head + 1}` : `${head + 1},${n}`);
  return [
    `--- ${file}`,
    `+++ ${file}`,
    `@@ -${range(removed.length)} +${range(added.length)} @@`,
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
  ].join('\n') + '\n';
}
