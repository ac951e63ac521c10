#!/usr/bin/env node
// Fails the build when the packed package (build/js/*.tgz, made by jsii-pacmak) unpacks to more than the budget,
// and prints what takes the space: the library itself and each bundled dependency (jsii bundles them all).
//
// The size figures of the documentation are this script's output, never typed: README.md and docs/development.md
// hold them between `<!-- package-size:<name> -->` and `<!-- /package-size:<name> -->`. The check fails when they
// are not the measured ones; `node scripts/check-package-size.js --write` writes the measured ones there.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { list } = require('tar');

const BUDGET_MIB = 32;
// The project root (the tests point it at a copy): build/js, README.md and docs/development.md are under it.
const ROOT = process.env.CHECK_PACKAGE_SIZE_ROOT ?? path.resolve(__dirname, '..');
const dir = path.join(ROOT, 'build', 'js');

/**
 * The parts of the package the docs name, each a set of top-level entries of the package or bundled packages
 * (node_modules/<name>), and what it is. Every other bundled package falls into the last row.
 */
const PARTS = [
  { label: '`kubernetes-models`', groups: ['kubernetes-models'], what: 'generated validators of every built-in kind (CommonJS and ESM copies)' },
  {
    label: '`@bufbuild/cel`, `cel-spec`, `protobuf`, `re2`',
    groups: ['@bufbuild/cel', '@bufbuild/cel-spec', '@bufbuild/protobuf', '@bufbuild/re2'],
    what: (sizes) => `the CEL engine for \`x-kubernetes-validations\`; \`cel-spec\` alone is ${mib1(sizes.get('@bufbuild/cel-spec'))}, mostly conformance test data its package ships`,
  },
  {
    label: '`lib/`, `.jsii`, `bin/`, `API.md`, `README.md`, `CHANGELOG.md`, `docs/`',
    groups: ['lib/', '.jsii', 'bin/', 'API.md', 'README.md', 'CHANGELOG.md', 'docs/', 'LICENSE', 'package.json'],
    what: 'the library (JavaScript with inline source maps that point at src/ without copying it, type declarations), the CLI\'s entry and the docs',
  },
  { label: '`imports/`', groups: ['imports/'], what: 'the pinned CRDs, compiled, and the GKE, Argo CD and Flux validators the validator reads' },
  {
    label: '`@kubernetes-models/istio` and the kubernetes-models runtime (`apimachinery`, `base`, `validate`, `@swc/helpers`, `tslib`)',
    groups: ['@kubernetes-models/istio', '@kubernetes-models/apimachinery', '@kubernetes-models/base', '@kubernetes-models/validate', '@swc/helpers', 'tslib'],
    what: 'Istio\'s DestinationRule validator, and what every generated validator runs on',
  },
  {
    label: '`ajv`, `ajv-formats`, `ajv-i18n`, `re2-wasm`',
    groups: ['ajv', 'ajv-formats', 'ajv-formats-draft2019', 'ajv-i18n', 're2-wasm'],
    what: 'JSON Schema validation; RE2 patterns for kubernetes-models',
  },
  {
    label: '`yaml`, `commander`, `jsonc-parser`, `semver`, `safe-stable-stringify`, `microdiff`',
    groups: ['yaml', 'commander', 'jsonc-parser', 'semver', 'safe-stable-stringify', 'microdiff'],
    what: 'YAML, the CLI, JSON edits, versions, stable JSON, structural diffs',
  },
];

function mib(bytes) {
  return `${(bytes / 1048576).toFixed(2)} MiB`;
}

/** One decimal, as the docs give sizes. */
function mib1(bytes) {
  return `${((bytes ?? 0) / 1048576).toFixed(1)} MiB`;
}

/** `node_modules/<name>` or `node_modules/@scope/<name>` of a path in the package, else its first segment. */
function groupOf(file) {
  const parts = file.split('/').slice(1); // without the leading "package/"
  if (parts[0] !== 'node_modules') return parts.length > 1 ? `${parts[0]}/` : parts[0];
  return parts[1].startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

/** The sizes of the packed package: total, files, and bytes per group. */
function measure(tarball) {
  const groups = new Map();
  let total = 0;
  let files = 0;
  list({
    file: tarball,
    sync: true,
    onReadEntry: (entry) => {
      if (entry.type !== 'File') return;
      total += entry.size;
      files++;
      const g = groupOf(entry.path);
      groups.set(g, (groups.get(g) ?? 0) + entry.size);
    },
  });
  return { total, files, groups, packed: fs.statSync(tarball).size };
}

/** The generated texts, by marker name. */
function generated(m) {
  const known = new Set(PARTS.flatMap((p) => p.groups));
  const rest = [...m.groups].filter(([g]) => !known.has(g)).sort((a, b) => b[1] - a[1]);
  const rows = PARTS.map((p) => {
    const bytes = p.groups.reduce((sum, g) => sum + (m.groups.get(g) ?? 0), 0);
    return `| ${p.label} | ${(bytes / 1048576).toFixed(1)} | ${typeof p.what === 'function' ? p.what(m.groups) : p.what} |`;
  });
  const restBytes = rest.reduce((sum, [, b]) => sum + b, 0);
  rows.push(`| ${rest.length} more packages (${rest.slice(0, 4).map(([g]) => `\`${g}\``).join(', ')}, ...) | ${(restBytes / 1048576).toFixed(1)} | what those depend on |`);
  const files = m.files.toLocaleString('en-US');
  return {
    readme: `The package is ${mib1(m.packed)} packed and ${mib1(m.total)} unpacked (every runtime dependency bundled, as jsii requires).`,
    development: [
      `The packed package (\`build/js/*.tgz\`, ${mib1(m.packed)}) unpacks to ${mib1(m.total)} in ${files} files; \`npx projen package:js\` fails`,
      `above ${BUDGET_MIB} MiB and prints the largest parts. jsii bundles every runtime dependency, so most of it is the validators'`,
      'dependencies:',
      '',
      '| part | MiB | what |',
      '|---|---|---|',
      ...rows,
    ].join('\n'),
  };
}

/** The files with generated blocks, and the block names each holds. */
const TARGETS = { 'README.md': ['readme'], 'docs/development.md': ['development'] };

/** `text` with the block `name` holding `content`; undefined when the text has no such block. */
function withBlock(text, name, content) {
  const re = new RegExp(`(<!-- package-size:${name} -->\\n)[\\s\\S]*?(<!-- /package-size:${name} -->)`);
  if (!re.test(text)) return undefined;
  return text.replace(re, (_m, open, close) => `${open}${content}\n${close}`);
}

function main() {
  const write = process.argv.includes('--write');
  const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
  if (tarballs.length !== 1) {
    console.error(`check-package-size: expected one .tgz in ${dir}, found ${tarballs.length}: run jsii-pacmak first`);
    process.exit(1);
  }
  const m = measure(path.join(dir, tarballs[0]));
  const largest = [...m.groups].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([g, size]) => `${g} ${mib(size)}`);
  const summary = `${tarballs[0]}: ${mib(m.total)} unpacked in ${m.files} files (budget ${BUDGET_MIB} MiB); largest: ${largest.join(', ')}`;
  if (m.total > BUDGET_MIB * 1048576) {
    console.error(`check-package-size: ${summary}`);
    console.error('check-package-size: over budget; see docs/development.md, "Package size", for what the space is');
    process.exit(1);
  }
  console.log(`check-package-size: ${summary}`);

  const texts = generated(m);
  const stale = [];
  for (const [file, names] of Object.entries(TARGETS)) {
    const abs = path.join(ROOT, file);
    const before = fs.readFileSync(abs, 'utf8');
    let after = before;
    for (const name of names) {
      const next = withBlock(after, name, texts[name]);
      if (next === undefined) {
        console.error(`check-package-size: ${file} has no <!-- package-size:${name} --> block for the measured figures`);
        process.exit(1);
      }
      after = next;
    }
    if (after === before) continue;
    if (write) fs.writeFileSync(abs, after);
    else stale.push(file);
  }
  if (stale.length > 0) {
    console.error(`check-package-size: the size figures in ${stale.join(' and ')} are not the measured ones; `
      + 'write them with `node scripts/check-package-size.js --write` (after `npx projen package:js`) and commit them');
    process.exit(1);
  }
  if (write) console.log('check-package-size: the measured figures are in README.md and docs/development.md');
}

main();
