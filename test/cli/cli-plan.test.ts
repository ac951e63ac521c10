import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { find, FIXTURES, inventoryOf, listTree, readStages, removeTempDirs, requireCompiled, ROOT, runCli, snapshotTree, tempDir, WrittenStageFolder, writeTree } from './run-cli';
import { expectValid, parseYamlDocs } from '../util';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const ALPHA = 'inference.networking.x-k8s.io/v1alpha2';
const GA = 'inference.networking.k8s.io/v1';

/** Runs plan on a fixture into a fresh --out; returns the run and the out directory. */
function plan(fixture: string, ...extra: string[]) {
  const out = path.join(tempDir('plan-'), 'out');
  const run = runCli(['plan', '--from', path.join(FIXTURES, fixture), '--out', out, ...extra]);
  return { run, out };
}

/** Runs plan once for the tests of a describe block (in beforeAll). */
function planned(fixture: string, ...extra: string[]): { run: ReturnType<typeof runCli>; out: string } {
  const result = {} as { run: ReturnType<typeof runCli>; out: string };
  beforeAll(() => Object.assign(result, plan(fixture, ...extra)));
  return result;
}

/** Every object of every stage of every migration under `out` passes the validator, with the CRDs of the target (plan's default v1.4.0). */
function expectEveryStageValid(out: string, target = 'v1.4.0'): void {
  for (const migration of fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isDirectory())) {
    for (const stage of readStages(path.join(out, migration))) expectValid(stage.objects, [`gie-${target}`, 'gie-v0.3.0', 'gateway-api-v1.3.0']);
  }
}

/** The backends of each rule of an HTTPRoute: `group/name=weight`. */
function backends(route: any): string[][] {
  return route.spec.rules.map((r: any) => r.backendRefs.map((b: any) => `${b.group ?? ''}/${b.name}=${b.weight ?? 1}`));
}

/** plan's warning for the one-pool fixture's alpha EPP (upstream's v0.3.0, which has no plugin config). */
const SCHEDULING_WARNING = 'warning: Scheduling changes on the GA pool of default/vllm-llama3-8b-instruct-alpha: the alpha Endpoint Picker ran a decision tree of low-queue, LoRA-affinity, least-queue and least-KV-cache filters for critical requests, sheddable requests dropped when no pod has capacity (the scheduler built into the GIE v0.3.0 EPP, which reads no plugin config); the GA Endpoint Picker runs the inferencepool chart v1.4.0\'s default plugins, queue-scorer (weight 2), kv-cache-utilization-scorer (weight 2), prefix-cache-scorer (weight 3). To keep what the alpha scheduling did (LoRA affinity, say: lora-affinity-scorer at v1), give the GA config with --epp-config (library: eppConfig).\n';

describe('plan', () => {
  describe('given one alpha pool rendered by the inferencepool chart', () => {
    const p = planned('one-pool');
    const stages = () => readStages(path.join(p.out, 'vllm-llama3-8b-instruct'));

    test('then it exits 0, says the target (v1.4.0 by default) and what it wrote, and warns about the header base-model\'s clients must send', () => {
      expect(p.run.stderr).toBe(SCHEDULING_WARNING + 'warning: The GA pool vllm-llama3-8b-instruct-ga keeps the alpha pool\'s failureMode FailClose (also what an unset extensionRef.failureMode means), where a fresh helm install of the inferencepool chart v1.4.0 gives FailOpen: requests fail while the Endpoint Picker cannot be reached. To choose, set gaPool.failureMode (library) or edit the GA pool\'s endpointPickerRef.failureMode in the stages.\n'
        + 'warning: Clients of model base-model must send the header x-gateway-inference-objective: base-model with each request (priority -1, was Standard): without it a v1 Endpoint Picker gives the request priority 0 and never sheds it.\n'
        + 'warning: 02-shift-50: Gateway implementation generic: Nothing is known about this implementation: verify a weighted alpha/GA split in a test cluster first (watch the route\'s ResolvedRefs condition and the error rate).\n');
      expect(p.run.status).toBe(0);
      expect(p.run.stdout).toMatch(/^vllm-llama3-8b-instruct: gateway generic: nothing in the input shows it \(give it with a flag\); provider none: nothing in the input shows it \(give it with a flag\)\n {2}not detected: Gateway default\/inference-gateway \(.*infra\/gateway\.yaml:1\) has gatewayClassName inference-gateway: an implementation this tool does not know\ntarget: GIE v1\.4\.0 \(the default: the newest release that serves both pools; --target-gie to change\)\nplanned 1 migration into .*out \(every stage validated\):\n {2}vllm-llama3-8b-instruct\/: alpha pool default\/vllm-llama3-8b-instruct-alpha \(.*one-pool\/apps\/llm\/vllm-llama3-8b-instruct-alpha\.yaml:136\) -> GA pool vllm-llama3-8b-instruct-ga\n/);
      expect(p.run.stdout).toContain('    stages:  01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup\n');
    });

    test('then the migration folder holds four stages, the READMEs, the GitOps examples, plan.json and the marker', () => {
      expect(listTree(p.out).filter((f) => !/^vllm-llama3-8b-instruct\/\d\d-/.test(f))).toEqual([
        '.inference-migrate-output.json',
        'vllm-llama3-8b-instruct/README.md',
        'vllm-llama3-8b-instruct/gitops/argocd-application.yaml',
        'vllm-llama3-8b-instruct/gitops/flux-kustomization.yaml',
        'vllm-llama3-8b-instruct/plan.json',
      ]);
      expect(stages().map((s) => s.folder)).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
    });

    test('then stage 01 carries the alpha stack and the route unchanged and adds the GA stack', () => {
      const [first] = stages();
      expect(inventoryOf(first)).toEqual([
        'ClusterRole vllm-llama3-8b-instruct-alpha-epp', 'ClusterRole vllm-llama3-8b-instruct-ga-default-epp',
        'ClusterRoleBinding vllm-llama3-8b-instruct-alpha-epp', 'ClusterRoleBinding vllm-llama3-8b-instruct-ga-default-epp',
        'ConfigMap vllm-llama3-8b-instruct-ga-epp',
        'Deployment vllm-llama3-8b-instruct-alpha-epp', 'Deployment vllm-llama3-8b-instruct-ga-epp',
        'HTTPRoute llm-route',
        'InferenceModel base-model', 'InferenceModel food-review',
        'InferenceObjective base-model', 'InferenceObjective food-review',
        'InferencePool vllm-llama3-8b-instruct-alpha', 'InferencePool vllm-llama3-8b-instruct-ga',
        'Role vllm-llama3-8b-instruct-ga-epp-non-sa', 'Role vllm-llama3-8b-instruct-ga-epp-sa',
        'RoleBinding vllm-llama3-8b-instruct-ga-epp-non-sa', 'RoleBinding vllm-llama3-8b-instruct-ga-epp-sa',
        'Service vllm-llama3-8b-instruct-alpha-epp', 'Service vllm-llama3-8b-instruct-ga-epp',
        'ServiceAccount vllm-llama3-8b-instruct-alpha-epp', 'ServiceAccount vllm-llama3-8b-instruct-ga-epp',
      ]);
      const original = YAML.parse(fs.readFileSync(path.join(FIXTURES, 'one-pool/apps/llm/httproute.yaml'), 'utf8'));
      expect(find(first, 'HTTPRoute')).toEqual(original);
      const alphaPoolDocs = YAML.parseAllDocuments(fs.readFileSync(path.join(FIXTURES, 'one-pool/apps/llm/vllm-llama3-8b-instruct-alpha.yaml'), 'utf8')).map((d) => d.toJS());
      expect(find(first, 'InferencePool', undefined, ALPHA)).toEqual(alphaPoolDocs.find((o) => o.kind === 'InferencePool'));
      expect(find(first, 'Deployment', 'vllm-llama3-8b-instruct-alpha-epp')).toEqual(alphaPoolDocs.find((o) => o.kind === 'Deployment'));
    });

    test('then the GA pool copies the alpha pool\'s selector, port, failure mode and namespace', () => {
      const ga = find(stages()[0], 'InferencePool', undefined, GA);
      expect(ga.metadata).toMatchObject({ name: 'vllm-llama3-8b-instruct-ga', namespace: 'default' });
      expect(ga.spec.selector).toEqual({ matchLabels: { app: 'vllm-llama3-8b-instruct' } });
      expect(ga.spec.targetPorts).toEqual([{ number: 8000 }]);
      expect(ga.spec.endpointPickerRef).toMatchObject({ kind: 'Service', name: 'vllm-llama3-8b-instruct-ga-epp', failureMode: 'FailClose', port: { number: 9002 } });
    });

    test('then the InferenceModels become InferenceObjectives of the GA pool with priorities from their criticality', () => {
      const [first] = stages();
      expect(find(first, 'InferenceObjective', 'food-review').spec).toEqual({ priority: 1, poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' } });
      // Standard: shed under saturation on alpha, so negative on v1 (applied to requests with the objective header).
      expect(find(first, 'InferenceObjective', 'base-model').spec.priority).toBe(-1);
    });

    test('then traffic moves 50/50, then 100% to the GA pool, and cleanup holds no alpha object', () => {
      const [, shift, finalize, cleanup] = stages();
      expect(backends(find(shift, 'HTTPRoute'))).toEqual([['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha=50', 'inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=50']]);
      expect(backends(find(finalize, 'HTTPRoute'))).toEqual([['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=100']]);
      expect(cleanup.objects.filter((o) => o.apiVersion === ALPHA && o.kind !== 'InferenceObjective')).toEqual([]);
      expect(cleanup.objects.filter((o) => o.metadata.name.includes('alpha'))).toEqual([]);
      const route = find(cleanup, 'HTTPRoute');
      expect(route.spec.hostnames).toEqual(['llm.example.com']);
      expect(route.spec.rules[0].timeouts).toEqual({ request: '300s' });
    });

    test('then the first stage README hands the carried objects over safely: mark them against pruning, sync, check the new owner, only then remove them from their old files', () => {
      const readme = fs.readFileSync(path.join(p.out, 'vllm-llama3-8b-instruct/01-side-by-side/README.md'), 'utf8');
      const before = readme.slice(readme.indexOf('## Before you sync'), readme.indexOf('## Sync'));
      const after = readme.slice(readme.indexOf('## Right after you sync'), readme.indexOf('## Verify'));
      expect(before).toContain('Hand the carried objects over without a prune deleting them.');
      // The fixture is inside this package's Git repository: paths are named from its root.
      expect(before).toContain('So first, in their old place (paths relative to the root of the Git repository), mark each of these objects so that its old owner never deletes it');
      expect(before).toContain('Argo CD: `argocd.argoproj.io/sync-options: Prune=false`; Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`.');
      expect(after).toContain('Check that the new owner holds every carried object before the old place is cleaned');
      expect(after).toContain('Only then remove the carried objects from their old place');
      const planJson = JSON.parse(fs.readFileSync(path.join(p.out, 'vllm-llama3-8b-instruct/plan.json'), 'utf8'));
      expect(JSON.stringify(planJson)).toContain('kustomize.toolkit.fluxcd.io/prune: disabled');
      expect(JSON.stringify(planJson)).toContain('Check that the new owner holds every carried object');
      expect(readme).toContain('- `test/fixtures/repos/one-pool/apps/llm/httproute.yaml`: HTTPRoute llm-route (line 1)');
      expect(readme).toContain('- `test/fixtures/repos/one-pool/apps/llm/vllm-llama3-8b-instruct-alpha.yaml`: ServiceAccount vllm-llama3-8b-instruct-alpha-epp (line 5)');
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  test('given --steps 10,50,90 and --ga-name-suffix -v1, then there is one shift stage per step and the GA pool takes the suffix', () => {
    const { run, out } = plan('one-pool', '--steps', '10,50,90', '--ga-name-suffix', '-v1', '--no-validate');

    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('validated');
    const stages = readStages(path.join(out, 'vllm-llama3-8b-instruct'));
    expect(stages.map((s) => s.folder)).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-shift-90', '05-finalize', '06-cleanup']);
    expect(backends(find(stages[1], 'HTTPRoute'))[0]).toEqual(['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha=90', 'inference.networking.k8s.io/vllm-llama3-8b-instruct-v1=10']);
    expect(find(stages[5], 'InferencePool').metadata.name).toBe('vllm-llama3-8b-instruct-v1');
  });

  test('given a directory outside any Git repository, then the README names the files relative to --from', () => {
    const from = tempDir('repo-');
    fs.cpSync(path.join(FIXTURES, 'shared-pool'), from, { recursive: true });
    const out = path.join(tempDir(), 'out');
    expect(runCli(['plan', '--from', from, '--out', out, '--no-validate']).status).toBe(0);
    const readme = fs.readFileSync(path.join(out, 'vllm-llama3-8b-instruct/01-side-by-side/README.md'), 'utf8');
    expect(readme).toContain(`So first, in their old place (paths relative to the planned directory ${from}), mark each of these objects`);
    expect(readme).toContain('- `routes/chat.yaml`: HTTPRoute chat (line 1)\n');
  });

  describe('given two pools in two namespaces', () => {
    const p = planned('two-namespaces');

    test('then each pool gets its own migration in its own namespace', () => {
      // The stage warning of each migration (nothing is known about the gateway), each naming its migration
      const lines = p.run.stderr.split('\n').filter((l) => l !== '' && !l.includes('Scheduling changes on the GA pool'));
      expect(lines.filter((l) => !l.includes('failureMode')).map((l) => l.slice(0, l.indexOf(': Gateway')))).toEqual(['warning: llama: 02-shift-50', 'warning: mistral: 02-shift-50']);
      // mistral's alpha pool leaves failureMode unset (FailClose), unlike a fresh install of the v1.4.0 chart (FailOpen)
      expect(lines.filter((l) => l.includes('failureMode')).map((l) => l.slice(0, 40))).toEqual(['warning: mistral: The GA pool mistral-ga']);
      expect(p.run.status).toBe(0);
      expect(fs.readdirSync(p.out).sort()).toEqual(['.inference-migrate-output.json', 'llama', 'mistral']);
      const llama = find(readStages(path.join(p.out, 'llama'))[0], 'InferencePool', 'llama-ga');
      const mistral = find(readStages(path.join(p.out, 'mistral'))[0], 'InferencePool', 'mistral-ga');
      expect(llama.metadata.namespace).toBe('team-a');
      expect(llama.spec).toMatchObject({ selector: { matchLabels: { app: 'vllm-llama' } }, targetPorts: [{ number: 8000 }], endpointPickerRef: { failureMode: 'FailOpen' } });
      expect(mistral.metadata.namespace).toBe('team-b');
      expect(mistral.spec).toMatchObject({ selector: { matchLabels: { app: 'vllm-mistral' } }, targetPorts: [{ number: 8080 }], endpointPickerRef: { failureMode: 'FailClose' } });
    });

    test('then objects whose namespace came from a kustomization carry it explicitly', () => {
      const first = readStages(path.join(p.out, 'mistral'))[0];
      expect(find(first, 'InferencePool', 'mistral-preview').metadata.namespace).toBe('team-b');
      expect(find(first, 'HTTPRoute', 'mistral').metadata.namespace).toBe('team-b');
      expect(find(first, 'Deployment', 'mistral-preview-epp').metadata.namespace).toBe('team-b');
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given InferenceModels of every criticality and none', () => {
    const p = planned('criticalities');

    test('then the objectives get priorities by sign: Critical=1, Standard=-1, Sheddable=-2, none=-1 (Standard)', () => {
      expect(p.run.status).toBe(0);
      const first = readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))[0];
      const priorities = Object.fromEntries(first.objects.filter((o) => o.kind === 'InferenceObjective').map((o) => [o.metadata.name, o.spec.priority]));
      expect(priorities).toEqual({ 'chatbot': 1, 'summarizer': -1, 'batch-eval': -2, 'unlabelled': -1, 'food-review': -1 });
    });

    test('then the weighted LoRA targets become an InferenceModelRewrite, and the header each non-Critical model\'s clients must send is a warning and a manual step', () => {
      expect(find(readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))[0], 'InferenceModelRewrite', 'food-review').spec.rules).toEqual([{
        matches: [{ model: { type: 'Exact', value: 'food-review-lora' } }],
        targets: [{ modelRewrite: 'food-review-1', weight: 90 }, { modelRewrite: 'food-review-2', weight: 10 }],
      }]);
      const warnings = p.run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: 02-shift-50: Gateway implementation generic') && !l.includes('keeps the alpha pool\'s failureMode') && !l.includes('Scheduling changes on the GA pool'));
      expect(warnings).toHaveLength(4);
      expect(warnings[3]).toBe('warning: Clients of model food-review-lora must send the header x-gateway-inference-objective: food-review with each request (priority -1, was Standard): without it a v1 Endpoint Picker gives the request priority 0 and never sheds it.');
      const readme = fs.readFileSync(path.join(p.out, 'vllm-llama3-8b-instruct/01-side-by-side/README.md'), 'utf8');
      const beforeSync = readme.slice(readme.indexOf('## Before you sync'), readme.indexOf('## Sync'));
      expect(beforeSync).toContain('- food-review-lora: x-gateway-inference-objective: food-review (priority -1, was Standard)');
      // The per-model table, with the names escaped as Markdown code.
      expect(readme).toContain('| `food-review-lora` (InferenceModel `food-review`) | Standard | `food-review-1=90, food-review-2=10` | `food-review` (-1) | InferenceModelRewrite `food-review` | `x-gateway-inference-objective: food-review` |');
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given a route with header matches and two rules', () => {
    const p = planned('header-matches');

    test('then every stage keeps the parentRefs, hostnames, matches, filters and timeouts', () => {
      expect(p.run.status).toBe(0);
      const original = YAML.parse(fs.readFileSync(path.join(FIXTURES, 'header-matches/httproute.yaml'), 'utf8'));
      for (const stage of readStages(path.join(p.out, 'vllm-llama3-8b-instruct')).slice(1)) {
        const route = find(stage, 'HTTPRoute');
        expect(route.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'llm' });
        expect(route.metadata.annotations.team).toBe('ml-platform');
        expect(route.spec.parentRefs).toEqual(original.spec.parentRefs);
        expect(route.spec.hostnames).toEqual(['api.example.com']);
        expect(route.spec.rules).toHaveLength(2);
        expect(route.spec.rules[0].matches).toEqual(original.spec.rules[0].matches);
        expect(route.spec.rules[0].timeouts).toEqual({ request: '300s', backendRequest: '240s' });
        expect(route.spec.rules[1].matches).toEqual([{ path: { type: 'PathPrefix', value: '/v1/completions' }, headers: [{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'food-review' }], method: 'POST' }]);
        expect(route.spec.rules[1].filters).toEqual(original.spec.rules[1].filters);
        expect(route.spec.rules[1].timeouts).toEqual({ request: '300s' });
      }
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given a pool shared by two routes', () => {
    const p = planned('shared-pool');

    test('then one migration moves both routes to one GA pool', () => {
      expect(p.run.status).toBe(0);
      expect(fs.readdirSync(p.out).sort()).toEqual(['.inference-migrate-output.json', 'vllm-llama3-8b-instruct']);
      for (const stage of readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))) {
        expect(stage.objects.filter((o) => o.kind === 'InferencePool' && o.apiVersion === GA)).toHaveLength(1);
        expect(stage.objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name).sort()).toEqual(['chat', 'completions']);
      }
      const finalize = readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))[2];
      expect(backends(find(finalize, 'HTTPRoute', 'chat'))).toEqual([['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=100']]);
      expect(backends(find(finalize, 'HTTPRoute', 'completions'))).toEqual([['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=100']]);
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given a route that also routes to other backends', () => {
    const p = planned('mixed-backends');

    test('then only the pool\'s share of the mixed rule moves, the Service keeps its share, and cleanup holds no alpha backendRef', () => {
      expect(p.run.status).toBe(0);
      expect(p.run.stderr).toMatch(/^warning: HTTPRoute default\/llm-route: rule 2 sends traffic to the alpha pool vllm-llama3-8b-instruct-alpha and to Service embeddings-fallback; only the pool's share \(weight 80\) moves to vllm-llama3-8b-instruct-ga, the other backends keep theirs\.\n/m);
      expect(p.run.stderr).toMatch(/^warning: HTTPRoute default\/llm-route: from the first shift stage on, the pool rules come first/m);
      const stages = readStages(path.join(p.out, 'vllm-llama3-8b-instruct'));
      // Weights are scaled by 100 so that the split of the pool's 80 is exact: 80:20 stays 8000:2000.
      expect(backends(find(stages[1], 'HTTPRoute'))).toEqual([
        ['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha=50', 'inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=50'],
        ['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha=4000', 'inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=4000', '/embeddings-fallback=2000'],
        ['/status-page=1'],
      ]);
      expect(backends(find(stages[3], 'HTTPRoute'))).toEqual([
        ['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=100'],
        ['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga=8000', '/embeddings-fallback=2000'],
        ['/status-page=1'],
      ]);
    });
  });

  describe('given --epp-config', () => {
    const config = (...types: string[]) => ['apiVersion: inference.networking.x-k8s.io/v1alpha1', 'kind: EndpointPickerConfig', 'plugins:',
      ...types.map((t) => `- type: ${t}`), 'schedulingProfiles:', '- name: default', '  plugins:', ...types.map((t) => `  - pluginRef: ${t}`), ''].join('\n');

    test('with plugins the target release registers, then the GA Endpoint Picker\'s ConfigMap holds the file as given', () => {
      const dir = writeTree(tempDir('epp-config-'), { 'epp-config.yaml': config('lora-affinity-scorer', 'queue-scorer', 'max-score-picker') });
      const { run, out } = plan('one-pool', '--epp-config', path.join(dir, 'epp-config.yaml'));

      expect(run.status).toBe(0);
      const first = readStages(path.join(out, 'vllm-llama3-8b-instruct'))[0];
      expect(find(first, 'ConfigMap', 'vllm-llama3-8b-instruct-ga-epp').data).toEqual({ 'default-plugins.yaml': config('lora-affinity-scorer', 'queue-scorer', 'max-score-picker') });
    });

    test('with a plugin type the target release does not register, then the plan is refused naming the type, the release and the flag', () => {
      const dir = writeTree(tempDir('epp-config-'), { 'epp-config.yaml': config('queue-scorer', 'predicted-latency-scorer') });
      const { run } = plan('one-pool', '--epp-config', path.join(dir, 'epp-config.yaml'), '--target-gie', 'v1.2.0');

      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/'pluginsConfig' plugins\[1\]\.type predicted-latency-scorer does not exist in GIE v1\.2\.0's Endpoint Picker \(predicted-latency-scorer is registered from v1\.3\.0; cmd\/epp\/runner\/runner\.go@v1\.2\.0\).*\(on the command line: --epp-config\)/);
    });

    test('naming a file that is not there, then the plan is refused naming the flag and the file', () => {
      const { run } = plan('one-pool', '--epp-config', '/nonexistent/epp-config.yaml');

      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^error: --epp-config \/nonexistent\/epp-config\.yaml: cannot be read/m);
    });
  });

  describe('given Kubernetes YAML next to kustomizations, a kustomize patch, a Helm chart and Helm values', () => {
    const p = planned('kustomize-helm', '--verbose');

    test('then the non-objects are skipped, listed with --verbose, and the rest is planned', () => {
      expect(p.run.status).toBe(0);
      const skipped = p.run.stderr.split('\n').filter((l) => l.startsWith('skipped '));
      expect(skipped.map((l) => l.replace(/^skipped .*kustomize-helm\//, ''))).toEqual([
        'base/kustomization.yaml: kustomization (kustomize configuration, not a cluster object)',
        'charts/vllm/Chart.yaml: helm chart with 1 template file: not read, templates are not manifests until rendered; render it (helm template) and read the output',
        'charts/vllm/templates/deployment.yaml: helm chart template (chart charts/vllm/)',
        'charts/vllm/values.yaml: helm values file',
        'overlays/prod/epp-resources.yaml: kustomize patch (listed in overlays/prod/kustomization.yaml)',
        'overlays/prod/kustomization.yaml: kustomization (kustomize configuration, not a cluster object)',
        'stray-template.yaml:1: template ({{ }}), not yaml until rendered: render it (helm template, or its own tool) and read the output',
        'values-prod.yaml:2: helm values file',
      ]);
      const first = readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))[0];
      expect(find(first, 'InferencePool', 'vllm-llama3-8b-instruct-ga').metadata.namespace).toBe('llm');
      expect(find(first, 'Deployment', 'vllm-llama3-8b-instruct-alpha-epp').spec.template.spec.containers[0].resources).toBeUndefined();
    });

    test('then without --verbose only the chart and the template are listed (they may hold what was meant to be planned)', () => {
      const stderr = plan('kustomize-helm').run.stderr.replace(/skipped .*kustomize-helm\//g, 'skipped ').split('\n').filter((l) => !l.startsWith('warning: '));
      expect(stderr).toEqual([
        'skipped charts/vllm/Chart.yaml: helm chart with 1 template file: not read, templates are not manifests until rendered; render it (helm template) and read the output',
        'skipped stray-template.yaml:1: template ({{ }}), not yaml until rendered: render it (helm template, or its own tool) and read the output',
        '',
      ]);
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given the GKE chart\'s alpha stack and --provider gke', () => {
    const p = planned('gke', '--provider', 'gke');

    test('then the GKE policies get GA twins that target the GA pool', () => {
      expect(p.run.status).toBe(0);
      const first = readStages(path.join(p.out, 'vllm-llama3-8b-instruct'))[0];
      expect(find(first, 'HealthCheckPolicy', 'vllm-llama3-8b-instruct-ga').spec).toEqual({
        targetRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' },
        default: { config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } } },
      });
      expect(find(first, 'GCPBackendPolicy', 'vllm-llama3-8b-instruct-ga').spec.targetRef.name).toBe('vllm-llama3-8b-instruct-ga');
      expect(find(first, 'HealthCheckPolicy', 'vllm-llama3-8b-instruct-preview').spec.targetRef.group).toBe('inference.networking.x-k8s.io');
      const readme = fs.readFileSync(path.join(p.out, 'vllm-llama3-8b-instruct/README.md'), 'utf8');
      expect(readme).toContain('Gateway: GKE Gateway (any).');
    });

    test('then every written object passes validation', () => expectEveryStageValid(p.out));
  });

  describe('given a gateway that serves one InferencePool group per release (kgateway, Envoy Gateway with AI Gateway, NGINX Gateway Fabric)', () => {
    test('then without --strategy plan chooses cutover at the gateway upgrade, says why and states the window', () => {
      const { run, out } = plan('one-pool', '--gateway', 'kgateway', '--gateway-version', '2.0.4', '--no-validate');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('    strategy: cutover (chosen: no strategy was given and kgateway 2.0.4 needs it: kgateway 2.0.x watches and resolves only the alpha InferencePool group');
      expect(readStages(path.join(out, 'vllm-llama3-8b-instruct')).map((s) => s.folder)).toEqual(['01-side-by-side', '02-cutover', '03-cleanup']);
      expect(fs.readFileSync(path.join(out, 'vllm-llama3-8b-instruct/02-cutover/README.md'), 'utf8')).toMatch(/Requests to this route fail from the moment the upgraded controller drops the alpha backend/);
    });

    test.each([
      ['weighted-shift'], ['header-preview-cutover'],
    ])('then an explicit --strategy %s fails naming the gateway, the one group it serves and cutover', (strategy) => {
      const { run, out } = plan('one-pool', '--gateway', 'kgateway', '--strategy', strategy);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`'strategy' "${strategy}" cannot run on the Gateway default/inference-gateway \\(kgateway\\).*needs one gateway that serves both.*Use strategy: 'cutover'`));
      expect(fs.existsSync(out)).toBe(false);
    });

    test('then an Envoy Gateway version is refused: the AI Gateway release decides the group, and the error asks for it', () => {
      const { run, out } = plan('one-pool', '--gateway', 'envoy-gateway', '--gateway-version', '1.5.0');
      expect(run.status).toBe(64);
      expect(run.stderr).toMatch(/^error: --gateway-version Envoy Gateway's own version \("1.5.0"\) does not decide which InferencePool group works: Envoy AI Gateway's extension server does .*: --gateway envoy-ai-gateway --gateway-version <AI Gateway release>\n/);
      expect(fs.existsSync(out)).toBe(false);
    });

    test('then an alpha route said to run on NGINX Gateway Fabric is refused with why, unless a second Gateway is named', () => {
      const refused = plan('one-pool', '--gateway', 'nginx-gateway-fabric');
      expect(refused.run.status).toBe(1);
      expect(refused.run.stderr).toMatch(/NGINX Gateway Fabric never served the alpha InferencePool group/);
      const parallel = plan('one-pool', '--gateway', 'nginx-gateway-fabric', '--new-gateway-name', 'inference-gateway-v1', '--no-validate');
      expect(parallel.run.status).toBe(0);
      expect(parallel.run.stdout).toContain('    strategy: parallel-gateway');
    });
  });

  describe('bad input: exit 1, a message with file and line, nothing written', () => {
    test('given a malformed file, then the error names file, line and column', () => {
      const { run, out } = plan('malformed');
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: .*fixtures\/repos\/malformed\/broken\.yaml:4: malformed yaml: nested mappings are not allowed in compact mappings \(column 9\)\n$/);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(path.dirname(out))).toEqual([]);
    });

    test('given a malformed file and --force on an earlier output, then the earlier output is untouched', () => {
      const { out } = plan('one-pool', '--no-validate');
      const before = snapshotTree(out);

      const run = runCli(['plan', '--from', path.join(FIXTURES, 'malformed'), '--out', out, '--force']);

      expect(run.status).toBe(1);
      expect(snapshotTree(out)).toEqual(before);
      expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
    });

    test('given only a route to an alpha pool installed by Helm, then a warning names the route and the pool and says to add its manifest, and nothing is written', () => {
      const { run, out } = plan('helm-installed-pool');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(
        '^warning: HTTPRoute default/llm-route \\(.*helm-installed-pool/httproute\\.yaml:11\\) sends traffic to alpha InferencePool default/vllm-llama3-8b-instruct-alpha, ' +
        'which is not under .*helm-installed-pool, so it is not planned\\. If Helm installed the pool, plan it with its manifest: add the output of helm get manifest <release> -n default .*\\n' +
        'error: nothing was written: 1 reference to alpha InferencePools that is not in the input: add the pools\' manifests \\(warnings above\\), then plan again\\n$',
      ));
      expect(fs.existsSync(out)).toBe(false);
    });

    test('given objects with no kind and no name, then each is an error with its file and line', () => {
      const from = writeTree(tempDir('repo-'), {
        'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\napiVersion: v1\nmetadata:\n  name: nokind\n',
        'b.yaml': '# a pool without a name\napiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  namespace: llm\n',
      });
      const run = runCli(['plan', '--from', from, '--out', path.join(tempDir(), 'out')]);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`error: ${from}/a.yaml:6: object with apiVersion "v1" has no kind\nerror: ${from}/b.yaml:2: InferencePool has no metadata.name\n`);
    });

    test('given an input object that fails validation, then the error names file, line, object and field; --no-validate writes it anyway', () => {
      const text = fs.readFileSync(path.join(FIXTURES, 'one-pool/apps/llm/vllm-llama3-8b-instruct-alpha.yaml'), 'utf8').replace('terminationGracePeriodSeconds: 130', 'terminationGracePeriodSeconds: "130s"');
      const from = writeTree(tempDir('repo-'), {
        'pool.yaml': text,
        'route.yaml': fs.readFileSync(path.join(FIXTURES, 'one-pool/apps/llm/httproute.yaml'), 'utf8'),
      });

      const run = runCli(['plan', '--from', from, '--out', path.join(tempDir(), 'out')]);
      expect(run.status).toBe(1);
      // The platform first (it often explains the problem), then the error.
      expect(run.stderr).toMatch(/^vllm-llama3-8b-instruct: gateway generic: nothing in the input shows it/);
      expect(run.stderr).toMatch(new RegExp(`\\nerror: ${from}/pool\\.yaml:97: input does not pass validation: Deployment default/vllm-llama3-8b-instruct-alpha-epp: spec\\.template\\.spec\\.terminationGracePeriodSeconds: must be integer \\(got string "130s"\\) \\[core\\]\\n$`));
      expect(runCli(['plan', '--from', from, '--out', path.join(tempDir(), 'out'), '--no-validate']).status).toBe(0);
    });
  });

  describe('nothing to migrate', () => {
    test('given a repo without alpha objects, then plan exits 0, says so and writes nothing', () => {
      const { run, out } = plan('nothing');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^nothing to migrate: no v1alpha2 InferencePool under .*nothing \(3 objects in 3 files read\); nothing was written\n$/);
      expect(fs.existsSync(out)).toBe(false);
    });
  });

  describe('output safety', () => {
    test('given --out inside --from, as scan suggests it, then plan writes there, and the next plan skips its own output', () => {
      // Given a repository and the command scan suggests, with --out inside it
      const repo = tempDir('repo-');
      fs.cpSync(path.join(FIXTURES, 'one-pool'), repo, { recursive: true });
      const suggested = runCli(['scan', '.'], repo).stdout.match(/migrate: (inference-migrate plan .*)$/m)![1];
      expect(suggested).toBe('inference-migrate plan --from . --out <migrations-dir>');
      // When it runs with --out ./migrations, twice
      const first = runCli(['plan', '--from', '.', '--out', 'migrations'], repo);
      const second = runCli(['plan', '--from', '.', '--out', 'migrations', '--force'], repo);
      // Then both plan the one migration, the second without reading the first's stage folders
      expect([first.status, second.status]).toEqual([0, 0]);
      expect(second.stdout).toContain('planned 1 migration into migrations');
      expect(second.stdout).toContain('    carried: 8 alpha objects from 2 file(s)\n');
      expect(fs.readdirSync(path.join(repo, 'migrations')).sort()).toEqual(['.inference-migrate-output.json', 'vllm-llama3-8b-instruct']);
    });

    test('given a non-empty --out the tool did not write, then plan refuses, with or without --force', () => {
      const out = writeTree(tempDir('out-'), { 'README.md': 'mine\n' });
      for (const force of [[], ['--force']]) {
        const run = runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--out', out, ...force]);
        expect(run.status).toBe(1);
        expect(run.stderr).toMatch(/^error: --out .* exists, is not empty and was not written by inference-migrate \(no \.inference-migrate-output\.json\)/);
      }
      expect(snapshotTree(out)).toEqual({ 'README.md': 'mine\n' });
    });

    test('given an earlier output, then plan refuses without --force and replaces it with --force', () => {
      const { out } = plan('one-pool', '--no-validate');
      const again = runCli(['plan', '--from', path.join(FIXTURES, 'shared-pool'), '--out', out, '--no-validate']);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/holds an earlier output of inference-migrate: add --force to replace it/);

      const forced = runCli(['plan', '--from', path.join(FIXTURES, 'shared-pool'), '--out', out, '--force', '--no-validate']);
      expect(forced.status).toBe(0);
      const first: WrittenStageFolder = readStages(path.join(out, 'vllm-llama3-8b-instruct'))[0];
      expect(first.objects.filter((o) => o.kind === 'HTTPRoute').map((o) => o.metadata.name).sort()).toEqual(['chat', 'completions']);
    });

    test('given the same input twice, then the files are byte-identical', () => {
      const a = plan('two-namespaces', '--no-validate').out;
      const b = plan('two-namespaces', '--no-validate').out;
      expect(snapshotTree(b)).toEqual(snapshotTree(a));
    });
  });
});

describe('plan with the habits of kubectl and helm', () => {
  test('given the short flags -f, -o and -n, then they are --from, --out and --namespace', () => {
    const dir = tempDir('short-');
    const run = runCli(['plan', '-f', path.join(FIXTURES, 'one-pool'), '-o', path.join(dir, 'out'), '-n', 'default']);
    expect(run.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'vllm-llama3-8b-instruct', 'plan.json'))).toBe(true);
  });

  test('given --dry-run, then the stages are one YAML stream on stdout, the summary is on stderr, and nothing is written', () => {
    // Given
    const dir = tempDir('dry-');
    // When
    const run = runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--dry-run'], dir);
    // Then every object of every stage is a document after its # Source line, and no file was written
    expect(run.status).toBe(0);
    const docs = parseYamlDocs(run.stdout);
    const sources = run.stdout.split('\n').filter((l) => l.startsWith('# Source: vllm-llama3-8b-instruct/'));
    expect(docs).toHaveLength(sources.length);
    expect(new Set(sources.map((l) => l.split('/')[1]))).toEqual(new Set(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']));
    expect(run.stderr).toContain('dry run: the stages are on stdout, nothing was written');
    expect(run.stderr).not.toContain('next:');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('given --dry-run --stage shift-50, then only that stage is printed, with the route split 50/50', () => {
    const run = runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--dry-run', '--stage', 'shift-50']);
    expect(run.status).toBe(0);
    // Each document's own line is the one right after its ---; a carried file keeps its comments (helm's # Source) below it
    const sources = run.stdout.split('---\n# Source: ').slice(1).map((chunk) => chunk.split('\n')[0]);
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((s) => !s.startsWith('vllm-llama3-8b-instruct/02-shift-50/'))).toEqual([]);
    const route = parseYamlDocs(run.stdout).find((o) => o.kind === 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([50, 50]);
    expect(runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--dry-run', '--stage', 'shift-10']).stderr)
      .toBe("error: --stage shift-10 names no stage of the planned migrations (stages: side-by-side, shift-50, finalize, cleanup)\nsee 'inference-migrate plan --help'\n");
  });

  test('given one migration, then the next: line names its folder', () => {
    const out = path.join(tempDir('next-'), 'out');
    const run = runCli(['plan', '--from', path.join(FIXTURES, 'one-pool'), '--out', out]);
    expect(run.stdout).toContain(`next: read ${out}/vllm-llama3-8b-instruct/README.md;`);
  });

  test('given files concatenated without --- on standard input, then the error says so and how to separate them', () => {
    const text = ['httproute.yaml', 'inference-models.yaml'].map((f) => fs.readFileSync(path.join(FIXTURES, 'one-pool', 'apps', 'llm', f), 'utf8').replace(/^---\n/gm, '')).join('');
    const run = runCli(['plan', '--from', '-', '--dry-run'], ROOT, text);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: <stdin>:\d+: malformed yaml: map keys must be unique \(column 1\); two documents run together\? Files concatenated without --- between them read as one: separate them \(for f in \*\.yaml; do cat "\$f"; echo ---; done/);
  });
});
