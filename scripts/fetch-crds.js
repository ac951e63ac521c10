#!/usr/bin/env node
// Fetches the pinned upstream CRDs named in imports/crds.lock.json into imports/crds/.
//
// For each entry: a file already in imports/crds/ with the right sha256 is kept; otherwise the file is
// taken from the mirror directory (INFERENCE_MIGRATION_CRD_MIRROR, default ../shared/crds beside the
// project root) when that directory exists, else downloaded from the entry's URL. Every file is checked
// against its sha256 before it is written; a mismatch fails the step and writes nothing for that entry.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const lockFile = path.join(root, 'imports', 'crds.lock.json');
const outDir = path.join(root, 'imports', 'crds');
const mirrorDir = path.resolve(root, process.env.INFERENCE_MIGRATION_CRD_MIRROR || path.join('..', 'shared', 'crds'));

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

async function download(url) {
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const res = await fetch(url, { redirect: 'follow' });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      return Buffer.from(await res.arrayBuffer());
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  throw new Error(`download of ${url} failed: ${lastError && lastError.message}`);
}

async function fetchEntry(entry) {
  const target = path.join(outDir, entry.file);
  if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === entry.sha256) {
    return 'cached';
  }
  let data;
  let source;
  const mirrored = path.join(mirrorDir, entry.file);
  if (fs.existsSync(mirrored)) {
    data = fs.readFileSync(mirrored);
    source = `mirror ${mirrored}`;
  } else {
    data = await download(entry.url);
    source = entry.url;
  }
  const actual = sha256(data);
  if (actual !== entry.sha256) {
    throw new Error(`sha256 mismatch for ${entry.file} from ${source}: expected ${entry.sha256}, got ${actual}`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, target);
  return source.startsWith('mirror') ? 'mirror' : 'download';
}

async function main() {
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  const counts = { cached: 0, mirror: 0, download: 0 };
  const failures = [];
  for (const entry of lock.crds) {
    try {
      counts[await fetchEntry(entry)]++;
    } catch (err) {
      failures.push(err.message);
    }
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`fetch-crds: ${f}`);
    process.exit(1);
  }
  if (counts.mirror + counts.download > 0) {
    console.log(
      `fetch-crds: ${lock.crds.length} CRDs pinned (${counts.cached} cached, ${counts.mirror} from mirror, ${counts.download} downloaded)`,
    );
  }
}

main().catch((err) => {
  console.error(`fetch-crds: ${err.message}`);
  process.exit(1);
});
