// One benchmark run, in its own process so that its peak memory is its own.
//   node bench/variant.js <library|raw|floor> <pools> <outdir> <templates.json>
// Prints one JSON line: { variant, pools, ms, objects, peakRssMiB }.
'use strict';

const started = process.hrtime.bigint();
const path = require('node:path');
const fs = require('node:fs');

const [variant, poolsArg, outdir, templatesFile] = process.argv.slice(2);
const pools = Number(poolsArg);
const root = path.resolve(__dirname, '..');
const workload = require('./workload');

function library() {
  const cdk8s = require(path.join(root, 'node_modules', 'cdk8s'));
  const lib = require(path.join(root, 'lib'));
  const app = new cdk8s.App();
  for (let i = 0; i < pools; i++) {
    new lib.ZeroDowntimeMigration(app, workload.poolName(i), workload.migrationProps(workload.poolName(i), workload.namespaceOf(i)));
  }
  const written = new lib.GitOpsWriter({ outdir }).writeAll(app);
  return written.reduce((n, m) => n + m.objectCount, 0);
}

// Plain cdk8s: the same objects as ApiObjects, one Chart per pool, synthesized chart by chart as
// App.synth() does (each Chart.toJson() prepares and validates the whole app), written with the same
// serializer and layout.
function raw(templates) {
  const cdk8s = require(path.join(root, 'node_modules', 'cdk8s'));
  const manifests = require(path.join(root, 'lib', 'migration', 'manifests'));
  const app = new cdk8s.App();
  const charts = [];
  for (let i = 0; i < pools; i++) {
    const chart = new cdk8s.Chart(app, workload.poolName(i), { disableResourceNameHashes: true });
    const counts = [];
    templates.forEach((t, s) => {
      const objects = workload.instantiate(t.json, i);
      objects.forEach((o, j) => new cdk8s.ApiObject(chart, `s${s}-${j}`, o));
      counts.push(objects.length);
    });
    charts.push({ chart, counts, pool: workload.poolName(i) });
  }
  let written = 0;
  for (const { chart, counts, pool } of charts) {
    const objects = chart.toJson();
    let offset = 0;
    templates.forEach((t, s) => {
      written += workload.writeStage(manifests, path.join(outdir, pool, t.folder), objects.slice(offset, offset + counts[s]));
      offset += counts[s];
    });
  }
  return written;
}

// The floor: the same objects as plain JS objects, the same serializer and layout, no cdk8s.
function floor(templates) {
  const manifests = require(path.join(root, 'lib', 'migration', 'manifests'));
  let written = 0;
  for (let i = 0; i < pools; i++) {
    for (const t of templates) {
      written += workload.writeStage(manifests, path.join(outdir, workload.poolName(i), t.folder), workload.instantiate(t.json, i));
    }
  }
  return written;
}

const templates = templatesFile ? JSON.parse(fs.readFileSync(templatesFile, 'utf8')) : [];
const objects = variant === 'library' ? library() : variant === 'raw' ? raw(templates) : floor(templates);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ variant, pools, ms, objects, peakRssMiB })}\n`);
