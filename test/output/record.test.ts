/**
 * Records inside an output the tool wrote (promote's active-stage.json): written only where the output's
 * marker proves the folder is the tool's, listed in that marker with their sha256, never over a file the
 * tool did not write or that changed, and read back with whether they are proven.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OUTPUT_MARKER, OutputDirectory, findRecordTarget, readRecords, sideName, writeRecord } from '../../src/output';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'record-')));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** A CLI-style output: `<base>/out` with one migration folder `m`. */
function cliOutput(): string {
  const out = path.join(base, 'out');
  OutputDirectory.open(out, { command: 'plan' }).write([
    { path: 'm/plan.json', content: '{}\n' },
    { path: 'm/01-a/kustomization.yaml', content: 'x\n' },
  ]);
  return out;
}

const markerFiles = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, OUTPUT_MARKER), 'utf8')).files as Array<{ path: string; sha256: string }>;

describe('finding where to record', () => {
  test('given a migration folder of the CLI\'s --out, then the record goes into --out, under the migration\'s folder', () => {
    const out = cliOutput();
    expect(findRecordTarget(path.join(out, 'm'), 'plan.json', 'r.json')).toEqual({ root: out, path: 'm/r.json', proof: 'm/plan.json' });
  });

  test('given a GitOpsWriter migration folder (its own marker), then the record goes to its root', () => {
    const dir = path.join(base, 'w');
    OutputDirectory.open(dir, { command: 'GitOpsWriter' }).write([{ path: 'plan.json', content: '{}\n' }]);
    expect(findRecordTarget(dir, 'plan.json', 'r.json')).toEqual({ root: dir, path: 'r.json', proof: 'plan.json' });
  });

  test('given a folder no marker proves, then there is nowhere to record', () => {
    fs.mkdirSync(path.join(base, 'copy', 'm'), { recursive: true });
    fs.writeFileSync(path.join(base, 'copy', 'm', 'plan.json'), '{}\n');
    expect(findRecordTarget(path.join(base, 'copy', 'm'), 'plan.json', 'r.json')).toBeUndefined();
  });
});

describe('writing a record', () => {
  test('given an output, when a record is written twice, then the marker lists its latest sha256 and the output still replaces cleanly', () => {
    // Given
    const out = cliOutput();
    const target = findRecordTarget(path.join(out, 'm'), 'plan.json', 'r.json')!;
    // When
    writeRecord(target, 'one\n', 'promote');
    writeRecord(target, 'two\n', 'promote');
    // Then
    expect(fs.readFileSync(path.join(out, 'm', 'r.json'), 'utf8')).toBe('two\n');
    expect(markerFiles(out)).toEqual(expect.arrayContaining([{ path: 'm/r.json', sha256: sha('two\n') }, { path: 'm/plan.json', sha256: sha('{}\n') }]));
    expect(readRecords(out, 'r.json', 'subfolders')).toEqual([{ path: 'm/r.json', text: 'two\n', proven: true }]);
    // and a later replacement sees no unknown file (nothing temporary was left inside, or beside it)
    expect(fs.readdirSync(base).sort()).toEqual(['out']);
    expect(() => OutputDirectory.open(out, { command: 'plan', replace: true }).write([{ path: 'm/plan.json', content: '{}\n' }])).not.toThrow();
  });

  test.each([
    ['a file the tool did not write', (f: string) => fs.writeFileSync(f, 'mine\n'), /r\.json was not written by inference-migrate: it is never replaced/],
    ['a symbolic link', (f: string) => fs.symlinkSync('/etc/passwd', f), /r\.json is a symbolic link/],
    ['a folder', (f: string) => fs.mkdirSync(f), /r\.json is a folder/],
  ])('given %s where the record goes, then nothing is written', (_what, place, error) => {
    const out = cliOutput();
    const file = path.join(out, 'm', 'r.json');
    place(file);
    const before = fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8');
    expect(() => writeRecord({ root: out, path: 'm/r.json', proof: 'm/plan.json' }, 'x\n', 'promote')).toThrow(error);
    expect(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8')).toBe(before);
  });

  test('given a record changed since the tool wrote it, then it is not replaced, and reading it says it is not proven', () => {
    const out = cliOutput();
    const target = { root: out, path: 'm/r.json', proof: 'm/plan.json' };
    writeRecord(target, 'one\n', 'promote');
    fs.writeFileSync(path.join(out, 'm', 'r.json'), 'edited\n');
    expect(() => writeRecord(target, 'two\n', 'promote')).toThrow(/r\.json was changed since inference-migrate wrote it/);
    expect(readRecords(out, 'r.json', 'subfolders')).toEqual([{ path: 'm/r.json', text: 'edited\n', proven: false }]);
  });

  test('given a folder whose marker does not list the proof, then nothing is recorded', () => {
    const out = cliOutput();
    expect(() => writeRecord({ root: out, path: 'x/r.json', proof: 'x/plan.json' }, 'x\n', 'promote')).toThrow(/x\/plan\.json is not listed in .*: the folder is not an output of inference-migrate/);
    expect(fs.existsSync(path.join(out, 'x'))).toBe(false);
  });

  test('given another run holding the output\'s lock, then the record waits for nobody: it is refused', () => {
    const out = cliOutput();
    const dir = OutputDirectory.open(out, { command: 'plan', replace: true });
    try {
      expect(() => writeRecord({ root: out, path: 'm/r.json', proof: 'm/plan.json' }, 'x\n', 'promote')).toThrow(/plan/);
    } finally {
      dir.close();
    }
    expect(fs.existsSync(path.join(out, 'm', 'r.json'))).toBe(false);
    expect(fs.existsSync(path.join(base, sideName('out', 'lock')))).toBe(false);
  });
});
