/**
 * Kills a process that replaces a large output (SIGKILL, at many moments of the replacement, and of
 * the recovery that follows), then checks the promise of the output module: the folder holds the
 * complete old output or the complete new one, or is missing while the complete old output sits
 * beside it; after the next run's recovery it is old or new, never a mix, and nothing is left beside it.
 *
 * The child runs the compiled module (lib/output) and stops itself with SIGKILL right before its k-th
 * change to the file system. Every step that moves a folder, the journal or a kept file is a moment,
 * plus a random sample of the others (set OUTPUT_CRASH_MOMENTS for more, OUTPUT_CRASH_SEED to repeat).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { OutputDirectory } from '../../src/output';
import { IN_MUTATION_SANDBOX, ROOT, removeTempDirs, requireCompiled, seededRandom, tempDir, testCompiled, testSeed } from '../cli/run-cli';

beforeAll(() => IN_MUTATION_SANDBOX || requireCompiled());
afterAll(() => removeTempDirs());

const SEED = testSeed();
const RANDOM_MOMENTS = Number(process.env.OUTPUT_CRASH_MOMENTS ?? 16);
const LIB = path.join(ROOT, 'lib', 'output', 'index.js');

/** A large tree: `count` files in nested folders; `variant` changes the content and some paths. */
function tree(variant: string, count: number): { [file: string]: string } {
  const files: { [file: string]: string } = {};
  for (let i = 0; i < count; i++) files[`m${i % 7}/${String(i % 13).padStart(2, '0')}-stage/${variant === 'new' && i % 3 === 0 ? 'n' : 'o'}-${i}.yaml`] = `${variant}: ${i}\n${'x'.repeat(i % 50)}\n`;
  return files;
}

const OLD = tree('old', 120);
const NEW = tree('new', 150);
const USER_FILES = { 'NOTES.md': 'my notes\n', 'm1/05-stage/mine.yaml': 'mine: 1\n', 'extra/a/b.txt': 'b\n' };

/** The child: writes `tree` into `dir` (or only opens it: recovery), killing itself before change `crashAt`. */
const CHILD = `
const { OutputDirectory } = require(${JSON.stringify(LIB)});
const [dir, which, crashAt] = process.argv.slice(1);
const files = JSON.parse(require('fs').readFileSync(process.env.TREE_FILE, 'utf8'))[which] || {};
const steps = [];
const out = OutputDirectory.open(dir, { command: 'crash-test', replace: true, keepUnknownFiles: true, beforeChange: (what) => {
  steps.push(what);
  if (steps.length === Number(crashAt)) process.kill(process.pid, 'SIGKILL');
} });
if (which === 'recover') out.close();
else out.write(Object.entries(files).map(([p, content]) => ({ path: p, content })));
process.stdout.write(JSON.stringify({ steps, notices: out.notices }));
`;

let treeFile: string;

function child(dir: string, which: 'old' | 'new' | 'recover', crashAt = 0) {
  const r = spawnSync(process.execPath, ['-e', CHILD, dir, which, String(crashAt)], { encoding: 'utf8', env: { ...process.env, TREE_FILE: treeFile } });
  if (r.signal === null && r.status !== 0) throw new Error(`child failed (${which}, crash at ${crashAt}):\n${r.stderr}`);
  return { killed: r.signal === 'SIGKILL', result: r.signal === null ? JSON.parse(r.stdout) as { steps: string[]; notices: string[] } : undefined };
}

/** Every file under `dir` with its content; undefined when `dir` is missing. */
function snapshot(dir: string): Map<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (fs.lstatSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}

const same = (a: Map<string, string> | undefined, b: Map<string, string> | undefined) =>
  a !== undefined && b !== undefined && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

describe('a replacement killed at any moment', () => {
  let template: string;
  let oldSnap: Map<string, string>;
  let newSnap: Map<string, string>;
  let steps: string[];

  beforeAll(() => {
    const work = tempDir('crash-');
    treeFile = path.join(work, 'trees.json');
    fs.writeFileSync(treeFile, JSON.stringify({ old: OLD, new: NEW }));
    template = path.join(work, 'template');
    const dir = OutputDirectory.open(path.join(template, 'out'), { command: 'crash-test' });
    dir.write(Object.entries(OLD).map(([p, content]) => ({ path: p, content })));
    for (const [f, text] of Object.entries(USER_FILES)) {
      fs.mkdirSync(path.dirname(path.join(template, 'out', f)), { recursive: true });
      fs.writeFileSync(path.join(template, 'out', f), text);
    }
    oldSnap = snapshot(path.join(template, 'out'))!;
    const full = path.join(work, 'full');
    fs.cpSync(template, full, { recursive: true });
    steps = child(path.join(full, 'out'), 'new').result!.steps;
    newSnap = snapshot(path.join(full, 'out'))!;
    expect(fs.readdirSync(full)).toEqual(['out']);
    for (const f of Object.keys(USER_FILES)) expect(newSnap.get(f)).toBe(oldSnap.get(f));
  });

  testCompiled(`then the folder is old or new, never a mix, and the next run recovers it (seed ${SEED})`, () => {
    const rand = seededRandom(SEED);
    // Every step that moves something as a whole (lock, journal, folders, kept files), plus a random
    // sample of the others (file writes, folders made, old files and folders removed).
    const critical = steps.map((s, i) => ({ s, i: i + 1 })).filter(({ s }) => !/^(write|unlink old|mkdir) [^ ]*\.yaml$|^mkdir m\d|^rmdir /.test(s)).map(({ i }) => i);
    const sample = Array.from({ length: RANDOM_MOMENTS }, () => 1 + Math.floor(rand() * steps.length));
    const moments = [...new Set([...critical, ...sample])].sort((a, b) => a - b);
    expect(critical.length).toBeGreaterThan(10);

    const work = tempDir('crash-run-');
    const parent = path.join(work, 'p');
    const out = path.join(parent, 'out');
    const oldSide = path.join(parent, '.out.inference-migrate-old');
    let killedRecoveries = 0;
    for (const k of moments) {
      const where = `crash before step ${k} of ${steps.length} (${steps[k - 1]}), seed ${SEED}`;
      fs.rmSync(parent, { recursive: true, force: true });
      fs.cpSync(path.join(template), parent, { recursive: true });

      expect({ where, killed: child(out, 'new', k).killed }).toEqual({ where, killed: true });

      // Right after the kill: old, new, or missing with the complete old output beside it.
      const now = snapshot(out);
      const beside = snapshot(oldSide);
      const oldOutputBeside = now === undefined && [...oldSnap].every(([f, text]) => f in USER_FILES || beside?.get(f) === text);
      expect({ where, state: same(now, oldSnap) ? 'old' : same(now, newSnap) ? 'new' : oldOutputBeside ? 'missing, old beside' : 'mixed' })
        .toEqual({ where, state: expect.stringMatching(/^(old|new|missing, old beside)$/) });

      // The recovery may be killed too (now and then); the one after it finishes the job.
      if (rand() < 0.25) {
        const j = 1 + Math.floor(rand() * 12);
        if (child(out, 'recover', j).killed) killedRecoveries++;
      }
      // The recovery of the next run (in this process: the same module, from src).
      const opened = OutputDirectory.open(out, { command: 'crash-test', replace: true, keepUnknownFiles: true });
      opened.close();
      const recovery = { notices: opened.notices };
      const after = snapshot(out);
      expect({ where, state: same(after, oldSnap) ? 'old' : same(after, newSnap) ? 'new' : 'mixed' })
        .toEqual({ where, state: expect.stringMatching(/^(old|new)$/) });
      expect({ where, beside: fs.readdirSync(parent) }).toEqual({ where, beside: ['out'] });
      if (!same(now, after)) expect({ where, notices: recovery.notices.length }).toEqual({ where, notices: 1 });

      // And the next write works (checked now and then: it is the same code every time).
      if (rand() < 0.3) {
        OutputDirectory.open(out, { command: 'crash-test', replace: true, keepUnknownFiles: true }).write(Object.entries(NEW).map(([p, content]) => ({ path: p, content })));
        expect({ where, final: same(snapshot(out), newSnap) }).toEqual({ where, final: true });
      }
    }
    expect(moments.length).toBeGreaterThan(critical.length);
    expect(killedRecoveries).toBeGreaterThanOrEqual(0);
  });
});

describe('a replacement killed between creating its run id file and writing the id', () => {
  testCompiled('given the empty id file alone in the new tree, then the next run undoes the preparation and the old output stays', () => {
    // Given an output, and a replacement killed right after it created the run id file, before writing the id
    const work = tempDir('crash-id-');
    treeFile = path.join(work, 'trees.json');
    fs.writeFileSync(treeFile, JSON.stringify({ old: { 'a.yaml': 'old: 1\n' }, new: { 'a.yaml': 'new: 1\n' } }));
    const dir = path.join(work, 'out');
    OutputDirectory.open(dir, { command: 'crash-test' }).write([{ path: 'a.yaml', content: 'old: 1\n' }]);
    const before = snapshot(dir);
    const killAfterCreate = `
const fs = require('fs'), path = require('path');
const { OutputDirectory } = require(${JSON.stringify(LIB)});
const dir = process.argv[1];
const out = OutputDirectory.open(dir, { command: 'crash-test', replace: true, beforeChange: (what) => {
  if (what === 'write .inference-migrate-run') {
    fs.writeFileSync(path.join(path.dirname(dir), '.out.inference-migrate-new', '.inference-migrate-run'), '');
    process.kill(process.pid, 'SIGKILL');
  }
} });
out.write([{ path: 'a.yaml', content: 'new: 1\\n' }]);
`;
    const killed = spawnSync(process.execPath, ['-e', killAfterCreate, dir], { encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');

    // When the next run opens the folder
    const recovered = child(dir, 'recover');

    // Then it undid the preparation: the old output, nothing beside it
    expect(recovered.killed).toBe(false);
    expect(same(snapshot(dir), before)).toBe(true);
    expect(fs.readdirSync(work).sort()).toEqual(['out', 'trees.json']);
  });
});
