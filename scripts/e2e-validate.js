#!/usr/bin/env node
// The project's validator as the real-cluster differential (test/cluster/e2e/differential_test.go) calls it:
// reads {"items": [{"bundles": [...], "object": {...}}]} from standard input and writes
// [{"problems": [ValidationProblem, ...], "defaults": [AppliedDefault, ...]}] (one per item, same order) to
// standard output. Uses the compiled library (lib/), so run `npx projen compile` first.
'use strict';

const path = require('node:path');
const { ManifestValidator } = require(path.join(__dirname, '..', 'lib', 'validation'));

// A bundle "file:<path>" is a CRD file of the repository (the CEL fixture, test/fixtures/cel), not one of the lock.
function options(bundles) {
  const files = bundles.filter((b) => b.startsWith('file:'));
  return {
    crdBundles: bundles.filter((b) => !files.includes(b)),
    extraCrdPaths: files.map((b) => path.join(__dirname, '..', b.slice('file:'.length))),
  };
}

function main() {
  const chunks = [];
  process.stdin.on('data', (c) => chunks.push(c));
  process.stdin.on('end', () => {
    const { items } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const validators = new Map();
    const out = items.map(({ bundles, object }) => {
      const key = (bundles ?? []).join(',');
      let validator = validators.get(key);
      if (!validator) {
        validator = new ManifestValidator(bundles ? options(bundles) : {});
        validators.set(key, validator);
      }
      const report = validator.validate([object]);
      return { problems: report.problems, defaults: report.defaultsApplied };
    });
    process.stdout.write(JSON.stringify(out));
  });
}

main();
