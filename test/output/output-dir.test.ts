import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkOutputDir, listFiles, OUTPUT_MARKER, repoPathOf, writeOutput } from '../../src/output/output-dir';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'output-dir-')));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const META = { command: 'plan', version: '1.2.3' };
const writeFiles = (files: { [f: string]: string }) => (dir: string) => {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
};
const write = (out: string, files: { [f: string]: string }, options: { force?: boolean; from?: string } = {}) =>
  writeOutput(checkOutputDir(out, options), META, writeFiles(files));
const snapshot = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('output directories', () => {
  test('given a new --out, then the files and a marker listing them with their sha256 are renamed into place, and no temporary directory is left', () => {
    const out = path.join(base, 'deep', 'out');

    const written = write(out, { 'm/01-side-by-side/a.yaml': 'a: 1\n', 'm/README.md': '# m\n' });

    expect(written.map((f) => f.path)).toEqual(['m/01-side-by-side/a.yaml', 'm/README.md']);
    expect(listFiles(out)).toEqual([OUTPUT_MARKER, 'm/01-side-by-side/a.yaml', 'm/README.md']);
    const marker = JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8'));
    expect(marker).toEqual({
      tool: 'inference-migrate',
      package: 'cdk8s-inference-migration',
      version: '1.2.3',
      command: 'plan',
      files: [
        { path: 'm/01-side-by-side/a.yaml', sha256: crypto.createHash('sha256').update('a: 1\n').digest('hex') },
        { path: 'm/README.md', sha256: crypto.createHash('sha256').update('# m\n').digest('hex') },
      ],
    });
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('given an empty --out, then it is used', () => {
    const out = path.join(base, 'out');
    fs.mkdirSync(out);

    write(out, { 'a.yaml': 'a\n' });

    expect(listFiles(out)).toEqual([OUTPUT_MARKER, 'a.yaml']);
  });

  test('given a non-empty --out this tool did not write, then it is refused, even with --force, and left untouched', () => {
    const out = path.join(base, 'out');
    writeFiles({ 'mine.yaml': 'mine\n' })(out);

    for (const force of [false, true]) {
      expect(() => checkOutputDir(out, { force })).toThrow(/^--out .*out exists, is not empty and was not written by inference-migrate \(no \.inference-migrate\.json\): choose a new or empty directory/);
    }
    expect(snapshot(out)).toEqual({ 'mine.yaml': 'mine\n' });
  });

  test('given an earlier output, then it is refused without --force', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });

    expect(() => checkOutputDir(out)).toThrow(/holds an earlier output of inference-migrate: add --force to replace it/);
  });

  test('given --force on an earlier output, then only the listed files are replaced; files the tool did not write stay', () => {
    const out = path.join(base, 'out');
    write(out, { 'old/a.yaml': 'old\n', 'keep/b.yaml': 'b\n' });
    fs.writeFileSync(path.join(out, 'NOTES.md'), 'my notes\n');

    write(out, { 'new/c.yaml': 'c\n', 'keep/b.yaml': 'b2\n' }, { force: true });

    const files = snapshot(out);
    expect(Object.keys(files)).toEqual([OUTPUT_MARKER, 'NOTES.md', 'keep/b.yaml', 'new/c.yaml']);
    expect(files['NOTES.md']).toBe('my notes\n');
    expect(files['keep/b.yaml']).toBe('b2\n');
    expect(fs.existsSync(path.join(out, 'old'))).toBe(false);
    expect(JSON.parse(files[OUTPUT_MARKER]).files.map((f: any) => f.path)).toEqual(['keep/b.yaml', 'new/c.yaml']);
  });

  test('given --force on an earlier output with only listed files, then the new output replaces it whole', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });

    write(out, { 'b.yaml': 'b\n' }, { force: true });

    expect(listFiles(out)).toEqual([OUTPUT_MARKER, 'b.yaml']);
  });

  test('given --force and a listed file someone changed, then it is refused and nothing changes', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });
    fs.writeFileSync(path.join(out, 'a.yaml'), 'edited by hand\n');
    const before = snapshot(out);

    expect(() => write(out, { 'b.yaml': 'b\n' }, { force: true })).toThrow(/a\.yaml was changed after inference-migrate wrote it: move it away \(or restore it\) first/);
    expect(snapshot(out)).toEqual(before);
  });

  test('given --force and a new file that would land on a file the tool did not write, then it is refused and nothing changes', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });
    fs.writeFileSync(path.join(out, 'b.yaml'), 'theirs\n');
    const before = snapshot(out);

    expect(() => write(out, { 'b.yaml': 'ours\n' }, { force: true })).toThrow(/b\.yaml exists and was not written by inference-migrate: move it away first/);
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  test('given a marker that lists a path outside --out, then --force refuses it', () => {
    const out = path.join(base, 'out');
    writeFiles({ [OUTPUT_MARKER]: JSON.stringify({ files: [{ path: '../escape.txt', sha256: 'x' }] }) })(out);

    expect(() => checkOutputDir(out, { force: true })).toThrow(/does not list the files it wrote as relative paths/);
  });

  test('given a failing write, then nothing is left: no --out, no temporary directory, no created parents', () => {
    const out = path.join(base, 'a', 'b', 'out');

    expect(() => writeOutput(checkOutputDir(out), META, (dir) => {
      fs.writeFileSync(path.join(dir, 'half.yaml'), 'x');
      throw new Error('planning failed');
    })).toThrow('planning failed');
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('given --out inside --from, directly or through a symbolic link, then it is refused', () => {
    const from = path.join(base, 'repo');
    fs.mkdirSync(from);
    fs.symlinkSync(from, path.join(base, 'link'));

    expect(() => checkOutputDir(path.join(from, 'migrations'), { from })).toThrow(/^--out .*repo\/migrations is inside --from .*repo: the next plan would read its own output/);
    expect(() => checkOutputDir(path.join(base, 'link', 'out'), { from })).toThrow(/is inside --from/);
    expect(() => checkOutputDir(from, { from })).toThrow(/is inside --from/);
    expect(checkOutputDir(path.join(base, 'elsewhere'), { from }).exists).toBe(false);
  });

  test('given a file as --out, then it is refused', () => {
    fs.writeFileSync(path.join(base, 'file'), 'x');
    expect(() => checkOutputDir(path.join(base, 'file'))).toThrow(/exists and is not a directory/);
  });

  test('given --out inside a Git repository, then the example manifests name it from the repository root', () => {
    fs.mkdirSync(path.join(base, 'gitops', '.git'), { recursive: true });

    expect(repoPathOf(path.join(base, 'gitops', 'migrations', 'llm'))).toBe('migrations/llm');
    expect(repoPathOf(path.join(base, 'nogit'))).toBe('.');
  });
});
