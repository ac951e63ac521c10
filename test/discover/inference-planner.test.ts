import * as path from 'path';
import { planRepo } from '../../src/discover/inference-planner';
import { parseYamlText, readRepo, RepoContents } from '../../src/discover/repo-reader';
import { InferenceProvider } from '../../src/inference/types';
import { GatewayImplementation } from '../../src/migration/gateway-implementation';
import { MigrationStrategy } from '../../src/migration/migration-strategy';
import { ONE_POOL_ALPHA_STACK } from '../fixtures/one-pool';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const fixture = (name: string) => readRepo(path.join(FIXTURES, name));

/** A repo made of in-memory files. */
function repoOf(files: { [file: string]: string }): RepoContents {
  const objects = Object.entries(files).flatMap(([file, text]) => parseYamlText(text, file).objects);
  return { root: 'repo', files: Object.keys(files), objects, skipped: [] };
}

const pool = (name: string, ns: string, epp = `${name}-epp`) => `apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferencePool
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector:
    app: vllm
  targetPortNumber: 8000
  extensionRef:
    name: ${epp}
`;
const route = (name: string, ns: string, ...pools: string[]) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  parentRefs:
  - name: gw
  rules:
${pools.map((p) => `  - backendRefs:\n    - group: inference.networking.x-k8s.io\n      kind: InferencePool\n      name: ${p}\n`).join('')}`;
const model = (name: string, ns: string, poolName: string) => `apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferenceModel
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  modelName: ${name}
  poolRef:
    name: ${poolName}
`;
const kinds = (objs: Array<{ kind: string; name: string }>) => objs.map((o) => `${o.kind} ${o.name}`);

describe('planRepo', () => {
  test('given one pool rendered by the chart, then its models, EPP objects and route form one migration', () => {
    const plan = planRepo(fixture('one-pool'));

    expect(plan.warnings).toEqual([]);
    expect(plan.migrations).toHaveLength(1);
    const m = plan.migrations[0];
    expect(m.name).toBe('vllm-llama3-8b-instruct');
    expect(m.gaPoolName).toBe('vllm-llama3-8b-instruct-ga');
    expect(m.namespace).toBe('default');
    expect(kinds(m.props.alphaPool.manifests!)).toEqual(ONE_POOL_ALPHA_STACK);
    expect(m.props.routes!.map((r) => `${r.namespace}/${r.name}`)).toEqual(['default/llm-route']);
    expect(m.props.gaPool).toEqual({ name: 'vllm-llama3-8b-instruct-ga' });
    expect(m.props.gatewayImplementation).toBeUndefined();
    expect(m.manualSteps[0].stage).toBe('first');
    expect(m.manualSteps[0].text).toMatch(/^Hand the carried objects over without a prune deleting them\. .* So first, in their old place \(paths relative to the directory that was planned\), mark each of these objects/);
    expect(m.manualSteps[0].text).toContain('Argo CD: `argocd.argoproj.io/sync-options: Prune=false`; Flux: `kustomize.toolkit.fluxcd.io/prune: disabled`');
    expect(m.manualSteps.slice(1, 3).map((s) => [s.stage, s.afterSync])).toEqual([['first', true], ['first', true]]);
    expect(m.manualSteps[1].text).toMatch(/^Check that the new owner holds every carried object before the old place is cleaned/);
    expect(m.manualSteps[1].commands).toEqual([
      expect.stringMatching(/^kubectl get clusterrolebinding\.rbac\.authorization\.k8s\.io\/vllm-llama3-8b-instruct-alpha-epp clusterrole\.rbac\.authorization\.k8s\.io\/vllm-llama3-8b-instruct-alpha-epp -o jsonpath='\{range \.items\[\*\]\}/),
      expect.stringMatching(/^kubectl get -n default inferencepool\.inference\.networking\.x-k8s\.io\/vllm-llama3-8b-instruct-alpha .* httproute\.gateway\.networking\.k8s\.io\/llm-route -o jsonpath=/),
    ]);
    expect(m.manualSteps[2].text).toMatch(/^Only then remove the carried objects from their old place/);
    expect(m.manualSteps[0].text).toContain('- `apps/llm/inference-models.yaml`: InferenceModel food-review (line 1), InferenceModel base-model (line 12)');
    expect(m.manualSteps[0].text).toContain('- `apps/llm/httproute.yaml`: HTTPRoute llm-route (line 1)');
    expect(m.manualSteps[0].text).not.toContain('model-server.yaml');
  });

  test('given two pools in two namespaces, then there are two migrations, and a kustomization\'s namespace reaches the carried objects', () => {
    const plan = planRepo(fixture('two-namespaces'));

    expect(plan.migrations.map((m) => `${m.namespace}/${m.name} -> ${m.gaPoolName}`)).toEqual(['team-a/llama -> llama-ga', 'team-b/mistral -> mistral-ga']);
    const teamB = plan.migrations[1];
    const namespaces = teamB.props.alphaPool.manifests!.filter((o) => o.kind !== 'ClusterRole' && o.kind !== 'ClusterRoleBinding').map((o) => o.namespace);
    expect(new Set(namespaces)).toEqual(new Set(['team-b']));
    expect(teamB.props.alphaPool.manifests!.find((o) => o.kind === 'ClusterRole')!.namespace).toBeUndefined();
    expect(teamB.props.routes![0].namespace).toBe('team-b');
    expect(teamB.props.routes![0].parentRefs).toEqual([{ name: 'shared-gateway', namespace: 'gateway-system', sectionName: 'http' }]);
  });

  test('given a pool shared by two routes, then one migration covers both routes', () => {
    const plan = planRepo(fixture('shared-pool'));

    expect(plan.migrations).toHaveLength(1);
    expect(plan.migrations[0].props.routes!.map((r) => r.name)).toEqual(['chat', 'completions']);
    expect(plan.migrations[0].routes.map((r) => r.file)).toEqual(['routes/chat.yaml', 'routes/completions.yaml']);
  });

  test('given the GKE chart\'s policies, then they are carried with the pool, and --provider gke implies the GKE gateway', () => {
    const carried = planRepo(fixture('gke')).migrations[0];
    expect(kinds(carried.props.alphaPool.manifests!)).toEqual(expect.arrayContaining(['HealthCheckPolicy vllm-llama3-8b-instruct-preview', 'GCPBackendPolicy vllm-llama3-8b-instruct-preview']));

    expect(planRepo(fixture('gke'), { provider: InferenceProvider.GKE }).migrations[0].props.gatewayImplementation).toBe(GatewayImplementation.GKE);
    // The Gateway's class (gke-l7-regional-external-managed) says GKE, whatever the provider: detection wins over the provider's default.
    expect(planRepo(fixture('gke'), { provider: InferenceProvider.ISTIO }).migrations[0].props.gatewayImplementation).toBe(GatewayImplementation.GKE);
    expect(planRepo(fixture('gke')).migrations[0].platform).toMatchObject({ gateway: GatewayImplementation.GKE, gatewayFrom: 'detected', provider: InferenceProvider.GKE, providerFrom: 'detected' });
    expect(planRepo(fixture('gke'), { provider: InferenceProvider.GKE, gateway: GatewayImplementation.ENVOY_GATEWAY }).migrations[0].props.gatewayImplementation)
      .toBe(GatewayImplementation.ENVOY_GATEWAY);
    expect(planRepo(fixture('gke'), { provider: InferenceProvider.NONE }).migrations[0].props.warnings!.filter((w) => !w.startsWith('Scheduling changes')))
      .toEqual([expect.stringMatching(/^The alpha pool vllm-llama3-8b-instruct-preview has GKE policies \(HealthCheckPolicy, GCPBackendPolicy\), but --provider none was given/)]);
  });

  test('given options, then steps, strategy and the GA name suffix reach the props', () => {
    const m = planRepo(fixture('one-pool'), { steps: [10, 50, 90], gaNameSuffix: '-v1' }).migrations[0];

    expect(m.props.steps).toEqual([10, 50, 90]);
    expect(m.gaPoolName).toBe('vllm-llama3-8b-instruct-v1');
    expect(m.props.gaPool!.name).toBe('vllm-llama3-8b-instruct-v1');
  });

  test('given two pools of the same name in two namespaces, then the migration folders carry the namespace', () => {
    const repo = repoOf({ 'a.yaml': `${pool('vllm-alpha', 'a')}---\n${route('r', 'a', 'vllm-alpha')}`, 'b.yaml': `${pool('vllm-alpha', 'b')}---\n${route('r', 'b', 'vllm-alpha')}` });

    expect(planRepo(repo).migrations.map((m) => m.name)).toEqual(['vllm-a', 'vllm-b']);
  });

  test('given a ClusterRole bound to the EPPs of two pools, then neither carries it and a warning says so', () => {
    const binding = (name: string, sa: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
subjects:
- kind: ServiceAccount
  name: ${sa}
  namespace: llm
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: epp-reader
`;
    const epp = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: llm
spec:
  selector:
    app: ${name}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: llm
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${name}
      containers:
      - name: epp
        image: registry.k8s.io/gateway-api-inference-extension/epp:v0.3.0
`;
    const repo = repoOf({
      'pools.yaml': `${pool('one-alpha', 'llm')}---\n${pool('two-alpha', 'llm')}---\n${route('one', 'llm', 'one-alpha')}---\n${route('two', 'llm', 'two-alpha')}`,
      'epps.yaml': `${epp('one-alpha-epp')}---\n${epp('two-alpha-epp')}`,
      'rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: epp-reader\nrules: []\n---\n${binding('one', 'one-alpha-epp')}---\n${binding('two', 'two-alpha-epp')}`,
    });

    const plan = planRepo(repo);

    expect(plan.warnings).toEqual([expect.stringMatching(/^ClusterRole epp-reader \(repo\/rbac\.yaml:1\) serves the Endpoint Pickers of the alpha pools llm\/one-alpha and llm\/two-alpha: it is carried by neither migration/)]);
    expect(kinds(plan.migrations[0].props.alphaPool.manifests!)).toEqual([
      'InferencePool one-alpha', 'Service one-alpha-epp', 'Deployment one-alpha-epp', 'ClusterRoleBinding one',
    ]);
  });

  test('given a pool whose EPP Service is not in the directory, then the plan warns, and the cleanup stage says what remains and how to find it', () => {
    const m = planRepo(repoOf({ 'a.yaml': `${pool('vllm-alpha', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}` })).migrations[0];

    expect(m.props.warnings).toEqual([expect.stringMatching(/^The alpha pool llm\/vllm-alpha \(repo\/a\.yaml:1\) names Endpoint Picker Service llm\/vllm-alpha-epp, which is not in the input: .* treated as upstream's EPP/)]);
    expect(m.cleanupWarnings).toEqual([expect.stringMatching(/^Not removed by this stage: the alpha Endpoint Picker behind Service llm\/vllm-alpha-epp/)]);
    const last = m.manualSteps.filter((s) => s.stage === 'last');
    expect(last.map((s) => s.text)).toEqual([expect.stringMatching(/^Not removed by this stage: the alpha Endpoint Picker behind Service llm\/vllm-alpha-epp, which is not in the planned input/)]);
    expect(last[0].commands).toEqual([
      'kubectl get deployment,service,serviceaccount,configmap,role,rolebinding -n llm -o name | grep -F -e vllm-alpha-epp',
      'kubectl get clusterrole,clusterrolebinding -o name | grep -F -e vllm-alpha-epp',
    ]);
  });

  test('given objects without a namespace and no kustomization, then default is assumed and said', () => {
    const repo = repoOf({ 'a.yaml': `${pool('vllm-alpha', 'default').replace('  namespace: default\n', '')}---\n${route('r', 'default', 'vllm-alpha')}` });

    expect(planRepo(repo).migrations[0].props.warnings).toContain(
      'InferencePool vllm-alpha (repo/a.yaml:1) has no metadata.namespace: the stages put it in namespace default. If your GitOps tool deploys it elsewhere, set metadata.namespace (or give --namespace) and plan again.',
    );
  });

  test('given a repo without alpha pools, then nothing is planned', () => {
    expect(planRepo(fixture('nothing')).migrations).toEqual([]);
  });

  describe('errors, each with file and line', () => {
    test('given a route to an alpha pool that is not in the directory, then it is an orphan reference: a warning that names the route and the pool and says how to add it', () => {
      const plan = planRepo(fixture('helm-installed-pool'));

      expect(plan.migrations).toEqual([]);
      expect(plan.orphans.map((o) => [o.source.file, o.line, `${o.pool.namespace}/${o.pool.name}`])).toEqual([['httproute.yaml', 11, 'default/vllm-llama3-8b-instruct-alpha']]);
      expect(plan.warnings).toEqual([expect.stringMatching(new RegExp(
        '^HTTPRoute default/llm-route \\(.*helm-installed-pool/httproute\\.yaml:11\\) sends traffic to alpha InferencePool default/vllm-llama3-8b-instruct-alpha, ' +
        'which is not under .*helm-installed-pool, so it is not planned\\. If Helm installed the pool, plan it with its manifest: add the output of helm get manifest <release> -n default',
      ))]);
    });

    test('given an InferenceModel of a pool that is not in the directory, then the warning names it', () => {
      expect(planRepo(repoOf({ 'm.yaml': model('chat', 'llm', 'gone-alpha') })).warnings)
        .toEqual([expect.stringMatching(/^InferenceModel llm\/chat \(repo\/m\.yaml:\d+\) points at alpha InferencePool llm\/gone-alpha, which is not under repo/)]);
    });

    test('given a route to two alpha pools, then it must be split', () => {
      const repo = repoOf({ 'a.yaml': `${pool('a-alpha', 'llm')}---\n${pool('b-alpha', 'llm')}---\n${route('both', 'llm', 'a-alpha', 'b-alpha')}` });

      expect(() => planRepo(repo)).toThrow(/^repo\/a\.yaml:25: HTTPRoute llm\/both sends traffic to 2 alpha pools \(llm\/a-alpha, llm\/b-alpha\): .* split it into one route per pool \(same parentRefs and hostnames\), then plan again$/);
    });

    test('given a pool that no route uses, then the error names the pool', () => {
      expect(() => planRepo(repoOf({ 'p.yaml': pool('idle-alpha', 'llm') })))
        .toThrow(/^repo\/p\.yaml:1: alpha InferencePool llm\/idle-alpha is not a backend of any route under repo \(HTTPRoute, GRPCRoute, AIGatewayRoute, \.\.\.\)/);
    });

    test('given the same pool twice, then both places are named', () => {
      const repo = repoOf({ 'a.yaml': `${pool('vllm-alpha', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}`, 'b.yaml': pool('vllm-alpha', 'llm') });

      expect(() => planRepo(repo)).toThrow(/^repo\/b\.yaml:1: InferencePool llm\/vllm-alpha is defined twice \(also at repo\/a\.yaml:1\)/);
    });

    test('given a GA pool of the planned name already in the directory, then the plan is refused', () => {
      const ga = 'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: vllm-ga\n  namespace: llm\n';
      const repo = repoOf({ 'a.yaml': `${pool('vllm-alpha', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}`, 'ga.yaml': ga });

      expect(() => planRepo(repo)).toThrow(/^repo\/ga\.yaml:1: the GA pool llm\/vllm-ga planned for alpha pool vllm-alpha already exists here/);
    });

    test('given two alpha pools that would get one GA name, then the plan is refused', () => {
      const repo = repoOf({ 'a.yaml': `${pool('vllm-alpha', 'llm')}---\n${pool('vllm-preview', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}---\n${route('s', 'llm', 'vllm-preview')}` });

      expect(() => planRepo(repo)).toThrow(/alpha pools vllm-alpha and vllm-preview in namespace llm would both become GA pool vllm-ga/);
    });

    test('given a route that cannot be taken over, then the error has the route\'s file and line', () => {
      // A mesh route (parentRef to a Service) is not a Gateway's route.
      const bad = route('r', 'llm', 'vllm-alpha').replace('  - name: gw', '  - group: ""\n    kind: Service\n    name: gw');
      expect(() => planRepo(repoOf({ 'a.yaml': `${pool('vllm-alpha', 'llm')}---\n${bad}` })))
        .toThrow(/^repo\/a\.yaml:13: HTTPRoute llm\/r: 'spec\.parentRefs\[0\]' is a core Service, not a Gateway: only routes attached to Gateways can be migrated/);
    });
  });

  describe('names are checked where they are read', () => {
    const base = () => `${pool('vllm-alpha', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}`;
    test.each([
      ['a parentRef name with a space', (t: string) => t.replace('  - name: gw', '  - name: "gw x"'), /^repo\/a\.yaml:20: HTTPRoute llm\/r: 'spec\.parentRefs\[0\]\.name' must be a lowercase RFC 1123 subdomain/],
      ['a parentRef namespace with a semicolon', (t: string) => t.replace('  - name: gw', '  - name: gw\n    namespace: "a;b"'), /^repo\/a\.yaml:21: HTTPRoute llm\/r: 'spec\.parentRefs\[0\]\.namespace' must be a lowercase RFC 1123 label/],
      ['a host name with a backtick', (t: string) => t.replace('  parentRefs:', '  hostnames: ["a`b.example.com"]\n  parentRefs:'), /^repo\/a\.yaml:19: HTTPRoute llm\/r: 'spec\.hostnames\[0\]' must be a lower-case DNS host name/],
      ['a pool backendRef in a namespace that is no label', (t: string) => t.replace('      name: vllm-alpha\n', '      name: vllm-alpha\n      namespace: "../etc"\n'), /'spec\.rules\[0\]\.backendRefs\[0\]\.namespace' must be a lowercase RFC 1123 label/],
      ['an InferenceModel whose poolRef name has a newline', (t: string) => `${t}---\n${model('m', 'llm', 'vllm-alpha').replace('name: vllm-alpha', 'name: "vllm-alpha\\nx"')}`, /InferenceModel llm\/m: 'spec\.poolRef\.name' must be a lowercase RFC 1123 subdomain/],
      ['an upper-case extensionRef name', (t: string) => t.replace('name: vllm-alpha-epp', 'name: EPP'), /InferencePool llm\/vllm-alpha: 'spec\.extensionRef\.name' must be a lowercase RFC 1035 label: .* \(got "EPP"\): it names the Endpoint Picker's Service/],
    ])('given %s, then planning fails with its file and line', (_name, edit, expected) => {
      expect(() => planRepo(repoOf({ 'a.yaml': edit(base()) }))).toThrow(expected);
    });

    test('given a carried Endpoint Picker object with a name the API server refuses, then planning fails with its line', () => {
      const epp = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: vllm-alpha-epp\n  namespace: llm\nspec:\n  selector: {app: epp}\n---\n' +
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "Epp Deployment"\n  namespace: llm\nspec:\n  selector: {matchLabels: {app: epp}}\n  template:\n    metadata: {labels: {app: epp}}\n    spec: {containers: [{name: epp, image: x}]}\n';
      expect(() => planRepo(repoOf({ 'a.yaml': base(), 'epp.yaml': epp })))
        .toThrow(/^repo\/epp\.yaml:12: Deployment llm\/"Epp Deployment": 'metadata\.name' must be a lowercase RFC 1123 subdomain/);
    });
  });
});

describe('the alpha Endpoint Picker as the planner reads it', () => {
  /** An alpha EPP: its Service, and a Deployment that runs `image` as `serviceAccount` (the namespace's default when undefined). */
  const alphaEpp = (image: string, serviceAccount?: string) => `apiVersion: v1
kind: Service
metadata:
  name: vllm-alpha-epp
  namespace: llm
spec:
  selector:
    app: vllm-alpha-epp
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-alpha-epp
  namespace: llm
spec:
  selector:
    matchLabels:
      app: vllm-alpha-epp
  template:
    metadata:
      labels:
        app: vllm-alpha-epp
    spec:
${serviceAccount ? `      serviceAccountName: ${serviceAccount}\n` : ''}      containers:
      - name: epp
        image: ${image}
`;
  const binding = (kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, roleKind: 'ClusterRole' | 'Role', role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
${kind === 'RoleBinding' ? '  namespace: llm\n' : ''}subjects:
- kind: ServiceAccount
  name: default
  namespace: llm
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ${roleKind}
  name: ${role}
`;
  const poolAndRoute = `${pool('vllm-alpha', 'llm')}---\n${route('r', 'llm', 'vllm-alpha')}`;
  const upstream = 'registry.k8s.io/gateway-api-inference-extension/epp';

  test('given an EPP that runs as the default ServiceAccount, which is also bound to an unrelated role, then only the grant of the alpha API is carried (and so deleted at cleanup)', () => {
    // Given upstream v0.5.1's pod-read ClusterRole bound to llm/default, and a Role for ConfigMaps that another
    // workload running as llm/default needs, bound to the same ServiceAccount
    const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pod-read
rules:
- apiGroups: ["inference.networking.x-k8s.io"]
  resources: ["inferencepools", "inferencemodels"]
  verbs: ["get", "watch", "list"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
${binding('ClusterRoleBinding', 'pod-read-binding', 'ClusterRole', 'pod-read')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-editor
  namespace: llm
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "update"]
---
${binding('RoleBinding', 'batch-jobs', 'Role', 'config-editor')}`;

    // When the pool is planned
    const m = planRepo(repoOf({ 'a.yaml': poolAndRoute, 'epp.yaml': alphaEpp(`${upstream}:v0.5.1`), 'rbac.yaml': rbac })).migrations[0];

    // Then the carried objects (which the cleanup stage removes) hold the alpha grant, not the unrelated one
    expect(kinds(m.props.alphaPool.manifests!)).toEqual([
      'InferencePool vllm-alpha', 'Service vllm-alpha-epp', 'Deployment vllm-alpha-epp', 'ClusterRoleBinding pod-read-binding', 'ClusterRole pod-read',
    ]);
    // And the plan says why the default ServiceAccount's grant goes, and no word of the unrelated one
    expect(m.props.warnings).toEqual([expect.stringMatching(/^The alpha Endpoint Picker vllm-alpha-epp runs as the default ServiceAccount of namespace llm: ClusterRoleBinding pod-read-binding \(repo\/rbac\.yaml:\d+\) and ClusterRole pod-read grant it the alpha API/)]);
    expect(m.props.warnings!.join('\n')).not.toMatch(/config-editor|batch-jobs/);
  });

  test('given an EPP with its own ServiceAccount, then every role bound to that account is carried', () => {
    const rbac = `${binding('RoleBinding', 'epp-config', 'Role', 'config-editor').replace('name: default', 'name: epp')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-editor
  namespace: llm
rules: []
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: epp
  namespace: llm
`;
    const m = planRepo(repoOf({ 'a.yaml': poolAndRoute, 'epp.yaml': alphaEpp(`${upstream}:v0.5.1`, 'epp'), 'rbac.yaml': rbac })).migrations[0];

    expect(kinds(m.props.alphaPool.manifests!)).toEqual([
      'InferencePool vllm-alpha', 'Service vllm-alpha-epp', 'Deployment vllm-alpha-epp', 'ServiceAccount epp', 'RoleBinding epp-config', 'Role config-editor',
    ]);
  });

  test.each([
    ['a tag and a digest', `${upstream}:v0.5.1@sha256:${'a'.repeat(64)}`],
    ['a digest alone', `${upstream}@sha256:${'b'.repeat(64)}`],
    ['a staging build by digest', `us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp@sha256:${'c'.repeat(64)}`],
  ])('given upstream\'s EPP image pinned by %s, then it is upstream\'s EPP: the plan needs no --epp-image and the GA EPP is upstream\'s', (_how, image) => {
    // Given an alpha EPP that runs upstream's image, pinned by digest
    const repo = repoOf({ 'a.yaml': poolAndRoute, 'epp.yaml': alphaEpp(image) });

    // When it is planned without --epp-image
    const m = planRepo(repo).migrations[0];

    // Then no custom EPP is assumed: the GA pool gets upstream's EPP (no options), and nothing is said about the image
    expect(m.props.gaPool).toEqual({ name: 'vllm-ga' });
    expect(m.props.warnings ?? []).toEqual([]);
  });

  test('given a custom EPP whose args name the pool and its group (camelCase, as alpha lines spell them), then the GA EPP keeps its other flags and never the alpha group', () => {
    // Given llm-d's scheduler started with the alpha pool's name, namespace and group, and a flag of its own
    const epp = alphaEpp('ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1').replace('        image: ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1\n',
      '        image: ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1\n        args: [--poolName, vllm-alpha, --poolNamespace, llm, --poolGroup, inference.networking.x-k8s.io, --kvCacheUsageThreshold, "0.8"]\n');

    // When it is planned with the image of a release that serves the v1 pool
    const m = planRepo(repoOf({ 'a.yaml': poolAndRoute, 'epp.yaml': epp }), { eppImage: 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0' }).migrations[0];

    // Then the GA EPP keeps the scheduler's own flag, in kebab-case, and none that names the alpha pool or group:
    // the EPP construct sets those for the GA pool (a second --pool-group would win in Go's flag package)
    expect(m.props.gaPool!.endpointPicker).toMatchObject({ image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0', flags: { 'kv-cache-usage-threshold': '0.8' } });
    expect(Object.keys(m.props.gaPool!.endpointPicker!.flags!)).toEqual(['kv-cache-usage-threshold']);
  });

  test('given a custom EPP image pinned by digest, then it is not upstream\'s: the plan asks for --epp-image', () => {
    const repo = repoOf({ 'a.yaml': poolAndRoute, 'epp.yaml': alphaEpp(`ghcr.io/llm-d/llm-d-inference-scheduler@sha256:${'d'.repeat(64)}`) });

    expect(() => planRepo(repo)).toThrow(/runs ghcr\.io\/llm-d\/llm-d-inference-scheduler@sha256:d+, not upstream's EPP: .* Give --epp-image <image:tag>/);
  });
});

describe('the second Gateway of a parallel-gateway plan', () => {
  const teamA = (options: Parameters<typeof planRepo>[1]) => planRepo(fixture('two-namespaces'), options).migrations[0];

  test('given a gateway that serves one group and the second Gateway\'s name, class and labels, then the plan creates that Gateway beside the routes\' own', () => {
    // Given routes of team-a attached to gateway-system/shared-gateway, on NGINX Gateway Fabric (v1 only)
    // When the second Gateway is named, with its class and labels
    const newGateway = { name: 'shared-gateway-ga', gatewayClassName: 'nginx', labels: { tier: 'ga' } };
    const m = teamA({ gateway: GatewayImplementation.NGINX_GATEWAY_FABRIC, newGateway });
    // Then the plan copies the routes' Gateway, from its own namespace, under that name, class and labels
    const parallel = m.props.parallelGateway!;
    expect([parallel.name, parallel.gatewayClassName, parallel.labels]).toEqual(['shared-gateway-ga', 'nginx', { tier: 'ga' }]);
    expect([parallel.originalGateway.namespace, parallel.originalGateway.name]).toEqual(['gateway-system', 'shared-gateway']);
  });

  test('given parallel-gateway without a name for the second Gateway, then it is the routes\' Gateway\'s with -v1, and no class or labels are set', () => {
    const m = teamA({ gateway: GatewayImplementation.NGINX_GATEWAY_FABRIC, strategy: MigrationStrategy.PARALLEL_GATEWAY });
    const parallel = m.props.parallelGateway!;
    expect(parallel.name).toBe('shared-gateway-v1');
    expect(Object.keys(parallel).sort()).toEqual(['name', 'originalGateway']);
  });

  test('given a gateway that serves both groups, then there is no second Gateway', () => {
    expect(teamA({ gateway: GatewayImplementation.GKE }).props.parallelGateway).toBeUndefined();
  });

  test('given the routes\' Gateway missing from the directory, then the error says how to add it', () => {
    const repo = readRepo(path.join(FIXTURES, 'two-namespaces'));
    const withoutGateway: RepoContents = { ...repo, objects: repo.objects.filter((o) => o.object.kind !== 'Gateway') };
    expect(() => planRepo(withoutGateway, { gateway: GatewayImplementation.NGINX_GATEWAY_FABRIC, newGateway: { name: 'ga' } }))
      .toThrow(/the parallel-gateway strategy copies the listeners of the Gateway gateway-system\/shared-gateway, which is not in the directory that was planned: add its manifest \(kubectl get gateway shared-gateway -n gateway-system -o yaml\)/);
  });
});
