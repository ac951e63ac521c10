// The size check: the budget holds, and the size figures of the docs are the measured ones. It reads the packed
// package and writes the figures itself (--write), so they are never typed; a stale figure fails the build.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'check-package-size.js');
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'size-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A project copy: a packed package with the given files (path -> bytes), and docs with empty size blocks. */
function project(files: { [file: string]: number }): void {
  const pkg = path.join(root, 'src-pkg');
  for (const [file, bytes] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(pkg, 'package', file)), { recursive: true });
    // Random bytes: they do not compress, as the real package's mostly do not shrink 1000-fold (tar refuses that).
    fs.writeFileSync(path.join(pkg, 'package', file), crypto.randomBytes(bytes));
  }
  fs.mkdirSync(path.join(root, 'build', 'js'), { recursive: true });
  tar.create({ gzip: true, sync: true, file: path.join(root, 'build', 'js', 'p.tgz'), cwd: pkg }, ['package']);
  fs.mkdirSync(path.join(root, 'docs'));
  fs.writeFileSync(path.join(root, 'README.md'), '# x\n\n<!-- package-size:readme -->\n<!-- /package-size:readme -->\n');
  fs.writeFileSync(path.join(root, 'docs', 'development.md'), '## Package size\n\n<!-- package-size:development -->\n<!-- /package-size:development -->\n\nmore\n');
}

function check(...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, CHECK_PACKAGE_SIZE_ROOT: root } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('given docs without the measured figures, then the check fails naming them; --write writes them, and the check then passes', () => {
  // Given a 2 MiB package
  project({ 'lib/index.js': 1048576, 'node_modules/kubernetes-models/a.js': 1048576 });
  // When checked, then it fails
  const stale = check();
  expect(stale.status).toBe(1);
  expect(stale.stderr).toContain('the size figures in README.md and docs/development.md are not the measured ones; write them with `node scripts/check-package-size.js --write`');
  // When written, then the docs say what was measured, and the check passes
  expect(check('--write').status).toBe(0);
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toMatch(/<!-- package-size:readme -->\nThe package is 2\.0 MiB packed and 2\.0 MiB unpacked/);
  const dev = fs.readFileSync(path.join(root, 'docs', 'development.md'), 'utf8');
  expect(dev).toContain('unpacks to 2.0 MiB in 2 files');
  expect(dev).toContain('| `kubernetes-models` | 1.0 |');
  expect(dev).toMatch(/<!-- \/package-size:development -->\n\nmore\n$/);
  expect(check().status).toBe(0);
});

test('given a package over the budget, then the check fails and says where the space goes', () => {
  project({ 'node_modules/huge/a.bin': 33 * 1048576 });
  const r = check();
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/33\.00 MiB unpacked in 1 files \(budget 32 MiB\); largest: huge 33\.00 MiB/);
});
