#!/usr/bin/env node
// Builds the jsii packages of the languages named on the command line (js, python, java, go) under build/, with
// every download cached outside the repository, under $INFERENCE_MIGRATION_CACHE (default
// ~/.cache/cdk8s-inference-migration): pip's cache, Maven's local repository, the Go module cache.
//
//   node scripts/package-language.js js python java go
//
// A language is skipped when its package was built from the same inputs (the jsii assembly, package.json, the
// jsii-pacmak and cdk8s versions, this script): build/.package-stamps/<language> holds their hash.
// FORCE_PACKAGE=1 builds all the same.
//
// js, python and java are built by one jsii-pacmak run (one `npm pack`, the languages in parallel). Go is built by
// a second run that also generates the Go bindings of the npm cdk8s package this project pins (build/go/cdk8s):
// the Go module proxy reachable from this project's machines does not serve github.com/cdk8s-team/cdk8s-core-go
// (403 "This module version is not available" for every version), and jsii-pacmak's Go build resolves the
// bindings it generates in the same run locally (docs/languages.md, "Go").
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const LANGUAGES = ['js', 'python', 'java', 'go'];

/** The cache directory of one tool, created. */
function cacheDir(...parts) {
  const base = process.env.INFERENCE_MIGRATION_CACHE || path.join(os.homedir(), '.cache', 'cdk8s-inference-migration');
  const dir = path.join(base, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The artifact each language's build leaves, by which a stamp is known to be still true. */
const ARTIFACTS = {
  js: () => glob(path.join(ROOT, 'build', 'js'), '.tgz'),
  python: () => glob(path.join(ROOT, 'build', 'python'), '.whl'),
  java: () => glob(path.join(ROOT, 'build', 'java', 'org', 'cdk8s', 'cdk8s-inference-migration', require(path.join(ROOT, 'package.json')).version), '.jar'),
  go: () => glob(path.join(ROOT, 'build', 'go', 'cdk8sinferencemigration'), 'go.mod'),
};

function glob(dir, suffix) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)) : [];
}

/** The hash of everything a language's package is built from. */
function inputsHash(language) {
  const hash = crypto.createHash('sha256').update(language);
  for (const file of ['.jsii', 'package.json', 'scripts/package-language.js', 'node_modules/jsii-pacmak/package.json', 'node_modules/cdk8s/package.json']) {
    hash.update(fs.readFileSync(path.join(ROOT, file)));
  }
  return hash.digest('hex');
}

function stampFile(language) {
  return path.join(ROOT, 'build', '.package-stamps', language);
}

function upToDate(language) {
  if (process.env.FORCE_PACKAGE === '1' || ARTIFACTS[language]().length === 0) return false;
  try {
    return fs.readFileSync(stampFile(language), 'utf8') === inputsHash(language);
  } catch {
    return false;
  }
}

function stamp(languages) {
  fs.mkdirSync(path.dirname(stampFile(languages[0])), { recursive: true });
  for (const language of languages) fs.writeFileSync(stampFile(language), inputsHash(language));
}

/** Runs jsii-pacmak; resolves when it succeeds, exits the script when it fails. */
function pacmak(args, env) {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak');
  console.log(`package-language: jsii-pacmak ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(bin, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => fail(args, err.message));
    child.on('exit', (code) => (code === 0 ? resolve() : fail(args, `exit ${code}`)));
  });
}

function fail(args, why) {
  console.error(`package-language: jsii-pacmak ${args.join(' ')} failed (${why})`);
  process.exit(1);
}

async function main(argv) {
  const asked = argv.length > 0 ? argv : LANGUAGES;
  const unknown = asked.filter((l) => !LANGUAGES.includes(l));
  if (unknown.length > 0) {
    console.error(`package-language: unknown language ${unknown.join(', ')}: allowed are ${LANGUAGES.join(', ')}`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(ROOT, '.jsii'))) {
    console.error('package-language: .jsii is missing: run `npx projen compile` first');
    process.exit(1);
  }
  const fresh = asked.filter(upToDate);
  if (fresh.length > 0) console.log(`package-language: ${fresh.join(', ')} up to date (build/.package-stamps; FORCE_PACKAGE=1 rebuilds)`);
  const wanted = asked.filter((l) => !fresh.includes(l));
  const env = {
    // As the projen tasks do (.projenrc.ts): jsii's Node 20 end-of-life banner, once per process, says nothing new.
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?? '20',
    PIP_CACHE_DIR: cacheDir('pip'),
    GOMODCACHE: cacheDir('go', 'mod'),
    // The module cache stays deletable (Go writes it read-only otherwise).
    GOFLAGS: [process.env.GOFLAGS, '-modcacherw'].filter(Boolean).join(' '),
  };
  // The two runs at once: each spends much of its time waiting (npm pack, downloads, Maven's start).
  const runs = [];
  const first = wanted.filter((l) => l !== 'go');
  if (first.length > 0) {
    const args = ['-v', ...first.flatMap((l) => ['--target', l])];
    if (first.includes('java')) args.push('--maven-local-repository', cacheDir('maven', 'repository'));
    runs.push(pacmak(args, env).then(() => stamp(first)));
  }
  if (wanted.includes('go')) {
    fs.rmSync(path.join(ROOT, 'build', 'go'), { recursive: true, force: true });
    const args = ['-v', '--target', 'go', '--outdir', path.join(ROOT, 'build'), path.join(ROOT, 'node_modules', 'cdk8s'), ROOT];
    runs.push(pacmak(args, env).then(() => stamp(['go'])));
  }
  await Promise.all(runs);
}

void main(process.argv.slice(2));
