/**
 * Property: whatever a pull request plants beside --out and inside it (test/property/planted.ts:
 * journals, side folders, markers, links, leftovers), opening and writing the output never changes
 * anything outside the output and its own temporary folders, never removes or changes a hand-written
 * file of the output, and fails only with an OutputError (no crash, no hang).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { fcOptions } from './arbitraries';
import { entries, materialize, OUTSIDE, planted, Planted, USER_FILES } from './planted';
import { OutputDirectory, OutputError } from '../../src/output';

const NEW_FILES = [{ path: 'm/01-a/x.yaml', content: 'x: 2\n' }, { path: 'm/README.md', content: 'new\n' }];

/** Runs one scenario; returns what broke the promise, or undefined. */
function check(p: Planted, replace: boolean, keepUnknownFiles: boolean, write: boolean): void {
  const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'planted-')));
  try {
    const { out, outside } = materialize(repo, p);
    const outsideBefore = entries(outside);
    const topBefore = fs.readdirSync(repo).sort();
    try {
      const dir = OutputDirectory.open(out, { command: 'plan', label: '--out out', replace, keepUnknownFiles, replaceHint: 'add --force' });
      if (write) dir.write(NEW_FILES);
      else dir.close();
    } catch (err) {
      if (!(err instanceof OutputError)) throw new Error(`expected an OutputError, got ${(err as Error)?.stack ?? String(err)}`);
    }
    expect(entries(outside)).toEqual(outsideBefore);
    expect(Object.keys(outsideBefore).filter((f) => !f.endsWith('/'))).toEqual(Object.keys(OUTSIDE).sort());
    for (const [file, text] of Object.entries(USER_FILES)) {
      const st = fs.lstatSync(path.join(out, file));
      expect({ file, regular: st.isFile(), text: fs.readFileSync(path.join(out, file), 'utf8') }).toEqual({ file, regular: true, text });
    }
    // Nothing new beside the output: only what was there (some of it may have been recovered away).
    expect(fs.readdirSync(repo).filter((name) => !topBefore.includes(name))).toEqual([]);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}

describe('property: nothing planted beside or inside --out makes the output module delete, move or change what it did not write', () => {
  test('open (recovery) alone, with and without replace', () => {
    fc.assert(fc.property(planted, fc.boolean(), (p, replace) => check(p, replace, false, false)), fcOptions);
  });

  test('open and write, with and without keeping unknown files', () => {
    fc.assert(fc.property(planted, fc.boolean(), (p, keep) => check(p, true, keep, true)), fcOptions);
  });
});
