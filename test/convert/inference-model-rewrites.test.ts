import { InferenceModelConverter, InferenceModelRewrite, InferencePoolGa } from '../../src';
import { CarriedManifest } from '../../src/core/carried-manifest';
import { newChart, only, synthValid } from '../util';

// What an alpha InferenceModel's targetModels did (requests naming its modelName went to the targets, by weight) and
// how the conversion keeps it as an InferenceModelRewrite rule. The InferenceModel fields are those of the v1alpha2 CRD
// (imports/crds/gie-v0.5.1/inference.networking.x-k8s.io_inferencemodels.yaml), the rewrite's those of
// imports/crds/gie-v1.4.0/inference.networking.x-k8s.io_inferencemodelrewrites.yaml.

const V14 = ['gie-v1.4.0', 'gateway-api-v1.3.0'];

function inferenceModel(spec: { [key: string]: unknown }, name = 'chat'): CarriedManifest {
  return CarriedManifest.fromObject({
    apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
    kind: 'InferenceModel',
    metadata: { name },
    spec: { criticality: 'Critical', poolRef: { name: 'vllm-llama3-8b-instruct' }, ...spec },
  });
}

/** The InferenceModelRewrite the factory writes for an InferenceModel, as synthesized YAML (validated against v1.4.0). */
function rewriteOf(model: CarriedManifest): any {
  const chart = newChart();
  const pool = new InferencePoolGa(chart, 'pool', { name: 'vllm-llama3-8b-instruct-ga', modelServerSelector: { app: 'vllm' }, gieVersion: 'v1.4.0' });
  InferenceModelRewrite.fromInferenceModel(chart, 'rw', { inferenceModel: model, pool });
  return only(synthValid(chart, V14), 'InferenceModelRewrite');
}

describe('InferenceModel targetModels as an InferenceModelRewrite', () => {
  test('given a canary that keeps half the traffic on the model itself, then the rewrite keeps both targets with their weights', () => {
    // Given chat split 50/50 between itself and the adapter chat-v2
    const model = inferenceModel({ modelName: 'chat', targetModels: [{ name: 'chat', weight: 50 }, { name: 'chat-v2', weight: 50 }] });

    // When it is converted
    const conversion = InferenceModelConverter.convert(model);
    const rewrite = rewriteOf(model);

    // Then requests for chat still go half to chat-v2: one target naming the model itself does not make the rule an identity
    expect(conversion.rewriteTargets).toBe('chat=50, chat-v2=50');
    expect(rewrite.spec.rules).toEqual([{
      matches: [{ model: { type: 'Exact', value: 'chat' } }],
      targets: [{ modelRewrite: 'chat', weight: 50 }, { modelRewrite: 'chat-v2', weight: 50 }],
    }]);
  });

  test('given an InferenceModel without modelName, then its metadata.name is the model the rewrite matches', () => {
    // Given an InferenceModel that leaves out modelName (the CRD requires it, so such a manifest lives in Git at most)
    const model = inferenceModel({ targetModels: [{ name: 'chat-v2', weight: 100 }] });

    // When it is converted
    const conversion = InferenceModelConverter.convert(model);
    const rewrite = rewriteOf(model);

    // Then the model is named by the InferenceModel's name, in the conversion and in the rewrite's match
    expect(conversion.modelName).toBe('chat');
    expect(conversion.warnings).toEqual([expect.stringMatching(/^InferenceModel chat: targetModels \(chat-v2=100\) rewrite model "chat": /)]);
    expect(rewrite.spec.rules[0].matches).toEqual([{ model: { type: 'Exact', value: 'chat' } }]);
  });

  test.each([
    ['without modelName', {}],
    ['with an empty modelName', { modelName: '' }],
  ])('given an InferenceModel %s whose only target is its own name, then there is no rewrite', (_, modelName) => {
    // Given an InferenceModel named chat whose target is chat: requests were served under the name they were sent with
    const model = inferenceModel({ ...modelName, targetModels: [{ name: 'chat', weight: 100 }] });

    // When it is converted
    const conversion = InferenceModelConverter.convert(model);

    // Then the model is chat, nothing is rewritten and the rewrite factory refuses
    expect(conversion.modelName).toBe('chat');
    expect(conversion.rewriteTargets).toBeUndefined();
    expect(conversion.warnings).toEqual([]);
    expect(() => rewriteOf(model)).toThrow(/'inferenceModel' has no targetModels that rename its model/);
  });

  test('given weights on some targets only, then a target without weight gets no traffic and is left out', () => {
    // Given a list the CRD refuses ("If a weight is set for any targetModel, it must be set for all targetModels")
    const model = inferenceModel({ modelName: 'chat', targetModels: [{ name: 'chat-v1', weight: 100 }, { name: 'chat-v2' }] });

    // When it is converted
    const conversion = InferenceModelConverter.convert(model);
    const rewrite = rewriteOf(model);

    // Then only the weighted target is kept: an InferenceModelRewrite cannot mix weighted and unweighted targets either
    expect(conversion.rewriteTargets).toBe('chat-v1=100');
    expect(rewrite.spec.rules[0].targets).toEqual([{ modelRewrite: 'chat-v1', weight: 100 }]);
  });

  test('given the largest weight the CRD allows (1000000), then the rewrite carries it', () => {
    const model = inferenceModel({ modelName: 'chat', targetModels: [{ name: 'chat-v1', weight: 1_000_000 }, { name: 'chat-v2', weight: 1 }] });

    expect(rewriteOf(model).spec.rules[0].targets).toEqual([{ modelRewrite: 'chat-v1', weight: 1_000_000 }, { modelRewrite: 'chat-v2', weight: 1 }]);
  });

  // The CRD: targetModels[].name is a required string; weight an int32 in 1..1000000 (0 was allowed by v1alpha1 only).
  test.each([
    ['a target without name', [{ weight: 50 }], '\'spec.targetModels[0].name\' must be a model name (got undefined)'],
    ['an empty target name', [{ name: 'chat-v1', weight: 50 }, { name: '', weight: 50 }], '\'spec.targetModels[1].name\' must be a model name (got "")'],
    ['a number as target name', [{ name: 42 }], '\'spec.targetModels[0].name\' must be a model name (got 42)'],
    ['an empty list item', [null], '\'spec.targetModels[0].name\' must be a model name (got undefined)'],
    ['a fractional weight', [{ name: 'chat-v1', weight: 1.5 }], '\'spec.targetModels[0].weight\' must be an integer in 0..1000000 (got 1.5)'],
    ['a negative weight', [{ name: 'chat-v1', weight: -1 }], '\'spec.targetModels[0].weight\' must be an integer in 0..1000000 (got -1)'],
    ['a weight above 1000000', [{ name: 'chat-v1', weight: 1_000_001 }], '\'spec.targetModels[0].weight\' must be an integer in 0..1000000 (got 1000001)'],
  ])('given %s, then the conversion refuses and names the field', (_, targetModels, message) => {
    // When an InferenceModel with such targetModels is converted
    const convert = () => InferenceModelConverter.convert(inferenceModel({ modelName: 'chat', targetModels }));

    // Then the error names the InferenceModel, the field and the value, instead of a rewrite to a wrong target
    expect(convert).toThrow(`InferenceModel chat: ${message}`);
    expect(() => rewriteOf(inferenceModel({ modelName: 'chat', targetModels }))).toThrow(`'inferenceModel' cannot be converted: InferenceModel chat: ${message}`);
  });
});
