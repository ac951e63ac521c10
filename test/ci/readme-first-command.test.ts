// .ci/run runs the README's first command on the fresh clone before anything else is built: the command
// it runs is the one the README shows first, and that command installs and writes dist/.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, '.ci', 'readme-first-command.js');

function firstCommand(readme?: string): { status: number | null; stdout: string; stderr: string } {
  let file: string | undefined;
  if (readme !== undefined) {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'first-command-')), 'README.md');
    fs.writeFileSync(file, readme);
  }
  const r = spawnSync(process.execPath, [SCRIPT, ...(file ? [file] : [])], { encoding: 'utf8' });
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('given the README, then its first command installs, fetches and writes the examples into dist/', () => {
  const r = firstCommand();
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('npm ci && npx projen example\n');
});

test('given a README whose first bash block starts with comments, then the first command after them is taken, without its comment', () => {
  const r = firstCommand('# x\n\n```console\n$ not this\n```\n\n```bash\n# set-up\nmake all   # builds\nmake test\n```\n');
  expect(r.stdout).toBe('make all\n');
});

test('given a README without a bash block, then the script fails naming the file', () => {
  const r = firstCommand('# x\n\nno commands\n');
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/README\.md: no command in a ```bash block/);
});

test('given .ci/run, then it runs that command before the build', () => {
  const run = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  expect(run.indexOf('readme-first-command.js')).toBeGreaterThan(-1);
  expect(run.indexOf('readme-first-command.js')).toBeLessThan(run.indexOf('npx projen build'));
});
