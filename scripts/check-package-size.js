#!/usr/bin/env node
// Fails the build when the packed package (build/js/*.tgz, made by jsii-pacmak) unpacks to more than the budget,
// and prints what takes the space: the library itself and each bundled dependency (jsii bundles them all).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { list } = require('tar');

const BUDGET_MIB = 32;
const dir = path.resolve(__dirname, '..', 'build', 'js');

function mib(bytes) {
  return `${(bytes / 1048576).toFixed(2)} MiB`;
}

/** `node_modules/<name>` or `node_modules/@scope/<name>` of a path in the package, else its first segment. */
function groupOf(file) {
  const parts = file.split('/').slice(1); // without the leading "package/"
  if (parts[0] !== 'node_modules') return parts.length > 1 ? `${parts[0]}/` : parts[0];
  return parts[1].startsWith('@') ? `node_modules/${parts[1]}/${parts[2]}` : `node_modules/${parts[1]}`;
}

const tarballs = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tgz')) : [];
if (tarballs.length !== 1) {
  console.error(`check-package-size: expected one .tgz in ${dir}, found ${tarballs.length}: run jsii-pacmak first`);
  process.exit(1);
}
const tarball = path.join(dir, tarballs[0]);
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

const largest = [...groups].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([g, size]) => `${g} ${mib(size)}`);
const summary = `${tarballs[0]}: ${mib(total)} unpacked in ${files} files (budget ${BUDGET_MIB} MiB); largest: ${largest.join(', ')}`;
if (total > BUDGET_MIB * 1048576) {
  console.error(`check-package-size: ${summary}`);
  console.error('check-package-size: over budget; see docs/development.md, "Package size", for what the space is');
  process.exit(1);
}
console.log(`check-package-size: ${summary}`);
