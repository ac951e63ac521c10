// A Stryker test runner for the mutation runs (docs/development.md, "Mutation testing"): StrykerJS's jest runner,
// except that a mutant's jest run loads only the test files that hold the tests covering it.
//
// Stryker's jest runner runs a mutant with `--findRelatedTests <mutated file>` and a test-name pattern made of the
// covering tests' names. Jest then loads every test file of the group that imports the mutated file, even the ones
// where no test matches the pattern, and each of them runs its module- and describe-level set-up (rendering a whole
// migration, say) for nothing: with test/migration/ for src/migration/gitops-writer.ts, ten files at about 5 s of
// CPU for a mutant whose one covering test takes under 1 s. Here the dry run, which runs every test of the group
// with coverage per test, records which file each test is in; a mutant's run then names those files to jest
// instead of --findRelatedTests, with the same test-name pattern. The tests that run are the same (a test whose
// name matches the pattern but did not cover the mutant, in another file, no longer runs: it cannot kill it).
// A mutant without a test filter (Stryker runs every test) or with a test the dry run did not record keeps the
// jest runner's own way.
import fs from 'node:fs';
import path from 'node:path';
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';

const jestFactory = jestPlugins.find((p) => p.kind === PluginKind.TestRunner && p.name === 'jest').factory;

// Every test runner is a child process whose working directory is the sandbox; the dry run happens in one of them
// and the mutants run in all of them, after it: the map goes through a file of the sandbox.
const MAP_FILE = '.stryker-test-files.json';

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

class JestFilesTestRunner {
  static inject = tokens(commonTokens.injector, commonTokens.logger);

  constructor(injector, log) {
    this.inner = jestFactory(injector);
    this.log = log;
    this.map = undefined;
  }

  init() {
    return this.inner.init?.();
  }

  capabilities() {
    return this.inner.capabilities();
  }

  dispose() {
    return this.inner.dispose?.();
  }

  async dryRun(options) {
    // The jest runner's dry run, with its one jest run watched for the time each test file took (loading and
    // set-up included), which orders a mutant's test files below.
    const run = this.inner.run;
    const fileTimes = {};
    this.inner.run = async (settings) => {
      const out = await run.call(this.inner, settings);
      for (const r of out.jestResult.testResults) fileTimes[r.testFilePath] = r.perfStats.runtime ?? r.perfStats.end - r.perfStats.start;
      return out;
    };
    let result;
    try {
      result = await this.inner.dryRun(options);
    } finally {
      this.inner.run = run;
    }
    if (result.status === 'complete') {
      const filesOf = {};
      for (const t of result.tests) {
        if (t.fileName === undefined) continue;
        (filesOf[t.id] ??= []).includes(t.fileName) || filesOf[t.id].push(t.fileName);
      }
      const tmp = `${MAP_FILE}.${process.pid}`;
      fs.writeFileSync(tmp, JSON.stringify({ filesOf, fileTimes }));
      fs.renameSync(tmp, MAP_FILE);
      this.map = { filesOf, fileTimes };
    }
    return result;
  }

  /** The dry run's map, read from the sandbox when this runner did not make it; false when there is none. */
  loadMap() {
    if (this.map === undefined && fs.existsSync(MAP_FILE)) this.map = JSON.parse(fs.readFileSync(MAP_FILE, 'utf8'));
    return this.map !== undefined;
  }

  /**
   * The test files that hold the given tests, the cheapest per covering test first, or undefined when a test is
   * not in the dry run's map.
   */
  testFilesFor(testFilter) {
    if (testFilter === undefined || testFilter.length === 0 || !this.loadMap()) return undefined;
    const tests = new Map();
    for (const id of testFilter) {
      const of = this.map.filesOf[id];
      if (of === undefined) return undefined;
      for (const f of of) tests.set(f, (tests.get(f) ?? 0) + 1);
    }
    const cost = (f) => (this.map.fileTimes[f] ?? Number.MAX_SAFE_INTEGER) / tests.get(f);
    return [...tests.keys()].sort((a, b) => cost(a) - cost(b) || a.localeCompare(b));
  }

  /** The jest runner's mutantRun, with its jest run given these test files instead of --findRelatedTests. */
  async runIn(files, options) {
    // The adapter passes testFiles to jest as test path patterns (anchored and escaped here) and then does not
    // ask for related tests.
    const run = this.inner.run;
    this.inner.run = (settings) => run.call(this.inner, { ...settings, testFiles: files.map((f) => `^${escapeRegExp(path.resolve(f))}$`) });
    try {
      return await this.inner.mutantRun(options);
    } finally {
      this.inner.run = run;
    }
  }

  /**
   * The test files of the mutated module itself, by the layout's naming (`src/validation/redact.ts` has
   * `test/validation/redact.test.ts`, `src/convert/inference-model.ts` also `test/convert/inference-model-rewrites.test.ts`),
   * among the files of the dry run, cheapest first.
   */
  ownTestFiles(fileName) {
    if (!this.loadMap()) return [];
    const relative = path.relative(process.cwd(), fileName).split(path.sep).join('/');
    if (!relative.startsWith('src/') || !relative.endsWith('.ts')) return [];
    const stem = `test/${relative.slice('src/'.length, -'.ts'.length)}`;
    const own = Object.keys(this.map.fileTimes).filter((f) => {
      const rel = path.relative(process.cwd(), f).split(path.sep).join('/');
      return rel.endsWith('.test.ts') && (rel === `${stem}.test.ts` || rel.startsWith(`${stem}-`));
    });
    return own.sort((a, b) => this.map.fileTimes[a] - this.map.fileTimes[b] || a.localeCompare(b));
  }

  /**
   * A static mutant (Stryker gives it no test filter, see ignoreStatic in .projenrc.ts): every test of the module's
   * own test files, which must pin its tables and patterns. Only a module without own test files runs every test of
   * the group that imports it (jest's --findRelatedTests): that takes a minute or more a mutant, which, for the
   * dozens of static mutants a module's own tests leave alive, does not fit a run on this machine.
   */
  async staticRun(options) {
    const own = this.ownTestFiles(options.activeMutant.fileName);
    return own.length > 0 ? this.checked(await this.runIn(own, options), options) : this.inner.mutantRun(options);
  }

  async mutantRun(options) {
    if (options.testFilter === undefined) return this.staticRun(options);
    const files = this.testFilesFor(options.testFilter);
    if (files === undefined) {
      this.log.debug(`Mutant ${options.activeMutant.id}: a covering test is not in the dry run's map: jest's --findRelatedTests`);
      return this.inner.mutantRun(options);
    }
    // One failing test kills a mutant, and jest cannot stop at the first (Stryker turns its bail off): the cheapest
    // file alone first, then, when the mutant survives it, the others in one jest run.
    const first = files.length > 1 && !options.disableBail ? [files[0]] : files;
    const rest = files.slice(first.length);
    const result = await this.runIn(first, options);
    if (result.status !== 'survived' || rest.length === 0) return this.checked(result, options);
    const more = await this.runIn(rest, options);
    return this.checked(more.status === 'survived' ? { ...more, nrOfTests: result.nrOfTests + more.nrOfTests } : more, options);
  }

  /** A mutant that survived without running any test is run again the jest runner's way: a map gone wrong must not pass for a survivor. */
  async checked(result, options) {
    if (result.status === 'survived' && result.nrOfTests === 0) {
      this.log.warn(`Mutant ${options.activeMutant.id}: no test ran in the recorded test files; running it with jest's --findRelatedTests`);
      return this.inner.mutantRun(options);
    }
    return result;
  }
}

function jestFilesTestRunnerFactory(injector) {
  return injector.injectClass(JestFilesTestRunner);
}
jestFilesTestRunnerFactory.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-files', jestFilesTestRunnerFactory)];
