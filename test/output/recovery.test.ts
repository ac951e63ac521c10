/**
 * The recovery of an interrupted replacement trusts nothing it did not write in this folder: a journal
 * and `.<out>.inference-migrate-old/-new` folders planted beside --out (a merged pull request can put
 * them there) never make it delete, move or read anything outside its own temporary folders, and a
 * journal of another run (copied, or planted) is refused with nothing touched. A real interruption
 * (SIGKILL of a child process at a chosen step) is still finished, and what the recovery did is said
 * even when the run is then refused.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OUTPUT_MARKER, OutputDirectory, OutputOptions, sideName } from '../../src/output';
import { IN_MUTATION_SANDBOX, ROOT, removeTempDirs, requireCompiled, runCli, tempDir, testCompiled, writeTree } from '../cli/run-cli';

beforeAll(() => IN_MUTATION_SANDBOX || requireCompiled());
afterAll(() => removeTempDirs());

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const OPTIONS: OutputOptions = { command: 'plan', label: '--out out', replace: true, replaceHint: 'add --force', keepUnknownFiles: true };
const LIB = path.join(ROOT, 'lib', 'output', 'index.js');
const ONE_POOL = path.join(ROOT, 'test', 'fixtures', 'repos', 'one-pool');

/** Every entry under `dir`: files with their content, links as `-> target`, folders with `/`. */
function entries(dir: string, rel = ''): { [f: string]: string } {
  const out: { [f: string]: string } = {};
  if (!fs.existsSync(path.join(dir, rel))) return out;
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
    else if (st.isDirectory()) Object.assign(out, { [`${r}/`]: '' }, entries(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

/** A repository with an output `out` written by the tool, and a folder `outside` with a file nobody may touch. */
function repository() {
  const repo = tempDir('planted-');
  const out = path.join(repo, 'out');
  OutputDirectory.open(out, { command: 'plan' }).write([{ path: 'm/README.md', content: '# m\n' }, { path: 'm/01-a/x.yaml', content: 'x: 1\n' }]);
  writeTree(repo, { 'outside/victim.txt': 'victim\n', 'outside/secret.env': 'TOKEN=s3cr3t\n' });
  const side = (role: string) => path.join(repo, sideName('out', role));
  return { repo, out, side };
}

/** Writes `tree` into `dir` in a child process that kills itself (SIGKILL) right before the first step matching `step`. */
function killedWrite(dir: string, tree: { [f: string]: string }, step: RegExp): string[] {
  const child = `
const { OutputDirectory } = require(${JSON.stringify(LIB)});
const steps = [];
const out = OutputDirectory.open(process.argv[1], { command: 'plan', replace: true, keepUnknownFiles: true, beforeChange: (what) => {
  steps.push(what);
  if (new RegExp(process.argv[3]).test(what)) { require('fs').writeSync(1, JSON.stringify(steps)); process.kill(process.pid, 'SIGKILL'); }
} });
out.write(Object.entries(JSON.parse(process.argv[2])).map(([p, content]) => ({ path: p, content })));
`;
  const r = spawnSync(process.execPath, ['-e', child, dir, JSON.stringify(tree), step.source], { encoding: 'utf8' });
  expect({ signal: r.signal, stderr: r.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
  return JSON.parse(r.stdout);
}

describe('a journal planted beside --out', () => {
  test('given a journal that removes ../outside/victim.txt and an old folder, then it is refused and nothing is touched, with or without replace', () => {
    const { repo, out, side } = repository();
    fs.mkdirSync(side('old'));
    fs.writeFileSync(side('journal.json'), JSON.stringify({ tool: 'inference-migrate', step: 'swap', remove: [{ path: '../outside/victim.txt', sha256: sha('victim\n') }] }));
    const before = entries(repo);

    for (const replace of [true, false]) {
      expect(() => OutputDirectory.open(out, { ...OPTIONS, replace })).toThrow(
        new RegExp(`^${side('journal.json')} is not a journal inference-migrate can act on \\(no run id: written by an earlier release, or not by inference-migrate\\); nothing was changed: `));
      expect(entries(repo)).toEqual(before);
    }
  });

  test.each([
    ['a path outside its folder', { remove: [{ path: '../outside/victim.txt', sha256: sha('victim\n') }] }, /"remove" lists "\.\.\/outside\/victim\.txt", whose path has a part that is "\.\."/],
    ['an absolute path', { keep: ['/etc/passwd'] }, /"keep" lists "\/etc\/passwd", whose path is absolute/],
    ['a removal without sha256', { remove: [{ path: 'm/README.md' }] }, /"remove" lists a file without its sha256/],
    ['a folder identity that is not a number', { fresh: { dev: '1', ino: '../x' } }, /"fresh" is not a device and inode number/],
  ])('given a journal with %s (and a run id), then it is refused naming the problem; nothing is touched', (_what, extra, problem) => {
    const { repo, out, side } = repository();
    fs.mkdirSync(side('old'));
    fs.writeFileSync(side('journal.json'), JSON.stringify({ tool: 'inference-migrate', step: 'swap', run: 'a'.repeat(32), fresh: { dev: '1', ino: '2' }, ...extra }));
    const before = entries(repo);

    expect(() => OutputDirectory.open(out, OPTIONS)).toThrow(problem);
    expect(entries(repo)).toEqual(before);
  });

  test('given the old folder planted as a link to outside/ and a journal that keeps secret.env and removes victim.txt, then nothing is moved or removed', () => {
    const { repo, out, side } = repository();
    fs.renameSync(out, side('new-real'));
    fs.symlinkSync(path.join(repo, 'outside'), side('old'));
    fs.mkdirSync(side('new'));
    const stat = fs.lstatSync(side('new'), { bigint: true });
    const id = { dev: String(stat.dev), ino: String(stat.ino) };
    fs.writeFileSync(side('journal.json'), JSON.stringify({
      tool: 'inference-migrate',
      step: 'swap',
      run: 'b'.repeat(32),
      fresh: id,
      target: id,
      keep: ['secret.env'],
      remove: [{ path: 'victim.txt', sha256: sha('victim\n') }],
    }));
    const before = entries(repo);

    expect(() => OutputDirectory.open(out, OPTIONS)).toThrow(/cannot be acted on: .*inference-migrate-old is not the folder the journal's run moved aside \(it is a symbolic link\); nothing was changed/);
    expect(entries(repo)).toEqual(before);
    expect(fs.readFileSync(path.join(repo, 'outside', 'secret.env'), 'utf8')).toBe('TOKEN=s3cr3t\n');
  });

  testCompiled('given a real interrupted run whose journal is copied beside another output, then the copy is refused there; the original is still recovered', () => {
    const { repo, out, side } = repository();
    killedWrite(out, { 'm/README.md': '# new\n' }, /^unlink old /);
    const other = path.join(repo, 'other');
    OutputDirectory.open(other, { command: 'plan' }).write([{ path: 'README.md', content: 'other\n' }]);
    const copy = path.join(repo, sideName('other', 'journal.json'));
    fs.copyFileSync(side('journal.json'), copy);
    fs.cpSync(side('old'), path.join(repo, sideName('other', 'old')), { recursive: true });
    const otherBefore = entries(other);

    expect(() => OutputDirectory.open(other, OPTIONS)).toThrow(/is not the folder the journal's run moved aside \(another device or inode number\); nothing was changed/);
    expect(entries(other)).toEqual(otherBefore);

    const recovered = OutputDirectory.open(out, OPTIONS);
    recovered.close();
    expect(recovered.notices).toEqual([`--out out: an earlier run of inference-migrate was interrupted after replacing it; the old output it had kept in ${side('old')} was removed`]);
    expect(entries(out)).toEqual({ [OUTPUT_MARKER]: expect.any(String), 'm/': '', 'm/README.md': '# new\n' });
  });

  testCompiled('given a real interrupted run and then a link put inside the old folder, then recovery removes nothing through the link and says what it left', () => {
    const { repo, out, side } = repository();
    killedWrite(out, { 'm/README.md': '# new\n' }, /^unlink old /);
    // What the old output's m/01-a/x.yaml held, now reached through a link to outside/.
    fs.writeFileSync(path.join(repo, 'outside', 'x.yaml'), 'x: 1\n');
    fs.rmSync(path.join(side('old'), 'm', '01-a'), { recursive: true });
    fs.symlinkSync(path.join(repo, 'outside'), path.join(side('old'), 'm', '01-a'));

    expect(() => OutputDirectory.open(out, OPTIONS)).toThrow(new RegExp(`^${side('old')} is left from an earlier run of inference-migrate on --out out.*\n`
      + `before that: --out out holds the new output; removing the old one failed: ${side('old')}/m/01-a is a symbolic link: .*\n`
      + `before that: ${side('old')} still holds files of the old output that inference-migrate may not remove`));

    expect(fs.readFileSync(path.join(repo, 'outside', 'x.yaml'), 'utf8')).toBe('x: 1\n');
    expect(fs.readFileSync(path.join(repo, 'outside', 'victim.txt'), 'utf8')).toBe('victim\n');
    expect(entries(out)).toEqual({ [OUTPUT_MARKER]: expect.any(String), 'm/': '', 'm/README.md': '# new\n' });
    expect(fs.lstatSync(path.join(side('old'), 'm', '01-a')).isSymbolicLink()).toBe(true);
  });
});

describe('a planted journal or marker that is not JSON', () => {
  test.each([
    ['journal', (side: (role: string) => string, _out: string) => side('journal.json')],
    ['marker', (_side: (role: string) => string, out: string) => path.join(out, OUTPUT_MARKER)],
  ])('given a %s holding a secret instead of JSON, then it is refused by line and column without a byte of its text; nothing is touched', (_what, where) => {
    const { repo, out, side } = repository();
    fs.writeFileSync(where(side, out), 'TOKEN=s3cr3t\n{"tool": x}\n');
    const before = entries(repo);

    let message = '';
    try {
      OutputDirectory.open(out, OPTIONS);
    } catch (err) {
      message = (err as Error).message;
    }

    expect(message).toMatch(/cannot be read \(not valid JSON/);
    expect(message).not.toMatch(/s3cr3t|TOKEN/);
    expect(entries(repo)).toEqual(before);
  });
});

describe('what the recovery did is said', () => {
  testCompiled('given a run killed after its commit point, then the next plan without --force finishes it, says so, and is then refused (exit 1)', () => {
    const repo = tempDir('said-');
    const out = path.join(repo, 'out');
    expect(runCli(['plan', '--from', ONE_POOL, '--out', out, '--no-validate']).status).toBe(0);
    killedWrite(out, { 'm/README.md': '# new\n' }, /^rename .*inference-migrate-new /);

    const run = runCli(['plan', '--from', ONE_POOL, '--out', out, '--no-validate']);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^warning: --out ${out}: an earlier run of inference-migrate was interrupted while replacing it; its complete new output is now in place`));
    expect(run.stderr).toMatch(/\nerror: --out .* holds an earlier output of inference-migrate: add --force to replace it/);
    expect(fs.readdirSync(repo)).toEqual(['out']);
  });

  test('given a journal of an earlier run whose new tree is a link, then the library refuses and its error says nothing was changed', () => {
    const { repo, out, side } = repository();
    fs.symlinkSync(path.join(repo, 'outside'), side('new'));
    fs.writeFileSync(side('journal.json'), JSON.stringify({ tool: 'inference-migrate', step: 'prepare', run: 'c'.repeat(32), fresh: { dev: '1', ino: '1' } }));
    const before = entries(repo);

    expect(() => OutputDirectory.open(out, OPTIONS)).toThrow(/inference-migrate-new is not the folder the journal's run made \(it is a symbolic link\); nothing was changed/);
    expect(entries(repo)).toEqual(before);
  });
});
