import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { replaceFileContent } from '../../src/output';
import { ROOT, requireCompiled, testCompiled } from '../cli/run-cli';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'in-place-')));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

describe('replaceFileContent: the one in-place edit of a user\'s file', () => {
  test('given the sha256 the file had when read, then its content is replaced, its mode kept, and no temporary file is left', () => {
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'path: a\n');
    fs.chmodSync(file, 0o640);

    const result = replaceFileContent(file, sha('path: a\n'), 'path: b\n');

    expect(fs.readFileSync(file, 'utf8')).toBe('path: b\n');
    expect(fs.statSync(file).mode % 0o1000).toBe(0o640);
    expect(result).toBe(sha('path: b\n'));
    expect(fs.readdirSync(base)).toEqual(['application.yaml']);
  });

  test('given a file changed since it was read, then nothing is written and the error says so', () => {
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'edited meanwhile\n');

    expect(() => replaceFileContent(file, sha('path: a\n'), 'path: b\n'))
      .toThrow(`${file} was changed after it was read (its sha256 differs): nothing was written; read it again and retry`);
    expect(fs.readFileSync(file, 'utf8')).toBe('edited meanwhile\n');
    expect(fs.readdirSync(base)).toEqual(['application.yaml']);
  });

  test('given a symbolic link, then it is refused and the file it points to is untouched', () => {
    const target = path.join(base, 'real.yaml');
    fs.writeFileSync(target, 'path: a\n');
    const link = path.join(base, 'link.yaml');
    fs.symlinkSync(target, link);

    expect(() => replaceFileContent(link, sha('path: a\n'), 'path: b\n')).toThrow(`${link} is a symbolic link: inference-migrate never follows`);
    expect(fs.readFileSync(target, 'utf8')).toBe('path: a\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('given a folder or a missing file, then it is refused naming the path', () => {
    expect(() => replaceFileContent(base, sha(''), 'x')).toThrow(`${base}: cannot update it: it is a folder, not a file`);
    expect(() => replaceFileContent(path.join(base, 'none.yaml'), sha(''), 'x')).toThrow(`${base}/none.yaml: cannot update it: it does not exist`);
  });

  test('given a file whose name has the longest length file systems allow, then the temporary file still fits', () => {
    const file = path.join(base, `${'n'.repeat(250)}.yaml`);
    fs.writeFileSync(file, 'a\n');

    replaceFileContent(file, sha('a\n'), 'b\n');

    expect(fs.readFileSync(file, 'utf8')).toBe('b\n');
    expect(fs.readdirSync(base)).toEqual([path.basename(file)]);
  });

  test('given a file of another owner and group with mode 0600, then (as root) the new content keeps its owner, group and mode', () => {
    if (process.getuid?.() !== 0) return; // only root can give a file to another user
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'path: a\n', { mode: 0o600 });
    fs.chownSync(file, 4321, 8765);

    replaceFileContent(file, sha('path: a\n'), 'path: b\n');

    const stat = fs.statSync(file);
    expect({ uid: stat.uid, gid: stat.gid, mode: stat.mode % 0o10000, text: fs.readFileSync(file, 'utf8') }).toEqual({ uid: 4321, gid: 8765, mode: 0o600, text: 'path: b\n' });
  });

  test('given a file with a second hard link, then it is refused and both names keep the same content', () => {
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'path: a\n');
    fs.linkSync(file, path.join(base, 'other-name.yaml'));

    expect(() => replaceFileContent(file, sha('path: a\n'), 'path: b\n')).toThrow(`${file}: cannot update it: it has 2 hard links, and replacing it would split them`);
    expect(fs.statSync(file).nlink).toBe(2);
    expect(fs.readFileSync(path.join(base, 'other-name.yaml'), 'utf8')).toBe('path: a\n');
    expect(fs.readdirSync(base).sort()).toEqual(['application.yaml', 'other-name.yaml']);
  });

  test('given an editor that appends through a descriptor opened before the rename, then the edited original is put back and the error says so', () => {
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'path: a\n');
    const editor = fs.openSync(file, 'a');
    try {
      const beforeChange = (what: string) => {
        if (what === 'rehash') fs.writeSync(editor, '# my edit\n');
      };

      expect(() => replaceFileContent(file, sha('path: a\n'), 'path: b\n', { beforeChange }))
        .toThrow(`${file} was edited while inference-migrate replaced it: the edited file is back in place and nothing was promoted; run the command again`);
    } finally {
      fs.closeSync(editor);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('path: a\n# my edit\n');
    expect(fs.readdirSync(base)).toEqual(['application.yaml']);
  });

  testCompiled('given a run killed after it wrote its temporary file and kept the original aside, then the next edit removes both leftovers and says so', () => {
    requireCompiled();
    const file = path.join(base, 'application.yaml');
    fs.writeFileSync(file, 'path: a\n');
    const child = `
const { replaceFileContent } = require(${JSON.stringify(path.join(ROOT, 'lib', 'output', 'index.js'))});
replaceFileContent(process.argv[1], process.argv[2], 'path: b\\n', { beforeChange: (what) => { if (what === 'rename') process.kill(process.pid, 'SIGKILL'); } });
`;
    const r = spawnSync(process.execPath, ['-e', child, file, sha('path: a\n')], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    expect(fs.readdirSync(base).filter((f) => f.startsWith('.inference-migrate-')).length).toBe(2);
    // A file of that shape that the tool did not write stays.
    fs.writeFileSync(path.join(base, `.inference-migrate-${r.pid}-0123456789abcdef.tmp`), 'mine\n');
    const notices: string[] = [];

    replaceFileContent(file, sha('path: a\n'), 'path: c\n', { report: (n) => notices.push(n) });

    expect(fs.readFileSync(file, 'utf8')).toBe('path: c\n');
    expect(fs.readdirSync(base).sort()).toEqual([`.inference-migrate-${r.pid}-0123456789abcdef.tmp`, 'application.yaml']);
    expect(notices.sort()).toEqual([
      `${base}/.inference-migrate-${r.pid}-0123456789abcdef.tmp is left from an interrupted run of inference-migrate promote and holds content it did not write: look at it, then remove it`,
      `removed ${base}/.inference-migrate-${r.pid}-${sha('path: a\n').slice(0, 16)}.before, left by an interrupted run of inference-migrate promote`,
      `removed ${base}/.inference-migrate-${r.pid}-${sha('path: b\n').slice(0, 16)}.tmp, left by an interrupted run of inference-migrate promote`,
    ]);
  });
});
