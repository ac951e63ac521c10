import { Testing } from 'cdk8s';
import { CarriedManifest, GitOpsWriter, MigrationLoss, ZeroDowntimeMigration } from '../../src';
import { eppMetricNames } from '../../src/convert/epp-metrics';
import { BRIDGE_GIE_RELEASES } from '../../src/convert/gie-versions';
import { GuideExamples } from '../../src/examples/guide-examples';
import { alphaStack } from '../fixtures/alpha-stack';

/** Every `inference_*` metric name a README names (plain words of letters, digits and underscores). */
function metricNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\binference_[a-z0-9_]+/g)].map((m) => m[0]))];
}

function readmes(migration: ZeroDowntimeMigration): string {
  const out = new GitOpsWriter({ outdir: 'out' }).renderMigrations([migration]);
  return out.files.filter((f) => f.path.endsWith('README.md')).map((f) => f.content).join('\n');
}

// The table comes from pkg/epp/metrics/metrics.go at each tag (src/convert/epp-metrics.ts).
describe('metric names in READMEs', () => {
  test.each([...BRIDGE_GIE_RELEASES])('given a migration to GIE %s with a model rewrite, then every metric its READMEs name is one that release\'s EPP exports', (release) => {
    const models = [{
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'food-review', namespace: 'default' },
      spec: { modelName: 'food-review', criticality: 'Standard', poolRef: { name: 'vllm-llama3-8b-instruct-alpha' }, targetModels: [{ name: 'food-review-1', weight: 100 }] },
    }];
    const migration = new ZeroDowntimeMigration(Testing.app(), 'm', {
      alphaPool: { manifests: CarriedManifest.fromObjects([...alphaStack().filter((o) => o.kind !== 'InferenceModel'), ...models]) },
      gateway: { name: 'inference-gateway' },
      gieVersion: release,
      acceptLoss: [MigrationLoss.MODEL_REWRITE],
    });
    const names = metricNames(readmes(migration));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) expect([release, name, eppMetricNames(release).includes(name)]).toEqual([release, name, true]);
  });

  test('given the built-in guide examples (v1.0.2), then their READMEs name v1.0.2\'s metrics (inference_model_*, not the v1.1.0 names)', () => {
    for (const migration of [GuideExamples.zeroDowntime(Testing.app()), GuideExamples.gke(Testing.app())]) {
      const text = readmes(migration);
      expect(text).toContain('inference_model_request_total');
      expect(text).not.toContain('inference_objective_request_total');
      for (const name of metricNames(text)) expect(eppMetricNames('v1.0.2')).toContain(name);
    }
  });
});
