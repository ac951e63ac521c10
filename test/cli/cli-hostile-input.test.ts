/**
 * Hostile and broken input through the compiled CLI: every case is an error (exit 1, naming the file)
 * or a skip listed in the normal output, never silent and never a crash; and the exit codes of every
 * command, 70 (a bug in this tool) included.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { BIN, FIXTURES, listTree, removeTempDirs, requireCompiled, ROOT, runCli, tempDir, writeTree } from './run-cli';

afterAll(removeTempDirs);

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\n`;

/** A copy of a fixture repository in a fresh directory. */
function copyOf(fixture: string): string {
  const dir = path.join(tempDir('hostile-'), fixture);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

describe('symbolic links inside --from', () => {
  test('given links to a folder outside --from and to a system folder, then plan lists them (without --verbose) and reads nothing outside', () => {
    const from = copyOf('one-pool');
    const outside = writeTree(tempDir('outside-'), { 'epp-config.yaml': CM('vllm-llama3-8b-instruct-alpha-epp-config') });
    fs.symlinkSync(outside, path.join(from, 'apps', 'llm', 'shared'));
    fs.symlinkSync('/usr', path.join(from, 'usr'));
    const out = path.join(tempDir(), 'out');

    const run = runCli(['plan', '--from', from, '--out', out]);

    expect(run.status).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('skipped '))).toEqual([
      `skipped ${from}/apps/llm/shared/: symbolic link to ${outside}, outside ${from}: links are not followed`,
      `skipped ${from}/usr/: symbolic link to /usr, outside ${from}: links are not followed`,
    ]);
    expect(listTree(out).filter((f) => f.includes('epp-config'))).toEqual([]);
  });
});

describe('size limit', () => {
  test('given a file above --max-file-size, then every reading command fails (1) naming the file and the flag; a higher limit reads it', () => {
    const from = writeTree(tempDir(), { 'big.yaml': `${CM('big')}data:\n  blob: "${'x'.repeat(4000)}"\n` });
    const out = path.join(tempDir(), 'out');

    for (const args of [['scan', from], ['validate', from], ['plan', '--from', from, '--out', out], ['convert', 'llamastack', from, '--out', out]]) {
      const run = runCli([...args, '--max-file-size', '2KiB']);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toBe(`error: ${from}/big.yaml: is 4.0 KiB, above the size limit of 2 KiB for one input file; if it really is one manifest file, raise the limit (--max-file-size, or the maxFileSize option)\n`);
    }
    expect(runCli(['validate', from, '--max-file-size', '1MiB']).status).toBe(0);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('given a bad --max-file-size, then it is a usage error (64)', () => {
    const run = runCli(['scan', FIXTURES, '--max-file-size', 'huge']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/^error: option '--max-file-size <size>' argument 'huge' is invalid\. expected a size such as 64MiB/);
  });
});

describe('bounded reading', () => {
  test('given an endless stream on standard input, then scan - stops at the size limit and fails (1) with the error of a file, without running out of memory', () => {
    requireCompiled();
    // timeout(1) stops the CLI itself: spawnSync's timeout would stop only the shell, and a CLI that does not
    // stop reading (a stale lib/, a regression) would go on filling memory after the test failed.
    const run = spawnSync('/bin/sh', ['-c', `yes 'a: b' | timeout -s KILL 60 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} scan -`], { encoding: 'utf8', timeout: 90_000 });

    expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
    expect(run.stderr).toBe('error: <stdin>: is larger than the size limit of 16 MiB for one input file; '
      + 'if it really is one manifest file, raise the limit (--max-file-size, or the maxFileSize option)\n');
  });

  test('given a FIFO or a malformed file as --crds, then validate refuses it at once (exit 1), never waits or reports a bug', () => {
    const dir = writeTree(tempDir('crds-'), { 'cm.yaml': CM('x'), 'bad-crds.yaml': 'a: [\n' });
    spawnSync('mkfifo', [path.join(dir, 'crds.yaml')]);

    const fifo = spawnSync(process.execPath, [BIN, 'validate', path.join(dir, 'cm.yaml'), '--crds', path.join(dir, 'crds.yaml')], { encoding: 'utf8', timeout: 20_000 });
    expect({ status: fifo.status, signal: fifo.signal }).toEqual({ status: 1, signal: null });
    expect(fifo.stderr).toContain('crds.yaml: expected a regular file, found a special file (device, pipe or socket): it is not read');
    const bad = runCli(['validate', path.join(dir, 'cm.yaml'), '--crds', path.join(dir, 'bad-crds.yaml')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/cannot parse crd file .*bad-crds\.yaml \(document 1\)/);
  });

  test('given a file of more tiny documents than --max-documents, then every reading command fails (1) naming the file, the line, the limit and the flag; a higher limit reads it', () => {
    const dir = writeTree(tempDir('documents-'), { 'many.yaml': 'a: b\n---\n'.repeat(10_001), 'few.yaml': CM('x') });

    for (const args of [['scan', dir], ['validate', dir], ['plan', '--from', dir, '--out', path.join(tempDir(), 'out')]]) {
      const run = runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toContain('many.yaml:20000: holds more than 10000 yaml documents, the limit of one input file; if it really is one manifest stream, raise the limit (--max-documents, or the maxDocuments option)');
    }
    expect(runCli(['scan', dir, '--max-documents', '20000']).stderr).not.toContain('holds more than');
    expect(runCli(['scan', dir, '--max-documents', '0']).status).toBe(64);
  });
});

describe('scalars as Kubernetes reads them', () => {
  test('given a ConfigMap named 2024-01-01 and a label released: 2024-01-01 (unquoted) under --from, then plan and validate read them as strings and go on', () => {
    const from = copyOf('one-pool');
    writeTree(from, { 'apps/llm/dated.yaml': `${CM('2024-01-01')}  labels:\n    released: 2024-01-01\n` });

    expect(runCli(['plan', '--from', from, '--out', path.join(tempDir(), 'out'), '--no-validate']).status).toBe(0);
    const validate = runCli(['validate', path.join(from, 'apps/llm/dated.yaml')]);
    expect(validate).toMatchObject({ status: 0, stdout: '1 object in 1 file: no problems\n' });
  });

  test('given metadata.name: 0o12 (which kubectl reads as 10), then validate reports it with file and line (exit 1)', () => {
    const dir = writeTree(tempDir('octal-'), { 'cm.yaml': CM('0o12') });

    expect(runCli(['validate', dir])).toMatchObject({
      status: 1,
      stderr: `error: ${dir}/cm.yaml:1: ConfigMap has a metadata.name that is not a string (got 10): Kubernetes reads the unquoted value so; quote it\n`,
    });
  });
});

describe('metadata.namespace: null, as Kubernetes reads it', () => {
  // Seed 990599095 of the CLI property test: a structural mutation set an InferenceModel's namespace to null, and
  // plan stopped with "CarriedManifest (object): metadata.namespace ... must be a string", naming no file. The API
  // server and kubectl read `namespace: null` (what `namespace: {{ .Values.ns }}` renders when unset) as no
  // namespace, as the planner already did for every other kind.
  test('given InferenceModels whose metadata.namespace is null, then plan plans them as ones without a namespace (exit 0), as it does without the line', () => {
    const nulled = copyOf('one-pool');
    const file = path.join(nulled, 'apps', 'llm', 'inference-models.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}namespace: default$/gm, '  namespace: null'));
    const absent = copyOf('one-pool');
    const absentFile = path.join(absent, 'apps', 'llm', 'inference-models.yaml');
    fs.writeFileSync(absentFile, fs.readFileSync(absentFile, 'utf8').replace(/^ {2}namespace: default\n/gm, ''));

    const withNull = runCli(['plan', '--from', nulled, '--dry-run', '--no-validate']);
    const without = runCli(['plan', '--from', absent, '--dry-run', '--no-validate']);

    expect(withNull.stderr).not.toMatch(/CarriedManifest/);
    expect(withNull.status).toBe(0);
    expect(without.status).toBe(0);
    expect(withNull.stdout).toMatch(/kind: InferenceObjective/);
    // The same objects (the text of a carried InferenceModel differs: its null line is replaced, not kept).
    const objects = (stream: string) => YAML.parseAllDocuments(stream).map((d) => d.toJS()).filter((o) => o !== null);
    expect(objects(withNull.stdout)).toEqual(objects(without.stdout));
  });

  test('given the same InferenceModels and validation on (the default), then plan names the file, the line and the field (exit 1)', () => {
    const nulled = copyOf('one-pool');
    const file = path.join(nulled, 'apps', 'llm', 'inference-models.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}namespace: default$/gm, '  namespace: null'));

    const run = runCli(['plan', '--from', nulled, '--dry-run']);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: ${file}:5: input does not pass validation: InferenceModel food-review: metadata.namespace: must be a string (got null)`);
    expect(run.stderr).not.toMatch(/CarriedManifest/);
  });
});

describe('control characters in what is printed', () => {
  test('given a file whose name holds ESC sequences, a carriage return and a bidi override, and a document whose kind holds ESC, then nothing reaches the terminal raw: each is escaped', () => {
    const dir = writeTree(tempDir('control-'), {
      'evil\u001b[2J\u001b[31mred\r\u202eoverride.yaml': 'a: [\n',
      'kind.yaml': 'apiVersion: v1\nkind: "Con\\e[1mfig"\nmetadata: {}\n',
    });

    const run = runCli(['validate', dir]);

    expect(run.status).toBe(1);
    const printed = run.stdout + run.stderr;
    // eslint-disable-next-line no-control-regex
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(printed).toContain('evil\\x1b[2J\\x1b[31mred\\x0d\\u202eoverride.yaml:2: malformed yaml');
    expect(printed).toContain('Con\\x1b[1mfig');
  });
});

describe('path flags', () => {
  test.each([
    [['plan', '--from', '', '--out', 'x'], '--from'],
    [['plan', '--from', 'x', '--out', ''], '--out'],
    [['promote', 'm', '--app', ''], '--app'],
    [['status', 'm', '--app', ''], '--app'],
    [['validate', ''], 'input'],
  ])('given %j, then it is a usage error (64) that says a path is expected', (args, flag) => {
    const run = runCli(args);
    expect(run.status).toBe(64);
    const first = run.stderr.split('\n')[0];
    expect(first).toMatch(/^error: .*'' is invalid.*\. expected a path, not an empty string$/);
    expect(first).toContain(flag);
  });

  test('given validate on a folder with no Kubernetes object, then it says nothing was validated and exits 1', () => {
    const dir = writeTree(tempDir('empty-'), { 'values.yaml': 'replicas: 2\n' });
    expect(runCli(['validate', dir])).toMatchObject({ status: 1, stdout: '', stderr: 'error: nothing was validated: no Kubernetes object in 1 file read (1 skipped: --verbose lists them)\n' });
    expect(runCli(['validate', tempDir('empty-')])).toMatchObject({ status: 1, stderr: 'error: nothing was validated: no Kubernetes object in 0 files read\n' });
  });
});

describe('documents the reader refuses or skips', () => {
  const deep = `${CM('deep')}data:\n  k: ${'['.repeat(700)}1${']'.repeat(700)}\n`;

  test.each([
    ['a 700-deep document', { 'deep.yaml': deep }, /^error: .*\/deep\.yaml:1: document nested deeper than 100 levels \(at least 101\)/],
    ['a file that is not UTF-8', { 'latin1.yaml': Buffer.from(`${CM('a')}data:\n  city: "M\u00fcnchen"\n`, 'latin1') }, /^error: .*\/latin1\.yaml:7: is not valid UTF-8 \(byte 0xfc at column 11\)/],
  ])('given %s, then scan, validate and plan fail (1) with file and line, never a crash', (_name, files, expected) => {
    const from = tempDir();
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(from, file), content);

    for (const args of [['scan', from], ['validate', from], ['plan', '--from', from, '--out', path.join(tempDir(), 'out')]]) {
      const run = runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 1 });
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/Maximum call stack|internal error/);
    }
  });

  test('given a quoted Helm template, then scan lists it as skipped without --verbose, and exits 0', () => {
    const from = writeTree(tempDir(), {
      'pool.yaml': 'apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata:\n  name: "{{ .Release.Name }}-x"\nspec:\n  targetPortNumber: 8000\n  selector: {app: x}\n  extensionRef: {name: x}\n',
    });

    const run = runCli(['scan', from]);

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('no alpha objects found (target GIE v1.6.0)\n');
    expect(run.stderr).toBe(`skipped ${from}/pool.yaml:1: helm template ({{ .Release.Name }} in a quoted string), not yaml until rendered: render it with helm template and read the output\n`);
  });
});

describe('names that would inject into a README command', () => {
  test.each([
    ['a v1alpha2 extensionRef.name (a Service name; the CRD has no pattern)', 'name: vllm-llama3-8b-instruct-alpha-epp\n', 'name: "x; touch pwned #"\n',
      /^error: .*\/apps\/llm\/vllm-llama3-8b-instruct-alpha\.yaml:149: InferencePool default\/vllm-llama3-8b-instruct-alpha: 'spec\.extensionRef\.name' must be a lowercase RFC 1035 label: .* \(got "x; touch pwned #"\): it names the Endpoint Picker's Service\n$/],
    ['a namespace with a newline and a heading', '  namespace: default\n  labels:\n    app.kubernetes.io/name: vllm-llama3-8b-instruct-alpha-epp\n    app.kubernetes.io/version: "v0.3.0"\nspec:\n  targetPortNumber',
      '  namespace: "default\\n# pwned"\n  labels:\n    app.kubernetes.io/name: vllm-llama3-8b-instruct-alpha-epp\n    app.kubernetes.io/version: "v0.3.0"\nspec:\n  targetPortNumber',
      /^error: .*\/apps\/llm\/vllm-llama3-8b-instruct-alpha\.yaml:140: InferencePool "default\\n# pwned"\/vllm-llama3-8b-instruct-alpha: 'metadata\.namespace' must be a lowercase RFC 1123 label: .* \(got "default\\n# pwned"\)\n$/],
  ])('given %s, then plan refuses it (1) with file and line and writes nothing', (_name, from, to, expected) => {
    const repo = copyOf('one-pool');
    const file = path.join(repo, 'apps', 'llm', 'vllm-llama3-8b-instruct-alpha.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const at = text.lastIndexOf(from);
    expect(at).toBeGreaterThan(0);
    fs.writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length));
    const out = path.join(tempDir(), 'out');

    const run = runCli(['plan', '--from', repo, '--out', out, '--no-validate']);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(expected);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('exit codes', () => {
  test('given bad flag values, then every command exits 64 with the message and a hint', () => {
    const out = path.join(tempDir(), 'out');
    const cases: string[][] = [
      ['plan-kserve', '--from', FIXTURES, '--out', out, '--namespace', 'Not_A_Namespace'],
      ['plan-kserve', '--helm', '--out', out, '--gateway-name', 'x; rm -rf /'],
      ['plan-kserve', '--helm', '--out', out, '--tls-secret', 'UPPER'],
      ['convert', 'llamastack', FIXTURES, '--out', out, '--namespace', 'a b'],
      ['validate', FIXTURES, '--max-file-size', '0'],
      ['plan', '--from', FIXTURES, '--out', out, '--steps', '10,200'],
    ];
    for (const args of cases) {
      const run = runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 64 });
      expect(run.stderr).toMatch(/^error: option '.*' argument '.*' is invalid\. .*\nsee 'inference-migrate [a-z -]+ --help'\n$/);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  describe('given a bug in the tool (a TypeError injected into the compiled reader)', () => {
    /** Runs the compiled CLI with a preloaded module that breaks the repository reader. */
    function withBug(args: string[]) {
      requireCompiled();
      const inject = path.join(tempDir('inject-'), 'inject.js');
      fs.writeFileSync(inject, [
        `const documents = require(${JSON.stringify(path.join(ROOT, 'lib', 'discover', 'yaml-documents.js'))});`,
        'documents.parseYamlText = () => { const o = undefined; return o.metadata; };',
      ].join('\n'));
      const r = spawnSync(process.execPath, ['-r', inject, BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    test('then every command that reads exits 70 with "internal error: ... (please report: ...)", never as the user\'s fault', () => {
      const out = path.join(tempDir(), 'out');
      for (const args of [['scan', FIXTURES], ['validate', FIXTURES], ['plan', '--from', FIXTURES, '--out', out], ['convert', 'llamastack', FIXTURES, '--out', out]]) {
        const run = withBug(args);
        expect({ args, status: run.status }).toEqual({ args, status: 70 });
        expect(run.stderr).toMatch(/^internal error: TypeError: Cannot read properties of undefined \(reading 'metadata'\) \(please report: https:\/\/github\.com\/cdk8s-inference-migration\/cdk8s-inference-migration\/issues, with the command and inference-migrate [^;]+; --debug prints the stack\)\n$/);
      }
      expect(fs.existsSync(out)).toBe(false);
    });

    test('then --debug adds the stack', () => {
      const run = withBug(['scan', FIXTURES, '--debug']);
      expect(run.status).toBe(70);
      expect(run.stderr).toMatch(/^internal error: TypeError: Cannot read properties of undefined \(reading 'metadata'\) \(please report: [^)]*\)\nTypeError: Cannot read properties of undefined \(reading 'metadata'\)\n\s+at /);
    });
  });
});
