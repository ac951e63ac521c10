import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { FIXTURES, removeTempDirs, runCli, tempDir } from './run-cli';
import { expectValid } from '../util';

afterAll(removeTempDirs);

function readObjects(dir: string): any[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
}

describe('inference-migrate plan-kserve', () => {
  test('given a repository with inferenceservice-config and the controller, then it writes the three stages, all valid under Gateway API v1.2.1', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['plan-kserve', '--from', path.join(FIXTURES, 'kserve'), '--out', out, '--tls-secret', 'my-secret']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('kserve-gateway-api/: gateway kserve/kserve-ingress-gateway, ConfigMap kserve/inferenceservice-config and controller Deployment carried');
    const dir = path.join(out, 'kserve-gateway-api');
    expect(fs.readdirSync(dir).filter((f) => /^\d\d-/.test(f))).toEqual(['01-gateway', '02-enable-gateway-api', '03-verify']);
    for (const stage of ['01-gateway', '02-enable-gateway-api', '03-verify']) {
      expectValid(readObjects(path.join(dir, stage)), ['gateway-api-v1.2.1', 'kserve-v0.15.1']);
    }
    const config = readObjects(path.join(dir, '02-enable-gateway-api')).find((o) => o.kind === 'ConfigMap');
    const ingress = JSON.parse(config.data.ingress);
    expect(ingress).toMatchObject({ enableGatewayApi: true, kserveIngressGateway: 'kserve/kserve-ingress-gateway', ingressDomain: 'example.com' });
    expect(config.data.storageInitializer).toBe('{"image": "kserve/storage-initializer:v0.15.1"}');
    const controller = readObjects(path.join(dir, '02-enable-gateway-api')).find((o) => o.kind === 'Deployment');
    expect(controller.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toMatch(/^ingress-sha256-[0-9a-f]{16}$/);
    const gateway = readObjects(path.join(dir, '01-gateway')).find((o) => o.kind === 'Gateway');
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.port])).toEqual([['http', 80], ['https', 443]]);
  });

  test('given --helm, then no ConfigMap is written and the README gives the helm upgrade', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['plan-kserve', '--helm', '--out', out]);
    expect(run.status).toBe(0);
    const readme = fs.readFileSync(path.join(out, 'kserve-gateway-api', '02-enable-gateway-api', 'README.md'), 'utf8');
    expect(readme).toContain('kserve.controller.gateway.ingressGateway.enableGatewayApi=true');
    expect(readme).toContain('kserve.controller.gateway.ingressGateway.kserveGateway=kserve/kserve-ingress-gateway');
    expect(readObjects(path.join(out, 'kserve-gateway-api', '02-enable-gateway-api')).map((o) => o.kind)).not.toContain('ConfigMap');
  });

  test('given neither --from nor --helm, then it is a usage error (64)', () => {
    const run = runCli(['plan-kserve', '--out', path.join(tempDir(), 'out')]);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('error: give either --from <dir> (KServe installed from manifests) or --helm (Helm owns KServe)');
    expect(run.stderr).toContain("see 'inference-migrate plan-kserve --help'");
  });

  test('given a repository without inferenceservice-config, then it fails (1), names what is missing and writes nothing', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['plan-kserve', '--from', path.join(FIXTURES, 'llamastack'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: plan-kserve: no ConfigMap inferenceservice-config found among 3 objects/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('inference-migrate convert llamastack', () => {
  test('given v1alpha1 LlamaStackDistributions, then it writes typed v1alpha2 objects that pass the CRD, a README with the steps, and prints the steps', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['convert', 'llamastack', path.join(FIXTURES, 'llamastack'), '--out', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('converted 2 LlamaStackDistributions into');
    expect(run.stdout).toContain('kubectl get llsd -A');
    expect(run.stdout).toContain(`kubectl apply -f ${out}/ai-my-llsd.yaml`);
    expect(run.stdout).toContain("kubectl wait llsd/my-llsd -n ai --for=jsonpath='{.status.phase}'=Ready");
    expect(run.stderr).toContain('warning: ConfigMap unrelated: skipped, not a LlamaStackDistribution');
    const objects = readObjects(out);
    expectValid(objects);
    const vllm = objects.find((o) => o.metadata.name === 'vllm-llsd');
    expect(vllm.apiVersion).toBe('llamastack.io/v1alpha2');
    expect(vllm.spec.providers.inference).toEqual([{ provider: 'vllm', endpoint: 'http://vllm-service.vllm-ns.svc:8000/v1', secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } } }]);
    expect(vllm.spec.workload.overrides.env).toEqual([{ name: 'LLAMA_STACK_LOGGING', value: 'all=info' }]);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('Migrating 2 LlamaStackDistributions to llamastack.io/v1alpha2');
  });

  test('given a single file, then only its objects are converted', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['convert', 'llamastack', path.join(FIXTURES, 'llamastack', 'llsd.yaml'), '--out', out]);
    expect(run.status).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.inference-migrate-output.json', 'README.md', 'ai-my-llsd.yaml', 'ai-vllm-llsd.yaml']);
  });

  test('given nothing to convert, then it fails (1) and writes nothing', () => {
    const out = path.join(tempDir(), 'out');
    const run = runCli(['convert', 'llamastack', path.join(FIXTURES, 'kserve'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: no LlamaStackDistribution found in the input (2 other objects)');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('inference-migrate scan of the other migrations', () => {
  test('given v1alpha1 LlamaStackDistributions and a KServe ingress config, then scan lists them as still served (2)', () => {
    const run = runCli(['scan', FIXTURES + '/llamastack']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('LlamaStackDistribution');
    const ks = runCli(['scan', FIXTURES + '/kserve']);
    expect(ks.status).toBe(2);
    expect(ks.stdout).toContain('inferenceservice-config');
  });
});
