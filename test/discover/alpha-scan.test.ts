import * as path from 'path';
import { parseGieVersion } from '../../src/convert/gie-versions';
import { formatScan, scanExitCode, scanObjects } from '../../src/discover/alpha-scan';
import { parseYamlText, readRepo } from '../../src/discover/repo-reader';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const v = (s: string) => parseGieVersion(s)!;

describe('scanObjects', () => {
  test('given the one-pool fixture and GIE v1.6.0, then the pool, both models and the route to the pool are found, none still served', () => {
    const report = scanObjects(readRepo(path.join(FIXTURES, 'one-pool')).objects, v('v1.6.0'), { path: 'apps' });

    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.kind} ${f.name} served=${f.served}`)).toEqual([
      'apps/llm/httproute.yaml:1 HTTPRoute llm-route served=false',
      'apps/llm/inference-models.yaml:1 InferenceModel food-review served=false',
      'apps/llm/inference-models.yaml:12 InferenceModel base-model served=false',
      'apps/llm/vllm-llama3-8b-instruct-alpha.yaml:136 InferencePool vllm-llama3-8b-instruct-alpha served=false',
    ]);
    expect(report.findings[0].references).toEqual([{ field: 'spec.rules[0].backendRefs[0]', line: 19, pool: 'default/vllm-llama3-8b-instruct-alpha', inInput: true }]);
    expect(report.findings[0].becomes).toBe('the same HTTPRoute with its references to vllm-llama3-8b-instruct-alpha pointing at InferencePool vllm-llama3-8b-instruct-ga (inference.networking.k8s.io)');
    expect(report.findings[1].becomes).toBe('InferenceObjective default/food-review (inference.networking.x-k8s.io/v1alpha2), priority 1 (criticality Critical)');
    expect(report.findings[1].note).toMatch(/^GIE v1\.6\.0 does not serve InferenceObjective either/);
    expect(report.findings[3].becomes).toBe('InferencePool default/vllm-llama3-8b-instruct-ga (inference.networking.k8s.io/v1)');
    expect(new Set(report.findings.map((f) => f.command))).toEqual(new Set(['inference-migrate plan --from apps --out <migrations-dir>']));
    expect(scanExitCode(report)).toBe(3);
  });

  test('given GIE v0.5.1, then everything alpha is still served (exit 2); with v1.4.0 only the pool', () => {
    const objects = readRepo(path.join(FIXTURES, 'one-pool')).objects;

    expect(scanExitCode(scanObjects(objects, v('v0.5.1')))).toBe(2);
    expect(scanObjects(objects, v('v1.4.0')).findings.map((f) => f.served)).toEqual([true, false, false, true]);
  });

  test('given every criticality and none, then each model becomes an objective with the documented priority', () => {
    const report = scanObjects(readRepo(path.join(FIXTURES, 'criticalities')).objects, v('v1.0.2'));

    expect(report.findings.filter((f) => f.kind === 'InferenceModel').map((f) => `${f.name}: ${/priority -?\d+ \(criticality \w+\)/.exec(f.becomes)?.[0]}`)).toEqual([
      'chatbot: priority 1 (criticality Critical)',
      'summarizer: priority -1 (criticality Standard)',
      'batch-eval: priority -2 (criticality Sheddable)',
      'unlabelled: priority -1 (criticality Standard)',
      'food-review: priority -1 (criticality Standard)',
    ]);
  });

  test('given LlamaStack v1alpha1 and a KServe ingress config not on Gateway API, then both are found and served', () => {
    const report = scanObjects(readRepo(path.join(FIXTURES, 'other-apis')).objects, v('v1.6.0'));

    expect(report.findings.map((f) => `${f.kind} ${f.namespace}/${f.name} served=${f.served}`)).toEqual([
      'ConfigMap kserve/inferenceservice-config served=true',
      'LlamaStackDistribution llama/llamastack served=true',
    ]);
    expect(scanExitCode(report)).toBe(2);
  });

  // GIE PR #2973 removed both kinds in v1.6.0 (config/crd/bases@v1.6.0 has neither CRD); README.md@v1.6.0 says they
  // moved with the EPP to llm-d/llm-d-router, which serves them as llm-d.ai/v1alpha2 (apix/v1alpha2/doc.go@v0.10.0).
  const migrated = [
    'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceObjective\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  priority: 1\n  poolRef:\n    name: p',
    'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceModelRewrite\nmetadata:\n  name: chat\n  namespace: llm\nspec:\n  poolRef:\n    name: p\n  rules:\n  - matches:\n    - model:\n        value: chat\n    targets:\n    - modelRewrite: llama-3\n      weight: 100',
    'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: p\n  namespace: llm',
  ].join('\n---\n');

  test('given an InferenceObjective and an InferenceModelRewrite and the default target v1.6.0, then both are found as no longer served (exit 3), with where they went', () => {
    // Given a repository the migration already finished
    const report = scanObjects(parseYamlText(migrated, 'x.yaml').objects, v('v1.6.0'));

    // Then both are listed, not served, and the exit code is the one of any object the target drops
    expect(report.findings.map((f) => `${f.kind} ${f.namespace}/${f.name} served=${f.served} ${f.servedBy}`)).toEqual([
      'InferenceObjective llm/chat served=false GIE v1.0.0–v1.5.x',
      'InferenceModelRewrite llm/chat served=false GIE v1.2.0–v1.5.x',
    ]);
    expect(report.findings[1].becomes).toBe('nothing GIE v1.6.0 serves: llm-d/llm-d-router serves InferenceModelRewrite as llm-d.ai/v1alpha2, read by its Endpoint Picker (GIE v1.6.0 moved the EPP and this API there)');
    expect(report.findings[1].note).toContain('requests for the rewritten models then reach the model servers under the name they were sent with');
    expect(report.findings[0].command).toBe('none in inference-migrate: stay at GIE v1.5.x or older, or move to llm-d/llm-d-router\'s llm-d.ai/v1alpha2 InferenceObjective');
    expect(scanExitCode(report)).toBe(3);
    expect(formatScan(report, 'text', '.')).toContain('2 use an API that GIE v1.6.0 does not serve');
  });

  test('given the same objects and a target that still serves them (v1.5.0), then nothing is found (exit 0)', () => {
    const report = scanObjects(parseYamlText(migrated, 'x.yaml').objects, v('v1.5.0'));

    expect(report.findings).toEqual([]);
    expect(scanExitCode(report)).toBe(0);
  });

  test('given an InferenceModel whose targetModels rename the model, then it becomes an objective and the InferenceModelRewrite of its name', () => {
    const text = 'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceModel\nmetadata:\n  name: food-review\n  namespace: llm\nspec:\n' +
      '  modelName: food-review\n  criticality: Critical\n  poolRef:\n    name: p\n  targetModels:\n  - name: food-review-1\n    weight: 90\n  - name: food-review-2\n    weight: 10';

    const [finding] = scanObjects(parseYamlText(text, 'm.yaml').objects, v('v1.6.0')).findings;

    expect(finding.becomes).toBe('InferenceObjective llm/food-review (inference.networking.x-k8s.io/v1alpha2), priority 1 (criticality Critical) ' +
      'and InferenceModelRewrite llm/food-review (inference.networking.x-k8s.io/v1alpha2), rewriting model food-review to food-review-1=90, food-review-2=10');
    expect(finding.note).toMatch(/^GIE v1\.6\.0 does not serve InferenceObjective or InferenceModelRewrite either \(InferenceObjective: v1\.0\.0–v1\.5\.x, InferenceModelRewrite: v1\.2\.0–v1\.5\.x; moved with the EPP to llm-d\/llm-d-router as llm-d\.ai\/v1alpha2\): migrate with the CRDs of a release from v1\.3\.x to v1\.4\.x/);
    expect(scanObjects(parseYamlText(text, 'm.yaml').objects, v('v1.4.0')).findings[0].note).toBeUndefined();
  });

  test('given a KServe config already on Gateway API, an InferenceObjective (target v1.5.0) and a GA pool, then nothing is found', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inferenceservice-config\n  namespace: kserve\ndata:\n  ingress: \'{"enableGatewayApi": true, "kserveIngressGateway": "kserve/kserve-ingress-gateway"}\'',
      'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferenceObjective\nmetadata:\n  name: chat\nspec:\n  priority: 1\n  poolRef:\n    name: p',
      'apiVersion: inference.networking.k8s.io/v1\nkind: InferencePool\nmetadata:\n  name: p',
    ].join('\n---\n');

    expect(scanObjects(parseYamlText(text, 'x.yaml').objects, v('v1.5.0')).findings).toEqual([]);
  });

  test('given objects from a stage folder written by inference-migrate, then they are listed and marked', () => {
    const objects = parseYamlText('apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  name: p-alpha\n', 'm/01-side-by-side/pool.yaml').objects
      .map((o) => ({ ...o, generated: true }));

    const report = scanObjects(objects, v('v1.6.0'));

    expect(report.findings.map((f) => f.generated)).toEqual([true]);
    expect(formatScan(report, 'text', 'repo')).toContain('  origin:  a stage folder written by inference-migrate (applied while that stage is synced)\n');
  });

  test('given nothing alpha, then the exit code is 0 and the text says so', () => {
    const report = scanObjects(readRepo(path.join(FIXTURES, 'nothing')).objects, v('v1.6.0'));

    expect(scanExitCode(report)).toBe(0);
    expect(formatScan(report, 'text', 'repo')).toBe('no alpha objects found (target GIE v1.6.0)\n');
  });
});

describe('formatScan', () => {
  const report = scanObjects(parseYamlText('apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  name: p-alpha\n  namespace: llm\n', 'pool.yaml').objects, v('v1.6.0'));

  test('given text, then each object is a block with file:line, what it becomes and whether it is served', () => {
    expect(formatScan(report, 'text', 'repo')).toBe([
      'repo/pool.yaml:1: InferencePool llm/p-alpha (inference.networking.x-k8s.io/v1alpha2)',
      '  becomes: InferencePool llm/p-ga (inference.networking.k8s.io/v1)',
      '  served:  no: GIE v1.6.0 does not serve it (GIE v0.2.0–v1.4.x)',
      '  migrate: inference-migrate plan --from . --out <migrations-dir>',
      '',
      'found 1 alpha object; 1 uses an API that GIE v1.6.0 does not serve',
      '',
    ].join('\n'));
  });

  test('given json, then the findings, counts and exit code are machine-readable', () => {
    const json = JSON.parse(formatScan(report, 'json', 'repo'));

    expect(json).toMatchObject({ target: 'v1.6.0', found: 1, notServed: 1, exitCode: 3 });
    expect(json.findings[0]).toMatchObject({ file: 'repo/pool.yaml', line: 1, kind: 'InferencePool', namespace: 'llm', name: 'p-alpha', served: false });
  });

  test('given markdown, then it is a table with one row per object', () => {
    expect(formatScan(report, 'markdown', 'repo').split('\n').slice(0, 3)).toEqual([
      '| file | object | becomes | served by GIE v1.6.0 | command |',
      '|---|---|---|---|---|',
      '| `repo/pool.yaml:1` | InferencePool llm/p-alpha (inference.networking.x-k8s.io/v1alpha2) | InferencePool llm/p-ga (inference.networking.k8s.io/v1) | no: GIE v1.6.0 does not serve it (GIE v0.2.0–v1.4.x) ' +
        '| `inference-migrate plan --from . --out <migrations-dir>` |',
    ]);
  });

  test('given a name and a file built to break the table, then each finding stays one row of five cells', () => {
    const yaml = 'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  name: "a|b\\n# Pwned\\n| x | y |"\n  namespace: llm\n';
    const hostile = scanObjects(parseYamlText(yaml, 'p|`x`\n.yaml').objects, v('v1.6.0'));
    const lines = formatScan(hostile, 'markdown', 'repo').split('\n');
    expect(lines).toHaveLength(6);
    expect((lines[2].match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length).toBe(6);
  });
});

describe('KServe LLMInferenceServiceConfig', () => {
  // The shapes of KServe's shipped configs at v0.16.0 (charts/llmisvc-resources/templates/config-llm-router-route.yaml
  // and config-llm-scheduler.yaml, rendered), whose {{ }} KServe's controller fills.
  const ROUTE = [
    'apiVersion: serving.kserve.io/v1alpha1',
    'kind: LLMInferenceServiceConfig',
    'metadata:',
    '  name: kserve-config-llm-router-route',
    'spec:',
    '  router:',
    '    route:',
    '      http:',
    '        spec:',
    '          parentRefs:',
    '            - {group: gateway.networking.k8s.io, kind: Gateway, name: "{{ .GlobalConfig.IngressGatewayName }}"}',
    '          rules:',
    '            - backendRefs:',
    '                - group: inference.networking.x-k8s.io',
    '                  kind: InferencePool',
    '                  name: |-',
    '                    {{ ChildName .ObjectMeta.Name `-inference-pool` }}',
    '                  port: 8000',
    '',
  ].join('\n');
  const SCHEDULER = [
    'apiVersion: serving.kserve.io/v1alpha1',
    'kind: LLMInferenceServiceConfig',
    'metadata:',
    '  name: kserve-config-llm-scheduler',
    'spec:',
    '  router:',
    '    scheduler:',
    '      pool:',
    '        spec:',
    '          extensionRef:',
    '            failureMode: FailOpen',
    '            kind: Service',
    '            name: |-',
    '              {{ ChildName .ObjectMeta.Name `-epp-service` }}',
    '          selector: { }',
    '          targetPortNumber: 8000',
    '',
  ].join('\n');

  test('given KServe v0.16.0\'s router route and scheduler configs, then scan reports each with the fields to change for the v1 pool, not as templates to render', () => {
    const parsed = parseYamlText(`${ROUTE}---\n${SCHEDULER}`, 'llmisvc.yaml');
    expect(parsed.skipped).toEqual([]);

    const report = scanObjects(parsed.objects, v('v1.6.0'));

    expect(report.findings.map((f) => [f.kind, f.name, f.becomes, f.served])).toEqual([
      ['LLMInferenceServiceConfig', 'kserve-config-llm-router-route',
        'the same LLMInferenceServiceConfig in the v1 form of KServe v0.17.0: spec.router.route.http.spec.rules[0].backendRefs[0].group: inference.networking.k8s.io', false],
      ['LLMInferenceServiceConfig', 'kserve-config-llm-scheduler',
        'the same LLMInferenceServiceConfig in the v1 form of KServe v0.17.0: spec.router.scheduler.pool.spec.extensionRef -> endpointPickerRef, with port.number 9002; '
        + 'spec.router.scheduler.pool.spec.targetPortNumber 8000 -> targetPorts: [{number: 8000}]; spec.router.scheduler.pool.spec.selector -> selector.matchLabels', false],
    ]);
    expect(report.findings[0].note).toMatch(/KServe's controller creates the InferencePool and HTTPRoute .* nothing to render/);
    expect(report.findings[0].command).toBe('upgrade KServe to v0.17.0 or later, and change the fields listed (not planned by inference-migrate)');
    expect(scanExitCode(report)).toBe(3);
  });

  test('given KServe v0.17.0\'s v1 forms, then nothing is reported', () => {
    const v1 = SCHEDULER.replace('extensionRef:', 'endpointPickerRef:').replace('          selector: { }\n          targetPortNumber: 8000\n', '          selector: {matchLabels: {app: x}}\n          targetPorts: [{number: 8000}]\n');
    const route = ROUTE.replace('inference.networking.x-k8s.io', 'inference.networking.k8s.io');

    expect(scanObjects(parseYamlText(`${route}---\n${v1}`, 'llmisvc.yaml').objects, v('v1.6.0')).findings).toEqual([]);
  });
});
