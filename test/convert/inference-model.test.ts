import { InferenceModelConverter, CarriedManifest } from '../../src';
import { readAlphaPool } from '../../src/convert/inference-model';

describe('InferenceModelConverter', () => {
  // Alpha EPPs shed Standard and Sheddable under saturation, never Critical (director.go@v0.5.1); v1 EPPs shed the
  // negative priorities (admission.go@v1.4.0): the sign keeps the meaning, the order keeps flow control's order.
  test('given the default mapping, then Critical=1, Standard=-1, Sheddable=-2 and a missing criticality is Standard', () => {
    expect(InferenceModelConverter.priorityFor('Critical')).toBe(1);
    expect(InferenceModelConverter.priorityFor('Standard')).toBe(-1);
    expect(InferenceModelConverter.priorityFor('Sheddable')).toBe(-2);
    expect(InferenceModelConverter.priorityFor(undefined)).toBe(-1);
  });

  test('given overrides, then only the overridden criticalities change', () => {
    expect(InferenceModelConverter.priorityFor('Sheddable', { sheddable: -10 })).toBe(-10);
    expect(InferenceModelConverter.priorityFor('Critical', { sheddable: -10 })).toBe(1);
  });

  test('given a Critical InferenceModel, then convert returns name, namespace, model name, priority, pool and no warnings', () => {
    const result = InferenceModelConverter.convert(CarriedManifest.fromObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'base-model', namespace: 'llm' },
      spec: { modelName: 'meta-llama/Llama-3.1-8B-Instruct', criticality: 'Critical', poolRef: { name: 'p-alpha' } },
    }));
    expect(result).toEqual({ name: 'base-model', namespace: 'llm', modelName: 'meta-llama/Llama-3.1-8B-Instruct', criticality: 'Critical', priority: 1, poolName: 'p-alpha', rewriteTargets: undefined, warnings: [] });
  });

  test('given the quickstart\'s food-review (Standard, targetModels food-review-1), then the conversion names the rewrite and the objective header', () => {
    const result = InferenceModelConverter.convert(CarriedManifest.fromObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'food-review' },
      spec: { modelName: 'food-review', criticality: 'Standard', poolRef: { name: 'p' }, targetModels: [{ name: 'food-review-1', weight: 100 }] },
    }));
    expect(result.priority).toBe(-1);
    expect(result.rewriteTargets).toBe('food-review-1=100');
    expect(result.warnings).toEqual([
      expect.stringMatching(/targetModels \(food-review-1=100\) rewrite model "food-review": an InferenceModelRewrite keeps that on an EPP of GIE v1.3.0 or later/),
      expect.stringMatching(/Standard becomes priority -1, which a v1 EPP applies only to requests that carry the header x-gateway-inference-objective: food-review/),
    ]);
  });

  describe('targetModels with a weight of 0 (which receive no traffic)', () => {
    const inferenceModel = (targetModels: Array<{ name: string; weight?: number }>) => CarriedManifest.fromObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'chat' },
      spec: { modelName: 'chat', criticality: 'Critical', poolRef: { name: 'p' }, targetModels },
    });

    test('given a model split between two adapters, one of them at weight 0, then the rewrite names only the other', () => {
      // When an InferenceModel whose canary adapter is switched off (weight 0) is converted
      const result = InferenceModelConverter.convert(inferenceModel([{ name: 'chat-v1', weight: 100 }, { name: 'chat-v2', weight: 0 }]));

      // Then the rewrite keeps the adapter that served the traffic, and nothing sends requests to the one at 0
      expect(result.rewriteTargets).toBe('chat-v1=100');
      expect(result.warnings).toEqual([expect.stringMatching(/^InferenceModel chat: targetModels \(chat-v1=100\) rewrite model "chat"/)]);
    });

    test('given a model that serves itself and names another target at weight 0, then there is no rewrite at all', () => {
      const result = InferenceModelConverter.convert(inferenceModel([{ name: 'chat', weight: 10 }, { name: 'chat-next', weight: 0 }]));

      expect(result.rewriteTargets).toBeUndefined();
      expect(result.warnings).toEqual([]);
    });

    test('given every target at weight 0, then there is no rewrite (the model was served under its own name)', () => {
      expect(InferenceModelConverter.convert(inferenceModel([{ name: 'a', weight: 0 }, { name: 'b', weight: 0 }])).rewriteTargets).toBeUndefined();
    });

    test('given targets without weights, then each is kept (an even split)', () => {
      expect(InferenceModelConverter.convert(inferenceModel([{ name: 'a' }, { name: 'b' }])).rewriteTargets).toBe('a, b');
    });
  });

  test('given something that is not an InferenceModel, then the error names the field', () => {
    expect(() => InferenceModelConverter.convert(CarriedManifest.fromObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } })))
      .toThrow(/InferenceModel x: 'kind' must be InferenceModel \(got "Service"\)/);
    expect(() => InferenceModelConverter.convert(CarriedManifest.fromObject({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: 'x' }, spec: {} })))
      .toThrow(/'spec.poolRef.name' is required/);
  });

  // A Helm template whose value is unset renders `name: ""`: Kubernetes refuses the object, and so does the conversion.
  test('given an empty metadata.name or poolRef.name (an unset Helm value), then the conversion names the field', () => {
    const model = (metadataName: string, poolName: string) => CarriedManifest.fromObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: metadataName },
      spec: { modelName: 'chat', criticality: 'Critical', poolRef: { name: poolName } },
    });

    expect(() => InferenceModelConverter.convert(model('', 'p'))).toThrow("InferenceModel : 'metadata.name' is required");
    expect(() => InferenceModelConverter.convert(model('chat', ''))).toThrow("InferenceModel chat: 'spec.poolRef.name' is required");
  });

  // v1 EPPs shed exactly the negative priorities (admission.go@v1.4.0): priority 0 is the priority of a request without
  // the objective header, never shed, so no client needs the header for it.
  test('given a mapping that makes Standard priority 0, then a Standard model needs no objective header', () => {
    // Given a platform that does not want Standard requests shed
    const model = CarriedManifest.fromObject({
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceModel',
      metadata: { name: 'chat' },
      spec: { modelName: 'chat', criticality: 'Standard', poolRef: { name: 'p' } },
    });

    // When the model is converted with standard: 0
    const result = InferenceModelConverter.convert(model, { standard: 0 });

    // Then its priority is 0 and there is no warning about the header
    expect(result.priority).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  test.each([
    ['vllm-llama3-8b-instruct-alpha', undefined, 'vllm-llama3-8b-instruct-ga'],
    ['vllm-llama3-8b-instruct-preview', undefined, 'vllm-llama3-8b-instruct-ga'],
    ['my-pool', undefined, 'my-pool-ga'],
    ['my-pool-alpha', '-v1', 'my-pool-v1'],
    // Only a trailing -alpha or -preview is the alpha marker: one inside the name is part of it.
    ['team-preview-llama', undefined, 'team-preview-llama-ga'],
    ['llama-alpha-2', undefined, 'llama-alpha-2-ga'],
  ])('given alpha pool %p and suffix %p, then the GA pool is %p', (alpha, suffix, ga) => {
    expect(InferenceModelConverter.gaPoolName(alpha, suffix)).toBe(ga);
  });

  test('given a v1alpha2 pool with an unknown failure mode, then readAlphaPool names the field instead of guessing', () => {
    expect(() => readAlphaPool({ metadata: { name: 'p' }, spec: { selector: { app: 'x' }, targetPortNumber: 8000, extensionRef: { name: 'e', failureMode: 'FailOpn' } } }))
      .toThrow(/InferencePool p: 'spec.extensionRef.failureMode' must be FailOpen or FailClose \(got "FailOpn"\)/);
  });

  test('given a v1alpha2 pool, then readAlphaPool returns selector, port, failure mode and EPP (9002 implied)', () => {
    expect(readAlphaPool({
      metadata: { name: 'p', namespace: 'n' },
      spec: { selector: { app: 'x', tier: 1 }, targetPortNumber: 8000, extensionRef: { name: 'p-epp' } },
    })).toEqual({
      name: 'p', namespace: 'n', selector: { app: 'x', tier: '1' }, targetPort: 8000, failureMode: 'FailClose', endpointPickerServiceName: 'p-epp', endpointPickerPort: 9002,
    });
  });

  // The v1alpha2 InferencePool CRD requires selector (a map of labels), targetPortNumber and extensionRef.name
  // (imports/crds/gie-v0.5.1/inference.networking.x-k8s.io_inferencepools.yaml): a pool without them cannot be twinned.
  describe('given a v1alpha2 pool the GA pool cannot copy', () => {
    const alphaPool = (name: string, spec: { [key: string]: unknown }) => ({
      metadata: { name },
      spec: { selector: { app: 'vllm' }, targetPortNumber: 8000, extensionRef: { name: 'p-epp' }, ...spec },
    });

    test.each([
      ['no selector', { selector: undefined }],
      ['an empty selector (it would select every pod of the namespace)', { selector: {} }],
      ['a selector written as text', { selector: 'app=vllm' }],
      ['a selector written as a list', { selector: ['app=vllm'] }],
    ])('with %s, then readAlphaPool names spec.selector', (_, spec) => {
      expect(() => readAlphaPool(alphaPool('p', spec))).toThrow("InferencePool p: 'spec.selector' must be a non-empty map of labels");
    });

    test('with an empty name or no extensionRef.name, then readAlphaPool names the field', () => {
      expect(() => readAlphaPool(alphaPool('', {}))).toThrow("InferencePool : 'metadata.name' is required");
      expect(() => readAlphaPool(alphaPool('p', { extensionRef: { portNumber: 9002 } }))).toThrow("InferencePool p: 'spec.extensionRef.name' is required");
    });
  });
});
