import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { fcOptions } from './arbitraries';
import { main } from '../../src/cli/main';
import { listTree, snapshotTree, writeTree } from '../cli/run-cli';

// The CLI's entry point, in-process (it never throws and never exits: it resolves to the exit code),
// fed with random and mutated YAML trees.

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const BASES = ['one-pool', 'criticalities', 'header-matches', 'shared-pool', 'two-namespaces', 'mixed-backends', 'kustomize-helm'];
const base = Object.fromEntries(BASES.map((b) => [b, snapshotTree(path.join(FIXTURES, b))]));

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fuzz-'));
let counter = 0;
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Tree = { [file: string]: string };

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

const mutatedTree: fc.Arbitrary<Tree> = fc.record({
  base: fc.constantFrom(...BASES),
  file: fc.nat(),
  mutations: fc.array(fc.oneof(textMutation.map((m) => ({ kind: 'text', m })), structMutation.map((m) => ({ kind: 'struct', m }))), { minLength: 1, maxLength: 3 }),
}).map(({ base: b, file, mutations }) => {
  const tree: Tree = { ...base[b] };
  const names = Object.keys(tree).filter((f) => /\.ya?ml$/.test(f));
  const target = names[file % names.length];
  let text = tree[target];
  for (const { kind, m } of mutations) text = kind === 'text' ? applyText(text, m) : applyStruct(text, m);
  tree[target] = text;
  return tree;
});

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
  const dir = writeTree(path.join(root, `in-${n}`), tree);
  return { dir, out: path.join(root, `out-${n}`), files: listTree(dir) };
}

const STACK_TRACE = /TypeError|ReferenceError|RangeError|SyntaxError: Unexpected|\n\s+at .+:\d+:\d+/;

async function checkPlan(tree: Tree): Promise<void> {
  const { dir, out, files } = fresh(tree);
  const r = await run(['plan', '--from', dir, '--out', out]);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect([0, 1]).toContain(r.code);
  if (r.code === 1) {
    // Bad input: the message names a file of the input, and --out was not touched.
    if (!files.some((f) => r.stderr.includes(f))) throw new Error(`exit 1 without naming an input file:\n${r.stderr}`);
    expect(fs.existsSync(out)).toBe(false);
  }
}

async function checkScan(tree: Tree): Promise<void> {
  const { dir, files } = fresh(tree);
  const r = await run(['scan', dir, '--output', 'json']);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect([0, 1, 2, 3]).toContain(r.code);
  if (r.code === 1) {
    if (!files.some((f) => r.stderr.includes(f))) throw new Error(`exit 1 without naming an input file:\n${r.stderr}`);
  } else {
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  }
}


describe('property: the CLI never crashes on bad repositories', () => {
  test('plan on mutated repositories: exit 0 or 1, bad input names its file, --out untouched', async () => {
    await fc.assert(fc.asyncProperty(mutatedTree, checkPlan), fcOptions);
  });

  test('plan on random YAML trees', async () => {
    await fc.assert(fc.asyncProperty(randomTree, checkPlan), fcOptions);
  });

  test('scan on mutated repositories: exit 0, 1, 2 or 3, never a crash', async () => {
    await fc.assert(fc.asyncProperty(mutatedTree, checkScan), fcOptions);
  });

  test('scan on random YAML trees', async () => {
    await fc.assert(fc.asyncProperty(randomTree, checkScan), fcOptions);
  });
});
