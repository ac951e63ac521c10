import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { CarriedManifest, CarriedObjects, GitOpsWriter, InferenceMigrationPlan, InferenceProvider, MigrationStage, Promotion, WeightedInferenceRoute, ZeroDowntimeMigration } from '../../src';
import { PropError, UserError } from '../../src/core/errors';
import { GuideExamples } from '../../src/examples/guide-examples';
import { ACTIVE_STAGE_FILE, renderActiveStageRecord } from '../../src/migration/active-stage';
import { OutputError, findRecordTarget, writeRecord } from '../../src/output';
import { alphaStack } from '../fixtures/alpha-stack';
import { expectValid } from '../util';

function tmp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under dir, relative, with its content. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** A GA InferencePool that fails its CRD schema: two targetPorts, where GIE v1.0.x allows exactly one. */
function invalidGaPool(): any {
  return {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: { name: 'broken', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'x' } }, targetPorts: [{ number: 8000 }, { number: 8001 }], endpointPickerRef: { name: 'e', port: { number: 9002 } } },
  };
}

function readYaml(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

describe('GitOpsWriter', () => {
  describe('given the guide\'s migration written to a directory', () => {
    const outdir = tmp('gitops-');
    const written = new GitOpsWriter({ outdir, validate: true }).write(GuideExamples.zeroDowntime(Testing.app()));
    const dir = path.join(outdir, 'vllm-llama3-8b-instruct');

    test('then each stage is a folder <NN>-<stage> whose kustomization lists exactly its object files', () => {
      expect(written.stages.map((s) => s.folder)).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
      for (const stage of written.stages) {
        const stageDir = path.join(dir, stage.folder);
        const [kustomization] = readYaml(path.join(stageDir, 'kustomization.yaml'));
        expect(kustomization.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
        expect(kustomization.kind).toBe('Kustomization');
        const files = fs.readdirSync(stageDir).filter((f) => f !== 'kustomization.yaml' && f !== 'README.md').sort();
        expect([...kustomization.resources].sort()).toEqual(files);
        expect(kustomization.resources).toEqual(stage.files);
      }
    });

    test('then every written object passes validation and carries its Argo CD sync wave', () => {
      for (const stage of written.stages) {
        const objects = stage.files.flatMap((f) => readYaml(path.join(dir, stage.folder, f)));
        expectValid(objects);
        for (const o of objects) {
          const wave = o.metadata.annotations['argocd.argoproj.io/sync-wave'];
          if (o.kind === 'HTTPRoute') expect(wave).toBe('2');
          else if (o.kind === 'InferenceObjective') expect(wave).toBe('1');
          else expect(wave).toBe('0');
        }
      }
    });

    test('then the files are in apply order: pool and EPP, then objectives, then the route', () => {
      const files = written.stages[1].files;
      expect(files.indexOf('inferencepool-vllm-llama3-8b-instruct-ga.yaml')).toBeLessThan(files.indexOf('inferenceobjective-food-review.yaml'));
      expect(files[files.length - 1]).toBe('httproute-llm-route.yaml');
    });

    test('then the first stage README says what is created, which CRDs to install (both v1 CRDs) and how to verify', () => {
      const readme = fs.readFileSync(path.join(dir, '01-side-by-side', 'README.md'), 'utf8');
      expect(readme).toContain('# 01-side-by-side: stage 1 of 4');
      expect(readme).toContain('| created | `InferencePool (inference.networking.k8s.io/v1) default/vllm-llama3-8b-instruct-ga` |');
      expect(readme).toContain('## Before you sync');
      expect(readme).toContain('Upstream\'s guide applies only the InferenceObjective CRD; the v1 InferencePool CRD is needed too');
      expect(readme).toContain('kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.k8s.io_inferencepools.yaml');
      expect(readme).toContain('kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml');
      expect(readme).toContain('kubectl get gateway.gateway.networking.k8s.io inference-gateway -n default -o \'jsonpath={"Programmed="}');
      expect(readme).toContain('Expected: Programmed=True, and an address.');
      expect(readme).toContain('kubectl get httproute.gateway.networking.k8s.io llm-route -n default -o \'jsonpath=');
      expect(readme).toContain('ResolvedRefs=False with reason InvalidKind or BackendNotFound means the gateway rejects a backend');
      expect(readme).toContain('kubectl get inferencepools.inference.networking.k8s.io vllm-llama3-8b-instruct-ga -n default');
      expect(readme).toContain('curl -i http://${IP}:${PORT}/v1/completions');
      expect(readme).toContain('HTTP/1.1 200');
      expect(readme).toContain('inference_pool_ready_pods');
      expect(readme).toContain('The objects this migration replaces are not in Git (installed by Helm)');
    });

    test('then a shift stage README lists only the route as changed and says how to roll back', () => {
      const readme = fs.readFileSync(path.join(dir, '02-shift-50', 'README.md'), 'utf8');
      expect(readme).toContain('## What changes since 01-side-by-side');
      expect(readme).toMatch(/\| change \| object \|\n\|---\|---\|\n\| changed \| `HTTPRoute default\/llm-route` \|\n\nUnchanged: 11 objects\./);
      // Field by field: the weights that move.
      expect(readme).toContain([
        '- `HTTPRoute default/llm-route`',
        '  - `spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight: 100 -> 50`',
        '  - `spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga]: (unset) -> {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-llama3-8b-instruct-ga, weight: 50}`',
      ].join('\n'));
      expect(readme).toContain('Re-apply the previous folder, `01-side-by-side`');
    });

    test('then the cleanup README says to uninstall the Helm release and remove the alpha CRDs, never the GA ones', () => {
      const readme = fs.readFileSync(path.join(dir, '04-cleanup', 'README.md'), 'utf8');
      expect(readme).toContain('## After you verify');
      expect(readme).toContain('helm uninstall vllm-llama3-8b-instruct-alpha -n default');
      expect(readme).toContain('kubectl delete crd inferencepools.inference.networking.x-k8s.io inferencemodels.inference.networking.x-k8s.io');
      expect(readme).toContain('kubectl delete -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v0.3.0/manifests.yaml');
      expect(readme).not.toContain('inferenceobjectives.inference.networking.x-k8s.io inference');
    });

    test('then the top folder has a README with preflight and promotion, Argo CD and Flux examples, and plan.json', () => {
      const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
      expect(readme).toContain('kubectl get inferencepools.inference.networking.x-k8s.io --all-namespaces');
      expect(readme).toContain('Nothing found means there is nothing to migrate');
      expect(readme).toContain('| [`03-finalize`](03-finalize/README.md) |');
      expect(readme).toContain('spec.source.path');
      const [argo] = readYaml(path.join(dir, 'gitops', 'argocd-application.yaml'));
      expect(argo.kind).toBe('Application');
      expect(argo.spec.source.path).toBe(`${outdir.startsWith('/') ? '.' : outdir}/vllm-llama3-8b-instruct/01-side-by-side`.replace(/^\.\//, ''));
      expect(argo.spec.syncPolicy.automated.prune).toBe(true);
      const [flux] = readYaml(path.join(dir, 'gitops', 'flux-kustomization.yaml'));
      expect(flux.kind).toBe('Kustomization');
      expect(flux.spec.prune).toBe(true);
      const plan = JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8'));
      expect(plan.migration).toBe('vllm-llama3-8b-instruct');
      expect(plan.stages.map((s: any) => s.folder)).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
      expect(plan.stages[1].routes[0].rules[0].backends).toEqual([
        { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha', weight: 50 },
        { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', weight: 50 },
      ]);
      expect(plan.stages[1].changes.changed).toEqual([{
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: 'default',
        name: 'llm-route',
        fields: [
          { path: 'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-llama3-8b-instruct-alpha].weight', before: 100, after: 50 },
          {
            path: 'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-llama3-8b-instruct-ga]',
            after: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', weight: 50 },
          },
        ],
      }]);
      // The stage README's checks, for the pull request that promotes it.
      expect(plan.stages[1].verifications.map((v: any) => v.command)).toContainEqual(expect.stringMatching(/^kubectl get gateway\.gateway\.networking\.k8s\.io inference-gateway -n default -o 'jsonpath=/));
      // ... and as data, for machines that run them.
      expect(plan.stages[1].verifications.find((v: any) => v.description === 'The GA pool vllm-llama3-8b-instruct-ga exists.').check).toEqual({
        kind: 'api-read',
        kubectl: ['get', 'inferencepools.inference.networking.k8s.io', 'vllm-llama3-8b-instruct-ga', '-n', 'default'],
        expect: { lines: ['vllm-llama3-8b-instruct-ga'] },
      });
    });

    test('then no CRD is written into any stage folder', () => {
      for (const [file, content] of tree(dir)) {
        if (file.endsWith('.yaml')) expect(content).not.toMatch(/^kind: CustomResourceDefinition$/m);
      }
    });
  });

  test('given the same input twice, then the files are byte-identical', () => {
    const a = tmp('det-a-');
    const b = tmp('det-b-');
    new GitOpsWriter({ outdir: a, repoPath: 'clusters/prod' }).writeMigrations(GuideExamples.all(Testing.app()));
    new GitOpsWriter({ outdir: b, repoPath: 'clusters/prod' }).writeMigrations(GuideExamples.all(Testing.app()));
    const ta = tree(a);
    expect(ta.size).toBeGreaterThan(100);
    expect(tree(b)).toEqual(ta);
  });

  test('given a carried alpha stack, then its objects are written unchanged (no sync-wave annotation added) and pruned in cleanup', () => {
    const outdir = tmp('carried-');
    const stack = alphaStack();
    new GitOpsWriter({ outdir }).write(new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { manifests: CarriedManifest.fromObjects(stack) }, gateway: { name: 'inference-gateway' }, routeName: 'llm-route',
    }));
    const first = path.join(outdir, 'm', '01-side-by-side');
    expect(readYaml(path.join(first, 'inferencepool-vllm-llama3-8b-instruct-alpha.yaml'))).toEqual([stack[0]]);
    const readme = fs.readFileSync(path.join(outdir, 'm', '04-cleanup', 'README.md'), 'utf8');
    expect(readme).toContain('| deleted | `InferencePool (inference.networking.x-k8s.io/v1alpha2) default/vllm-llama3-8b-instruct-alpha` |');
    expect(readme).toContain('| deleted | `InferenceModel (inference.networking.x-k8s.io/v1alpha2) default/food-review` |');
    expect(readme).not.toContain('helm uninstall');
  });

  test('given the crds folder option, then crds/ references the pinned URLs without pruning, at sync wave -1', () => {
    const outdir = tmp('crds-');
    new GitOpsWriter({ outdir, crdsFolder: true }).write(GuideExamples.zeroDowntime(Testing.app()));
    const [k] = readYaml(path.join(outdir, 'vllm-llama3-8b-instruct', 'crds', 'kustomization.yaml'));
    expect(k.resources).toEqual([
      'https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.k8s.io_inferencepools.yaml',
      'https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml',
    ]);
    expect(k.commonAnnotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '-1' });
  });

  test('given GKE versions before and after 1.34.0-gke.1626000, then the README installs the full v1.0.0 manifests or only the objective CRD', () => {
    const before = tmp('gke-before-');
    const after = tmp('gke-after-');
    const build = (gkeVersion: string) => {
      const app = Testing.app();
      return new ZeroDowntimeMigration(app, 'm', {
        alphaPool: { existing: { name: 'p-preview', modelServerSelector: { app: 'x' } } },
        gaPool: { provider: InferenceProvider.GKE },
        gateway: { name: 'inference-gateway' },
        gkeVersion,
      });
    };
    new GitOpsWriter({ outdir: before }).write(build('1.33.5-gke.1000000'));
    new GitOpsWriter({ outdir: after }).write(build('1.34.0-gke.1626000'));
    const rb = fs.readFileSync(path.join(before, 'm', '01-side-by-side', 'README.md'), 'utf8');
    const ra = fs.readFileSync(path.join(after, 'm', '01-side-by-side', 'README.md'), 'utf8');
    expect(rb).toContain('kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.0.0/manifests.yaml');
    expect(ra).toContain('ships the v1 InferencePool CRD itself: install only the InferenceObjective CRD');
    expect(ra).toContain('https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.0/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml');
    expect(ra).not.toContain('releases/download/v1.0.0/manifests.yaml');
  });

  test('given a folder not written by the library, then the writer refuses to replace it', () => {
    const outdir = tmp('foreign-');
    fs.mkdirSync(path.join(outdir, 'vllm-llama3-8b-instruct'));
    fs.writeFileSync(path.join(outdir, 'vllm-llama3-8b-instruct', 'mine.yaml'), 'x: 1\n');
    expect(() => new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app())))
      .toThrow(/^GitOpsWriter: .*vllm-llama3-8b-instruct exists, is not empty and was not written by inference-migrate \(no \.inference-migrate-output\.json\): choose a new or empty directory$/);
    expect(fs.readdirSync(outdir)).toEqual(['vllm-llama3-8b-instruct']);
    expect(fs.readdirSync(path.join(outdir, 'vllm-llama3-8b-instruct'))).toEqual(['mine.yaml']);
  });

  test('given a folder the library wrote before, then it is replaced whole, and the marker lists every file with its sha256', () => {
    const outdir = tmp('rewrite-');
    const first = new GitOpsWriter({ outdir }).write(GuideExamples.simple(Testing.app(), 'vllm-llama3-8b-instruct'));
    expect(first.stages.map((s) => s.folder)).toEqual(['01-remove-alpha', '02-install-ga']);

    const again = new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app()));

    const dir = path.join(outdir, 'vllm-llama3-8b-instruct');
    expect(again.keptFiles).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => /^\d\d-/.test(f))).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
    const marker = JSON.parse(fs.readFileSync(path.join(dir, '.inference-migrate-output.json'), 'utf8'));
    expect(marker.command).toBe('GitOpsWriter');
    expect(marker.files.map((f: any) => f.path)).toEqual([...tree(dir).keys()].filter((f) => f !== '.inference-migrate-output.json').sort());
    expect(fs.readdirSync(outdir)).toEqual(['vllm-llama3-8b-instruct']);
  });

  describe('given files a user added to a migration folder it wrote before', () => {
    const setup = () => {
      const outdir = tmp('user-files-');
      new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app()));
      const dir = path.join(outdir, 'vllm-llama3-8b-instruct');
      fs.writeFileSync(path.join(dir, '02-shift-50', 'hand-written.yaml'), 'x: 1\n');
      fs.writeFileSync(path.join(dir, 'NOTES.md'), 'my notes\n');
      return { outdir, dir, before: tree(dir) };
    };

    test('then the write is refused with their list, and nothing is removed', () => {
      const { outdir, dir, before } = setup();
      expect(() => new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app()))).toThrow([
        `GitOpsWriter: ${dir} holds files inference-migrate did not write, or changed after writing them; it never removes or replaces those:`,
        '  - 02-shift-50/hand-written.yaml (not written by inference-migrate)',
        '  - NOTES.md (not written by inference-migrate)',
        'Move them away, or set the GitOpsWriter option keepUnknownFiles to keep them where they are; nothing was changed',
      ].join('\n'));
      expect(tree(dir)).toEqual(before);
    });

    test('then with keepUnknownFiles they are kept untouched beside the new output', () => {
      const { outdir, dir } = setup();
      const written = new GitOpsWriter({ outdir, keepUnknownFiles: true }).write(GuideExamples.simple(Testing.app(), 'vllm-llama3-8b-instruct'));
      expect(written.keptFiles).toEqual(['02-shift-50/hand-written.yaml', 'NOTES.md']);
      expect(fs.readFileSync(path.join(dir, '02-shift-50', 'hand-written.yaml'), 'utf8')).toBe('x: 1\n');
      expect(fs.readFileSync(path.join(dir, 'NOTES.md'), 'utf8')).toBe('my notes\n');
      expect(fs.readdirSync(dir).filter((f) => /^\d\d-/.test(f))).toEqual(['01-remove-alpha', '02-install-ga', '02-shift-50']);
      expect(fs.readdirSync(path.join(dir, '02-shift-50'))).toEqual(['hand-written.yaml']);
    });
  });

  test('given a symbolic link as outdir or inside a migration folder, then the write is refused and nothing outside is touched', () => {
    const outdir = tmp('links-');
    const elsewhere = tmp('elsewhere-');
    fs.writeFileSync(path.join(elsewhere, 'precious.yaml'), 'keep: me\n');
    fs.symlinkSync(elsewhere, path.join(outdir, 'linked'));
    expect(() => new GitOpsWriter({ outdir: path.join(outdir, 'linked') }).write(GuideExamples.zeroDowntime(Testing.app())))
      .toThrow(`GitOpsWriter: outdir ${path.join(outdir, 'linked')} is a symbolic link`);

    const real = path.join(outdir, 'real');
    new GitOpsWriter({ outdir: real }).write(GuideExamples.zeroDowntime(Testing.app()));
    const stage = path.join(real, 'vllm-llama3-8b-instruct', '02-shift-50');
    fs.rmSync(stage, { recursive: true });
    fs.symlinkSync(elsewhere, stage);
    expect(() => new GitOpsWriter({ outdir: real, keepUnknownFiles: true }).write(GuideExamples.zeroDowntime(Testing.app())))
      .toThrow(`${stage} is a symbolic link: inference-migrate never follows, replaces or removes links where it writes`);
    expect(fs.readdirSync(elsewhere)).toEqual(['precious.yaml']);
    expect(fs.lstatSync(stage).isSymbolicLink()).toBe(true);
  });

  test.each(['../escaped', '..', 'a/b', '/abs', 'x\u001b[2J'])('given a migration named %j, then the write is refused naming it, and nothing is written anywhere', (name) => {
    const base = tmp('names-');
    const outdir = path.join(base, 'out');
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const renamed = Object.create(migration, { migrationName: { value: name } });

    expect(() => new GitOpsWriter({ outdir }).write(renamed)).toThrow(
      new RegExp(`^GitOpsWriter: .*: cannot write the folder ${JSON.stringify(name).replace(/[\\[\]^$.|?*+()]/g, '\\$&')} in ${outdir}: the name (is|holds)`));
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('given a folder with the marker of an earlier release and a plan.json naming hand-written files, then the writer keeps every file it cannot prove it wrote', () => {
    const outdir = tmp('legacy-');
    const dir = path.join(outdir, 'vllm-llama3-8b-instruct');
    fs.mkdirSync(path.join(dir, '01-side-by-side'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.generated-by-cdk8s-inference-migration'), 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n');
    fs.writeFileSync(path.join(dir, 'plan.json'), JSON.stringify({ stages: [{ folder: '01-side-by-side', objects: [{ file: 'mine.yaml' }] }] }));
    fs.writeFileSync(path.join(dir, '01-side-by-side', 'mine.yaml'), 'hand: written\n');
    const before = tree(dir);

    expect(() => new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app())))
      .toThrow(/holds files inference-migrate did not write.*\n {2}- 01-side-by-side\/ \(a folder of files inference-migrate did not write\)\n {2}- plan\.json \(listed by the marker of an earlier release, without its sha256/);
    expect(tree(dir)).toEqual(before);
    expect(() => new GitOpsWriter({ outdir, keepUnknownFiles: true }).write(GuideExamples.zeroDowntime(Testing.app())))
      .toThrow(/the new output would replace files inference-migrate did not write.*\n {2}- plan\.json/);
    expect(tree(dir)).toEqual(before);
  });

  test('given renderMigrations, then it returns every file writeMigrations writes, and writes nothing', () => {
    const outdir = tmp('render-');
    const rendered = new GitOpsWriter({ outdir: path.join(outdir, 'never') }).renderMigrations([GuideExamples.zeroDowntime(Testing.app())]);
    new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app()));

    expect(fs.existsSync(path.join(outdir, 'never'))).toBe(false);
    const written = tree(outdir);
    written.delete(path.join('vllm-llama3-8b-instruct', '.inference-migrate-output.json'));
    expect(new Map(rendered.files.map((f) => [f.path, f.content]))).toEqual(written);
    expect(rendered.migrations[0].stages.map((s) => s.folder)).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
  });

  test('given an object that fails its CRD schema and validate on, then nothing is written', () => {
    const outdir = tmp('invalid-');
    const app = Testing.app();
    const migration = GuideExamples.zeroDowntime(app);
    new ApiObject(migration.stages[0], 'Broken', invalidGaPool());
    expect(() => new GitOpsWriter({ outdir, validate: true }).write(migration)).toThrow(/do not pass the CRD schemas; nothing was written:\n {2}vllm-llama3-8b-instruct\/01-side-by-side: InferencePool default\/broken: spec\.targetPorts/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('given the same invalid object in two stages of each of two migrations, then every stage of both lists it and nothing is written', () => {
    // Given two migrations (validated one after the other), each with one broken object in its first two stages
    const outdir = tmp('invalid-twice-');
    const app = Testing.app();
    const first = GuideExamples.zeroDowntime(app);
    const second = GuideExamples.zeroDowntime(app, 'second');
    for (const migration of [first, second]) {
      for (const stage of migration.stages.slice(0, 2)) {
        new ApiObject(stage, 'Broken', invalidGaPool());
      }
    }
    // When they are written with validation; Then the problem is listed once per stage that holds the object
    let message = '';
    try {
      new GitOpsWriter({ outdir, validate: true }).writeMigrations([first, second]);
    } catch (err) {
      message = (err as Error).message;
    }
    const lines = message.split('\n').filter((l) => l.includes('InferencePool default/broken: spec.targetPorts'));
    expect(lines.map((l) => l.trim().split(':')[0])).toEqual([
      'vllm-llama3-8b-instruct/01-side-by-side', 'vllm-llama3-8b-instruct/02-shift-50', 'second/01-side-by-side', 'second/02-shift-50',
    ]);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('given a cleanup stage that still routes to the alpha group, then writing fails on the cleanup invariant and nothing is written', () => {
    const outdir = tmp('cleanup-invariant-');
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const cleanup = migration.stages[migration.stages.length - 1];
    const alpha = { poolName: 'vllm-llama3-8b-instruct-alpha', poolNamespace: 'default', poolGroup: 'inference.networking.x-k8s.io', external: true };
    new WeightedInferenceRoute(cleanup, 'Leftover', { name: 'leftover', parentRefs: [{ name: 'gw' }], backends: [{ pool: alpha, weight: 1 }] });
    expect(() => new GitOpsWriter({ outdir }).write(migration))
      .toThrow(/\[vllm-llama3-8b-instruct\] stage 04-cleanup: route leftover still sends traffic to the alpha group \(vllm-llama3-8b-instruct-alpha\), which cleanup removes/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test.each([
    ['another rule of the route', { additionalRules: [{ backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha' }] }] }],
    ['another backendRef of the pool\'s rule', { additionalBackendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha' }] }],
  ])('given a cleanup route whose GA rule is right but %s still names the alpha pool, then writing fails on the cleanup invariant', (_where, extra) => {
    // Given a cleanup stage whose route sends its pool rule to the GA pool and has a leftover alpha backendRef elsewhere
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const cleanup = migration.stages[migration.stages.length - 1];
    const ga = cleanup.node.findChild('GaPool') as any;
    const { additionalBackendRefs, ...route } = extra as any;
    new WeightedInferenceRoute(cleanup, 'Leftover', {
      name: 'leftover',
      parentRefs: [{ name: 'gw' }],
      ...route,
      ...(additionalBackendRefs ? { rules: [{ backends: [{ pool: ga, weight: 1 }], additionalBackendRefs }] }
        : { backends: [{ pool: ga, weight: 1 }] }),
    });

    // When it is written; Then the alpha backendRef is found, wherever it sits in the route
    expect(() => new GitOpsWriter({ outdir: tmp('cleanup-extra-') }).write(migration))
      .toThrow(/stage 04-cleanup: route leftover still sends traffic to the alpha group \(vllm-llama3-8b-instruct-alpha\)/);
  });

  test('given a cleanup stage that still holds an alpha InferenceModel, then writing fails on the cleanup invariant and nothing is written', () => {
    // Given the guide's migration, with the alpha InferenceModel food-review left in its cleanup stage (a custom
    // stage edit, or a bug in what a strategy carries)
    const outdir = tmp('cleanup-model-');
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const cleanup = migration.stages[migration.stages.length - 1];
    new ApiObject(cleanup, 'LeftoverModel', {
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'food-review', namespace: 'default' },
      spec: { modelName: 'food-review', criticality: 'Standard', poolRef: { name: 'vllm-llama3-8b-instruct-alpha' } },
    });

    // When it is written; Then the write fails naming the stage and the object, and the directory stays empty
    expect(() => new GitOpsWriter({ outdir }).write(migration))
      .toThrow(/\[vllm-llama3-8b-instruct\] stage 04-cleanup still holds alpha InferenceModel food-review/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('given a migration planned from a repository, then its carried HTTPRoute gets the routes\' sync wave in each stage that changes it, and keeps its own annotations where it does not', () => {
    // Given the one-pool repository, whose HTTPRoute (no annotations) is taken over by the migration
    const migrations = InferenceMigrationPlan.fromDirectory(path.join(__dirname, '..', 'fixtures', 'repos', 'one-pool')).addMigrations(Testing.app());

    // When the stages are rendered
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations(migrations).files;
    const routeIn = (stage: string) => YAML.parse(files.find((f) => f.path === `vllm-llama3-8b-instruct/${stage}/httproute-llm-route.yaml`)!.content);
    const resources = (stage: string) => YAML.parse(files.find((f) => f.path === `vllm-llama3-8b-instruct/${stage}/kustomization.yaml`)!.content).resources;

    // Then 01-side-by-side keeps the route as it is in the cluster (no annotation added), and every later stage, which
    // changes its backends, gives it wave 2: after the GA pool and EPP (0) and the objectives (1), last in the folder
    expect(routeIn('01-side-by-side').metadata.annotations).toBeUndefined();
    for (const stage of ['02-shift-50', '03-finalize', '04-cleanup']) {
      expect([stage, routeIn(stage).metadata.annotations]).toEqual([stage, { 'argocd.argoproj.io/sync-wave': '2' }]);
      expect(resources(stage).at(-1)).toBe('httproute-llm-route.yaml');
    }
    // And a carried alpha object that no stage changes keeps its own annotations (none) in every stage it is in
    const alphaPool = YAML.parse(files.find((f) => f.path === 'vllm-llama3-8b-instruct/03-finalize/inferencepool-vllm-llama3-8b-instruct-alpha.yaml')!.content);
    expect(alphaPool.metadata.annotations).toBeUndefined();
  });

  test('given a carried object that code changes after it was made, then that stage writes it as changed, and the other stages keep its original text', () => {
    // Given the one-pool repository planned in an app, and an annotation added to the carried alpha pool of the first stage only
    const migrations = InferenceMigrationPlan.fromDirectory(path.join(__dirname, '..', 'fixtures', 'repos', 'one-pool')).addMigrations(Testing.app());
    const alphaPoolIn = (stage: MigrationStage) => stage.node.findAll().find((c): c is ApiObject => c instanceof ApiObject
      && c.kind === 'InferencePool' && c.apiVersion === 'inference.networking.x-k8s.io/v1alpha2')!;
    alphaPoolIn(migrations[0].stages[0]).metadata.addAnnotation('example.com/owner', 'platform-team');

    // When the stages are rendered
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations(migrations).files;
    const text = (stage: string) => files.find((f) => f.path === `vllm-llama3-8b-instruct/${stage}/inferencepool-vllm-llama3-8b-instruct-alpha.yaml`)!.content;

    // Then the first stage holds the annotation (the original text would drop it), with the wave of a changed object,
    // and the second the text as it was read
    expect(YAML.parse(text('01-side-by-side')).metadata.annotations).toEqual({ 'example.com/owner': 'platform-team', 'argocd.argoproj.io/sync-wave': '0' });
    const source = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'repos', 'one-pool', 'apps', 'llm', 'vllm-llama3-8b-instruct-alpha.yaml'), 'utf8');
    expect(source).toContain(text('02-shift-50').trim().split('\n').slice(0, 4).join('\n'));
    expect(YAML.parse(text('02-shift-50')).metadata.annotations).toBeUndefined();
  });

  test('given a Deployment whose two env vars of one name differ between stages in the first, then the stage README, status and the pull request each show the change', () => {
    // Given the guide's migration, with a Deployment that changes the first of its two MODEL_DIR values between
    // the first and the second stage (kubectl and the API server accept the name twice; the last value wins)
    const job = (first: string, second: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'model-loader', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'model-loader' } },
        template: {
          metadata: { labels: { app: 'model-loader' } },
          spec: { containers: [{ name: 'loader', image: 'busybox:1.36', env: [{ name: 'MODEL_DIR', value: first }, { name: 'MODEL_DIR', value: second }] }] },
        },
      },
    });
    const migration = GuideExamples.zeroDowntime(Testing.app());
    new ApiObject(migration.stages[0], 'Loader', job('/models/a', '/models/b'));
    new ApiObject(migration.stages[1], 'Loader', job('/models/c', '/models/b'));
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files;
    const file = (name: string) => files.find((f) => f.path === `vllm-llama3-8b-instruct/${name}`)!.content;
    const shown = 'spec.template.spec.containers[loader].env[0].value: <redacted> -> <redacted>';

    // When the second stage's README is read, status is asked on the first stage, and the first is promoted
    const readme = file('02-shift-50/README.md');
    const status = Promotion.status({ planText: file('plan.json'), stage: '01-side-by-side' });
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: llm\n  namespace: argocd\nspec:\n  source:\n' +
      '    path: migrations/vllm-llama3-8b-instruct/01-side-by-side\n';
    const promoted = Promotion.promote({ appText: app, planText: file('plan.json'), appFile: 'llm.yaml', migrationDir: 'migrations/vllm-llama3-8b-instruct' });

    // Then each names the Deployment as changed, with the field that changes
    expect(readme).toContain(`\`${shown}\``);
    expect(status.nextChanges).toEqual(expect.arrayContaining(['changed Deployment default/model-loader', `  ${shown}`]));
    expect(promoted.pullRequestBody).toContain(`\`${shown}\``);
  });

  test('given a route whose backend pool lives in another stage, then synthesis fails naming the route and pool', () => {
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const stage: MigrationStage = migration.stages[1];
    const foreignPool = migration.stages[0].node.findChild('GaPool') as any;
    new WeightedInferenceRoute(stage, 'Stray', { name: 'stray', parentRefs: [{ name: 'gw' }], backends: [{ pool: foreignPool, weight: 1 }] });
    expect(() => GitOpsWriter.synthesizeStage(stage)).toThrow(/route stray: backend pool vllm-llama3-8b-instruct-ga \(inference.networking.k8s.io\) is neither in stage 02-shift-50 nor referenced as external/);
  });
});

describe('GitOpsWriter over a promoted migration folder', () => {
  const writeGuide = (outdir: string, steps: number[]) => {
    const app = Testing.app();
    new ZeroDowntimeMigration(app, 'llm', {
      alphaPool: { existing: { name: 'vllm-alpha', modelServerSelector: { app: 'vllm' } } },
      gateway: { name: 'inference-gateway' },
      routeName: 'llm-route',
      steps,
    });
    return new GitOpsWriter({ outdir }).writeAll(app);
  };

  test('given a folder promote recorded at 02-shift-10, then a rewrite that drops it is refused, and one that keeps it carries the record', () => {
    // Given a migration written with steps 10 and 50, whose record says 02-shift-10 is live
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-record-'));
    writeGuide(outdir, [10, 50]);
    const dir = path.join(outdir, 'llm');
    const record = renderActiveStageRecord({
      migration: 'llm',
      activeStage: '02-shift-10',
      stageName: 'shift-10',
      promotedFrom: '01-side-by-side',
      gitopsObject: 'Flux Kustomization flux-system/llm',
      file: 'clusters/prod/llm.yaml',
    });
    writeRecord(findRecordTarget(dir, 'plan.json', ACTIVE_STAGE_FILE)!, record, 'promote');

    // When the steps change so that 02-shift-10 goes, then nothing is written
    expect(() => writeGuide(outdir, [25, 75])).toThrow(new RegExp(`GitOpsWriter: ${dir}: the new plan would delete the stage a GitOps object syncs: llm was promoted to 02-shift-10`));
    expect(fs.existsSync(path.join(dir, '02-shift-10'))).toBe(true);

    // When they keep it, then the folder is written and the record stays
    writeGuide(outdir, [10, 50, 90]);
    expect(fs.readdirSync(dir).filter((f) => /^\d/.test(f))).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-shift-90', '05-finalize', '06-cleanup']);
    expect(fs.readFileSync(path.join(dir, ACTIVE_STAGE_FILE), 'utf8')).toBe(record);
  });
});

describe('a carried route whose backendRef has no weight', () => {
  test('given the alpha route from Git without a weight, then plan.json counts it as weight 1 and a skip past the shift is warned about', () => {
    // Given a migration that carries the input's route as it is, with no weight on its one backendRef (the
    // Gateway API's default is 1: every request goes to the only backend)
    const original = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'llm-route', namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'inference-gateway' }],
        rules: [{ backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha' }] }],
      },
    };
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } } },
      routes: [{ name: 'llm-route', parentRefs: [{ name: 'inference-gateway' }], manifest: CarriedManifest.fromObject(original) }],
    });
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files;
    const planText = files.find((f) => f.path.endsWith('/plan.json'))!.content;

    // When plan.json is read and the first stage is promoted straight to the last one before cleanup
    const plan = JSON.parse(planText);
    const app = 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: llm\n  namespace: argocd\nspec:\n  source:\n' +
      `    path: migrations/${plan.migration}/01-side-by-side\n`;
    const last = plan.stages[plan.stages.length - 2].folder;
    const promoted = Promotion.promote({ appText: app, planText, appFile: 'llm.yaml', migrationDir: `migrations/${plan.migration}`, to: last, skip: true });

    // Then the carried backend weighs 1, and the skip says it moves every request off the alpha pool at once
    expect(plan.stages[0].routes[0].rules[0].backends).toEqual([
      { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha', weight: 1 },
    ]);
    expect(promoted.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^skipping from 01-side-by-side straight to \S+ moves 100% of the requests of HTTPRoute default\/llm-route off the alpha pool in one sync/)]));
  });
});

describe('GitOpsWriter given what it cannot write', () => {
  test.each([
    ['no options', undefined],
    ['an empty outdir', { outdir: '' }],
    ['an outdir that is not a string', { outdir: 42 }],
  ])('given %s, then the writer refuses to be made with a PropError naming the option', (_what, options) => {
    // Given options a JavaScript caller may pass; When the writer is made
    const err = thrown(() => new GitOpsWriter(options as any));

    // Then it is the user's error, and says what outdir must be
    expect(err).toBeInstanceOf(PropError);
    expect(err.message).toBe('GitOpsWriter: \'outdir\' must be a directory path');
  });

  test('given an app or a chart that holds no migration, then writeAll throws a UserError naming where it looked, and writes nothing', () => {
    // Given an app with one chart and no migration in it
    const outdir = tmp('no-migration-');
    const app = Testing.app();
    const chart = new Chart(app, 'llm');

    // When every migration under the app, then under the chart, is written
    const fromApp = thrown(() => new GitOpsWriter({ outdir }).writeAll(app));
    const fromChart = thrown(() => new GitOpsWriter({ outdir }).writeAll(chart));

    // Then each error says none was found, under the app or the chart's path
    expect(fromApp).toBeInstanceOf(UserError);
    expect(fromApp.message).toBe('GitOpsWriter: no migration found under the app');
    expect(fromChart).toBeInstanceOf(UserError);
    expect(fromChart.message).toBe('GitOpsWriter: no migration found under llm');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('given an outdir that is a file, then the write throws an OutputError naming it, and the file is left as it was', () => {
    // Given a path that is a file
    const outdir = path.join(tmp('file-outdir-'), 'migrations');
    fs.writeFileSync(outdir, 'not a folder\n');

    // When a migration is written there
    const err = thrown(() => new GitOpsWriter({ outdir }).write(GuideExamples.zeroDowntime(Testing.app())));

    // Then the writer says the outdir is not a directory, and the file is untouched
    expect(err).toBeInstanceOf(OutputError);
    expect(err.message).toBe(`GitOpsWriter: outdir ${outdir} exists and is not a directory`);
    expect(fs.readFileSync(outdir, 'utf8')).toBe('not a folder\n');
  });

  test('given two migrations of the same name, then the write throws a UserError naming it, and nothing is written', () => {
    // Given the guide's migration built twice (two apps), both named vllm-llama3-8b-instruct
    const outdir = tmp('same-name-');
    const migrations = [GuideExamples.zeroDowntime(Testing.app()), GuideExamples.zeroDowntime(Testing.app())];

    // When both are written into one directory
    const err = thrown(() => new GitOpsWriter({ outdir }).writeMigrations(migrations));

    // Then the error says they would share one folder, and the directory stays empty
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe('GitOpsWriter: two migrations are named vllm-llama3-8b-instruct: each needs its own folder');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('given a cleanup stage with two routes still sending to the alpha group, then the error lists both, one line each', () => {
    // Given the guide's migration with two leftover routes to the alpha pool in its cleanup stage
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const cleanup = migration.stages[migration.stages.length - 1];
    const alpha = { poolName: 'vllm-llama3-8b-instruct-alpha', poolNamespace: 'default', poolGroup: 'inference.networking.x-k8s.io', external: true };
    for (const name of ['leftover-a', 'leftover-b']) {
      new WeightedInferenceRoute(cleanup, name, { name, parentRefs: [{ name: 'gw' }], backends: [{ pool: alpha, weight: 1 }] });
    }

    // When it is rendered
    const err = thrown(() => new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]));

    // Then each problem is on a line of its own, under the migration's path
    expect(err).toBeInstanceOf(UserError);
    expect(err.message.split('\n')).toEqual([
      'Validation failed with the following errors:',
      '  [vllm-llama3-8b-instruct] stage 04-cleanup: route leftover-a still sends traffic to the alpha group (vllm-llama3-8b-instruct-alpha), which cleanup removes',
      '  [vllm-llama3-8b-instruct] stage 04-cleanup: route leftover-b still sends traffic to the alpha group (vllm-llama3-8b-instruct-alpha), which cleanup removes',
    ]);
  });

  test('given a stage with two routes whose pool lives in another stage, then the error lists both routes, one line each', () => {
    // Given the guide's migration with two routes in 02-shift-50 to the GA pool of 01-side-by-side
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const foreignPool = migration.stages[0].node.findChild('GaPool') as any;
    for (const name of ['stray-a', 'stray-b']) {
      new WeightedInferenceRoute(migration.stages[1], name, { name, parentRefs: [{ name: 'gw' }], backends: [{ pool: foreignPool, weight: 1 }] });
    }

    // When it is rendered
    const err = thrown(() => new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]));

    // Then each route's problem is on a line of its own
    expect(err).toBeInstanceOf(UserError);
    expect(err.message.split('\n')).toEqual([
      'Validation failed with the following errors:',
      ...['stray-a', 'stray-b'].map((name) => `  [vllm-llama3-8b-instruct/shift-50] route ${name}: backend pool vllm-llama3-8b-instruct-ga (inference.networking.k8s.io) is neither in stage 02-shift-50 nor referenced as external: a GitOps tool pruning this folder would leave the route without its backend`),
    ]);
  });
});

describe('GitOpsWriter deciding what it writes', () => {
  const readmeOf = (files: { path: string; content: string }[], file: string) => files.find((f) => f.path === file)!.content;

  test('given the crds folder option, then crds/kustomization.yaml lists the pinned URLs and the README points at it; without the option, or without CRDs, neither is written', () => {
    // Given the guide's migration (two pinned CRDs), and the same migration with no CRD to install
    const guide = GuideExamples.zeroDowntime(Testing.app());
    const noCrds = Object.create(GuideExamples.zeroDowntime(Testing.app()), { crds: { value: [] } });
    const folderNote = 'The `crds/` folder references these URLs in a kustomization with `Prune=false` and sync wave -1';

    // When each is rendered with and without the crds folder option
    const withFolder = new GitOpsWriter({ outdir: 'migrations', crdsFolder: true }).renderMigrations([guide]).files;
    const withoutFolder = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([guide]).files;
    const nothingToInstall = new GitOpsWriter({ outdir: 'migrations', crdsFolder: true }).renderMigrations([noCrds]).files;

    // Then with the option the crds/ kustomization references the URLs, never pruned, at wave -1, and the README says so
    expect(YAML.parse(readmeOf(withFolder, 'vllm-llama3-8b-instruct/crds/kustomization.yaml'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [
        'https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.k8s.io_inferencepools.yaml',
        'https://github.com/kubernetes-sigs/gateway-api-inference-extension/raw/v1.0.2/config/crd/bases/inference.networking.x-k8s.io_inferenceobjectives.yaml',
      ],
      commonAnnotations: { 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/sync-wave': '-1' },
    });
    expect(readmeOf(withFolder, 'vllm-llama3-8b-instruct/README.md')).toContain(folderNote);
    // And each stage's kustomization is a Kustomization of exactly its files
    const stage = YAML.parse(readmeOf(withFolder, 'vllm-llama3-8b-instruct/01-side-by-side/kustomization.yaml'));
    expect([stage.apiVersion, stage.kind]).toEqual(['kustomize.config.k8s.io/v1beta1', 'Kustomization']);
    // And without the option, or with no CRD to reference, there is no crds/ folder and the README does not mention one
    for (const files of [withoutFolder, nothingToInstall]) {
      expect(files.filter((f) => f.path.includes('/crds/'))).toEqual([]);
      expect(readmeOf(files, 'vllm-llama3-8b-instruct/README.md')).not.toContain('`crds/`');
    }
  });

  test('given a carried Secret read from a 0600 file, then its file keeps mode 0600, and a carried object without secret values from such a file gets the default mode', () => {
    // Given the guide's migration carrying, in its first stage, a Secret and a ConfigMap, both read from files only their owner may read
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const secret = CarriedManifest.fromObject({
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf-token', namespace: 'default' }, type: 'Opaque', stringData: { token: 'hf_abcdefghijklmnop' },
    })._fromFileWithMode(0o600);
    const config = CarriedManifest.fromObject({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'model-config', namespace: 'default' }, data: { model: 'llama' },
    })._fromFileWithMode(0o600);
    new CarriedObjects(migration.stages[0], 'FromGit', { manifests: [secret, config] });

    // When it is rendered
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files;
    const file = (name: string) => files.find((f) => f.path === `vllm-llama3-8b-instruct/01-side-by-side/${name}`)!;

    // Then the Secret's file is written 0600, and the ConfigMap's and the library's own files without a mode (0644 less the umask)
    expect(file('secret-hf-token.yaml').mode).toBe(0o600);
    expect('mode' in file('configmap-model-config.yaml')).toBe(false);
    expect(files.filter((f) => f.mode !== undefined).map((f) => f.path)).toEqual(['vllm-llama3-8b-instruct/01-side-by-side/secret-hf-token.yaml']);
  });

  test('given a migration planned from a repository with an Envoy AI Gateway route, then rendering tells that the route is written without schema validation', () => {
    // Given the Envoy AI Gateway repository, whose AIGatewayRoute no known schema defines
    const migrations = InferenceMigrationPlan.fromDirectory(path.join(__dirname, '..', 'fixtures', 'repos', 'envoy-ai-gateway')).addMigrations(Testing.app());

    // When it is rendered
    const rendered = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations(migrations);

    // Then the migration carries the notice once, and no kept file (nothing was written)
    expect(rendered.migrations.map((m) => [m.name, m.keptFiles, m.notices])).toEqual([[
      'llama',
      [],
      ['llama: AIGatewayRoute llm/llama is carried from the input, but no known schema defines its kind: it is written without schema validation'],
    ]]);
  });

  test('given a carried object that fails its schema and an object of an unknown kind the code made, then both fail validation: only a carried unknown kind is let through', () => {
    // Given the guide's migration with, in its first stage, a carried GA pool with two targetPorts and a Widget made in code
    const migration = GuideExamples.zeroDowntime(Testing.app());
    new CarriedObjects(migration.stages[0], 'FromGit', {
      manifests: [CarriedManifest.fromObject(invalidGaPool())],
    });
    new ApiObject(migration.stages[0], 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } });

    // When it is rendered with validation
    const err = thrown(() => new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]));

    // Then both objects are listed as problems of the first stage
    expect(err).toBeInstanceOf(UserError);
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('the planned stages do not pass the CRD schemas; nothing was written:');
    expect(lines.slice(1).map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      '  vllm-llama3-8b-instruct/01-side-by-side: InferencePool default/broken',
      '  vllm-llama3-8b-instruct/01-side-by-side: Widget default/w',
    ]);
  });

  test('given a migration whose baseline is known from Git, then its first stage README does not say the replaced objects are outside Git', () => {
    // Given the one-pool repository (its alpha stack and route are in Git), and the guide's migration (alpha stack installed by Helm)
    const fromGit = InferenceMigrationPlan.fromDirectory(path.join(__dirname, '..', 'fixtures', 'repos', 'one-pool')).addMigrations(Testing.app());
    const fromHelm = GuideExamples.zeroDowntime(Testing.app());
    const notInGit = 'The objects this migration replaces are not in Git (installed by Helm)';

    // When both are rendered
    const gitFiles = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations(fromGit).files;
    const helmFiles = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([fromHelm]).files;

    // Then only the Helm one says that every object is listed as created
    expect(readmeOf(gitFiles, 'vllm-llama3-8b-instruct/01-side-by-side/README.md')).not.toContain(notInGit);
    expect(readmeOf(helmFiles, 'vllm-llama3-8b-instruct/01-side-by-side/README.md')).toContain(notInGit);
  });

  test('given manual steps before sync and after verify (the default), then each stage README puts each step under its own heading', () => {
    // Given the guide's migration: installing the CRDs before 01-side-by-side syncs, and uninstalling the Helm release
    // (no timing given) after 04-cleanup is verified
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([GuideExamples.zeroDowntime(Testing.app())]).files;

    // When the first and the last stage README are read
    const first = readmeOf(files, 'vllm-llama3-8b-instruct/01-side-by-side/README.md');
    const cleanup = readmeOf(files, 'vllm-llama3-8b-instruct/04-cleanup/README.md');

    // Then the CRD install is before the sync only, and the uninstall after verifying only
    expect(first).toContain('## Before you sync');
    expect(first).not.toContain('## After you verify');
    expect(cleanup).not.toContain('## Before you sync');
    expect(cleanup.slice(cleanup.indexOf('## After you verify'))).toContain('helm uninstall vllm-llama3-8b-instruct-alpha -n default');
  });

  test('given a migration with its own sync wave rules, then an object gets the wave of the rule of its kind and group, else the default', () => {
    // Given the guide's migration with rules for the alpha group's InferencePool, for StatefulSets and for HTTPRoutes
    const migration = Object.create(GuideExamples.zeroDowntime(Testing.app()), {
      syncWaveRules: {
        value: [
          { apiGroup: 'inference.networking.x-k8s.io', kind: 'InferencePool', wave: 9 },
          { apiGroup: 'apps', kind: 'StatefulSet', wave: 8 },
          { apiGroup: 'gateway.networking.k8s.io', kind: 'HTTPRoute', wave: 5 },
        ],
      },
    });

    // When it is rendered
    const files = new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files;
    const waveOf = (file: string) => YAML.parse(readmeOf(files, `vllm-llama3-8b-instruct/01-side-by-side/${file}`)).metadata.annotations['argocd.argoproj.io/sync-wave'];

    // Then the route gets its rule's wave; the GA pool (another group), the EPP Deployment (another kind) and the objectives keep the defaults
    expect(waveOf('httproute-llm-route.yaml')).toBe('5');
    expect(waveOf('inferencepool-vllm-llama3-8b-instruct-ga.yaml')).toBe('0');
    expect(waveOf('deployment-vllm-llama3-8b-instruct-ga-epp.yaml')).toBe('0');
    expect(waveOf('inferenceobjective-food-review.yaml')).toBe('1');
  });

  test('given an alpha pool installed by Helm, then the README\'s diagram shows it without traffic once the route leaves it, and ignores other constructs flagged external', () => {
    // Given the guide's migration (alpha pool referenced, not carried), and in 03-finalize two constructs of the
    // user's that carry an external flag but do not name a pool
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const finalize = migration.stages[2];
    Object.assign(new Construct(finalize, 'ExternalDns'), { external: true, poolGroup: 'externaldns.k8s.io' });
    Object.assign(new Construct(finalize, 'ExternalSecret'), { external: true, poolName: 'hf-token' });

    // When it is rendered
    const readme = readmeOf(new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files, 'vllm-llama3-8b-instruct/README.md');

    // Then 03-finalize shows the alpha pool still there, with no traffic, and only the two pools
    const finalizeGraph = readme.slice(readme.indexOf('  subgraph s3['), readme.indexOf('  subgraph s4['));
    expect(finalizeGraph.split('\n').filter((l) => l.includes(':::'))).toEqual([
      '    s3_g1["Gateway default/inference-gateway"]:::gateway',
      '    s3_b1["alpha pool vllm-llama3-8b-instruct-alpha (v1alpha2): no traffic"]:::alpha',
      '    s3_b2["GA pool vllm-llama3-8b-instruct-ga (v1)"]:::ga',
    ]);
  });

  test('given routes without rules, a rule without backendRefs and a backendRef to a Service, then plan.json lists each with the Gateway API defaults', () => {
    // Given the guide's migration with, in its first stage, a route to a plain Service (no group, kind or weight:
    // the core group, a Service, weight 1) that also has a rule without backends, and a route with no rules
    const migration = GuideExamples.zeroDowntime(Testing.app());
    new ApiObject(migration.stages[0], 'Web', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        parentRefs: [{ name: 'inference-gateway' }],
        rules: [{ backendRefs: [{ name: 'web', port: 80 }] }, { matches: [{ path: { type: 'PathPrefix', value: '/down' } }] }],
      },
    });
    new ApiObject(migration.stages[0], 'Placeholder', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'placeholder', namespace: 'default' },
      spec: { parentRefs: [{ name: 'inference-gateway' }] },
    });

    // When it is rendered
    const plan = JSON.parse(readmeOf(new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([migration]).files, 'vllm-llama3-8b-instruct/plan.json'));
    const route = (name: string) => plan.stages[0].routes.find((r: any) => r.name === name);

    // Then the Service backend has the core group, kind Service and weight 1, the rule without backends none, and the route without rules no rule
    expect(route('web').rules).toEqual([
      { backends: [{ group: '', kind: 'Service', name: 'web', weight: 1 }] },
      { backends: [] },
    ]);
    expect(route('placeholder').rules).toEqual([]);
  });

  test('given a migration implemented in JavaScript without baseline, crds or notes, then it is written as one with none of them', () => {
    // Given the guide's migration as a JavaScript implementation would give it: no baseline, crds or overview.notes
    const guide = GuideExamples.zeroDowntime(Testing.app());
    const migration = Object.create(guide, {
      baseline: { value: undefined },
      crds: { value: undefined },
      overview: { value: { ...guide.overview, notes: undefined } },
    });

    // When it is rendered with the crds folder option
    const files = new GitOpsWriter({ outdir: 'migrations', crdsFolder: true }).renderMigrations([migration]).files;
    const readme = readmeOf(files, 'vllm-llama3-8b-instruct/README.md');

    // Then plan.json lists no CRD, no crds/ folder is written, the README has no CRD URL and no notes, and the first
    // stage says the replaced objects are not in Git
    expect(JSON.parse(readmeOf(files, 'vllm-llama3-8b-instruct/plan.json')).crds).toEqual([]);
    expect(files.filter((f) => f.path.includes('/crds/'))).toEqual([]);
    expect(readme.slice(readme.indexOf('## CRDs'), readme.indexOf('## For machines')).split('\n').filter((l) => l.startsWith('- ') || l.startsWith('#'))).toEqual(['## CRDs']);
    expect(readmeOf(files, 'vllm-llama3-8b-instruct/01-side-by-side/README.md')).toContain('The objects this migration replaces are not in Git (installed by Helm)');
  });

  test('given a first migration that fails validation, then the files of the migrations after it are never made', () => {
    // Given a guide migration with a broken pool, then a valid one whose overview (read only to make its READMEs) is counted
    const app = Testing.app();
    const broken = GuideExamples.zeroDowntime(app);
    new ApiObject(broken.stages[0], 'Broken', invalidGaPool());
    const valid = GuideExamples.zeroDowntime(app, 'second');
    let overviewReads = 0;
    const counted = Object.create(valid, { overview: { get: () => { overviewReads++; return valid.overview; } } });

    // When both are rendered
    const err = thrown(() => new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([broken, counted]));

    // Then the error lists the broken pool only, and the second migration's READMEs were never made
    expect(err).toBeInstanceOf(UserError);
    expect(err.message.split('\n').slice(1).map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      '  vllm-llama3-8b-instruct/01-side-by-side: InferencePool default/broken',
    ]);
    expect(overviewReads).toBe(0);
  });
});

describe('GitOpsWriter validating several migrations in one write', () => {
  // Each validator is kept per set of CRD bundles, so that migrations with the same bundles share one. The key of
  // "no bundles given" (the defaults) and of an empty list (no CRD at all) was the same: a migration's verdict then
  // depended on which other migration came first.
  test('given a migration validated against no CRD after one validated against the defaults, then it fails as it does alone', () => {
    // Given the guide's migration with the default bundles, and a second one that names an empty list of bundles
    const app = Testing.app();
    const defaults = Object.create(GuideExamples.zeroDowntime(app), { validationBundles: { value: undefined } });
    const second = GuideExamples.zeroDowntime(app, 'second');
    const noCrds = Object.create(second, { validationBundles: { value: [] } });
    const writer = new GitOpsWriter({ outdir: 'migrations' });
    // When the second is rendered alone, and after the first
    const alone = thrown(() => writer.renderMigrations([noCrds]));
    const after = thrown(() => writer.renderMigrations([defaults, noCrds]));
    // Then both fail, with the same problems: its InferencePool and InferenceObjective have no schema to check
    expect(alone).toBeInstanceOf(UserError);
    expect(alone.message).toMatch(/unknown-kind/);
    expect(after.message).toBe(alone.message);
    // And the migration with the defaults alone passes
    expect(() => writer.renderMigrations([defaults])).not.toThrow();
  });

  test('given a migration with no stages, then the write refuses it naming the migration, not with a TypeError', () => {
    const guide = GuideExamples.zeroDowntime(Testing.app());
    const empty = Object.create(guide, { stages: { value: [] } });
    const err = thrown(() => new GitOpsWriter({ outdir: 'migrations' }).renderMigrations([empty]));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`GitOpsWriter: migration vllm-llama3-8b-instruct (${guide.node.path}) has no stages: a migration needs at least one stage folder to write`);
  });
});
