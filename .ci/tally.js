#!/usr/bin/env node
// The last line of .ci/run: "N passed, N failed", from jest's JUnit report and the status of the build
// steps. Exits non-zero when a step failed, a test failed, or no test ran at all (a test glob that
// matches nothing, or a missing report, proves nothing).
// Usage: node .ci/tally.js <junit.xml> <status of the build steps> [<more junit.xml> ...]
// The first report is jest's and must exist; the others (the Go real-cluster tests' go-junit.xml) are added
// when present: a build that failed before writing them has already failed by its status.
'use strict';
const fs = require('fs');

const [report, stepStatus, ...moreReports] = process.argv.slice(2);
let tests = 0;
let failures = 0;
let skipped = 0;
for (const file of [report, ...moreReports]) {
  if (!file || !fs.existsSync(file)) continue;
  const xml = fs.readFileSync(file, 'utf8');
  const head = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const count = (key) => Number((new RegExp(`\\b${key}="(\\d+)"`).exec(head) || [0, 0])[1]);
  tests += count('tests');
  failures += count('failures') + count('errors');
  skipped += (xml.match(/<skipped\b/g) || []).length;
}
let failed = failures;
const passed = tests - failures - skipped;
let status = Number(stepStatus) || 0;
if (status === 0 && passed + failed === 0) {
  console.log(`::: no test ran (${report} is missing or counts 0 tests)`);
  status = 1;
}
if (status !== 0 && failed === 0) failed = 1; // a failure outside the test run (install, compile, lint, package, drift, or no test at all)
if (status === 0 && failed > 0) status = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(status);
