// Finds the CRDs of the selected bundles and compiles their versions for validation, once per process.
//
// The pinned CRDs come compiled at build time (imports/compiled, written by scripts/compile-crds.js with
// crd-compiler.ts): an index of what each file defines, and per version the schema without its descriptions and the
// code ajv generated for it, so a validator starts without parsing YAML or generating code. A CRD directory given at
// run time (ManifestValidatorOptions.crdDir), and a pinned file that was not compiled (or changed since), are read
// from YAML and compiled on first use instead, with the same functions, so both give the same results.
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'zlib';
import type { ValidateFunction } from 'ajv';
import { addParsedRules } from './cel';
import { yamlModule } from './lazy';
import { compileRootValidator, loadStandaloneValidator } from './openapi';
import { compiledCrdDir, LockEntry, pinnedCrdDir, readLock, readLockFile } from './package-files';
import { compileRootSchema, SchemaNode } from './structural';
import { UserError } from '../core/errors';
import { readRegularFile } from '../output/fs-safe';

/** The size limit of one file given with `--crds` (the largest CRD bundles, Argo CD's and cert-manager's, are a few MiB). */
const MAX_CRD_FILE_BYTES = 64 * 1024 * 1024;

/** Version of the compiled form (imports/compiled/index.json "format"); a different one is not read. */
export const COMPILED_FORMAT = 1;

/** One version of a CRD: its name and whether it is served. */
export interface CrdVersionInfo {
  readonly name: string;
  readonly served: boolean;
}

/** A CRD version compiled for validation; shared by all validators of the process. */
export interface CompiledCrdVersion {
  readonly root: SchemaNode;
  readonly validate: ValidateFunction;
}

/** One CRD file of a bundle: what it defines, its versions, and their compiled form. */
export interface CrdHeader {
  /** The file as imports/crds.lock.json names it (`<bundle>/<name>.yaml`). */
  readonly file: string;
  readonly bundle: string;
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Cluster' | 'Namespaced';
  /** The versions the file defines (a YAML file is parsed in full on the first call). */
  versions(): readonly CrdVersionInfo[];
  /** A version, compiled once per process. */
  compiled(version: string): CompiledCrdVersion;
}

/** imports/compiled/index.json: what each compiled file defines, and where each version's compiled form is. */
export interface CompiledIndex {
  readonly format: number;
  readonly files: { readonly [file: string]: CompiledFile };
}

/** One CRD file in the compiled index. */
export interface CompiledFile {
  /** sha256 of the YAML file it was compiled from (as pinned in the lock file). */
  readonly sha256: string;
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly versions: ReadonlyArray<CrdVersionInfo & {
    /** File name (in imports/compiled) of the version's gzipped JSON `{ schema, validator }`. */
    readonly compiled: string;
  }>;
}

/** What a compiled version's file holds. */
export interface CompiledVersionFile {
  /** The version's openAPIV3Schema without descriptions. */
  readonly schema: unknown;
  /** ajv's standalone code of rootJsonSchema(schema). */
  readonly validator: string;
  /** Each CEL expression of the schema that parses, with the JSON text of its parsed form (cel-ast.ts, encodeCelExpr). */
  readonly rules?: { readonly [expression: string]: string };
}

const yamlHeaderCache = new Map<string, CrdHeader>();
const crdCache = new Map<string, any>();
const compiledCache = new Map<string, CompiledCrdVersion>();
const compiledIndexes = new Map<string, CompiledIndex | null>();

/** A generated validator pinned in imports/crds.lock.json ("validators"): a kind whose CRD the build cannot fetch. */
export interface PinnedValidator {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absolute path of the validator module (a standalone ajv function exported as `validate`). */
  readonly file: string;
}

/** The pinned validators, by `apiVersion/kind`; their files are in the package's own imports/crds. */
export function pinnedValidators(): Map<string, PinnedValidator> {
  const crdDir = pinnedCrdDir();
  const entries: Array<{ file: string; apiVersion: string; kind: string }> = readLockFile().validators ?? [];
  return new Map(entries.map((e) => [`${e.apiVersion}/${e.kind}`, { apiVersion: e.apiVersion, kind: e.kind, file: path.join(crdDir, e.file) }]));
}

function missingFileError(file: string, bundle: string, crdDir: string): Error {
  return new Error(`crd file '${file}' of bundle '${bundle}' is missing from ${crdDir}: run \`npx projen fetch-crds\``);
}

function parseYaml(text: string, file: string): any {
  try {
    return yamlModule().parse(text);
  } catch (err) {
    throw new Error(`cannot parse crd file ${file}: ${(err as Error).message}`);
  }
}

/** The whole CRD document of a file, parsed once per process. */
export function loadCrd(file: string): any {
  let crd = crdCache.get(file);
  if (crd === undefined) {
    crd = parseYaml(fs.readFileSync(file, 'utf8'), file);
    crdCache.set(file, crd);
  }
  return crd;
}

/** The versions of a parsed CRD, with their openAPIV3Schema. */
export function crdDocumentVersions(crd: any): Array<CrdVersionInfo & { readonly schema: any }> {
  const versions = crd?.spec?.versions;
  if (!Array.isArray(versions)) return [];
  return versions.map((v: any) => ({ name: String(v.name), served: v.served !== false, schema: v.schema?.openAPIV3Schema }));
}

/** Group, kind and scope of a parsed CRD (or of its beginning), or undefined when it has no group or kind. */
export function crdDocumentHeader(crd: any): Pick<CrdHeader, 'group' | 'kind' | 'scope'> | undefined {
  const spec = crd?.spec;
  if (typeof spec?.group !== 'string' || typeof spec?.names?.kind !== 'string') return undefined;
  return { group: spec.group, kind: spec.names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced' };
}

function compileOnce(key: string, compile: () => CompiledCrdVersion): CompiledCrdVersion {
  let compiled = compiledCache.get(key);
  if (!compiled) {
    compiled = compile();
    compiledCache.set(key, compiled);
  }
  return compiled;
}

/**
 * A CRD file read from YAML: group, kind and scope from its beginning (controller-gen writes `spec.versions`, with
 * the big schemas, after group, names and scope, so parsing the text before `  versions:` is enough; anything
 * unusual falls back to a full parse), the versions from a full parse when they are asked for.
 */
function yamlHeader(absolute: string, file: string, bundle: string): CrdHeader {
  const cached = yamlHeaderCache.get(absolute);
  if (cached) return cached;
  const text = fs.readFileSync(absolute, 'utf8');
  const cut = text.search(/^ {2}versions:/m);
  const found = (cut > 0 ? crdDocumentHeader(safeParse(text.slice(0, cut))) : undefined) ?? crdDocumentHeader(loadCrd(absolute));
  if (!found) throw new Error(`crd file ${absolute} has no spec.group or spec.names.kind`);
  const versions = () => crdDocumentVersions(loadCrd(absolute));
  const header: CrdHeader = {
    file,
    bundle,
    ...found,
    versions: () => versions().map(({ name, served }) => ({ name, served })),
    compiled: (version) => compileOnce(`${absolute}#${version}`, () => {
      const schema = versions().find((v) => v.name === version)?.schema;
      return { root: compileRootSchema(schema), validate: compileRootValidator(schema) };
    }),
  };
  yamlHeaderCache.set(absolute, header);
  return header;
}

function safeParse(text: string): any {
  try {
    return yamlModule().parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The CustomResourceDefinitions (apiextensions.k8s.io/v1) of a YAML file, or of every `.yaml`/`.yml` file under a
 * directory (recursively; any number per file, other documents ignored), e.g. cert-manager's or Argo CD's CRDs
 * for `validate --crds`; compiled on first use, as a CRD directory is.
 */
export function readCrdPath(given: string): CrdHeader[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(p);
    }
  };
  if (fs.statSync(given).isDirectory()) walk(given);
  else files.push(given);
  const headers: CrdHeader[] = [];
  for (const file of files) {
    // A regular file within a limit (a FIFO or a device is refused, never waited on or read); the path was given.
    const text = readRegularFile(file, file, { maxBytes: MAX_CRD_FILE_BYTES, followLinks: true }).toString('utf8');
    yamlModule().parseAllDocuments(text).forEach((doc: any, i: number) => {
      if (doc.errors.length > 0) throw new UserError(`cannot parse crd file ${file} (document ${i + 1}): ${doc.errors[0].message.split('\n')[0]}`);
      const crd = doc.toJS();
      const found = crd?.kind === 'CustomResourceDefinition' && crd?.apiVersion === 'apiextensions.k8s.io/v1' ? crdDocumentHeader(crd) : undefined;
      if (!found) return;
      const key = `${file}#${i + 1}`;
      const versions = crdDocumentVersions(crd);
      headers.push({
        file: key,
        bundle: `--crds ${given}`,
        ...found,
        versions: () => versions.map(({ name, served }) => ({ name, served })),
        compiled: (version) => compileOnce(key + '@' + version, () => {
          const schema = versions.find((v) => v.name === version)?.schema;
          return { root: compileRootSchema(schema), validate: compileRootValidator(schema) };
        }),
      });
    });
  }
  return headers;
}

/** The compiled index in `dir`, or null when there is none (or one of another format). */
function compiledIndex(dir: string): CompiledIndex | null {
  const cached = compiledIndexes.get(dir);
  if (cached !== undefined) return cached;
  let index: CompiledIndex | null = null;
  try {
    const read = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as CompiledIndex;
    if (read.format === COMPILED_FORMAT) index = read;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the compiled crds in ${dir}: ${(err as Error).message}`);
  }
  compiledIndexes.set(dir, index);
  return index;
}

/** Reads a compiled version's file (gzipped JSON). */
export function readCompiledVersion(file: string): CompiledVersionFile {
  return JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as CompiledVersionFile;
}

/** A CRD file from the compiled index; each version's compiled form is read on first use. */
function compiledHeader(entry: LockEntry, compiled: CompiledFile, dir: string): CrdHeader {
  return {
    file: entry.file,
    bundle: entry.bundle,
    group: compiled.group,
    kind: compiled.kind,
    scope: compiled.scope,
    versions: () => compiled.versions,
    compiled: (version) => {
      const name = compiled.versions.find((v) => v.name === version)!.compiled;
      // Keyed by content: versions with the same schema (in one file or in two bundles) share one compiled form.
      return compileOnce(`compiled:${name}`, () => {
        const file = path.join(dir, name);
        const { schema, validator, rules } = readCompiledVersion(file);
        if (rules) addParsedRules(rules);
        return { root: compileRootSchema(schema), validate: loadStandaloneValidator(validator, file) };
      });
    },
  };
}

/**
 * The CRDs of a set of bundles, indexed by group and kind. Throws when a bundle is unknown, a file is missing or
 * two bundles define the same group/version/kind.
 */
export class CrdIndex {
  private readonly byGroupKind = new Map<string, CrdHeader[]>();

  /**
   * @param bundles the bundles, by name in imports/crds.lock.json
   * @param crdDir a directory of fetched CRD files, read from YAML; by default the package's own CRDs, compiled at
   *   build time where they were (else read from imports/crds)
   */
  constructor(bundles: readonly string[], crdDir?: string, extraPaths: readonly string[] = []) {
    const entries = readLock();
    const known = new Set(entries.map((e) => e.bundle));
    for (const bundle of bundles) {
      if (!known.has(bundle)) throw new Error(`unknown crd bundle '${bundle}': known bundles are ${[...known].join(', ')}`);
    }
    const compiledDir = crdDir === undefined ? compiledCrdDir() : undefined;
    const index = compiledDir === undefined ? null : compiledIndex(compiledDir);
    const yamlDir = crdDir ?? pinnedCrdDir();
    for (const bundle of new Set(bundles)) {
      for (const entry of entries.filter((e) => e.bundle === bundle)) {
        const compiled = index?.files[entry.file];
        if (compiled && compiled.sha256 === entry.sha256) {
          this.add(compiledHeader(entry, compiled, compiledDir!));
          continue;
        }
        const file = path.join(yamlDir, entry.file);
        if (!fs.existsSync(file)) throw missingFileError(entry.file, entry.bundle, yamlDir);
        this.add(yamlHeader(file, entry.file, entry.bundle));
      }
    }
    for (const extra of extraPaths) {
      for (const header of readCrdPath(extra)) this.add(header);
    }
  }

  /** The CRD file defining group/version/kind, or undefined. `knownKind` is set when only the version is missing. */
  find(group: string, version: string, kind: string): { header?: CrdHeader; knownKind: boolean } {
    const candidates = this.byGroupKind.get(`${group}/${kind}`) ?? [];
    const header = candidates.find((h) => h.versions().some((v) => v.name === version));
    return { header, knownKind: candidates.length > 0 };
  }

  private add(header: CrdHeader): void {
    const key = `${header.group}/${header.kind}`;
    const existing = this.byGroupKind.get(key) ?? [];
    for (const other of existing) {
      // Same group and kind in two files: only an error when they share a version (then the choice is ambiguous).
      const versions = new Set(other.versions().map((v) => v.name));
      const shared = header.versions().find((v) => versions.has(v.name));
      if (shared) {
        throw new Error(
          `crd bundles '${other.bundle}' and '${header.bundle}' both define ${header.group}/${shared.name} ${header.kind}: select only one of them`,
        );
      }
    }
    this.byGroupKind.set(key, [...existing, header]);
  }
}
