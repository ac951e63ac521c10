import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { firstInvalidUtf8 } from '../../src/discover/input-files';
import { DEFAULT_MAX_FILE_BYTES, fieldLine, InputError, parseYamlText, readPath, readRepo, splitFieldPath } from '../../src/discover/repo-reader';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');

const temps: string[] = [];
afterAll(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempRepo(files: { [file: string]: string }): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'repo-reader-')));
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
      expect(parsed.skipped).toEqual([{ file: 'tpl.yaml', line: 1, reason: expect.stringMatching(/^template \(\{\{ \}\}\), not yaml until rendered: render it/), notable: true }]);
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
      'charts/vllm/Chart.yaml: helm chart with 1 template file: not read, templates are not manifests until rendered; render it (helm template) and read the output',
      'charts/vllm/templates/deployment.yaml: helm chart template (chart charts/vllm/)',
      'charts/vllm/values.yaml: helm values file',
      'overlays/prod/epp-resources.yaml: kustomize patch (listed in overlays/prod/kustomization.yaml)',
      'overlays/prod/kustomization.yaml: kustomization (kustomize configuration, not a cluster object)',
      'stray-template.yaml: template ({{ }}), not yaml until rendered: render it (helm template, or its own tool) and read the output',
      'values-prod.yaml: helm values file',
    ]);
    expect(repo.skipped.filter((s) => s.notable).map((s) => s.file)).toEqual(['charts/vllm/Chart.yaml', 'stray-template.yaml']);
    expect([...new Set(repo.objects.map((o) => o.file))]).toEqual(['base/httproute.yaml', 'base/inference-models.yaml', 'base/inference-pool.yaml']);
    expect(new Set(repo.objects.map((o) => o.namespaceHint))).toEqual(new Set(['llm']));
  });

  test('given a helmfile that installs an alpha release of GIE\'s inferencepool chart, then it is a notable skip with the line of that release', () => {
    // llm-d-infra's quickstart installs the v0.5.1 chart by helmfile: the alpha pool is in the cluster, in no manifest.
    const helmfile = 'releases:\n- name: other\n  chart: example/other\n- name: gaie\n  chart: oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool\n  version: v0.5.1\n';
    const dir = tempRepo({ 'helmfile.yaml': helmfile, 'gke.helmfile.yaml': helmfile.replace('v0.5.1', 'v1.0.2'), 'pool/values.yaml': 'a: 1\n' });

    const repo = readRepo(dir);

    const skip = repo.skipped.find((s) => s.file === 'helmfile.yaml')!;
    expect(skip).toMatchObject({ line: 5, notable: true, alphaLines: [5] });
    expect(skip.reason).toContain('gaie (line 5, chart version v0.5.1)');
    expect(skip.reason).toContain('helmfile template');
    // A GA release of the chart is read as any other file: not a Kubernetes object.
    expect(repo.skipped.find((s) => s.file === 'gke.helmfile.yaml')).toMatchObject({ reason: 'not a kubernetes object (no apiVersion and no kind)' });
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
    expect(() => readRepo(path.join(FIXTURES, 'does-not-exist'))).toThrow(/does-not-exist: does not exist$/);
    expect(() => readRepo(path.join(FIXTURES, 'one-pool', 'infra', 'gateway.yaml'))).toThrow(/gateway\.yaml: is not a directory$/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The InputError `read` throws; fails when it throws nothing or something else (a RangeError, say). */
function inputErrorOf(read: () => unknown): InputError {
  try {
    read();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
  }
  throw new Error('expected an InputError, got none');
}

describe('hostile input: never silent, never a crash', () => {
  describe('symbolic links are never followed', () => {
    test('given links to a directory outside, to a system folder, to itself and to a file outside, then each is listed with its target and nothing outside is read', () => {
      const outside = tempRepo({ 'secret/configmap.yaml': CM('from-outside'), 'lone.yaml': CM('lone') });
      const dir = tempRepo({ 'app/a.yaml': CM('a') });
      fs.symlinkSync(path.join(outside, 'secret'), path.join(dir, 'app', 'shared'));
      fs.symlinkSync('/etc', path.join(dir, 'etc'));
      fs.symlinkSync('.', path.join(dir, 'app', 'loop'));
      fs.symlinkSync(path.join(outside, 'lone.yaml'), path.join(dir, 'lone.yaml'));

      const repo = readRepo(dir);

      expect(repo.objects.map((o) => o.object.metadata.name)).toEqual(['a']);
      expect(repo.files).toEqual(['app/a.yaml']);
      expect(repo.skipped.map((s) => [s.file, s.notable])).toEqual([
        ['app/loop/', true],
        ['app/shared/', true],
        ['etc/', true],
        ['lone.yaml', true],
      ]);
      const reason = (file: string) => repo.skipped.find((s) => s.file === file)!.reason;
      expect(reason('app/shared/')).toBe(`symbolic link to ${path.join(outside, 'secret')}, outside ${dir}: links are not followed`);
      expect(reason('etc/')).toBe(`symbolic link to /etc, outside ${dir}: links are not followed`);
      expect(reason('app/loop/')).toBe('symbolic link to ., inside the directory: read at its own path (app): links are not followed');
      expect(reason('lone.yaml')).toMatch(/^symbolic link to .*lone\.yaml, outside /);
    });

    test('given a link to a file inside the directory and a dangling link, then the target is read once, at its own path', () => {
      const dir = tempRepo({ 'base/pool.yaml': CM('pool') });
      fs.symlinkSync('base/pool.yaml', path.join(dir, 'pool-link.yaml'));
      fs.symlinkSync('missing.yaml', path.join(dir, 'dangling.yaml'));

      const repo = readRepo(dir);

      expect(repo.objects.map((o) => `${o.file} ${o.object.metadata.name}`)).toEqual(['base/pool.yaml pool']);
      expect(repo.skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual([
        'dangling.yaml: symbolic link to missing.yaml, which does not resolve (missing, or a loop): links are not followed',
        'pool-link.yaml: symbolic link to base/pool.yaml, inside the directory: read at its own path (base/pool.yaml) if it is a manifest: links are not followed',
      ]);
    });

    test('given a named pipe called x.yaml, then it is listed and never opened (opening it would block)', () => {
      const dir = tempRepo({ 'a.yaml': CM('a') });
      const made = spawnSync('mkfifo', [path.join(dir, 'x.yaml')]);
      if (made.status !== 0) return; // no mkfifo on this machine

      const repo = readRepo(dir);

      expect(repo.skipped).toEqual([{ file: 'x.yaml', line: 0, reason: 'not a regular file (a named pipe), not read', notable: true }]);
    });
  });

  describe('size limit', () => {
    test('given a file above the limit, then it is an error that names the file, its size and how to raise the limit', () => {
      const dir = tempRepo({ 'big.yaml': `${CM('big')}data:\n  blob: "${'x'.repeat(2000)}"\n`, 'a.yaml': CM('a') });

      const error = inputErrorOf(() => readRepo(dir, { maxFileBytes: 1024 }));

      expect(error.message).toBe(`${dir}/big.yaml: is 2.0 KiB, above the size limit of 1 KiB for one input file; if it really is one manifest file, raise the limit (--max-file-size, or the maxFileSize option)`);
      expect(readRepo(dir, { maxFileBytes: 4096 }).objects.map((o) => o.object.metadata.name)).toEqual(['a', 'big']);
    });

    test('given the default limit, then it is 16 MiB', () => {
      expect(DEFAULT_MAX_FILE_BYTES).toBe(16 * 1024 * 1024);
    });
  });

  describe('nesting depth', () => {
    const flow = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
    const block = (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' 1';

    test.each([
      ['a 700-deep flow sequence', `${CM('deep')}data:\n  k: ${flow(700)}\n`],
      ['a 700-deep block mapping', `${CM('deep')}data:\n${block(700)}\n`],
      ['a 100,000-deep flow sequence', `${CM('deep')}data:\n  k: ${flow(100_000)}\n`],
    ])('given %s, then it is a problem at its line, not a stack overflow', (_name, text) => {
      const parsed = parseYamlText(`${CM('before')}---\n${text}---\n${CM('after')}`, 'deep.yaml');

      expect(parsed.problems).toEqual([{ file: 'deep.yaml', line: 6, message: expect.stringMatching(/^document nested deeper than 100 levels \(at least 101\): no Kubernetes object nests that deep/) }]);
      expect(parsed.objects.map((o) => o.object.metadata.name)).toEqual(['before', 'after']);
    });

    test('given aliases that expand deeper than the limit, then it is a problem too', () => {
      const lines = ['a0: &a0 [1]', ...Array.from({ length: 3 }, (_, i) => `a${i + 1}: &a${i + 1} ${'['.repeat(40)}*a${i}${']'.repeat(40)}`)];
      const parsed = parseYamlText(`${CM('aliases')}data:\n${lines.map((l) => `  ${l}`).join('\n')}\n`, 'alias.yaml');

      expect(parsed.problems).toEqual([{ file: 'alias.yaml', line: 1, message: expect.stringMatching(/^document nested deeper than 100 levels/) }]);
    });

    test('given the deepest pinned CRD (31 levels), then it reads', () => {
      const crd = path.join(__dirname, '..', '..', 'imports', 'crds', 'kserve-v0.15.1', 'serving.kserve.io_inferenceservices.yaml');
      expect(parseYamlText(fs.readFileSync(crd, 'utf8'), 'crd.yaml').problems).toEqual([]);
    });
  });

  describe('encoding', () => {
    test('given bytes that are not UTF-8 (Latin-1), then it is an error with the line and column of the first, never a replacement character', () => {
      const dir = tempRepo({});
      fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.concat([Buffer.from(`${CM('a')}data:\n  city: "M`), Buffer.from([0xfc]), Buffer.from('nchen"\n')]));

      expect(inputErrorOf(() => readRepo(dir)).message).toBe(`${dir}/latin1.yaml:6: is not valid UTF-8 (byte 0xfc at column 11): Kubernetes reads manifests as UTF-8; save the file as UTF-8 (it may be Latin-1 or Windows-1252)`);
    });

    test('given UTF-16 with a byte order mark, then it is an error that says how to convert it', () => {
      const dir = tempRepo({});
      fs.writeFileSync(path.join(dir, 'wide.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CM('a'), 'utf16le')]));

      expect(inputErrorOf(() => readRepo(dir)).message).toMatch(/wide\.yaml:1: is encoded as UTF-16LE \(byte order mark\): Kubernetes reads manifests as UTF-8; convert it, e\.g\. iconv -f UTF-16LE -t UTF-8$/);
    });

    test('given UTF-8 with a byte order mark and multi-byte characters, then it reads', () => {
      const dir = tempRepo({});
      fs.writeFileSync(path.join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${CM('a')}data:\n  city: "München 東京 🚀"\n`)]));

      expect(readRepo(dir).objects[0].object.data.city).toBe('München 東京 🚀');
    });

    test.each([
      ['an overlong encoding', [0xc0, 0xaf]],
      ['a lone continuation byte', [0x80]],
      ['a surrogate', [0xed, 0xa0, 0x80]],
      ['a truncated sequence at the end', [0xe2, 0x82]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ])('given %s, then the first invalid byte is found', (_name, bytes) => {
      expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, ...bytes]))).toBe(2);
    });
  });

  describe('${VAR} placeholders (envsubst, Flux post-build substitution)', () => {
    test.each([
      ['a placeholder in metadata.namespace', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: ${NAMESPACE}\n', '${NAMESPACE} in metadata.namespace'],
      ['a placeholder with a default in an image tag', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - image: "registry.k8s.io/gateway-api-inference-extension/epp:${EPP_TAG:=v0.5.1}"\n', '${EPP_TAG:=v0.5.1} in spec.template.spec.containers[0].image'],
      ['a placeholder alone as an argument', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n      - args: ["--pool-name", "${POOL_NAME}"]\n', '${POOL_NAME} in spec.template.spec.containers[0].args[1]'],
      ['a placeholder in a label key', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels:\n    ${TEAM}: owner\n', '${TEAM} in metadata.labels.${TEAM}'],
    ])('given %s, then the document is a listed template skip naming it, like {{ }}', (_name, text, where) => {
      const parsed = parseYamlText(text, 'tpl.yaml');

      expect(parsed.objects).toEqual([]);
      expect(parsed.problems).toEqual([]);
      expect(parsed.skipped).toEqual([{ file: 'tpl.yaml', line: 1, reason: `template (${where}), not yaml until rendered: render it (envsubst, or the Flux Kustomization's postBuild substitution) and read the output`, notable: true }]);
    });

    test.each([
      ['a shell line in a command', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - command: [sh, -c, "echo ${HOME} && run"]\n'],
      ['ConfigMap data', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  url: http://${HOST}:8000\n'],
      ['a multi-line script', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  annotations:\n    script: |\n      export A=${B}\n      run\n'],
      ["Flux's escape $${VAR}", 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations:\n    literal: $${KEEP}\n'],
      ["Kubernetes' own $(VAR)", 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - args: ["--ns=$(NAMESPACE)"]\n'],
    ])('given %s, then the object is read (it is data)', (_name, text) => {
      const parsed = parseYamlText(text, 'x.yaml');

      expect(parsed.skipped).toEqual([]);
      expect(parsed.objects).toHaveLength(1);
    });
  });

  describe('quoted templates', () => {
    test.each([
      ['a quoted Helm template in metadata.name', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}-x"\n', /^helm template \(\{\{ \.Release\.Name \}\} in a quoted string\), not yaml until rendered/],
      ['a quoted template of another tool in metadata.name', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ $name }}-x"\n', /^template \(\{\{ \}\} in metadata\.name\)/],
      ['a single-quoted template in metadata.namespace', "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  namespace: '{{ ns }}'\n", /^template \(\{\{ \}\} in metadata\.namespace\)/],
      ['a Helm action in a quoted spec value', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - image: "repo:{{ .Values.image.tag }}"\n', /^helm template \(\{\{ \.Values\.image\.tag \}\} in a quoted string\)/],
      ['an include in a quoted value', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "{{ include \\"x.labels\\" . }}"\n', /^helm template/],
    ])('given %s, then the document is a listed skip, not an object', (_name, text, reason) => {
      const parsed = parseYamlText(text, 'tpl.yaml');

      expect(parsed.objects).toEqual([]);
      expect(parsed.problems).toEqual([]);
      expect(parsed.skipped).toEqual([{ file: 'tpl.yaml', line: 1, reason: expect.stringMatching(reason), notable: true }]);
    });

    test('given Prometheus and Argo templates in quoted values, then the object is read (they are data)', () => {
      const text = `${CM('alerts')}data:\n  summary: "{{ $labels.instance }} is down ({{ $value }})"\n  argo: '{{workflow.name}}'\n`;
      expect(parseYamlText(text, 'cm.yaml').objects).toHaveLength(1);
    });
  });

  describe('other shapes', () => {
    test('given metadata that is not a map or a namespace that is not a string, then each is a problem with its line', () => {
      const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: 7\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: [a]\n';

      expect(parseYamlText(text, 'm.yaml').problems).toEqual([
        { file: 'm.yaml', line: 1, message: 'ConfigMap has no metadata.name (metadata is 7, not a map)' },
        { file: 'm.yaml', line: 5, message: 'ConfigMap x has a metadata.namespace that is not a string (got ["a"])' },
      ]);
    });
  });
});

describe('readPath', () => {
  test('given a file, then its objects are read with its name; given a directory, then it is read as a repository', () => {
    const file = path.join(FIXTURES, 'one-pool', 'infra', 'gateway.yaml');
    expect(readPath(file).files).toEqual(['gateway.yaml']);
    expect(readPath(path.join(FIXTURES, 'one-pool')).files.length).toBeGreaterThan(1);
  });
});
