/**
 * The README's five-minute tour, run as a reader runs it: every `$ ` line of its console blocks in one
 * shell, in order, from the project root, with `inference-migrate` being the compiled CLI and `~` a fresh
 * temporary home. What each command prints (stdout and stderr, as a terminal shows them) must be exactly
 * what the README shows under it.
 *
 * Needs the compiled library (`npx projen compile`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { codeBlocks, readDoc, ROOT, section } from './markdown';
import { BIN, requireCompiled } from '../cli/run-cli';

/** One command of the tour and what the README shows it printing. */
interface TourStep {
  readonly command: string;
  readonly shown: string;
}

/** The commands of the console blocks of `markdown` (lines starting with `$ `), each with the lines shown under it. */
function consoleSteps(markdown: string): TourStep[] {
  const steps: Array<{ command: string; shown: string[] }> = [];
  for (const block of codeBlocks(markdown).filter((b) => b.lang === 'console')) {
    for (const line of block.code.split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), shown: [] });
      else if (steps.length > 0) steps[steps.length - 1].shown.push(line);
    }
  }
  return steps.map((s) => ({ command: s.command, shown: s.shown.join('\n') }));
}

/** Runs the steps in one bash shell from the project root; returns what each printed (stdout and stderr together). */
function runSteps(steps: TourStep[], home: string): string[] {
  const marker = (i: number) => `\u0000tour-step-${i}\u0000`;
  const script = [
    'set -u',
    `inference-migrate() { "${process.execPath}" "${BIN}" "$@"; }`,
    'exec 2>&1',
    `cd "${ROOT}"`,
    ...steps.flatMap((s, i) => [`printf '${marker(i).replace(/\u0000/g, '\\0')}'`, s.command]),
    `printf '${marker(steps.length).replace(/\u0000/g, '\\0')}'`,
  ].join('\n');
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, HOME: home }, timeout: 300_000 });
  const printed: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const from = run.stdout.indexOf(marker(i));
    const to = run.stdout.indexOf(marker(i + 1));
    printed.push(from === -1 || to === -1 ? `(the tour stopped before this step: ${run.stderr}${run.error ?? ''})` : run.stdout.slice(from + marker(i).length, to).replace(/\n$/, ''));
  }
  return printed;
}

describe('the README\'s five-minute tour', () => {
  let home: string;
  let steps: TourStep[];
  let printed: string[];

  beforeAll(() => {
    requireCompiled();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'tour-home-'));
    steps = consoleSteps(section(readDoc('README.md'), 'A five-minute tour'));
    printed = runSteps(steps, home);
  }, 300_000);

  afterAll(() => {
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('given the tour, then it goes scan, plan, read a stage, validate, status and promote', () => {
    const commands = steps.map((s) => s.command.split(' ').slice(0, 2).join(' '));
    expect(commands).toEqual(expect.arrayContaining(['inference-migrate scan', 'inference-migrate plan', 'inference-migrate validate', 'inference-migrate status', 'inference-migrate promote']));
    expect(commands.indexOf('inference-migrate scan')).toBeLessThan(commands.indexOf('inference-migrate plan'));
    expect(commands.indexOf('inference-migrate plan')).toBeLessThan(commands.indexOf('inference-migrate promote'));
  });

  test('when each command runs, then it prints exactly what the README shows', () => {
    const shownAndPrinted = steps.map((s, i) => ({ command: s.command, printed: printed[i] }));
    expect(shownAndPrinted).toEqual(steps.map((s) => ({ command: s.command, printed: s.shown })));
  });

  test('then the tour wrote in the temporary home, not in the project', () => {
    expect(fs.existsSync(path.join(home, 'gitops', 'migrations', 'vllm-llama3-8b-instruct', 'plan.json'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'gitops'))).toBe(false);
  });
});
