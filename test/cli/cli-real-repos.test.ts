/**
 * Repositories as people have them, each planned and scanned through the compiled CLI: Istio's
 * quickstart of GIE v0.5.1 (a networking.istio.io/v1 DestinationRule, the pod-read RBAC of the default
 * ServiceAccount), a kgateway route with a backendRef port, `helm template` output on standard input, a
 * Helm chart directory, llm-d's custom EPP, an Envoy AI Gateway route, and routes of a Helm-installed pool.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, find, readStages, removeTempDirs, runCli, tempDir } from './run-cli';
import { expectValid } from '../util';

afterAll(() => removeTempDirs());

const fixture = (name: string) => path.join('test/fixtures/repos', name);
const outDir = () => path.join(tempDir(), 'out');

/** The text of the `index`th document of a fixture file, as the reader keeps it (the comments before it included). */
function documentText(file: string, index: number): string {
  const docs = fs.readFileSync(path.join(FIXTURES, file), 'utf8').split(/^---\n/m);
  return docs[index];
}

describe('the Istio quickstart of GIE v0.5.1', () => {
  const out = outDir();
  // No Istio release serves both groups: the parallel-gateway strategy, with a second Gateway on a revision that serves v1.
  const run = runCli(['plan', '--from', fixture('istio-v051'), '--out', out, '--new-gateway-label', 'istio.io/rev=1-28-1']);
  const stages = run.status === 0 ? readStages(path.join(out, 'vllm-llama3-8b-instruct')) : [];

  test('then it plans (exit 0): the v1 DestinationRule validates and every stage is valid', () => {
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
    // The default target, GIE v1.4.0 (its v1 InferencePool has appProtocol).
    for (const s of stages) expectValid(s.objects.filter((o) => o.kind !== 'DestinationRule'), ['gie-v1.4.0', 'gie-v0.3.0', 'gateway-api-v1.3.0']);
  });

  test('given no revision for the second Gateway, then the plan fails naming the label and the flag it needs, below the platform it detected (exit 1)', () => {
    const refused = runCli(['plan', '--from', fixture('istio-v051'), '--out', outDir()]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/'parallelGateway\.labels' must set istio\.io\/rev: <revision> on Istio.*\(on the command line: --new-gateway-label istio\.io\/rev=<revision>\)$/m);
    const lines = refused.stderr.split('\n');
    expect(lines[0]).toBe('vllm-llama3-8b-instruct: gateway istio: detected; provider istio: detected');
    expect(lines.findIndex((l) => l.startsWith('error: '))).toBeGreaterThan(0);
    expect(refused.stdout).toBe('');
  });

  test('then the first lines say the platform: Istio, from the Gateway\'s class and the alpha EPP\'s DestinationRule', () => {
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'vllm-llama3-8b-instruct: gateway istio: detected; provider istio: detected',
      '  Gateway default/inference-gateway (test/fixtures/repos/istio-v051/gateway.yaml:2) has gatewayClassName istio: istio',
      '  provider istio: the alpha EPP has DestinationRule epp-insecure-tls (test/fixtures/repos/istio-v051/gateway.yaml:35, networking.istio.io/v1)',
    ]);
  });

  test('then the GA EPP gets its Istio DestinationRule too', () => {
    expect(stages[0].objects.filter((o) => o.kind === 'DestinationRule').map((o) => o.spec.host).sort())
      .toEqual(['vllm-llama3-8b-instruct-epp', 'vllm-llama3-8b-instruct-ga-epp.default.svc.cluster.local']);
  });

  test('then the DestinationRule of the alpha EPP is carried byte for byte, with one namespace line added, and removed at cleanup', () => {
    const carried = fs.readFileSync(path.join(out, 'vllm-llama3-8b-instruct/01-side-by-side/destinationrule-epp-insecure-tls.yaml'), 'utf8');
    expect(carried).toBe(documentText('istio-v051/gateway.yaml', 2).replace('  name: epp-insecure-tls\n', '  name: epp-insecure-tls\n  namespace: default\n'));
    expect(stages[stages.length - 1].objects.filter((o) => o.kind === 'DestinationRule').map((o) => o.metadata.name)).not.toContain('epp-insecure-tls');
  });

  test('then upstream\'s pod-read ClusterRole and its binding to the default ServiceAccount are carried, removed at cleanup, and said', () => {
    expect(find(stages[0], 'ClusterRole', 'pod-read')).toBeDefined();
    expect(find(stages[0], 'ClusterRoleBinding', 'pod-read-binding')).toBeDefined();
    expect(stages[stages.length - 1].objects.filter((o) => o.metadata.name.startsWith('pod-read'))).toEqual([]);
    expect(run.stderr).toContain('warning: The alpha Endpoint Picker vllm-llama3-8b-instruct-epp runs as the default ServiceAccount of namespace default: ' +
      'ClusterRoleBinding pod-read-binding (test/fixtures/repos/istio-v051/inferencepool-resources.yaml:110) and ClusterRole pod-read grant it the alpha API, ' +
      'so they are carried and removed at cleanup.');
  });

  test('then the plugin ConfigMap of the alpha EPP is carried byte for byte', () => {
    const carried = fs.readFileSync(path.join(out, 'vllm-llama3-8b-instruct/01-side-by-side/configmap-plugins-config.yaml'), 'utf8');
    expect(carried).toBe(documentText('istio-v051/inferencepool-resources.yaml', 3).replace('  name: plugins-config\n', '  name: plugins-config\n  namespace: default\n'));
  });

  test('then scan finds the pool and the route to it, with the command', () => {
    const scan = runCli(['scan', fixture('istio-v051'), '--output', 'json']);
    expect(scan.status).toBe(3);
    const json = JSON.parse(scan.stdout);
    expect(json.findings.map((f: any) => `${f.file}:${f.line} ${f.kind} ${f.command}`)).toEqual([
      'test/fixtures/repos/istio-v051/gateway.yaml:13 HTTPRoute inference-migrate plan --from test/fixtures/repos/istio-v051 --out <migrations-dir>',
      'test/fixtures/repos/istio-v051/inferencepool-resources.yaml:3 InferencePool inference-migrate plan --from test/fixtures/repos/istio-v051 --out <migrations-dir>',
    ]);
  });
});

describe('a kgateway route whose pool backendRef has a port', () => {
  test('then kgateway is detected, the strategy that works there is chosen and said, and every stage keeps the port on the alpha and the GA backendRef', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('kgateway-port'), '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([
      'vllm: gateway kgateway: detected; provider none: nothing in the input shows it (give it with a flag)',
      '  Gateway llm/inference-gateway (test/fixtures/repos/kgateway-port/gateway.yaml:1) has gatewayClassName kgateway: kgateway',
    ]);
    expect(run.stdout).toContain('    strategy: cutover (chosen: no strategy was given and kgateway needs it: kgateway serves one InferencePool group per release line');
    const stages = readStages(path.join(out, 'vllm'));
    const refs = stages.map((s) => find(s, 'HTTPRoute', 'llm-route').spec.rules.map((r: any) => r.backendRefs.map((b: any) => `${b.name}:${b.port}`)));
    // Never an alpha and a GA backendRef behind the one kgateway, which serves one group per release.
    expect(refs).toEqual([[['vllm-alpha:8000']], [['vllm-ga:8000']], [['vllm-ga:8000']]]);
  });
});

describe('helm template output on standard input, with objects that have no namespace', () => {
  const rendered = fs.readFileSync(path.join(FIXTURES, 'helm-render/rendered.yaml'), 'utf8');

  test('given no --namespace, then the pool lands in default and the error names the route and says --namespace (exit 1, nothing written)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', '-', '--out', out], undefined, rendered);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: <stdin>:41: alpha InferencePool qwen-alpha has no metadata.namespace, so it is planned in default, but HTTPRoute llm/qwen (<stdin>:75) ' +
      'sends traffic to it in namespace llm: give --namespace llm (what helm template -n and kubectl apply -n do for objects without one), or set the pool\'s namespace\n');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('given --namespace llm, then every object without one is planned there, and the README names the objects to hand over in the sources of the stream', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', '-', '--namespace', 'llm', '--out', out], undefined, rendered);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('  qwen/: alpha pool llm/qwen-alpha (<stdin>:41) -> GA pool qwen-ga\n');
    const stages = readStages(path.join(out, 'qwen'));
    expect(find(stages[0], 'InferencePool', 'qwen-alpha').metadata.namespace).toBe('llm');
    expect(find(stages[0], 'InferenceModel', 'qwen').metadata.namespace).toBe('llm');
    const readme = fs.readFileSync(path.join(out, 'qwen/01-side-by-side/README.md'), 'utf8');
    expect(readme).toContain('So first, in the sources that rendered the planned stream (the kustomize overlay or Helm values that produce them), mark each of these objects');
    expect(readme).toContain('   - InferencePool llm/qwen-alpha\n');
  });

  test('given scan - , then the stream is scanned and the commands read from standard input', () => {
    const run = runCli(['scan', '-', '--namespace', 'llm', '--output', 'json'], undefined, rendered);
    expect(run.status).toBe(3);
    const json = JSON.parse(run.stdout);
    expect(json.findings.map((f: any) => `${f.file}:${f.line} ${f.kind} ${f.namespace}`)).toEqual([
      '<stdin>:41 InferencePool llm', '<stdin>:53 InferenceModel llm', '<stdin>:64 HTTPRoute llm',
    ]);
    expect(json.findings[0].command).toBe('<the command that rendered the input> | inference-migrate plan --from - --out <migrations-dir>');
  });
});

describe('a helmfile that installs an alpha release of GIE\'s inferencepool chart (llm-d-infra\'s quickstart shape)', () => {
  test('then plan names the release and refuses with how to render it instead of "nothing to migrate" (exit 1)', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'helmfile.yaml'), [
      'releases:',
      '  - name: gaie',
      '    namespace: llm',
      '    chart: oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool',
      '    version: v0.5.1',
      '',
    ].join('\n'));
    const out = outDir();
    const run = runCli(['plan', '--from', dir, '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('helmfile.yaml:4: helmfile whose release gaie (line 4, chart version v0.5.1) installs');
    expect(run.stderr).toContain('helmfile template -l name=<release> | inference-migrate plan --from -');
    expect(run.stderr).toMatch(/\nerror: nothing was written: a helmfile installs an alpha release of the inferencepool chart: render the release \(warnings above\), then plan again\n$/);
    expect(run.stdout).not.toContain('nothing to migrate');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('a Helm chart directory whose templates use the alpha API', () => {
  test('then plan reports the templates, never crashes on chart_schema.yaml, and writes nothing (exit 1)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('helm-chart'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('skipped test/fixtures/repos/helm-chart/chart/Chart.yaml: helm chart with 3 template files (2 use the alpha API): not read');
    expect(run.stderr).toContain('skipped test/fixtures/repos/helm-chart/chart/templates/inferencepool.yaml:1: helm chart template (chart chart/) that uses the alpha API inference.networking.x-k8s.io (line 1)');
    expect(run.stderr).toContain('warning: 2 Helm chart templates (test/fixtures/repos/helm-chart/chart/templates/httproute.yaml:10, test/fixtures/repos/helm-chart/chart/templates/inferencepool.yaml:1) ' +
      'use the alpha API and are not planned: render the chart and plan the output: helm template <release> <chart> -n <namespace> | inference-migrate plan --from - --namespace <namespace> --out <dir>');
    expect(run.stderr).toMatch(/\nerror: nothing was written: the alpha API is in Helm chart templates: render the chart \(warnings above\), then plan again\n$/);
    expect(run.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });

  test('then scan lists the templates without --verbose and never claims "no alpha objects" (exit 3)', () => {
    const run = runCli(['scan', fixture('helm-chart'), '--output', 'json']);
    expect(run.status).toBe(3);
    const json = JSON.parse(run.stdout);
    expect(json.templates.map((t: any) => `${t.file}:${t.lines.join(',')}`)).toEqual([
      'test/fixtures/repos/helm-chart/chart/templates/httproute.yaml:10',
      'test/fixtures/repos/helm-chart/chart/templates/inferencepool.yaml:1',
    ]);
    expect(json.skipped.map((s: any) => s.file)).toContain('test/fixtures/repos/helm-chart/chart/chart_schema.yaml');
    expect(runCli(['scan', fixture('helm-chart')]).stdout).toMatch(/\nfound 2 Helm chart templates that use the alpha API \(render the chart to plan them\); 2 use an API that GIE v1\.6\.0 does not serve\n$/);
  });
});

describe('llm-d\'s custom Endpoint Picker with a prefill/decode plugin ConfigMap', () => {
  // A model served under another name: only an EPP that applies InferenceModelRewrites keeps it, and a custom
  // image's release says nothing about that.
  const withRewrite = () => ['epp.yaml', 'gateway.yaml'].map((f) => fs.readFileSync(path.join(fixture('llmd-custom-epp'), f), 'utf8')).join('\n---\n') +
    '\n---\napiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceModel\nmetadata:\n  name: qwen-chat\n  namespace: llm-d\n' +
    'spec:\n  modelName: qwen-chat\n  criticality: Critical\n  poolRef:\n    name: qwen-pool\n  targetModels:\n  - name: qwen-chat-lora\n    weight: 100\n';

  test('given --epp-image and a model rewrite, then the plan fails naming the rewrite and both ways out, with their flags (exit 1)', () => {
    const run = runCli(['plan', '--from', '-', '--out', outDir(), '--epp-image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0'], undefined, withRewrite());
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/'endpointPickerReadsModelRewrites' cannot keep the model rewrites of InferenceModel qwen-chat \(qwen-chat -> qwen-chat-lora=100\)/);
    expect(run.stderr).toContain('--accept-loss model-rewrite');
    expect(run.stderr).toMatch(/\(on the command line: --epp-reads-model-rewrites\)$/m);
  });

  test('given --epp-image and --epp-reads-model-rewrites, then the first stage writes the InferenceModelRewrite for the GA pool (exit 0)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', '-', '--out', out, '--epp-image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', '--epp-reads-model-rewrites'], undefined, withRewrite());
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.status).toBe(0);
    const [first] = readStages(path.join(out, 'qwen-pool'));
    const rewrite = find(first, 'InferenceModelRewrite', 'qwen-chat');
    expect(rewrite.spec.poolRef.name).toBe('qwen-pool-ga');
    expect(JSON.stringify(rewrite.spec.rules)).toContain('qwen-chat-lora');
  });

  test('given no --epp-image, then the plan fails naming the alpha image and the flag (exit 1, nothing written)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('llmd-custom-epp'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: test\/fixtures\/repos\/llmd-custom-epp\/epp\.yaml:43: the alpha Endpoint Picker qwen-epp of pool llm-d\/qwen-pool runs ghcr\.io\/llm-d\/llm-d-inference-scheduler:v0\.2\.1, not upstream's EPP: .* Give --epp-image <image:tag>/);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('given --epp-image, then the GA EPP runs it with the alpha EPP\'s flags, env, resources and plugin config, no flag of the target release, and what is not kept is said', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('llmd-custom-epp'), '--out', out, '--epp-image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0']);
    expect(run.status).toBe(0);
    const [first] = readStages(path.join(out, 'qwen-pool'));
    const container = find(first, 'Deployment', 'qwen-pool-ga-epp').spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0');
    // No --tracing=false of the v1.4.0 chart: the image's GIE release is not given, and v1.0.0 (llm-d's v0.3.0) has no such flag.
    expect(container.args).toEqual(['--pool-name', 'qwen-pool-ga', '--pool-namespace', 'llm-d', '--pool-group', 'inference.networking.k8s.io', '--zap-encoder', 'json',
      '--config-file', '/config/pd-config.yaml', '--v', '4']);
    expect(run.stderr).toContain('no flag of the target release\'s chart is added (e.g. --tracing=false): give --epp-gie-version');
    expect(container.env.map((e: any) => e.name)).toEqual(['NAMESPACE', 'POD_NAME', 'PD_ENABLED', 'HF_TOKEN']);
    expect(container.env[3]).toEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'llm-d-hf-token', key: 'HF_TOKEN' } } });
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' } });
    const plugins = find(first, 'ConfigMap', 'qwen-pool-ga-epp').data['pd-config.yaml'];
    expect(plugins).toContain('- type: pd-profile-handler\n');
    expect(run.stderr).not.toContain('HF_TOKEN');
  });
});

// llm-d-inference-scheduler v0.3.0 is built on GIE v1.0.0 (its go.mod@v0.3.0 requires sigs.k8s.io/gateway-api-inference-extension
// v1.0.0, and cmd/epp/main.go@v0.3.0 runs GIE's runner), whose flags (cmd/epp/runner/runner.go@v1.0.0) have no --tracing.
describe('llm-d\'s custom Endpoint Picker with the GIE release its image is built on (--epp-gie-version)', () => {
  const V1_0_0_FLAGS = ['cert-path', 'config-file', 'config-text', 'enable-pprof', 'grpc-health-port', 'grpc-port', 'ha-enable-leader-election', 'health-checking',
    'kv-cache-usage-percentage-metric', 'lora-info-metric', 'metrics-port', 'metrics-staleness-threshold', 'model-server-metrics-https-insecure-skip-verify',
    'model-server-metrics-path', 'model-server-metrics-port', 'model-server-metrics-scheme', 'pool-group', 'pool-name', 'pool-namespace',
    'refresh-metrics-interval', 'refresh-prometheus-metrics-interval', 'secure-serving', 'total-queued-requests-metric', 'v',
    'zap-devel', 'zap-encoder', 'zap-log-level', 'zap-stacktrace-level', 'zap-time-encoding'];
  const flagNames = (args: string[]) => args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);

  test('given v1.0.0 at the default target v1.4.0, then every flag of the GA EPP is one GIE v1.0.0 has (no --tracing)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('llmd-custom-epp'), '--out', out, '--epp-image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', '--epp-gie-version', 'v1.0.0']);
    expect(run.status).toBe(0);
    const args: string[] = find(readStages(path.join(out, 'qwen-pool'))[0], 'Deployment', 'qwen-pool-ga-epp').spec.template.spec.containers[0].args;
    expect(flagNames(args).filter((f) => !V1_0_0_FLAGS.includes(f))).toEqual([]);
    expect(flagNames(args)).toEqual(['pool-name', 'pool-namespace', 'pool-group', 'zap-encoder', 'config-file', 'v']);
  });

  test('given an image built on v1.2.0, then the target chart\'s --tracing=false is added, as that release has the flag', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('llmd-custom-epp'), '--out', out, '--epp-image', 'example.com/epp:v2', '--epp-gie-version', '1.2.0']);
    expect(run.status).toBe(0);
    const args: string[] = find(readStages(path.join(out, 'qwen-pool'))[0], 'Deployment', 'qwen-pool-ga-epp').spec.template.spec.containers[0].args;
    expect(args.slice(-1)).toEqual(['--tracing=false']);
  });

  test('given an alpha flag the image\'s release lacks, then the plan is refused naming the flag and the release (exit 1)', () => {
    const input = fs.readFileSync(path.join(fixture('llmd-custom-epp'), 'epp.yaml'), 'utf8').replace('        - -v\n', '        - --cache-info-metric\n        - vllm:cache_config_info\n        - -v\n') +
      '\n---\n' + fs.readFileSync(path.join(fixture('llmd-custom-epp'), 'gateway.yaml'), 'utf8');
    const run = runCli(['plan', '--from', '-', '--out', outDir(), '--epp-image', 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', '--epp-gie-version', 'v1.0.0'], undefined, input);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/'flags\.cache-info-metric' is not a flag of the EPP of GIE v1\.0\.0 \(cmd\/epp\/runner\/runner\.go@v1\.0\.0\), which exits at start-up on it/);
  });

  test('given a release whose flags are not known, or no --epp-image, then the plan is refused naming the flag', () => {
    const unknown = runCli(['plan', '--from', fixture('llmd-custom-epp'), '--out', outDir(), '--epp-image', 'example.com/epp:v2', '--epp-gie-version', 'v9.9.9']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('--epp-gie-version');
    expect(unknown.stderr).toContain('must be a GIE release whose EPP flags are known: v0.3.0, v0.4.0');
    const alone = runCli(['plan', '--from', fixture('one-pool'), '--out', outDir(), '--epp-gie-version', 'v1.0.0']);
    expect(alone.status).not.toBe(0);
    expect(alone.stderr).toContain('--epp-gie-version');
  });
});

describe('an Envoy AI Gateway AIGatewayRoute to the alpha pool', () => {
  test('then the route is carried unchanged until the cutover at the AI Gateway upgrade, then points at the GA pool, and the plan says it does not split traffic', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('envoy-ai-gateway'), '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('    strategy: cutover (chosen: no strategy was given and Envoy Gateway with Envoy AI Gateway needs it');
    expect(run.stdout).toContain('    routes:  llm/llama (AIGatewayRoute)\n');
    expect(run.stderr).toContain('warning: AIGatewayRoute llm/llama (test/fixtures/repos/envoy-ai-gateway/gateway.yaml:21) is not an HTTPRoute, so it does not split traffic between the pools');
    expect(run.stderr).toContain('warning: llama: AIGatewayRoute llm/llama is carried from the input, but no known schema defines its kind: it is written without schema validation\n');
    const stages = readStages(path.join(out, 'llama'));
    const backends = stages.map((s) => find(s, 'AIGatewayRoute', 'llama').spec.rules[0].backendRefs.map((b: any) => `${b.group}/${b.name}`));
    expect(backends).toEqual([['inference.networking.x-k8s.io/llama-alpha'], ['inference.networking.k8s.io/llama-ga'], ['inference.networking.k8s.io/llama-ga']]);
    expect(fs.readFileSync(path.join(out, 'llama/02-cutover/README.md'), 'utf8')).toContain('requests to this route fail from the AI Gateway upgrade');
    const carried = fs.readFileSync(path.join(out, 'llama/01-side-by-side/aigatewayroute-llama.yaml'), 'utf8');
    expect(carried).toBe(documentText('envoy-ai-gateway/gateway.yaml', 2));
  });

  test('then scan lists the AIGatewayRoute as a reference to the alpha pool', () => {
    const json = JSON.parse(runCli(['scan', fixture('envoy-ai-gateway'), '--output', 'json']).stdout);
    expect(json.findings.find((f: any) => f.kind === 'AIGatewayRoute').references).toEqual([
      { field: 'spec.rules[0].backendRefs[0]', line: 40, pool: 'llm/llama-alpha', inInput: true },
    ]);
  });
});

describe('routes, a GKE policy and a model of an alpha pool that Helm installed', () => {
  test('then scan finds each reference although the pool is not there (exit 3), and says so', () => {
    const run = runCli(['scan', fixture('orphan-references'), '--output', 'json']);
    expect(run.status).toBe(3);
    const json = JSON.parse(run.stdout);
    expect(json.findings.map((f: any) => `${f.kind} ${f.references?.[0].inInput ?? '-'}`)).toEqual([
      'HealthCheckPolicy false', 'InferenceModel -', 'HTTPRoute false', 'GRPCRoute false',
    ]);
    expect(json.findings[0].note).toMatch(/^refers to alpha InferencePool llm\/vllm-alpha, which is not in the scanned input/);
  });

  test('then plan warns about each orphan reference with its line, and writes nothing (exit 1)', () => {
    const out = outDir();
    const run = runCli(['plan', '--from', fixture('orphan-references'), '--out', out]);
    expect(run.status).toBe(1);
    const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings.map((w) => w.replace(/ \(test\/fixtures\/repos\/orphan-references\/(\S+)\) (\S+ \S+).*$/, ' $1 $2'))).toEqual([
      'warning: HealthCheckPolicy llm/vllm-health policies.yaml:8 is a',
      'warning: InferenceModel llm/chat policies.yaml:26 points at',
      'warning: HTTPRoute llm/llm-route routes.yaml:12 sends traffic',
      'warning: GRPCRoute llm/llm-grpc routes.yaml:26 sends traffic',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('plan-kserve of repositories as they are', () => {
  test('given a base and an overlay that both hold inferenceservice-config, then each is named with its file and line (exit 1)', () => {
    const run = runCli(['plan-kserve', '--from', fixture('kserve-overlays'), '--out', outDir()]);
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l !== '').map((l) => l.replace(/ is one of .*$/, ''))).toEqual([
      'error: test/fixtures/repos/kserve-overlays/base/configmap.yaml:1: ConfigMap kserve/inferenceservice-config',
      'error: test/fixtures/repos/kserve-overlays/overlays-test/configmap.yaml:1: ConfigMap kserve/inferenceservice-config',
    ]);
    expect(run.stderr).toContain('Plan one installation: the rendered overlay (kustomize build <overlay> | inference-migrate plan-kserve --from - ...)');
  });

  test('given a controller image ko://... of an unrendered kustomize base, then the plan warns', () => {
    const run = runCli(['plan-kserve', '--from', fixture('kserve-ko'), '--out', outDir()]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('warning: Deployment kserve/kserve-controller-manager (test/fixtures/repos/kserve-ko/manager.yaml:17) runs image ko://github.com/kserve/kserve/cmd/manager: ' +
      'a ko:// reference of an unrendered kustomize base');
  });

  test('given the manifests on standard input, then they are planned', () => {
    const out = outDir();
    const run = runCli(['plan-kserve', '--from', '-', '--out', out], undefined, fs.readFileSync(path.join(FIXTURES, 'kserve/kserve.yaml'), 'utf8'));
    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.join(out, 'kserve-gateway-api'))).toContain('01-gateway');
  });
});

describe('validate of a repository with kinds the pinned CRDs do not define', () => {
  const apps = fixture('third-party/apps');
  const crds = fixture('third-party/crds');

  test('given nothing more, then the unknown kind is a problem, and the Argo CD Application (a kind with a pinned schema) is checked: it lacks spec.destination (exit 1)', () => {
    const run = runCli(['validate', apps, '--output', 'json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).problems.map((p: any) => `${p.file}:${p.line} ${p.object} ${p.source}${p.field ? ` ${p.field}` : ''}`)).toEqual([
      'test/fixtures/repos/third-party/apps/certificate.yaml:1 Certificate llm/gateway-tls unknown-kind',
      'test/fixtures/repos/third-party/apps/certificate.yaml:17 Application argocd/llm core spec.destination',
    ]);
  });

  test('given --crds and --ignore-missing-schemas, then the Certificate is checked against its CRD, and nothing is left unchecked', () => {
    const run = runCli(['validate', apps, '--crds', crds, '--ignore-missing-schemas', '--output', 'json']);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ objects: 2, files: 1 });
    expect(json.problems.map((p: any) => `${p.line} ${p.object} ${p.source}`)).toEqual(['17 Application argocd/llm core']);
    expect(json.notChecked ?? []).toEqual([]);
  });

  test('given --crds and a Certificate that breaks its CRD, then the problem names the field (exit 1)', () => {
    const from = path.join(tempDir('repo-'), 'bad.yaml');
    fs.writeFileSync(from, 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: tls\n  namespace: llm\nspec:\n  dnsNames: [a.example.com]\n');
    const run = runCli(['validate', from, '--crds', crds]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/bad\.yaml:7: Certificate llm\/tls: spec\.secretName: required field is missing \[schema\]\n/);
  });

  test('given a --crds path that does not exist, then it is an input error (exit 1)', () => {
    const run = runCli(['validate', apps, '--crds', 'test/fixtures/repos/third-party/nope']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('error: test/fixtures/repos/third-party/nope: --crds: ENOENT: no such file or directory\n');
  });
});

describe('progress of long runs', () => {
  const runMain = async (args: string[], stderrIsTerminal: boolean) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main } = require('../../src/cli/main') as typeof import('../../src/cli/main');
    let stdout = '';
    let stderr = '';
    const status = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stderrIsTerminal });
    return { status, stdout, stderr };
  };

  test('given stderr is a terminal, then plan prints its phases there; with --quiet, or when stderr is not a terminal, it prints none', async () => {
    const args = ['plan', '--from', fixture('kgateway-port'), '--no-validate'];
    const shown = await runMain([...args, '--out', outDir()], true);
    expect(shown.status).toBe(0);
    expect(shown.stderr.split('\n').filter((l) => l.endsWith('...'))).toEqual([
      'read 6 objects in 3 files; planning...',
      'planned 1 migration; rendering their stages...',
      expect.stringMatching(/^writing \d+ files into .*\.\.\.$/),
    ]);
    expect((await runMain(['--quiet', ...args, '--out', outDir()], true)).stderr).not.toContain('...');
    expect((await runMain([...args, '--out', outDir()], false)).stderr).not.toContain('...');
  });
});
