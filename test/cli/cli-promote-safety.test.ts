/**
 * promote and status against a migration folder and a GitOps file that a pull request may have
 * changed: plan.json is read only as a bounded regular file, promote points nothing at a stage that is
 * not there, and plan.json's stage names cannot lead out of the migration folder.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
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

describe('the active-stage record promote writes, when a pull request planted something there', () => {
  const RECORD = `${MIG}/active-stage.json`;
  const outsideFile = (dir: string) => {
    const outside = path.join(path.dirname(dir), `${path.basename(dir)}-outside`);
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(outside, 'victim.txt'), 'password=hunter2\n', { mode: 0o600 });
    return path.join(outside, 'victim.txt');
  };

  test.each([
    ['a hard link to a file outside the repository', (dir: string) => fs.linkSync(outsideFile(dir), path.join(dir, RECORD)), /active-stage\.json has 2 hard links: inference-migrate never replaces a file shared with another name/],
    ['a record that is not JSON', (dir: string) => fs.writeFileSync(path.join(dir, RECORD), '{'), /active-stage\.json was not written by inference-migrate: it is never replaced/],
    ['a record promote wrote, then edited', (dir: string) => {
      expect(runCli(['promote', MIG, '--app', 'app.yaml'], dir).status).toBe(0);
      fs.writeFileSync(path.join(dir, 'app.yaml'), APP);
      fs.appendFileSync(path.join(dir, RECORD), ' ');
    }, /active-stage\.json was changed since inference-migrate wrote it: it is never replaced/],
    ['a folder', (dir: string) => fs.mkdirSync(path.join(dir, RECORD)), /active-stage\.json is a folder, not the regular file promote writes/],
    ['writable, but a folder stands where its temporary file goes', (dir: string) => fs.mkdirSync(path.join(dir, '.migrations.inference-migrate-record.tmp')),
      /\.migrations\.inference-migrate-record\.tmp is a folder where inference-migrate writes the record's temporary file/],
  ])('given the record is %s, then promote refuses before it changes the GitOps file (exit 1), and nothing outside changes', (_what, plant, message) => {
    const dir = repo();
    plant(dir);
    const victim = path.join(`${dir}-outside`, 'victim.txt');
    const before = fs.existsSync(victim) ? fs.readFileSync(victim, 'utf8') : undefined;

    const run = runCli(['promote', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(APP);
    if (before !== undefined) expect(fs.readFileSync(victim, 'utf8')).toBe(before);
  });

  test('given the record is a hard link to a file of secrets, then status refuses it without printing a byte of it', () => {
    const dir = repo();
    fs.linkSync(outsideFile(dir), path.join(dir, RECORD));

    const run = runCli(['status', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/active-stage\.json: not the JSON record inference-migrate promote writes \(not valid JSON/);
    expect(run.stderr).not.toMatch(/hunter2|password/);
  });

  test.each([
    ['activeStage', '../../../outside'],
    ['activeStage', '02-shift-50/../..'],
    ['promotedFrom', '..'],
    ['migration', 'a\u001b[31mb'],
  ])('given a record whose %s is %j, then status refuses the record as not the one promote writes (exit 1)', (field, value) => {
    const dir = repo();
    expect(runCli(['promote', MIG, '--app', 'app.yaml'], dir).status).toBe(0);
    const record = JSON.parse(fs.readFileSync(path.join(dir, RECORD), 'utf8'));
    record[field] = value;
    fs.writeFileSync(path.join(dir, RECORD), JSON.stringify(record));

    const run = runCli(['status', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`active-stage\\.json: not the record inference-migrate promote writes \\(its ${field} (is|holds)`));
    expect(run.stderr).not.toContain('\u001b');
  });

  test('given the journal of an interrupted write beside the output, then promote refuses before it edits the GitOps file (the next plan would drop a record written now)', () => {
    const dir = repo();
    const journal = path.join(dir, '.migrations.inference-migrate-journal.json');
    fs.writeFileSync(journal, '{}');

    const run = runCli(['promote', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\.migrations\.inference-migrate-journal\.json is there: an earlier write of migrations was interrupted; .*so app\.yaml was not changed/);
    expect(fs.readFileSync(path.join(dir, 'app.yaml'), 'utf8')).toBe(APP);
    expect(fs.readFileSync(journal, 'utf8')).toBe('{}');
  });

  test('given promote is run from inside the migration folder (promote .), then the record goes beside plan.json and the output marker lists it', () => {
    const dir = repo();
    const cwd = path.join(dir, MIG);

    const run = runCli(['promote', '.', '--app', '../../app.yaml'], cwd);

    expect(run.stderr).toMatch(/recorded it in \.\.\/vllm-llama3-8b-instruct\/active-stage\.json\n$/);
    expect(run.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, RECORD), 'utf8')).activeStage).toBe('02-shift-50');
    expect(fs.readFileSync(path.join(dir, 'migrations', '.inference-migrate-output.json'), 'utf8')).toContain('"path": "vllm-llama3-8b-instruct/active-stage.json"');
  });

  test('given a migration folder that is a link out of the repository under a planted marker that lists its plan.json with the right sha256, then promote records nothing through the link', () => {
    const dir = repo();
    const outside = path.join(`${dir}-outside`, 'm');
    fs.mkdirSync(path.dirname(outside), { recursive: true });
    fs.cpSync(path.join(dir, MIG), outside, { recursive: true });
    fs.rmSync(path.join(outside, 'active-stage.json'), { force: true });
    fs.mkdirSync(path.join(dir, 'evil'));
    fs.symlinkSync(outside, path.join(dir, 'evil', 'm'));
    const sha = createHash('sha256').update(fs.readFileSync(path.join(outside, 'plan.json'))).digest('hex');
    fs.writeFileSync(path.join(dir, 'evil', '.inference-migrate-output.json'), JSON.stringify({ tool: 'inference-migrate', files: [{ path: 'm/plan.json', sha256: sha }] }));
    writeTree(dir, { 'app.yaml': APP.replace(`${MIG}/01-side-by-side`, 'evil/m/01-side-by-side') });

    const run = runCli(['promote', 'evil/m', '--app', 'app.yaml'], dir);

    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: the stage is not recorded in evil\/m\/active-stage\.json: no marker of inference-migrate proves evil\/m\/plan\.json/);
    expect(fs.existsSync(path.join(outside, 'active-stage.json'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'evil', '.inference-migrate-output.json'), 'utf8')).not.toContain('active-stage');
  });

  test('given a planted marker that lists plan.json with another sha256, then promote records nothing and leaves the marker as it was', () => {
    const dir = repo();
    const marker = path.join(dir, 'migrations', '.inference-migrate-output.json');
    const planted = fs.readFileSync(marker, 'utf8').replace(/("path": "vllm-llama3-8b-instruct\/plan\.json",\s*"sha256": ")[0-9a-f]{64}/, `$1${'0'.repeat(64)}`);
    fs.writeFileSync(marker, planted);

    const run = runCli(['promote', MIG, '--app', 'app.yaml'], dir);

    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/the stage is not recorded in migrations\/vllm-llama3-8b-instruct\/active-stage\.json/);
    expect(fs.readFileSync(marker, 'utf8')).toBe(planted);
    expect(fs.existsSync(path.join(dir, RECORD))).toBe(false);
  });
});

describe('verify reads the stage files as plan.json is read', () => {
  const FILE = `${MIG}/02-shift-50/serviceaccount-vllm-llama3-8b-instruct-ga-epp.yaml`;
  test.each([
    ['a FIFO', (file: string) => spawnSync('mkfifo', [file]), /serviceaccount-vllm-llama3-8b-instruct-ga-epp\.yaml: expected a regular file, found a special file/],
    ['a link to /dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file), /serviceaccount-vllm-llama3-8b-instruct-ga-epp\.yaml is a symbolic link/],
  ])('given an object file of the stage that is %s, then verify refuses it at once (exit 1), before any kubectl call', (_what, make, message) => {
    const dir = repo();
    fs.rmSync(path.join(dir, FILE));
    make(path.join(dir, FILE));

    const run = spawnSync(process.execPath, [BIN, 'verify', MIG, '--stage', '02-shift-50'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });

    expect({ signal: run.signal, status: run.status }).toEqual({ signal: null, status: 1 });
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });
});
