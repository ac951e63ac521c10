/**
 * The Python, Java and Go packages, each used by an app in its own language (test/languages/{python,java,go}) that
 * does what typescript/main.ts does: the README's quick start written with GitOpsWriter, a stage selected inside a
 * namespaced chart, and a prop error. Each app's output tree must equal the TypeScript program's byte for byte, its
 * printed stages too, and the prop error must reach it as that language's exception with the construct path and
 * the prop named.
 *
 * The packages come from build/ (scripts/package-language.js, which the test task runs first and which skips a
 * package built from the same assembly). What each app installs is cached outside the repository, under
 * $INFERENCE_MIGRATION_CACHE (default ~/.cache/cdk8s-inference-migration): a virtual environment with the pinned
 * requirements (python/<version>/venv-<hash>), Maven's local repository (maven/repository), the Go module cache
 * (go/mod). Builds and outputs go to a temporary directory, removed at the end. Needs the compiled library.
 */
import { execFile } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = __dirname;
const CACHE = process.env.INFERENCE_MIGRATION_CACHE || path.join(os.homedir(), '.cache', 'cdk8s-inference-migration');
const GO_MODULE = 'github.com/cdk8s-inference-migration/cdk8s-inference-migration-go/cdk8sinferencemigration';
const CDK8S_GO_MODULE = 'github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2';
/** Building an app from cold (downloads) takes minutes on a shared 2-core machine. */
const SETUP_TIMEOUT = 20 * 60_000;

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  // jsii's Node 20 end-of-life banner, printed by every app's jsii runtime, is not the app's output.
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  // The apps run at once and load the same new assembly: jsii's shared package cache (~/.cache/aws/jsii) then races
  // on its lock file (EEXIST); each runtime extracts the package for itself instead.
  JSII_RUNTIME_PACKAGE_CACHE: 'disabled',
  GOMODCACHE: path.join(CACHE, 'go', 'mod'),
  GOFLAGS: '-modcacherw',
  PIP_CACHE_DIR: path.join(CACHE, 'pip'),
  PIP_DISABLE_PIP_VERSION_CHECK: '1',
};

let work: string;

/** Runs a command to its end, resolving to its stdout; on failure, the error names it and carries the end of its output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const output = `${stdout}${stderr}`.split('\n').slice(-40).join('\n');
      return reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${err.message.split('\n')[0]}\n${output}`));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file under `dir` by its path relative to `dir`, with its bytes. */
function tree(dir: string, prefix = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) for (const [f, b] of tree(dir, rel)) files.set(f, b);
    else files.set(rel, fs.readFileSync(path.join(dir, rel)));
  }
  return files;
}

/** The first difference of two trees, as a line a reader can act on; undefined when they are equal byte for byte. */
function firstDifference(expected: Map<string, Buffer>, actual: Map<string, Buffer>): string | undefined {
  const missing = [...expected.keys()].filter((f) => !actual.has(f));
  const extra = [...actual.keys()].filter((f) => !expected.has(f));
  if (missing.length > 0 || extra.length > 0) return `files missing: ${missing.join(', ') || 'none'}; files extra: ${extra.join(', ') || 'none'}`;
  for (const [file, bytes] of expected) {
    const other = actual.get(file)!;
    if (bytes.equals(other)) continue;
    const a = bytes.toString('utf8').split('\n');
    const b = other.toString('utf8').split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    return `${file}:${line + 1}: TypeScript wrote ${JSON.stringify(a[line])}, the app ${JSON.stringify(b[line])}`;
  }
  return undefined;
}

/** A lock shared by every checkout on this machine (a directory, as `mkdir` is atomic); a lock older than the setup timeout is stale. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(CACHE, `${name}.lock`);
  fs.mkdirSync(CACHE, { recursive: true });
  const deadline = Date.now() + SETUP_TIMEOUT;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const since = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - since > SETUP_TIMEOUT) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another run for too long; remove it if no test is running`);
      else await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** What an app printed and wrote. */
interface AppOutput {
  readonly stdout: string;
  readonly files: Map<string, Buffer>;
  readonly error: string;
}

/** Runs an app both ways (writing out/, then `error`), each in a new directory. */
async function runApp(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = ENV): Promise<AppOutput> {
  const cwd = fs.mkdtempSync(path.join(work, `${name}-run-`));
  const stdout = await run(command, args, cwd, env);
  const error = (await run(command, [...args, 'error'], fs.mkdtempSync(path.join(work, `${name}-error-`)), env)).trim();
  return { stdout, files: tree(path.join(cwd, 'out')), error };
}

/** The TypeScript program, compiled against this checkout's library as its users import it (by package name). */
function typescriptApp(): Promise<AppOutput> {
  const dir = path.join(work, 'typescript');
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  fs.symlinkSync(ROOT, path.join(modules, 'cdk8s-inference-migration'), 'dir');
  for (const peer of ['cdk8s', 'constructs']) fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(modules, peer), 'dir');
  const program = ts.createProgram([path.join(FIXTURES, 'typescript', 'main.ts')], {
    // The settings of a `cdk8s init typescript-app` project.
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    skipLibCheck: true,
    outDir: dir,
    rootDir: path.join(FIXTURES, 'typescript'),
    baseUrl: dir,
    paths: { '*': [path.join(modules, '*')] },
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    noEmitOnError: true,
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, ts.createCompilerHost({})));
  return runApp('typescript', process.execPath, [path.join(dir, 'main.js')]);
}

/** Builds the packages unless build/ has them from the same assembly already (the test task has built them). */
async function ensurePackages(languages: string[]): Promise<void> {
  await run(process.execPath, [path.join(ROOT, 'scripts', 'package-language.js'), ...languages], ROOT);
}

/** The virtual environment with test/languages/python/requirements.txt, made once per Python and requirements. */
async function pythonEnvironment(): Promise<string> {
  const python = process.env.PYTHON ?? 'python3';
  const version = (await run(python, ['-c', 'import platform; print(platform.python_version())'], work)).trim();
  const requirements = path.join(FIXTURES, 'python', 'requirements.txt');
  const hash = crypto.createHash('sha256').update(fs.readFileSync(requirements)).digest('hex').slice(0, 12);
  const venv = path.join(CACHE, 'python', version, `venv-${hash}`);
  if (!fs.existsSync(path.join(venv, 'ready'))) {
    await withLock(`python-${version}-${hash}`, async () => {
      if (fs.existsSync(path.join(venv, 'ready'))) return;
      fs.rmSync(venv, { recursive: true, force: true });
      await run(python, ['-m', 'venv', venv], work);
      await run(path.join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--no-input', '-r', requirements], work);
      fs.writeFileSync(path.join(venv, 'ready'), `${new Date().toISOString()}\n`);
    });
  }
  return path.join(venv, 'bin', 'python');
}

async function pythonApp(): Promise<AppOutput> {
  const python = await pythonEnvironment();
  // The wheel goes to a directory of this run, on PYTHONPATH: the shared environment holds only the pinned requirements.
  const site = path.join(work, 'python-site');
  const wheel = fs.readdirSync(path.join(ROOT, 'build', 'python')).find((f) => f.endsWith('.whl'))!;
  await run(python, ['-m', 'pip', 'install', '--no-input', '--no-deps', '--target', site, path.join(ROOT, 'build', 'python', wheel)], work);
  return runApp('python', python, [path.join(FIXTURES, 'python', 'main.py')], { ...ENV, PYTHONPATH: site });
}

async function javaApp(): Promise<AppOutput> {
  const project = path.join(work, 'java');
  fs.cpSync(path.join(FIXTURES, 'java'), project, { recursive: true });
  const repository = path.join(CACHE, 'maven', 'repository');
  // Maven never fetches a release it has again, and every build of this package is 0.1.0: the copy of the last run
  // leaves the shared repository first, under a lock that keeps the build and the run of every checkout apart.
  return withLock('maven-inference-migration', async () => {
    fs.rmSync(path.join(repository, 'org', 'cdk8s', 'cdk8s-inference-migration'), { recursive: true, force: true });
    await run('mvn', ['-B', '-q', `-Dmaven.repo.local=${repository}`, `-Dinference-migration.repository=file://${path.join(ROOT, 'build', 'java')}`,
      'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${path.join(project, 'classpath.txt')}`], project);
    const classpath = `${path.join(project, 'target', 'classes')}${path.delimiter}${fs.readFileSync(path.join(project, 'classpath.txt'), 'utf8').trim()}`;
    return runApp('java', 'java', ['-cp', classpath, 'example.Main']);
  });
}

async function goApp(): Promise<AppOutput> {
  const project = path.join(work, 'go');
  fs.cpSync(path.join(FIXTURES, 'go'), project, { recursive: true });
  // Before publication the module comes from build/go, and so do the Go bindings of cdk8s (scripts/package-language.js).
  await run('go', ['mod', 'edit',
    `-replace=${GO_MODULE}=${path.join(ROOT, 'build', 'go', 'cdk8sinferencemigration')}`,
    `-replace=${CDK8S_GO_MODULE}=${path.join(ROOT, 'build', 'go', 'cdk8s')}`], project);
  const binary = path.join(work, 'go-app');
  await run('go', ['build', '-o', binary, '.'], project);
  return runApp('go', binary, []);
}

const APPS: Array<[string, () => Promise<AppOutput>, RegExp]> = [
  // jsii raises the library's error in Python as a RuntimeError, in Java as a JsiiError, and panics with an error in Go.
  ['Python', pythonApp, /^builtins\.RuntimeError: /],
  ['Java', javaApp, /^software\.amazon\.jsii\.JsiiError: /],
  ['Go', goApp, /^\*errors\.errorString: /],
];

let reference: AppOutput;
/** Each language's app, built and run at once: most of their time is spent waiting on downloads and processes. */
const outputs = new Map<string, Promise<AppOutput>>();

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'languages-'));
  const packages = ensurePackages(['python', 'java', 'go']);
  for (const [language, app] of APPS) {
    const output = packages.then(app);
    output.catch(() => undefined); // reported by that language's tests
    outputs.set(language, output);
  }
  reference = await typescriptApp();
}, SETUP_TIMEOUT);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the TypeScript program, the reference', () => {
  test('then it writes every stage of the quick start and the selected stage, and its prop error names the construct path and the prop', () => {
    expect(reference.stdout).toBe('stages: 01-side-by-side 02-shift-10 03-shift-50 04-finalize 05-cleanup\nactive: 02-shift-10\n');
    expect([...reference.files.keys()].filter((f) => f.startsWith('dist'))).toEqual(['dist/llm-platform.k8s.yaml', 'dist/web.k8s.yaml']);
    const stageFolders = [...reference.files.keys()].map((f) => /^migrations\/vllm-llama3-8b-instruct\/(\d\d-[^/]+)\/kustomization\.yaml$/.exec(f)?.[1]).filter(Boolean);
    expect(stageFolders.sort()).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
    expect(reference.error).toMatch(/^PropError: llm-platform\/llm: 'steps' must increase/);
  });
});

describe.each(APPS)('given the %s package of this build and its app', (language, _app, exception) => {
  let output: AppOutput;

  beforeAll(async () => {
    output = await outputs.get(language)!;
  }, SETUP_TIMEOUT);

  test('then the app prints the stages and the active one as TypeScript does', () => {
    expect(output.stdout).toBe(reference.stdout);
  });

  test('then its output tree (every stage folder, app.synth\'s files) equals the TypeScript program\'s byte for byte', () => {
    expect(output.files.size).toBe(reference.files.size);
    expect(firstDifference(reference.files, output.files)).toBeUndefined();
  });

  test('then a prop error reaches it as the language\'s exception, with the construct path and the prop named', () => {
    expect(output.error).toMatch(exception);
    expect(output.error.replace(exception, '')).toBe(reference.error.replace(/^PropError: /, ''));
  });
});

describe('the quick start of docs/languages.md', () => {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'languages.md'), 'utf8');
  /** The code lines of a block or file, trimmed: no blank lines, imports, or lines of a lone closing parenthesis. */
  const codeLines = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== ')' && !/^(import|from) |^"[^"]+"$/.test(l));

  test.each([
    ['python', 'python/main.py'],
    ['java', 'java/src/main/java/example/Main.java'],
    ['go', 'go/main.go'],
  ])('given its %s block, then every line of it is in the tested app %s, in order', (language, file) => {
    const blocks = [...doc.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map((m) => m[1]);
    expect(blocks).toHaveLength(1);
    const app = codeLines(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
    let at = 0;
    const notFound = codeLines(blocks[0]).filter((line) => {
      const found = app.indexOf(line, at);
      if (found === -1) return true;
      at = found + 1;
      return false;
    });
    expect(notFound).toEqual([]);
  });
});

describe('the tree comparison', () => {
  test('given two trees that differ in one byte or one file, then it names the file and the line, or the files', () => {
    const a = new Map([['x/a.yaml', Buffer.from('kind: A\nname: a\n')], ['b.yaml', Buffer.from('b\n')]]);
    expect(firstDifference(a, new Map(a))).toBeUndefined();
    expect(firstDifference(a, new Map([...a, ['x/a.yaml', Buffer.from('kind: A\nname: b\n')]])))
      .toBe('x/a.yaml:2: TypeScript wrote "name: a", the app "name: b"');
    expect(firstDifference(a, new Map([['x/a.yaml', a.get('x/a.yaml')!]]))).toBe('files missing: b.yaml; files extra: none');
  });
});
