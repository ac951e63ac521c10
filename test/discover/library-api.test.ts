// Planning from existing manifests as a cdk8s app does it: only the package's exported API (src/index.ts)
// and cdk8s, no internal module.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml } from 'cdk8s';
import {
  GatewayImplementation, GitOpsWriter, InferenceMigrationPlan, KServeMigrationPlan, ManifestSource, ManifestValidator, MigrationStrategy,
  ZeroDowntimeMigration,
} from '../../src';
import { ONE_POOL_ALPHA_STACK } from '../fixtures/one-pool';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const ONE_POOL = path.join(FIXTURES, 'one-pool');

/** The fixture's files as one YAML stream, in file order. */
function oneStream(dir: string): string {
  const files = ['apps/llm/httproute.yaml', 'apps/llm/inference-models.yaml', 'apps/llm/model-server.yaml', 'apps/llm/vllm-llama3-8b-instruct-alpha.yaml', 'infra/gateway.yaml'];
  return files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').replace(/^---\n/, '')).join('---\n');
}

/** Every object of every stage of the migrations, synthesized. */
function stageObjects(migrations: ZeroDowntimeMigration[]): any[] {
  return migrations.flatMap((m) => m.stages).flatMap((stage) => GitOpsWriter.synthesizeStage(stage));
}

describe('InferenceMigrationPlan (library)', () => {
  test('given a directory, then one migration per alpha pool is planned, with where everything came from', () => {
    const plan = InferenceMigrationPlan.fromDirectory(ONE_POOL);

    expect(plan.warnings).toEqual([]);
    expect(plan.migrations).toHaveLength(1);
    const m = plan.migrations[0];
    expect(m).toMatchObject({
      name: 'vllm-llama3-8b-instruct',
      namespace: 'default',
      alphaPoolName: 'vllm-llama3-8b-instruct-alpha',
      alphaPoolLocation: { file: 'apps/llm/vllm-llama3-8b-instruct-alpha.yaml', line: 136 },
      gaPoolName: 'vllm-llama3-8b-instruct-ga',
    });
    expect(m.routes).toEqual([{ kind: 'HTTPRoute', name: 'llm-route', namespace: 'default', file: 'apps/llm/httproute.yaml', line: 1 }]);
    expect(m.carried.map((c) => `${c.kind} ${c.name}`)).toEqual(ONE_POOL_ALPHA_STACK);
    expect(m.carried.find((c) => c.kind === 'ClusterRole')!.namespace).toBeUndefined();
  });

  test('given a directory, when the migrations are added to an app, then their stages are complete and every object validates', () => {
    const app = Testing.app();

    const migrations = InferenceMigrationPlan.fromDirectory(ONE_POOL, { steps: [10, 50] }).addMigrations(app);

    expect(migrations.map((m) => m.migrationName)).toEqual(['vllm-llama3-8b-instruct']);
    expect(migrations[0].stages.map((s) => s.folderName)).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
    const objects = stageObjects(migrations);
    expect(objects.filter((o) => o.kind === 'InferencePool' && o.apiVersion === 'inference.networking.k8s.io/v1').map((o) => o.metadata.name))
      .toEqual(Array(5).fill('vllm-llama3-8b-instruct-ga'));
    expect(migrations[0].gieVersion).toBe('v1.4.0');
    expect(new ManifestValidator({ crdBundles: migrations[0].validationBundles }).validate(objects).problems).toEqual([]);
    const readme = migrations[0].stages[0].manualSteps.map((s) => s.text).join('\n');
    expect(readme).toContain('- `apps/llm/httproute.yaml`: HTTPRoute llm-route (line 1)');
  });

  test('given an active stage, then app.synth() renders that stage of every migration; without one, it says how to select one', () => {
    const plan = InferenceMigrationPlan.fromDirectory(ONE_POOL);
    const selected = Testing.app();
    plan.addMigrations(selected, { activeStage: '02-shift-50' });
    const active = selected.node.findAll().filter((c): c is Chart => c instanceof Chart && c.node.id === 'Default');
    expect(active).toHaveLength(1);
    const objects = Testing.synth(active[0]);
    expect(objects.find((o) => o.kind === 'HTTPRoute').spec.rules[0].backendRefs.map((b: any) => b.weight)).toEqual([50, 50]);

    const unselected = Testing.app();
    plan.addMigrations(unselected);
    expect(() => unselected.synth()).toThrow(/no active stage of migration vllm-llama3-8b-instruct is selected/);
  });

  test('given the same manifests as a YAML stream or as ApiObjects, then the same migration is planned', () => {
    const fromDir = InferenceMigrationPlan.fromDirectory(ONE_POOL).migrations[0];
    const fromYaml = InferenceMigrationPlan.fromYaml(oneStream(ONE_POOL), { name: 'all.yaml' }).migrations[0];
    const chart = new Chart(Testing.app(), 'existing');
    const docs = Yaml.load(path.join(ONE_POOL, 'apps', 'llm', 'vllm-llama3-8b-instruct-alpha.yaml'))
      .concat(Yaml.load(path.join(ONE_POOL, 'apps', 'llm', 'inference-models.yaml')), Yaml.load(path.join(ONE_POOL, 'apps', 'llm', 'httproute.yaml')));
    const apiObjects = docs.map((d, i) => new ApiObject(chart, `o${i}`, d));
    const fromApiObjects = InferenceMigrationPlan.fromSource(ManifestSource.fromApiObjects(apiObjects)).migrations[0];

    for (const m of [fromYaml, fromApiObjects]) {
      expect(m.name).toBe(fromDir.name);
      expect(m.gaPoolName).toBe(fromDir.gaPoolName);
      expect(m.carried.map((c) => `${c.kind} ${c.name}`)).toEqual(fromDir.carried.map((c) => `${c.kind} ${c.name}`));
    }
    expect(fromYaml.alphaPoolLocation).toEqual({ file: 'all.yaml', line: fromYaml.alphaPoolLocation.line });
    expect(fromApiObjects.alphaPoolLocation).toEqual({ file: 'existing/o5', line: 0 });
  });

  test('given options, then they shape every migration; options that cannot work are refused before reading', () => {
    const plan = InferenceMigrationPlan.fromDirectory(ONE_POOL, {
      gatewayImplementation: GatewayImplementation.GENERIC,
      strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
      gaNameSuffix: '-v1',
    });
    const app = Testing.app();
    expect(plan.addMigrations(app)[0].stages.map((s) => s.folderName)).toEqual(['01-side-by-side', '02-preview', '03-cutover', '04-cleanup']);
    expect(plan.migrations[0].gaPoolName).toBe('vllm-llama3-8b-instruct-v1');

    const kgateway = { gatewayImplementation: GatewayImplementation.KGATEWAY };
    const chosen = InferenceMigrationPlan.fromDirectory(ONE_POOL, kgateway).addMigrations(Testing.app())[0];
    expect(chosen.strategy).toBe(MigrationStrategy.CUTOVER);
    expect(chosen.strategyChoice).toMatch(/no strategy was given and kgateway needs it: kgateway serves one InferencePool group per release line/);
    const explicit = InferenceMigrationPlan.fromDirectory(ONE_POOL, { ...kgateway, strategy: MigrationStrategy.WEIGHTED_SHIFT });
    expect(() => explicit.addMigrations(Testing.app()))
      .toThrow(/'strategy' "weighted-shift" cannot run on the Gateway default\/inference-gateway \(kgateway\).*serves one InferencePool group per release line.*Use strategy: 'cutover'/);
    expect(() => InferenceMigrationPlan.fromDirectory(ONE_POOL, { strategy: MigrationStrategy.CUTOVER, steps: [10] }))
      .toThrow(/^plan options: 'steps' cannot be combined with the cutover strategy, which does not move traffic by weight/);
  });

  test('given a name that would inject shell into a README command, then it is refused with its file and line', () => {
    const text = oneStream(ONE_POOL).replace('  extensionRef:\n    name: vllm-llama3-8b-instruct-alpha-epp', '  extensionRef:\n    name: "x; touch pwned #"');
    expect(text).toContain('x; touch pwned #');

    expect(() => InferenceMigrationPlan.fromYaml(text, { name: 'all.yaml' }))
      .toThrow(/^all\.yaml:\d+: InferencePool default\/vllm-llama3-8b-instruct-alpha: 'spec\.extensionRef\.name' must be a lowercase RFC 1035 label: .* \(got "x; touch pwned #"\): it names the Endpoint Picker's Service$/);
  });

  test('given a directory with nothing to migrate, then the plan is empty', () => {
    expect(InferenceMigrationPlan.fromDirectory(path.join(FIXTURES, 'nothing')).migrations).toEqual([]);
  });

  test('given a migration written by the GitOpsWriter next to the input, then planning again skips the written folders', () => {
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'library-api-')));
    try {
      fs.cpSync(ONE_POOL, repo, { recursive: true });
      const app = new App({ outdir: path.join(repo, 'dist') });
      InferenceMigrationPlan.fromDirectory(repo).addMigrations(app);
      new GitOpsWriter({ outdir: path.join(repo, 'migrations') }).writeAll(app);

      const again = InferenceMigrationPlan.fromDirectory(repo);

      expect(again.migrations.map((m) => m.name)).toEqual(['vllm-llama3-8b-instruct']);
      expect(again.source.skipped.map((s) => s.file)).toEqual(['migrations/vllm-llama3-8b-instruct/']);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('ManifestSource (library)', () => {
  test('given a directory with a chart and a template, then they are listed as notable skips and the objects are counted', () => {
    const source = ManifestSource.fromDirectory(path.join(FIXTURES, 'kustomize-helm'));

    expect(source.objectCount).toBeGreaterThan(0);
    expect(source.skipped.filter((s) => s.notable).map((s) => s.file)).toEqual(['charts/vllm/Chart.yaml', 'stray-template.yaml']);
  });

  test('given text above the size limit or malformed, then it is an error naming the input', () => {
    expect(() => ManifestSource.fromYaml('a: [\n', { name: 'x.yaml' })).toThrow(/^x\.yaml:2: malformed yaml: /);
    expect(() => ManifestSource.fromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', { maxFileSize: 10 })).toThrow(/^manifests\.yaml: is 51 bytes, above the size limit of 10 bytes/);
    expect(() => ManifestSource.fromDirectory(FIXTURES, { maxFileSize: 0 })).toThrow(/'maxFileSize' must be a positive integer/);
  });
});

describe('KServeMigrationPlan (library)', () => {
  test('given the manifests that install KServe, then the ConfigMap and controller are found and carried by the migration', () => {
    const plan = KServeMigrationPlan.fromDirectory(path.join(FIXTURES, 'kserve'));
    const app = Testing.app();

    const migration = plan.addMigration(app, 'kserve-gateway-api', { tlsSecretName: 'my-secret' });

    expect(plan.kserveNamespace).toBe('kserve');
    expect(plan.configMapLocation.file).toBe('kserve.yaml');
    expect(plan.controllerDeploymentLocation?.file).toBe('kserve.yaml');
    expect(migration.stages.map((s) => s.folderName)).toEqual(['01-gateway', '02-enable-gateway-api', '03-verify']);
  });

  test('given a ConfigMap whose ingress JSON is malformed, or a controller Deployment that is not valid, then the error names its file and line', () => {
    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inferenceservice-config\n  namespace: kserve\ndata:\n  ingress: "{not json"\n';
    const controller = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kserve-controller-manager\n  namespace: kserve\nspec:\n  replicas: many\n';

    expect(() => KServeMigrationPlan.fromYaml(config, { name: 'kserve.yaml' })).toThrow(/^kserve\.yaml:1: plan-kserve: data\.ingress of ConfigMap kserve\/inferenceservice-config is not valid JSON/);
    expect(() => KServeMigrationPlan.fromYaml(`${config.replace('{not json', '{}')}---\n${controller}`, { name: 'kserve.yaml' }))
      .toThrow(/^kserve\.yaml:15: input does not pass validation: Deployment kserve\/kserve-controller-manager: spec\.(replicas|selector): /m);
  });

  test('given manifests without KServe, then the error says what is missing', () => {
    expect(() => KServeMigrationPlan.fromDirectory(ONE_POOL)).toThrow(/no ConfigMap inferenceservice-config found/);
  });
});
