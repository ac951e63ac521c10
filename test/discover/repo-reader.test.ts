import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fieldLine, InputError, parseYamlText, readRepo, splitFieldPath } from '../../src/discover/repo-reader';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');

const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempRepo(files: { [file: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'repo-reader-'));
  temps.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseYamlText', () => {
  test('given a multi-document file with comments and empty documents, then each object has the line of its first content line', () => {
    const parsed = parseYamlText(`---\n# Source: chart/templates/a.yaml\n${CM('a')}---\n---\n\n${CM('b')}`, 'all.yaml');

    expect(parsed.problems).toEqual([]);
    expect(parsed.objects.map((o) => [o.object.metadata.name, o.line])).toEqual([['a', 3], ['b', 10]]);
  });

  test('given documents that are not Kubernetes objects, then each is skipped with its reason', () => {
    const text = [
      'replicaCount: 3',
      '---',
      '- a list',
      '---',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []',
      '---',
      'apiVersion: skaffold/v4beta6\nkind: Config',
      '---',
      'apiVersion: v1\nkind: Config\nclusters: []',
      '---',
      'apiVersion: inference.networking.x-k8s.io/v1alpha1\nkind: EndpointPickerConfig\nplugins: []',
    ].join('\n');

    const parsed = parseYamlText(text, 'misc.yaml');

    expect(parsed.problems).toEqual([]);
    expect(parsed.objects).toEqual([]);
    expect(parsed.skipped.map((s) => `${s.line} ${s.reason}`)).toEqual([
      '1 not a kubernetes object (no apiVersion and no kind)',
      '3 not a kubernetes object (a yaml list)',
      '5 tool configuration (kustomize.config.k8s.io/v1beta1 Kustomization), not a cluster object',
      '9 tool configuration (skaffold/v4beta6 Config), not a cluster object',
      '12 tool configuration (v1 Config), not a cluster object',
      '16 tool configuration (inference.networking.x-k8s.io/v1alpha1 EndpointPickerConfig), not a cluster object',
    ]);
  });

  test('given a values file, then it is skipped as Helm values', () => {
    expect(parseYamlText('image:\n  tag: v1\n', 'values-prod.yaml').skipped).toEqual([{ file: 'values-prod.yaml', line: 1, reason: 'helm values file' }]);
  });

  test('given Go templates, parseable or not, then they are skipped as templates and never fatal', () => {
    const parseable = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n';
    const broken = '{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\nmetadata:\n  name: x\n{{- end }}\n';
    const plain = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - image: repo:{{ .Values.tag }}\n';

    for (const text of [parseable, broken, plain]) {
      const parsed = parseYamlText(text, 'tpl.yaml');
      expect(parsed.problems).toEqual([]);
      expect(parsed.objects).toEqual([]);
      expect(parsed.skipped).toEqual([{ file: 'tpl.yaml', line: 1, reason: 'template ({{ }}), not yaml until rendered' }]);
    }
  });

  test('given {{ inside a quoted or block string of a rendered object, then the object is read', () => {
    const text = `${CM('alerts')}data:\n  summary: "{{ $labels.instance }} is down"\n  tmpl: |\n    {{ define "x" }}{{ end }}\n`;

    expect(parseYamlText(text, 'cm.yaml').objects.map((o) => o.object.data.summary)).toEqual(['{{ $labels.instance }} is down']);
  });

  test('given malformed YAML, then the problem names the line and column', () => {
    const parsed = parseYamlText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   namespace: b\n', 'bad.yaml');

    expect(parsed.problems).toEqual([{ file: 'bad.yaml', line: 4, message: 'malformed yaml: nested mappings are not allowed in compact mappings (column 9)' }]);
  });

  test('given a duplicate key, then it is malformed', () => {
    expect(parseYamlText('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata:\n  name: a\n', 'dup.yaml').problems)
      .toEqual([{ file: 'dup.yaml', line: 3, message: expect.stringMatching(/^malformed yaml: map keys must be unique/) }]);
  });

  test('given objects without kind, apiVersion or name, then each is a problem with its line', () => {
    const text = 'apiVersion: v1\nmetadata:\n  name: a\n---\nkind: ConfigMap\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: c-\n';

    expect(parseYamlText(text, 'x.yaml').problems).toEqual([
      { file: 'x.yaml', line: 1, message: 'object with apiVersion "v1" has no kind' },
      { file: 'x.yaml', line: 5, message: 'ConfigMap has no apiVersion' },
      { file: 'x.yaml', line: 9, message: 'ConfigMap has no metadata.name (only metadata.generateName, which gives a new object on every apply)' },
    ]);
  });

  test('given a v1 List (kubectl get -o yaml), then its items are read with their own lines', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n';

    expect(parseYamlText(text, 'list.yaml').objects.map((o) => [o.object.metadata.name, o.line])).toEqual([['a', 4], ['b', 8]]);
  });

  test('given YAML 1.1 booleans, then they read as Kubernetes reads them', () => {
    expect(parseYamlText(`${CM('a')}data:\n  enabled: yes\n`, 'a.yaml').objects[0].object.data.enabled).toBe(true);
  });
});

describe('fieldLine', () => {
  test('given a validation field path, then the line of the deepest field that exists is found', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app.kubernetes.io/name: x\nspec:\n  rules:\n  - a: 1\n  - b: 2\n';
    const obj = parseYamlText(text, 'a.yaml').objects[0];

    expect(fieldLine(obj, 'metadata.labels[app.kubernetes.io/name]')).toBe(6);
    expect(fieldLine(obj, 'spec.rules[1].b')).toBe(10);
    expect(fieldLine(obj, 'spec.rules[1].missing')).toBe(10);
    expect(fieldLine(obj, '')).toBe(1);
    expect(splitFieldPath('spec.rules[0][a.b].c')).toEqual(['spec', 'rules', '0', 'a.b', 'c']);
  });
});

describe('readRepo', () => {
  test('given the kustomize-helm fixture, then charts, values, kustomizations, patches and templates are skipped and the rest read', () => {
    const repo = readRepo(path.join(FIXTURES, 'kustomize-helm'));

    expect(repo.skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual([
      'base/kustomization.yaml: kustomization (kustomize configuration, not a cluster object)',
      'charts/vllm/Chart.yaml: helm chart metadata (Chart.yaml)',
      'charts/vllm/templates/deployment.yaml: helm chart template (chart charts/vllm/)',
      'charts/vllm/values.yaml: helm values file',
      'overlays/prod/epp-resources.yaml: kustomize patch (listed in overlays/prod/kustomization.yaml)',
      'overlays/prod/kustomization.yaml: kustomization (kustomize configuration, not a cluster object)',
      'stray-template.yaml: template ({{ }}), not yaml until rendered',
      'values-prod.yaml: helm values file',
    ]);
    expect([...new Set(repo.objects.map((o) => o.file))]).toEqual(['base/httproute.yaml', 'base/inference-models.yaml', 'base/inference-pool.yaml']);
    expect(new Set(repo.objects.map((o) => o.namespaceHint))).toEqual(new Set(['llm']));
  });

  test('given malformed files, then every problem is reported with the path as given', () => {
    const dir = tempRepo({ 'a/bad.yaml': 'a: [\n', 'b.yaml': 'kind: ConfigMap\nmetadata:\n  name: x\n', 'ok.yaml': CM('ok') });

    let error: InputError | undefined;
    try {
      readRepo(dir);
    } catch (e) {
      error = e as InputError;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${escape(dir)}/a/bad\\.yaml:2: malformed yaml: `)),
      `${dir}/b.yaml:1: ConfigMap has no apiVersion`,
    ]);
  });

  test('given hidden directories, node_modules and an earlier output of this tool, then none is read', () => {
    const dir = tempRepo({
      '.github/workflows/ci.yaml': 'on: push\n',
      'node_modules/x/a.yaml': CM('nm'),
      'out/.inference-migrate.json': '{}',
      'out/m/01-side-by-side/a.yaml': CM('out'),
      'app/a.yml': CM('a'),
      'app/notes.txt': 'not yaml',
    });

    const repo = readRepo(dir);

    expect(repo.files).toEqual(['app/a.yml']);
    expect(repo.skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual([
      '.github/: hidden directory',
      'out/: written by inference-migrate (stage folders are output, not input)',
    ]);
    expect(readRepo(dir, { skipOutputs: false }).files).toEqual(['app/a.yml', 'out/m/01-side-by-side/a.yaml']);
  });

  test.each(['.inference-migrate-output.json', '.inference-migrate.json', '.generated-by-cdk8s-inference-migration'])(
    'given a folder holding the output marker %s (this release or an earlier one), then it is skipped as output',
    (marker) => {
      const dir = tempRepo({ [`gitops/m/${marker}`]: '{}', 'gitops/m/01-side-by-side/a.yaml': CM('out'), 'app/a.yml': CM('a') });
      expect(readRepo(dir).files).toEqual(['app/a.yml']);
      expect(readRepo(dir).skipped.map((s) => s.file)).toEqual(['gitops/m/']);
    },
  );

  test('given a path that is not a directory, then the error says so', () => {
    expect(() => readRepo(path.join(FIXTURES, 'does-not-exist'))).toThrow(/does-not-exist: no such directory$/);
    expect(() => readRepo(path.join(FIXTURES, 'one-pool', 'infra', 'gateway.yaml'))).toThrow(/gateway\.yaml: not a directory$/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
