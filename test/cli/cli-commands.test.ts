import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, FIXTURES, listTree, readStages, removeTempDirs, requireCompiled, ROOT, runCli, snapshotTree, tempDir, writeTree } from './run-cli';
import { expectValid } from '../util';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

describe('help, version and usage errors', () => {
  test('given --version, then the package version is printed', () => {
    const run = runCli(['--version']);
    expect(run).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  test('given --help, then every command is listed with the exit codes', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: inference-migrate \[options\] \[command\]\n/);
    const commands = ['scan [options] <input>', 'plan [options]', 'status [options] <migration-dir>', 'verify [options] <migration-dir>', 'promote [options] <migration-dir>', 'validate [options] <input>', 'example [options]'];
    for (const command of commands) expect(run.stdout).toContain(`  ${command}`);
    expect(run.stdout).toContain('Exit codes: 0 success, 1 bad input or validation problems, 64 usage error, 70 internal error');
  });

  test.each([
    ['plan', /^Usage: inference-migrate plan \[options\]\n[\s\S]*--from <path>[\s\S]*--ga-name-suffix <suffix>[\s\S]*--no-validate[\s\S]*Exit codes: 0 written/],
    ['scan', /^Usage: inference-migrate scan \[options\] <input>\n[\s\S]*--target-gie <version>[\s\S]*--output <format>[\s\S]*Exit codes: 0 nothing found, 2 alpha objects found that the target still serves,\n3 found/],
    ['validate', /^Usage: inference-migrate validate \[options\] <input>\n[\s\S]*Exit codes: 0 every object passes/],
    ['example', /^Usage: inference-migrate example \[options\]\n[\s\S]*--out <dir>[\s\S]*--gke[\s\S]*--force/],
    ['verify', /^Usage: inference-migrate verify \[options\] <migration-dir>\n[\s\S]*--stage <stage>[\s\S]*--kubeconfig <file>[\s\S]*Exit codes: 0 every check that ran passed/],
  ])('given %s --help, then its usage, flags and exit codes are printed', (command, expected) => {
    const run = runCli([command, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(expected);
    expect(run.stdout).toContain('--verbose');
  });

  const PLAN_HINT = "see 'inference-migrate plan --help'\n";
  test.each([
    [['plan', '--from', 'x', '--out', 'y', '--bogus'], `error: unknown option '--bogus'\n${PLAN_HINT}`],
    [['plan', '--from', 'x'], `error: required option '-o, --out <dir>' not specified (or --dry-run, to print the stages instead of writing them)\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--out', 'y', '--steps', '50,10'], `error: option '--steps <weights>' argument '50,10' is invalid. the steps must increase: step 2 (10) is not above step 1 (50), and the GA weight may never decrease\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--out', 'y', '--steps', 'ten'], `error: option '--steps <weights>' argument 'ten' is invalid. expected comma-separated integers such as 10,50,90 (got "ten")\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--out', 'y', '--provider', 'aws'], `error: option '--provider <name>' argument 'aws' is invalid. Allowed choices are none, gke, istio.\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--out', 'y', '--strategy', 'header-preview-cutover', '--steps', '10'], `error: --steps cannot be combined with the header-preview-cutover strategy, which does not move traffic by weight\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--stage', 'cleanup', '--out', 'y'], `error: --stage picks the stage --dry-run prints: add --dry-run\n${PLAN_HINT}`],
    [['plan', '--from', 'x', '--dry-run', '--force'], `error: --dry-run writes nothing: --force and --keep-unknown-files have no meaning with it\n${PLAN_HINT}`],
    [['scan'], "error: missing required argument 'input'\nsee 'inference-migrate scan --help'\n"],
    [['scan', 'x', '--output', 'yaml'], "error: option '--output <format>' argument 'yaml' is invalid. Allowed choices are text, json, markdown.\nsee 'inference-migrate scan --help'\n"],
    [['validate', 'a', 'b'], "error: too many arguments for 'validate'. Expected 1 argument but got 2.\nsee 'inference-migrate validate --help'\n"],
    [['convert', 'llamastack', 'x'], "error: required option '-o, --out <dir>' not specified\nsee 'inference-migrate convert llamastack --help'\n"],
    [['migrate'], "error: unknown command 'migrate'\nsee 'inference-migrate --help'\n"],
  ])('given %j, then it exits 64 with one line and a hint, never the whole usage', (args, expected) => {
    const run = runCli(args);
    expect(run.status).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(expected);
    expect(run.stderr.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(3);
  });

  test('given no command, then the help is printed (a usage error)', () => {
    const run = runCli([]);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/^Usage: inference-migrate \[options\] \[command\]\n/);
  });
});

describe('errors', () => {
  test('given --debug, then an error shows its stack; without it, one line', () => {
    const missing = path.join(tempDir(), 'nope');
    expect(runCli(['scan', missing])).toEqual({ status: 1, stdout: '', stderr: `error: ${missing}: does not exist\n` });
    const debug = runCli(['scan', missing, '--debug']);
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(new RegExp(`^InputError: ${missing}: does not exist\\n\\s+at `));
  });

  test('given an installed copy without lib/, then the command says to compile first', () => {
    const copy = tempDir('nolib-');
    fs.mkdirSync(path.join(copy, 'bin'));
    fs.copyFileSync(BIN, path.join(copy, 'bin', 'inference-migrate'));
    const run = spawnSync(process.execPath, [path.join(copy, 'bin', 'inference-migrate'), '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('inference-migrate: lib/cli/main.js is missing: compile the package first (npx projen compile)\n');
  });
});

describe('example', () => {
  test('given --out, then the guide\'s zero-downtime migration, its GKE variant and the simple path are written, and every object passes validation', () => {
    const out = path.join(tempDir(), 'dist');
    const run = runCli(['example', '--out', out]);

    expect(run).toEqual({
      status: 0,
      stderr: '',
      stdout: [
        `wrote 3 example migrations into ${out}:`,
        '  vllm-llama3-8b-instruct/: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup',
        '  vllm-llama3-8b-instruct-gke/: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup',
        '  vllm-llama3-8b-instruct-simple/: 01-remove-alpha, 02-install-ga',
        '',
      ].join('\n'),
    });
    for (const m of ['vllm-llama3-8b-instruct', 'vllm-llama3-8b-instruct-gke', 'vllm-llama3-8b-instruct-simple']) {
      for (const stage of readStages(path.join(out, m))) expectValid(stage.objects);
    }
    expect(fs.existsSync(path.join(out, '.inference-migrate-output.json'))).toBe(true);
  });

  test('given --gke, then the GKE guide\'s variant is written and validates; a second run needs --force', () => {
    const out = path.join(tempDir(), 'dist');
    const run = runCli(['example', '--out', out, '--gke', '--validate']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote 1 example migration into ${out} (every stage validated):\n  vllm-llama3-8b-instruct-gke/: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup\n`);
    const stages = readStages(path.join(out, 'vllm-llama3-8b-instruct-gke'));
    for (const stage of stages) expectValid(stage.objects);
    expect(stages[0].objects.filter((o) => o.kind === 'HealthCheckPolicy').map((o) => o.spec.targetRef.name)).toEqual(['vllm-llama3-8b-instruct-ga']);

    expect(runCli(['example', '--out', out]).status).toBe(1);
    const forced = runCli(['example', '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.inference-migrate-output.json', 'vllm-llama3-8b-instruct', 'vllm-llama3-8b-instruct-gke', 'vllm-llama3-8b-instruct-simple']);
  });
});

describe('scan', () => {
  test('given alpha objects the newest GIE release no longer serves, then each is listed with file and line and the exit code is 3', () => {
    const run = runCli(['scan', 'test/fixtures/repos/one-pool']);
    expect(run.status).toBe(3);
    expect(run.stdout).toContain([
      'test/fixtures/repos/one-pool/apps/llm/vllm-llama3-8b-instruct-alpha.yaml:136: InferencePool default/vllm-llama3-8b-instruct-alpha (inference.networking.x-k8s.io/v1alpha2)',
      '  becomes: InferencePool default/vllm-llama3-8b-instruct-ga (inference.networking.k8s.io/v1)',
      '  served:  no: GIE v1.6.0 does not serve it (GIE v0.2.0–v1.4.x)',
    ].join('\n'));
    expect(run.stdout).toContain([
      'test/fixtures/repos/one-pool/apps/llm/httproute.yaml:1: HTTPRoute default/llm-route (gateway.networking.k8s.io/v1), refers to alpha InferencePool default/vllm-llama3-8b-instruct-alpha',
      '  becomes: the same HTTPRoute with its references to vllm-llama3-8b-instruct-alpha pointing at InferencePool vllm-llama3-8b-instruct-ga (inference.networking.k8s.io)',
      '  served:  no: GIE v1.6.0 does not serve it (GIE v0.2.0–v1.4.x)',
      '  migrate: inference-migrate plan --from test/fixtures/repos/one-pool --out <migrations-dir>',
    ].join('\n'));
    expect(run.stdout).toMatch(/\nfound 3 alpha objects and 1 object that refers to an alpha pool; 4 use an API that GIE v1\.6\.0 does not serve\n$/);
  });

  test('given a target that still serves them, then the exit code is 2', () => {
    const run = runCli(['scan', 'test/fixtures/repos/one-pool', '--target-gie', 'v0.5.1', '--output', 'json']);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ target: 'v0.5.1', found: 4, notServed: 0, exitCode: 2 });
  });

  test('given LlamaStack v1alpha1 and a KServe ingress config, then they are found (exit 2)', () => {
    const run = runCli(['scan', 'test/fixtures/repos/other-apis', '--output', 'markdown']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('| `test/fixtures/repos/other-apis/llamastack.yaml:1` | LlamaStackDistribution llama/llamastack (llamastack.io/v1alpha1) | LlamaStackDistribution llama/llamastack (llamastack.io/v1alpha2)');
  });

  test('given stage folders written by plan, then their alpha objects are listed too, marked as such, and the InferenceObjectives v1.6.0 drops', () => {
    const repo = tempDir('repo-');
    fs.cpSync(path.join(FIXTURES, 'one-pool'), path.join(repo, 'apps'), { recursive: true });
    expect(runCli(['plan', '--from', path.join(repo, 'apps'), '--out', path.join(repo, 'migrations'), '--no-validate']).status).toBe(0);

    const run = runCli(['scan', repo, '--output', 'json']);

    expect(run.status).toBe(3);
    const found = JSON.parse(run.stdout).findings.map((f: any) => `${f.file.slice(repo.length + 1)}:${f.line} ${f.kind} ${f.generated ? 'generated' : 'source'}`);
    // The pool is carried byte for byte: its file starts with the comment its document had. The stages' InferenceObjectives
    // are listed too: v1.6.0 serves them no more (GIE PR #2973).
    const stages = ['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup'];
    expect(found.filter((f: string) => f.includes('InferenceObjective'))).toEqual(stages.flatMap((stage) => ['base-model', 'food-review']
      .map((m) => `migrations/vllm-llama3-8b-instruct/${stage}/inferenceobjective-${m}.yaml:1 InferenceObjective generated`)));
    expect(found.filter((f: string) => !f.includes('InferenceObjective'))).toEqual([
      'apps/apps/llm/httproute.yaml:1 HTTPRoute source',
      'apps/apps/llm/inference-models.yaml:1 InferenceModel source',
      'apps/apps/llm/inference-models.yaml:12 InferenceModel source',
      'apps/apps/llm/vllm-llama3-8b-instruct-alpha.yaml:136 InferencePool source',
      ...['01-side-by-side', '02-shift-50', '03-finalize'].flatMap((stage) => [
        ...(stage === '03-finalize' ? [] : [`migrations/vllm-llama3-8b-instruct/${stage}/httproute-llm-route.yaml:1 HTTPRoute generated`]),
        `migrations/vllm-llama3-8b-instruct/${stage}/inferencemodel-base-model.yaml:1 InferenceModel generated`,
        `migrations/vllm-llama3-8b-instruct/${stage}/inferencemodel-food-review.yaml:1 InferenceModel generated`,
        `migrations/vllm-llama3-8b-instruct/${stage}/inferencepool-vllm-llama3-8b-instruct-alpha.yaml:2 InferencePool generated`,
      ]),
    ]);
  });

  test('given an alpha pool with a ${VAR} placeholder, then scan and plan report it as a template to render (envsubst or Flux), as they do {{ }}', () => {
    const repo = tempDir('repo-');
    fs.cpSync(path.join(FIXTURES, 'one-pool'), repo, { recursive: true });
    fs.writeFileSync(path.join(repo, 'second-pool.yaml'), [
      'apiVersion: inference.networking.x-k8s.io/v1alpha2',
      'kind: InferencePool',
      'metadata:',
      '  name: second',
      '  namespace: ${NAMESPACE}',
      'spec: {selector: {app: second}, targetPortNumber: 8000, extensionRef: {name: second-epp}}',
      '',
    ].join('\n'));
    const reported = `skipped ${repo}/second-pool.yaml:1: template (\${NAMESPACE} in metadata.namespace), not yaml until rendered: render it (envsubst, or the Flux Kustomization's postBuild substitution) and read the output\n`;

    const scan = runCli(['scan', repo]);
    const planRun = runCli(['plan', '--from', repo, '--out', path.join(tempDir(), 'out')]);

    expect(scan.stderr).toBe(reported);
    expect(scan.status).toBe(3);
    expect(planRun.stderr.split('\n').filter((l) => l.startsWith('skipped ')).map((l) => `${l}\n`)).toEqual([reported]);
    expect(planRun.status).toBe(0);
  });

  test('given nothing alpha, then the exit code is 0', () => {
    expect(runCli(['scan', 'test/fixtures/repos/nothing'])).toEqual({ status: 0, stdout: 'no alpha objects found (target GIE v1.6.0)\n', stderr: '' });
  });

  test('given a malformed file, then the exit code is 1 with file and line', () => {
    expect(runCli(['scan', 'test/fixtures/repos/malformed'])).toEqual({
      status: 1,
      stdout: '',
      stderr: 'error: test/fixtures/repos/malformed/broken.yaml:4: malformed yaml: nested mappings are not allowed in compact mappings (column 9)\n',
    });
  });
});

describe('validate', () => {
  test('given valid manifests, then it exits 0', () => {
    expect(runCli(['validate', 'test/fixtures/repos/one-pool'])).toEqual({ status: 0, stdout: '11 objects in 5 files: no problems\n', stderr: '' });
  });

  test('given problems, then each is printed with file, line, object and field, and the exit code is 1', () => {
    const dir = writeTree(tempDir('validate-'), {
      'route.yaml': [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: HTTPRoute',
        'metadata:',
        '  name: llm-route',
        '  namespace: default',
        'spec:',
        '  parentRefs:',
        '  - name: gw',
        '  rules:',
        '  - backendRefs:',
        '    - group: inference.networking.k8s.io',
        '      kind: InferencePool',
        '      name: pool',
        '      weight: 2000000',
        '',
      ].join('\n'),
      'monitor.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: epp\n',
    });

    const run = runCli(['validate', dir]);

    expect(run.status).toBe(1);
    expect(run.stdout).toBe([
      `${dir}/monitor.yaml:1: ServiceMonitor epp: no schema is known for monitoring.coreos.com/v1 ServiceMonitor: it is neither a built-in kind nor defined by the crd bundles gie-v1.4.0, gie-v0.3.0, gateway-api-v1.3.0, kserve-v0.15.1, llamastack-operator-pr253 [unknown-kind]`,
      `${dir}/route.yaml:14: HTTPRoute default/llm-route: spec.rules[0].backendRefs[0].weight: must be <= 1000000 (allowed range 0..1000000, got 2000000) [schema]`,
      '',
    ].join('\n'));
    expect(run.stderr).toBe('error: 2 problems in 2 of 2 objects in 2 files\n');
  });

  test('given the whole migration folder plan wrote, then its gitops/ Argo CD Application and Flux Kustomization are checked against their schemas and pass', () => {
    const out = path.join(tempDir(), 'out');
    expect(runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--out', out]).status).toBe(0);

    const run = runCli(['validate', path.join(out, 'vllm-llama3-8b-instruct', 'gitops')]);

    expect(run).toEqual({ status: 0, stdout: '2 objects in 2 files: no problems\n', stderr: '' });
    expect(runCli(['validate', out]).status).toBe(0);
  });

  test('given an Argo CD Application and a Flux Kustomization with faults, then each fault is reported by field, not as an unknown kind', () => {
    const dir = writeTree(tempDir('validate-'), {
      'gitops.yaml': [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: {name: llm, namespace: argocd}',
        'spec:',
        '  project: default',
        '  source: {repoURL: "https://example.com/repo.git", path: migrations/x/01-side-by-side, targetRevision: 42}',
        '  destinaton: {server: "https://kubernetes.default.svc"}',
        '---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1',
        'kind: Kustomization',
        'metadata: {name: llm, namespace: flux-system}',
        'spec: {interval: 10m, path: ./x, prune: "yes"}',
        '',
      ].join('\n'),
    });

    const run = runCli(['validate', dir]);

    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n').map((l) => l.slice(dir.length + 1));
    expect(lines).toEqual([
      'gitops.yaml:5: Application argocd/llm: spec.destination: required field is missing [core]',
      'gitops.yaml:6: Application argocd/llm: spec.source.targetRevision: must be string (got integer 42) [core]',
      'gitops.yaml:7: Application argocd/llm: spec.destinaton: unknown field "spec.destinaton" [unknown-field]',
      'gitops.yaml:12: Kustomization flux-system/llm: spec.sourceRef: required field is missing [core]',
      'gitops.yaml:12: Kustomization flux-system/llm: spec.prune: must be boolean (got string "yes") [core]',
    ]);
  });

  test('given a stage folder written by plan, then it validates', () => {
    const out = path.join(tempDir(), 'out');
    expect(runCli(['plan', '--from', path.join(FIXTURES, 'gke'), '--out', out, '--no-validate']).status).toBe(0);
    const before = snapshotTree(out);

    const run = runCli(['validate', path.join(out, 'vllm-llama3-8b-instruct', '01-side-by-side'), '--verbose']);

    expect(run.stdout).toBe('22 objects in 23 files: no problems\n');
    expect(run.stderr).toMatch(/^skipped .*01-side-by-side\/kustomization\.yaml: kustomization \(kustomize configuration, not a cluster object\)\n$/);
    expect(run.status).toBe(0);
    expect(snapshotTree(out)).toEqual(before);
    expect(listTree(out).length).toBeGreaterThan(0);
  });
});
