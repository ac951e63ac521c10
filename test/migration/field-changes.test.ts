import { ApiObject, Testing } from 'cdk8s';
import { GitOpsWriter, Promotion } from '../../src';
import { GuideExamples } from '../../src/examples/guide-examples';
import { FieldChange, fieldChanges, formatFieldChange, showFieldValue } from '../../src/migration/field-changes';

const ALPHA = { group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: 'vllm-alpha' };
const GA = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-ga' };

function route(...backendRefs: any[]): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'llm-route', namespace: 'default' },
    spec: { parentRefs: [{ name: 'inference-gateway' }], rules: [{ backendRefs, matches: [{ path: { type: 'PathPrefix', value: '/' } }] }] },
  };
}

function lines(changes: FieldChange[]): string[] {
  return changes.map(formatFieldChange);
}

describe('fieldChanges', () => {
  test('a weight change names the backendRef by group, kind and name', () => {
    // Given a route at 50/50 and the same route at 0/100
    const before = route({ ...ALPHA, weight: 50 }, { ...GA, weight: 50 });
    const after = route({ ...ALPHA, weight: 0 }, { ...GA, weight: 100 });

    // Then each weight is one change, keyed by the backend, not by its index
    expect(lines(fieldChanges(before, after))).toEqual([
      'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha].weight: 50 -> 0',
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight: 50 -> 100',
    ]);
  });

  test('an unset field shows as (unset); an added or removed backendRef is one change (removals after what stays)', () => {
    const before = route({ ...ALPHA });
    const shift = route({ ...ALPHA, weight: 50 }, { ...GA, weight: 50 });
    expect(lines(fieldChanges(before, shift))).toEqual([
      'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha].weight: (unset) -> 50',
      'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga]: (unset) -> {group: inference.networking.k8s.io, kind: InferencePool, name: vllm-ga, weight: 50}',
    ]);
    const finalize = route({ ...GA, weight: 100 });
    expect(fieldChanges(shift, finalize)).toEqual([
      { path: 'spec.rules[0].backendRefs[inference.networking.k8s.io/InferencePool/vllm-ga].weight', before: 50, after: 100 },
      { path: 'spec.rules[0].backendRefs[inference.networking.x-k8s.io/InferencePool/vllm-alpha]', before: { ...ALPHA, weight: 50 } },
    ]);
  });

  test('a core Service backend is keyed Service/name; equal objects have no changes', () => {
    const before = route({ name: 'svc', port: 80, weight: 1 });
    const after = route({ name: 'svc', port: 8080, weight: 1 });
    expect(lines(fieldChanges(before, after))).toEqual(['spec.rules[0].backendRefs[Service/svc].port: 80 -> 8080']);
    expect(fieldChanges(before, structuredClone(before))).toEqual([]);
  });

  test('containers, env and ports are keyed by name; args compare as one list; env values never show', () => {
    // Given an EPP Deployment whose sidecar comes first after the change, with a new flag and a changed secret env value
    const container = (args: string[], token: string) => ({
      name: 'epp',
      args,
      env: [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }, { name: 'TOKEN', value: token }],
      ports: [{ name: 'grpc', containerPort: 9002 }, { name: 'metrics', containerPort: 9090 }],
    });
    const deployment = (containers: any[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers } } } });
    const before = deployment([container(['--pool-name', 'p'], 'hunter22'), { name: 'sidecar', image: 'a' }]);
    const after = deployment([{ name: 'sidecar', image: 'b' }, container(['--pool-name', 'p', '--pool-group', 'g'], 'correct-horse')]);

    const shown = lines(fieldChanges(before, after));
    expect(shown).toEqual([
      'spec.template.spec.containers[sidecar].image: a -> b',
      'spec.template.spec.containers[epp].args: [--pool-name, p] -> [--pool-name, p, --pool-group, g]',
      'spec.template.spec.containers[epp].env[TOKEN].value: <redacted> -> <redacted>',
      'spec.template.spec.containers (order): [epp, sidecar] -> [sidecar, epp]',
    ]);
    expect(shown.join('\n')).not.toMatch(/hunter22|correct-horse/);
  });

  test('a new env var shows its name, not its value; Secret data never shows', () => {
    const pod = (env: any[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', env }] } });
    expect(lines(fieldChanges(pod([]), pod([{ name: 'MODEL_NAME', value: 's3cr3t-value' }])))).toEqual([
      'spec.containers[c].env[MODEL_NAME]: (unset) -> {name: MODEL_NAME, value: <redacted>}',
    ]);
    // A name that says it holds a secret: nothing of it shows but the path (validation/redact's rule).
    expect(lines(fieldChanges(pod([]), pod([{ name: 'API_KEY', value: 's3cr3t-value' }])))).toEqual([
      'spec.containers[c].env[API_KEY]: (unset) -> <redacted>',
    ]);
    const secret = (data: any) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data });
    expect(lines(fieldChanges(secret({ a: 'b2xk' }), secret({ a: 'bmV3', b: 'eA==' })))).toEqual([
      'data.a: <redacted> -> <redacted>',
      'data.b: (unset) -> <redacted>',
    ]);
  });

  test('a list item without its key is compared by index; annotations with dots go in brackets', () => {
    const role = (verbs: string[], wave?: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', ...(wave ? { annotations: { 'argocd.argoproj.io/sync-wave': wave } } : {}) },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs }],
    });
    expect(lines(fieldChanges(role(['get']), role(['get', 'list'], '0')))).toEqual([
      'metadata.annotations: (unset) -> {argocd.argoproj.io/sync-wave: "0"}',
      'rules[0].verbs: [get] -> [get, list]',
    ]);
    expect(lines(fieldChanges(role(['get'], '0'), role(['get'], '1')))).toEqual([
      'metadata.annotations[argocd.argoproj.io/sync-wave]: "0" -> "1"',
    ]);
  });

  describe('a list whose items repeat a key (two env vars of one name: the API server keeps both)', () => {
    const job = (first: string, second: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'model-loader', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'loader' } },
        template: {
          metadata: { labels: { app: 'loader' } },
          spec: { containers: [{ name: 'loader', image: 'busybox:1.36', env: [{ name: 'MODEL_DIR', value: first }, { name: 'MODEL_DIR', value: second }] }] },
        },
      },
    });

    test('given a change to the first of the two, then it is one change at its index, not lost under the second', () => {
      // Given the same name twice (kubectl and the API server accept it; the last value wins in the container)
      const changes = fieldChanges(job('/models/a', '/models/b'), job('/models/c', '/models/b'));

      // Then the change is listed, by index since the name cannot tell the items apart; values stay redacted
      expect(lines(changes)).toEqual(['spec.template.spec.containers[loader].env[0].value: <redacted> -> <redacted>']);
    });

    test('given a change to the second of the two, then it is listed at index 1', () => {
      expect(fieldChanges(job('/models/a', '/models/b'), job('/models/a', '/models/c')).map((c) => c.path))
        .toEqual(['spec.template.spec.containers[loader].env[1].value']);
    });

    test('given a migration whose stages differ only there, then the stage README, status and the pull request each show the change', () => {
      // Given the guide's migration, with a Deployment that changes the first of its two MODEL_DIR values between
      // the first and the second stage
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
  });

  test('a string holding a JSON object is compared inside it, as a JSON pointer after #', () => {
    const cm = (ingress: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferenceservice-config' }, data: { ingress: JSON.stringify(ingress, null, 2) } });
    const before = cm({ ingressGateway: 'knative-serving/knative-ingress-gateway', ingressDomain: 'example.com' });
    const after = cm({ ingressGateway: 'knative-serving/knative-ingress-gateway', ingressDomain: 'example.com', enableGatewayApi: true, kserveIngressGateway: 'kserve/kserve-ingress-gateway' });
    expect(lines(fieldChanges(before, after))).toEqual([
      'data.ingress#/enableGatewayApi: (unset) -> true',
      'data.ingress#/kserveIngressGateway: (unset) -> kserve/kserve-ingress-gateway',
    ]);
  });

  test('long values are cut in the line, never in the data', () => {
    const long = 'x'.repeat(500);
    expect(showFieldValue(long)).toMatch(/… \(500 characters\)$/);
    expect(showFieldValue(long).length).toBeLessThan(200);
    expect(fieldChanges({ kind: 'ConfigMap', data: { a: 'y' } }, { kind: 'ConfigMap', data: { a: long } })).toEqual([{ path: 'data.a', before: 'y', after: long }]);
  });
});
