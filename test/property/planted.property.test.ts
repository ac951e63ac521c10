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
import { UserError } from '../../src/core/errors';
import { ACTIVE_STAGE_FILE, keepActiveStages } from '../../src/migration/active-stage';
import { findRecordTarget, OutputDirectory, OutputError, readRecords, writeRecord } from '../../src/output';

const NEW_FILES = [{ path: 'm/01-a/x.yaml', content: 'x: 2\n' }, { path: 'm/README.md', content: 'new\n' }];

/** Runs one scenario; returns what broke the promise, or undefined. */
function check(p: Planted, replace: boolean, keepUnknownFiles: boolean, write: boolean | 'record'): void {
  const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'planted-')));
  try {
    const { out, outside } = materialize(repo, p);
    const outsideBefore = entries(outside);
    const topBefore = fs.readdirSync(repo).sort();
    try {
      if (write === 'record') {
        // What promote does after its edit: find the output that proves m/plan.json, and record the stage there.
        const target = findRecordTarget(path.join(out, 'm'), 'plan.json', ACTIVE_STAGE_FILE);
        if (target !== undefined) writeRecord(target, '{"tool": "inference-migrate"}\n', 'promote');
      } else {
        const dir = OutputDirectory.open(out, { command: 'plan', label: '--out out', replace, keepUnknownFiles, replaceHint: 'add --force' });
        try {
          // What plan does before it writes: the new files must keep the recorded stages.
          const files = keepActiveStages(readRecords(out, ACTIVE_STAGE_FILE, 'subfolders'), NEW_FILES, '--out out');
          if (write) dir.write(files);
        } finally {
          dir.close();
        }
      }
    } catch (err) {
      if (!(err instanceof OutputError) && !(err instanceof UserError)) throw new Error(`expected an OutputError or a UserError, got ${(err as Error)?.stack ?? String(err)}`);
      expect((err as Error).message).not.toMatch(/s3cr3t/);
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

  test('the active-stage record promote writes (a planted record, a FIFO, links and hard links where it goes)', () => {
    fc.assert(fc.property(planted.filter((p) => p.record !== undefined || p.marker !== 'current'), (p) => check(p, false, false, 'record')), fcOptions);
  });
});
