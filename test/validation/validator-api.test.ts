import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_CRD_BUNDLES, ManifestValidator } from '../../src/validation';
import { escapePropertyName, evaluateRules, rulePath } from '../../src/validation/cel';
import { compileSchema } from '../../src/validation/structural';

describe('ManifestValidator construction', () => {
  test('the default bundles are the inference migration bundles', () => {
    expect(DEFAULT_CRD_BUNDLES).toEqual(['gie-v1.0.2', 'gie-v0.3.0', 'gateway-api-v1.3.0', 'kserve-v0.15.1', 'llamastack-operator-pr253']);
  });

  test('two bundles defining the same group/version/kind are rejected', () => {
    // Given two Gateway API versions
    // When both are selected
    // Then construction fails and names both bundles
    expect(() => new ManifestValidator({ crdBundles: ['gateway-api-v1.2.1', 'gateway-api-v1.3.0'] }))
      .toThrow(/crd bundles 'gateway-api-v1.2.1' and 'gateway-api-v1.3.0' both define gateway\.networking\.k8s\.io\/v1 \w+: select only one of them/);
  });

  test('an unknown bundle is rejected with the known ones', () => {
    expect(() => new ManifestValidator({ crdBundles: ['gie-v9'] })).toThrow(/unknown crd bundle 'gie-v9': known bundles are gie-v1\.0\.2, /);
  });

  test('a missing crd file says how to fetch it', () => {
    // Given an empty crd directory
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    // When a validator is created on it
    // Then the error names the file and the fetch command
    expect(() => new ManifestValidator({ crdBundles: ['gie-v1.0.2'], crdDir: empty }))
      .toThrow(/crd file 'gie-v1\.0\.2\/inference\.networking\.k8s\.io_inferencepools\.yaml' of bundle 'gie-v1\.0\.2' is missing .*: run `npx projen fetch-crds`/);
  });
});

describe('reporting helpers', () => {
  const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } };

  test('formatProblems writes one line per problem', () => {
    const text = ManifestValidator.formatProblems([
      { object: 'HTTPRoute default/r', field: 'spec.rules[0].backendRefs[0].weight', message: 'must be <= 1000000 (got 2000000)', source: 'schema' },
      { object: 'Widget w', field: '', message: 'no schema is known', source: 'unknown-kind' },
    ]);
    expect(text).toBe([
      'HTTPRoute default/r: spec.rules[0].backendRefs[0].weight: must be <= 1000000 (got 2000000) [schema]',
      'Widget w: no schema is known [unknown-kind]',
    ].join('\n'));
  });

  test('given no problems, then formatProblems says so instead of printing an empty line', () => {
    expect(ManifestValidator.formatProblems([])).toBe('no problems');
  });

  test('validateOrThrow throws with every problem and returns the report otherwise', () => {
    expect(() => ManifestValidator.validateOrThrow([widget])).toThrow(/^manifest validation found 1 problem:\nWidget default\/w: no schema is known for example\.com\/v1 Widget/);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } };
    expect(ManifestValidator.validateOrThrow([cm]).objectsChecked).toBe(1);
  });

  test('validate does not change its input', () => {
    // Given a route that would be defaulted and pruned
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'default' },
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [{ kind: 'Service', name: 's', port: 80 }] }], bogus: 1 },
      status: { parents: [] },
    };
    const before = JSON.stringify(route);
    // When it is validated
    new ManifestValidator().validate([route]);
    // Then the caller's object is untouched
    expect(JSON.stringify(route)).toBe(before);
  });
});

describe('CEL helpers', () => {
  test.each([
    ['namespace', '__namespace__'],
    ['if', '__if__'],
    ['port', 'port'],
    ['a__b', 'a__underscores__b'],
    ['x-y.z/w', 'x__dash__y__dot__z__slash__w'],
    ['1st', undefined],
    ['with space', undefined],
  ])('property %s is seen by CEL as %s', (name, escaped) => {
    expect(escapePropertyName(name)).toBe(escaped);
  });

  test.each([
    ['spec.endpointPickerRef', '.port', 'spec.endpointPickerRef.port'],
    ['', '.spec.x', 'spec.x'],
    ['spec.labels', "['a/b']", 'spec.labels.[a/b]'],
    ['spec', undefined, 'spec'],
  ])('rule fieldPath under %s: %s -> %s', (base, fieldPath, expected) => {
    expect(rulePath(base, fieldPath)).toBe(expected);
  });
});

describe('CEL evaluation against a schema', () => {
  // A hand-written structural schema exercising the value conversions: integers, int-or-string, maps, reserved words.
  const schema = compileSchema({
    'type': 'object',
    'properties': {
      namespace: { type: 'string' },
      replicas: { type: 'integer' },
      ratio: { type: 'number' },
      port: { 'x-kubernetes-int-or-string': true },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
    'x-kubernetes-validations': [
      { rule: "self.__namespace__ == 'ns'", message: 'namespace must be ns' },
      { rule: 'self.replicas + 1 == 3', message: 'replicas must be 2' },
      { rule: 'self.ratio < 1.0', message: 'ratio must be below 1' },
      { rule: "type(self.port) == int ? self.port > 0 : self.port == 'http'", message: 'bad port' },
      { rule: "self.labels.all(k, k.contains('/')) && self.labels['a/b'] == 'c'", messageExpression: "'labels: ' + string(self.labels.size())" },
      { rule: 'self.replicas > 5', fieldPath: '.replicas' },
      { rule: 'self.replicas == oldSelf.replicas' },
    ],
  });

  function run(value: any): { problems: any[]; evaluated: number; skipped: number } {
    const out = { problems: [] as any[], evaluated: 0, skipped: 0 };
    evaluateRules(value, schema, 'spec', {
      evaluated: () => out.evaluated++,
      skipped: () => out.skipped++,
      problem: (p) => out.problems.push(p),
    });
    return out;
  }

  test('values are converted by schema type and each failing rule gives its message', () => {
    // Given a value where only the fieldPath rule and the labels rule fail
    const result = run({ namespace: 'ns', replicas: 2, ratio: 0.5, port: 8080, labels: { 'a/b': 'c', 'plain': 'x' } });
    // Then integers are CEL ints, the reserved word is escaped, the map keeps its keys, messageExpression is used
    expect(result.problems).toEqual([
      { field: 'spec', rule: "self.labels.all(k, k.contains('/')) && self.labels['a/b'] == 'c'", message: 'labels: 2' },
      { field: 'spec.replicas', rule: 'self.replicas > 5', message: 'failed rule: self.replicas > 5' },
    ]);
    expect(result.evaluated).toBe(6);
    expect(result.skipped).toBe(1);
  });

  test('an int-or-string holding a string is a CEL string', () => {
    // Given replicas 6 (so only the replicas rule fails) and a string port
    const result = run({ namespace: 'ns', replicas: 6, ratio: 0.5, port: 'http', labels: { 'a/b': 'c' } });
    // Then the port rule takes its string branch and passes
    expect(result.problems.map((p) => p.message)).toEqual(['replicas must be 2']);
  });
});
