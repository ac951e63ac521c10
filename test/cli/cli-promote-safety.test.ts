/**
 * promote and status against a migration folder and a GitOps file that a pull request may have
 * changed: plan.json is read only as a bounded regular file, promote points nothing at a stage that is
 * not there, and plan.json's stage names cannot lead out of the migration folder.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BIN, removeTempDirs, requireCompiled, runCli, tempDir, writeTree } from './run-cli';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const MIG = 'migrations/vllm-llama3-8b-instruct';
const APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: llm
  namespace: argocd
spec:
  source:
    repoURL: https://github.com/example/gitops.git
    path: ${MIG}/01-side-by-side
  destination:
    server: https://kubernetes.default.svc
`;

/** A repository with the example's migrations and an Application at the first stage. */
function repo(): string {
  const dir = tempDir('promote-safety-');
  expect(runCli(['example', '--out', path.join(dir, 'migrations')]).status).toBe(0);
  writeTree(dir, { 'app.yaml': APP });
  return dir;
}

const plan = (dir: string) => path.join(dir, MIG, 'plan.json');
const editPlan = (dir: string, edit: (p: any) => void) => {
  const data = JSON.parse(fs.readFileSync(plan(dir), 'utf8'));
  edit(data);
  fs.writeFileSync(plan(dir), JSON.stringify(data));
};

describe('plan.json is read as a bounded regular file', () => {
  test.each([
    ['a FIFO', (file: string) => spawnSync('mkfifo', [file]), /plan\.json: expected a regular file, found a special file \(device, pipe or socket\): it is not read/],
    ['a link to /dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file), /plan\.json is a symbolic link: inference-migrate never follows/],
    ['a link to the real plan.json', (file: string) => fs.symlinkSync(`${file}.real`, file), /plan\.json is a symbolic link/],
  ])('given plan.json that is %s, then status and promote refuse it at once (exit 1) and the GitOps file is untouched', (_what, make, message) => {
    const dir = repo();
    fs.renameSync(plan(dir), `${plan(dir)}.real`);
    make(plan(dir));

    for (const command of ['status', 'promote']) {
      const run = spawnSync(process.execPath, [BIN, command, MIG, '--app', 'app.yaml'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      expect({ command, signal: run.signal, status: run.status }).toEqual({ command, signal: null, status: 1 });
      expect(run.stderr).toMatch(message);
    }
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(APP);
  });

  test('given plan.json of 17 MiB, then it is refused naming the limit', () => {
    const dir = repo();
    fs.writeFileSync(plan(dir), `{"pad": "${'x'.repeat(17 * 1024 * 1024)}"}`);

    const run = runCli(['status', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/plan\.json: is 17\.0 MiB, above the size limit of 16 MiB: it is not read/);
  });

  test('given plan.json nested 5,000 deep, then status and promote say it is not a plan (exit 1, never 70)', () => {
    const dir = repo();
    // Deep inside the field changes of a stage, which status and the pull request print.
    editPlan(dir, (p) => {
      p.stages[1].changes.changed[0].fields[0].after = 'DEEP';
    });
    fs.writeFileSync(plan(dir), fs.readFileSync(plan(dir), 'utf8').replace('"DEEP"', `${'['.repeat(5000)}${']'.repeat(5000)}`));

    for (const command of ['status', 'promote']) {
      const run = runCli([command, MIG, '--app', 'app.yaml'], dir);
      expect({ command, status: run.status }).toEqual({ command, status: 1 });
      expect(run.stderr).toMatch(/^error: migrations\/vllm-llama3-8b-instruct\/plan\.json:1: nested deeper than 100 levels: /);
    }
  });
});

describe('promote verifies what it points at', () => {
  test.each([
    ['the target stage folder is missing', (dir: string) => fs.rmSync(path.join(dir, MIG, '02-shift-50'), { recursive: true }), /the stage folder migrations\/vllm-llama3-8b-instruct\/02-shift-50 is missing/],
    ['its kustomization.yaml is missing', (dir: string) => fs.rmSync(path.join(dir, MIG, '02-shift-50', 'kustomization.yaml')), /02-shift-50\/kustomization\.yaml is missing/],
    ['the target stage folder is a link', (dir: string) => {
      fs.renameSync(path.join(dir, MIG, '02-shift-50'), path.join(dir, 'elsewhere'));
      fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, MIG, '02-shift-50'));
    }, /the stage folder migrations\/vllm-llama3-8b-instruct\/02-shift-50 is a symbolic link/],
    ['a stage folder on disk that plan.json does not list', (dir: string) => fs.mkdirSync(path.join(dir, MIG, '07-extra')), /07-extra is a stage folder that .*plan\.json does not list/],
  ])('given %s, then promote refuses (exit 1) and the GitOps file is untouched', (_what, change, message) => {
    const dir = repo();
    change(dir);

    const run = runCli(['promote', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: migrations\/vllm-llama3-8b-instruct\/plan\.json and the folders beside it disagree: /);
    expect(run.stderr).toMatch(message);
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(APP);
  });

  test.each(['..', '.', '../../outside', 'a/b', 'x\\y'])('given a stage folder named %j in plan.json, then status and promote refuse plan.json naming it (exit 1)', (folder) => {
    const dir = repo();
    editPlan(dir, (p) => {
      p.stages[1].folder = folder;
    });

    for (const command of ['status', 'promote']) {
      const run = runCli([command, MIG, '--app', 'app.yaml'], dir);
      expect({ command, status: run.status }).toEqual({ command, status: 1 });
      expect(run.stderr).toMatch(/plan\.json: the folder or name of stages\[1\] (is|holds)/);
    }
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(APP);
  });
});

describe('a GitOps file promote cannot edit by one value', () => {
  test('given an Application whose spec.source is an anchor reused elsewhere in the document, then promote refuses with file and line (exit 1, never 70)', () => {
    const dir = repo();
    const shared = APP.replace('  source:\n', '  source: &src\n').concat('  info:\n  - name: source\n    value: *src\n');
    writeTree(dir, { 'app.yaml': shared });

    const run = runCli(['promote', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: app.yaml:9: replacing spec.source.path of the Argo CD Application llm would change more than that value '
      + '(is it, or a map around it, a YAML anchor used elsewhere with *?): edit the path by hand; nothing was changed\n');
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(shared);
  });
});
