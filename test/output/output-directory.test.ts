import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  LEGACY_CLI_MARKER,
  LEGACY_WRITER_MARKER,
  OUTPUT_MARKER,
  OutputDirectory,
  OutputError,
  OutputOptions,
  repoPathOf,
  sideName,
} from '../../src/output';

let base: string;
beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'output-dir-')));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');
const CLI: OutputOptions = { command: 'plan', replaceHint: 'add --force', keepHint: 'add --keep-unknown-files' };

/** Writes `files` into `out` through the output module. */
function write(out: string, files: { [f: string]: string }, options: Partial<OutputOptions> = {}) {
  const dir = OutputDirectory.open(out, { ...CLI, ...options });
  return dir.write(Object.entries(files).map(([p, content]) => ({ path: p, content })));
}

/** Every entry under dir (folders end with `/`, links with `@`), with file contents. */
function snapshot(dir: string, rel = ''): { [f: string]: string } {
  const out: { [f: string]: string } = {};
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isSymbolicLink()) out[`${r}@`] = fs.readlinkSync(path.join(dir, r));
    else if (st.isDirectory()) Object.assign(out, { [`${r}/`]: '' }, snapshot(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

function writeTree(dir: string, files: { [f: string]: string }): void {
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
}

describe('writing a new output', () => {
  test('given a new folder, then the files and a marker listing them with their sha256 are written, and nothing is left beside it', () => {
    const out = path.join(base, 'deep', 'out');

    const result = write(out, { 'm/README.md': '# m\n', 'm/01-side-by-side/a.yaml': 'a: 1\n' });

    expect(result.files.map((f) => f.path)).toEqual(['m/01-side-by-side/a.yaml', 'm/README.md']);
    expect(Object.keys(snapshot(out))).toEqual([OUTPUT_MARKER, 'm/', 'm/01-side-by-side/', 'm/01-side-by-side/a.yaml', 'm/README.md']);
    const marker = JSON.parse(fs.readFileSync(path.join(out, OUTPUT_MARKER), 'utf8'));
    expect(marker).toEqual({
      tool: 'inference-migrate',
      package: 'cdk8s-inference-migration',
      version: expect.any(String),
      command: 'plan',
      note: expect.stringContaining('replaces or removes only the files listed here'),
      files: [
        { path: 'm/01-side-by-side/a.yaml', sha256: sha('a: 1\n') },
        { path: 'm/README.md', sha256: sha('# m\n') },
      ],
    });
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('given an empty folder, then it is used and keeps its permissions', () => {
    const out = path.join(base, 'out');
    fs.mkdirSync(out, { mode: 0o750 });
    fs.chmodSync(out, 0o750);

    write(out, { 'a.yaml': 'a\n' });

    expect(Object.keys(snapshot(out))).toEqual([OUTPUT_MARKER, 'a.yaml']);
    expect(fs.statSync(out).mode % 0o1000).toBe(0o750);
    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  test('given the same files twice, then the outputs are byte-identical, marker included', () => {
    const files = { 'b.yaml': 'b\n', 'a/c.yaml': 'c\n' };
    write(path.join(base, 'one'), files);
    write(path.join(base, 'two'), files);
    expect(snapshot(path.join(base, 'two'))).toEqual(snapshot(path.join(base, 'one')));
  });

  test('given a folder that is opened and closed without writing, then nothing is left: no folder, no lock, no created parents', () => {
    const out = path.join(base, 'a', 'b', 'out');
    OutputDirectory.open(out, CLI).close();
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('given a path the file systems do not allow, then the write is refused naming it, and nothing is written', () => {
    const out = path.join(base, 'out');
    const long = `${'x'.repeat(256)}.yaml`;
    expect(() => write(out, { [`m/${long}`]: 'x' })).toThrow(`--out: cannot write "m/${long}": the path has a part that is 261 bytes long; file systems allow at most 255`.replace('--out', out));
    expect(() => write(out, { '../escape.yaml': 'x' })).toThrow('cannot write "../escape.yaml": the path has a part that is "..", which would name the folder itself or its parent');
    expect(() => write(out, { 'm/a\u001b[31m.yaml': 'x' })).toThrow(/the path has a part that holds a control character/);
    expect(() => write(out, { 'a': 'x', 'a/b': 'y' })).toThrow(/a would be both a file and a folder/);
    expect(() => write(out, { [OUTPUT_MARKER]: 'x' })).toThrow(/the name is reserved for the marker/);
    expect(fs.readdirSync(base)).toEqual([]);
  });

  test('given a file system error while the new tree is written, then it names the path, the folder is as it was, and nothing is left beside it', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });
    const before = snapshot(out);
    // A path longer than the system allows (PATH_MAX) fails with ENAMETOOLONG at write time.
    const deep = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, '0')}${'d'.repeat(150)}`).join('/');

    let error: Error | undefined;
    try {
      write(out, { [`${deep}/x.yaml`]: 'x' }, { replace: true });
    } catch (err) {
      error = err as Error;
    }

    expect(error).toBeInstanceOf(OutputError);
    expect(error!.message).toMatch(/^.*\.out\.inference-migrate-new\/00d+\/.*: cannot (create the directory|write the file): the name is too long for the file system \(ENAMETOOLONG\); .*out was left as it was$/);
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(base)).toEqual(['out']);
  });
});

describe('replacing an earlier output', () => {
  test('given a non-empty folder the tool did not write, then it is refused, even with replace, and left untouched', () => {
    const out = path.join(base, 'out');
    writeTree(out, { 'mine.yaml': 'mine\n' });

    for (const replace of [false, true]) {
      expect(() => OutputDirectory.open(out, { ...CLI, replace, label: `--out ${out}` }))
        .toThrow(new RegExp(`^--out ${out} exists, is not empty and was not written by inference-migrate \\(no \\.inference-migrate-output\\.json\\): choose a new or empty directory; --force replaces only an earlier output of this tool$`));
    }
    expect(snapshot(out)).toEqual({ 'mine.yaml': 'mine\n' });
    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  test('given an earlier output, then it is refused without replace', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });
    expect(() => OutputDirectory.open(out, CLI)).toThrow(/holds an earlier output of inference-migrate: add --force to replace it \(only the files it lists in \.inference-migrate-output\.json are replaced, and only while unchanged\)/);
  });

  test('given an earlier output with only its own files, then the new output replaces it whole', () => {
    const out = path.join(base, 'out');
    write(out, { 'old/a.yaml': 'a\n', 'keep/b.yaml': 'b\n' });

    const result = write(out, { 'new/c.yaml': 'c\n', 'keep/b.yaml': 'b2\n' }, { replace: true });

    expect(result.kept).toEqual([]);
    const files = snapshot(out);
    expect(Object.keys(files)).toEqual([OUTPUT_MARKER, 'keep/', 'keep/b.yaml', 'new/', 'new/c.yaml']);
    expect(files['keep/b.yaml']).toBe('b2\n');
    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  describe('given a file the tool did not write, in the folder and in a sub-folder', () => {
    let out: string;
    beforeEach(() => {
      out = path.join(base, 'out');
      write(out, { 'm/01/a.yaml': 'a\n', 'm/README.md': 'r\n' });
      writeTree(out, { 'NOTES.md': 'my notes\n', 'm/01/mine.yaml': 'mine\n', 'extra/x.txt': 'x\n' });
    });

    test('then replacing refuses and lists them (a folder of such files once), and nothing changes', () => {
      const before = snapshot(out);
      expect(() => write(out, { 'm/01/b.yaml': 'b\n' }, { replace: true, label: '--out out' })).toThrow([
        '--out out holds files inference-migrate did not write, or changed after writing them; it never removes or replaces those:',
        '  - NOTES.md (not written by inference-migrate)',
        '  - extra/ (a folder of files inference-migrate did not write)',
        '  - m/01/mine.yaml (not written by inference-migrate)',
        'Move them away, or add --keep-unknown-files to keep them where they are; nothing was changed',
      ].join('\n'));
      expect(snapshot(out)).toEqual(before);
      expect(fs.readdirSync(base)).toEqual(['out']);
    });

    test('then with keepUnknownFiles they stay where they are, untouched, and the marker lists only the new files', () => {
      const inode = fs.statSync(path.join(out, 'm/01/mine.yaml')).ino;
      const mtime = fs.statSync(path.join(out, 'NOTES.md')).mtimeMs;

      const result = write(out, { 'm/01/b.yaml': 'b\n', 'm/02/c.yaml': 'c\n' }, { replace: true, keepUnknownFiles: true });

      expect(result.kept).toEqual(['NOTES.md', 'extra/', 'm/01/mine.yaml']);
      const files = snapshot(out);
      expect(files).toEqual({
        [OUTPUT_MARKER]: expect.any(String),
        'NOTES.md': 'my notes\n',
        'extra/': '',
        'extra/x.txt': 'x\n',
        'm/': '',
        'm/01/': '',
        'm/01/b.yaml': 'b\n',
        'm/01/mine.yaml': 'mine\n',
        'm/02/': '',
        'm/02/c.yaml': 'c\n',
      });
      expect(fs.statSync(path.join(out, 'm/01/mine.yaml')).ino).toBe(inode);
      expect(fs.statSync(path.join(out, 'NOTES.md')).mtimeMs).toBe(mtime);
      expect(JSON.parse(files[OUTPUT_MARKER]).files.map((f: any) => f.path)).toEqual(['m/01/b.yaml', 'm/02/c.yaml']);
      expect(fs.readdirSync(base)).toEqual(['out']);
    });

    test('then with keepUnknownFiles a new file that would land on one of them is refused, and nothing changes', () => {
      const before = snapshot(out);
      expect(() => write(out, { 'm/01/mine.yaml': 'ours\n' }, { replace: true, keepUnknownFiles: true }))
        .toThrow(/the new output would replace files inference-migrate did not write, or changed after writing them:\n {2}- m\/01\/mine\.yaml \(not written by inference-migrate\): the new output writes a file there\nMove them away \(or restore them\); nothing was changed$/);
      expect(() => write(out, { extra: 'ours\n' }, { replace: true, keepUnknownFiles: true }))
        .toThrow(/- extra\/ \(a folder of files inference-migrate did not write\): the new output writes a file there/);
      expect(() => write(out, { 'NOTES.md/x.yaml': 'ours\n' }, { replace: true, keepUnknownFiles: true }))
        .toThrow(/- NOTES\.md \(not written by inference-migrate\): the new output needs a folder there/);
      expect(snapshot(out)).toEqual(before);
    });
  });

  test('given a file the tool wrote and someone changed, then it is refused; kept with keepUnknownFiles unless the new output writes it', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n', 'b.yaml': 'b\n' });
    fs.writeFileSync(path.join(out, 'a.yaml'), 'edited by hand\n');
    const before = snapshot(out);

    expect(() => write(out, { 'c.yaml': 'c\n' }, { replace: true })).toThrow(/ {2}- a\.yaml \(changed since inference-migrate wrote it\)/);
    expect(() => write(out, { 'a.yaml': 'new\n' }, { replace: true, keepUnknownFiles: true })).toThrow(/ {2}- a\.yaml \(changed since inference-migrate wrote it\): the new output writes a file there/);
    expect(snapshot(out)).toEqual(before);

    write(out, { 'c.yaml': 'c\n' }, { replace: true, keepUnknownFiles: true });
    expect(snapshot(out)).toEqual({ [OUTPUT_MARKER]: expect.any(String), 'a.yaml': 'edited by hand\n', 'c.yaml': 'c\n' });
  });

  test('given a listed file replaced by a folder, then the write is refused naming it (no EISDIR), in both modes, and nothing changes', () => {
    const out = path.join(base, 'out');
    write(out, { 'm/01/a.yaml': 'a\n', 'm/01/b.yaml': 'b\n' });
    fs.rmSync(path.join(out, 'm/01/a.yaml'));
    writeTree(out, { 'm/01/a.yaml/inside.txt': 'inside\n' });
    const before = snapshot(out);

    expect(() => write(out, { 'm/01/a.yaml': 'a2\n' }, { replace: true })).toThrow(/ {2}- m\/01\/a\.yaml\/ \(a folder where inference-migrate wrote a file\)/);
    expect(() => write(out, { 'm/01/a.yaml': 'a2\n' }, { replace: true, keepUnknownFiles: true })).toThrow(/ {2}- m\/01\/a\.yaml\/ \(a folder where inference-migrate wrote a file\): the new output writes a file there/);
    expect(snapshot(out)).toEqual(before);
  });

  test('given a marker that lists a path outside the folder, then it is refused', () => {
    const out = path.join(base, 'out');
    writeTree(out, { [OUTPUT_MARKER]: JSON.stringify({ files: [{ path: '../escape.txt', sha256: sha('x') }] }) });
    expect(() => OutputDirectory.open(out, { ...CLI, replace: true })).toThrow(/\.inference-migrate-output\.json does not list the files it wrote as relative paths with their sha256: move the folder away/);
  });
});

describe('symbolic links', () => {
  test('given a symbolic link as the folder, then it is refused and what it points to is untouched', () => {
    const elsewhere = path.join(base, 'elsewhere');
    write(elsewhere, { 'a.yaml': 'a\n' });
    fs.symlinkSync(elsewhere, path.join(base, 'out'));
    const before = snapshot(elsewhere);

    expect(() => OutputDirectory.open(path.join(base, 'out'), { ...CLI, replace: true, label: '--out out' }))
      .toThrow('--out out is a symbolic link: inference-migrate never follows, replaces or removes links where it writes; replace the link by a real folder (or give that folder instead), then run again');
    expect(snapshot(elsewhere)).toEqual(before);
  });

  test('given an earlier output whose stage folder is now a link to a folder elsewhere, then replacing is refused naming it; nothing inside or outside changes', () => {
    const out = path.join(base, 'out');
    write(out, { 'm/01/a.yaml': 'a\n', 'm/02/b.yaml': 'b\n' });
    const elsewhere = path.join(base, 'elsewhere');
    writeTree(elsewhere, { 'b.yaml': 'b\n', 'precious.txt': 'keep me\n' });
    fs.rmSync(path.join(out, 'm/02'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(out, 'm/02'));
    const before = { out: snapshot(out), elsewhere: snapshot(elsewhere) };

    for (const keepUnknownFiles of [false, true]) {
      expect(() => write(out, { 'm/01/a.yaml': 'a2\n' }, { replace: true, keepUnknownFiles })).toThrow(`${out}/m/02 is a symbolic link: inference-migrate never follows`);
    }
    expect({ out: snapshot(out), elsewhere: snapshot(elsewhere) }).toEqual(before);
    expect(fs.readdirSync(base).sort()).toEqual(['elsewhere', 'out']);
  });

  test('given a marker that is a symbolic link, then it is refused, not read through', () => {
    const out = path.join(base, 'out');
    writeTree(base, { 'real-marker.json': JSON.stringify({ files: [] }) });
    fs.mkdirSync(out);
    fs.symlinkSync(path.join(base, 'real-marker.json'), path.join(out, OUTPUT_MARKER));
    expect(() => OutputDirectory.open(out, { ...CLI, replace: true })).toThrow(`${out}/${OUTPUT_MARKER} is a symbolic link`);
  });
});

describe('one run at a time', () => {
  test('given a folder another live run holds, then opening it is refused naming that run and nothing changes', () => {
    const out = path.join(base, 'out');
    write(out, { 'a.yaml': 'a\n' });
    const first = OutputDirectory.open(out, { ...CLI, replace: true });
    const before = snapshot(out);

    expect(() => OutputDirectory.open(out, { ...CLI, replace: true, label: '--out out' }))
      .toThrow(new RegExp(`^--out out is being written by another run of inference-migrate \\(plan, pid ${process.pid} on ${os.hostname()}, since .*\\): wait for it to finish$`));
    expect(snapshot(out)).toEqual(before);
    first.close();
    write(out, { 'b.yaml': 'b\n' }, { replace: true });
    expect(Object.keys(snapshot(out))).toEqual([OUTPUT_MARKER, 'b.yaml']);
  });

  test('given the lock of a process that is gone, then it is taken over', () => {
    const out = path.join(base, 'out');
    const lock = path.join(base, sideName('out', 'lock'));
    fs.writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'plan' }));

    write(out, { 'a.yaml': 'a\n' });

    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  test('given the lock of a process whose pid now belongs to a process started at another time, then it is taken over', () => {
    const out = path.join(base, 'out');
    const lock = path.join(base, sideName('out', 'lock'));
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), started: '1', since: '2026-01-01T00:00:00.000Z', command: 'plan' }));
    if (!fs.existsSync('/proc/self/stat')) return; // start times are read from /proc (Linux)

    write(out, { 'a.yaml': 'a\n' });

    expect(fs.readdirSync(base)).toEqual(['out']);
  });

  test('given the lock of a run on another host, then it is refused with how to remove it', () => {
    const out = path.join(base, 'out');
    const lock = path.join(base, sideName('out', 'lock'));
    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'other-host', since: '2026-01-01T00:00:00.000Z', command: 'plan' }));
    expect(() => OutputDirectory.open(out, CLI)).toThrow(`is being written by another run of inference-migrate (plan, pid 1 on other-host, since 2026-01-01T00:00:00.000Z): wait for it to finish; if it no longer runs, remove ${lock}`);
  });
});

describe('outputs of earlier releases', () => {
  test('given an --out written by the previous CLI (.inference-migrate.json), then its listed files are replaced and other files are guarded', () => {
    const out = path.join(base, 'out');
    writeTree(out, {
      'm/.generated-by-cdk8s-inference-migration': 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n',
      'm/01/a.yaml': 'a\n',
      'NOTES.md': 'mine\n',
    });
    const listed = ['m/.generated-by-cdk8s-inference-migration', 'm/01/a.yaml'];
    fs.writeFileSync(path.join(out, LEGACY_CLI_MARKER), JSON.stringify({
      tool: 'inference-migrate',
      package: 'cdk8s-inference-migration',
      version: '0.0.0',
      command: 'plan',
      files: listed.map((p) => ({ path: p, sha256: sha(fs.readFileSync(path.join(out, p), 'utf8')) })),
    }));

    expect(() => write(out, { 'm/01/b.yaml': 'b\n' }, { replace: true })).toThrow(/ {2}- NOTES\.md \(not written by inference-migrate\)\n/);
    write(out, { 'm/01/b.yaml': 'b\n' }, { replace: true, keepUnknownFiles: true });

    expect(Object.keys(snapshot(out))).toEqual([OUTPUT_MARKER, 'NOTES.md', 'm/', 'm/01/', 'm/01/b.yaml']);
  });

  test('given a migration folder written by the previous GitOpsWriter (no sha256), then no file its plan.json names is replaced or removed: each is listed, and kept with keepUnknownFiles', () => {
    const out = path.join(base, 'm');
    const old = {
      [LEGACY_WRITER_MARKER]: 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n',
      'plan.json': JSON.stringify({ stages: [{ folder: '01-a', objects: [{ file: 'x.yaml' }] }] }),
      'README.md': 'r\n',
      '01-a/x.yaml': 'x\n',
      '01-a/NOTES.md': 'mine\n',
    };
    writeTree(out, old);
    const before = snapshot(out);

    expect(() => write(out, { 'README.md': 'new\n' }, { replace: true })).toThrow(
      /^\S+ holds files inference-migrate did not write.*\n {2}- 01-a\/ \(a folder of files inference-migrate did not write\)\n {2}- README\.md \(listed by the marker of an earlier release, without its sha256: not proven to be the file inference-migrate wrote\)\n {2}- plan\.json \(listed by/);
    expect(() => write(out, { 'README.md': 'new\n' }, { replace: true, keepUnknownFiles: true })).toThrow(/the new output would replace files inference-migrate did not write.*\n {2}- README\.md \(listed by the marker of an earlier release/);
    expect(snapshot(out)).toEqual(before);

    const result = write(out, { 'NEW.md': 'new\n' }, { replace: true, keepUnknownFiles: true });

    expect(result.kept).toEqual(['01-a/', 'README.md', 'plan.json']);
    expect(snapshot(out)).toEqual({ ...before, [`${LEGACY_WRITER_MARKER}`]: undefined, [OUTPUT_MARKER]: expect.any(String), 'NEW.md': 'new\n' });
  });

  test('given a marker of an earlier release beside a hand-written file, then plan --force keeps it: the legacy marker is replaced only when it holds the text that release wrote', () => {
    const out = path.join(base, 'm');
    writeTree(out, { [LEGACY_WRITER_MARKER]: 'my own notes\n', 'plan.json': JSON.stringify({ stages: [] }) });

    write(out, { 'NEW.md': 'new\n' }, { replace: true, keepUnknownFiles: true });

    expect(snapshot(out)).toEqual({ [LEGACY_WRITER_MARKER]: 'my own notes\n', 'plan.json': JSON.stringify({ stages: [] }), [OUTPUT_MARKER]: expect.any(String), 'NEW.md': 'new\n' });
  });
});

describe('paths', () => {
  test('given --out inside --from, directly or through a symbolic link, then it is refused', () => {
    const from = path.join(base, 'repo');
    fs.mkdirSync(from);
    fs.symlinkSync(from, path.join(base, 'link'));
    const open = (out: string) => OutputDirectory.open(out, { ...CLI, label: `--out ${out}`, notInside: { path: from, label: `--from ${from}` } });

    expect(() => open(path.join(from, 'migrations'))).toThrow(`--out ${from}/migrations is inside --from ${from}: the next run would read its own output; choose a directory outside ${from}`);
    expect(() => open(path.join(base, 'link', 'out'))).toThrow(/is inside --from/);
    expect(() => open(from)).toThrow(/is inside --from/);
    open(path.join(base, 'elsewhere')).close();
    expect(fs.readdirSync(base).sort()).toEqual(['link', 'repo']);
  });

  test('given a file as the folder, then it is refused', () => {
    fs.writeFileSync(path.join(base, 'file'), 'x');
    expect(() => OutputDirectory.open(path.join(base, 'file'), CLI)).toThrow(/file exists and is not a directory \(it is a file\)/);
    expect(() => OutputDirectory.open(path.join(base, 'file', 'out'), CLI)).toThrow(`${base}/file/out: cannot read its status: a part of the path is a file, not a folder (ENOTDIR)`);
  });

  test('given a folder whose name is near the limit, then the files kept beside it while writing get shortened names', () => {
    const out = path.join(base, 'o'.repeat(250));
    write(out, { 'a.yaml': 'a\n' });
    write(out, { 'b.yaml': 'b\n' }, { replace: true });
    expect(fs.readdirSync(base)).toEqual(['o'.repeat(250)]);
    expect(Buffer.byteLength(sideName('o'.repeat(250), 'journal.json'))).toBeLessThanOrEqual(255 - 24);
  });

  test('given --out inside a Git repository, then the example manifests name it from the repository root', () => {
    fs.mkdirSync(path.join(base, 'gitops', '.git'), { recursive: true });

    expect(repoPathOf(path.join(base, 'gitops', 'migrations', 'llm'))).toBe('migrations/llm');
    expect(repoPathOf(path.join(base, 'nogit'))).toBe('.');
  });
});

/** A pid no process has now. */
function deadPid(): number {
  for (let pid = 4_000_000; ; pid--) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
}

describe('a full disk', () => {
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });

  // Each step is named by what it does and how often that was done before (the second journal is the commit point).
  test.each([
    ['writes the journal of the commit point', /journal\.json \(temporary\)$/, 2],
    ['renames that journal into place', /^rename .*journal\.json$/, 2],
    ['writes the marker of the new tree', new RegExp(`^write ${OUTPUT_MARKER.replace(/\./g, '\\.')}$`), 1],
  ])('given the disk fills when the run %s, then the folder is left as it was, no second copy or journal stays beside it, and the message says so', (_what, step, nth) => {
    const out = path.join(base, 'out');
    write(out, { 'm/a.yaml': 'a: 1\n' });
    const before = snapshot(out);
    let seen = 0;
    const beforeChange = (what: string) => {
      if (step.test(what) && ++seen === nth) throw enospc();
    };

    expect(() => write(out, { 'm/a.yaml': 'a: 2\n' }, { replace: true, beforeChange })).toThrow(/no space left on device.*; .*out was left as it was$/);
    expect(seen).toBe(nth);
    expect(snapshot(out)).toEqual(before);
    expect(fs.readdirSync(base)).toEqual(['out']);
  });
});
