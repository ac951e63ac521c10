// The app of test/languages in TypeScript, the reference the Python, Java and Go apps are compared with, byte for
// byte: the README's quick start written with GitOpsWriter, a stage selected inside a namespaced chart (the EPP's
// env, resources, pull policy and flags set), and a prop error. Run from a directory of its own; it writes out/.
//
//   node main.js          writes out/migrations (every stage) and out/dist (app.synth), prints the stages
//   node main.js error    prints the error a wrong prop raises, as this language sees it
import { ApiObject, App, Chart } from 'cdk8s';
import { GitOpsWriter, ImagePullPolicy, ZeroDowntimeMigration } from 'cdk8s-inference-migration';

/** The README's quick start: every stage of the migration as GitOps folders. */
function quickStart(): void {
  const app = new App();
  new ZeroDowntimeMigration(app, 'vllm-llama3-8b-instruct', {
    alphaPool: {
      existing: {
        name: 'vllm-llama3-8b-instruct-alpha',
        modelServerSelector: { app: 'vllm-llama3-8b-instruct' },
        targetPort: 8000,
      },
    },
    gaPool: { name: 'vllm-llama3-8b-instruct-ga' },
    objectives: [
      { name: 'food-review', priority: 1 },
      { name: 'base-model', priority: 2 },
    ],
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
    steps: [10, 50],
  });
  new GitOpsWriter({ outdir: 'out/migrations', validate: true }).writeAll(app);
}

/** A larger app: a chart of its own, and the migration's selected stage in a namespaced chart. */
function composition(steps: number[]): ZeroDowntimeMigration {
  const app = new App({ outdir: 'out/dist' });
  const web = new Chart(app, 'web', { namespace: 'frontend' });
  new ApiObject(web, 'site', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'site' } });
  const platform = new Chart(app, 'llm-platform', { namespace: 'llm' });
  const migration = new ZeroDowntimeMigration(platform, 'llm', {
    alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } } },
    gaPool: {
      name: 'vllm-llama3-8b-instruct-ga',
      endpointPicker: {
        imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
        flags: { 'v': '2', 'kv-cache-usage-percentage-metric': 'vllm:gpu_cache_usage_perc' },
        env: [
          { name: 'GOMEMLIMIT', value: '7GiB' },
          { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } },
        ],
        resources: { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '8Gi' } },
      },
    },
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
    steps,
    activeStage: '02-shift-10',
  });
  app.synth();
  return migration;
}

if (process.argv[2] === 'error') {
  try {
    composition([50, 10]);
    process.exit(1);
  } catch (err) {
    console.log(`${(err as Error).constructor.name}: ${(err as Error).message}`);
  }
} else {
  quickStart();
  const migration = composition([10, 50]);
  console.log(`stages: ${migration.stages.map((s) => s.folderName).join(' ')}`);
  console.log(`active: ${migration.activeStage}`);
}
