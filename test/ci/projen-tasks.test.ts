// Every projen task that reads the pinned CRDs fetches them first, so that any task a newcomer runs on a
// fresh clone (`npx projen example` first of all) works: the README's first command once failed because
// `example` compiled before anything had fetched the CRDs.
import * as fs from 'fs';
import * as path from 'path';

const TASKS = path.join(__dirname, '..', '..', '.projen', 'tasks.json');

interface Step { readonly spawn?: string; readonly exec?: string; readonly execArgs?: string[] }
type Tasks = Record<string, { readonly steps?: Step[] }>;

/** The commands a task runs, in order, with the tasks it spawns expanded in place. */
function commands(tasks: Tasks, name: string, seen: string[] = []): string[] {
  if (seen.includes(name)) return [];
  return (tasks[name]?.steps ?? []).flatMap((s) => {
    if (s.spawn) return commands(tasks, s.spawn, [...seen, name]);
    return [s.exec ?? (s.execArgs ?? []).join(' ')];
  });
}

/** Commands that read imports/crds: the CRD compiler and importer, jest, the bench and the CLI. */
const READS_CRDS = [/compile-crds\.js/, /import-crds\.js/, /^jest\b/, /bench\/run\.js/, /bin\/inference-migrate\b/];

/** The tasks that read the CRDs before fetching them. */
function unfetched(tasks: Tasks): string[] {
  return Object.keys(tasks).filter((name) => {
    const run = commands(tasks, name);
    const firstRead = run.findIndex((c) => READS_CRDS.some((r) => r.test(c)));
    const firstFetch = run.findIndex((c) => /fetch-crds\.js/.test(c));
    return firstRead !== -1 && (firstFetch === -1 || firstFetch > firstRead);
  });
}

describe('the projen tasks', () => {
  const tasks: Tasks = JSON.parse(fs.readFileSync(TASKS, 'utf8')).tasks;

  test('given every task, then each that reads the CRDs fetches them before', () => {
    expect(unfetched(tasks)).toEqual([]);
  });

  test('given the tasks a newcomer runs first, then they read the CRDs (so the check above covers them)', () => {
    for (const name of ['example', 'compile', 'test', 'build', 'bench']) {
      expect(commands(tasks, name).some((c) => READS_CRDS.some((r) => r.test(c)))).toBe(true);
    }
  });

  test('given an example task that compiles without fetching, then the check names it', () => {
    const broken: Tasks = {
      'fetch-crds': { steps: [{ exec: 'node scripts/fetch-crds.js' }] },
      'compile': { steps: [{ exec: 'jsii' }, { exec: 'node scripts/compile-crds.js' }] },
      'pre-compile': { steps: [{ spawn: 'fetch-crds' }] },
      'build': { steps: [{ spawn: 'pre-compile' }, { spawn: 'compile' }] },
      'example': { steps: [{ spawn: 'compile' }, { exec: 'node bin/inference-migrate example --out dist' }] },
    };
    expect(unfetched(broken)).toEqual(['compile', 'example']);
  });
});
