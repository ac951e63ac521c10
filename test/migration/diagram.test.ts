import { Testing } from 'cdk8s';
import { mermaidBlocks, parseMermaid } from './mermaid';
import { CarriedManifest, GatewayImplementation, GitOpsWriter, IMigration, MigrationStrategy, SimpleMigration, ZeroDowntimeMigration } from '../../src';
import { GuideExamples } from '../../src/examples/guide-examples';
import { KServeGatewayApiMigration } from '../../src/kserve/kserve-gateway-api-migration';
import { DiagramStage, mermaidText, migrationDiagram } from '../../src/migration/diagram';
import { alphaStack } from '../fixtures/alpha-stack';
import { configMap, controllerDeployment } from '../kserve/fixtures';

/** Every kind of migration the writer writes, by a short name. */
function everyKind(): Map<string, IMigration> {
  const app = Testing.app();
  return new Map<string, IMigration>([
    ['weighted (guide, alpha from Helm)', GuideExamples.zeroDowntime(app)],
    ['weighted, GKE', GuideExamples.gke(app)],
    ['weighted, three steps, alpha carried from Git', new ZeroDowntimeMigration(app, 'carried', {
      alphaPool: { manifests: CarriedManifest.fromObjects(alphaStack()) }, gateway: { name: 'inference-gateway' }, routeName: 'llm-route', steps: [10, 50, 90],
    })],
    ['header preview then cutover', new ZeroDowntimeMigration(app, 'preview', {
      alphaPool: { existing: { name: 'vllm-alpha', modelServerSelector: { app: 'vllm' } } },
      gateway: { name: 'inference-gateway' },
      routeName: 'llm-route',
      gatewayImplementation: GatewayImplementation.GENERIC,
      strategy: MigrationStrategy.HEADER_PREVIEW_CUTOVER,
    })],
    ['simple (alpha from Helm)', GuideExamples.simple(app)],
    ['simple, alpha carried from Git', new SimpleMigration(app, 'simple-carried', { alphaPool: { manifests: CarriedManifest.fromObjects(alphaStack()) }, gateway: { name: 'inference-gateway' } })],
    ['KServe', new KServeGatewayApiMigration(app, 'kserve-gateway-api', {
      existingConfigMap: CarriedManifest.fromObject(configMap()), controllerDeployment: CarriedManifest.fromObject(controllerDeployment()), tlsSecretName: 'tls',
    })],
  ]);
}

function topReadme(m: IMigration): string {
  const out = new GitOpsWriter({ outdir: 'out' }).renderMigrations([m]);
  return out.files.find((f) => f.path === `${m.migrationName}/README.md`)!.content;
}

describe('the migration diagram', () => {
  const readmes = new Map([...everyKind()].map(([kind, m]) => [kind, topReadme(m)]));

  test('given every kind of migration the writer writes, then its top README holds one Mermaid diagram that Mermaid\'s parser accepts as a flowchart', () => {
    const kinds = [...readmes.keys()];
    const blocks = kinds.map((k) => mermaidBlocks(readmes.get(k)!));
    for (const [i, b] of blocks.entries()) expect([kinds[i], b.length]).toEqual([kinds[i], 1]);
    const results = parseMermaid(blocks.map((b) => b[0]));
    expect(results.map((r, i) => [kinds[i], r])).toEqual(kinds.map((k) => [k, { ok: true, type: 'flowchart-v2' }]));
  });

  test('given the guide\'s weighted migration, then each stage shows the gateway\'s share per pool and cleanup removes the alpha pool', () => {
    const [diagram] = mermaidBlocks(readmes.get('weighted (guide, alpha from Helm)')!);
    const stage = (n: number) => diagram.split('\n  subgraph ')[n];
    expect(stage(1)).toContain('s1["01-side-by-side"]');
    expect(stage(1)).toContain('s1_g1["Gateway default/inference-gateway"]:::gateway');
    expect(stage(1)).toMatch(/s1_g1 -->\|"100%"\| s1_b\d/);
    expect(stage(1)).toContain('["GA pool vllm-llama3-8b-instruct-ga (v1): no traffic"]:::ga');
    expect(stage(2)).toContain('s2["02-shift-50"]');
    expect(stage(2).match(/s2_g1 -->\|"50%"\| s2_b\d/g)).toHaveLength(2);
    expect(stage(3)).toContain('["alpha pool vllm-llama3-8b-instruct-alpha (v1alpha2): no traffic"]:::alpha');
    expect(stage(4)).toContain('["alpha pool vllm-llama3-8b-instruct-alpha (v1alpha2): removed"]:::removed');
    expect(stage(4)).not.toContain(':::alpha');
    expect(diagram).toContain('s1 --> s2 --> s3 --> s4');
  });

  test('given three steps, then the shares are 90/10, 50/50 and 10/90', () => {
    const [diagram] = mermaidBlocks(readmes.get('weighted, three steps, alpha carried from Git')!);
    const shares = diagram.split('\n  subgraph ').slice(1).map((s) => [...s.matchAll(/-->\|"([^"]+)"\|/g)].map((m) => m[1]));
    expect(shares).toEqual([['100%'], ['90%', '10%'], ['50%', '50%'], ['10%', '90%'], ['100%'], ['100%']]);
  });

  test('given the header preview, then the preview stage names the header on the GA edge and the rest on the alpha edge', () => {
    const [diagram] = mermaidBlocks(readmes.get('header preview then cutover')!);
    const preview = diagram.split('\n  subgraph ')[2];
    expect(preview).toMatch(/-->\|"header x-inference-preview: ga"\| s2_b\d/);
    expect(preview).toMatch(/-->\|"other requests, 100%"\| s2_b\d/);
  });

  test('given the simple path, then its first stage says requests fail and the second routes everything to GA', () => {
    const [diagram] = mermaidBlocks(readmes.get('simple (alpha from Helm)')!);
    expect(diagram).toContain('s1_x["no route to a pool: inference requests fail"]:::down');
    expect(diagram).toMatch(/s2_g1 -->\|"100%"\| s2_b1/);
  });

  test('given the simple path with the alpha stack carried from Git, then its first stage shows the alpha pool removed', () => {
    const [diagram] = mermaidBlocks(readmes.get('simple, alpha carried from Git')!);
    expect(diagram).toContain('s1_r1["alpha pool vllm-llama3-8b-instruct-alpha (v1alpha2): removed"]:::removed');
  });

  test('given KServe, then the stages form a row with what each creates and changes', () => {
    const [diagram] = mermaidBlocks(readmes.get('KServe')!);
    expect(diagram.split('\n')[0]).toBe('flowchart LR');
    expect(diagram).toContain('s1["01-gateway<br/>created: GatewayClass envoy, Gateway kserve/kserve-ingress-gateway"]');
    expect(diagram).toContain('s2["02-enable-gateway-api<br/>changed: ConfigMap kserve/inferenceservice-config, Deployment kserve/kserve-controller-manager"]');
  });

  test('given names with quotes, brackets and Markdown, then the diagram escapes them and still parses', () => {
    const hostile = 'a"b] c[d] {e} (f) <b>g</b> `h` #i; |j| & end';
    expect(mermaidText(hostile)).not.toMatch(/["[\]{}<>`|]/);
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'ns' },
      spec: {
        parentRefs: [{ name: hostile }],
        rules: [
          { matches: [{ headers: [{ name: 'x-preview', value: hostile }] }], backendRefs: [{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: hostile }] },
          { backendRefs: [{ name: 'svc', weight: 1 }, { name: 'svc2', weight: 2 }] },
        ],
      },
    };
    const stages: DiagramStage[] = [
      { folder: `01-${hostile}`, objects: [route], created: [route], changed: [], deleted: [] },
      { folder: '02-x', objects: [], created: [], changed: [], deleted: [route] },
    ];
    const diagram = migrationDiagram(stages);
    expect(diagram).toContain('other requests, 33.3%');
    const chain = migrationDiagram([{ folder: hostile, objects: [{ kind: 'ConfigMap', metadata: { name: hostile } }], created: [{ kind: 'ConfigMap', metadata: { name: hostile } }], changed: [], deleted: [] }]);
    expect(parseMermaid([diagram, chain])).toEqual([{ ok: true, type: 'flowchart-v2' }, { ok: true, type: 'flowchart-v2' }]);
  });

  test('the parser behind these checks rejects a broken diagram', () => {
    expect(parseMermaid(['flowchart TB\n  a["x"] -->'])[0].ok).toBe(false);
  });
});
