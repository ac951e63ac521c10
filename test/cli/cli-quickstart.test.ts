import * as fs from 'fs';
import * as path from 'path';
import { find, FIXTURES, readStages, removeTempDirs, requireCompiled, runCli, tempDir } from './run-cli';
import { expectValid } from '../util';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const QUICKSTART = path.join(FIXTURES, 'quickstart-v0.5.1');
const MIGRATION = 'vllm-llama3-8b-instruct';

/** The quickstart's shared manifests (app/) with one gateway's (gke/ or istio/), as one repository. */
function repo(gateway: 'gke' | 'istio'): string {
  const dir = path.join(tempDir('quickstart-'), 'repo');
  fs.cpSync(path.join(QUICKSTART, 'app'), path.join(dir, 'app'), { recursive: true });
  fs.cpSync(path.join(QUICKSTART, gateway), path.join(dir, gateway), { recursive: true });
  return dir;
}

function plan(gateway: 'gke' | 'istio', ...extra: string[]) {
  const out = path.join(tempDir('quickstart-out-'), 'out');
  const run = runCli(['plan', '--from', repo(gateway), '--out', out, ...extra]);
  return { run, out, stages: () => readStages(path.join(out, MIGRATION)) };
}

function expectValidAgainst(stages: ReturnType<typeof readStages>, release: string): void {
  for (const stage of stages) expectValid(stage.objects, [`gie-${release}`, 'gie-v0.3.0', 'gateway-api-v1.3.0']);
}

// Upstream's v0.5.1 quickstart: food-review (Standard) rewrites to the LoRA adapter food-review-1, the only name its
// vLLM serves; base-model and base-model-cpu are Critical (config/manifests/inferencemodel.yaml@v0.5.1).
describe('plan on upstream\'s v0.5.1 quickstart (GKE)', () => {
  const p = {} as ReturnType<typeof plan>;
  beforeAll(() => Object.assign(p, plan('gke')));

  test('then it targets v1.4.0 by default and keeps food-review -> food-review-1 through an InferenceModelRewrite valid against gie-v1.4.0', () => {
    expect(p.run.status).toBe(0);
    expect(p.run.stdout).toMatch(/^target: GIE v1\.4\.0 \(the default/m);
    const stages = p.stages();
    expectValidAgainst(stages, 'v1.4.0');
    const rewrite = find(stages[0], 'InferenceModelRewrite', 'food-review');
    expect(rewrite.spec).toEqual({
      poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' },
      rules: [{ matches: [{ model: { type: 'Exact', value: 'food-review' } }], targets: [{ modelRewrite: 'food-review-1', weight: 100 }] }],
    });
  });

  test('then the GA EPP runs like chart v1.4.0, and the GA pool on GKE writes no v1.4-only field', () => {
    const [first] = p.stages();
    const deployment = find(first, 'Deployment', 'vllm-llama3-8b-instruct-ga-epp');
    const epp = deployment.spec.template.spec.containers[0];
    expect(epp.image).toBe('registry.k8s.io/gateway-api-inference-extension/epp:v1.4.0');
    expect(epp.args).toContain('--tracing=false');
    expect(epp.env.map((e: any) => e.name)).toEqual(['NAMESPACE', 'POD_NAME']);
    expect(deployment.spec.template.metadata.labels['inference.networking.k8s.io/igw-mode']).toBe('inferencepool');
    expect(find(first, 'Role', 'vllm-llama3-8b-instruct-ga-epp-non-sa').rules[0].resources).toEqual(['inferenceobjectives', 'inferencemodelrewrites']);
    expect(find(first, 'InferencePool', 'vllm-llama3-8b-instruct-ga').spec.appProtocol).toBeUndefined();
  });

  test('then priorities map by sign and the per-model table names the header each client must send', () => {
    const [first] = p.stages();
    const priorities = Object.fromEntries(first.objects.filter((o) => o.kind === 'InferenceObjective').map((o) => [o.metadata.name, o.spec.priority]));
    expect(priorities).toEqual({ 'food-review': -1, 'base-model': 1, 'base-model-cpu': 1 });
    const planJson = JSON.parse(fs.readFileSync(path.join(p.out, MIGRATION, 'plan.json'), 'utf8'));
    expect(planJson.models.map((m: any) => [m.modelName, m.clientSends])).toEqual([
      ['food-review', 'x-gateway-inference-objective: food-review'],
      ['meta-llama/Llama-3.1-8B-Instruct', 'nothing'],
      ['Qwen/Qwen2.5-1.5B-Instruct', 'nothing'],
      ['*', 'nothing'],
    ]);
    for (const readme of [path.join(p.out, MIGRATION, 'README.md'), path.join(p.out, MIGRATION, '01-side-by-side', 'README.md')]) {
      const text = fs.readFileSync(readme, 'utf8');
      expect(text).toContain('| `food-review` (InferenceModel `food-review`) | Standard | `food-review-1=100` | `food-review` (-1) | InferenceModelRewrite `food-review` | `x-gateway-inference-objective: food-review` |');
      expect(text).toContain('| any other model |');
    }
    expect(p.run.stderr).toContain('warning: Clients of model food-review must send the header x-gateway-inference-objective: food-review');
  });

  test('then the first stage installs the objective and rewrite CRDs before it syncs (GKE: by cluster version)', () => {
    const readme = fs.readFileSync(path.join(p.out, MIGRATION, '01-side-by-side', 'README.md'), 'utf8');
    const before = readme.slice(readme.indexOf('## Before you sync'), readme.indexOf('## Sync'));
    expect(before).toContain('kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.4.0/manifests.yaml');
    expect(before).toContain('inference.networking.x-k8s.io_inferencemodelrewrites.yaml');
  });
});

describe('plan on the quickstart with --target-gie v1.0.2', () => {
  test('then it fails on food-review, naming the model and the fixes', () => {
    const { run, out } = plan('gke', '--target-gie', 'v1.0.2');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot keep the model rewrites of InferenceModel food-review \(food-review -> food-review-1=100\).*target v1\.3\.1 or v1\.4\.0.*x-gateway-model-name-rewrite.*--accept-loss model-rewrite/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('then with --accept-loss model-rewrite it plans, without a rewrite, valid against gie-v1.0.2', () => {
    const p = plan('gke', '--target-gie', 'v1.0.2', '--accept-loss', 'model-rewrite');
    expect(p.run.status).toBe(0);
    expect(p.run.stdout).toMatch(/^target: GIE v1\.0\.2\n/m);
    expect(p.run.stderr).toContain('loses its rewrite to food-review-1=100 on the GA pool (accepted)');
    const stages = p.stages();
    expectValidAgainst(stages, 'v1.0.2');
    expect(stages[0].objects.some((o) => o.kind === 'InferenceModelRewrite')).toBe(false);
  });

  test('then another patch of a pinned line is a usage error naming the pinned one', () => {
    const run = runCli(['plan', '--from', 'x', '--out', 'y', '--target-gie', 'v1.3.0']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/v1\.3\.0 is not pinned; use v1\.3\.1/);
  });
});

describe('plan on the quickstart behind Istio', () => {
  test('then an explicit weighted or preview strategy fails naming the gateway, the reason and parallel-gateway', () => {
    for (const strategy of ['weighted-shift', 'header-preview-cutover']) {
      const { run } = plan('istio', '--gateway', 'istio', '--strategy', strategy);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`'strategy' "${strategy}" cannot run on the Gateway default/inference-gateway \\(istio\\).*Use strategy: 'parallel-gateway'`));
    }
  });

  test('then with a revision label it gets a parallel-gateway plan that never puts both groups behind one gateway, reading the v1 DestinationRule', () => {
    const p = plan('istio', '--gateway', 'istio', '--new-gateway-label', 'istio.io/rev=1-28-1');
    expect(p.run.stderr).not.toMatch(/error/);
    expect(p.run.status).toBe(0);
    expect(p.run.stdout).toContain('    strategy: parallel-gateway (chosen: no strategy was given and Istio needs it');
    const stages = p.stages();
    expect(stages.map((s) => s.folder)).toEqual(['01-side-by-side', '02-move-clients', '03-cleanup']);
    expectValidAgainst(stages, 'v1.4.0');
    const gateway = find(stages[0], 'Gateway', 'inference-gateway-v1');
    expect(gateway.metadata.labels).toEqual({ 'istio.io/rev': '1-28-1' });
    expect(gateway.spec.listeners).toEqual([{ name: 'http', protocol: 'HTTP', port: 80 }]);
    for (const stage of stages) {
      for (const route of stage.objects.filter((o) => o.kind === 'HTTPRoute')) {
        const groups = new Set(route.spec.rules.flatMap((r: any) => (r.backendRefs ?? []).map((b: any) => b.group)));
        const parent = route.spec.parentRefs[0].name;
        expect([stage.folder, parent, [...groups]]).toEqual([stage.folder, parent, [parent === 'inference-gateway' ? 'inference.networking.x-k8s.io' : 'inference.networking.k8s.io']]);
      }
    }
    // The v0.5.1 DestinationRule (networking.istio.io/v1) of the alpha EPP is carried until cleanup.
    expect(find(stages[0], 'DestinationRule', 'epp-insecure-tls').apiVersion).toBe('networking.istio.io/v1');
  });

  test('then without the revision label the plan fails, says why and names the flag that fixes it', () => {
    const { run } = plan('istio', '--gateway', 'istio');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/'parallelGateway.labels' must set istio.io\/rev: <revision> on Istio/);
    expect(run.stderr).toMatch(/\(on the command line: --new-gateway-label istio\.io\/rev=<revision>\)$/m);
  });
});

// GIE's v0.2.0..v0.4.0 quickstarts bind the EPP's ClusterRole with a roleRef that has no apiGroup, which the API server
// defaults (kubernetes pkg/apis/rbac/v1/defaults.go, SetDefaults_ClusterRoleBinding); the fixture re-creates that shape.
describe('plan on the shape of upstream\'s v0.3.0 quickstart, on each of its gateways', () => {
  const V030 = path.join(FIXTURES, 'quickstart-v0.3.0');
  const planV030 = (gateway: string, ...extra: string[]) => {
    const dir = path.join(tempDir('quickstart-v030-'), 'repo');
    fs.cpSync(path.join(V030, 'app'), path.join(dir, 'app'), { recursive: true });
    fs.cpSync(path.join(V030, gateway), path.join(dir, gateway), { recursive: true });
    const out = path.join(tempDir('quickstart-v030-out-'), 'out');
    return { dir, out, run: runCli(['plan', '--from', dir, '--out', out, ...extra]) };
  };

  test.each([
    ['kgateway', [], 'cutover'],
    ['gke', [], 'weighted-shift'],
    ['istio', ['--new-gateway-label', 'istio.io/rev=1-28-1'], 'parallel-gateway'],
  ])('given %s, then it plans without --no-validate (the roleRef is defaulted), the platform first, and the strategy that works there', (gateway, extra, strategy) => {
    const { run } = planV030(gateway, ...extra);
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^llama: gateway ${gateway}: detected; `));
    expect(run.stdout).toContain(`    strategy: ${strategy}`);
  });

  test('given an object the validator refuses, then the platform is printed before the error, which it often explains', () => {
    const { dir } = planV030('kgateway');
    const file = path.join(dir, 'app/pool.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('- name: metrics\n          containerPort: 9090', '- name: metrics'));
    const out = path.join(tempDir('quickstart-v030-out-'), 'out');
    const run = runCli(['plan', '--from', dir, '--out', out]);
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => !l.startsWith('warning'));
    expect(lines[0]).toBe('llama: gateway kgateway: detected; provider none: nothing in the input shows it (give it with a flag)');
    expect(lines.find((l) => l.startsWith('error:'))).toMatch(/input does not pass validation: Deployment default\/llama-epp: spec\.template\.spec\.containers\[0\]\.ports\[2\]\.containerPort: required field is missing/);
    expect(run.stderr.indexOf('llama: gateway kgateway')).toBeLessThan(run.stderr.indexOf('error:'));
  });
});
