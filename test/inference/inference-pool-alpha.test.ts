import { Testing } from 'cdk8s';
import { CarriedManifest, FailureMode, InferencePoolAlpha, InferencePoolGa } from '../../src';
import { alphaStack } from '../fixtures/alpha-stack';
import { newChart, synthValid } from '../util';

describe('InferencePoolAlpha', () => {
  test('given a pool installed by Helm, then fromExisting renders nothing and exposes what a GA pool copies', () => {
    const chart = newChart();
    const alpha = InferencePoolAlpha.fromExisting(chart, 'alpha', {
      name: 'vllm-llama3-8b-instruct-alpha',
      modelServerSelector: { app: 'vllm-llama3-8b-instruct' },
      targetPort: 8000,
      helmRelease: 'vllm-llama3-8b-instruct-alpha',
    });
    expect(Testing.synth(chart)).toEqual([]);
    expect(alpha.external).toBe(true);
    expect(alpha.poolGroup).toBe('inference.networking.x-k8s.io');
    expect(alpha.modelServerSelector).toEqual({ app: 'vllm-llama3-8b-instruct' });
    expect(alpha.targetPort).toBe(8000);
    expect(alpha.failureMode).toBe(FailureMode.FAIL_CLOSE);
    expect(alpha.endpointPickerServiceName).toBe('vllm-llama3-8b-instruct-alpha-epp');
    expect(alpha.helmRelease).toBe('vllm-llama3-8b-instruct-alpha');
  });

  test('given the alpha stack from Git, then fromManifests writes every object out unchanged', () => {
    const chart = newChart();
    const stack = alphaStack();
    const alpha = InferencePoolAlpha.fromManifests(chart, 'alpha', CarriedManifest.fromObjects(stack));
    const objects = synthValid(chart);
    expect(objects).toEqual(stack);
    expect(alpha.external).toBe(false);
    expect(alpha.poolName).toBe('vllm-llama3-8b-instruct-alpha');
    expect(alpha.targetPort).toBe(8000);
    expect(alpha.failureMode).toBe(FailureMode.FAIL_OPEN);
    expect(alpha.inferenceModelNames).toEqual(['food-review']);
  });

  test('given carried objects without namespace, then the pool takes the namespace prop but the objects stay as they were', () => {
    const chart = newChart({});
    const stack = alphaStack().map((o) => ({ ...o, metadata: { ...o.metadata, namespace: undefined } }));
    for (const o of stack) delete o.metadata.namespace;
    const alpha = new InferencePoolAlpha(chart, 'alpha', { manifests: CarriedManifest.fromObjects(stack), namespace: 'models' });
    expect(alpha.poolNamespace).toBe('models');
    expect(Testing.synth(chart).every((o: any) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('given carried objects without namespace in a namespaced chart, then the pool is in the chart\'s namespace and the objects still carry none (the chart does not add it)', () => {
    const chart = newChart({ namespace: 'llm' });
    const stack = alphaStack().map((o) => ({ ...o, metadata: { ...o.metadata, namespace: undefined } }));
    for (const o of stack) delete o.metadata.namespace;
    const alpha = InferencePoolAlpha.fromManifests(chart, 'alpha', CarriedManifest.fromObjects(stack));
    expect(alpha.poolNamespace).toBe('llm');
    expect(Testing.synth(chart).map((o: any) => o.metadata.namespace)).toEqual(stack.map(() => undefined));
  });

  test('given the alpha stack as YAML text, then allFromYaml keeps each document\'s text and the objects render as parsed', () => {
    const text = [
      '# the pool',
      'apiVersion: inference.networking.x-k8s.io/v1alpha2',
      'kind: InferencePool',
      'metadata: {name: p, namespace: llm}',
      'spec: {selector: {app: m}, targetPortNumber: 8000, extensionRef: {name: p-epp}}',
      '---',
      'apiVersion: inference.networking.x-k8s.io/v1alpha2',
      'kind: InferenceModel',
      'metadata: {name: m, namespace: llm, creationTimestamp: 2024-01-01T00:00:00Z}',
      'spec: {modelName: m, poolRef: {name: p}}',
      '',
    ].join('\n');
    const manifests = CarriedManifest.allFromYaml(text);
    expect(manifests.map((m) => `${m.kind}/${m.namespace}/${m.name}`)).toEqual(['InferencePool/llm/p', 'InferenceModel/llm/m']);
    expect(manifests.map((m) => m.yamlText).join('')).toBe(text);
    const chart = newChart();
    const alpha = InferencePoolAlpha.fromManifests(chart, 'alpha', manifests);
    // The pool is carried as given (text kept); the model loses the server-filled creationTimestamp.
    expect(alpha.manifests[0]).toBe(manifests[0]);
    expect(alpha.manifests[1].toJson()).toEqual({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferenceModel', metadata: { name: 'm', namespace: 'llm' }, spec: { modelName: 'm', poolRef: { name: 'p' } } });
    expect(Testing.synth(chart)).toHaveLength(2);
  });

  test('given an alpha pool, then InferencePoolGa.fromAlpha copies namespace, selector, port and failure mode and names it -ga', () => {
    const chart = newChart();
    const alpha = InferencePoolAlpha.fromManifests(chart, 'alpha', CarriedManifest.fromObjects(alphaStack('llm-alpha', 'models')));
    const ga = InferencePoolGa.fromAlpha(chart, 'ga', alpha);
    expect(ga.poolName).toBe('llm-ga');
    const pool = synthValid(chart).find((o) => o.apiVersion === 'inference.networking.k8s.io/v1' && o.kind === 'InferencePool');
    expect(pool.metadata.namespace).toBe('models');
    expect(pool.spec.selector.matchLabels).toEqual({ app: 'vllm-llama3-8b-instruct' });
    expect(pool.spec.targetPorts).toEqual([{ number: 8000 }]);
    expect(pool.spec.endpointPickerRef.failureMode).toBe('FailOpen');
  });

  describe('bad input', () => {
    test('neither manifests nor existing is rejected', () => {
      expect(() => new InferencePoolAlpha(newChart(), 'alpha', {})).toThrow(/test\/alpha: 'manifests' or 'existing' must be set, not both and not neither/);
    });
    test('manifests without an alpha pool are rejected', () => {
      expect(() => InferencePoolAlpha.fromManifests(newChart(), 'alpha', CarriedManifest.fromObjects(alphaStack().slice(1))))
        .toThrow(/'manifests' must hold exactly one inference.networking.x-k8s.io\/v1alpha2 InferencePool \(got 0\)/);
    });
    test('an InferenceModel of another pool is rejected', () => {
      const stack = alphaStack();
      stack[1].spec.poolRef.name = 'other';
      expect(() => InferencePoolAlpha.fromManifests(newChart(), 'alpha', CarriedManifest.fromObjects(stack))).toThrow(/holds InferenceModel food-review, which points at pool "other"/);
    });
    test('a pool without targetPortNumber is rejected, naming the field', () => {
      const stack = alphaStack();
      delete stack[0].spec.targetPortNumber;
      expect(() => InferencePoolAlpha.fromManifests(newChart(), 'alpha', CarriedManifest.fromObjects(stack))).toThrow(/'spec.targetPortNumber' must be an integer/);
    });
    test('an object without a name is rejected when it is made a CarriedManifest', () => {
      expect(() => CarriedManifest.fromObjects([{ apiVersion: 'v1', kind: 'Service', metadata: {} }]))
        .toThrow(/CarriedManifest \(objects\[0\]\): must be a Kubernetes object with apiVersion, kind and metadata.name/);
    });
    test('a plain object where a CarriedManifest belongs is rejected, naming the factory', () => {
      expect(() => InferencePoolAlpha.fromManifests(newChart(), 'alpha', alphaStack() as any))
        .toThrow(/'manifests\[0\]' must be a CarriedManifest \(CarriedManifest.fromYaml or fromObject\)/);
    });
    test('an empty selector of a referenced pool is rejected', () => {
      expect(() => InferencePoolAlpha.fromExisting(newChart(), 'alpha', { name: 'a', modelServerSelector: {} }))
        .toThrow(/'existing.modelServerSelector' must have 1\.\.64 entries \(got 0\)/);
    });
  });
});
