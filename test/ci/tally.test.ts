// .ci/run ends with .ci/tally.js: "N passed, N failed", and a non-zero exit when anything failed or no
// test ran at all.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const TALLY = path.join(__dirname, '..', '..', '.ci', 'tally.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tally(junit: string | undefined, stepStatus: number): { status: number | null; lines: string[] } {
  const report = path.join(dir, `junit-${Math.random().toString(36).slice(2)}.xml`);
  if (junit !== undefined) fs.writeFileSync(report, junit);
  const r = spawnSync(process.execPath, [TALLY, report, String(stepStatus)], { encoding: 'utf8' });
  return { status: r.status, lines: r.stdout.trim().split('\n') };
}

const junit = (tests: number, failures: number, skipped = 0) =>
  `<?xml version="1.0"?>\n<testsuites name="jest tests" tests="${tests}" failures="${failures}" errors="0" time="1">\n${'<testcase><skipped/></testcase>\n'.repeat(skipped)}</testsuites>\n`;

test.each([
  ['a green build with tests', junit(1102, 0, 2), 0, 0, '1100 passed, 0 failed'],
  ['failed tests', junit(10, 3), 1, 1, '7 passed, 3 failed'],
  ['a build that failed outside the tests (lint, drift)', junit(10, 0), 1, 1, '10 passed, 1 failed'],
  ['a green build that ran no test', junit(0, 0), 0, 1, '0 passed, 1 failed'],
  ['a green build without a report', undefined, 0, 1, '0 passed, 1 failed'],
])('given %s, then the tally says so and the exit code is right', (_name, report, stepStatus, exit, last) => {
  const r = tally(report, stepStatus);
  expect(r.status).toBe(exit);
  expect(r.lines[r.lines.length - 1]).toBe(last);
});

test('given the Go real-cluster report beside jest\'s, then the tally counts both; a missing second report counts nothing', () => {
  const jest = path.join(dir, 'jest-two.xml');
  const go = path.join(dir, 'go-two.xml');
  fs.writeFileSync(jest, junit(10, 0));
  fs.writeFileSync(go, junit(5, 1, 1));
  const both = spawnSync(process.execPath, [TALLY, jest, '0', go], { encoding: 'utf8' });
  expect(both.stdout.trim().split('\n').pop()).toBe('13 passed, 1 failed');
  expect(both.status).toBe(1);
  const missing = spawnSync(process.execPath, [TALLY, jest, '0', path.join(dir, 'absent.xml')], { encoding: 'utf8' });
  expect(missing.stdout.trim()).toBe('10 passed, 0 failed');
  expect(missing.status).toBe(0);
});
