/**
 * The documentation's command sessions, run as a reader runs them: every `$ ` line of the console blocks of
 * the README's five-minute tour and of the CLI reference's walkthrough, in one shell each, in order, from the
 * project root, with `inference-migrate` being the compiled CLI and `~` a fresh temporary home. What each
 * command prints (stdout and stderr, as a terminal shows them, and the exit status `echo $?` shows) must be
 * exactly what the page shows under it.
 *
 * Needs the compiled library (`npx projen compile`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeBlocks, readDoc, ROOT, section } from './markdown';
import { BIN, requireCompiled } from '../cli/run-cli';

/** One command of a session and what the page shows it printing. */
interface SessionStep {
  readonly command: string;
  readonly shown: string;
}

/** The commands of the console blocks of `markdown` (lines starting with `$ `), each with the lines shown under it. */
function consoleSteps(markdown: string): SessionStep[] {
  const steps: Array<{ command: string; shown: string[] }> = [];
  for (const block of codeBlocks(markdown).filter((b) => b.lang === 'console')) {
    for (const line of block.code.split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), shown: [] });
      else if (steps.length > 0) steps[steps.length - 1].shown.push(line);
    }
  }
  return steps.map((s) => ({ command: s.command, shown: s.shown.join('\n') }));
}

/**
 * Runs `setup` (not shown on the page), then the steps, in one bash shell from the project root; returns what
 * each step printed (stdout and stderr together). The markers between steps keep each step's exit status.
 */
function runSteps(steps: SessionStep[], home: string, setup: string): string[] {
  const marker = (i: number) => `\u0000session-step-${i}\u0000`;
  const printMarker = (i: number) => `printf '${marker(i).replace(/\u0000/g, '\\0')}'; (exit $rc)`;
  const script = [
    'set -u',
    'rc=0',
    `inference-migrate() { "${process.execPath}" "${BIN}" "$@"; }`,
    'exec 2>&1',
    `cd "${ROOT}"`,
    setup,
    ...steps.flatMap((s, i) => [printMarker(i), s.command, 'rc=$?']),
    printMarker(steps.length),
  ].join('\n');
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, HOME: home }, timeout: 300_000 });
  const printed: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const from = run.stdout.indexOf(marker(i));
    const to = run.stdout.indexOf(marker(i + 1));
    printed.push(from === -1 || to === -1 ? `(the session stopped before this step: ${run.stderr}${run.error ?? ''})` : run.stdout.slice(from + marker(i).length, to).replace(/\n$/, ''));
  }
  return printed;
}

/** The sessions: the page, the heading of its section, and what runs before the first step (not shown). */
const SESSIONS: Array<[string, string, string]> = [
  ['README.md', 'A five-minute tour', ''],
  ['docs/cli.md', 'Walkthrough: `scan`, `plan`, then `promote`', 'mkdir -p ~/w && cp -r test/fixtures/repos/one-pool ~/w/gitops && git -C ~/w/gitops init -q && cd ~/w'],
];

/** The first two words of each command of a page's session. */
const commandsOf = (file: string, heading: string) => consoleSteps(section(readDoc(file), heading)).map((s) => s.command.split(' ').slice(0, 2).join(' '));

describe.each(SESSIONS)('the session of %s, "%s"', (file, heading, setup) => {
  let home: string;
  let steps: SessionStep[];
  let printed: string[];

  beforeAll(() => {
    requireCompiled();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'session-home-'));
    steps = consoleSteps(section(readDoc(file), heading));
    printed = runSteps(steps, home, setup);
  }, 300_000);

  afterAll(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('when each command runs, then it prints exactly what the page shows', () => {
    expect(steps.length).toBeGreaterThan(5);
    const shownAndPrinted = steps.map((s, i) => ({ command: s.command, printed: printed[i] }));
    expect(shownAndPrinted).toEqual(steps.map((s) => ({ command: s.command, printed: s.shown })));
  });

  test('then the session wrote in the temporary home, not in the project', () => {
    expect(fs.readdirSync(home).length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(ROOT, 'gitops'))).toBe(false);
  });
});

test('given the README\'s tour, then it goes scan, plan, read a stage, validate, status and promote, in that order', () => {
  const commands = commandsOf('README.md', 'A five-minute tour');
  const order = ['inference-migrate scan', 'inference-migrate plan', 'cat migrations/vllm-llama3-8b-instruct/02-shift-50/httproute-llm-route.yaml',
    'inference-migrate validate', 'inference-migrate status', 'inference-migrate promote'].map((c) => commands.indexOf(c.split(' ').slice(0, 2).join(' ')));
  expect(order.every((i) => i !== -1)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
});
