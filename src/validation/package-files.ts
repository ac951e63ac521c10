// Where the package's own files are: the lock file of the pinned CRDs, the fetched CRDs and the compiled ones.
import * as fs from 'fs';
import * as path from 'path';

const LOCK_FILE = path.join('imports', 'crds.lock.json');

/** The index of the compiled CRDs, relative to the package root. */
export const COMPILED_INDEX = path.join('imports', 'compiled', 'index.json');

/** One entry of imports/crds.lock.json. */
export interface LockEntry {
  readonly file: string;
  readonly bundle: string;
  readonly sha256: string;
}

let packageRootCache: string | undefined;
let lockCache: any;

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

/** The directory of the fetched CRD files of the package (`npx projen fetch-crds`). */
export function pinnedCrdDir(): string {
  return path.join(packageRoot(), 'imports', 'crds');
}

/** The directory of the compiled CRDs (index.json and the compiled versions). */
export function compiledCrdDir(): string {
  return path.dirname(path.join(packageRoot(), COMPILED_INDEX));
}

/** imports/crds.lock.json, read once per process. */
export function readLockFile(): any {
  lockCache ??= JSON.parse(fs.readFileSync(path.join(packageRoot(), LOCK_FILE), 'utf8'));
  return lockCache;
}

/** The pinned CRD files, as imports/crds.lock.json lists them. */
export function readLock(): LockEntry[] {
  return readLockFile().crds as LockEntry[];
}

