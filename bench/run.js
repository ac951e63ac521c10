#!/usr/bin/env node
// npm run bench: speed and memory of the library against plain cdk8s and a no-cdk8s floor, plus the
// CLI's plan on a generated 500-pool repository and the cold start of `inference-migrate example`.
//
// Every variant runs in its own child process (its peak RSS is its own), the variants are interleaved,
// each several times, and medians are printed. Output goes to tmpfs (/dev/shm) when the machine has it,
// so the figures measure the code rather than the disk. Not part of the test run.
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

const POOLS = (process.env.BENCH_POOLS || '50,500').split(',').map(Number);
const REPS = { 50: Number(process.env.BENCH_REPS_SMALL || 5), 500: Number(process.env.BENCH_REPS || 3) };
const VARIANTS = ['library', 'raw', 'floor'];
const scratch = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function tmpdir(prefix) {
  return fs.mkdtempSync(path.join(scratch, prefix));
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
  const dir = tmpdir('bench-repo-');
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

function timeCli(args) {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [path.join(root, 'bin', 'inference-migrate'), ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`bench: inference-migrate ${args.join(' ')} exited ${res.status}:\n${res.stderr}`);
  return ms;
}

function cliFigures() {
  if (!fs.existsSync(path.join(root, 'bin', 'inference-migrate')) || !fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) {
    return { plan500: undefined, coldStart: undefined };
  }
  const repo = generateRepo(500);
  const plans = [];
  for (let r = 0; r < 3; r++) {
    const out = path.join(tmpdir('bench-plan-'), 'out');
    plans.push(timeCli(['plan', '--from', repo, '--out', out]));
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
  fs.rmSync(repo, { recursive: true, force: true });
  const starts = [];
  for (let r = 0; r < 7; r++) {
    const out = path.join(tmpdir('bench-example-'), 'out');
    starts.push(timeCli(['example', '--out', out]));
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
  return { plan500: median(plans), coldStart: median(starts) };
}

function main() {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}, output on ${scratch}`);
  const templatesFile = renderTemplateFile();
  const results = [];
  const maxReps = Math.max(...POOLS.map((n) => REPS[n] ?? 3));
  for (let r = 0; r < maxReps; r++) {
    for (const n of POOLS) {
      if (r >= (REPS[n] ?? 3)) continue;
      for (const v of VARIANTS) {
        const res = runVariant(v, n, templatesFile);
        results.push(res);
        process.stderr.write(`  run ${r + 1}: ${v.padEnd(7)} ${String(n).padStart(4)} pools ${(res.ms / 1000).toFixed(2)} s\n`);
      }
    }
  }
  fs.rmSync(path.dirname(templatesFile), { recursive: true, force: true });

  const summary = {};
  console.log('');
  console.log('| pools | variant | wall time (median) | objects written | peak RSS (median) | runs |');
  console.log('|---:|---|---:|---:|---:|---:|');
  for (const n of POOLS) {
    for (const v of VARIANTS) {
      const runs = results.filter((x) => x.pools === n && x.variant === v);
      const ms = median(runs.map((x) => x.ms));
      const rss = median(runs.map((x) => x.peakRssMiB));
      summary[`${v}@${n}`] = { ms, rss, objects: runs[0].objects };
      console.log(`| ${n} | ${v === 'raw' ? 'plain cdk8s (one Chart per pool)' : v === 'floor' ? 'floor (no cdk8s)' : 'library'} | ${(ms / 1000).toFixed(2)} s | ${runs[0].objects} | ${rss.toFixed(0)} MiB | ${runs.length} |`);
    }
  }

  const cli = cliFigures();
  console.log('');
  console.log(`inference-migrate plan, 500-pool repository: ${cli.plan500 === undefined ? 'n/a (CLI not built)' : `${(cli.plan500 / 1000).toFixed(2)} s (median of 3)`}`);
  console.log(`inference-migrate example, cold start: ${cli.coldStart === undefined ? 'n/a (CLI not built)' : `${(cli.coldStart / 1000).toFixed(3)} s (median of 7)`}`);

  const big = Math.max(...POOLS);
  const small = Math.min(...POOLS);
  const lib500 = summary[`library@${big}`];
  const ratioRaw = lib500.ms / summary[`raw@${big}`].ms;
  const ratioFloor = lib500.ms / summary[`floor@${big}`].ms;
  const growth = lib500.ms / summary[`library@${small}`].ms;
  const check = (ok) => (ok ? 'met' : 'MISSED');
  console.log('');
  console.log(`targets: library/raw at ${big} <= 1.3: ${ratioRaw.toFixed(2)} ${check(ratioRaw <= 1.3)}; library/floor <= 3: ${ratioFloor.toFixed(2)} ${check(ratioFloor <= 3)}; ` +
    `growth ${small}->${big} pools <= ${big / small * 1.2}x: ${growth.toFixed(1)}x ${check(growth <= (big / small) * 1.2)}; peak memory < 1024 MiB: ${lib500.rss.toFixed(0)} MiB ${check(lib500.rss < 1024)}` +
    (cli.coldStart === undefined ? '' : `; cold start < 0.5 s: ${(cli.coldStart / 1000).toFixed(3)} s ${check(cli.coldStart < 500)}`));
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify({ machine: { cpus: cpus.length, model: cpus[0]?.model, node: process.version }, summary, cli }, null, 2)}\n`);
  console.log(`ratio library/raw at ${big} pools: ${ratioRaw.toFixed(2)}`);
}

main();
