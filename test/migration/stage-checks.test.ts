// Every README check of every stage, read back as a user and a machine read them: each shell block parses with
// `bash -n`; the README shows exactly the commands of plan.json; each kubectl check names objects the stage holds
// (or that its input holds, or that must be gone); each request goes to a listener of its Gateway and, routed by
// the stage's own HTTPRoute rules as Gateway API's precedence says, reaches the pool the check expects (so a
// header-preview stage's GA checks carry the preview header).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { renderReadme } from './readme-commands';
import { GitOpsWriter, GuideExamples, InferenceMigrationDirectoryOptions, InferenceMigrationPlan, InferenceMigrationPlanOptions, KServeMigrationPlan, MigrationStrategy, StageCheckKind } from '../../src';
import { shellQuote } from '../../src/core/shell';
import { kubectlCommand } from '../../src/migration/stage-check';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'repos');
const GA_GROUP = 'inference.networking.k8s.io';
const ALPHA_GROUP = 'inference.networking.x-k8s.io';

interface Written {
  readonly dir: string;
  /** The Gateways of the input, by namespace/name. */
  readonly gateways: Map<string, any>;
  /** Objects the migration takes as installed outside its stages (a Helm release), as `Kind namespace/name`. */
  readonly external?: string[];
}

/** A folder of the given files (path -> text), with the files of fixture folders first (`from`: folder -> target). */
const inputs: string[] = [];
afterAll(() => inputs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function inputOf(from: { [folder: string]: string }, files: { [file: string]: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-checks-in-'));
  inputs.push(dir);
  for (const [folder, target] of Object.entries(from)) fs.cpSync(path.join(FIXTURES, folder), path.join(dir, target), { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

/** A Gateway whose only listeners are the given ones. */
function gatewayWith(listeners: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: inference-gateway
  namespace: default
spec:
  gatewayClassName: inference-gateway
  listeners:
${listeners}`;
}

/** Plans `input` (a fixture folder, or files written here) with the library and writes the stages. */
function planAndWrite(input: string, options: InferenceMigrationDirectoryOptions): Written {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-checks-'));
  const plan = InferenceMigrationPlan.fromDirectory(input, options);
  const app = Testing.app();
  plan.addMigrations(app);
  new GitOpsWriter({ outdir: out }).writeAll(app);
  const gateways = new Map<string, any>();
  for (const f of yamlFiles(input)) {
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(f, 'utf8'))) {
      const o = doc.toJSON();
      if (o?.kind === 'Gateway') gateways.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, o);
    }
  }
  return { dir: out, gateways };
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** Each stage of each migration under `dir`: its plan.json entry, README and objects. */
function stagesOf(dir: string): Array<{ folder: string; plan: any; readme: string; objects: any[] }> {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((m) => {
    const planFile = JSON.parse(fs.readFileSync(path.join(dir, m.name, 'plan.json'), 'utf8'));
    return planFile.stages.map((s: any) => {
      const folder = path.join(dir, m.name, s.folder);
      const objects = fs.readdirSync(folder).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
        .map((f) => YAML.parse(fs.readFileSync(path.join(folder, f), 'utf8')));
      return { folder: `${m.name}/${s.folder}`, plan: s, readme: fs.readFileSync(path.join(folder, 'README.md'), 'utf8'), objects };
    });
  });
}

/** The code blocks of the README's "Verify" section. */
function verifyBlocks(readme: string): string[] {
  const section = readme.slice(readme.indexOf('\n## Verify\n'), readme.indexOf('\n## Roll back\n'));
  return renderReadme(section).codeBlocks.map((b) => b.replace(/\n$/, ''));
}

function bashSyntax(code: string): string {
  const r = spawnSync('bash', ['-n'], { input: code, encoding: 'utf8' });
  return r.status === 0 ? '' : r.stderr;
}

/** `kind.group` of kubectl's resource argument (`inferencepools.inference.networking.k8s.io` -> InferencePool, the group). */
function kindOf(resource: string): { kind: string; group: string } {
  const [plural, ...group] = resource.split('.');
  const kinds: { [k: string]: string } = {
    inferencepool: 'InferencePool', inferencepools: 'InferencePool', inferencemodel: 'InferenceModel', gateway: 'Gateway', httproute: 'HTTPRoute', deployment: 'Deployment',
  };
  return { kind: kinds[plural] ?? plural, group: group.join('.') };
}

function groupOf(o: any): string {
  return String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
}

function holds(objects: any[], kind: string, group: string, name: string, namespace: string): boolean {
  return objects.some((o) => o.kind.toLowerCase() === kind.toLowerCase() && (group === '' || groupOf(o) === group || (kind === 'Deployment' && groupOf(o) === 'apps'))
    && o.metadata.name === name && (o.metadata.namespace ?? namespace) === namespace);
}

/** The objects a kubectl check names: `resource name` or `resource/name` words after get/rollout status, with -n. */
function namedObjects(args: string[]): Array<{ kind: string; group: string; name: string; namespace: string }> {
  const ns = args[args.indexOf('-n') + 1];
  const words = args.slice(args[0] === 'rollout' ? 2 : 1).filter((a, i, all) => !a.startsWith('-') && all[i - 1] !== '-n' && all[i - 1] !== '-o');
  if (words.every((w) => w.includes('/'))) {
    return words.map((w) => ({ ...kindOf(w.split('/')[0]), name: w.split('/')[1], namespace: ns }));
  }
  return [{ ...kindOf(words[0]), name: words[1], namespace: ns }];
}

/** Gateway API's rule precedence for a request, among the rules of `route` whose matches it meets: the backends of the winner. */
function routeRequest(route: any, request: any): any[] | undefined {
  const [pathOnly, query = ''] = String(request.path).split('?');
  const params = new URLSearchParams(query);
  const headers = new Map<string, string>(request.headers.map((h: any) => [h.name.toLowerCase(), h.value]));
  if (request.host) headers.set('host', request.host);
  const candidates: Array<{ score: number[]; backends: any[] }> = [];
  route.spec.rules.forEach((rule: any, ruleIndex: number) => {
    for (const m of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
      const p = m.path ?? { type: 'PathPrefix', value: '/' };
      const prefix = p.value.replace(/\/+$/, '');
      const pathOk = p.type === 'Exact' ? pathOnly === p.value : pathOnly === prefix || pathOnly.startsWith(`${prefix}/`) || prefix === '';
      const headersOk = (m.headers ?? []).every((h: any) => headers.get(h.name.toLowerCase()) === h.value);
      const queryOk = (m.queryParams ?? []).every((q: any) => params.get(q.name) === q.value);
      const methodOk = m.method === undefined || m.method === request.method;
      if (pathOk && headersOk && queryOk && methodOk) {
        candidates.push({ score: [p.type === 'Exact' ? 1 : 0, prefix.length, m.method ? 1 : 0, (m.headers ?? []).length, (m.queryParams ?? []).length, -ruleIndex], backends: rule.backendRefs ?? [] });
      }
    }
  });
  candidates.sort((a, b) => {
    for (let i = 0; i < a.score.length; i++) if (a.score[i] !== b.score[i]) return b.score[i] - a.score[i];
    return 0;
  });
  return candidates[0]?.backends;
}

/** Which pools the backends send to: 'ga', 'alpha' or 'either' (both with weight). */
function poolsOf(backends: any[]): string {
  const groups = new Set(backends.filter((b) => b.kind === 'InferencePool' && (b.weight ?? 1) > 0).map((b) => b.group));
  if (groups.size === 2) return 'either';
  return groups.has(GA_GROUP) ? 'ga' : groups.has(ALPHA_GROUP) ? 'alpha' : 'none';
}

/** The problems of one stage's checks, one line each. */
function stageProblems(stage: ReturnType<typeof stagesOf>[number], written: Written): string[] {
  const problems: string[] = [];
  const checks: any[] = stage.plan.verifications;
  const blocks = verifyBlocks(stage.readme);
  if (JSON.stringify(blocks) !== JSON.stringify(checks.map((c) => c.command))) problems.push('the README shows other commands than plan.json');
  const routes = stage.objects.filter((o) => o.kind === 'HTTPRoute');
  for (const c of checks) {
    const where = `${stage.folder}: ${c.description}`;
    const syntax = bashSyntax(c.command);
    if (syntax) problems.push(`${where}: bash -n: ${syntax}`);
    if (!c.check) {
      problems.push(`${where}: no check data`);
      continue;
    }
    if (c.check.kubectl) {
      if (kubectlCommand(c.check.kubectl) !== c.command) problems.push(`${where}: the command is not the rendering of its kubectl arguments`);
      const mustBeGone = c.check.expect?.notFound || c.check.expect?.empty;
      for (const o of namedObjects(c.check.kubectl)) {
        const inStage = holds(stage.objects, o.kind, o.group, o.name, o.namespace);
        const inInput = (o.kind === 'Gateway' && (written.gateways.has(`${o.namespace}/${o.name}`)
          || routes.some((r) => r.spec.parentRefs.some((p: any) => p.name === o.name && (p.namespace ?? r.metadata.namespace) === o.namespace))))
          || (written.external ?? []).includes(`${o.kind} ${o.namespace}/${o.name}`);
        if (mustBeGone && inStage) problems.push(`${where}: expects ${o.kind} ${o.namespace}/${o.name} gone, but the stage holds it`);
        if (!mustBeGone && !inStage && !inInput) problems.push(`${where}: names ${o.kind} ${o.namespace}/${o.name}, which neither the stage nor the input holds`);
      }
    }
    const r = c.check.request;
    if (r) {
      problems.push(...requestProblems(where, r, routes, written, stage.objects));
      // The shell snippet sends what the data says.
      for (const h of r.headers) if (!c.command.includes(`-H ${shellQuote(`${h.name}: ${h.value}`)}`)) problems.push(`${where}: the command does not send ${h.name}`);
      if (!c.command.includes(shellQuote(r.body))) problems.push(`${where}: the command does not send the body of its data`);
      if (r.port !== undefined && !new RegExp(`(^|\\n)[A-Z_]*PORT=${r.port}\\n`).test(c.command)) problems.push(`${where}: the command does not use port ${r.port}`);
      if (!c.command.includes(`${r.scheme}://`)) problems.push(`${where}: the command does not use ${r.scheme}`);
    }
  }
  return problems;
}

function requestProblems(where: string, r: any, routes: any[], written: Written, objects: any[]): string[] {
  const problems: string[] = [];
  const gateway = written.gateways.get(`${r.gatewayNamespace}/${r.gatewayName}`)
    ?? objects.find((o) => o.kind === 'Gateway' && o.metadata.name === r.gatewayName && o.metadata.namespace === r.gatewayNamespace);
  const listeners: any[] = gateway?.spec.listeners ?? [];
  if (r.port !== undefined && gateway && !listeners.some((l) => l.port === r.port && l.protocol.toLowerCase() === r.scheme)) {
    problems.push(`${where}: ${r.scheme} port ${r.port} is no listener of Gateway ${r.gatewayNamespace}/${r.gatewayName}`);
  }
  if (!gateway && r.port !== undefined) problems.push(`${where}: port ${r.port} cannot be known: the Gateway is not in the input`);
  const attached = routes.filter((rt) => rt.spec.parentRefs
    .some((p: any) => p.name === r.gatewayName && (p.namespace ?? rt.metadata.namespace) === r.gatewayNamespace));
  const reached = attached.map((rt) => routeRequest(rt, r)).filter((b): b is any[] => b !== undefined);
  if (reached.length === 0) return [...problems, `${where}: no rule of a route on Gateway ${r.gatewayNamespace}/${r.gatewayName} matches the request`];
  const pools = poolsOf(reached[0]);
  if (pools !== r.reaches) problems.push(`${where}: the request reaches ${pools}, the check expects ${r.reaches}`);
  return problems;
}

describe('the README checks of every stage', () => {
  const fixture = (name: string) => () => path.join(FIXTURES, name);
  const cases: Array<[string, () => string, InferenceMigrationPlanOptions]> = [
    ['weighted shift, generic gateway', fixture('one-pool'), { steps: [10, 50] }],
    ['header preview on a generic gateway', fixture('one-pool'), { strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER }],
    ['header preview, two rules matching the model header, a listener named https not in the input', fixture('header-matches'), { strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER }],
    ['GKE', fixture('gke'), {}],
    ['kgateway with the pool port', fixture('kgateway-port'), {}],
    ['Istio 1.28 (a second Gateway), the v0.5.1 quickstart with its rewrite', () => inputOf({ 'quickstart-v0.5.1/app': 'app', 'quickstart-v0.5.1/istio': 'istio' }),
      { gatewayVersion: '1.28.0', newGateway: { labels: { 'istio.io/rev': '1-28' } } }],
    ['a Gateway whose only listener is HTTP on 8080', () => inputOf({ 'one-pool': '.' }, { 'infra/gateway.yaml': gatewayWith('  - name: web\n    protocol: HTTP\n    port: 8080\n') }),
      { strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER }],
    ['a Gateway with HTTPS on 443 only', () => inputOf({ 'one-pool': '.' }, { 'infra/gateway.yaml': gatewayWith('  - name: https\n    protocol: HTTPS\n    port: 443\n    tls:\n      certificateRefs:\n      - name: llm-cert\n') }),
      {}],
  ];
  test.each(cases)('given %s, then every check parses, names what the stage holds and reaches the pool it expects', (_what, input, options) => {
    // Given the input planned and written
    const written = planAndWrite(input(), options);
    try {
      // When each stage's checks are read back
      const stages = stagesOf(written.dir);
      // Then none has a problem
      expect(stages.length).toBeGreaterThan(2);
      expect(stages.flatMap((s) => stageProblems(s, written))).toEqual([]);
    } finally {
      fs.rmSync(written.dir, { recursive: true, force: true });
    }
  });
});

// Every fixture of test/fixtures/repos is either planned here (how: the folders it is made of and the options a
// user gives) or named with why it is no InferencePool migration: a new fixture must be placed in one of the two.
const ISTIO_V1: InferenceMigrationPlanOptions = { gatewayVersion: '1.28.0', newGateway: { labels: { 'istio.io/rev': '1-28-1' } } };
const FIXTURE_PLANS: { [fixture: string]: Array<{ from: { [folder: string]: string }; options: InferenceMigrationDirectoryOptions }> } = {
  'criticalities': [{ from: { criticalities: '.' }, options: {} }],
  'envoy-ai-gateway': [{ from: { 'envoy-ai-gateway': '.' }, options: {} }],
  'gke': [{ from: { gke: '.' }, options: {} }],
  'header-matches': [{ from: { 'header-matches': '.' }, options: {} }],
  'helm-render': [{ from: { 'helm-render': '.' }, options: { namespace: 'llm' } }],
  'istio-v051': [{ from: { 'istio-v051': '.' }, options: ISTIO_V1 }],
  'kgateway-port': [{ from: { 'kgateway-port': '.' }, options: {} }],
  'kustomize-helm': [{ from: { 'kustomize-helm': '.' }, options: {} }],
  'llmd-custom-epp': [{ from: { 'llmd-custom-epp': '.' }, options: { eppImage: 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0' } }],
  'mixed-backends': [{ from: { 'mixed-backends': '.' }, options: {} }],
  'one-pool': [{ from: { 'one-pool': '.' }, options: {} }, { from: { 'one-pool': '.' }, options: { strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER } }, { from: { 'one-pool': '.' }, options: { strategy: MigrationStrategy.CUTOVER } }],
  'quickstart-v0.3.0': ['gke', 'istio', 'kgateway'].map((gw) => ({ from: { 'quickstart-v0.3.0/app': 'app', [`quickstart-v0.3.0/${gw}`]: gw }, options: gw === 'istio' ? ISTIO_V1 : {} })),
  'quickstart-v0.5.1': ['gke', 'istio'].map((gw) => ({ from: { 'quickstart-v0.5.1/app': 'app', [`quickstart-v0.5.1/${gw}`]: gw }, options: gw === 'istio' ? ISTIO_V1 : {} })),
  'shared-pool': [{ from: { 'shared-pool': '.' }, options: {} }],
  'two-namespaces': [{ from: { 'two-namespaces': '.' }, options: {} }],
};
const NOT_PLANNED: { [fixture: string]: string } = {
  'helm-chart': 'a Helm chart: plan reads it rendered (helm-render)',
  'helm-installed-pool': 'a route to a pool Helm installs outside the input: no alpha pool to migrate',
  'kserve': 'KServe (the KServe describe below)',
  'kserve-ko': 'KServe, built with ko: no InferencePool',
  'kserve-overlays': 'KServe with kustomize overlays: no InferencePool',
  'llamastack': 'LlamaStackDistribution: no InferencePool',
  'malformed': 'malformed YAML: refused before planning',
  'nothing': 'already GA: nothing to migrate',
  'orphan-references': 'references to pools that are not there: nothing to migrate',
  'other-apis': 'KServe and LlamaStack: no InferencePool',
  'third-party': 'third-party kinds only: no InferencePool',
};

describe('the README checks of every built-in example and every fixture plan', () => {
  test('given the fixture folders, then each is planned below or named with why not', () => {
    // Given the fixtures on disk; When compared with the two tables; Then each is in exactly one
    const folders = fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect([...Object.keys(FIXTURE_PLANS), ...Object.keys(NOT_PLANNED)].sort()).toEqual(folders);
  });

  const plans = Object.entries(FIXTURE_PLANS).flatMap(([fixture, ways]) => ways.map((w, i) => [`${fixture}${ways.length > 1 ? ` (${Object.keys(w.from).slice(-1)[0]}${w.options.strategy ? `, ${w.options.strategy}` : ''})` : ''}`, w, i] as const));
  test.each(plans)('given the fixture %s planned, then every check of every stage parses, names what the stage holds and reaches the pool it expects', (_name, way) => {
    // Given the fixture planned as a user would and written
    const written = planAndWrite(inputOf(way.from), way.options);
    try {
      // When each stage's checks are read back
      const stages = stagesOf(written.dir);
      // Then there are checks, and none has a problem
      expect(stages.length).toBeGreaterThan(1);
      expect(stages.flatMap((st) => st.plan.verifications).length).toBeGreaterThan(0);
      expect(stages.flatMap((st) => stageProblems(st, written))).toEqual([]);
    } finally {
      fs.rmSync(written.dir, { recursive: true, force: true });
    }
  });

  test('given the built-in examples (inference-migrate example), then every check of every stage has no problem', () => {
    // Given the upstream guides' migrations written as `example` writes them
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-checks-examples-'));
    try {
      const app = Testing.app();
      GuideExamples.all(app);
      new GitOpsWriter({ outdir: out }).writeAll(app);
      // When each stage's checks are read back (the guides install the Gateway and the alpha pool with Helm: they are
      // outside the stages, and ports are read from the cluster)
      const stages = stagesOf(out);
      const external = ['Gateway default/inference-gateway', 'InferencePool default/vllm-llama3-8b-instruct-alpha', 'InferencePool default/vllm-llama3-8b-instruct-preview'];
      // Then none has a problem
      expect(stages.length).toBeGreaterThan(4);
      expect(stages.flatMap((st) => stageProblems(st, { dir: out, gateways: new Map(), external }))).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the README checks of a KServe migration', () => {
  test('given the KServe migration with TLS, then every check has its data, kubectl checks render from it, and every block parses', () => {
    // Given the KServe fixture planned and written
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stage-checks-kserve-'));
    try {
      const app = Testing.app();
      KServeMigrationPlan.fromDirectory(path.join(FIXTURES, 'kserve')).addMigration(app, 'kserve-gateway-api', { tlsSecretName: 'my-secret' });
      new GitOpsWriter({ outdir: out }).writeAll(app);
      // When each stage's checks are read back
      const stages = stagesOf(out);
      // Then the README shows plan.json's commands, each check says its kind, and kubectl ones run what they show
      const problems = stages.flatMap((stage) => {
        const checks: any[] = stage.plan.verifications;
        const shown = JSON.stringify(verifyBlocks(stage.readme)) === JSON.stringify(checks.map((c) => c.command)) ? [] : [`${stage.folder}: the README shows other commands`];
        return [...shown, ...checks.flatMap((c) => [
          ...(Object.values(StageCheckKind).includes(c.check?.kind) ? [] : [`${c.description}: no kind`]),
          ...(c.check?.kubectl && kubectlCommand(c.check.kubectl) !== c.command ? [`${c.description}: not the rendering of its arguments`] : []),
          ...(bashSyntax(c.command) ? [`${c.description}: bash -n fails`] : []),
        ])];
      });
      expect(problems).toEqual([]);
      expect(stages.flatMap((s) => s.plan.verifications.map((c: any) => c.check.kind))).toEqual(expect.arrayContaining(['api-read', 'gateway-status', 'rollout', 'data-plane', 'manual']));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
