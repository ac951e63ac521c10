/**
 * Scalars are typed as the API server's decoder types them. Each row of test/fixtures/yaml-scalars.json
 * is a YAML document and the JSON value sigs.k8s.io/yaml v1.6.0's YAMLToJSON gives for it, and each row
 * of yaml-scalars-refused.json one it refuses (with the start of its error), both checked against
 * sigs.k8s.io/yaml itself; the real-cluster tests (TestYAMLScalars) run the first file through it again. Here the reader of every command (yamlToJson, parseYamlText) must agree row by row,
 * and what the tool writes (toYaml) must read back the same through those rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { formatFloat32, goScalar, KUBERNETES_YAML } from '../../src/core/kubernetes-yaml';
import { parseYamlText, yamlToJson } from '../../src/discover/yaml-documents';
import { toYaml } from '../../src/migration/manifests';
import { ManifestValidator } from '../../src/validation';

interface Row {
  readonly yaml: string;
  readonly json?: unknown;
  readonly error?: string;
  readonly source: string;
}

const fixture = (name: string): Row[] => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8'));
const ROWS: Row[] = [...fixture('yaml-scalars.json'), ...fixture('yaml-scalars-refused.json')];

describe('the table of YAML scalars, as sigs.k8s.io/yaml reads them', () => {
  test('keeps the two kinds of rows apart: every row of yaml-scalars.json has a JSON value, every row of yaml-scalars-refused.json an error', () => {
    expect(fixture('yaml-scalars.json').filter((r) => !('json' in r) || 'error' in r)).toEqual([]);
    expect(fixture('yaml-scalars-refused.json').filter((r) => 'json' in r || typeof r.error !== 'string')).toEqual([]);
  });

  test('holds the cases the issue names, each with its source', () => {
    const yamls = ROWS.map((r) => r.yaml);
    for (const y of ['2024-01-01', '0o12', '012', '1_000', 'on', 'yes', 'y', '1e3', 'v: .inf', 'v: ~']) expect(yamls).toContain(y);
    for (const r of ROWS) expect(r.source).toMatch(/go-yaml v2|sigs\.k8s\.io\/yaml/);
    expect(ROWS.length).toBeGreaterThan(100);
  });

  test.each(ROWS.filter((r) => r.error === undefined).map((r) => [r.yaml, r.json]))('given %j, then the reader gives %j', (yaml, json) => {
    expect(yamlToJson(yaml as string)).toEqual(json);
  });

  test.each(ROWS.filter((r) => r.error !== undefined).map((r) => [r.yaml, r.error]))('given %j, then the reader refuses it as YAMLToJSON does (%s)', (yaml) => {
    expect(() => yamlToJson(yaml as string)).toThrow(/^line 1: /);
  });

  test.each(ROWS.filter((r) => r.error === undefined && typeof r.json === 'string').map((r) => [r.json]))('given the string %j in a manifest the tool writes, then it reads back as that string', (text) => {
    const written = toYaml([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { key: text } }]);
    expect(yamlToJson(written)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { key: text } });
  });
});

describe('objects the issue names', () => {
  test('given a ConfigMap named 2024-01-01 and a label released: 2024-01-01, then both are read as the strings Kubernetes reads', () => {
    const parsed = parseYamlText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 2024-01-01\n  labels:\n    released: 2024-01-01\n', 'cm.yaml');

    expect(parsed.problems).toEqual([]);
    expect(parsed.objects[0].object.metadata).toEqual({ name: '2024-01-01', labels: { released: '2024-01-01' } });
  });

  test('given metadata.name: 0o12, then it is the integer 10, as kubectl reads it (and no metadata.name string)', () => {
    const parsed = parseYamlText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 0o12\n', 'cm.yaml');

    expect(parsed.objects).toEqual([]);
    expect(parsed.problems).toEqual([{ file: 'cm.yaml', line: 1, message: 'ConfigMap has a metadata.name that is not a string (got 10): Kubernetes reads the unquoted value so; quote it' }]);
  });

  test('given data.__proto__ and data.constructor, then both are own keys with their integer values, and both are reported by validation', () => {
    const value = yamlToJson('data:\n  __proto__: 5\n  constructor: 6\n') as any;

    expect(Object.keys(value.data)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value.data)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value.data, '__proto__')?.value).toBe(5);
    const report = new ManifestValidator().validate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: value.data }]);
    expect(report.problems.map((p) => `${p.field}: ${p.message}`)).toEqual(['data.__proto__: must be string (got integer 5)', 'data.constructor: must be string (got integer 6)']);
  });

  test('given .inf as a value at line 3, then the problem names that line', () => {
    expect(parseYamlText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {a: .inf}}\n', 'cm.yaml').problems)
      .toEqual([{ file: 'cm.yaml', line: 3, message: '.inf is not a number JSON can hold: the API server and kubectl refuse it; quote it to keep the text' }]);
  });
});

describe('goScalar and formatFloat32', () => {
  test('given the edges of 64-bit integers, then ParseInt and ParseUint decide, and beyond them the float rule', () => {
    expect(goScalar('9223372036854775808')).toMatchObject({ kind: 'int', exact: 9223372036854775808n });
    expect(goScalar('-9223372036854775809')).toEqual({ kind: 'float', value: -9223372036854775809 });
    expect(goScalar('+18446744073709551615')).toEqual({ kind: 'float', value: 18446744073709551615 });
    expect(goScalar('0x10000000000000000')).toEqual({ kind: 'str', value: '0x10000000000000000' });
  });

  test.each([[1.5, '1.5'], [1000, '1000'], [1e6, '1e+06'], [123456789, '1.2345679e+08'], [0.0001, '0.0001'], [0.00001, '1e-05'], [-2.5, '-2.5'], [0.1, '0.1']])('given %p, then FormatFloat(f, g, -1, 32) is %p', (f, text) => {
    expect(formatFloat32(f)).toBe(text);
  });

  test('given the yaml package with KUBERNETES_YAML, then it reads 0o12 as 10 and writes the string "0o12" quoted', () => {
    expect(YAML.parse('v: 0o12', KUBERNETES_YAML)).toEqual({ v: 10 });
    expect(YAML.stringify({ v: '0o12' }, KUBERNETES_YAML)).toBe('v: "0o12"\n');
  });
});
