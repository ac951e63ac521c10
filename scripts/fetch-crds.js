#!/usr/bin/env node
// Fetches the pinned files named in imports/crds.lock.json ("crds", "validators" for kinds whose CRD cannot be
// fetched where the build runs, and "cluster" for CRDs only the real-cluster tests install) into imports/crds/, and
// the upstream Helm chart files of "charts" into imports/charts/ (mirror: INFERENCE_MIGRATION_CHART_MIRROR, default
// ../shared/charts).
//
// An entry with "optional" (a few cluster-only CRDs, with what cannot run without them) that cannot be fetched is
// listed as not fetched instead of failing the step.
//
// For each entry: a file already in imports/crds/ with the right sha256 is kept; otherwise the file is taken from
// the mirror directory (INFERENCE_MIGRATION_CRD_MIRROR, default ../shared/crds beside the project root) when it
// holds the file, else downloaded: from the entry's url, or, for entries with `npm`, as one member of a pinned npm
// tarball (whose own sha256 is checked too). Downloads run in parallel, through HTTPS_PROXY/HTTP_PROXY unless
// NO_PROXY names the host (undici's EnvHttpProxyAgent: Node 20's own fetch ignores those variables), with short
// timeouts. Every file is checked against its sha256 before it is written. When files cannot be fetched, the step
// fails with one line per cause (DNS, refused connection, timeout, TLS, proxy, HTTP status) and says how to
// use a mirror instead.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const MIRROR_VARIABLE = 'INFERENCE_MIGRATION_CRD_MIRROR';
const CHART_MIRROR_VARIABLE = 'INFERENCE_MIGRATION_CHART_MIRROR';

/** How long to wait for a TCP (or proxy) connection, for response headers, and for a whole download. */
const CONNECT_TIMEOUT_MS = 5_000;
const HEADERS_TIMEOUT_MS = 15_000;
const DOWNLOAD_TIMEOUT_MS = 30_000;

function sha256(buf) {
  return crypto.createHash('sha256').update(buf).digest('hex');
}

/** A download that failed, with the host and the cause in words; entries that share a cause are reported once. */
class FetchFailure extends Error {
  constructor(url, cause) {
    super(`${url}: ${cause}`);
    this.host = new URL(url).host;
    this.reason = cause;
  }
}

/** The proxy settings of an environment, read as undici and curl read them (lower case first). */
function proxySettings(env) {
  const pick = (name) => env[name.toLowerCase()] || env[name] || '';
  const httpProxy = pick('HTTP_PROXY');
  return { httpProxy, httpsProxy: pick('HTTPS_PROXY') || httpProxy, noProxy: pick('NO_PROXY') };
}

/** The proxy a request to `url` goes through, or '' (EnvHttpProxyAgent's NO_PROXY rules: host or subdomain, port). */
function proxyFor(url, settings) {
  const { protocol, hostname, port } = new URL(url);
  const proxy = protocol === 'https:' ? settings.httpsProxy : settings.httpProxy;
  if (!proxy) return '';
  const entries = settings.noProxy.split(/[,\s]/).filter(Boolean);
  if (entries.includes('*')) return '';
  const actualPort = Number(port) || (protocol === 'https:' ? 443 : 80);
  const excluded = entries.some((entry) => {
    const m = /^(.+):(\d+)$/.exec(entry);
    const host = (m ? m[1] : entry).replace(/^\*?\./, '').toLowerCase();
    if (m && Number(m[2]) !== actualPort) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
  return excluded ? '' : proxy;
}

const TLS_CODES = /^(CERT_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** The real cause of a failed fetch, in words: fetch itself says only "fetch failed" and keeps the rest in err.cause. */
function describeCause(err, url, settings) {
  let cause = err;
  while (cause && cause.cause && (cause.message === 'fetch failed' || !cause.code)) cause = cause.cause;
  const code = (cause && cause.code) || '';
  const { hostname } = new URL(url);
  const proxy = proxyFor(url, settings);
  const via = proxy ? ` (through the proxy ${redact(proxy)} from HTTPS_PROXY/HTTP_PROXY)` : '';
  if (err && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return `no complete answer within ${DOWNLOAD_TIMEOUT_MS / 1000}s${via}`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    const host = (cause.hostname || hostname);
    return proxy && host !== hostname
      ? `DNS lookup of the proxy host ${host} failed (${code})`
      : `DNS lookup of ${host} failed (${code}): no network, or no DNS for it here${proxy ? '' : '; behind a proxy, set HTTPS_PROXY'}`;
  }
  if (code === 'ECONNREFUSED') return `connection to ${cause.address || hostname}${cause.port ? `:${cause.port}` : ''} refused (${code})${via}`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return `no connection within ${CONNECT_TIMEOUT_MS / 1000}s (${code})${via}`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return `no response within ${HEADERS_TIMEOUT_MS / 1000}s (${code})${via}`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection reset (${code})${via}`;
  if (TLS_CODES.test(code)) {
    return `TLS: ${cause.message} (${code})${via}; a proxy that inspects TLS needs its CA in NODE_EXTRA_CA_CERTS`;
  }
  if (proxy && /proxy|tunnel/i.test(cause && cause.message)) return `proxy ${redact(proxy)}: ${cause.message}${code ? ` (${code})` : ''}`;
  return `${(cause && cause.message) || String(err)}${code ? ` (${code})` : ''}${via}`;
}

/** A proxy URL without its password, for messages. */
function redact(proxy) {
  try {
    const u = new URL(proxy);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return proxy;
  }
}

function isTransient(err) {
  return /connection reset|HTTP 5\d\d|HTTP 429/.test(err.reason);
}

/** Downloads for one run: one undici agent (closed by close()), each URL fetched once. */
function createDownloader(settings) {
  const undici = require('undici');
  const dispatcher = new undici.EnvHttpProxyAgent({
    httpProxy: settings.httpProxy,
    httpsProxy: settings.httpsProxy,
    noProxy: settings.noProxy,
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: HEADERS_TIMEOUT_MS,
  });

  async function downloadOnce(url) {
    let res;
    try {
      res = await undici.fetch(url, { dispatcher, redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (err) {
      throw new FetchFailure(url, describeCause(err, url, settings));
    }
    if (!res.ok) throw new FetchFailure(url, `HTTP ${res.status} ${res.statusText}`.trim());
    try {
      return Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw new FetchFailure(url, describeCause(err, url, settings));
    }
  }

  // Each URL once per run; one retry after a second for a reset connection or a 5xx/429.
  const downloads = new Map();
  return {
    download(url) {
      if (!downloads.has(url)) {
        downloads.set(url, downloadOnce(url).catch(async (err) => {
          if (!(err instanceof FetchFailure) || !isTransient(err)) throw err;
          await new Promise((r) => setTimeout(r, 1000));
          return downloadOnce(url);
        }));
      }
      return downloads.get(url);
    },
    close: () => dispatcher.close(),
  };
}

/** One member of a (gzipped) npm tarball, or an Error naming what is missing. */
function extractMember(tgz, member, tarball) {
  const { Parser } = require('tar');
  return new Promise((resolve, reject) => {
    const chunks = [];
    let found = false;
    const parser = new Parser({
      strict: true,
      filter: (p) => p === member,
      onReadEntry: (entry) => {
        found = true;
        entry.on('data', (c) => chunks.push(c));
      },
    });
    parser.on('error', (err) => reject(new Error(`cannot read ${tarball}: ${err.message}`)));
    parser.on('end', () => (found ? resolve(Buffer.concat(chunks)) : reject(new Error(`${tarball} has no member ${member}`))));
    parser.end(tgz);
  });
}

function checkSha(data, expected, what) {
  const actual = sha256(data);
  if (actual !== expected) throw new Error(`sha256 mismatch for ${what}: expected ${expected}, got ${actual}`);
}

async function fetchEntry(entry, { outDir, mirrorDir, downloader }) {
  const target = path.join(outDir, entry.file);
  if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === entry.sha256) return 'cached';
  let data;
  let source;
  const mirrored = path.join(mirrorDir, entry.file);
  if (fs.existsSync(mirrored)) {
    data = fs.readFileSync(mirrored);
    source = `mirror ${mirrored}`;
  } else if (entry.npm) {
    const tgz = await downloader.download(entry.npm.tarball);
    checkSha(tgz, entry.npm.sha256, entry.npm.tarball);
    data = await extractMember(tgz, entry.npm.member, entry.npm.tarball);
    source = `${entry.npm.tarball} (${entry.npm.member})`;
  } else {
    data = await downloader.download(entry.url);
    source = entry.url;
  }
  checkSha(data, entry.sha256, `${entry.file} from ${source}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, target);
  return source.startsWith('mirror') ? 'mirror' : 'download';
}

/** The lines that explain the failures: one per cause (host and reason), then how to do without the network. */
function failureReport(entries, results, mirrorDir) {
  const lines = [];
  const byCause = new Map();
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') return;
    const err = r.reason;
    if (err instanceof FetchFailure) {
      const key = `${err.host}: ${err.reason}`;
      if (!byCause.has(key)) byCause.set(key, []);
      byCause.get(key).push(entries[i].file);
    } else {
      lines.push(err.message);
    }
  });
  for (const [cause, files] of byCause) {
    const bundles = [...new Set(files.map((f) => path.dirname(f)))].join(', ');
    lines.push(`cannot download from ${cause} (${files.length} file${files.length === 1 ? '' : 's'} of ${bundles})`);
  }
  if (byCause.size > 0) {
    const hosts = [...new Set([...byCause.keys()].map((k) => k.split(':')[0]))].join(' and ');
    lines.push(fs.existsSync(mirrorDir)
      ? `the mirror directory ${mirrorDir} (${MIRROR_VARIABLE}) does not hold these files; add them there, or allow HTTPS to ${hosts} (HTTPS_PROXY and NO_PROXY are honoured)`
      : `no mirror directory at ${mirrorDir}: set ${MIRROR_VARIABLE} to a directory holding the pinned files (laid out as imports/crds.lock.json names them, e.g. a copy of ../shared/crds), or allow HTTPS to ${hosts} (HTTPS_PROXY and NO_PROXY are honoured)`);
  }
  return lines;
}

/**
 * Brings every pinned file of the lock file into outDir. Resolves to the counts by source and, when files could
 * not be fetched, the lines that say why (empty on success).
 */
async function fetchPinned(options = {}) {
  const env = options.env ?? process.env;
  const lockFile = options.lockFile ?? path.join(root, 'imports', 'crds.lock.json');
  const outDir = options.outDir ?? path.join(root, 'imports', 'crds');
  const mirrorDir = options.mirrorDir ?? path.resolve(root, env[MIRROR_VARIABLE] || path.join('..', 'shared', 'crds'));
  const chartsOutDir = options.chartsOutDir ?? path.join(path.dirname(outDir), 'charts');
  const chartsMirrorDir = options.chartsMirrorDir ?? path.resolve(root, env[CHART_MIRROR_VARIABLE] || path.join('..', 'shared', 'charts'));
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
  // "cluster": CRDs only the real-cluster tests install; "charts": upstream chart files, laid out by release.
  const crdEntries = [...lock.crds, ...(lock.validators || []), ...(lock.cluster || [])];
  const chartEntries = lock.charts || [];
  const entries = [...crdEntries, ...chartEntries];
  const downloader = createDownloader(proxySettings(env));
  try {
    const results = await Promise.allSettled([
      ...crdEntries.map((e) => fetchEntry(e, { outDir, mirrorDir, downloader })),
      ...chartEntries.map((e) => fetchEntry(e, { outDir: chartsOutDir, mirrorDir: chartsMirrorDir, downloader })),
    ]);
    const counts = { total: entries.length, cached: 0, mirror: 0, download: 0, failed: 0, unavailable: 0 };
    // An entry marked optional (cluster-only files the team's mirror may not hold yet) that cannot be fetched is
    // reported apart: the tests that need it record why they did not run.
    const unavailable = [];
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') counts[r.value]++;
      else if (entries[i].optional) {
        counts.unavailable++;
        unavailable.push(`${entries[i].file}: ${r.reason.reason ?? r.reason.message} (${entries[i].optional})`);
      } else counts.failed++;
    });
    const required = results.map((r, i) => (entries[i].optional ? { status: 'fulfilled' } : r));
    return { counts, failures: failureReport(entries, required, mirrorDir), unavailable };
  } finally {
    await downloader.close();
  }
}

async function main() {
  const { counts, failures, unavailable } = await fetchPinned();
  for (const line of unavailable) console.log(`fetch-crds: optional, not fetched: ${line}`);
  if (failures.length > 0) {
    console.error(`fetch-crds: ${counts.failed} of ${counts.total} pinned files are missing from imports/crds (or imports/charts) and could not be fetched:`);
    for (const line of failures) console.error(`fetch-crds: ${line}`);
    process.exit(1);
  }
  if (counts.mirror + counts.download > 0) {
    console.log(`fetch-crds: ${counts.total} files pinned (${counts.cached} cached, ${counts.mirror} from mirror, ${counts.download} downloaded)`);
  }
}

module.exports = { fetchPinned };

if (require.main === module) {
  main().catch((err) => {
    console.error(`fetch-crds: ${err.message}`);
    process.exit(1);
  });
}
