#!/usr/bin/env node
// `npx projen e2e`: the real-cluster tests (test/cluster, a Go module). Builds the components that are
// missing from the cache (test/cluster/cmd/buildtools), runs `go test -json` over test/cluster, writes
// test-reports/go-junit.xml (which .ci/tally.js counts beside jest's report) and e2e-results.json at the
// project root, and prints the time of each part. Exits non-zero when a build or a test failed.
//
// Environment: E2E_INPUT=<dir> runs only the migrations of that folder (plan with the default options, then
// every stage); INFERENCE_MIGRATION_CACHE moves the binary cache; E2E_RUN=<regexp> is passed to go test -run;
// E2E_PARALLEL (default 3) is go test -parallel, how many tests hold a control plane at once.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const moduleDir = path.join(root, 'test', 'cluster');
const TOOLS = ['etcd', 'kubernetes', 'helm'];

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

/** Builds what is missing from the cache, one tool at a time; returns the lines of cmd/buildtools. */
function buildTools() {
  const started = Date.now();
  const r = spawnSync('go', ['run', './cmd/buildtools', ...TOOLS], { cwd: moduleDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) fail(`building the components failed (go run ./cmd/buildtools in ${moduleDir})`);
  const tools = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const t of tools) {
    console.log(`e2e: ${t.tool} ${t.version}: ${t.cached ? 'cached' : `built in ${t.seconds.toFixed(0)} s`} (${t.dir})`);
  }
  return { tools, seconds: (Date.now() - started) / 1000 };
}

/** Runs go test -json; resolves to the parsed events. Prints failures and a line per top-level test as they end. */
function goTest(resultsDir) {
  // Tests that take a cluster of the shared pool run this many at once (go test -parallel): each running test
  // holds one control plane (about 400 MiB), and while one waits on the API server another uses the CPU.
  const parallel = process.env.E2E_PARALLEL ?? '3';
  const args = ['test', '-json', '-count=1', '-timeout', '50m', '-parallel', parallel, './...'];
  if (process.env.E2E_RUN) args.push('-run', process.env.E2E_RUN);
  const env = { ...process.env, E2E_PROJECT_ROOT: root, E2E_RESULTS_DIR: resultsDir };
  return new Promise((resolve) => {
    const child = spawn('go', args, { cwd: moduleDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const events = [];
    const outputs = new Map();
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let ev;
        try {
          ev = JSON.parse(line);
        } catch {
          console.log(line); // a build error, printed as is
          continue;
        }
        events.push(ev);
        const key = `${ev.Package} ${ev.Test ?? ''}`;
        if (ev.Action === 'output') outputs.set(key, (outputs.get(key) ?? '') + ev.Output);
        if (ev.Action === 'fail' && ev.Test) process.stdout.write(outputs.get(key) ?? '');
        if ((ev.Action === 'pass' || ev.Action === 'fail' || ev.Action === 'skip') && ev.Test && !ev.Test.includes('/')) {
          console.log(`e2e: ${ev.Action} ${ev.Test} (${wallSeconds(events, ev.Package, ev.Test)} s)`);
        }
        if (ev.Action === 'fail' && !ev.Test) process.stdout.write(outputs.get(key) ?? '');
      }
    });
    child.on('close', (code) => resolve({ code, events }));
  });
}

/**
 * The wall-clock seconds of a top-level test, from its start to the end of its last subtest: go test's own
 * Elapsed leaves out parallel subtests, which run after the parent's function returns.
 */
function wallSeconds(events, pkg, test) {
  let first;
  let last;
  for (const ev of events) {
    if (ev.Package !== pkg || !ev.Test || (ev.Test !== test && !ev.Test.startsWith(`${test}/`)) || !ev.Time) continue;
    const t = Date.parse(ev.Time);
    first = first === undefined ? t : Math.min(first, t);
    last = last === undefined ? t : Math.max(last, t);
  }
  return first === undefined ? 0 : Math.round((last - first) / 1000);
}

/** The wall-clock seconds of every top-level test, by name. */
function partSeconds(events) {
  const parts = {};
  for (const ev of events) {
    if (ev.Test && !ev.Test.includes('/') && ['pass', 'fail', 'skip'].includes(ev.Action)) parts[ev.Test] = wallSeconds(events, ev.Package, ev.Test);
  }
  return parts;
}

function xmlEscape(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c])
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/**
 * A JUnit report of the leaf tests (a test with subtests is counted through them, so a failing subtest is one
 * failure, not two); a package that failed outside any test (a build error, TestMain) is one failed case.
 */
function junit(events) {
  const results = new Map();
  const output = new Map();
  const packageFailed = new Set();
  for (const ev of events) {
    const key = ev.Test ? `${ev.Package}\u0000${ev.Test}` : undefined;
    if (ev.Action === 'output' && key) output.set(key, (output.get(key) ?? '') + ev.Output);
    if (['pass', 'fail', 'skip'].includes(ev.Action)) {
      if (key) results.set(key, { pkg: ev.Package, name: ev.Test, action: ev.Action, elapsed: ev.Elapsed ?? 0 });
      else if (ev.Action === 'fail') packageFailed.add(ev.Package);
    }
  }
  const names = [...results.keys()];
  const leaves = names.filter((k) => !names.some((o) => o !== k && o.startsWith(`${k}/`)));
  const cases = leaves.map((k) => results.get(k));
  for (const pkg of packageFailed) {
    if (!cases.some((c) => c.pkg === pkg && c.action === 'fail')) cases.push({ pkg, name: '(package)', action: 'fail', elapsed: 0 });
  }
  const failures = cases.filter((c) => c.action === 'fail').length;
  const lines = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="go test (test/cluster)" tests="${cases.length}" failures="${failures}" errors="0">`];
  for (const c of cases) {
    lines.push(`  <testcase classname="${xmlEscape(c.pkg)}" name="${xmlEscape(c.name)}" time="${c.elapsed}">`);
    if (c.action === 'fail') lines.push(`    <failure message="failed">${xmlEscape((output.get(`${c.pkg}\u0000${c.name}`) ?? '').slice(-20000))}</failure>`);
    if (c.action === 'skip') lines.push('    <skipped/>');
    lines.push('  </testcase>');
  }
  lines.push('</testsuites>', '');
  return { xml: lines.join('\n'), tests: cases.length, failures };
}

/** Reads every JSON file the Go tests wrote (parts by name; migrations/ as a list) into e2e-results.json. */
function mergeResults(resultsDir, extra) {
  const read = (name) => {
    const file = path.join(resultsDir, `${name}.json`);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  };
  const migrationsDir = path.join(resultsDir, 'migrations');
  const migrations = fs.existsSync(migrationsDir)
    ? fs.readdirSync(migrationsDir).sort().map((f) => JSON.parse(fs.readFileSync(path.join(migrationsDir, f), 'utf8')))
    : [];
  return {
    kubernetes: read('kubernetes'),
    differential: read('differential') ?? null,
    migrations,
    helmParity: read('helm-parity') ?? [],
    verify: read('verify') ?? null,
    yamlScalars: read('yaml-scalars') ?? null,
    clusters: read('clusters') ?? null,
    ...extra,
  };
}

async function main() {
  if (!fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) fail('lib/ is missing: run `npx projen compile` first');
  if (spawnSync('go', ['version']).status !== 0) fail('go is not on PATH: the real-cluster tests need Go (test/cluster/go.mod names the version)');
  const started = Date.now();
  const build = buildTools();
  const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-results-'));
  try {
    const testStarted = Date.now();
    const { code, events } = await goTest(resultsDir);
    const testSeconds = (Date.now() - testStarted) / 1000;
    const report = junit(events);
    fs.mkdirSync(path.join(root, 'test-reports'), { recursive: true });
    fs.writeFileSync(path.join(root, 'test-reports', 'go-junit.xml'), report.xml);
    const timing = { build: { seconds: Math.round(build.seconds), tools: build.tools }, testSeconds: Math.round(testSeconds), parts: partSeconds(events), totalSeconds: Math.round((Date.now() - started) / 1000) };
    const results = mergeResults(resultsDir, { timing, tests: { run: report.tests, failed: report.failures } });
    fs.writeFileSync(path.join(root, 'e2e-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`e2e: ${report.tests - report.failures} passed, ${report.failures} failed; build ${timing.build.seconds} s, tests ${timing.testSeconds} s; e2e-results.json written`);
    if (code !== 0 || report.failures > 0) process.exit(1);
  } finally {
    fs.rmSync(resultsDir, { recursive: true, force: true });
  }
}

main().catch((err) => fail(err.stack || String(err)));
