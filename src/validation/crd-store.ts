// Finds the pinned CRD files of the selected bundles and reads them lazily. Parsed CRDs are cached per file for
// the whole process, so many validators (or many tests) share one parse.
import * as fs from 'fs';
import * as path from 'path';
import { yamlModule } from './lazy';

const LOCK_FILE = path.join('imports', 'crds.lock.json');

/** One entry of imports/crds.lock.json. */
interface LockEntry {
  readonly file: string;
  readonly bundle: string;
}

/** What a CRD file defines, read from its header without parsing the (large) schemas. */
export interface CrdHeader {
  readonly file: string;
  readonly bundle: string;
  readonly group: string;
  readonly kind: string;
  readonly scope: 'Cluster' | 'Namespaced';
}

/** One version of a CRD as found in its `spec.versions`. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema: any;
}

const headerCache = new Map<string, CrdHeader>();
const crdCache = new Map<string, any>();
let packageRootCache: string | undefined;

/**
 * The directory holding imports/crds.lock.json, found by walking up from this file. Works from src/validation
 * (ts-jest) and from lib/validation (compiled).
 */
export function packageRoot(): string {
  if (packageRootCache) return packageRootCache;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, LOCK_FILE))) return (packageRootCache = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${LOCK_FILE} in ${__dirname} or any parent directory`);
    dir = parent;
  }
}

function readLockFile(): any {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), LOCK_FILE), 'utf8'));
}

function readLock(): LockEntry[] {
  return readLockFile().crds as LockEntry[];
}

/** A generated validator pinned in imports/crds.lock.json ("validators"): a kind whose CRD the build cannot fetch. */
export interface PinnedValidator {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absolute path of the validator module (a standalone ajv function exported as `validate`). */
  readonly file: string;
}

/** The pinned validators, by `apiVersion/kind`; their files are in the package's own imports/crds. */
export function pinnedValidators(): Map<string, PinnedValidator> {
  const crdDir = path.join(packageRoot(), 'imports', 'crds');
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

function headerFrom(crd: any, file: string, bundle: string): CrdHeader | undefined {
  const spec = crd?.spec;
  if (typeof spec?.group !== 'string' || typeof spec?.names?.kind !== 'string') return undefined;
  return { file, bundle, group: spec.group, kind: spec.names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced' };
}

/**
 * Reads group, kind and scope of a CRD file. controller-gen writes `spec.versions` (with the big schemas) after
 * group, names and scope, so parsing the text before `  versions:` is enough; anything unusual falls back to a
 * full parse.
 */
function readHeader(file: string, bundle: string): CrdHeader {
  const cached = headerCache.get(file);
  if (cached) return cached;
  const text = fs.readFileSync(file, 'utf8');
  const cut = text.search(/^ {2}versions:/m);
  let header = cut > 0 ? headerFrom(safeParse(text.slice(0, cut)), file, bundle) : undefined;
  header ??= headerFrom(loadCrd(file), file, bundle);
  if (!header) throw new Error(`crd file ${file} has no spec.group or spec.names.kind`);
  headerCache.set(file, header);
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
 * The CustomResourceDefinitions of every `.yaml`/`.yml` file under `dir` (recursively; any number per file,
 * other documents ignored), e.g. cert-manager's or Argo CD's CRDs for `validate --crds`. Each document is
 * cached under `<file>#<n>`, so the rest of the store reads it as one file.
 */
export function readCrdDirectory(dir: string): CrdHeader[] {
  const headers: CrdHeader[] = [];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) files.push(p);
    }
  };
  if (!fs.statSync(dir).isDirectory()) files.push(dir);
  else walk(dir);
  for (const file of files) {
    const docs = yamlModule().parseAllDocuments(fs.readFileSync(file, 'utf8'));
    docs.forEach((doc: any, i: number) => {
      if (doc.errors.length > 0) throw new Error(`cannot parse crd file ${file} (document ${i + 1}): ${doc.errors[0].message.split('\n')[0]}`);
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition' || crd?.apiVersion !== 'apiextensions.k8s.io/v1') return;
      const key = `${file}#${i + 1}`;
      const header = headerFrom(crd, key, `--crds ${dir}`);
      if (!header) return;
      crdCache.set(key, crd);
      headerCache.set(key, header);
      headers.push(header);
    });
  }
  return headers;
}

/** The versions a CRD file defines. */
export function crdVersions(file: string): CrdVersion[] {
  const versions = loadCrd(file)?.spec?.versions;
  if (!Array.isArray(versions)) return [];
  return versions.map((v: any) => ({ name: String(v.name), served: v.served !== false, schema: v.schema?.openAPIV3Schema }));
}

/**
 * The CRDs of a set of bundles, indexed by group and kind. Throws when a bundle is unknown, a file is missing or
 * two bundles define the same group/version/kind.
 */
export class CrdIndex {
  private readonly byGroupKind = new Map<string, CrdHeader[]>();

  constructor(bundles: readonly string[], crdDir: string, extraDirs: readonly string[] = []) {
    const entries = readLock();
    const known = new Set(entries.map((e) => e.bundle));
    for (const bundle of bundles) {
      if (!known.has(bundle)) throw new Error(`unknown crd bundle '${bundle}': known bundles are ${[...known].join(', ')}`);
    }
    for (const bundle of new Set(bundles)) {
      for (const entry of entries.filter((e) => e.bundle === bundle)) {
        const file = path.join(crdDir, entry.file);
        if (!fs.existsSync(file)) throw missingFileError(entry.file, entry.bundle, crdDir);
        this.add(readHeader(file, entry.bundle));
      }
    }
    for (const dir of extraDirs) {
      for (const header of readCrdDirectory(dir)) this.add(header);
    }
  }

  /** The CRD file defining group/version/kind, or undefined. `knownKind` is set when only the version is missing. */
  find(group: string, version: string, kind: string): { header?: CrdHeader; knownKind: boolean } {
    const candidates = this.byGroupKind.get(`${group}/${kind}`) ?? [];
    const header = candidates.find((h) => crdVersions(h.file).some((v) => v.name === version));
    return { header, knownKind: candidates.length > 0 };
  }

  private add(header: CrdHeader): void {
    const key = `${header.group}/${header.kind}`;
    const existing = this.byGroupKind.get(key) ?? [];
    for (const other of existing) {
      // Same group and kind in two files: only an error when they share a version (then the choice is ambiguous).
      const versions = new Set(crdVersions(other.file).map((v) => v.name));
      const shared = crdVersions(header.file).find((v) => versions.has(v.name));
      if (shared) {
        throw new Error(
          `crd bundles '${other.bundle}' and '${header.bundle}' both define ${header.group}/${shared.name} ${header.kind}: select only one of them`,
        );
      }
    }
    this.byGroupKind.set(key, [...existing, header]);
  }
}
