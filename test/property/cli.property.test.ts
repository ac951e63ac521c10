import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { fcOptions } from './arbitraries';
import { main } from '../../src/cli/main';
import * as reader from '../../src/discover/repo-reader';
import { listTree, snapshotTree } from '../cli/run-cli';

// The CLI's entry point, in-process (it never throws and never exits: it resolves to the exit code),
// fed with random, mutated and hostile YAML trees. The oracle: the exit code is one the command
// documents, never 70 (an internal error: a bug in this tool, whatever the input), and bad input (1)
// names a file of the input. The last test proves the oracle can fail: with a bug injected into the
// reader, the same property fails.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const BASES = ['one-pool', 'criticalities', 'header-matches', 'shared-pool', 'two-namespaces', 'mixed-backends', 'kustomize-helm'];
const base = Object.fromEntries([...BASES, 'kserve', 'llamastack'].map((b) => [b, snapshotTree(path.join(FIXTURES, b))]));

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fuzz-'));
let counter = 0;
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Tree = { [file: string]: string | Buffer };

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

/** A text-level mutation: what a bad merge, a stray keystroke or a truncated download does to YAML. */
const textMutation = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...':{}[]-\n\t\'"#&*!|>%@ ab1'.split('')), minLength: 1, maxLength: 6 }) }),
  fc.record({ op: fc.constant('dropLine' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dupLine' as const), at: fc.nat() }),
  // What a hostile or broken repository holds: templates, deep nesting, names that inject shell or Markdown.
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom('"{{ .Release.Name }}-x"', '{{ include "x" . }}', `[${'['.repeat(150)}1${']'.repeat(150)}]`, '"x; touch pwned #"', '"a\\n```\\n# h"', '&a [*a]', '*nope'),
  }),
);

function applyText(text: string, m: any): string {
  if (m.op === 'truncate') return text.slice(0, m.at % (text.length + 1));
  if (m.op === 'insert') {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.text + text.slice(at);
  }
  const lines = text.split('\n');
  const i = m.at % Math.max(1, lines.length);
  if (m.op === 'dropLine') lines.splice(i, 1);
  else lines.splice(i, 0, lines[i] ?? '');
  return lines.join('\n');
}

/** A structural mutation: a field removed or replaced by a value of another type. */
const valueJunk = fc.oneof(
  fc.constant(null), fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant([]), fc.constant({}), fc.double({ noNaN: true }),
);
const structMutation = fc.record({
  doc: fc.nat(),
  depth: fc.nat({ max: 5 }),
  pick: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
  remove: fc.boolean(),
  value: valueJunk,
});

function applyStruct(text: string, m: any): string {
  let docs: any[];
  try {
    docs = YAML.parseAllDocuments(text, { logLevel: 'error' }).map((d) => d.toJS({ logLevel: 'error' } as any));
  } catch {
    return text;
  }
  if (docs.length === 0) return text;
  const doc = docs[m.doc % docs.length];
  let node = doc;
  for (let d = 0; d < m.depth && node && typeof node === 'object'; d++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[m.pick[d] % keys.length];
    if (d === m.depth - 1 || !node[key] || typeof node[key] !== 'object') {
      if (m.remove) delete node[key];
      else node[key] = m.value;
      break;
    }
    node = node[key];
  }
  return docs.map((d) => YAML.stringify(d)).join('---\n');
}

/** A fixture repository with 1..3 mutations in one of its files. */
function mutatedTreeOf(...bases: string[]): fc.Arbitrary<Tree> {
  return fc.record({
    base: fc.constantFrom(...bases),
    file: fc.nat(),
    mutations: fc.array(fc.oneof(textMutation.map((m) => ({ kind: 'text', m })), structMutation.map((m) => ({ kind: 'struct', m }))), { minLength: 1, maxLength: 3 }),
    // Some files are saved in another encoding than UTF-8.
    latin1: fc.boolean(),
  }).map(({ base: b, file, mutations, latin1 }) => {
    const tree: Tree = { ...base[b] };
    const names = Object.keys(tree).filter((f) => /\.ya?ml$/.test(f));
    const target = names[file % names.length];
    let text = String(tree[target]);
    for (const { kind, m } of mutations) text = kind === 'text' ? applyText(text, m) : applyStruct(text, m);
    tree[target] = latin1 ? Buffer.from(text.replace(/a/, 'ä'), 'latin1') : text;
    return tree;
  });
}

const mutatedTree = mutatedTreeOf(...BASES);

/** Entirely random trees: any JSON documents as YAML, and raw text. */
const randomTree: fc.Arbitrary<Tree> = fc.dictionary(
  fc.string({ unit: fc.constantFrom(...'abcxyz-_'.split('')), minLength: 1, maxLength: 8 }).map((n) => `${n}.yaml`),
  fc.oneof(
    fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 3 }).map((docs) => docs.map((d) => YAML.stringify(d)).join('---\n')),
    fc.string({ maxLength: 200 }),
    fc.constant('apiVersion: inference.networking.x-k8s.io/v1alpha2\nkind: InferencePool\nmetadata: {name: x}\nspec: {selector: 7}\n'),
  ),
  { minKeys: 1, maxKeys: 4 },
);

function fresh(tree: Tree): { dir: string; out: string; files: string[] } {
  const n = ++counter;
  const dir = path.join(root, `in-${n}`);
  for (const [file, content] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return { dir, out: path.join(root, `out-${n}`), files: listTree(dir) };
}

/** A stack trace printed without --debug. */
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

/**
 * The oracle of every command: never exit 70 (an internal error is a bug, whatever the input), only
 * the exit codes the command documents, no stack trace, and bad input (1) names a file of the input.
 */
function checkRun(r: { code: number; stdout: string; stderr: string }, allowed: number[], files: string[]): void {
  if (r.code === 70) throw new Error(`exit 70 (internal error) on generated input:\n${r.stderr}`);
  if (!allowed.includes(r.code)) throw new Error(`exit ${r.code}, not one of ${allowed.join(', ')}:\n${r.stderr}`);
  if (STACK_TRACE.test(r.stderr)) throw new Error(`a stack trace without --debug:\n${r.stderr}`);
  if (r.code === 1 && !files.some((f) => `${r.stdout}${r.stderr}`.includes(f))) throw new Error(`exit 1 without naming an input file:\n${r.stdout}${r.stderr}`);
}

async function checkPlan(tree: Tree): Promise<void> {
  const { dir, out, files } = fresh(tree);
  const r = await run(['plan', '--from', dir, '--out', out]);
  checkRun(r, [0, 1], files);
  // Bad input: --out was not touched.
  if (r.code === 1 && fs.existsSync(out)) throw new Error(`exit 1, but ${out} was written`);
}

async function checkScan(tree: Tree): Promise<void> {
  const { dir, files } = fresh(tree);
  const r = await run(['scan', dir, '--output', 'json']);
  checkRun(r, [0, 1, 2, 3], files);
  if (r.code !== 1) JSON.parse(r.stdout);
}

async function checkPlanKServe(tree: Tree): Promise<void> {
  const { dir, out, files } = fresh(tree);
  const r = await run(['plan-kserve', '--from', dir, '--out', out]);
  // "No inferenceservice-config" names no file: it is about the input as a whole.
  checkRun(r, [0, 1], [...files, 'no ConfigMap inferenceservice-config found']);
}

async function checkConvertLlamaStack(tree: Tree): Promise<void> {
  const { dir, out, files } = fresh(tree);
  const r = await run(['convert', 'llamastack', dir, '--out', out]);
  // "Nothing to convert" names no file: it is about the input as a whole.
  checkRun(r, [0, 1], [...files, 'no LlamaStackDistribution found']);
}

async function checkValidate(tree: Tree): Promise<void> {
  const { dir, files } = fresh(tree);
  const r = await run(['validate', dir]);
  checkRun(r, [0, 1], files);
}


describe('property: no input ever ends in an internal error (exit 70)', () => {
  test('plan on mutated repositories: exit 0 or 1, bad input names its file, --out untouched', async () => {
    await fc.assert(fc.asyncProperty(mutatedTree, checkPlan), fcOptions);
  });

  test('plan on random YAML trees', async () => {
    await fc.assert(fc.asyncProperty(randomTree, checkPlan), fcOptions);
  });

  test('scan on mutated repositories: exit 0, 1, 2 or 3', async () => {
    await fc.assert(fc.asyncProperty(mutatedTree, checkScan), fcOptions);
  });

  test('scan on random YAML trees', async () => {
    await fc.assert(fc.asyncProperty(randomTree, checkScan), fcOptions);
  });

  test('validate on mutated repositories: exit 0 or 1', async () => {
    await fc.assert(fc.asyncProperty(mutatedTree, checkValidate), fcOptions);
  });

  test('plan-kserve on mutated KServe installations: exit 0 or 1', async () => {
    await fc.assert(fc.asyncProperty(mutatedTreeOf('kserve'), checkPlanKServe), fcOptions);
  });

  test('convert llamastack on mutated LlamaStackDistributions: exit 0 or 1', async () => {
    await fc.assert(fc.asyncProperty(mutatedTreeOf('llamastack'), checkConvertLlamaStack), fcOptions);
  });
});

describe('the oracle can fail', () => {
  test('given a bug injected into the reader (a TypeError), then the command exits 70 and the property fails', async () => {
    // plan reads through readPath, scan and validate through readInput (a file, a directory or stdin).
    const injected = () => {
      throw new TypeError("Cannot read properties of undefined (reading 'metadata')");
    };
    const bugs = [jest.spyOn(reader, 'readPath').mockImplementation(injected), jest.spyOn(reader, 'readInput').mockImplementation(injected)];
    try {
      const { dir, out } = fresh(base['one-pool']);
      const r = await run(['plan', '--from', dir, '--out', out]);
      expect(r.code).toBe(70);
      expect(r.stderr).toMatch(/^internal error: TypeError: Cannot read properties of undefined \(reading 'metadata'\) \(please report: https:\/\/github\.com\/.*\/issues/);

      for (const check of [checkPlan, checkScan, checkValidate]) {
        const failure = await fc.assert(fc.asyncProperty(mutatedTree, check), { ...fcOptions, numRuns: 3 })
          .then(() => undefined, (err: Error) => err);
        expect(failure?.message).toMatch(/^Property failed after 1 tests/);
        expect((failure?.cause as Error)?.message).toMatch(/^exit 70 \(internal error\) on generated input:\ninternal error: TypeError/);
      }
    } finally {
      for (const b of bugs) b.mockRestore();
    }
  });
});
