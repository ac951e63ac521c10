/**
 * What the commands that write promise about --out, through the compiled CLI: no file the tool did not
 * write is removed or replaced, no symbolic link is followed, one run at a time, a crash-safe
 * replacement, errors that name the path, and names up to the Kubernetes limits.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { BIN, FIXTURES, listTree, removeTempDirs, requireCompiled, runCli, seededRandom, snapshotTree, tempDir, testSeed, writeTree } from './run-cli';
import { OutputDirectory, sideName } from '../../src/output';
import { expectValid } from '../util';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

const MIGRATION = 'vllm-llama3-8b-instruct';
const SEED = testSeed();
const ONE_POOL = path.join(FIXTURES, 'one-pool');
const plan = (out: string, ...extra: string[]) => runCli(['plan', '--from', ONE_POOL, '--out', out, '--no-validate', ...extra]);

/** Every entry under `dir`: files with their content, links as `-> target`. */
function entries(dir: string, rel = ''): { [f: string]: string } {
  const out: { [f: string]: string } = {};
  for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = fs.lstatSync(path.join(dir, r));
    if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(path.join(dir, r))}`;
    else if (st.isDirectory()) Object.assign(out, entries(dir, r));
    else out[r] = fs.readFileSync(path.join(dir, r), 'utf8');
  }
  return out;
}

describe('symbolic links under --force', () => {
  test('given a stage folder of an earlier output replaced by a link to a folder elsewhere, then plan --force refuses naming it; nothing inside or outside changes', () => {
    const out = path.join(tempDir('out-'), 'out');
    expect(plan(out).status).toBe(0);
    const elsewhere = writeTree(tempDir('elsewhere-'), { 'precious.yaml': 'keep: me\n', 'sub/more.yaml': 'more: 1\n' });
    const stage = path.join(out, MIGRATION, '02-shift-50');
    fs.rmSync(stage, { recursive: true });
    fs.symlinkSync(elsewhere, stage);
    const before = { out: entries(out), elsewhere: entries(elsewhere) };

    for (const extra of [[], ['--keep-unknown-files']]) {
      const run = plan(out, '--force', ...extra);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`error: ${stage} is a symbolic link: inference-migrate never follows, replaces or removes links where it writes; replace the link by a real folder (or give that folder instead), then run again\n`);
    }
    expect({ out: entries(out), elsewhere: entries(elsewhere) }).toEqual(before);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('given --out that is a link to an earlier output, then plan --force refuses it and the folder it points to keeps every file', () => {
    const real = path.join(tempDir('real-'), 'real');
    expect(plan(real).status).toBe(0);
    fs.writeFileSync(path.join(real, 'NOTES.md'), 'mine\n');
    const link = path.join(tempDir('link-'), 'out');
    fs.symlinkSync(real, link);
    const before = entries(real);

    const run = plan(link, '--force');

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: --out ${link} is a symbolic link: inference-migrate never follows, replaces or removes links where it writes`));
    expect(entries(real)).toEqual(before);
    expect(fs.readdirSync(path.dirname(link))).toEqual(['out']);
  });
});

describe('files inference-migrate did not write', () => {
  const setup = () => {
    const out = path.join(tempDir('out-'), 'out');
    expect(plan(out).status).toBe(0);
    fs.writeFileSync(path.join(out, MIGRATION, '02-shift-50', 'hand-written.yaml'), 'x: 1\n');
    fs.writeFileSync(path.join(out, MIGRATION, '01-side-by-side', 'README.md'), 'edited by hand\n');
    return { out, before: snapshotTree(out) };
  };

  test('given a user\'s file in a stage folder and an edited README, then plan --force refuses with their list and changes nothing', () => {
    const { out, before } = setup();

    const run = plan(out, '--force', '--steps', '10,50');

    expect(run.status).toBe(1);
    expect(run.stderr).toBe([
      `error: --out ${out} holds files inference-migrate did not write, or changed after writing them; it never removes or replaces those:`,
      `error: - ${MIGRATION}/01-side-by-side/README.md (changed since inference-migrate wrote it)`,
      `error: - ${MIGRATION}/02-shift-50/hand-written.yaml (not written by inference-migrate)`,
      'error: Move them away, or add --keep-unknown-files to keep them where they are; nothing was changed',
      '',
    ].join('\n'));
    expect(snapshotTree(out)).toEqual(before);
  });

  test('given --keep-unknown-files, then the user\'s file stays untouched, and a file the new output writes is refused while it is edited', () => {
    const { out, before } = setup();

    const clash = plan(out, '--force', '--keep-unknown-files');
    expect(clash.status).toBe(1);
    expect(clash.stderr).toContain(`error: - ${MIGRATION}/01-side-by-side/README.md (changed since inference-migrate wrote it): the new output writes a file there\n`);
    expect(snapshotTree(out)).toEqual(before);

    fs.rmSync(path.join(out, MIGRATION, '01-side-by-side', 'README.md'));
    const run = plan(out, '--force', '--keep-unknown-files', '--steps', '10,50');
    // The warnings are base-model's objective header and the unknown gateway, none about files.
    expect(run.stderr).toMatch(/^warning: Scheduling changes on the GA pool of default\/vllm-llama3-8b-instruct-alpha: [^\n]*\nwarning: The GA pool vllm-llama3-8b-instruct-ga keeps the alpha pool's failureMode FailClose[^\n]*\nwarning: Clients of model base-model must send the header x-gateway-inference-objective: base-model[^\n]*\nwarning: 02-shift-10, 03-shift-50: Gateway implementation generic: [^\n]*\n$/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`kept 1 file in --out that inference-migrate did not write: ${MIGRATION}/02-shift-50/hand-written.yaml\n`);
    expect(fs.readFileSync(path.join(out, MIGRATION, '02-shift-50', 'hand-written.yaml'), 'utf8')).toBe('x: 1\n');
    expect(fs.readdirSync(path.join(out, MIGRATION)).filter((f) => /^\d\d-/.test(f)))
      .toEqual(['01-side-by-side', '02-shift-10', '02-shift-50', '03-shift-50', '04-finalize', '05-cleanup']);
    expect(fs.readdirSync(path.join(out, MIGRATION, '02-shift-50'))).toEqual(['hand-written.yaml']);
  });

  test('given a file the earlier output wrote that is now a folder, then plan --force refuses naming it (no EISDIR) and the earlier output is intact', () => {
    const out = path.join(tempDir('out-'), 'out');
    expect(plan(out).status).toBe(0);
    const file = path.join(out, MIGRATION, '02-shift-50', 'httproute-llm-route.yaml');
    fs.rmSync(file);
    writeTree(file, { 'inside.txt': 'x\n' });
    const before = snapshotTree(out);

    const run = plan(out, '--force');

    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`error: - ${MIGRATION}/02-shift-50/httproute-llm-route.yaml/ (a folder where inference-migrate wrote a file)\n`);
    expect(run.stderr).not.toMatch(/EISDIR|ENOTDIR/);
    expect(snapshotTree(out)).toEqual(before);
  });
});

describe('markers that prove nothing', () => {
  test.each([
    ['the marker of an earlier GitOpsWriter and a plan.json naming the files', {
      '.generated-by-cdk8s-inference-migration': 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n',
      'plan.json': JSON.stringify({ stages: [{ folder: 's', objects: [{ file: 'app.yaml' }] }] }),
    }],
    ['an empty marker of an earlier GitOpsWriter', { '.generated-by-cdk8s-inference-migration': '' }],
  ])('given %s beside hand-written files, then plan --force deletes none of them: they are listed and it is refused (exit 1)', (_what, marker) => {
    const out = writeTree(path.join(tempDir('out-'), 'out'), { ...marker, 'README.md': 'mine\n', 's/app.yaml': 'hand: written\n' });
    const before = snapshotTree(out);

    const run = plan(out, '--force');

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/holds files inference-migrate did not write, or changed after writing them; it never removes or replaces those:\n/);
    expect(run.stderr).toMatch(/\nerror: - README\.md \(listed by the marker of an earlier release, without its sha256: not proven to be the file inference-migrate wrote\)\n/);
    expect(snapshotTree(out)).toEqual(before);
  });

  test('given the same folder and --keep-unknown-files, then the hand-written files stay and are listed as kept', () => {
    const out = writeTree(path.join(tempDir('out-'), 'out'), {
      '.generated-by-cdk8s-inference-migration': 'Written by cdk8s-inference-migration; the folder is replaced on the next write.\n',
      'plan.json': JSON.stringify({ stages: [{ folder: 's', objects: [{ file: 'app.yaml' }] }] }),
      'README.md': 'mine\n',
      's/app.yaml': 'hand: written\n',
    });

    const run = plan(out, '--force', '--keep-unknown-files');

    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('mine\n');
    expect(fs.readFileSync(path.join(out, 's', 'app.yaml'), 'utf8')).toBe('hand: written\n');
    expect(run.stdout).toMatch(/kept 3 files in --out that inference-migrate did not write: README\.md, plan\.json, s\//);
  });
});

describe('one run at a time', () => {
  test('given another run holding --out, then plan is refused (exit 1) with a message naming it, and --out is untouched', () => {
    const out = path.join(tempDir('out-'), 'out');
    expect(plan(out).status).toBe(0);
    const before = snapshotTree(out);
    const holder = OutputDirectory.open(out, { command: 'plan', replace: true });
    try {
      const run = plan(out, '--force');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^error: --out ${out} is being written by another run of inference-migrate \\(plan, pid ${process.pid} on ${os.hostname()}, since [-0-9T:.Z]+\\): wait for it to finish\\n$`));
      expect(snapshotTree(out)).toEqual(before);
    } finally {
      holder.close();
    }
    expect(plan(out, '--force').status).toBe(0);
  });

  test('given the lock of a run that was killed, then the next run takes it over', () => {
    const out = path.join(tempDir('out-'), 'out');
    fs.writeFileSync(path.join(path.dirname(out), sideName('out', 'lock')), JSON.stringify({ pid: 999_999_999, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'plan' }));

    const run = plan(out);

    expect(run.status).toBe(0);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['out']);
  });

  test('given two runs of plan --force on one --out at the same time, then one writes and the other is refused (exit 1); the output is one complete plan', async () => {
    const out = path.join(tempDir('out-'), 'out');
    expect(plan(out).status).toBe(0);
    const runs = await Promise.all([['--steps', '10,50'], ['--steps', '20,60,90']].map((steps) => runAsync(['plan', '--from', ONE_POOL, '--out', out, '--no-validate', '--force', ...steps])));

    expect(runs.map((r) => r.status).sort()).toEqual([0, 1]);
    const refused = runs.find((r) => r.status === 1)!;
    expect(refused.stderr).toMatch(new RegExp(`^error: --out ${out} is being written by another run of inference-migrate \\(plan, pid \\d+ on .*\\): wait for it to finish\\n$`));
    const stages = fs.readdirSync(path.join(out, MIGRATION)).filter((f) => /^\d\d-/.test(f));
    expect([
      ['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup'],
      ['01-side-by-side', '02-shift-20', '03-shift-60', '04-shift-90', '05-finalize', '06-cleanup'],
    ]).toContainEqual(stages);
    const marker = JSON.parse(fs.readFileSync(path.join(out, '.inference-migrate-output.json'), 'utf8'));
    expect(marker.files.map((f: any) => f.path)).toEqual(listTree(out).filter((f) => f !== '.inference-migrate-output.json'));
  });
});

describe('a plan --force killed while it replaces --out', () => {
  test(`given kills at random moments of the write, then after the next run's recovery --out is the old plan or the new one, never a mix (seed ${SEED})`, async () => {
    const seed = SEED;
    const rand = seededRandom(seed);
    // A large repository: eight copies of one-pool, each with its own names and namespace.
    const repo = tempDir('big-repo-');
    for (let i = 1; i <= 8; i++) {
      for (const f of listTree(ONE_POOL)) {
        const text = fs.readFileSync(path.join(ONE_POOL, f), 'utf8').replace(/namespace: default/g, `namespace: team-${i}`).replace(/vllm-llama3-8b-instruct/g, `pool-${i}`);
        writeTree(repo, { [`team-${i}/${f}`]: text });
      }
    }
    const work = tempDir('kill-');
    const template = path.join(work, 'template');
    const planBig = (out: string, ...extra: string[]) => ['plan', '--from', repo, '--out', out, '--no-validate', ...extra];
    expect(runCli(planBig(path.join(template, 'out'))).status).toBe(0);
    const oldSnap = snapshotTree(path.join(template, 'out'));
    const full = path.join(work, 'full');
    fs.cpSync(template, full, { recursive: true });
    expect(runCli(planBig(path.join(full, 'out'), '--force', '--steps', '10,50,90')).status).toBe(0);
    const newSnap = snapshotTree(path.join(full, 'out'));
    expect(Object.keys(newSnap).length).toBeGreaterThan(Object.keys(oldSnap).length);

    const parent = path.join(work, 'p');
    const out = path.join(parent, 'out');
    const killedAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      // The first kill right when the write begins (so at least one lands), the others at random moments.
      const delay = i === 0 ? 0 : Math.floor(rand() * 300);
      const where = `kill ${i + 1}, ${delay} ms after the journal appeared, seed ${seed}`;
      fs.rmSync(parent, { recursive: true, force: true });
      fs.cpSync(template, parent, { recursive: true });

      const killed = await killDuringWrite(planBig(out, '--force', '--steps', '10,50,90'), path.join(parent, sideName('out', 'journal.json')), delay);
      if (killed) killedAt.push(delay);

      // The next run recovers first, then refuses (no --force): --out is the old plan or the new one.
      const next = runCli(planBig(out));
      expect({ where, status: next.status }).toEqual({ where, status: 1 });
      expect({ where, stderr: next.stderr }).toEqual({ where, stderr: expect.stringMatching(/holds an earlier output of inference-migrate: add --force/) });
      const after = fs.existsSync(out) ? snapshotTree(out) : {};
      const isOld = JSON.stringify(after) === JSON.stringify(oldSnap);
      const isNew = JSON.stringify(after) === JSON.stringify(newSnap);
      expect({ where, state: isOld ? 'old' : isNew ? 'new' : 'mixed' }).toEqual({ where, state: expect.stringMatching(/^(old|new)$/) });
      expect({ where, beside: fs.readdirSync(parent) }).toEqual({ where, beside: ['out'] });
    }
    expect(killedAt.length).toBeGreaterThan(0);
  });
});

describe('names up to the Kubernetes limits', () => {
  // A valid 253-character DNS-1123 subdomain.
  const LONG = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

  test('given an InferenceModel and an HTTPRoute with 253-character names, then plan writes them under names of at most 255 bytes', () => {
    expect(LONG).toHaveLength(253);
    const repo = tempDir('long-');
    for (const f of listTree(ONE_POOL)) {
      writeTree(repo, { [f]: fs.readFileSync(path.join(ONE_POOL, f), 'utf8').replace(/name: food-review$/m, `name: ${LONG}`).replace(/name: llm-route$/m, `name: ${LONG}`) });
    }
    const out = path.join(tempDir('out-'), 'out');

    const run = runCli(['plan', '--from', repo, '--out', out]);

    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.status).toBe(0);
    const stage = path.join(out, MIGRATION, '01-side-by-side');
    const files = fs.readdirSync(stage);
    for (const f of files) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
    const objective = files.find((f) => f.startsWith(`inferenceobjective-${'a'.repeat(63)}`))!;
    expect(objective).toMatch(/^inferenceobjective-a{63}\.b{63}\.c{63}\.d+-[0-9a-f]{10}\.yaml$/);
    const object = YAML.parse(fs.readFileSync(path.join(stage, objective), 'utf8'));
    expect(object.metadata.name).toBe(LONG);
    expectValid([object]);
    expect(YAML.parse(fs.readFileSync(path.join(stage, 'kustomization.yaml'), 'utf8')).resources).toContain(objective);
  });

  test('given a LlamaStackDistribution with a 253-character name, then convert llamastack writes it under a name of at most 255 bytes', () => {
    const input = writeTree(tempDir('llsd-'), {
      'llsd.yaml': fs.readFileSync(path.join(FIXTURES, 'llamastack', 'llsd.yaml'), 'utf8').replace(/name: my-llsd$/m, `name: ${LONG}`),
    });
    const out = path.join(tempDir('out-'), 'out');

    const run = runCli(['convert', 'llamastack', path.join(input, 'llsd.yaml'), '--out', out]);

    expect(run.status).toBe(0);
    const file = fs.readdirSync(out).find((f) => f.startsWith('ai-a'))!;
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255);
    expect(file).toMatch(/^ai-a{63}\.b{63}\.c{63}\.d+-[0-9a-f]{10}\.yaml$/);
    expect(run.stdout).toContain(`kubectl apply -f ${out}/${file}`);
    expect(YAML.parse(fs.readFileSync(path.join(out, file), 'utf8')).metadata.name).toBe(LONG);
  });
});

/** Runs the CLI without blocking the test process. */
function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs the CLI and kills it (SIGKILL) `delay` ms after `journal` appears; resolves whether it was killed. */
function killDuringWrite(args: string[], journal: string, delay: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (timer === undefined && fs.existsSync(journal)) {
        timer = setTimeout(() => child.kill('SIGKILL'), delay);
      }
    }, 1);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}
