import { Chart, Testing } from 'cdk8s';
import { CarriedManifest, GitOpsWriter, SimpleMigration } from '../../src';
import { GuideExamples } from '../../src/examples/guide-examples';
import { alphaStack } from '../fixtures/alpha-stack';
import { expectValid, only } from '../util';

describe('SimpleMigration', () => {
  describe('given the guide\'s pools with the alpha stack installed by Helm', () => {
    const migration = GuideExamples.simple(Testing.app());
    const [remove, install] = migration.stages;
    const removed = GitOpsWriter.synthesizeStage(remove);
    const installed: any[] = GitOpsWriter.synthesizeStage(install);

    test('then the stages are 01-remove-alpha and 02-install-ga', () => {
      expect(migration.stages.map((s) => s.folderName)).toEqual(['01-remove-alpha', '02-install-ga']);
    });

    test('then 01-remove-alpha holds no alpha object and no route to the alpha pool', () => {
      expect(removed).toEqual([]);
      expect(remove.warnings.join('\n')).toMatch(/Inference requests fail from this stage until 02-install-ga/);
      const steps = remove.manualSteps.map((s) => [s.text, ...(s.commands ?? [])].join('\n')).join('\n');
      expect(steps).toContain('helm uninstall vllm-llama3-8b-instruct-alpha -n default');
      expect(steps).toContain('HTTPRoute default/llm-route exists and is not managed from this folder');
      expect(steps).toContain('Delete any InferenceModel or InferenceObjective that still points at the alpha pool');
      expect(steps).toContain('releases/download/v0.3.0/manifests.yaml');
    });

    test('then 02-install-ga holds the GA pool, EPP, objectives and a route to the GA pool only, all valid', () => {
      expectValid(installed);
      expect(only(installed, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([
        { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga', weight: 100 },
      ]);
      expect(installed.filter((o) => o.kind === 'InferenceObjective').map((o) => o.metadata.name)).toEqual(['food-review', 'base-model']);
      expect(install.manualSteps[0].commands?.join('\n')).toContain('inference.networking.k8s.io_inferencepools.yaml');
    });
  });

  test('given the alpha stack carried from Git and the alpha CRDs of v0.5.1, then 01 prunes it all and names v0.5.1', () => {
    const migration = new SimpleMigration(Testing.app(), 's', {
      alphaPool: { manifests: CarriedManifest.fromObjects(alphaStack()) },
      gateway: { name: 'inference-gateway' },
      alphaCrdVersion: 'v0.5.1',
    });
    expect(GitOpsWriter.synthesizeStage(migration.stages[0])).toEqual([]);
    const steps = migration.stages[0].manualSteps.flatMap((s) => s.commands ?? []).join('\n');
    expect(steps).toContain('releases/download/v0.5.1/manifests.yaml');
    expect(steps).not.toContain('helm uninstall');
    const installed: any[] = GitOpsWriter.synthesizeStage(migration.stages[1]);
    expectValid(installed);
    // The objective converted from the carried InferenceModel (Critical).
    expect(only(installed, 'InferenceObjective').spec.priority).toBe(1);
  });

  test('given a selected stage, then app.synth() renders it in the enclosing chart\'s namespace; no selection fails', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform', { namespace: 'llm' });
    const m = new SimpleMigration(chart, 'simple', {
      alphaPool: { existing: { name: 'a-alpha', modelServerSelector: { app: 'a' } } },
      gateway: { name: 'gw' },
      activeStage: '02-install-ga',
    });
    const objects = Testing.synth(chart);
    expect(only(objects, 'InferencePool').metadata.namespace).toBe('llm');
    expect(only(objects, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'a-ga', weight: 100 }]);
    expect(m.stages.map((s) => s.folderName)).toEqual(['01-remove-alpha', '02-install-ga']);
    const other = Testing.app();
    new SimpleMigration(new Chart(other, 'platform'), 'simple', { alphaPool: { existing: { name: 'a-alpha', modelServerSelector: { app: 'a' } } }, gateway: { name: 'gw' } });
    expect(() => other.synth()).toThrow(/no active stage of migration simple is selected/);
  });
});
