#!/usr/bin/env node
// Mutation testing, group by group (docs/development.md, "Mutation testing"): runs StrykerJS with stryker.config.json
// once per group of scripts/mutation-groups.json (both written by .projenrc.ts), each group with its own mutated
// files, its own tests (jest's testMatch) and its own incremental file, then prints the score of every module.
//
//   node scripts/mutation.js [group ...] [stryker options ...]     e.g. `npx projen mutation convert --concurrency 1`
//
// A group's run reuses the results of its last run for every mutant whose code and covering tests did not change
// (reports/mutation/<group>/incremental.json); `--force` runs every mutant again, `--retest-survivors` the survivors,
// `--retest-timeouts` the timed-out mutants. The score is the issue's: killed and
// timed-out mutants over all mutants that some test covers. Exits 1 when a run fails or a module scores under 85%.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BREAK = 85;

const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const { groups } = JSON.parse(fs.readFileSync(path.join(__dirname, 'mutation-groups.json'), 'utf8'));

// `--retest-survivors` and `--retest-timeouts`: this script's own options, not Stryker's (forgetVerdicts below).
const RETEST = { '--retest-survivors': ['Survived', 'NoCoverage'], '--retest-timeouts': ['Timeout'] };
const isRetest = (a) => Object.prototype.hasOwnProperty.call(RETEST, a);
const args = process.argv.slice(2);
const retest = args.filter(isRetest).flatMap((a) => RETEST[a]);
const named = args.filter((a) => Object.prototype.hasOwnProperty.call(groups, a));
const passed = args.filter((a) => !named.includes(a) && !isRetest(a));
const unknown = passed.find((a, i) => !a.startsWith('-') && !(i > 0 && passed[i - 1].startsWith('--') && !passed[i - 1].includes('=')));
if (unknown !== undefined) {
  console.error(`mutation: unknown group ${JSON.stringify(unknown)}; the groups are ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}
const selected = named.length > 0 ? named : Object.keys(groups);

// The TypeScript checker compiles what its tsconfig includes for every batch of mutants: with the project's tsconfig
// that is all of src/ (src/imports alone is 60,000 lines), and the checker, not the tests, sets the pace. The group's
// tsconfig includes only the mutated files (and so what they import): a mutant that breaks a caller's types is then
// left to the tests, which run it (ts-jest does not type-check).
const CHECKER_TSCONFIG = 'tsconfig.mutation.json';

function writeCheckerTsconfig(group) {
  const tsconfig = {
    extends: './tsconfig.json',
    include: group.mutate.filter((p) => !p.startsWith('!')),
    exclude: ['node_modules', ...group.mutate.filter((p) => p.startsWith('!')).map((p) => p.slice(1))],
  };
  fs.writeFileSync(path.join(root, CHECKER_TSCONFIG), `${JSON.stringify(tsconfig, null, 2)}\n`);
}

/** The Stryker options of one group: the base with the group's files, tests, reports and incremental file. */
function groupConfig(name, group) {
  const dir = path.posix.join('reports', 'mutation', name);
  return {
    ...base,
    tsconfigFile: CHECKER_TSCONFIG,
    mutate: group.mutate,
    incrementalFile: `${dir}/incremental.json`,
    htmlReporter: { fileName: `${dir}/mutation.html` },
    jsonReporter: { fileName: `${dir}/mutation.json` },
    // The script judges the score per module (below); a group under the line must not stop the groups after it.
    thresholds: { ...base.thresholds, break: null },
    jest: { ...base.jest, config: { ...base.jest.config, testMatch: group.tests.map((t) => `<rootDir>/${t}`) } },
  };
}

const COUNTED = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError', 'RuntimeError'];

/** Counts per file of a mutation-testing-elements report. */
function countsOf(report) {
  const out = {};
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const c = Object.fromEntries(COUNTED.map((s) => [s, 0]));
    for (const m of mutants) c[m.status] = (c[m.status] ?? 0) + 1;
    out[file] = c;
  }
  return out;
}

/** Killed and timed out over the mutants some test covers (killed, timed out, survived), in percent. */
function coveredScore(c) {
  const covered = c.Killed + c.Timeout + c.Survived;
  return covered === 0 ? 100 : (100 * (c.Killed + c.Timeout)) / covered;
}

/**
 * Drops the mutants with these statuses from a group's incremental file, so that its next run tests them again and
 * keeps every other verdict. Stryker reuses a survivor's verdict while its code and covering tests are unchanged,
 * which is wrong when what changed is how a mutant runs (a static mutant now runs its module's whole test files) or
 * a test the coverage cannot see; and a timeout on a busy machine may be a slow run, not a kill.
 */
function forgetVerdicts(incrementalFile, statuses) {
  if (!fs.existsSync(incrementalFile)) return 0;
  const report = JSON.parse(fs.readFileSync(incrementalFile, 'utf8'));
  let dropped = 0;
  for (const file of Object.values(report.files)) {
    const kept = file.mutants.filter((m) => !statuses.includes(m.status));
    dropped += file.mutants.length - kept.length;
    file.mutants = kept;
  }
  fs.writeFileSync(incrementalFile, JSON.stringify(report));
  return dropped;
}

// The package exports no bin path: its directory, from its package.json.
const stryker = path.join(path.dirname(require.resolve('@stryker-mutator/core/package.json', { paths: [root] })), 'bin', 'stryker.js');
const rows = [];
let failed = false;
for (const name of selected) {
  const config = groupConfig(name, groups[name]);
  writeCheckerTsconfig(groups[name]);
  const configFile = path.join(root, 'reports', 'mutation', name, 'stryker.config.json');
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`::: mutation: group ${name} (${config.mutate.join(', ')})`);
  if (retest.length > 0) console.log(`::: mutation: group ${name}: ${forgetVerdicts(path.join(root, config.incrementalFile), retest)} mutants (${retest.join(', ')}) to test again`);
  const start = Date.now();
  // The tests of the compiled library skip themselves in the sandbox, which has no lib/ (test/cli/run-cli.ts).
  const env = { ...process.env, INFERENCE_MIGRATE_MUTATION_SANDBOX: '1' };
  const run = spawnSync(process.execPath, [stryker, 'run', path.relative(root, configFile), ...passed], { cwd: root, stdio: 'inherit', env });
  const seconds = Math.round((Date.now() - start) / 1000);
  if (run.status !== 0) {
    console.error(`::: mutation: group ${name}: stryker exited ${run.status ?? run.signal} after ${seconds} s`);
    failed = true;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(path.join(root, config.jsonReporter.fileName), 'utf8'));
  for (const [file, c] of Object.entries(countsOf(report))) rows.push({ group: name, file, seconds, ...c, score: coveredScore(c) });
}

if (rows.length > 0) {
  const header = ['module', 'killed', 'timeout', 'survived', 'no cov.', 'ignored', 'score'];
  const lines = rows.map((r) => [r.file, r.Killed, r.Timeout, r.Survived, r.NoCoverage, r.Ignored, `${r.score.toFixed(1)}%`].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const show = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${show(header)}`);
  for (const l of lines) console.log(show(l));
  const summary = path.join(root, 'reports', 'mutation', 'summary.json');
  const previous = fs.existsSync(summary) ? JSON.parse(fs.readFileSync(summary, 'utf8')) : { modules: {} };
  for (const r of rows) previous.modules[r.file] = { ...r, date: new Date().toISOString().slice(0, 10) };
  fs.writeFileSync(summary, `${JSON.stringify(previous, null, 2)}\n`);
  const under = rows.filter((r) => r.score < BREAK);
  for (const r of under) console.error(`::: mutation: ${r.file} scores ${r.score.toFixed(1)}%, under ${BREAK}%: kill its survivors or list them as equivalent (docs/development.md)`);
  if (under.length > 0) failed = true;
}
process.exit(failed ? 1 : 0);
