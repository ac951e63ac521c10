import { checkEnv, checkResources, isQuantity } from '../../src/core/pod-values';

describe('isQuantity', () => {
  // apimachinery pkg/api/resource/quantity.go@v0.34.0: a number, then a binary-SI, decimal-SI or exponent suffix.
  test.each(['0', '2', '500m', '0.5', '.5', '1.', '1Gi', '512Mi', '1Ki', '2Ei', '100k', '1M', '1e3', '1E-2', '250u', '10n'])('given %p, then it is a quantity', (q) => {
    expect(isQuantity(q)).toBe(true);
  });
  test.each(['', '-1', '+1', '1GB', '1gi', '1 Gi', 'Gi', '1.5.5', '1e', 'lots', '1K'])('given %p, then it is not', (q) => {
    expect(isQuantity(q)).toBe(false);
  });
  test('given a number, then it is not (quantities are text in the props)', () => {
    expect(isQuantity(2)).toBe(false);
  });
});

describe('checkEnv', () => {
  test('given entries with values and sources, then they come back in order', () => {
    const env = [{ name: 'B', value: '1' }, { name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
    expect(checkEnv('app/epp', 'env', env)).toEqual(env);
  });
  test('given an empty value beside a source, then it is accepted (as the API server does)', () => {
    expect(() => checkEnv('app/epp', 'env', [{ name: 'A', value: '', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }])).not.toThrow();
  });
  test('given a divisor that is not a quantity, then the error names its path', () => {
    expect(() => checkEnv('app/epp', 'env', [{ name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1 m' } } }]))
      .toThrow(/^app\/epp: 'env\[0\]\.valueFrom\.resourceFieldRef\.divisor' must be a quantity/);
  });
  test('given a value that is not a string, then the error names it', () => {
    expect(() => checkEnv('app/epp', 'env', [{ name: 'A', value: 1 as any }])).toThrow(/'env\[0\]\.value' must be a string \(got 1\)/);
  });
});

describe('checkResources', () => {
  test('given requests and limits, then they come back; empty maps are left out', () => {
    expect(checkResources('app/epp', 'resources', { requests: { 'cpu': '1', 'nvidia.com/gpu': '1' }, limits: {} }))
      .toEqual({ requests: { 'cpu': '1', 'nvidia.com/gpu': '1' } });
    expect(checkResources('app/epp', 'resources', {})).toBeUndefined();
  });
  test('given a quantity as a number, then the error asks for text', () => {
    expect(() => checkResources('app/epp', 'resources', { limits: { cpu: 2 as any } })).toThrow(/'resources\.limits\.cpu' must be a quantity .* \(got 2\)/);
  });
});
