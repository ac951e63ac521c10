import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  CarriedManifest,
  GatewayImplementation,
  GitOpsWriter,
  InferenceProvider,
  ManualStepTiming,
  MigrationStrategy,
  StageSelection,
  ZeroDowntimeMigration,
  ZeroDowntimeMigrationProps,
} from '../../src';
import { GuideExamples } from '../../src/examples/guide-examples';
import { alphaStack } from '../fixtures/alpha-stack';
import { GUIDE_FINAL_ROUTE, GUIDE_SPLIT_ROUTE, routeWithApiDefaults } from '../fixtures/guide-000';
import { expectValid, only, parseYamlDocs } from '../util';

const SELECTOR = { app: 'vllm-llama3-8b-instruct' };

/** Each stage's objects, by folder name. */
function synthStages(migration: ZeroDowntimeMigration): Map<string, any[]> {
  return new Map(migration.stages.map((s) => [s.folderName, GitOpsWriter.synthesizeStage(s)]));
}

function referencedProps(props: Partial<ZeroDowntimeMigrationProps> = {}): ZeroDowntimeMigrationProps {
  return {
    alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: SELECTOR } },
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
    ...props,
  };
}

function byKey(a: any, b: any): number {
  const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return key(a).localeCompare(key(b));
}

function routeWeights(objects: any[]): Array<[string, number]> {
  return only(objects, 'HTTPRoute').spec.rules.flatMap((r: any) => r.backendRefs.map((b: any) => [`${b.group}/${b.name}`, b.weight]));
}

describe('ZeroDowntimeMigration', () => {
  describe('given the guide\'s migration (built-in example)', () => {
    const migration = GuideExamples.zeroDowntime(Testing.app());
    const stages = synthStages(migration);

    test('then the stages are 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup', () => {
      expect([...stages.keys()]).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
    });

    test('then every object of every stage passes the CRD schemas and CEL rules', () => {
      for (const objects of stages.values()) expectValid(objects);
    });

    test('then 01-side-by-side adds the GA pool, its EPP and the guide\'s objectives while the route sends 100% to alpha', () => {
      const objects = stages.get('01-side-by-side')!;
      expect(only(objects, 'InferencePool').metadata.name).toBe('vllm-llama3-8b-instruct-ga');
      expect(only(objects, 'Deployment').metadata.name).toBe('vllm-llama3-8b-instruct-ga-epp');
      expect(routeWeights(objects)).toEqual([['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha', 100]]);
      const objectives = objects.filter((o) => o.kind === 'InferenceObjective');
      expect(objectives.map((o) => [o.metadata.name, o.spec.priority])).toEqual([['food-review', 1], ['base-model', 2]]);
      for (const o of objectives) {
        expect(o.spec.poolRef).toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' });
      }
    });

    test('then 02-shift-50 holds the guide\'s 50/50 HTTPRoute', () => {
      expect(only(stages.get('02-shift-50')!, 'HTTPRoute')).toEqual(routeWithApiDefaults(GUIDE_SPLIT_ROUTE));
    });

    test('then 03-finalize holds the guide\'s 100% GA HTTPRoute, and the alpha pool is still referenced nowhere else', () => {
      expect(only(stages.get('03-finalize')!, 'HTTPRoute')).toEqual(routeWithApiDefaults(GUIDE_FINAL_ROUTE));
    });

    test('then 04-cleanup holds only the GA stack: no alpha pool, no InferenceModel, no backendRef to the alpha group', () => {
      const objects = stages.get('04-cleanup')!;
      expect(only(objects, 'HTTPRoute')).toEqual(routeWithApiDefaults(GUIDE_FINAL_ROUTE));
      expect(objects.filter((o) => o.apiVersion.startsWith('inference.networking.x-k8s.io') && o.kind !== 'InferenceObjective')).toEqual([]);
      expect(JSON.stringify(only(objects, 'HTTPRoute'))).not.toContain('inference.networking.x-k8s.io');
    });

    test('then every stage holds the complete desired state: the GA stack is in each one', () => {
      for (const objects of stages.values()) {
        expect(objects.filter((o) => o.kind === 'InferencePool' && o.apiVersion === 'inference.networking.k8s.io/v1')).toHaveLength(1);
        expect(objects.filter((o) => o.kind === 'InferenceObjective')).toHaveLength(2);
      }
    });
  });

  test('given the GKE variant, then the GA pool gets GKE policies and both objectives priority 2', () => {
    const migration = GuideExamples.gke(Testing.app());
    const stages = synthStages(migration);
    expect(migration.alphaPoolName).toBe('vllm-llama3-8b-instruct-preview');
    for (const objects of stages.values()) {
      expectValid(objects);
      expect(only(objects, 'HealthCheckPolicy').spec.targetRef).toEqual({ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' });
      expect(objects.filter((o) => o.kind === 'InferenceObjective').map((o) => o.spec.priority)).toEqual([2, 2]);
    }
    expect(only(stages.get('02-shift-50')!, 'HTTPRoute').spec.rules[0].backendRefs[0].name).toBe('vllm-llama3-8b-instruct-preview');
    expect(migration.stages[0].verifications[0].expected).toBe('Programmed=True class=gke-l7-regional-external-managed, and an address.');
    expect(migration.stages[0].verifications[0].check?.expect).toEqual({ lines: ['Programmed=True class=gke-l7-regional-external-managed'] });
  });

  test('given steps 10 and 50, then the stages are numbered consecutively and the GA weight never decreases', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ steps: [10, 50] }));
    const stages = synthStages(migration);
    expect([...stages.keys()]).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
    const gaWeights = [...stages.values()].map((objects) => {
      const weights = routeWeights(objects);
      const total = weights.reduce((n, [, w]) => n + w, 0);
      const ga = weights.filter(([k]) => k.startsWith('inference.networking.k8s.io/')).reduce((n, [, w]) => n + w, 0);
      return (100 * ga) / total;
    });
    expect(gaWeights).toEqual([0, 10, 50, 100, 100]);
    expect(routeWeights(stages.get('02-shift-10')!)).toEqual([
      ['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha', 90],
      ['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga', 10],
    ]);
  });

  test.each([97, 99])('given %p steps (1..N), then every stage is built and the folders, three digits wide, sort in stage order', (count) => {
    const steps = Array.from({ length: count }, (_, i) => i + 1);
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ steps }));
    const folders = migration.stages.map((s) => s.folderName);
    expect(folders).toHaveLength(count + 3);
    expect(folders[0]).toBe('001-side-by-side');
    expect(folders[1]).toBe('002-shift-1');
    expect(folders[folders.length - 1]).toBe(`${count + 3}-cleanup`);
    expect([...folders].sort()).toEqual(folders);
    const last = synthStages(migration);
    expect(routeWeights(last.get(folders[count])!)).toEqual([
      ['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha', 100 - count],
      ['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga', count],
    ]);
  });

  describe('given the alpha stack carried from Git', () => {
    const stack = [
      ...alphaStack(),
      { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: 'chat', namespace: 'default' }, spec: { modelName: 'chat', criticality: 'Sheddable', poolRef: { name: 'vllm-llama3-8b-instruct-alpha' } } },
      { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: 'batch', namespace: 'default' }, spec: { modelName: 'batch', poolRef: { name: 'vllm-llama3-8b-instruct-alpha' } } },
      {
        apiVersion: 'networking.gke.io/v1',
        kind: 'HealthCheckPolicy',
        metadata: { name: 'vllm-llama3-8b-instruct-alpha', namespace: 'default' },
        spec: { targetRef: { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha' }, default: { config: { type: 'HTTP', httpHealthCheck: { requestPath: '/healthz', port: 8000 } } } },
      },
    ];
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { manifests: CarriedManifest.fromObjects(stack) },
      gateway: { name: 'inference-gateway' },
      routeName: 'llm-route',
    });
    const stages = synthStages(migration);

    test('then the alpha objects are carried unchanged until cleanup and gone in cleanup', () => {
      for (const folder of ['01-side-by-side', '02-shift-50', '03-finalize']) {
        const objects = stages.get(folder)!;
        for (const original of stack) {
          expect(objects).toContainEqual(original);
        }
      }
      const cleanup = stages.get('04-cleanup')!;
      for (const original of stack) expect(cleanup).not.toContainEqual(original);
      expect(migration.baseline.map((m) => m.toJson())).toEqual(stack);
    });

    test('then objectives come from the InferenceModels by sign: Critical=1, Sheddable=-2, missing criticality=Standard=-1', () => {
      const objectives = stages.get('01-side-by-side')!.filter((o) => o.kind === 'InferenceObjective');
      expect(objectives.map((o) => [o.metadata.name, o.spec.priority])).toEqual([['food-review', 1], ['chat', -2], ['batch', -1]]);
    });

    test('then the GA pool copies the alpha pool\'s selector, port and failure mode, and its GKE policy gets a GA twin', () => {
      const objects = stages.get('01-side-by-side')!;
      const ga = objects.find((o) => o.kind === 'InferencePool' && o.apiVersion === 'inference.networking.k8s.io/v1');
      expect(ga.spec.selector.matchLabels).toEqual(SELECTOR);
      expect(ga.spec.targetPorts).toEqual([{ number: 8000 }]);
      expect(ga.spec.endpointPickerRef.failureMode).toBe('FailOpen');
      const twin = only(objects, 'HealthCheckPolicy', 'vllm-llama3-8b-instruct-ga');
      expect(twin.spec).toEqual({
        targetRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' },
        default: { config: { type: 'HTTP', httpHealthCheck: { requestPath: '/healthz', port: 8000 } } },
      });
      expect(only(stages.get('04-cleanup')!, 'HealthCheckPolicy').metadata.name).toBe('vllm-llama3-8b-instruct-ga');
    });

    test('then every stage validates', () => {
      for (const objects of stages.values()) expectValid(objects);
    });
  });

  test('given a route manifest from Git, then 01-side-by-side carries it unchanged and later stages keep its matches and timeouts', () => {
    const original = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'llm-route', namespace: 'default', labels: { team: 'ml' } },
      spec: {
        parentRefs: [{ name: 'inference-gateway' }],
        hostnames: ['llm.example.com'],
        rules: [{ backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha' }], timeouts: { request: '300s' } }],
      },
    };
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: SELECTOR } },
      routes: [{
        name: 'llm-route',
        parentRefs: [{ name: 'inference-gateway' }],
        hostnames: ['llm.example.com'],
        metadata: { labels: { team: 'ml' } },
        rules: [{ requestTimeout: Duration.seconds(300) }],
        manifest: CarriedManifest.fromObject(original),
      }],
    });
    const stages = synthStages(migration);
    expect(only(stages.get('01-side-by-side')!, 'HTTPRoute')).toEqual(original);
    const shifted = only(stages.get('02-shift-50')!, 'HTTPRoute');
    expect(shifted.metadata.labels).toEqual({ team: 'ml' });
    expect(shifted.spec.hostnames).toEqual(['llm.example.com']);
    expect(shifted.spec.rules[0].timeouts).toEqual({ request: '300s' });
    for (const objects of stages.values()) expectValid(objects);
  });

  describe('gateway implementations', () => {
    test.each([
      [GatewayImplementation.KGATEWAY, '2.0.4', /kgateway 2\.0\.x watches and resolves only the alpha InferencePool group/, /upgrade from 2\.0\.x to 2\.1 switches every Gateway/],
      [GatewayImplementation.ENVOY_AI_GATEWAY, 'v0.3.0', /Envoy AI Gateway v0\.3\.x's extension server accepts only the alpha group/, /requests to this route fail from the AI Gateway upgrade/],
    ])('given %p %s, which serves one group per release, then weighted-shift fails naming the gateway, the reason and cutover; without a strategy cutover is chosen with its window', (impl, version, why, window) => {
      const build = () => new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gatewayImplementation: impl, gatewayVersion: version, strategy: MigrationStrategy.WEIGHTED_SHIFT }));
      expect(build).toThrow(/m: 'strategy' "weighted-shift" cannot run on the Gateway default\/inference-gateway \(.*\): weighted-shift needs one gateway that serves both the alpha and the GA InferencePool/);
      expect(build).toThrow(why);
      expect(build).toThrow(/Use strategy: 'cutover' \(MigrationStrategy.CUTOVER\)/);
      const chosen = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gatewayImplementation: impl, gatewayVersion: version }));
      expect(chosen.strategy).toBe(MigrationStrategy.CUTOVER);
      expect(chosen.stages.map((st) => st.folderName)).toEqual(['01-side-by-side', '02-cutover', '03-cleanup']);
      expect(chosen.strategyChoice).toMatch(/^Strategy cutover was chosen because no strategy was given/);
      expect(chosen.stages[1].manualSteps.map((m) => m.text).join('\n')).toMatch(window);
      // A rollback of the cutover needs the previous control plane too: the README's "Roll back" says so.
      const rollback = chosen.stages[1].manualSteps.filter((m) => m.timing === ManualStepTiming.ROLLBACK);
      expect(rollback.map((m) => m.text)).toEqual([expect.stringMatching(/^Put back the .* control plane that served the alpha group, in the same window: .*a re-apply alone does not restore traffic\.$/)]);
      const readme = new GitOpsWriter({ outdir: 'out' }).renderMigrations([chosen]).files.find((f) => f.path.endsWith('/02-cutover/README.md'))!.content;
      expect(readme).toMatch(/## Roll back\n\nRe-apply the previous folder, `01-side-by-side` \(revert the promotion commit, or point the path back\), and also:\n\n1\. Put back the /);
      // No stage ever holds a rule with both an alpha and a GA backendRef.
      for (const objects of synthStages(chosen).values()) {
        for (const rule of only(objects, 'HTTPRoute').spec.rules) {
          expect(new Set(rule.backendRefs.map((r: any) => r.group)).size).toBe(1);
        }
      }
    });

    test.each([
      [GatewayImplementation.NGINX_GATEWAY_FABRIC, undefined, /NGINX Gateway Fabric never served the alpha InferencePool group/],
      [GatewayImplementation.KGATEWAY, '2.1.0', /kgateway 2\.1 and later serve only the v1 InferencePool group/],
      [GatewayImplementation.ENVOY_AI_GATEWAY, '0.4.0', /Envoy AI Gateway v0\.4\.0 and later accept only the v1 group/],
    ])('given %p %s, which does not serve the alpha group, then the plan is refused with that reason unless a second Gateway is given', (impl, version, why) => {
      const build = () => new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gatewayImplementation: impl, ...(version ? { gatewayVersion: version } : {}) }));
      expect(build).toThrow(/m: 'gatewayImplementation' ".*" .*cannot serve the alpha route on the Gateway default\/inference-gateway/);
      expect(build).toThrow(why);
      expect(build).toThrow(/or give parallelGateway/);
    });

    test('given the header-preview-cutover strategy, then a preview stage routes header traffic to GA and the cutover moves everything at once', () => {
      const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({
        gatewayImplementation: GatewayImplementation.GENERIC,
        strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
        matches: [{ path: { value: '/v1' } }],
      }));
      const stages = synthStages(migration);
      expect([...stages.keys()]).toEqual(['01-side-by-side', '02-preview', '03-cutover', '04-cleanup']);
      for (const objects of stages.values()) expectValid(objects);
      const preview = only(stages.get('02-preview')!, 'HTTPRoute');
      expect(preview.spec.rules).toEqual([
        {
          matches: [{ path: { type: 'PathPrefix', value: '/v1' }, headers: [{ name: 'x-inference-preview', type: 'Exact', value: 'ga' }] }],
          backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', weight: 100 }],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/v1' } }],
          backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-alpha', weight: 100 }],
        },
      ]);
      // No rule ever splits between the two pools.
      for (const objects of stages.values()) {
        for (const rule of only(objects, 'HTTPRoute').spec.rules) expect(rule.backendRefs).toHaveLength(1);
      }
      expect(routeWeights(stages.get('03-cutover')!)).toEqual([['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga', 100]]);
    });

    test('given GKE as provider, then the gateway implementation defaults to GKE, which can split', () => {
      const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gaPool: { provider: InferenceProvider.GKE } }));
      expect(migration.gatewayImplementation).toBe(GatewayImplementation.GKE);
      expect(migration.stages.map((s) => s.folderName)).toContain('02-shift-50');
    });

    test('given a gateway of unknown split support, then the shift stages carry a warning to verify first', () => {
      const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gatewayImplementation: GatewayImplementation.GENERIC }));
      expect(migration.strategy).toBe(MigrationStrategy.WEIGHTED_SHIFT);
      expect(migration.stages[1].warnings.join('\n')).toMatch(/Gateway implementation generic: Nothing is known about this implementation: verify a weighted alpha\/GA split in a test cluster first/);
    });
  });

  test('given labels and annotations for the GA pool, its EPP and the objectives, then every stage carries them', () => {
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({
      gaPool: { metadata: { labels: { team: 'ml' } }, endpointPicker: { metadata: { annotations: { 'example.com/owner': 'ml-platform' } } } },
      objectives: [{ name: 'chat', priority: 1, metadata: { labels: { tier: 'gold' } } }],
    }));
    for (const objects of synthStages(migration).values()) {
      expect(objects.find((o) => o.kind === 'InferencePool' && o.apiVersion === 'inference.networking.k8s.io/v1').metadata.labels).toEqual(expect.objectContaining({ team: 'ml' }));
      expect(only(objects, 'Deployment').metadata.annotations).toEqual({ 'example.com/owner': 'ml-platform' });
      expect(only(objects, 'InferenceObjective').metadata.labels).toEqual({ tier: 'gold' });
      expectValid(objects);
    }
  });

  describe('in a larger cdk8s app: one active stage per synth', () => {
    const synthApp = (build: (app: App) => void) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-'));
      const app = new App({ outdir });
      build(app);
      app.synth();
      const files = fs.readdirSync(outdir).sort();
      return { app, files, objects: files.flatMap((f) => parseYamlDocs(fs.readFileSync(path.join(outdir, f), 'utf8'))) };
    };

    test('given a migration inside a namespaced chart with a selected stage, then app.synth() renders that stage once, in the chart\'s namespace, in the chart\'s file', () => {
      let migration!: ZeroDowntimeMigration;
      const { files, objects } = synthApp((app) => {
        const platform = new Chart(app, 'llm-platform', { namespace: 'llm' });
        migration = new ZeroDowntimeMigration(platform, 'llm', referencedProps({ steps: [10, 50], activeStage: '03-shift-50' }));
      });
      expect(files).toEqual(['llm-platform.k8s.yaml']);
      const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(objects.filter((o) => o.kind === 'HTTPRoute')).toHaveLength(1);
      for (const o of objects.filter((x) => !x.kind.startsWith('Cluster'))) expect(o.metadata.namespace).toBe('llm');
      expect(routeWeights(objects)).toEqual([
        ['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha', 50],
        ['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga', 50],
      ]);
      expect(migration.namespace).toBe('llm');
      expect(migration.activeStage).toBe('03-shift-50');
      expect(migration.stages.map((st) => st.folderName)).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
      // The active copy equals the writer's stage, object for object.
      expect([...objects].sort(byKey)).toEqual([...GitOpsWriter.synthesizeStage(migration.stages[2])].sort(byKey));
      expectValid(objects);
    });

    test('given the same migration, then the GitOps writer still writes every stage, each in the chart\'s namespace', () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')) });
      const platform = new Chart(app, 'llm-platform', { namespace: 'llm' });
      new ZeroDowntimeMigration(platform, 'llm', referencedProps({ activeStage: '02-shift-50' }));
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-out-'));
      const [written] = new GitOpsWriter({ outdir: out }).writeAll(app);
      expect(written.stages.map((st) => st.folder)).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
      const plan = JSON.parse(fs.readFileSync(path.join(out, 'llm', 'plan.json'), 'utf8'));
      expect(plan.namespace).toBe('llm');
      for (const stage of plan.stages) {
        for (const o of stage.objects.filter((x: any) => !x.kind.startsWith('Cluster'))) expect(o.namespace).toBe('llm');
      }
    });

    test('given the context key instead of the prop, then it selects the stage (cdk8s context, set on the app)', () => {
      let migration!: ZeroDowntimeMigration;
      const { objects } = synthApp((app) => {
        app.node.setContext(StageSelection.contextKey('llm'), '03-finalize');
        migration = new ZeroDowntimeMigration(new Chart(app, 'platform'), 'llm', referencedProps());
      });
      expect(migration.activeStage).toBe('03-finalize');
      expect(routeWeights(objects)).toEqual([['inference.networking.k8s.io/vllm-llama3-8b-instruct-ga', 100]]);
    });

    test('given no selection, then synthesizing the app fails and says how to select a stage, while the writer still writes', () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')) });
      const migration = new ZeroDowntimeMigration(new Chart(app, 'platform'), 'llm', referencedProps());
      expect(migration.activeStage).toBeUndefined();
      expect(() => app.synth()).toThrow(/no active stage of migration llm is selected.*'activeStage' prop.*app\.node\.setContext\('inference-migration:llm:active-stage', '<stage>'\).*Stages: 01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup/s);
      expect(new GitOpsWriter({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'compose-out-')) }).writeAll(app)).toHaveLength(1);
    });

    test('given a migration directly under the app, then its active stage is a chart of its own', () => {
      const { files, objects } = synthApp((app) => {
        new ZeroDowntimeMigration(app, 'llm', referencedProps({ activeStage: '01-side-by-side' }));
      });
      expect(files).toHaveLength(1);
      expect(routeWeights(objects)).toEqual([['inference.networking.x-k8s.io/vllm-llama3-8b-instruct-alpha', 100]]);
    });

    test('given an unknown stage, then the error lists the stage folders and names', () => {
      expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ activeStage: '02-shift-10' })))
        .toThrow(/^m: 'activeStage' must name a stage by folder \(01-side-by-side, 02-shift-50, 03-finalize, 04-cleanup\) or by name \(side-by-side, shift-50, finalize, cleanup\) \(got "02-shift-10"\)$/);
      const app = Testing.app();
      app.node.setContext(StageSelection.contextKey('m'), 'shift-10');
      expect(() => new ZeroDowntimeMigration(app, 'm', referencedProps()))
        .toThrow(/^m: the context key inference-migration:m:active-stage must name a stage by folder \(01-side-by-side, .*\(got "shift-10"\)$/);
    });

    test.each([
      ['the prop', 'cleanup', undefined],
      ['the prop', 'shift-50', undefined],
      ['the context key', undefined, 'finalize'],
    ])('given a stage named by its role through %s, then it selects the stage whatever its position', (_how, prop, context) => {
      // Given steps that move every stage's position (10 and 50: shift-50 is 03-shift-50, cleanup 05-cleanup)
      let migration!: ZeroDowntimeMigration;
      synthApp((app) => {
        if (context !== undefined) app.node.setContext(StageSelection.contextKey('llm'), context);
        migration = new ZeroDowntimeMigration(new Chart(app, 'platform'), 'llm', referencedProps({ steps: [10, 50], ...(prop !== undefined ? { activeStage: prop } : {}) }));
      });
      // Then the active stage is the folder of that role
      expect(migration.activeStage).toBe({ 'cleanup': '05-cleanup', 'shift-50': '03-shift-50', 'finalize': '04-finalize' }[(prop ?? context)!]);
    });

    test('given the writer\'s layout with a user\'s chart beside the migration, then the writer finds only the migration', () => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'compose-')) });
      const platform = new Chart(app, 'platform');
      GuideExamples.zeroDowntime(platform, 'llm');
      expect(GitOpsWriter.findMigrations(app).map((m) => m.migrationName)).toEqual(['llm']);
    });
  });

  describe('bad input', () => {
    const build = (props: Partial<ZeroDowntimeMigrationProps>) => () => new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps(props));

    test.each([
      [[50, 10], /'steps' must increase: steps\[1\] \(10\) is not above steps\[0\] \(50\), and the GA weight may never decrease/],
      [[0], /'steps' must hold integers in 1\.\.99: steps\[0\] is 0/],
      [[100], /'steps' must hold integers in 1\.\.99: steps\[0\] is 100/],
      [[12.5], /'steps' must hold integers in 1\.\.99: steps\[0\] is 12.5/],
      [[], /'steps' must be a non-empty list of increasing integers in 1\.\.99/],
    ])('steps %p are rejected', (steps, message) => {
      expect(build({ steps })).toThrow(message);
    });

    test('a GA pool selecting other pods is rejected unless allowed', () => {
      expect(build({ gaPool: { modelServerSelector: { app: 'other' } } }))
        .toThrow(/m: 'gaPool.modelServerSelector' must select the same model-server pods as the alpha pool \(selector \{"app":"vllm-llama3-8b-instruct"\}, port 8000\); got selector \{"app":"other"\}, port 8000\. Set allowSelectorChange/);
      const allowed = new ZeroDowntimeMigration(Testing.app(), 'm', referencedProps({ gaPool: { modelServerSelector: { app: 'other' } }, allowSelectorChange: true }));
      expect(allowed.warnings.join('\n')).toMatch(/selects other pods than the alpha pool/);
    });

    test('a GA target port other than the alpha pool\'s is rejected', () => {
      expect(build({ gaPool: { targetPort: 9000 } })).toThrow(/got selector \{"app":"vllm-llama3-8b-instruct"\}, port 9000/);
    });

    test('a GA pool named like the alpha pool is rejected', () => {
      expect(build({ gaPool: { name: 'vllm-llama3-8b-instruct-alpha' } })).toThrow(/'gaPool.name' must differ from the alpha pool "vllm-llama3-8b-instruct-alpha"/);
    });

    test('a missing gateway is rejected', () => {
      expect(() => new ZeroDowntimeMigration(Testing.app(), 'm', { alphaPool: referencedProps().alphaPool })).toThrow(/m: 'gateway' is required/);
    });

    test('a GIE release without both pool APIs is rejected', () => {
      expect(build({ gieVersion: 'v1.5.0' })).toThrow(/'gieVersion' must be a bridge release from v1.0.0 to v1.4.x, whose CRDs serve both the alpha and the GA InferencePool: v1.5.0 no longer serves the v1alpha2 InferencePool/);
    });

    test('an alpha CRD release outside v0.2.0..v0.5.1 is rejected; v0.2.x, the first v1alpha2 release, is accepted', () => {
      expect(build({ alphaCrdVersion: 'v1.0.0' })).toThrow(/'alphaCrdVersion' must be an alpha-only GIE release from v0.2.0 to v0.5.1/);
      expect(build({ alphaCrdVersion: 'v0.1.0' })).toThrow(/'alphaCrdVersion' must be an alpha-only GIE release from v0.2.0 to v0.5.1/);
      expect(build({ alphaCrdVersion: 'v0.2.0' })).not.toThrow();
    });

    test('a malformed GKE version is rejected', () => {
      expect(build({ gkeVersion: '1.34' })).toThrow(/'gkeVersion' must look like 1.34.0-gke.1626000/);
    });

    test('header-preview-cutover takes a route whose doubled pool rules fill the 16 rules an HTTPRoute may hold, and refuses one more', () => {
      // Given routes of 8 pool rules (16 once doubled), of 9, and of 8 plus one rule to another backend
      const poolRules = (n: number) => Array.from({ length: n }, (_, i) => ({ matches: [{ path: { value: `/v${i}` } }] }));
      const route = (rules: number, otherRules: number) => build({
        strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
        gateway: undefined,
        routeName: undefined,
        routes: [{
          name: 'llm-route',
          parentRefs: [{ name: 'inference-gateway' }],
          rules: poolRules(rules),
          otherRules: Array.from({ length: otherRules }, (_, i) => ({ matches: [{ path: { value: `/web${i}` } }], backendRefs: [{ name: 'web', port: 80 }] })),
        }],
      });
      // When each migration is built
      // Then 16 rules are the limit the Gateway API's HTTPRoute schema allows (maxItems 16), counted after doubling
      const refusal = /'routes' have too many rules for the header-preview-cutover strategy, which doubles each pool rule: at most 16 rules per HTTPRoute/;
      expect(route(8, 0)).not.toThrow();
      expect(route(9, 0)).toThrow(refusal);
      expect(route(8, 1)).toThrow(refusal);
    });

    test('steps with the header-preview-cutover strategy are rejected', () => {
      expect(build({ strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER, steps: [50] })).toThrow(/'steps' has no meaning with the header-preview-cutover strategy/);
    });

    test('a namespace other than the alpha pool\'s is rejected', () => {
      expect(build({ namespace: 'other', alphaPool: { existing: { name: 'a-alpha', namespace: 'models', modelServerSelector: SELECTOR } } }))
        .toThrow(/^m: conflicting namespaces: 'namespace' is "other", but the alpha pool a-alpha is in namespace "models"; the GA pool selects the same model-server pods, which live in the alpha pool's namespace: set 'namespace' to "models", or leave it out$/);
    });

    test('a duplicate objective is rejected', () => {
      expect(build({ objectives: [{ name: 'a' }, { name: 'a' }] })).toThrow(/'objectives\[1\].name' repeats "a"/);
    });
  });
});
