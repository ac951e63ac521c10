// One benchmark run, in its own process so that its peak memory is its own.
//   node bench/variant.js <library|plain|floor> <pools> <outdir> <templates.json>
// Prints one JSON line: { variant, pools, ms, objects, peakRssMiB, phases }.
//
// `phases` splits the run's wall time (from the first line of this script to the end of the last write) into
// load, build constructs, synth, validate, serialize and write. Each phase is the time spent in the functions
// below while no inner phase was running (exclusive time), so the phases add up to `ms`:
// - load: requiring cdk8s and the library (or the serializer, for the floor);
// - build: creating the constructs (ZeroDowntimeMigration, or the ApiObjects and Charts of plain cdk8s);
// - validate: the constructs' own validations (`node.validate()` of every construct, which cdk8s runs too);
// - synth: rendering the constructs to JSON (`GitOpsWriter.synthesizeStage`, `Chart.toJson`), validations aside;
// - serialize: everything from the rendered objects to the files' contents: sync waves, sorting, stage diffs,
//   YAML, kustomizations and, for the library, the READMEs and plan.json;
// - write: the file system (the library's OutputDirectory: lock, marker, files; mkdir and writes for the others).
'use strict';

const { performance } = require('node:perf_hooks');
const started = performance.now();
const path = require('node:path');
const fs = require('node:fs');

const [variant, poolsArg, outdir, templatesFile] = process.argv.slice(2);
const pools = Number(poolsArg);
const root = path.resolve(__dirname, '..');
const workload = require('./workload');

const PHASES = ['load', 'build', 'synth', 'validate', 'serialize', 'write'];
const phases = Object.fromEntries(PHASES.map((p) => [p, 0]));
let current = 'load';
let since = started;

/** Runs `fn` in `phase`; the time of phases entered inside it is theirs. */
function inPhase(phase, fn) {
  const now = performance.now();
  phases[current] += now - since;
  const outer = current;
  current = phase;
  since = now;
  try {
    return fn();
  } finally {
    const end = performance.now();
    phases[current] += end - since;
    current = outer;
    since = end;
  }
}

/** Makes every call of `owner[name]` run in `phase`. */
function timeCalls(owner, name, phase) {
  const original = owner[name];
  if (typeof original !== 'function') throw new Error(`bench: ${name} is not a function: the phase instrumentation is out of date`);
  owner[name] = function timed(...args) {
    return inPhase(phase, () => original.apply(this, args));
  };
}

function library() {
  const cdk8s = require(path.join(root, 'node_modules', 'cdk8s'));
  const constructs = require(path.join(root, 'node_modules', 'constructs'));
  const lib = require(path.join(root, 'lib'));
  const { OutputDirectory } = require(path.join(root, 'lib', 'output'));
  timeCalls(constructs.Node.prototype, 'validate', 'validate');
  timeCalls(lib.GitOpsWriter, 'synthesizeStage', 'synth');
  timeCalls(OutputDirectory, 'open', 'write');
  timeCalls(OutputDirectory.prototype, 'write', 'write');
  timeCalls(OutputDirectory.prototype, 'close', 'write');
  const app = inPhase('build', () => {
    const a = new cdk8s.App();
    for (let i = 0; i < pools; i++) {
      new lib.ZeroDowntimeMigration(a, workload.poolName(i), workload.migrationProps(workload.poolName(i), workload.namespaceOf(i)));
    }
    return a;
  });
  // Schema validation off (GitOpsWriter's default is on), as in the figures so far: the baselines check no schema.
  const written = inPhase('serialize', () => new lib.GitOpsWriter({ outdir, validate: false }).writeAll(app));
  return written.reduce((n, m) => n + m.objectCount, 0);
}

// Plain cdk8s: the same objects as ApiObjects, one Chart per pool, synthesized chart by chart as
// App.synth() does (each Chart.toJson() prepares and validates the whole app), written with the same
// serializer and layout.
function plain(templates) {
  const cdk8s = require(path.join(root, 'node_modules', 'cdk8s'));
  const constructs = require(path.join(root, 'node_modules', 'constructs'));
  const manifests = require(path.join(root, 'lib', 'migration', 'manifests'));
  timeCalls(constructs.Node.prototype, 'validate', 'validate');
  const charts = inPhase('build', () => {
    const app = new cdk8s.App();
    const built = [];
    for (let i = 0; i < pools; i++) {
      const chart = new cdk8s.Chart(app, workload.poolName(i), { disableResourceNameHashes: true });
      const counts = [];
      templates.forEach((t, s) => {
        const objects = workload.instantiate(t.json, i);
        objects.forEach((o, j) => new cdk8s.ApiObject(chart, `s${s}-${j}`, o));
        counts.push(objects.length);
      });
      built.push({ chart, counts, pool: workload.poolName(i) });
    }
    return built;
  });
  let written = 0;
  for (const { chart, counts, pool } of charts) {
    const objects = inPhase('synth', () => chart.toJson());
    let offset = 0;
    templates.forEach((t, s) => {
      written += workload.writeStage(manifests, path.join(outdir, pool, t.folder), objects.slice(offset, offset + counts[s]), inPhase);
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
      const objects = inPhase('build', () => workload.instantiate(t.json, i));
      written += workload.writeStage(manifests, path.join(outdir, workload.poolName(i), t.folder), objects, inPhase);
    }
  }
  return written;
}

const templates = templatesFile ? JSON.parse(fs.readFileSync(templatesFile, 'utf8')) : [];
const run = { library, plain, floor }[variant];
if (!run) throw new Error(`bench: unknown variant ${variant} (library, plain, floor)`);
const objects = run(templates);
const ended = performance.now();
phases[current] += ended - since;
const ms = ended - started;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ variant, pools, ms, objects, peakRssMiB, phases })}\n`);
