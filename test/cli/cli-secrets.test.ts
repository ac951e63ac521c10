import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, listTree, removeTempDirs, requireCompiled, runCli, tempDir, writeTree } from './run-cli';

beforeAll(() => requireCompiled());
afterAll(() => removeTempDirs());

/** Every secret value of these tests contains this, so one search finds any of them. */
const MARK = 'S3CRET';

/** Objects holding secret values, each wrong in a way that makes the validator talk about the field. */
const SECRETS_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"${MARK}-last-applied"}}'
data:
  password: "${MARK}-data-not-base64!"
  apiKey: { nested: "${MARK}-data-object" }
stringData:
  token: { nested: "${MARK}-stringdata-token" }
  other: ["${MARK}-stringdata-list"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: default
  labels:
    api-token: "${MARK} label value with spaces"
spec:
  selector:
    matchLabels: { app: app }
  template:
    metadata:
      labels: { app: app }
    spec:
      containers:
      - name: app
        image: app:1
        env:
        - name: PLAIN
          value: "${MARK}-env-plain"
        - name: WRONG_TYPE
          value: { nested: "${MARK}-env-object" }
        - name: NUMBER
          value: 4815162342
        - "${MARK}-env-item-string"
        - name: DB_PASSWORD
          valueFrom: "${MARK}-valuefrom-string"
---
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: llsd
  namespace: default
spec:
  distribution: { name: starter }
  storage:
    kv:
      type: redis
      password: "${MARK}-kv-password"
  workload:
    overrides:
      env:
      - name: HF_TOKEN
        value: { nested: "${MARK}-llsd-env-object" }
`;

/** Every file under `dir` (relative) whose text holds a secret value. */
function filesWithSecrets(dir: string): string[] {
  return listTree(dir).filter((f) => fs.readFileSync(path.join(dir, f), 'utf8').includes(MARK));
}

/** A copy of a fixture repository, with `insert` added after `anchor` in one of its files. */
function fixtureWith(fixture: string, file: string, anchor: string, insert: string): string {
  const repo = path.join(tempDir('secrets-'), 'repo');
  fs.cpSync(path.join(FIXTURES, fixture), repo, { recursive: true });
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  expect(text).toContain(anchor);
  fs.writeFileSync(path.join(repo, file), text.replace(anchor, `${anchor}${insert}`));
  return repo;
}

/** Runs a command that writes into a fresh --out; returns the run and the directory. */
function runInto(args: string[]): { run: ReturnType<typeof runCli>; out: string } {
  const out = path.join(tempDir('secrets-out-'), 'out');
  return { run: runCli([...args, '--out', out]), out };
}

/**
 * The run succeeded and printed no secret; of the files it wrote, only the object files named `objectFile` in the
 * stage folders (which must carry the values to the cluster) hold one, and they do.
 */
function expectSecretsOnlyIn({ run, out }: { run: ReturnType<typeof runCli>; out: string }, objectFile: string): void {
  expect(run.status).toBe(0);
  expect(run.stdout + run.stderr).not.toContain(MARK);
  const holding = filesWithSecrets(out);
  expect(holding.length).toBeGreaterThan(0);
  expect(holding.filter((f) => !new RegExp(`/\\d\\d-[a-z0-9-]+/${objectFile.replace(/\./g, '\\.')}$`).test(f))).toEqual([]);
}

const EPP_FILE = path.join('apps', 'llm', 'vllm-llama3-8b-instruct-alpha.yaml');
const EPP_ANCHOR = '        imagePullPolicy: Always\n';

describe('secret values never show up in any output', () => {
  test('given validate on objects whose secret fields are wrong, then every problem is reported by path, without the values', () => {
    const repo = writeTree(tempDir('secrets-'), { 'secrets.yaml': SECRETS_YAML });
    const run = runCli(['validate', repo]);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(MARK);
    expect(run.stdout + run.stderr).not.toContain('4815162342');
    // The problems are still there, by field.
    for (const field of [
      'data.password', 'data.apiKey', 'stringData.token', 'stringData.other',
      'spec.template.spec.containers[0].env[1].value', 'spec.template.spec.containers[0].env[2].value',
      'spec.template.spec.containers[0].env[3]', 'spec.template.spec.containers[0].env[4].valueFrom',
      'metadata.labels[api-token]', 'spec.storage.kv.password', 'spec.workload.overrides.env[0].value',
    ]) {
      expect(run.stdout).toContain(`: ${field}: `);
    }
    expect(run.stdout).toContain('<redacted>');
  });

  test('given plan on a repository whose alpha EPP has secret env values, then only the carried object files hold them', () => {
    const repo = fixtureWith('one-pool', EPP_FILE, EPP_ANCHOR, `        env:\n        - name: HF_TOKEN\n          value: "${MARK}-epp-env"\n`);
    writeTree(repo, { 'apps/llm/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: hf\n  namespace: default\nstringData:\n  token: "${MARK}-hf"\n` });
    expectSecretsOnlyIn(runInto(['plan', '--from', repo]), 'deployment-vllm-llama3-8b-instruct-alpha-epp.yaml');
  });

  test('given plan whose carried objects fail validation on a secret field, then the refusal names the field, not the value', () => {
    const repo = fixtureWith('one-pool', EPP_FILE, EPP_ANCHOR, `        env:\n        - name: HF_TOKEN\n          value: { v: "${MARK}-epp-env" }\n`);
    const { run } = runInto(['plan', '--from', repo]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('env[0].value');
    expect(run.stdout + run.stderr).not.toContain(MARK);
  });

  test('given plan-kserve with secrets beside KServe\'s config, then only the carried ConfigMap holds its values', () => {
    const endOfIngress = '        "urlScheme": "http"\n    }\n';
    const repo = fixtureWith('kserve', 'kserve.yaml', endOfIngress, `  credentials: |-\n    {"s3": {"token": "${MARK}-kserve-credentials"}}\n`);
    writeTree(repo, { 'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s3\n  namespace: kserve\nstringData:\n  AWS_SECRET_ACCESS_KEY: "${MARK}-aws"\n` });
    expectSecretsOnlyIn(runInto(['plan-kserve', '--from', repo]), 'configmap-inferenceservice-config.yaml');
  });

  test('given convert llamastack, then only the converted objects hold env values, and refusals name fields only', () => {
    const repo = writeTree(tempDir('secrets-'), {
      'llsd.yaml': `apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
  namespace: ai
spec:
  server:
    distribution: { name: starter }
    containerSpec:
      env:
      - name: VLLM_URL
        value: "http://vllm:8000/v1"
      - name: VLLM_API_KEY
        value: "${MARK}-vllm-api-key"
      - name: HF_TOKEN
        value: "${MARK}-hf-token"
`,
    });
    const out = path.join(tempDir('secrets-out-'), 'out');
    const run = runCli(['convert', 'llamastack', repo, '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toContain(MARK);
    expect(filesWithSecrets(out)).toEqual(['ai-my-llsd.yaml']);

    for (const [name, yaml] of [
      ['env as a map', 'containerSpec:\n      env: { HF_TOKEN: "S3CRET-map" }'],
      ['a draft apiKey given as a value', null],
    ] as const) {
      const bad = writeTree(tempDir('secrets-'), {
        'llsd.yaml': yaml !== null
          ? `apiVersion: llamastack.io/v1alpha1\nkind: LlamaStackDistribution\nmetadata: { name: x, namespace: ai }\nspec:\n  server:\n    distribution: { name: starter }\n    ${yaml}\n`
          : `apiVersion: llamastack.io/v1alpha2\nkind: LlamaStackDistribution\nmetadata: { name: x, namespace: ai }\nspec:\n  distribution: { name: starter }\n  providers:\n    inference: { provider: vllm, endpoint: "http://v:8000/v1", apiKey: "${MARK}-draft-api-key" }\n`,
      });
      const refused = runCli(['convert', 'llamastack', bad, '--out', path.join(tempDir('secrets-out-'), 'out')]);
      expect({ name, status: refused.status }).toEqual({ name, status: 1 });
      expect(refused.stdout + refused.stderr).not.toContain(MARK);
    }
  });

  test('given an HTTPRoute whose filters set Authorization, Cookie, X-Api-Key and a token header, and a URL with userinfo, then only its object files hold them: not plan.json, the READMEs, status, the pull request or any message', () => {
    const route = path.join('apps', 'llm', 'httproute.yaml');
    const withFilters = fixtureWith('one-pool', route, '    backendRefs:\n', '');
    const text = fs.readFileSync(path.join(withFilters, route), 'utf8')
      .replace('    backendRefs:\n', `    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - {name: Authorization, value: "Bearer ${MARK}-bearer"}
        - {name: Cookie, value: "session=${MARK}-cookie"}
        - {name: X-Api-Key, value: "${MARK}-apikey"}
        add:
        - {name: X-Upstream-Auth-Token, value: "${MARK}-token"}
    backendRefs:\n`)
      .replace('  namespace: default\n', `  namespace: default\n  annotations:\n    example.com/upstream: https://admin:${MARK}-pass@models.example.com/v1\n`);
    fs.writeFileSync(path.join(withFilters, route), text);

    const written = runInto(['plan', '--from', withFilters, '--strategy', 'header-preview-cutover', '--gateway', 'gke']);

    expectSecretsOnlyIn(written, 'httproute-llm-route.yaml');
    const migration = path.join(written.out, 'vllm-llama3-8b-instruct');
    expect(fs.readFileSync(path.join(migration, 'plan.json'), 'utf8')).toContain('"value": "<redacted>"');
    const app = writeTree(tempDir('app-'), { 'app.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: llm, namespace: argocd}\nspec:\n  source: {repoURL: https://x.example/r.git, path: ${migration}/01-side-by-side}\n  destination: {server: https://kubernetes.default.svc}\n` });
    for (const args of [['status', migration, '--app', path.join(app, 'app.yaml')], ['promote', migration, '--app', path.join(app, 'app.yaml'), '--output', 'json']]) {
      const run = runCli(args);
      expect({ args, status: run.status }).toEqual({ args, status: 0 });
      expect(run.stdout + run.stderr).not.toContain(MARK);
    }
  });

  test('given validate on values that look like credentials in fields not named like secrets, then it shows them redacted', () => {
    const repo = writeTree(tempDir('secrets-'), {
      'cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: creds-by-shape
  namespace: default
  labels:
    upstream: "https://admin:${MARK}-pass@models.example.com"
data:
  auth: ["Bearer ${MARK}-bearer-token"]
  tls: ["-----BEGIN PRIVATE KEY-----\\n${MARK}-pem\\n-----END PRIVATE KEY-----"]
`,
    });

    const run = runCli(['validate', repo]);

    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(MARK);
    for (const field of ['metadata.labels[upstream]', 'data.auth', 'data.tls']) expect(run.stdout).toContain(`: ${field}: `);
    expect(run.stdout).toContain('https://<redacted>@models.example.com');
  });

  test('given secrets read from a file of mode 0600, then the stage files that carry them are written 0600, the others as usual', () => {
    const repo = fixtureWith('one-pool', EPP_FILE, EPP_ANCHOR, `        env:\n        - name: HF_TOKEN\n          value: "${MARK}-epp-env"\n`);
    fs.chmodSync(path.join(repo, EPP_FILE), 0o600);

    const { run, out } = runInto(['plan', '--from', repo]);

    expect(run.status).toBe(0);
    const modes = Object.fromEntries(listTree(out).filter((f) => /\/01-side-by-side\//.test(f)).map((f) => [path.basename(f), fs.statSync(path.join(out, f)).mode % 0o1000]));
    expect(modes['deployment-vllm-llama3-8b-instruct-alpha-epp.yaml']).toBe(0o600);
    expect(modes['README.md']).toBe(0o644);
    expect(Object.entries(modes).filter(([, m]) => m === 0o600).map(([f]) => f)).toEqual(['deployment-vllm-llama3-8b-instruct-alpha-epp.yaml']);
  });
});
