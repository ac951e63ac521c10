import { CarriedManifest, InferenceObjective, InferencePoolAlpha, InferencePoolGa } from '../../src';
import { GUIDE_OBJECTIVES } from '../fixtures/guide-000';
import { newChart, only, parseYamlDocs, synthValid, validator } from '../util';


function gaPool(chart = newChart(), namespace?: string) {
  return new InferencePoolGa(chart, 'pool', { name: 'vllm-llama3-8b-instruct-ga', namespace, modelServerSelector: { app: 'vllm-llama3-8b-instruct' } });
}

function model(spec: any, name = 'food-review'): CarriedManifest {
  return CarriedManifest.fromObject({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name }, spec: { poolRef: { name: 'vllm-llama3-8b-instruct-alpha' }, ...spec } });
}

describe('InferenceObjective', () => {
  test('given the guide\'s objectives, then they equal the guide\'s YAML with the poolRef kind written out', () => {
    const chart = newChart();
    const pool = gaPool(chart);
    new InferenceObjective(chart, 'food-review', { name: 'food-review', priority: 1, pool });
    new InferenceObjective(chart, 'base-model', { name: 'base-model', priority: 2, pool });
    const objectives = synthValid(chart).filter((o) => o.kind === 'InferenceObjective');

    const guide = parseYamlDocs(GUIDE_OBJECTIVES);
    for (const o of guide) {
      o.metadata.namespace = 'default';
      o.spec.poolRef.kind = 'InferencePool';
    }
    expect(objectives).toEqual(guide);
    expect(validator().validate(objectives).defaultsApplied).toEqual([]);
  });

  test('given no name, then the name is generated from the construct path as cdk8s names objects (the id is an id)', () => {
    const chart = newChart();
    const objective = new InferenceObjective(chart, 'chat', { pool: gaPool(chart) });
    expect(objective.name).toMatch(/^test-chat-[0-9a-f]{8}$/);
    expect(only(synthValid(chart), 'InferenceObjective').metadata.name).toBe(objective.name);
  });

  test('given labels and annotations, then the objective carries them', () => {
    const chart = newChart();
    new InferenceObjective(chart, 'chat', { name: 'chat', pool: gaPool(chart), metadata: { labels: { team: 'ml' }, annotations: { 'example.com/owner': 'ml-platform' } } });
    expect(only(synthValid(chart), 'InferenceObjective').metadata).toEqual({
      name: 'chat', namespace: 'default', labels: { team: 'ml' }, annotations: { 'example.com/owner': 'ml-platform' },
    });
  });

  test('given no priority, then priority 0 is written', () => {
    const chart = newChart();
    new InferenceObjective(chart, 'chat', { pool: gaPool(chart) });
    expect(only(synthValid(chart), 'InferenceObjective').spec.priority).toBe(0);
  });

  // Alpha EPPs shed Standard and Sheddable alike and never Critical; v1 EPPs shed exactly the negative priorities.
  test.each([
    ['Critical', 1],
    ['Standard', -1],
    ['Sheddable', -2],
    [undefined, -1],
  ])('given an InferenceModel of criticality %p, then the objective has priority %p, by sign what alpha did', (criticality, priority) => {
    const chart = newChart();
    const objective = InferenceObjective.fromInferenceModel(chart, 'o', { inferenceModel: model(criticality ? { criticality } : {}), pool: gaPool(chart) });
    const out = only(synthValid(chart), 'InferenceObjective');
    expect(out.metadata.name).toBe('food-review');
    expect(out.spec.priority).toBe(priority);
    // A negative priority acts only on requests that name the objective in a header: the conversion says so.
    expect(objective.conversionWarnings).toEqual(priority < 0 ? [expect.stringMatching(/x-gateway-inference-objective: food-review/)] : []);
  });

  test('given overridden priorities, then they are used', () => {
    const chart = newChart();
    InferenceObjective.fromInferenceModel(chart, 'o', { inferenceModel: model({ criticality: 'Critical' }), pool: gaPool(chart), priorities: { critical: 10 } });
    expect(only(synthValid(chart), 'InferenceObjective').spec.priority).toBe(10);
  });

  test('given a Critical model whose targetModels rename it, then the conversion names the rewrite and how to keep it, never silently', () => {
    const chart = newChart();
    const objective = InferenceObjective.fromInferenceModel(chart, 'o', {
      inferenceModel: model({ criticality: 'Critical', modelName: 'meta-llama/Llama-3.1-8B-Instruct', targetModels: [{ name: 'a', weight: 50 }, { name: 'b', weight: 50 }] }),
      pool: gaPool(chart),
    });
    expect(objective.conversionWarnings).toEqual([
      expect.stringMatching(/targetModels \(a=50, b=50\) rewrite model "meta-llama\/Llama-3.1-8B-Instruct": an InferenceModelRewrite keeps that on an EPP of GIE v1.3.0 or later; .*x-gateway-model-name-rewrite/),
    ]);
  });

  test('given targetModels that only name the model itself, then nothing is reported (identity, whatever the weight)', () => {
    const chart = newChart();
    const objective = InferenceObjective.fromInferenceModel(chart, 'o', {
      inferenceModel: model({ criticality: 'Critical', modelName: 'food-review', targetModels: [{ name: 'food-review', weight: 7 }] }),
      pool: gaPool(chart),
    });
    expect(objective.conversionWarnings).toEqual([]);
  });

  describe('bad input', () => {
    test('an alpha pool is rejected: its EPP reads InferenceModels, not objectives', () => {
      const chart = newChart();
      const alpha = InferencePoolAlpha.fromExisting(chart, 'alpha', { name: 'a', modelServerSelector: { app: 'x' } });
      expect(() => new InferenceObjective(chart, 'o', { pool: alpha })).toThrow(/test\/o: 'pool' must be a GA pool \(group inference.networking.k8s.io\)/);
    });
    test('a namespace other than the pool\'s is rejected', () => {
      const chart = newChart();
      expect(() => new InferenceObjective(chart, 'o', { pool: gaPool(chart, 'models'), namespace: 'other' })).toThrow(/^test\/o: conflicting namespaces: 'namespace' is "other", but the pool vllm-llama3-8b-instruct-ga is in namespace "models"; poolRef cannot cross namespaces, so objectives live in their pool's namespace: set 'namespace' to "models", or leave it out$/);
    });
    test('a non-integer priority is rejected', () => {
      const chart = newChart();
      expect(() => new InferenceObjective(chart, 'o', { pool: gaPool(chart), priority: 1.5 })).toThrow(/'priority' must be an integer in -2147483648\.\.2147483647 \(got 1.5\)/);
    });
    test('a bad name is rejected', () => {
      const chart = newChart();
      expect(() => new InferenceObjective(chart, 'o', { pool: gaPool(chart), name: 'Food Review' })).toThrow(/'name' must be a DNS-1123 subdomain/);
    });
    test('an InferenceModel with an unknown criticality is rejected with the allowed values', () => {
      const chart = newChart();
      expect(() => InferenceObjective.fromInferenceModel(chart, 'o', { inferenceModel: model({ criticality: 'Urgent' }), pool: gaPool(chart) }))
        .toThrow(/test\/o: 'inferenceModel' cannot be converted: InferenceModel food-review: 'spec.criticality' must be one of Critical, Standard, Sheddable \(got "Urgent"\)/);
    });
  });
});
