import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tar from 'tar';

// scripts/fetch-crds.js against servers on the loopback address: a file server standing in for the upstream
// hosts and the npm registry, and an HTTP proxy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fetchPinned } = require('../../scripts/fetch-crds.js');

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const CRD = 'kind: CustomResourceDefinition\n';
const VALIDATOR = 'exports.validate = () => true;\n';

let work: string;
let files: Map<string, Buffer>;
let origin: http.Server;
let proxy: http.Server;
let originRequests: string[];
let proxied: string[];
let base: string;
let proxyUrl: string;
let closedPort: number;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-crds-'));
  // An npm-style tarball with the validator as package/_schemas/V.js.
  fs.mkdirSync(path.join(work, 'pkg', 'package', '_schemas'), { recursive: true });
  fs.writeFileSync(path.join(work, 'pkg', 'package', '_schemas', 'V.js'), VALIDATOR);
  tar.c({ gzip: true, cwd: path.join(work, 'pkg'), file: path.join(work, 'v.tgz'), sync: true, portable: true }, ['package']);
  files = new Map([['/b1/crd.yaml', Buffer.from(CRD)], ['/v.tgz', fs.readFileSync(path.join(work, 'v.tgz'))]]);

  origin = http.createServer((req, res) => {
    originRequests.push(req.url!);
    const body = files.get(req.url!);
    res.writeHead(body ? 200 : 404).end(body);
  });
  base = `http://127.0.0.1:${await listen(origin)}`;
  // A forward proxy: plain requests in absolute form, and CONNECT tunnels.
  proxy = http.createServer((req, res) => {
    proxied.push(req.url!);
    const body = files.get(new URL(req.url!).pathname);
    res.writeHead(body ? 200 : 404).end(body);
  });
  proxy.on('connect', (req, socket: net.Socket, head) => {
    proxied.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
  // A port nothing listens on.
  const probe = http.createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  await new Promise((r) => origin.close(r));
  await new Promise((r) => proxy.close(r));
  fs.rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  originRequests = [];
  proxied = [];
});

/** A lock file with one CRD and one validator (member of the tarball), at the given base URL. */
function lock(at: string, crd: Partial<{ sha256: string; url: string }> = {}): string {
  const file = path.join(fs.mkdtempSync(path.join(work, 'lock-')), 'crds.lock.json');
  fs.writeFileSync(file, JSON.stringify({
    crds: [{ file: 'b1/crd.yaml', bundle: 'b1', url: crd.url ?? `${at}/b1/crd.yaml`, sha256: crd.sha256 ?? sha256(CRD) }],
    validators: [{
      file: 'b2/V.js',
      npm: { tarball: `${at}/v.tgz`, sha256: sha256(files.get('/v.tgz')!), member: 'package/_schemas/V.js' },
      sha256: sha256(VALIDATOR),
    }],
  }));
  return file;
}

function run(lockFile: string, options: { mirrorDir?: string; env?: Record<string, string> } = {}) {
  const outDir = path.join(path.dirname(lockFile), 'out');
  return fetchPinned({ lockFile, outDir, mirrorDir: options.mirrorDir ?? path.join(work, 'no-mirror'), env: options.env ?? {} })
    .then((r: any) => ({ ...r, outDir }));
}

describe('fetch-crds', () => {
  test('given no mirror, then it downloads each file and the tarball member, checks them, and keeps them on the next run', async () => {
    const lockFile = lock(base);
    const first = await run(lockFile);
    expect(first.failures).toEqual([]);
    expect(first.counts).toMatchObject({ download: 2, mirror: 0, cached: 0, failed: 0 });
    expect(fs.readFileSync(path.join(first.outDir, 'b1', 'crd.yaml'), 'utf8')).toBe(CRD);
    expect(fs.readFileSync(path.join(first.outDir, 'b2', 'V.js'), 'utf8')).toBe(VALIDATOR);
    const second = await run(lockFile);
    expect(second.counts).toMatchObject({ cached: 2, download: 0 });
    expect(originRequests).toEqual(['/b1/crd.yaml', '/v.tgz']);
  });

  test('given a mirror holding a file, then that file comes from the mirror', async () => {
    const mirrorDir = path.join(work, 'mirror');
    fs.mkdirSync(path.join(mirrorDir, 'b1'), { recursive: true });
    fs.writeFileSync(path.join(mirrorDir, 'b1', 'crd.yaml'), CRD);
    const r = await run(lock(base), { mirrorDir });
    expect(r.counts).toMatchObject({ mirror: 1, download: 1 });
    expect(originRequests).toEqual(['/v.tgz']);
  });

  test('given a file whose sha256 differs, then it is named with both sums and not written', async () => {
    const r = await run(lock(base, { sha256: '0'.repeat(64) }));
    expect(r.failures).toEqual([`sha256 mismatch for b1/crd.yaml from ${base}/b1/crd.yaml: expected ${'0'.repeat(64)}, got ${sha256(CRD)}`]);
    expect(fs.existsSync(path.join(r.outDir, 'b1', 'crd.yaml'))).toBe(false);
  });

  test('given a refused connection, then one line names the host, the cause and the bundles, and one the mirror variable', async () => {
    const at = `http://127.0.0.1:${closedPort}`;
    const r = await run(lock(at));
    expect(r.counts).toMatchObject({ failed: 2 });
    expect(r.failures).toEqual([
      `cannot download from 127.0.0.1:${closedPort}: connection to 127.0.0.1:${closedPort} refused (ECONNREFUSED) (2 files of b1, b2)`,
      expect.stringMatching(/^no mirror directory at .*no-mirror: set INFERENCE_MIGRATION_CRD_MIRROR to a directory holding the pinned files/),
    ]);
  });

  test('given an optional file that cannot be fetched, then it is listed apart with its cause and the step does not fail', async () => {
    const lockFile = lock(base);
    const parsed = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    parsed.cluster = [{ file: 'b3/extra.yaml', bundle: 'b3', url: `${base}/b3/extra.yaml`, sha256: sha256(CRD), optional: 'the extra test is not run without it' }];
    fs.writeFileSync(lockFile, JSON.stringify(parsed));
    const r = await run(lockFile);
    expect(r.failures).toEqual([]);
    expect(r.counts).toMatchObject({ download: 2, unavailable: 1, failed: 0 });
    expect(r.unavailable).toEqual(['b3/extra.yaml: HTTP 404 Not Found (the extra test is not run without it)']);
  });

  test('given a missing file, then the HTTP status is the cause', async () => {
    const r = await run(lock(base, { url: `${base}/b1/gone.yaml` }));
    expect(r.failures[0]).toBe(`cannot download from ${base.slice(7)}: HTTP 404 Not Found (1 file of b1)`);
  });

  test('given HTTP_PROXY, then the downloads go through the proxy; given NO_PROXY naming the host, then they do not', async () => {
    const viaProxy = await run(lock(base), { env: { HTTP_PROXY: proxyUrl } });
    expect(viaProxy.failures).toEqual([]);
    expect(proxied.length).toBeGreaterThan(0);
    proxied = [];
    const direct = await run(lock(base), { env: { HTTP_PROXY: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' } });
    expect(direct.failures).toEqual([]);
    expect(proxied).toEqual([]);
  });

  test('given a proxy that refuses connections, then the message says the download went through it', async () => {
    const refusing = `http://user:secret@127.0.0.1:${closedPort}`;
    const r = await run(lock(base), { env: { http_proxy: refusing } });
    expect(r.failures[0]).toBe(`cannot download from ${base.slice(7)}: connection to 127.0.0.1:${closedPort} refused (ECONNREFUSED) ` +
      `(through the proxy http://user:***@127.0.0.1:${closedPort} from HTTPS_PROXY/HTTP_PROXY) (2 files of b1, b2)`);
  });
});
