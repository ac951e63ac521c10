import { fitFileName, MAX_NAME_BYTES, sideName } from '../../src/output';

describe('file names within the file system limit', () => {
  test('given a name that fits, then it is kept as it is', () => {
    expect(fitFileName('inferencepool-llm', '.yaml')).toBe('inferencepool-llm.yaml');
  });

  test('given a 253-character Kubernetes name, then the file name is cut to 255 bytes with a hash of the full name, the same every time', () => {
    const name = `inferenceobjective-${'a'.repeat(60)}.${'b'.repeat(192)}`;
    const fitted = fitFileName(name, '.yaml');

    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(fitted).toMatch(/^inferenceobjective-a{60}\.b+-[0-9a-f]{10}\.yaml$/);
    expect(fitFileName(name, '.yaml')).toBe(fitted);
    expect(fitFileName(`${name}x`, '.yaml')).not.toBe(fitted);
  });

  test('given multi-byte characters at the cut, then no character is split', () => {
    const fitted = fitFileName('é'.repeat(200), '.yaml');
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(fitted).toMatch(/^é+-[0-9a-f]{10}\.yaml$/);
  });

  test('given a long folder name, then the names kept beside it are shortened too', () => {
    expect(sideName('out', 'lock')).toBe('.out.inference-migrate-lock');
    expect(Buffer.byteLength(sideName('x'.repeat(255), 'journal.json'))).toBeLessThanOrEqual(MAX_NAME_BYTES - 24);
  });
});
