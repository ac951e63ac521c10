import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, ROOT, removeTempDirs, requireCompiled, runCli, tempDir, writeTree } from './run-cli';
import { mermaidBlocks, parseMermaid } from '../migration/mermaid';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const MIG = 'migrations/vllm-llama3-8b-instruct';

const ARGO = `# Argo CD Application of the LLM platform: inference-migrate promote moves its path.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: llm          # the platform team's
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/gitops.git
    targetRevision: main
    path: ${MIG}/01-side-by-side   # <- stage
  destination:
    server: https://kubernetes.default.svc
    namespace: default   # model servers live here
  syncPolicy: {automated: {prune: true, selfHeal: true}}
`;

const FLUX = `# Flux Kustomization of the GKE migration.
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: llm-gke
  namespace: flux-system
spec:
  interval: 5m
  # the stage folder:
  path: "./${MIG}-gke/01-side-by-side"
  prune: true
  sourceRef: {kind: GitRepository, name: gitops}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: gitops, namespace: flux-system}
spec: {url: https://github.com/example/gitops.git, ref: {branch: main}}
`;

/** A Git repository as the user has it: the example's migrations and the two GitOps files. */
function repo(): string {
  const dir = tempDir('promote-');
  const example = runCli(['example', '--out', path.join(dir, 'migrations')]);
  expect(example.status).toBe(0);
  writeTree(dir, { 'clusters/prod/llm.yaml': ARGO, 'clusters/gke/llm.yaml': FLUX });
  return dir;
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

/** The lines that differ between two texts with the same number of lines. */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.map((l, i) => [l, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

describe('inference-migrate promote', () => {
  test('given an Argo CD Application with comments, then each promotion changes exactly its path line, up to the last stage', () => {
    const dir = repo();
    const file = 'clusters/prod/llm.yaml';
    fs.chmodSync(path.join(dir, file), 0o640);
    const stages = ['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup'];
    for (let i = 1; i < stages.length; i++) {
      const before = read(dir, file);
      const run = runCli(['promote', MIG, '--app', file], dir);
      expect(run.status).toBe(0);
      expect(changedLines(before, read(dir, file))).toEqual([[`    path: ${MIG}/${stages[i - 1]}   # <- stage`, `    path: ${MIG}/${stages[i]}   # <- stage`]]);
      expect(run.stdout.split('\n')[0]).toBe(`Promote vllm-llama3-8b-instruct to ${stages[i]}`);
      expect(run.stderr).toContain(`moved the Argo CD Application argocd/llm (${file}:12) from ${stages[i - 1]} to ${stages[i]}`);
    }
    expect(read(dir, file)).toBe(ARGO.replace('01-side-by-side', '04-cleanup'));
    expect(fs.statSync(path.join(dir, file)).mode % 0o1000).toBe(0o640);
    expect(fs.readdirSync(path.join(dir, 'clusters/prod'))).toEqual(['llm.yaml']);

    const last = runCli(['promote', MIG, '--app', file], dir);
    expect(last.status).toBe(1);
    expect(last.stderr).toBe('error: 04-cleanup is the last stage of vllm-llama3-8b-instruct: nothing to promote; to move back, add --rollback\n');
  });

  test('given the first promotion, then stdout is the pull request: title, then a body with the purpose, the weights that move, the checks and the rollback', () => {
    const dir = repo();
    const run = runCli(['promote', MIG, '--app', 'clusters/prod/llm.yaml'], dir);
    expect(run.status).toBe(0);
    const [title, empty, ...body] = run.stdout.split('\n');
    expect([title, empty]).toEqual(['Promote vllm-llama3-8b-instruct to 02-shift-50', '']);
    const text = body.join('\n');
    expect(text).toContain('## What `02-shift-50` does\n\nThe route splits traffic: 50% to the alpha pool, 50% to the GA pool.');
    expect(text).toContain('  - `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight: 100 -> 50`');
    expect(text).toContain('## Before merging');
    expect(text).toContain('## After syncing');
    expect(text).toContain('kubectl get httproute.gateway.networking.k8s.io llm-route -n default');
    expect(text).toContain(`\`\`\`bash\ninference-migrate promote ${MIG} --app clusters/prod/llm.yaml --rollback\n\`\`\``);
  });

  test('given a Flux Kustomization with comments in a multi-document file, then only its quoted ./ path moves', () => {
    const dir = repo();
    const file = 'clusters/gke/llm.yaml';
    const run = runCli(['promote', `${MIG}-gke`, '--app', file], dir);
    expect(run.status).toBe(0);
    expect(changedLines(FLUX, read(dir, file))).toEqual([[`  path: "./${MIG}-gke/01-side-by-side"`, `  path: "./${MIG}-gke/02-shift-50"`]]);
    expect(run.stderr).toContain(`moved the Flux Kustomization flux-system/llm-gke (${file}:10) from 01-side-by-side to 02-shift-50`);
  });

  test('given a skip, a move backwards or a path of another migration, then it is refused with exit 1 and the file is untouched', () => {
    const dir = repo();
    const file = 'clusters/prod/llm.yaml';
    const cases: Array<[string[], string]> = [
      [['--to', '03-finalize'], 'error: moving from 01-side-by-side to 03-finalize skips 02-shift-50: each stage is meant to be synced and verified in turn; add --skip to do it anyway; nothing was changed\n'],
      [['--rollback'], 'error: 01-side-by-side is the first stage of vllm-llama3-8b-instruct: there is no earlier stage to roll back to (to leave the migration, revert the change that pointed the object at it); nothing was changed\n'],
    ];
    for (const [flags, message] of cases) {
      const run = runCli(['promote', MIG, '--app', file, ...flags], dir);
      expect([run.status, run.stdout, run.stderr]).toEqual([1, '', message]);
      expect(read(dir, file)).toBe(ARGO);
    }
    writeTree(dir, { [file]: ARGO.replace('01-side-by-side', '03-finalize') });
    const back = runCli(['promote', MIG, '--app', file, '--to', '02-shift-50'], dir);
    expect([back.status, back.stderr]).toEqual([1, 'error: 02-shift-50 comes before 03-finalize: moving backwards is a rollback; add --rollback to do it; nothing was changed\n']);
    const foreign = runCli(['promote', `${MIG}-simple`, '--app', file], dir);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toBe(`error: ${file}:12: spec.source.path of the Argo CD Application argocd/llm is ${MIG}/03-finalize, which points at no stage of the migration vllm-llama3-8b-instruct-simple: `
      + 'a path ending in vllm-llama3-8b-instruct-simple/<stage> was expected (stages: 01-remove-alpha, 02-install-ga); nothing was changed\n');
    expect(read(dir, file)).toBe(ARGO.replace('01-side-by-side', '03-finalize'));
  });

  test('given --skip with --to, then the skip is made; given --rollback, then the path moves back one stage', () => {
    const dir = repo();
    const file = 'clusters/prod/llm.yaml';
    const skip = runCli(['promote', MIG, '--app', file, '--to', 'finalize', '--skip'], dir);
    expect(skip.status).toBe(0);
    expect(changedLines(ARGO, read(dir, file))).toEqual([[`    path: ${MIG}/01-side-by-side   # <- stage`, `    path: ${MIG}/03-finalize   # <- stage`]]);
    const before = read(dir, file);
    const rollback = runCli(['promote', MIG, '--app', file, '--rollback'], dir);
    expect(rollback.status).toBe(0);
    expect(rollback.stdout.split('\n')[0]).toBe('Roll back vllm-llama3-8b-instruct to 02-shift-50');
    expect(changedLines(before, read(dir, file))).toEqual([[`    path: ${MIG}/03-finalize   # <- stage`, `    path: ${MIG}/02-shift-50   # <- stage`]]);
  });

  test('given --dry-run, then the diff is printed and nothing is written', () => {
    const dir = repo();
    const file = 'clusters/prod/llm.yaml';
    const run = runCli(['promote', MIG, '--app', file, '--dry-run'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe([
      `--- ${file}`,
      `+++ ${file}`,
      '@@ -12 +12 @@',
      `-    path: ${MIG}/01-side-by-side   # <- stage`,
      `+    path: ${MIG}/02-shift-50   # <- stage`,
      '',
    ].join('\n'));
    expect(run.stderr).toContain('dry run: would move the Argo CD Application argocd/llm');
    expect(run.stderr).toContain('nothing was written');
    expect(read(dir, file)).toBe(ARGO);
  });

  test('given --output json, then the move, the diff and the pull request are one JSON object', () => {
    const dir = repo();
    const run = runCli(['promote', MIG, '--app', 'clusters/prod/llm.yaml', '--output', 'json', '--dry-run'], dir);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ written: false, from: '01-side-by-side', to: '02-shift-50', newPath: `${MIG}/02-shift-50`, pullRequest: { title: 'Promote vllm-llama3-8b-instruct to 02-shift-50' } });
  });

  test('given a symbolic link as --app, then it is refused and the file it points to is untouched', () => {
    const dir = repo();
    fs.symlinkSync(path.join(dir, 'clusters/prod/llm.yaml'), path.join(dir, 'link.yaml'));
    const run = runCli(['promote', MIG, '--app', 'link.yaml'], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: link\.yaml is a symbolic link: inference-migrate never follows/);
    expect(read(dir, 'clusters/prod/llm.yaml')).toBe(ARGO);
  });

  test('given a folder that is not a migration, or --skip without --to, then it says what was expected', () => {
    const dir = repo();
    const notMigration = runCli(['promote', 'migrations', '--app', 'clusters/prod/llm.yaml'], dir);
    expect(notMigration.status).toBe(1);
    expect(notMigration.stderr).toBe('error: migrations has no plan.json: it holds the migrations vllm-llama3-8b-instruct, vllm-llama3-8b-instruct-gke, vllm-llama3-8b-instruct-simple; give one of them, e.g. migrations/vllm-llama3-8b-instruct\n');
    // The user's problems exit 1 (never 70, the code of the tool's own bugs).
    expect(runCli(['promote', 'nope', '--app', 'clusters/prod/llm.yaml'], dir)).toMatchObject({ status: 1, stderr: 'error: nope: no such directory\n' });
    expect(runCli(['promote', MIG, '--app', 'clusters/none.yaml'], dir)).toMatchObject({ status: 1, stderr: 'error: clusters/none.yaml: no such file\n' });
    writeTree(dir, { 'bad.yaml': 'a: [\n' });
    expect(runCli(['status', MIG, '--app', 'bad.yaml'], dir)).toMatchObject({ status: 1 });
    const usage = runCli(['promote', MIG, '--app', 'clusters/prod/llm.yaml', '--skip'], dir);
    expect(usage.status).toBe(64);
    expect(usage.stderr).toMatch(/^error: --skip needs --to <stage>/);
  });
});

describe('inference-migrate status', () => {
  test('given the GitOps file, then it names the active stage, the next one, its field changes and the command that promotes it', () => {
    const dir = repo();
    writeTree(dir, { 'clusters/prod/llm.yaml': ARGO.replace('01-side-by-side', '02-shift-50') });
    const run = runCli(['status', MIG, '--app', 'clusters/prod/llm.yaml'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe([
      'migration vllm-llama3-8b-instruct (zero-downtime): 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup',
      'active: 02-shift-50 (stage 2 of 4), from the Argo CD Application argocd/llm (clusters/prod/llm.yaml:12)',
      '  The route splits traffic: 50% to the alpha pool, 50% to the GA pool.',
      'next:   03-finalize (stage 3 of 4)',
      '  The route\'s only backend is the GA pool (weight 100); the alpha stack keeps running so a rollback is one re-apply.',
      '  changes:',
      '    changed HTTPRoute default/llm-route',
      '      spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga].weight: 50 -> 100',
      '      spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha]: {group: inference.networking.x-k8s.io, kind: InferencePool, name: vllm-llama3-8b-instruct-alpha, weight: 50} -> (unset)',
      `to promote: inference-migrate promote ${MIG} --app clusters/prod/llm.yaml`,
      '',
    ].join('\n'));
  });

  test('given --stage for an app that selects the stage in code, then it names the stage to set next', () => {
    const dir = repo();
    const run = runCli(['status', MIG, '--stage', '03-finalize'], dir);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('active: 03-finalize (stage 3 of 4)\n');
    expect(run.stdout).toContain('next:   04-cleanup (stage 4 of 4)');
    expect(run.stdout).toContain('  by hand (see its README):\n    after verify: The alpha stack was installed by Helm, outside Git: uninstall its release once this stage is verified.');
    expect(run.stdout).toContain('to promote: set activeStage: \'04-cleanup\' on the migration (or the context inference-migration:vllm-llama3-8b-instruct:active-stage to 04-cleanup)');
    const json = JSON.parse(runCli(['status', MIG, '--stage', 'cleanup', '--output', 'json'], dir).stdout);
    expect(json).toMatchObject({ activeStage: '04-cleanup', activeOrdinal: 4, nextChanges: [] });
    expect(json.nextStage).toBeUndefined();
  });

  test('given neither --app nor --stage, or a foreign path, then it exits 64 or 1', () => {
    const dir = repo();
    expect(runCli(['status', MIG], dir).status).toBe(64);
    const foreign = runCli(['status', `${MIG}-gke`, '--app', 'clusters/prod/llm.yaml'], dir);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain('which points at no stage of the migration vllm-llama3-8b-instruct-gke');
  });
});

describe('inference-migrate example: what a reviewer sees', () => {
  const dir = tempDir('example-review-');
  expect(runCli(['example', '--out', dir]).status).toBe(0);

  test('then the stage READMEs show the weight changes field by field', () => {
    const shift = fs.readFileSync(path.join(dir, 'vllm-llama3-8b-instruct', '02-shift-50', 'README.md'), 'utf8');
    expect(shift).toContain('- `HTTPRoute default/llm-route`\n  - `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight: 100 -> 50`');
    const finalize = fs.readFileSync(path.join(dir, 'vllm-llama3-8b-instruct', '03-finalize', 'README.md'), 'utf8');
    expect(finalize).toContain('  - `spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga].weight: 50 -> 100`');
  });

  test('then each top README holds a diagram that Mermaid\'s parser accepts', () => {
    const names = ['vllm-llama3-8b-instruct', 'vllm-llama3-8b-instruct-gke', 'vllm-llama3-8b-instruct-simple'];
    const diagrams = names.flatMap((n) => mermaidBlocks(fs.readFileSync(path.join(dir, n, 'README.md'), 'utf8')));
    expect(diagrams).toHaveLength(3);
    expect(parseMermaid(diagrams).every((r) => r.ok && r.type === 'flowchart-v2')).toBe(true);
  });
});

describe('the promotion walkthrough of docs/gitops.md', () => {
  test('given the walkthrough\'s repository and Application, then promote prints the pull request the page shows', () => {
    // Given the page's repository (the fixture planned with --steps 10,50,90) and its Application file
    const readme = fs.readFileSync(path.join(ROOT, 'docs', 'gitops.md'), 'utf8');
    const app = /\$ cat clusters\/prod\/llm-migration\.yaml\n([\s\S]*?)\$ inference-migrate status/.exec(readme)![1];
    const shown = /\n````markdown\n([\s\S]*?)\n````\n/.exec(readme)![1];
    const dir = tempDir('walkthrough-');
    fs.cpSync(path.join(FIXTURES, 'one-pool'), path.join(dir, 'gitops'), { recursive: true });
    expect(runCli(['plan', '--from', 'gitops/apps', '--out', 'gitops/migrations', '--steps', '10,50,90'], dir).status).toBe(0);
    writeTree(dir, { 'gitops/clusters/prod/llm-migration.yaml': app });

    // When promote runs as the page shows
    const run = runCli(['promote', 'migrations/vllm-llama3-8b-instruct', '--app', 'clusters/prod/llm-migration.yaml'], path.join(dir, 'gitops'));

    // Then it prints what the page shows
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${shown}\n`);
  });
});

describe('the active stage, recorded by promote and kept by re-planning', () => {
  const MIGRATION = 'gitops/migrations/vllm-llama3-8b-instruct';
  const RECORD = `${MIGRATION}/active-stage.json`;

  /** The walkthrough's repository planned with steps 10 and 50, its Application at 01-side-by-side. */
  function planned(): string {
    const dir = tempDir('record-');
    fs.cpSync(path.join(FIXTURES, 'one-pool'), path.join(dir, 'gitops'), { recursive: true });
    expect(runCli(['plan', '--from', 'gitops/apps', '--out', 'gitops/migrations', '--steps', '10,50'], dir).status).toBe(0);
    writeTree(dir, { 'app.yaml': fs.readFileSync(path.join(dir, MIGRATION, 'gitops', 'argocd-application.yaml'), 'utf8') });
    return dir;
  }

  test('given a promotion, then the stage it moved to is recorded beside plan.json, listed in the marker, and named in the pull request', () => {
    const dir = planned();
    const run = runCli(['promote', MIGRATION, '--app', 'app.yaml'], dir);
    expect(run.status).toBe(0);
    expect(JSON.parse(read(dir, RECORD))).toEqual(expect.objectContaining({ migration: 'vllm-llama3-8b-instruct', activeStage: '02-shift-10', stageName: 'shift-10', promotedFrom: '01-side-by-side' }));
    expect(read(dir, 'gitops/migrations/.inference-migrate-output.json')).toContain('"path": "vllm-llama3-8b-instruct/active-stage.json"');
    expect(run.stdout).toContain(`and records \`02-shift-10\` as the active stage in \`${RECORD}\``);
    expect(run.stderr).toContain(`recorded it in ${RECORD}`);
  });

  test('given --dry-run, then nothing is recorded', () => {
    const dir = planned();
    const run = runCli(['promote', MIGRATION, '--app', 'app.yaml', '--dry-run'], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`would record it in ${RECORD}; nothing was written`);
    expect(fs.existsSync(path.join(dir, RECORD))).toBe(false);
  });

  test('given an output promoted to 02-shift-10, when plan --force renumbers the stages, then it is refused naming the stage and nothing changes', () => {
    // Given
    const dir = planned();
    expect(runCli(['promote', MIGRATION, '--app', 'app.yaml'], dir).status).toBe(0);
    const before = read(dir, `${MIGRATION}/plan.json`);
    // When
    const run = runCli(['plan', '--from', 'gitops/apps', '--out', 'gitops/migrations', '--steps', '25,75', '--force'], dir);
    // Then
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: --out gitops\/migrations: the new plan would delete the stage a GitOps object syncs: vllm-llama3-8b-instruct was promoted to 02-shift-10 .* the new plan has no folder 02-shift-10 \(its stages: 01-side-by-side, 02-shift-25, 03-shift-75, 04-finalize, 05-cleanup\)/);
    expect(read(dir, `${MIGRATION}/plan.json`)).toBe(before);
    expect(fs.existsSync(path.join(dir, MIGRATION, '02-shift-10'))).toBe(true);
  });

  test('given an output promoted to 02-shift-10, when plan --force keeps that stage, then it writes and the record stays', () => {
    const dir = planned();
    expect(runCli(['promote', MIGRATION, '--app', 'app.yaml'], dir).status).toBe(0);
    const record = read(dir, RECORD);
    const run = runCli(['plan', '--from', 'gitops/apps', '--out', 'gitops/migrations', '--steps', '10,50,90', '--force'], dir);
    expect(run.status).toBe(0);
    expect(read(dir, RECORD)).toBe(record);
    // and the next promotion goes on from there, recording again
    expect(runCli(['promote', MIGRATION, '--app', 'app.yaml'], dir).status).toBe(0);
    expect(JSON.parse(read(dir, RECORD)).activeStage).toBe('03-shift-50');
  });

  test('given a record that names another stage than the Application, then status warns', () => {
    const dir = planned();
    expect(runCli(['promote', MIGRATION, '--app', 'app.yaml'], dir).status).toBe(0);
    writeTree(dir, { 'app.yaml': read(dir, 'app.yaml').replace('/02-shift-10', '/01-side-by-side') });
    const run = runCli(['status', MIGRATION, '--app', 'app.yaml'], dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^warning: active-stage\.json records 02-shift-10 as the active stage .* but the GitOps object points at 01-side-by-side/m);
  });
});
