#!/usr/bin/env node
// npm run bench: speed and memory of the library against plain cdk8s and a no-cdk8s floor at 1, 5, 50 and 500
// pools, where the library's time goes (phases) at 5 and 500 pools, the CLI's `plan` on generated repositories of
// 5, 50 and 500 pools, and the cold start of `inference-migrate --version` and `example`. Prints every target of
// the README's "Performance" section as met or MISSED and writes the medians to bench-results.json.
//
// Every measurement runs in its own child process (its peak RSS is its own). The measurements are interleaved,
// round after round, so that a change in the machine's load touches all of them alike, and medians are reported.
// Output goes to tmpfs (/dev/shm) when the machine has it, so the figures measure the code rather than the disk.
// Not part of the test run.
//
// Environment: BENCH_POOLS (default 1,5,50,500), BENCH_PLAN_POOLS (default 5,50,500), BENCH_REPS (runs per pool
// count, e.g. `3` for all, or `pools:runs` pairs; by default 7 at 1 and 5 pools, 5 at 50, 3 at 500, and for plan 5
// at 5 pools, 3 at 50 and 500), BENCH_COLD_REPS (runs of each cold start, default 7).
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const workload = require('./workload');

const root = path.resolve(__dirname, '..');
const lib = require(path.join(root, 'lib'));
const cdk8s = require(path.join(root, 'node_modules', 'cdk8s'));
const manifests = require(path.join(root, 'lib', 'migration', 'manifests'));

const VARIANTS = ['library', 'plain', 'floor'];
const LABELS = { library: 'library', plain: 'plain cdk8s (one Chart per pool)', floor: 'floor (no cdk8s)' };
const PHASES = [
  ['load', 'load'],
  ['build', 'build constructs'],
  ['synth', 'synth'],
  ['validate', 'validate'],
  ['serialize', 'serialize'],
  ['write', 'write'],
];
const PHASE_POOLS = [5, 500];
const DEFAULT_REPS = { 1: 7, 5: 7, 50: 5, 500: 3 };
const PLAN_REPS = { 5: 5, 50: 3, 500: 3 };

const POOLS = numbers(process.env.BENCH_POOLS, [1, 5, 50, 500]);
const PLAN_POOLS = numbers(process.env.BENCH_PLAN_POOLS, [5, 50, 500]);
const COLD_REPS = Number(process.env.BENCH_COLD_REPS || 7);
const scratch = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const bin = path.join(root, 'bin', 'inference-migrate');

function numbers(text, fallback) {
  return text ? text.split(',').map(Number) : fallback;
}

/** Runs per pool count: BENCH_REPS is one number for all, or `pools:runs` pairs. */
function repsOf(pools, defaults) {
  const spec = process.env.BENCH_REPS;
  if (spec && /^\d+$/.test(spec)) return Number(spec);
  const given = spec ? Object.fromEntries(spec.split(',').map((pair) => pair.split(':').map(Number))) : {};
  return given[pools] ?? defaults[pools] ?? 3;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The run whose time is the median (the lower middle one for an even count): its phases are reported. */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function tmpdir(prefix) {
  return fs.mkdtempSync(path.join(scratch, prefix));
}

function seconds(ms) {
  return Number((ms / 1000).toFixed(3));
}

function machine() {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ` +
    `${os.type()} ${os.release()}, Node.js ${process.version}`;
}

function loadAverage() {
  return os.loadavg().map((l) => l.toFixed(2)).join(' ');
}

// The baseline variants build exactly the library's objects: prove it on two pools first.
function renderTemplateFile() {
  const templates = workload.renderTemplates(lib, cdk8s, manifests).map((t) => ({ folder: t.folder, json: JSON.stringify(t.objects) }));
  const app = new cdk8s.App();
  const migrations = [0, 1].map((i) => new lib.ZeroDowntimeMigration(app, workload.poolName(i), workload.migrationProps(workload.poolName(i), workload.namespaceOf(i))));
  migrations.forEach((m, i) => m.stages.forEach((stage, s) => {
    const fromLibrary = lib.GitOpsWriter.synthesizeStage(stage).map((o) => manifests.withSyncWave(o, manifests.defaultSyncWave(o)));
    const fromTemplate = workload.instantiate(templates[s].json, i);
    const key = (list) => list.map((o) => manifests.stableJson(o)).sort().join('\n');
    if (key(fromLibrary) !== key(fromTemplate)) {
      throw new Error(`bench: the baseline objects of ${stage.folderName} differ from the library's; the comparison would be unfair`);
    }
  }));
  const file = path.join(tmpdir('bench-templates-'), 'templates.json');
  fs.writeFileSync(file, JSON.stringify(templates));
  return file;
}

function runVariant(variant, pools, templatesFile) {
  const out = tmpdir(`bench-${variant}-`);
  try {
    const res = spawnSync(process.execPath, [path.join(__dirname, 'variant.js'), variant, String(pools), out, templatesFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (res.status !== 0) throw new Error(`bench: ${variant} at ${pools} pools failed:\n${res.stderr}`);
    return JSON.parse(res.stdout.trim().split('\n').pop());
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

// A GitOps repository with N alpha stacks (pool, two InferenceModels, EPP Service) and their routes.
function generateRepo(pools) {
  const dir = tmpdir(`bench-repo-${pools}-`);
  for (let i = 0; i < pools; i++) {
    const pool = workload.poolName(i);
    const ns = workload.namespaceOf(i);
    const docs = [
      { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferencePool', metadata: { name: `${pool}-alpha`, namespace: ns }, spec: { selector: { app: pool }, targetPortNumber: 8000, extensionRef: { name: `${pool}-alpha-epp` } } },
      { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: `${pool}-chat`, namespace: ns }, spec: { modelName: `${pool}-chat`, criticality: 'Critical', poolRef: { name: `${pool}-alpha` } } },
      { apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: `${pool}-batch`, namespace: ns }, spec: { modelName: `${pool}-batch`, poolRef: { name: `${pool}-alpha` } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: `${pool}-alpha-epp`, namespace: ns }, spec: { selector: { app: `${pool}-alpha-epp` }, ports: [{ port: 9002, targetPort: 9002, protocol: 'TCP' }] } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: `${pool}-route`, namespace: ns }, spec: { parentRefs: [{ name: 'inference-gateway' }], rules: [{ backendRefs: [{ group: 'inference.networking.x-k8s.io', kind: 'InferencePool', name: `${pool}-alpha` }] }] } },
    ];
    fs.mkdirSync(path.join(dir, ns), { recursive: true });
    fs.writeFileSync(path.join(dir, ns, `${pool}.yaml`), manifests.toYaml(docs));
  }
  return dir;
}

/**
 * Runs the CLI as users do (`node bin/inference-migrate ...`): wall time from spawn to exit, node's start
 * included. With `rss`, bench/peak-rss.js is preloaded to report the process's peak RSS.
 */
function runCli(args, { rss = false } = {}) {
  const rssFile = rss ? path.join(tmpdir('bench-rss-'), 'rss') : undefined;
  const argv = rss ? ['--require', path.join(__dirname, 'peak-rss.js'), bin, ...args] : [bin, ...args];
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 16 << 20, env: rss ? { ...process.env, BENCH_RSS_FILE: rssFile } : process.env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench: inference-migrate ${args.join(' ')} exited ${res.status}:\n${res.stderr}`);
  let peakRssMiB;
  if (rssFile) {
    peakRssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
    fs.rmSync(path.dirname(rssFile), { recursive: true, force: true });
  }
  return { ms, peakRssMiB };
}

function runPlan(pools, repo) {
  const out = path.join(tmpdir('bench-plan-'), 'out');
  try {
    return { kind: 'plan', pools, ...runCli(['plan', '--from', repo, '--out', out], { rss: true }) };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

function runColdStart(command) {
  if (command === 'version') return { kind: 'cold', command, ...runCli(['--version']) };
  const out = path.join(tmpdir('bench-example-'), 'out');
  try {
    return { kind: 'cold', command, ...runCli(['example', '--out', out]) };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

/** Every measurement, round by round: a round runs each one that has runs left. */
function schedule(templatesFile, repos) {
  const jobs = [];
  for (const pools of POOLS) {
    for (const variant of VARIANTS) {
      jobs.push({ reps: repsOf(pools, DEFAULT_REPS), label: `${variant.padEnd(7)} ${String(pools).padStart(4)} pools`, run: () => runVariant(variant, pools, templatesFile) });
    }
  }
  for (const pools of PLAN_POOLS) {
    jobs.push({ reps: repsOf(pools, PLAN_REPS), label: `plan    ${String(pools).padStart(4)} pools`, run: () => runPlan(pools, repos.get(pools)) });
  }
  for (const command of ['version', 'example']) {
    jobs.push({ reps: COLD_REPS, label: `cold start ${command}`, run: () => runColdStart(command) });
  }
  const results = [];
  const rounds = Math.max(...jobs.map((j) => j.reps));
  for (let r = 0; r < rounds; r++) {
    for (const job of jobs) {
      if (r >= job.reps) continue;
      const res = job.run();
      results.push(res);
      process.stderr.write(`  round ${r + 1}: ${job.label.padEnd(22)} ${(res.ms / 1000).toFixed(3)} s\n`);
    }
  }
  return results;
}

function main() {
  const cliBuilt = fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'));
  if (!cliBuilt) throw new Error('bench: lib/cli/main.js is missing: compile first (npx projen compile)');
  const machineText = machine();
  const loadAtStart = loadAverage();
  console.log(`machine: ${machineText}; output on ${scratch}; load average at start ${loadAtStart}`);

  const templatesFile = renderTemplateFile();
  const repos = new Map(PLAN_POOLS.map((n) => [n, generateRepo(n)]));
  let results;
  try {
    results = schedule(templatesFile, repos);
  } finally {
    fs.rmSync(path.dirname(templatesFile), { recursive: true, force: true });
    for (const dir of repos.values()) fs.rmSync(dir, { recursive: true, force: true });
  }
  const loadAtEnd = loadAverage();

  // The variants.
  const summary = new Map();
  console.log('');
  console.log('| pools | variant | wall time (median) | objects written | peak RSS (median) | runs |');
  console.log('|---:|---|---:|---:|---:|---:|');
  for (const pools of POOLS) {
    for (const variant of VARIANTS) {
      const runs = results.filter((x) => x.variant === variant && x.pools === pools);
      const row = { ms: median(runs.map((x) => x.ms)), rss: median(runs.map((x) => x.peakRssMiB)), objects: runs[0].objects, median: medianRun(runs), runs: runs.length };
      summary.set(`${variant}@${pools}`, row);
      console.log(`| ${pools} | ${LABELS[variant]} | ${(row.ms / 1000).toFixed(3)} s | ${row.objects.toLocaleString('en-US')} | ${row.rss.toFixed(0)} MiB | ${row.runs} |`);
    }
  }

  // Where the time goes: the phases of the median run of each variant.
  const phasePools = PHASE_POOLS.filter((n) => POOLS.includes(n));
  if (phasePools.length > 0) {
    const columns = phasePools.flatMap((n) => VARIANTS.map((v) => ({ n, v, run: summary.get(`${v}@${n}`).median })));
    console.log('');
    console.log('Where the time goes (seconds; phases of the median run; plain and floor for comparison):');
    console.log('');
    console.log(`| phase | ${columns.map((c) => `${c.v === 'plain' ? 'plain' : c.v} ${c.n}`).join(' | ')} |`);
    console.log(`|---|${columns.map(() => '---:').join('|')}|`);
    for (const [key, label] of PHASES) {
      console.log(`| ${label} | ${columns.map((c) => (c.run.phases[key] / 1000).toFixed(3)).join(' | ')} |`);
    }
    console.log(`| total | ${columns.map((c) => (c.run.ms / 1000).toFixed(3)).join(' | ')} |`);
  }

  // The CLI.
  const plans = new Map(PLAN_POOLS.map((n) => {
    const runs = results.filter((x) => x.kind === 'plan' && x.pools === n);
    return [n, { ms: median(runs.map((x) => x.ms)), rss: median(runs.map((x) => x.peakRssMiB)), runs: runs.length }];
  }));
  const cold = Object.fromEntries(['version', 'example'].map((c) => {
    const runs = results.filter((x) => x.kind === 'cold' && x.command === c);
    return [c, { ms: median(runs.map((x) => x.ms)), runs: runs.length }];
  }));
  console.log('');
  console.log('| inference-migrate | wall time (median) | peak RSS (median) | runs |');
  console.log('|---|---:|---:|---:|');
  for (const [n, p] of plans) console.log(`| plan, ${n}-pool repository (read, plan, validate, write) | ${(p.ms / 1000).toFixed(3)} s | ${p.rss.toFixed(0)} MiB | ${p.runs} |`);
  console.log(`| --version, cold start | ${(cold.version.ms / 1000).toFixed(3)} s | | ${cold.version.runs} |`);
  console.log(`| example, cold start | ${(cold.example.ms / 1000).toFixed(3)} s | | ${cold.example.runs} |`);

  // The targets.
  const ms = (variant, pools) => summary.get(`${variant}@${pools}`)?.ms;
  const lines = [];
  const target = (text, value, shown, ok) => {
    lines.push(value === undefined ? `target: ${text}: not measured (see BENCH_POOLS and BENCH_PLAN_POOLS)` : `target: ${text}: ${shown} ${ok ? 'met' : 'MISSED'}`);
  };
  const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
  for (const [pools, limit] of [[1, 1.5], [5, 1.5], [50, 1.0], [500, 1.0]]) {
    const r = ratio(ms('library', pools), ms('plain', pools));
    target(`library <= ${limit.toFixed(1)}x plain cdk8s at ${pools} pool${pools === 1 ? '' : 's'}`, r, `${r?.toFixed(2)}x`, r <= limit);
  }
  for (const pools of [50, 500]) {
    const r = ratio(ms('library', pools), ms('floor', pools));
    target(`library <= 1.5x the floor at ${pools} pools`, r, `${r?.toFixed(2)}x`, r <= 1.5);
  }
  const plan500 = ratio(plans.get(500)?.ms, ms('floor', 500));
  target('plan on the 500-pool repository <= 2.5x the floor at 500 pools', plan500, `${plan500?.toFixed(2)}x`, plan500 <= 2.5);
  const plan5 = plans.get(5)?.ms;
  target('plan on the 5-pool repository < 1 s', plan5, `${(plan5 / 1000).toFixed(3)} s`, plan5 < 1000);
  target('cold start of inference-migrate --version < 0.15 s', cold.version.ms, `${(cold.version.ms / 1000).toFixed(3)} s`, cold.version.ms < 150);
  target('cold start of inference-migrate example < 0.3 s', cold.example.ms, `${(cold.example.ms / 1000).toFixed(3)} s`, cold.example.ms < 300);
  const rss500 = summary.get('library@500')?.rss;
  target('peak memory of the library at 500 pools < 512 MiB', rss500, `${rss500?.toFixed(0)} MiB`, rss500 < 512);
  const planRss500 = plans.get(500)?.rss;
  target('peak memory of plan on the 500-pool repository < 512 MiB', planRss500, `${planRss500?.toFixed(0)} MiB`, planRss500 < 512);
  console.log('');
  for (const line of lines) console.log(line);

  const file = {
    machine: `${machineText}; load average ${loadAtStart} at start, ${loadAtEnd} at end`,
    rows: POOLS.flatMap((pools) => VARIANTS.map((variant) => {
      const row = summary.get(`${variant}@${pools}`);
      return { pools, variant, seconds: seconds(row.ms), peakRssMiB: Math.round(row.rss) };
    })),
    plan: PLAN_POOLS.map((pools) => ({ pools, seconds: seconds(plans.get(pools).ms) })),
    coldStart: { version: seconds(cold.version.ms), example: seconds(cold.example.ms) },
  };
  fs.writeFileSync(path.join(root, 'bench-results.json'), `${JSON.stringify(file, null, 2)}\n`);
  console.log('');
  console.log(`medians written to bench-results.json; load average at end ${loadAtEnd}`);
  const big = Math.max(...POOLS);
  console.log(`ratio library/raw at ${big} pools: ${(ms('library', big) / ms('plain', big)).toFixed(2)}`);
}

main();
