import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { replaceFileContent } from '../../src/output';

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
});
