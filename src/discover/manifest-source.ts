import { ApiObject } from 'cdk8s';
import { DEFAULT_MAX_FILE_BYTES, sizeProblem } from './input-files';
import { readPath, readRepo, readStdin, RepoContents } from './repo-reader';
import { InputError } from './sources';
import { classifyValues, parseYamlText } from './yaml-documents';
import { PropError } from '../core/errors';
import { DNS1123_LABEL } from '../core/name-patterns';

/** Options of reading manifests. */
export interface ManifestSourceOptions {
  /**
   * Size limit of one file (or of the YAML text), in bytes: a larger input is an error, never a
   * silent skip.
   * @default 16777216 (16 MiB)
   */
  readonly maxFileSize?: number;

  /**
   * How many YAML documents one file (or the YAML text) may hold: more is an error, never a silent
   * skip. It bounds the time and memory a file of many tiny documents takes.
   * @default 10000
   */
  readonly maxDocuments?: number;

  /**
   * Read the folders that this library (its GitOpsWriter, or the command line) wrote. Planning skips
   * them: they are output, not input.
   * @default false
   */
  readonly includeGeneratedFolders?: boolean;

  /**
   * Namespace of namespaced objects that have none (and no kustomization that sets one), as
   * `kubectl apply -n` and `helm template -n` give it: `helm template` output leaves it off objects
   * whose templates do not set it.
   * @default - none: such objects are planned in `default`, with a warning
   */
  readonly namespace?: string;
}

/** Options of `ManifestSource.fromYaml`. */
export interface YamlManifestOptions extends ManifestSourceOptions {
  /**
   * The name the text goes by in messages (`<name>:<line>: ...`).
   * @default 'manifests.yaml'
   */
  readonly name?: string;
}

/** A place in the input. */
export interface ManifestLocation {
  /**
   * The file, relative to the directory that was read (with `/` separators); the name given to
   * `fromYaml`; or the construct path of an ApiObject.
   */
  readonly file: string;
  /** The 1-based line where the object starts; 0 when not known (ApiObjects). */
  readonly line: number;
}

/** A document, file or directory of the input that was not read as a Kubernetes object. */
export interface SkippedManifest extends ManifestLocation {
  /** Why, lower-case: a kustomization, a Helm chart or template, a symbolic link (with its target), ... */
  readonly reason: string;
  /**
   * True when it is worth saying even when nobody asked: a symbolic link, a template, a Helm chart, a
   * special file; false for routine skips (kustomizations, values files, tool configuration, hidden
   * directories).
   */
  readonly notable: boolean;
  /**
   * For a Helm chart template: the lines that name the alpha API group `inference.networking.x-k8s.io`
   * (the chart must be rendered to plan them).
   * @default - none
   */
  readonly alphaApiLines?: number[];
}

/**
 * Kubernetes manifests as a repository holds them, read once: from a directory (recursively: plain
 * manifests, multi-document files, `kustomize build` and `helm template` output; kustomizations, Helm
 * charts and values files are recognized and skipped), from YAML text, or from cdk8s ApiObjects. Each
 * object keeps its file and line for messages. The planners (`InferenceMigrationPlan`,
 * `KServeMigrationPlan`) take a source.
 *
 * Reading is strict where a wrong answer would be silent: malformed YAML, objects without a kind or
 * name, files above the size limit, text that is not UTF-8 and documents nested deeper than 100 levels
 * are errors (naming file and line). Symbolic links are never followed (each is listed as skipped, with
 * its target), and templates are listed as skipped.
 *
 * @example
 * const source = ManifestSource.fromDirectory('gitops/apps');
 * for (const s of source.skipped.filter((s) => s.notable)) console.warn(`skipped ${s.file}: ${s.reason}`);
 */
export class ManifestSource {
  /**
   * Reads every `.yaml`/`.yml` file under `directory` (hidden directories, `node_modules` and the
   * folders this library wrote are skipped).
   */
  public static fromDirectory(directory: string, options: ManifestSourceOptions = {}): ManifestSource {
    return new ManifestSource(readRepo(directory, readOptions(options)));
  }

  /** Reads one YAML file, or every YAML file under a directory. */
  public static fromPath(fileOrDirectory: string, options: ManifestSourceOptions = {}): ManifestSource {
    return new ManifestSource(readPath(fileOrDirectory, readOptions(options)));
  }

  /**
   * Reads one YAML stream from standard input, e.g. `kustomize build overlays/prod | ...` or
   * `helm template ... | ...`; it goes by `<stdin>` in messages.
   */
  public static fromStandardInput(options: ManifestSourceOptions = {}): ManifestSource {
    return new ManifestSource(readStdin(readOptions(options)));
  }

  /** Reads a YAML stream: one or more documents separated by `---`. */
  public static fromYaml(yaml: string, options: YamlManifestOptions = {}): ManifestSource {
    if (typeof yaml !== 'string') throw new PropError(`ManifestSource.fromYaml: 'yaml' must be a string (got ${typeof yaml})`);
    const name = options.name ?? 'manifests.yaml';
    const maxBytes = readOptions(options).maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const tooBig = sizeProblem(name, Buffer.byteLength(yaml, 'utf8'), maxBytes);
    if (tooBig) throw new InputError([tooBig], '');
    const parsed = parseYamlText(yaml.charCodeAt(0) === 0xfeff ? yaml.slice(1) : yaml, name, readOptions(options).maxDocuments);
    if (parsed.problems.length > 0) throw new InputError(parsed.problems, '');
    const objects = options.namespace === undefined ? parsed.objects
      : parsed.objects.map((o) => (o.object.metadata.namespace ? o : { ...o, namespaceHint: options.namespace }));
    return new ManifestSource({ root: '', files: [name], objects, skipped: parsed.skipped });
  }

  /** Reads the manifests of cdk8s ApiObjects (e.g. those of an `Include`); each goes by its construct path. */
  public static fromApiObjects(apiObjects: ApiObject[]): ManifestSource {
    if (!Array.isArray(apiObjects)) throw new PropError(`ManifestSource.fromApiObjects: 'apiObjects' must be a list (got ${typeof apiObjects})`);
    const paths = apiObjects.map((o) => o.node.path);
    const parsed = classifyValues(apiObjects.map((o) => o.toJson()), (i) => paths[i]);
    if (parsed.problems.length > 0) throw new InputError(parsed.problems, '');
    return new ManifestSource({ root: '', files: [...new Set(paths)], objects: parsed.objects, skipped: parsed.skipped });
  }

  /** The directory that was read, as given ('' for YAML text and ApiObjects). */
  public readonly root: string;
  /** The files read (relative to `root`), sorted. */
  public readonly files: string[];
  /** How many Kubernetes objects were read. */
  public readonly objectCount: number;
  /** What was not read as a Kubernetes object, and why, in file order. */
  public readonly skipped: SkippedManifest[];

  /** @internal */
  public readonly _contents: RepoContents;

  private constructor(contents: RepoContents) {
    this._contents = contents;
    this.root = contents.root;
    this.files = [...contents.files];
    this.objectCount = contents.objects.length;
    this.skipped = contents.skipped.map((s) => ({
      file: s.file, line: s.line, reason: s.reason, notable: s.notable === true, ...(s.alphaLines ? { alphaApiLines: [...s.alphaLines] } : {}),
    }));
  }
}

function readOptions(options: ManifestSourceOptions): { maxFileBytes?: number; maxDocuments?: number; skipOutputs: boolean; namespace?: string } {
  const max = options.maxFileSize;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    throw new PropError(`ManifestSource: 'maxFileSize' must be a positive integer number of bytes (got ${JSON.stringify(max)})`);
  }
  const docs = options.maxDocuments;
  if (docs !== undefined && (typeof docs !== 'number' || !Number.isInteger(docs) || docs < 1)) {
    throw new PropError(`ManifestSource: 'maxDocuments' must be a positive integer (got ${JSON.stringify(docs)})`);
  }
  const ns = options.namespace;
  if (ns !== undefined && (typeof ns !== 'string' || ns.length > 63 || !DNS1123_LABEL.test(ns))) {
    throw new PropError(`ManifestSource: 'namespace' must be a namespace name: at most 63 lower-case letters, digits and '-' (got ${JSON.stringify(ns)})`);
  }
  return {
    ...(max !== undefined ? { maxFileBytes: max } : {}),
    ...(docs !== undefined ? { maxDocuments: docs } : {}),
    skipOutputs: !(options.includeGeneratedFolders ?? false),
    ...(ns !== undefined ? { namespace: ns } : {}),
  };
}
