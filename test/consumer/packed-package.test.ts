/**
 * The package as its users get it. It is packed with `npm pack` (what `npm publish` uploads, bundled
 * dependencies inside), unpacked into a temporary project next to links to the peer dependencies this
 * project has in node_modules (cdk8s, constructs, cdk8s-plus-28), and used from TypeScript through its
 * name only: no path into src/ or lib/. Nothing is downloaded.
 *
 * Needs the compiled library (`npx projen compile`; the build compiles before it tests).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { codeBlocks, documentationFiles, readDoc } from '../docs/markdown';
import { parseYamlDocs } from '../util';

const ROOT = path.join(__dirname, '..', '..');
const PEERS = ['cdk8s', 'constructs', 'cdk8s-plus-28'];

let project: string;

/** Every file under `dir`, newest modification time first. */
function newest(dir: string): number {
  let latest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    latest = Math.max(latest, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The packed package: the tarball the build's package step made under build/js when it is newer than the
 * compiled library, else a fresh `npm pack` into `dest`.
 */
function tarball(dest: string): string {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js')) || !fs.existsSync(path.join(ROOT, '.jsii'))) {
    throw new Error('lib/ is missing: run `npx projen compile` (the build does) before this test');
  }
  const compiled = Math.max(newest(path.join(ROOT, 'lib')), fs.statSync(path.join(ROOT, '.jsii')).mtimeMs);
  const built = path.join(ROOT, 'build', 'js');
  const fresh = fs.existsSync(built)
    ? fs.readdirSync(built).filter((f) => f.endsWith('.tgz')).map((f) => path.join(built, f)).find((f) => fs.statSync(f).mtimeMs > compiled)
    : undefined;
  if (fresh) return fresh;
  // npm prints the file name last on stdout (its file list goes to stderr).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024,
  });
  return path.join(dest, out.trim().split('\n').pop()!.trim());
}

/**
 * The compiler options of a new cdk8s app: the tsconfig.json that `cdk8s init typescript-app` writes (from
 * the cdk8s-cli this project depends on: strict, noUnusedLocals, noUnusedParameters, lib es2016, no
 * skipLibCheck), with its output under `outDir`.
 */
function cdk8sInitOptions(outDir: string): ts.CompilerOptions {
  const template = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json');
  const { config, error } = ts.readConfigFile(template, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent({ compilerOptions: config.compilerOptions }, ts.sys, project);
  return { ...parsed.options, outDir, typeRoots: [path.join(ROOT, 'node_modules', '@types')], types: ['node'] };
}

/** Compiles TypeScript files of the consumer project as a new cdk8s app does; returns the diagnostics, one line each. */
function compile(files: string[], outDir: string): string[] {
  const program = ts.createProgram(files, cdk8sInitOptions(outDir));
  const emitted = program.emit();
  const lines = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  return [...new Set(lines)];
}

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  const modules = path.join(project, 'node_modules');
  const pkg = path.join(modules, 'cdk8s-inference-migration');
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', tarball(project), '-C', pkg, '--strip-components=1']);
  for (const peer of PEERS) fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(modules, peer), 'dir');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { 'cdk8s-inference-migration': '*' } }));
}, 300_000);

afterAll(() => {
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('given the README and docs/, then every TypeScript block compiles against the package as published, in a new cdk8s app', () => {
    const dir = path.join(project, 'docs');
    fs.mkdirSync(dir);
    const files = documentationFiles().flatMap((doc) => codeBlocks(readDoc(doc))
      .filter((b) => b.lang === 'ts' || b.lang === 'typescript')
      .map((b) => {
        // Each block is a module of its own (its imports are its own), named after where it is.
        const file = path.join(dir, `${doc.replace(/[/.]/g, '_')}_line_${b.line}.ts`);
        fs.writeFileSync(file, `${b.code}\nexport {};\n`);
        return file;
      }));
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(compile(files, path.join(dir, 'out'))).toEqual([]);
  });

  test('given a block with an unused variable, then the cdk8s init settings refuse it', () => {
    const file = path.join(project, 'unused.ts');
    fs.writeFileSync(file, "import { App } from 'cdk8s';\nconst app = new App();\nexport {};\n");
    expect(compile([file], path.join(project, 'unused-out'))).toEqual([expect.stringMatching(/unused\.ts:2: 'app' is declared but its value is never read/)]);
  });

  describe('given a consumer app: a cdk8s-plus chart, a migration in a namespaced chart with a selected stage, and a chart of building blocks', () => {
    let objects: Array<{ file: string; obj: any }>;
    let files: string[];
    let written: string[];

    beforeAll(() => {
      const dir = path.join(project, 'app');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'main.ts'), `
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  GitOpsWriter, InferenceObjective, InferencePoolGa, WeightedInferenceRoute, ZeroDowntimeMigration,
} from 'cdk8s-inference-migration';

const app = new App({ outdir: process.argv[2] });

const web = new Chart(app, 'web', { namespace: 'frontend' });
new kplus.Deployment(web, 'site', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });

const platform = new Chart(app, 'llm-platform', { namespace: 'llm' });
new ZeroDowntimeMigration(platform, 'llm', {
  alphaPool: { existing: { name: 'vllm-alpha', modelServerSelector: { app: 'vllm' } } },
  objectives: [{ name: 'chat', priority: 1 }],
  gateway: { name: 'inference-gateway' },
  routeName: 'llm-route',
  steps: [10, 50],
  activeStage: '02-shift-10',
});

const blocks = new Chart(app, 'blocks', { namespace: 'batch' });
const pool = new InferencePoolGa(blocks, 'pool', { name: 'batch-ga', modelServerSelector: { app: 'batch' } });
new InferenceObjective(blocks, 'nightly', { name: 'nightly', pool, priority: -1 });
new WeightedInferenceRoute(blocks, 'route', {
  name: 'batch-route',
  parentRefs: [{ name: 'inference-gateway', namespace: 'gateways' }],
  backends: [{ pool, weight: 1 }],
  requestTimeout: Duration.minutes(10),
});

app.synth();
new GitOpsWriter({ outdir: process.argv[3] }).writeAll(app);
`);
      expect(compile([path.join(dir, 'main.ts')], path.join(dir, 'out'))).toEqual([]);
      const dist = path.join(dir, 'dist');
      const gitops = path.join(dir, 'gitops');
      execFileSync(process.execPath, [path.join(dir, 'out', 'main.js'), dist, gitops], { cwd: project, stdio: 'pipe' });
      files = fs.readdirSync(dist).sort();
      objects = files.flatMap((file) => parseYamlDocs(fs.readFileSync(path.join(dist, file), 'utf8')).map((obj) => ({ file, obj })));
      written = fs.readdirSync(path.join(gitops, 'llm')).filter((f) => /^\d+-/.test(f)).sort();
    }, 120_000);

    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

    test('then app.synth() writes one file per chart, and every object once', () => {
      expect(files).toEqual(['blocks.k8s.yaml', 'llm-platform.k8s.yaml', 'web.k8s.yaml']);
      const keys = objects.map(({ obj }) => key(obj));
      expect(keys.length).toBeGreaterThan(20);
      expect(new Set(keys).size).toBe(keys.length);
    });

    test('then the migration\'s objects are the selected stage\'s, in the chart\'s namespace and file', () => {
      const migration = objects.filter(({ file }) => file === 'llm-platform.k8s.yaml').map(({ obj }) => obj);
      const routes = migration.filter((o) => o.kind === 'HTTPRoute');
      expect(routes).toHaveLength(1);
      expect(routes[0].spec.rules[0].backendRefs.map((b: any) => [b.group, b.name, b.weight])).toEqual([
        ['inference.networking.x-k8s.io', 'vllm-alpha', 90],
        ['inference.networking.k8s.io', 'vllm-ga', 10],
      ]);
      for (const o of migration.filter((x) => !x.kind.startsWith('Cluster'))) expect(o.metadata.namespace).toBe('llm');
      expect(migration.map((o) => o.kind)).toEqual(expect.arrayContaining(['InferencePool', 'InferenceObjective', 'Deployment', 'HTTPRoute']));
      // The writer adds sync waves; app.synth() does not.
      expect(migration.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] !== undefined)).toEqual([]);
    });

    test('then the cdk8s-plus chart and the building blocks render beside it, in their own namespaces', () => {
      const deployment = objects.find(({ obj }) => obj.kind === 'Deployment' && obj.metadata.namespace === 'frontend');
      expect(deployment?.file).toBe('web.k8s.yaml');
      const blocks = objects.filter(({ file }) => file === 'blocks.k8s.yaml').map(({ obj }) => obj);
      expect(blocks.find((o) => o.kind === 'InferencePool')?.metadata).toEqual(expect.objectContaining({ name: 'batch-ga', namespace: 'batch' }));
      expect(blocks.find((o) => o.kind === 'HTTPRoute')?.spec.rules[0].timeouts).toEqual({ request: '600s' });
    });

    test('then the GitOps writer still writes every stage', () => {
      expect(written).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
    });
  });
});
