/**
 * Runs the compiled CLI (`node bin/inference-migrate ...`) as a subprocess, and reads what it wrote.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'inference-migrate');
export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.js');

function newest(dir: string): number {
  let t = 0;
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const stat = fs.statSync(p);
    t = Math.max(t, stat.isDirectory() ? newest(p) : name.endsWith('.ts') ? stat.mtimeMs : 0);
  }
  return t;
}

/** Fails with a message that says to compile first when lib/ is missing or older than src/. */
/**
 * True inside the sandbox of a mutation run (`npx projen mutation` sets it): Stryker copies the project without lib/,
 * and a test of the compiled library could not see a mutant of src/ anyway.
 */
export const IN_MUTATION_SANDBOX = process.env.INFERENCE_MIGRATE_MUTATION_SANDBOX === '1';

/** `test`, or `test.skip` in a mutation run's sandbox: for the tests that run the compiled library or CLI. */
export const testCompiled: jest.It = IN_MUTATION_SANDBOX ? test.skip : test;

export function requireCompiled(): void {
  const compile = 'compile first: `npx projen compile` (or `JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 npx jsii --silence-warnings=reserved-word`)';
  if (!fs.existsSync(MAIN)) throw new Error(`lib/cli/main.js is missing: these tests run the compiled CLI; ${compile}`);
  if (newest(path.join(ROOT, 'src')) > fs.statSync(MAIN).mtimeMs) {
    throw new Error(`lib/ is older than src/: these tests run the compiled CLI; ${compile}`);
  }
}

/** The outcome of one run. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node bin/inference-migrate ...args` in `cwd` (default: the package root), with `stdin` as standard input. */
export function runCli(args: string[], cwd: string = ROOT, stdin?: string): CliRun {
  requireCompiled();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...(stdin !== undefined ? { input: stdin } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A seeded random number generator (in [0, 1)): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed % 2147483648;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** The seed of a randomized test: OUTPUT_CRASH_SEED when set, else a new one each run (print it). */
export function testSeed(): number {
  return Number(process.env.OUTPUT_CRASH_SEED ?? Date.now() % 1_000_000);
}

const temps: string[] = [];

/** A fresh temporary directory (real path), removed after the test file. */
export function tempDir(prefix = 'cli-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

/** Removes the temporary directories of this test file. */
export function removeTempDirs(): void {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Writes files (relative path -> text) under `dir`. */
export function writeTree(dir: string, files: { [file: string]: string }): string {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** Every file under `dir`, relative, sorted. */
export function listTree(dir: string, rel = ''): string[] {
  if (!fs.existsSync(path.join(dir, rel))) return [];
  return fs.readdirSync(path.join(dir, rel)).sort().flatMap((name) => {
    const child = rel === '' ? name : `${rel}/${name}`;
    return fs.statSync(path.join(dir, child)).isDirectory() ? listTree(dir, child) : [child];
  });
}

/** File contents under `dir`, for before/after comparisons. */
export function snapshotTree(dir: string): { [file: string]: string } {
  return Object.fromEntries(listTree(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** One stage folder as written: its object files (as listed by its kustomization) and their objects. */
export interface WrittenStageFolder {
  readonly folder: string;
  readonly files: string[];
  readonly objects: any[];
}

/** The stage folders of a migration; fails unless each kustomization lists exactly the folder's object files. */
export function readStages(migrationDir: string): WrittenStageFolder[] {
  const folders = fs.readdirSync(migrationDir).filter((f) => /^\d\d-/.test(f)).sort();
  return folders.map((folder) => {
    const dir = path.join(migrationDir, folder);
    const kustomization = YAML.parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'));
    const onDisk = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    expect([...kustomization.resources].sort()).toEqual(onDisk);
    const objects = kustomization.resources.map((f: string) => YAML.parse(fs.readFileSync(path.join(dir, f), 'utf8'), { version: '1.1' }));
    return { folder, files: kustomization.resources, objects };
  });
}

/** The one object of a kind (and name) in a stage. */
export function find(stage: WrittenStageFolder, kind: string, name?: string, apiVersion?: string): any {
  const found = stage.objects.filter((o) => o.kind === kind
    && (name === undefined || o.metadata.name === name)
    && (apiVersion === undefined || o.apiVersion === apiVersion));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ''} in ${stage.folder}, found ${found.length}`);
  return found[0];
}

/** `Kind name` of each object of a stage, sorted. */
export function inventoryOf(stage: WrittenStageFolder): string[] {
  return stage.objects.map((o) => `${o.kind} ${o.metadata.name}`).sort();
}
