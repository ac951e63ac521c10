#!/usr/bin/env node
// Compiles the pinned CRDs (imports/crds.lock.json, fetched into imports/crds by fetch-crds) into imports/compiled,
// with the compiled library's lib/validation/crd-compiler.js: per CRD version the schema without descriptions and the
// validator code ajv generates for it, so that ManifestValidator neither parses YAML nor generates code at run time
// (docs/performance.md). Runs as the last step of `npx projen compile`. The package ships imports/compiled
// instead of the YAML files.
//
// The work is skipped when nothing it depends on changed: the lock file's entries, the compiler (lib/validation's
// crd-compiler.js, crd-store.js, openapi.js, package-files.js, cel-ast.js), ajv's version and @bufbuild/cel's (which
// parses the CEL rules).
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const libDir = path.join(root, 'lib', 'validation');
const COMPILER_FILES = ['crd-compiler.js', 'crd-store.js', 'openapi.js', 'package-files.js', 'cel-ast.js'];

function fail(message) {
  console.error(`compile-crds: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(path.join(libDir, 'crd-compiler.js'))) fail('lib/validation/crd-compiler.js is missing: run jsii first (npx projen compile)');

const { compileCrds } = require(path.join(libDir, 'crd-compiler.js'));
const { COMPILED_INDEX, readLock } = require(path.join(libDir, 'package-files.js'));

const entries = readLock();
const crdDir = path.join(root, 'imports', 'crds');
const outDir = path.dirname(path.join(root, COMPILED_INDEX));

const missing = entries.filter((e) => !fs.existsSync(path.join(crdDir, e.file)));
if (missing.length > 0) fail(`${missing.length} pinned crd files are missing from imports/crds (e.g. ${missing[0].file}): run \`npx projen fetch-crds\``);

const hash = crypto.createHash('sha256');
hash.update(`ajv ${require(path.join(root, 'node_modules', 'ajv', 'package.json')).version}\n`);
hash.update(`@bufbuild/cel ${require(path.join(root, 'node_modules', '@bufbuild', 'cel', 'package.json')).version}\n`);
for (const e of entries) hash.update(`${e.file} ${e.sha256}\n`);
for (const f of COMPILER_FILES) hash.update(fs.readFileSync(path.join(libDir, f)));
const fingerprint = hash.digest('hex');

let current;
try {
  current = JSON.parse(fs.readFileSync(path.join(outDir, 'index.json'), 'utf8')).fingerprint;
} catch {
  current = undefined;
}
if (current === fingerprint) {
  console.log(`compile-crds: imports/compiled is up to date (${entries.length} crd files)`);
} else {
  const started = Date.now();
  const summary = compileCrds(entries, crdDir, outDir, fingerprint);
  console.log(`compile-crds: ${summary.files} crd files, ${summary.versions} versions compiled into imports/compiled ` +
    `(${summary.compiledFiles} distinct, ${(summary.bytes / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
