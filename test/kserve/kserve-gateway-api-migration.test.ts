import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { BUNDLES, INGRESS_V015, INGRESS_WITHOUT_GATEWAY_KEYS, configMap, controllerDeployment } from './fixtures';
import { CarriedManifest } from '../../src';
import { KServeGatewayApiMigration, KServeGatewayApiMigrationProps } from '../../src/kserve/kserve-gateway-api-migration';
import { GitOpsWriter } from '../../src/migration/gitops-writer';
import { ManualStepTiming } from '../../src/migration/migration-stage';
import { expectValid, inventory, only, parseYamlDocs, validator } from '../util';

// KServe guide 002, section 6, verbatim.
const GUIDE_TEST_ISVC = `
apiVersion: "serving.kserve.io/v1beta1"
kind: "InferenceService"
metadata:
  name: "sklearn-v2-iris"
spec:
  predictor:
    model:
      modelFormat:
        name: sklearn
      storageUri: "gs://kfserving-examples/models/sklearn/1.0/model"
`;

const WAVE = 'argocd.argoproj.io/sync-wave';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const STANDARD_INSTALL = 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml';

function migration(props: KServeGatewayApiMigrationProps, app = Testing.app()): KServeGatewayApiMigration {
  return new KServeGatewayApiMigration(app, 'kserve-gateway-api', props);
}

function stageObjects(m: KServeGatewayApiMigration): any[][] {
  return m.stages.map((s) => GitOpsWriter.synthesizeStage(s));
}

function carried(o: any): CarriedManifest {
  return CarriedManifest.fromObject(o);
}

/** The objects of one stage as the GitOps writer writes them (sync waves added), by kind. */
function written(m: KServeGatewayApiMigration, folder: string): any[] {
  const out = tmp();
  new GitOpsWriter({ outdir: out }).write(m);
  const dir = path.join(out, m.migrationName, folder);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').map((f) => parseYamlDocs(fs.readFileSync(path.join(dir, f), 'utf8'))[0]);
}

function withoutNulls(o: any): any {
  return JSON.parse(JSON.stringify(o, (_k, v) => (v === null ? undefined : v)));
}

function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return files;
}

const tmpDirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kserve-migration-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const FULL: KServeGatewayApiMigrationProps = {
  existingConfigMap: carried(configMap()),
  controllerDeployment: carried(controllerDeployment()),
  tlsSecretName: 'my-secret',
  testInferenceService: true,
};

describe('KServeGatewayApiMigration, YAML mode with the ConfigMap and the controller from Git', () => {
  test('given the repo\'s ConfigMap and Deployment, then three stages hold the complete state, and every object passes Gateway API v1.2.1 and KServe v0.15.1', () => {
    const m = migration(FULL);
    const stages = stageObjects(m);

    expect(m.stages.map((s) => s.folderName)).toEqual(['01-gateway', '02-enable-gateway-api', '03-verify']);
    const base = [
      'ConfigMap kserve/inferenceservice-config',
      'Deployment kserve/kserve-controller-manager',
      'Gateway kserve/kserve-ingress-gateway',
      'GatewayClass envoy',
    ];
    expect(inventory(stages[0])).toEqual(base);
    expect(inventory(stages[1])).toEqual(base);
    expect(inventory(stages[2])).toEqual([...base, 'InferenceService default/sklearn-v2-iris'].sort());
    for (const objects of stages) expectValid(objects, BUNDLES);
    expect(validator(BUNDLES).validate(stages[2]).defaultsApplied).toEqual([]);
    expect(m.migrationKind).toBe('kserve-gateway-api');
    expect(m.namespace).toBe('kserve');
    expect(m.crds).toEqual([expect.objectContaining({ url: STANDARD_INSTALL })]);
  });

  test('given a realistic ConfigMap, when stage 02 rewrites it, then only data.ingress changes: every other data key, label and annotation is identical', () => {
    const m = migration(FULL);
    const [first, second, third] = stageObjects(m);
    const before = configMap();
    const after = only(second, 'ConfigMap');

    // Stage 01 carries the ConfigMap exactly as it is in Git.
    expect(only(first, 'ConfigMap')).toEqual(before);
    expect(m.baseline.map((b) => b.toJson())).toContainEqual(before);
    // Stage 02: the same object but data.ingress.
    expect(after.metadata).toEqual(before.metadata);
    expect(Object.keys(after.data).sort()).toEqual(Object.keys(before.data).sort());
    for (const key of Object.keys(before.data).filter((k) => k !== 'ingress')) {
      expect(after.data[key]).toBe(before.data[key]);
    }
    expect(after.data.ingress).toBe(INGRESS_V015.replace('"enableGatewayApi": false', '"enableGatewayApi": true'));
    const ingress = JSON.parse(after.data.ingress);
    expect(ingress).toEqual({ ...JSON.parse(INGRESS_V015), enableGatewayApi: true, kserveIngressGateway: 'kserve/kserve-ingress-gateway' });
    expect(m.newIngressConfig).toBe(after.data.ingress);
    // Stage 03 still holds it.
    expect(only(third, 'ConfigMap')).toEqual(after);
  });

  test('given an ingress JSON without the Gateway API keys, then they are appended at the end and the key order is kept', () => {
    const m = migration({ existingConfigMap: carried(configMap(INGRESS_WITHOUT_GATEWAY_KEYS)), gatewayNamespace: 'gateways' });
    const ingress = only(stageObjects(m)[1], 'ConfigMap').data.ingress;
    expect(Object.keys(JSON.parse(ingress))).toEqual([...Object.keys(JSON.parse(INGRESS_WITHOUT_GATEWAY_KEYS)), 'enableGatewayApi', 'kserveIngressGateway']);
    expect(JSON.parse(ingress).kserveIngressGateway).toBe('gateways/kserve-ingress-gateway');
    expect(ingress).toContain('"timeoutSeconds": 1.50');
  });

  test('given the controller Deployment, then stage 02 restarts it through a restartedAt annotation derived from the new config, synced after the ConfigMap', () => {
    const m = migration(FULL);
    const [first, second, third] = stageObjects(m);
    const before = withoutNulls(controllerDeployment());

    expect(only(first, 'Deployment')).toEqual(before);
    const after = only(second, 'Deployment');
    expect(m.restartedAt).toMatch(/^ingress-sha256-[0-9a-f]{16}$/);
    expect(after.spec.template.metadata.annotations).toEqual({ ...before.spec.template.metadata.annotations, [RESTARTED_AT]: m.restartedAt });
    // Only the writer adds sync waves: the restarted controller gets the wave after the ConfigMap's.
    expect(after.metadata.annotations).toBeUndefined();
    expect(only(written(m, '02-enable-gateway-api'), 'Deployment').metadata.annotations).toEqual({ [WAVE]: '1' });
    expect({ ...after, metadata: before.metadata, spec: { ...after.spec, template: before.spec.template } }).toEqual(before);
    expect(only(third, 'Deployment')).toEqual(after);
    // Another ingress config gives another value; the same one the same.
    expect(migration(FULL, Testing.app()).restartedAt).toBe(m.restartedAt);
    expect(migration({ ...FULL, gatewayName: 'other' }).restartedAt).not.toBe(m.restartedAt);
  });

  test('given testInferenceService, then stage 03 adds the guide\'s sklearn-v2-iris in namespace default, after everything else', () => {
    const m = migration(FULL);
    const isvc = only(stageObjects(m)[2], 'InferenceService');
    const [guide] = parseYamlDocs(GUIDE_TEST_ISVC);
    guide.metadata.namespace = 'default';
    // The guide's service, with the deployment mode KServe needs to make its HTTPRoute (0.15 makes them only for
    // RawDeployment; a cluster whose default mode is Serverless would make none).
    guide.metadata.annotations = { 'serving.kserve.io/deploymentMode': 'RawDeployment' };
    expect(isvc).toEqual(guide);
    expect(only(written(m, '03-verify'), 'InferenceService').metadata.annotations).toEqual({ 'serving.kserve.io/deploymentMode': 'RawDeployment', [WAVE]: '2' });
  });

  test('given KServe 0.16, then the test InferenceService uses the renamed mode Standard', () => {
    const m = migration({ ...FULL, kserveVersion: 'v0.16.0' });
    expect(only(stageObjects(m)[2], 'InferenceService').metadata.annotations).toEqual({ 'serving.kserve.io/deploymentMode': 'Standard' });
    expect(() => migration({ ...FULL, kserveVersion: 'latest' })).toThrow(/'kserveVersion' must be a KServe version such as 'v0.15.1'/);
  });

  test('given the stages, then the README commands carry the guide\'s checks with the names filled in', () => {
    const m = migration({ ...FULL, inferenceServiceNamespace: 'models' });
    const [first, second, third] = m.stages;

    const before = first.manualSteps.filter((s) => s.timing === ManualStepTiming.BEFORE_SYNC);
    expect(before).toHaveLength(1);
    expect(before[0].commands).toEqual([
      '# Prints the installed Gateway API version; empty when the CRDs are not installed.',
      'kubectl get crd gateways.gateway.networking.k8s.io -o \'jsonpath={.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}\'',
      '# Only when that printed nothing or a version older than v1.2.1:',
      `kubectl apply -f ${STANDARD_INSTALL}`,
    ]);
    expect(before[0].text).toMatch(/downgrades them/);
    const commands1 = first.verifications.map((v) => v.command);
    expect(commands1).toContain('kubectl get pods,svc -l serving.kserve.io/gateway=kserve-ingress-gateway -A');
    expect(commands1).toContainEqual(expect.stringMatching(/^kubectl get gateway\.gateway\.networking\.k8s\.io kserve-ingress-gateway -n kserve -o 'jsonpath=\{"Programmed="\}/));
    expect(first.verifications.find((v) => v.command.includes('gateway.gateway'))!.check).toMatchObject({ kind: 'gateway-status', expect: { lines: ['Programmed=True class=envoy'] } });
    expect(commands1).toContain('kubectl get secret my-secret -n kserve');

    expect(second.verifications[0].command).toBe('kubectl rollout status deployment kserve-controller-manager -n kserve');
    expect(second.verifications[0].description).toContain('kubectl rollout restart deployment kserve-controller-manager -n kserve');

    const commands3 = third.verifications.map((v) => v.command).join('\n');
    expect(commands3).toContain('export INGRESS_HOST=$(kubectl get service -l serving.kserve.io/gateway=kserve-ingress-gateway -A -o jsonpath=\'{.items[0].status.loadBalancer.ingress[0].ip}\')');
    expect(commands3).toContain('export INGRESS_PORT=$(kubectl get service -l serving.kserve.io/gateway=kserve-ingress-gateway -A -o jsonpath=\'{.items[0].spec.ports[?(@.name=="http2")].port}\')');
    expect(commands3).toContain('export INGRESS_HOST=$(kubectl get po -l serving.kserve.io/gateway=kserve-ingress-gateway -A -o jsonpath=\'{.items[0].status.hostIP}\')');
    expect(commands3).toContain('kubectl port-forward -n envoy-gateway-system $(kubectl get pods -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-namespace=kserve,gateway.envoyproxy.io/owning-gateway-name=kserve-ingress-gateway -o jsonpath=\'{.items[0].metadata.name}\') 8080:10080');
    expect(commands3).toContain('SERVICE_HOSTNAME=$(kubectl get inferenceservice sklearn-v2-iris -n models -o jsonpath=\'{.status.url}\' | cut -d "/" -f 3)');
    expect(commands3).toContain('  -H "Host: ${SERVICE_HOSTNAME}" \\');
    expect(commands3).toContain('  http://${INGRESS_HOST}:${INGRESS_PORT}/v2/models/sklearn-v2-iris/infer -d @./iris-input-v2.json');
    expect(commands3).toContain('"data": [[5.1, 3.5, 1.4, 0.2]]');
    const curl = third.verifications[third.verifications.length - 1];
    expect(curl.expected).toBe('HTTP 200 and a body shaped like {"id": "<uuid>", "model_name": "sklearn-v2-iris", "model_version": "1", "outputs": [{"name": "output-0", "shape": [1], "datatype": "INT64", "data": [0]}]}');

    expect(m.overview.preflight[0].command).toBe('kubectl get crd gateways.gateway.networking.k8s.io -o \'jsonpath={.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}\'');
    expect(m.overview.preflight[0].description).toMatch(/Never apply the v1\.2\.1 install over newer CRDs/);
    expect(m.overview.preflight.map((p) => p.command)).toContain('kubectl rollout status deployment envoy-gateway -n envoy-gateway-system --timeout=1m');
  });

  test('given a gateway controller other than Envoy Gateway, then the port-forward goes to the gateway Service found by label', () => {
    const m = migration({ ...FULL, gatewayClassName: 'istio', gatewayClassControllerName: 'istio.io/gateway-controller' });
    const commands = m.stages[2].verifications.map((v) => v.command).join('\n');
    expect(commands).toContain('kubectl port-forward -n $(kubectl get svc -l serving.kserve.io/gateway=kserve-ingress-gateway -A -o jsonpath=\'{.items[0].metadata.namespace}\') svc/$(kubectl get svc -l serving.kserve.io/gateway=kserve-ingress-gateway -A -o jsonpath=\'{.items[0].metadata.name}\') 8080:80');
    expect(m.overview.preflight.map((p) => p.command)).not.toContain('kubectl rollout status deployment envoy-gateway -n envoy-gateway-system --timeout=1m');
  });
});

describe('KServeGatewayApiMigration, objects from Git without a namespace or with their own waves', () => {
  test('given manifests without a namespace, then they are written into kserveNamespace', () => {
    const cm = configMap();
    delete cm.metadata.namespace;
    const dep = controllerDeployment();
    delete dep.metadata.namespace;
    const m = migration({ existingConfigMap: carried(cm), controllerDeployment: carried(dep), kserveNamespace: 'kserve-system' });
    const second = stageObjects(m)[1];
    expect(inventory(second)).toEqual([
      'ConfigMap kserve-system/inferenceservice-config',
      'Deployment kserve-system/kserve-controller-manager',
      'Gateway kserve-system/kserve-ingress-gateway',
      'GatewayClass envoy',
    ]);
    expect(JSON.parse(only(second, 'ConfigMap').data.ingress).kserveIngressGateway).toBe('kserve-system/kserve-ingress-gateway');
    expect(m.stages[1].verifications[0].command).toBe('kubectl rollout status deployment kserve-controller-manager -n kserve-system');
  });

  test('given a ConfigMap with its own sync wave, then the controller follows it, and a Deployment wave that does not is reported', () => {
    const cm = configMap();
    cm.metadata.annotations[WAVE] = '3';
    const follows = migration({ existingConfigMap: carried(cm), controllerDeployment: carried(controllerDeployment()) });
    expect(only(written(follows, '02-enable-gateway-api'), 'Deployment').metadata.annotations).toEqual({ [WAVE]: '4' });

    const dep = controllerDeployment();
    dep.metadata.annotations = { [WAVE]: '2' };
    const early = migration({ existingConfigMap: carried(cm), controllerDeployment: carried(dep) });
    expect(only(written(early, '02-enable-gateway-api'), 'Deployment').metadata.annotations).toEqual({ [WAVE]: '2' });
    expect(early.warnings).toContainEqual('The Deployment kserve/kserve-controller-manager carries sync wave 2, which does not come after the ConfigMap\'s (3): Argo CD may restart the controller before its config changed; restart it by hand after the sync.');
  });
});

describe('KServeGatewayApiMigration in a larger cdk8s app', () => {
  test('given a selected stage, then app.synth() renders that stage once in the enclosing chart, without sync waves (only the writer adds them)', () => {
    const outdir = tmp();
    const app = new App({ outdir });
    const m = new KServeGatewayApiMigration(new Chart(app, 'platform'), 'kserve', { ...FULL, activeStage: '02-enable-gateway-api' });
    app.synth();
    expect(fs.readdirSync(outdir)).toEqual(['platform.k8s.yaml']);
    const objects = parseYamlDocs(fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8'));
    expect(inventory(objects)).toEqual(inventory(stageObjects(m)[1]));
    expect(JSON.parse(only(objects, 'ConfigMap').data.ingress).enableGatewayApi).toBe(true);
    expect(only(objects, 'Gateway').metadata.annotations).toBeUndefined();
    expect(m.activeStage).toBe('02-enable-gateway-api');
  });

  test('given no selection, then app.synth() fails naming the three stages', () => {
    const app = new App({ outdir: tmp() });
    new KServeGatewayApiMigration(new Chart(app, 'platform'), 'kserve', FULL);
    expect(() => app.synth()).toThrow(/no active stage of migration kserve is selected.*Stages: 01-gateway, 02-enable-gateway-api, 03-verify/s);
  });
});

describe('GitOpsWriter output of a KServeGatewayApiMigration', () => {
  test('given syncWaves: false, then no object carries a sync wave the library added (only the writer adds them)', () => {
    const out = tmp();
    new GitOpsWriter({ outdir: out, syncWaves: false }).write(migration(FULL, new App()));
    const dir = path.join(out, 'kserve-gateway-api');
    for (const stage of ['01-gateway', '02-enable-gateway-api', '03-verify']) {
      for (const file of fs.readdirSync(path.join(dir, stage)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) {
        const obj = parseYamlDocs(fs.readFileSync(path.join(dir, stage, file), 'utf8'))[0];
        const own = obj.kind === 'ConfigMap' ? configMap().metadata.annotations
          : obj.kind === 'InferenceService' ? { 'serving.kserve.io/deploymentMode': 'RawDeployment' } : undefined;
        expect(obj.metadata.annotations).toEqual(own);
      }
    }
  });

  test('given the same input twice, when written into two directories, then the trees are byte-identical', () => {
    const a = tmp();
    const b = tmp();
    new GitOpsWriter({ outdir: a, validate: true }).write(migration(FULL, new App()));
    new GitOpsWriter({ outdir: b, validate: true }).write(migration(FULL, new App()));

    const ta = readTree(a);
    const tb = readTree(b);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [file, content] of ta) expect(content.equals(tb.get(file)!)).toBe(true);
    expect([...ta.keys()].filter((f) => f.startsWith('kserve-gateway-api/02-')).sort()).toEqual([
      'kserve-gateway-api/02-enable-gateway-api/README.md',
      'kserve-gateway-api/02-enable-gateway-api/configmap-inferenceservice-config.yaml',
      'kserve-gateway-api/02-enable-gateway-api/deployment-kserve-controller-manager.yaml',
      'kserve-gateway-api/02-enable-gateway-api/gateway-kserve-ingress-gateway.yaml',
      'kserve-gateway-api/02-enable-gateway-api/gatewayclass-envoy.yaml',
      'kserve-gateway-api/02-enable-gateway-api/kustomization.yaml',
    ].sort());
  });

  test('given the written stages, then the sync waves order the gateway before the config and the config before the restart, and carried objects keep their annotations', () => {
    const out = tmp();
    new GitOpsWriter({ outdir: out }).write(migration(FULL, new App()));
    const dir = path.join(out, 'kserve-gateway-api');
    const kustomization = parseYamlDocs(fs.readFileSync(path.join(dir, '02-enable-gateway-api', 'kustomization.yaml'), 'utf8'))[0];
    expect(kustomization.resources).toEqual([
      'gatewayclass-envoy.yaml', 'gateway-kserve-ingress-gateway.yaml', 'configmap-inferenceservice-config.yaml', 'deployment-kserve-controller-manager.yaml',
    ]);
    const read = (stage: string, file: string) => parseYamlDocs(fs.readFileSync(path.join(dir, stage, file), 'utf8'))[0];
    expect(read('02-enable-gateway-api', 'configmap-inferenceservice-config.yaml').metadata.annotations).toEqual({ ...configMap().metadata.annotations, [WAVE]: '0' });
    // Stage 01 carries KServe's objects byte for byte (no wave added to an unchanged object).
    expect(read('01-gateway', 'configmap-inferenceservice-config.yaml')).toEqual(configMap());
    expect(read('01-gateway', 'deployment-kserve-controller-manager.yaml')).toEqual(withoutNulls(controllerDeployment()));

    const readme1 = fs.readFileSync(path.join(dir, '01-gateway', 'README.md'), 'utf8');
    expect(readme1).toContain(`kubectl apply -f ${STANDARD_INSTALL}`);
    expect(readme1).toContain('| created | `Gateway kserve/kserve-ingress-gateway` |');
    const readme2 = fs.readFileSync(path.join(dir, '02-enable-gateway-api', 'README.md'), 'utf8');
    expect(readme2).toContain('kubectl rollout restart deployment kserve-controller-manager -n kserve');
    expect(readme2).toContain('| changed | `ConfigMap kserve/inferenceservice-config` |');
    const top = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(top).toContain(STANDARD_INSTALL);
    expect(top).toContain('kubectl rollout restart deployment kserve-controller-manager -n kserve');
    const plan = JSON.parse(fs.readFileSync(path.join(dir, 'plan.json'), 'utf8'));
    expect(plan.kind).toBe('kserve-gateway-api');
    expect(plan.stages.map((s: any) => s.folder)).toEqual(['01-gateway', '02-enable-gateway-api', '03-verify']);
  });
});

describe('KServeGatewayApiMigration, YAML mode with only the ingress JSON', () => {
  test('given ingressConfig, then stage 02 writes a ConfigMap holding only data.ingress, warns to apply it server-side, and says to restart by hand', () => {
    const m = migration({ ingressConfig: INGRESS_V015 });
    const [first, second] = stageObjects(m);

    expect(only(first, 'ConfigMap')).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inferenceservice-config', namespace: 'kserve' }, data: { ingress: INGRESS_V015 },
    });
    expect(only(second, 'ConfigMap').data).toEqual({ ingress: INGRESS_V015.replace('"enableGatewayApi": false', '"enableGatewayApi": true') });
    expect(inventory(second)).toEqual(['ConfigMap kserve/inferenceservice-config', 'Gateway kserve/kserve-ingress-gateway', 'GatewayClass envoy']);
    expectValid(second, BUNDLES);
    const warning = /only its 'ingress' key \(from 'ingressConfig'\): apply it server-side only \(Argo CD ServerSideApply=true, Flux, or kubectl apply --server-side\), never with Replace=true/;
    expect(m.warnings).toEqual([expect.stringMatching(warning)]);
    for (const stage of m.stages) expect(stage.warnings).toEqual([expect.stringMatching(warning)]);
    const restart = m.stages[1].manualSteps.find((s) => s.timing === ManualStepTiming.AFTER_SYNC);
    expect(restart?.commands).toEqual(['kubectl rollout restart deployment kserve-controller-manager -n kserve', 'kubectl rollout status deployment kserve-controller-manager -n kserve']);
    expect(m.stages[1].verifications[0].command).toBe('kubectl get configmap inferenceservice-config -n kserve -o \'jsonpath={.data.ingress}\'');
    expect(m.restartedAt).toBeUndefined();
  });

  test('given enableGatewayApi true already, then a warning says it is already enabled', () => {
    const m = migration({ ingressConfig: INGRESS_V015.replace('"enableGatewayApi": false', '"enableGatewayApi": true') });
    const already = 'The ingress config (ingressConfig) has "enableGatewayApi": true already: the Gateway API is already enabled. Stage 02 changes nothing in it.';
    expect(m.warnings).toContainEqual(already);
    expect(m.stages[1].warnings).toContainEqual(already);
    expect(m.stages[0].warnings).not.toContainEqual(already);
    const other = migration({ ingressConfig: '{"enableGatewayApi": true, "kserveIngressGateway": "old/gw", "ingressGateway": "a/b"}' });
    expect(other.warnings).toContainEqual(expect.stringMatching(/already enabled\. Stage 02 points kserveIngressGateway at kserve\/kserve-ingress-gateway \(was "old\/gw"\)\.$/));
  });

  test('given an ingress JSON without ingressGateway, then a warning says KServe rejects it', () => {
    const m = migration({ ingressConfig: '{"ingressDomain": "example.com"}' });
    expect(m.warnings).toContainEqual(expect.stringMatching(/has no "ingressGateway": KServe's controller rejects such a config \("invalid ingress config - ingressGateway is required"\)/));
  });
});

describe('KServeGatewayApiMigration, Helm mode', () => {
  test('given helm, then no ConfigMap or Deployment is written and stage 02 gives the guide\'s helm upgrade with the names filled in, then the restart', () => {
    const m = migration({ helm: true, gatewayNamespace: 'gateways' });
    const stages = stageObjects(m);

    for (const objects of stages) {
      expect(inventory(objects)).toEqual(['Gateway gateways/kserve-ingress-gateway', 'GatewayClass envoy']);
      expectValid(objects, BUNDLES);
    }
    expect(m.baseline).toEqual([]);
    const step = m.stages[1].manualSteps.find((s) => s.timing === ManualStepTiming.BEFORE_SYNC)!;
    expect(step.commands).toEqual([
      'helm upgrade kserve oci://ghcr.io/kserve/charts/kserve --version v0.15.1 \\',
      '  --namespace kserve --reuse-values \\',
      '  --set kserve.controller.gateway.ingressGateway.enableGatewayApi=true \\',
      '  --set kserve.controller.gateway.ingressGateway.kserveGateway=gateways/kserve-ingress-gateway',
      'kubectl rollout restart deployment kserve-controller-manager -n kserve',
      'kubectl rollout status deployment kserve-controller-manager -n kserve',
    ]);
    expect(step.text).toContain('helm rollback kserve -n kserve');
    expect(m.overview.preflight.map((p) => p.command)).toContain('helm list -n kserve --filter \'^kserve$\'');
    expect(m.newIngressConfig).toBeUndefined();
  });

  test('given helmCreatesGateway, then neither GatewayClass nor Gateway is written and the upgrade sets createGateway=true', () => {
    const m = migration({ helm: true, helmCreatesGateway: true, helmRelease: 'kserve-core', helmChartVersion: 'v0.15.2' });
    for (const objects of stageObjects(m)) expect(objects).toEqual([]);
    const step = m.stages[1].manualSteps.find((s) => s.timing === ManualStepTiming.BEFORE_SYNC)!;
    expect(step.commands!.slice(0, 5)).toEqual([
      'helm upgrade kserve-core oci://ghcr.io/kserve/charts/kserve --version v0.15.2 \\',
      '  --namespace kserve --reuse-values \\',
      '  --set kserve.controller.gateway.ingressGateway.enableGatewayApi=true \\',
      '  --set kserve.controller.gateway.ingressGateway.kserveGateway=kserve/kserve-ingress-gateway \\',
      '  --set kserve.controller.gateway.ingressGateway.createGateway=true',
    ]);
    // The chart's Gateway appears in stage 02, so its checks move there.
    expect(m.stages[0].verifications.map((v) => v.description)).toEqual(['The Gateway API CRDs are installed, at v1.2.1 or newer.']);
    expect(m.stages[1].verifications.map((v) => v.command)).toContainEqual(expect.stringMatching(/^kubectl get gateway\.gateway\.networking\.k8s\.io kserve-ingress-gateway -n kserve /));
  });

  test('given helmCreatesGateway and createGatewayClass, then only the GatewayClass is written', () => {
    const m = migration({ helm: true, helmCreatesGateway: true, createGatewayClass: true });
    const objects = stageObjects(m)[0];
    expect(inventory(objects)).toEqual(['GatewayClass envoy']);
    expectValid(objects, BUNDLES);
    expect(m.stages[0].verifications.map((v) => v.command).slice(1)).toEqual(['kubectl get gatewayclass.gateway.networking.k8s.io envoy']);
  });
});

describe('KServeGatewayApiMigration errors', () => {
  const where = 'kserve-gateway-api';
  test.each<[string, KServeGatewayApiMigrationProps, RegExp]>([
    ['no config', {}, /^kserve-gateway-api: 'existingConfigMap' or 'ingressConfig' is required \(the current inferenceservice-config ConfigMap, or its ingress JSON\), unless 'helm' is true/],
    ['both configs', { existingConfigMap: carried(configMap()), ingressConfig: '{}' }, /^kserve-gateway-api: 'ingressConfig' must be left out when 'existingConfigMap' is given \(its data\.ingress is used\)$/],
    ['invalid ingressConfig', { ingressConfig: '{"ingressGateway": ' }, /^kserve-gateway-api: 'ingressConfig' is not valid JSON: it ends before the value does$/],
    ['ingressConfig not an object', { ingressConfig: '["a"]' }, /^kserve-gateway-api: 'ingressConfig' must be a JSON object \(got an array\)$/],
    ['invalid ConfigMap JSON', { existingConfigMap: carried(configMap('{"ingressGateway": "a/b",}')) }, /^kserve-gateway-api: 'existingConfigMap' data\.ingress of ConfigMap kserve\/inferenceservice-config is not valid JSON at line \d+, column \d+: /],
    ['ConfigMap without ingress', { existingConfigMap: carried({ ...configMap(), data: { deploy: '{}' } }) }, /^kserve-gateway-api: 'existingConfigMap' has no data\.ingress: add KServe's ingress JSON to ConfigMap kserve\/inferenceservice-config first/],
    ['wrong object', { existingConfigMap: carried(controllerDeployment()) }, /^kserve-gateway-api: 'existingConfigMap' must be the v1 ConfigMap inferenceservice-config \(a CarriedManifest\) \(got apps\/v1 Deployment kserve\/kserve-controller-manager\)$/],
    ['ConfigMap in another namespace than kserveNamespace', { kserveNamespace: 'kserve', existingConfigMap: carried({ ...configMap(), metadata: { ...configMap().metadata, namespace: 'kubeflow' } }) },
      /^kserve-gateway-api: conflicting namespaces: 'kserveNamespace' is "kserve", but the ConfigMap inferenceservice-config \('existingConfigMap'\) is in namespace "kubeflow"; KServe reads inferenceservice-config from its own namespace: set 'kserveNamespace' to "kubeflow", or leave it out$/],
    ['immutable ConfigMap', { existingConfigMap: carried({ ...configMap(), immutable: true }) }, /^kserve-gateway-api: 'existingConfigMap' is immutable \(immutable: true\)/],
    ['Deployment is not one', { ingressConfig: INGRESS_V015, controllerDeployment: carried(configMap()) }, /^kserve-gateway-api: 'controllerDeployment' must be an apps\/v1 Deployment \(KServe's kserve-controller-manager\) \(a CarriedManifest\) \(got v1 ConfigMap kserve\/inferenceservice-config\)$/],
    ['Deployment in another namespace', { ingressConfig: INGRESS_V015, controllerDeployment: carried({ ...controllerDeployment(), metadata: { name: 'kserve-controller-manager', namespace: 'default' } }) }, /^kserve-gateway-api: 'controllerDeployment' is in namespace "default", but 'kserveNamespace' is "kserve": the controller runs in KServe's namespace/],
    ['Deployment without template', { ingressConfig: INGRESS_V015, controllerDeployment: carried({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kserve-controller-manager' }, spec: {} }) }, /^kserve-gateway-api: 'controllerDeployment' has no spec\.template/],
    ['helm with a ConfigMap', { helm: true, existingConfigMap: carried(configMap()) }, /^kserve-gateway-api: 'existingConfigMap' has no meaning with 'helm': true \(Helm owns the ConfigMap and the controller\): leave it out$/],
    ['helm values without helm', { ingressConfig: INGRESS_V015, helmCreatesGateway: true }, /^kserve-gateway-api: 'helmCreatesGateway' only applies with 'helm': true/],
    ['helmCreatesGateway with another name', { helm: true, helmCreatesGateway: true, gatewayName: 'mine' }, /^kserve-gateway-api: 'helmCreatesGateway' makes the chart create the Gateway kserve\/kserve-ingress-gateway \(its fixed name, in the release namespace\): leave 'gatewayName' and 'gatewayNamespace' at that \(got kserve\/mine\)$/],
    ['helmCreatesGateway with TLS', { helm: true, helmCreatesGateway: true, tlsSecretName: 'my-secret' }, /^kserve-gateway-api: 'helmCreatesGateway' makes the chart create a Gateway with one HTTP listener on port 80: leave out 'tlsSecretName'/],
    ['bad chart version', { helm: true, helmChartVersion: 'latest' }, /^kserve-gateway-api: 'helmChartVersion' must be a chart version such as 'v0\.15\.1' \(got "latest"\)$/],
    ['bad gateway name', { helm: true, gatewayName: 'KServe' }, /^kserve-gateway-api: 'gatewayName' must be a DNS-1123 label: .* \(got "KServe"\)$/],
    ['bad kserve namespace', { helm: true, kserveNamespace: 'k_serve' }, /^kserve-gateway-api: 'kserveNamespace' must be a DNS-1123 label: .* \(got "k_serve"\)$/],
    ['bad controller', { helm: true, gatewayClassControllerName: 'no-slash' }, /^kserve-gateway-api: 'gatewayClassControllerName' must be a domain-prefixed path/],
    ['bad port', { helm: true, httpPort: 65536 }, /^kserve-gateway-api: 'httpPort' must be an integer in 1\.\.65535 \(got 65536\)$/],
    ['same ports', { helm: true, tlsSecretName: 's', httpPort: 443 }, /^kserve-gateway-api: 'httpsPort' must differ from 'httpPort' \(both are 443\)/],
    ['test isvc with a name', { helm: true, testInferenceService: true, inferenceServiceName: 'my-model' }, /^kserve-gateway-api: 'inferenceServiceName' must be left out with 'testInferenceService': true, whose InferenceService is the guide's sklearn-v2-iris \(got "my-model"\)/],
    ['bad isvc name', { helm: true, inferenceServiceName: '1model' }, /^kserve-gateway-api: 'inferenceServiceName' must be a DNS-1035 label \(a Service name\)/],
    ['bad migration name', { helm: true, name: 'KServe Migration' }, /^kserve-gateway-api: 'name' must be a DNS-1123 label/],
  ])('given %s, then the error names the construct, the prop and what is allowed', (_title, props, message) => {
    expect(() => new KServeGatewayApiMigration(Testing.app(), where, props)).toThrow(message);
  });
});
