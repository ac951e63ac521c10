import { ManifestMemo, sortedJson, stableJson } from '../../src/migration/manifests';

describe('stableJson', () => {
  test('given two objects that differ only in key order, at any depth, then the text is the same', () => {
    // Given the same manifest written with keys in two orders
    const a = { kind: 'Service', metadata: { name: 'epp', labels: { b: '2', a: '1' } }, spec: { ports: [{ port: 9002, name: 'grpc' }] } };
    const b = { spec: { ports: [{ name: 'grpc', port: 9002 }] }, metadata: { labels: { a: '1', b: '2' }, name: 'epp' }, kind: 'Service' };
    // When both are rendered; Then the text is equal and sorted
    expect(stableJson(a)).toBe(stableJson(b));
    expect(stableJson(a)).toBe('{"kind":"Service","metadata":{"labels":{"a":"1","b":"2"},"name":"epp"},"spec":{"ports":[{"name":"grpc","port":9002}]}}');
  });

  test('given lists in another order or another value, then the text differs', () => {
    expect(stableJson({ l: [1, 2] })).not.toBe(stableJson({ l: [2, 1] }));
    expect(stableJson({ a: '1' })).not.toBe(stableJson({ a: 1 }));
  });

  test('given undefined members, then they are left out as JSON.stringify does; scalars render as JSON', () => {
    expect(stableJson({ b: undefined, a: [undefined] })).toBe('{"a":[null]}');
    expect(stableJson('x')).toBe('"x"');
    expect(stableJson(null)).toBe('null');
  });

  test('given a cycle, then it throws as JSON.stringify does', () => {
    const o: any = { a: 1 };
    o.self = o;
    expect(() => sortedJson(o)).toThrow(TypeError);
  });
});

describe('ManifestMemo', () => {
  test('given equal objects, then the result is computed once; other values, key orders and non-JSON values get their own', () => {
    // Given a memo that counts its computations
    const seen: any[] = [];
    const memo = new ManifestMemo((o) => {
      seen.push(o);
      return seen.length;
    });
    // When it is asked for equal objects (distinct instances), another value, another key order,
    // and values JSON shows as null or leaves out
    const first = memo.get({ kind: 'Service', metadata: { name: 'a' } });
    const again = memo.get({ kind: 'Service', metadata: { name: 'a' } });
    const other = memo.get({ kind: 'Service', metadata: { name: 'b' } });
    const reordered = memo.get({ metadata: { name: 'a' }, kind: 'Service' });
    const nulled = memo.get({ v: null });
    const nan = memo.get({ v: NaN });
    const omitted = memo.get({ kind: 'Service', metadata: { name: 'a', x: undefined } });
    const big = memo.get({ v: BigInt(1) });
    // Then only the equal object reuses a result
    expect([first, again, other, reordered, nulled, nan, omitted, big]).toEqual([1, 1, 2, 3, 4, 5, 6, 7]);
    expect(memo.get({ v: null })).toBe(4);
  });
});
