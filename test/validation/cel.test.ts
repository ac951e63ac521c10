// The x-kubernetes-validations rules of a CRD given with extraCrdPaths, evaluated as the API server does on a create:
// `self` typed by the schema (ints, doubles, escaped property names, embedded resources), wrong-typed values left to
// the schema check, and each failing rule reported on its field with its message. Some rules of this CRD are refused
// by kube-apiserver when the CRD is created (rules on fields without a type, `!has(self.data)` on an embedded
// resource, a rule that does not compile or gives a string): they pin what the validator does with a CRD file it is
// given (extraCrdPaths, which no API server checked first). The rules an API server accepts, with its verdicts on
// objects, are the CEL fixture (test/fixtures/cel, cel-fixture.test.ts), which test/cluster's differential checks
// against the real kube-apiserver.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestValidator, ValidationReport } from '../../src/validation';

// Identifiers the CEL grammar reserves: a property with such a name is reachable as `__<name>__`.
const RESERVED = [
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import',
  'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
];

const rule = (text: string, message?: string, extra: Record<string, string> = {}) => ({ 'x-kubernetes-validations': [{ rule: text, message, ...extra }] });

const spec = {
  type: 'object',
  properties: {
    greeting: { type: 'string', ...rule("self.lowerAscii().startsWith('hello')", 'greeting must start with hello') },
    reserved: {
      type: 'object',
      properties: { ...Object.fromEntries(RESERVED.map((w) => [w, { type: 'string' }])), port2: { type: 'integer' } },
      ...rule(`[${RESERVED.map((w) => `self.__${w}__`).join(', ')}].all(v, v == 'set') && self.port2 == 2`, 'every field must be set'),
    },
    port: {
      'x-kubernetes-int-or-string': true,
      ...rule("type(self) == string ? self != 'forbidden' : self >= 1 && self <= 65535", 'port must be a name or 1-65535'),
    },
    tags: { type: 'array', items: { type: 'string' }, ...rule('self.size() <= 2', 'at most two tags') },
    limits: { type: 'object', properties: { cpu: { type: 'string' } }, ...rule('has(self.cpu)', 'limits must set cpu') },
    name: { type: 'string', ...rule('self.size() <= 8', 'name must be at most 8 characters') },
    enabled: { type: 'boolean', ...rule('self', 'enabled must be true') },
    replicas: { type: 'integer', ...rule('self % 2 == 0', 'replicas must be even') },
    ratio: { type: 'number', ...rule('self * 100.0 <= 100.0', 'ratio must be at most 1') },
    settings: { 'x-kubernetes-preserve-unknown-fields': true, ...rule("self.mode == 'fast'", 'settings.mode must be fast') },
    extras: { 'x-kubernetes-preserve-unknown-fields': true, ...rule('self.size() <= 2', 'at most two extras') },
    template: {
      'type': 'object',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
      'x-kubernetes-validations': [
        { rule: "self.apiVersion == 'v1' && self.kind == 'ConfigMap' && self.metadata.name.startsWith('cfg-')", message: 'template must be a v1 ConfigMap named cfg-*' },
        { rule: '!has(self.data)', message: 'template data is visible to CEL' },
      ],
    },
    motd: { type: 'string', ...rule("self.trim() != ''", 'motd must not be blank', { messageExpression: 'self' }) },
    broken: { type: 'string', ...rule('self ==', 'never used') },
    label: { type: 'string', ...rule("self + '!'", 'never used') },
    backends: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { port: { type: 'integer' } } },
      ...rule("!('primary' in self) || self['primary'].port > 0", 'the primary port must be positive', { fieldPath: "['primary'].port" }),
    },
  },
};

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.cel.example.com' },
  spec: {
    group: 'cel.example.com',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec } } },
    }],
  },
};

const crdFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cel-crd-')), 'widgets.yaml');
fs.writeFileSync(crdFile, JSON.stringify(crd, null, 2));
const validator = new ManifestValidator({ crdBundles: [], extraCrdPaths: [crdFile] });

function widget(widgetSpec: Record<string, unknown>): any {
  return { apiVersion: 'cel.example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec: widgetSpec };
}

function problemsOf(report: ValidationReport): string[] {
  return report.problems.map((p) => `${p.source} ${p.field}: ${p.message}`);
}

// Runs first: the CEL environment is made on the first rule of the file.
describe('the Kubernetes strings library', () => {
  test('a rule using lowerAscii() is evaluated with it', () => {
    // Given a greeting that starts with hello in capitals, and one that does not
    // When they are validated
    const passing = validator.validate([widget({ greeting: 'HELLO world' })]);
    const failing = validator.validate([widget({ greeting: 'bye' })]);
    // Then the first passes and the second fails the rule with its message
    expect(problemsOf(passing)).toEqual([]);
    expect(passing.celRulesEvaluated).toBe(1);
    expect(problemsOf(failing)).toEqual(['cel spec.greeting: greeting must start with hello']);
  });
});

describe('property names as CEL sees them', () => {
  test('reserved words are reached as __word__ and a digit after the first character is kept', () => {
    // Given an object with a property for every reserved word, and port2
    const reserved = { ...Object.fromEntries(RESERVED.map((w) => [w, 'set'])), port2: 2 };
    // When it is validated, and again with one reserved word unset
    const passing = validator.validate([widget({ reserved })]);
    const failing = validator.validate([widget({ reserved: { ...reserved, while: 'unset' } })]);
    // Then the rule reading them all passes, and fails with its message when one differs
    expect(problemsOf(passing)).toEqual([]);
    expect(problemsOf(failing)).toEqual(['cel spec.reserved: every field must be set']);
  });
});

describe('values of their schema type are given to the rules', () => {
  test.each([
    ['port', 'forbidden', 'port must be a name or 1-65535'],
    ['port', 0, 'port must be a name or 1-65535'],
    ['tags', ['a', 'b', 'c'], 'at most two tags'],
    ['limits', {}, 'limits must set cpu'],
    ['name', 'much-too-long', 'name must be at most 8 characters'],
    ['enabled', false, 'enabled must be true'],
    ['replicas', 3, 'replicas must be even'],
    ['ratio', 2.5, 'ratio must be at most 1'],
  ])('spec.%s = %j fails its rule', (field, value, message) => {
    // Given a valid value of the field's type that breaks its rule
    // When it is validated
    const report = validator.validate([widget({ [field]: value })]);
    // Then only the rule reports it, on the field, with its message
    expect(problemsOf(report)).toEqual([`cel spec.${field}: ${message}`]);
  });

  test.each([
    ['port', 'http'],
    ['port', 8080],
    ['enabled', true],
    ['replicas', 4],
    // An integer in a number field is a CEL double: the rule multiplies it by a double.
    ['ratio', 1],
  ])('spec.%s = %j passes its rule', (field, value) => {
    const report = validator.validate([widget({ [field]: value })]);
    expect(problemsOf(report)).toEqual([]);
    expect(report.celRulesEvaluated).toBe(1);
  });
});

describe('a value of the wrong type is left to the schema check', () => {
  test.each([
    ['port', true, 'must be integer or string (got boolean true)'],
    ['tags', 'abc', 'must be array (got string "abc")'],
    ['limits', 'abc', 'must be object (got string "abc")'],
    ['name', 12345, 'must be string (got integer 12345)'],
    ['enabled', 'yes', 'must be boolean (got string "yes")'],
    ['replicas', 1.5, 'must be integer (got number 1.5)'],
    ['ratio', 'high', 'must be number (got string "high")'],
  ])('spec.%s = %j: a schema problem, no rule is run', (field, value, message) => {
    // Given a value the field's type does not allow (its rule would fail or not evaluate on it)
    // When it is validated
    const report = validator.validate([widget({ [field]: value })]);
    // Then the schema check reports it and its rule is not evaluated
    expect(problemsOf(report)).toEqual([`schema spec.${field}: ${message}`]);
    expect(report.celRulesEvaluated).toBe(0);
  });
});

describe('fields without a type (x-kubernetes-preserve-unknown-fields)', () => {
  test('an object is given to the rule as it is', () => {
    // Given free-form settings whose mode is slow
    // When they are validated
    const report = validator.validate([widget({ settings: { mode: 'slow' } }), widget({ settings: { mode: 'fast' } })]);
    // Then the rule reads the field and fails with its message on the first only
    expect(problemsOf(report)).toEqual(['cel spec.settings: settings.mode must be fast']);
    expect(report.celRulesEvaluated).toBe(2);
  });

  test('a list is given to the rule as a list', () => {
    // Given free-form extras holding a list of three
    // When they are validated
    const report = validator.validate([widget({ extras: [1, 2, 3] }), widget({ extras: [1, 2] })]);
    // Then the rule sees the three items and fails once
    expect(problemsOf(report)).toEqual(['cel spec.extras: at most two extras']);
  });

  test('a field set to undefined (an optional value left out in TypeScript) is absent for its rule', () => {
    // Given settings present as a key with the value undefined
    // When it is validated
    const report = validator.validate([widget({ settings: undefined })]);
    // Then no rule runs on it
    expect(problemsOf(report)).toEqual([]);
    expect(report.celRulesEvaluated).toBe(0);
  });
});

describe('an embedded resource', () => {
  const template = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg-main' }, data: { key: 'value' } };

  test('CEL sees its apiVersion, kind and metadata, and not its undeclared fields', () => {
    // Given a template that is the v1 ConfigMap cfg-main, with data
    // When it is validated
    const report = validator.validate([widget({ template })]);
    // Then both rules pass: the well-known fields are visible, data is not
    expect(problemsOf(report)).toEqual([]);
    expect(report.celRulesEvaluated).toBe(2);
  });

  test.each([
    ['apiVersion', 'v2'],
    ['kind', 'Secret'],
  ])('a template with another %s fails the rule', (field, value) => {
    const report = validator.validate([widget({ template: { ...template, [field]: value } })]);
    expect(problemsOf(report)).toEqual(['cel spec.template: template must be a v1 ConfigMap named cfg-*']);
  });

  test('a template with another name fails the rule', () => {
    const report = validator.validate([widget({ template: { ...template, metadata: { name: 'other' } } })]);
    expect(problemsOf(report)).toEqual(['cel spec.template: template must be a v1 ConfigMap named cfg-*']);
  });
});

describe('what a failing rule reports', () => {
  test('a messageExpression giving only blanks falls back to the message', () => {
    // Given a blank motd, whose messageExpression (self) gives the blanks back
    // When it is validated
    const report = validator.validate([widget({ motd: '   ' }), widget({ motd: 'down for maintenance' })]);
    // Then the message is used
    expect(problemsOf(report)).toEqual(['cel spec.motd: motd must not be blank']);
  });

  test('a rule that does not compile is reported with the reason', () => {
    const report = validator.validate([widget({ broken: 'x' })]);
    expect(report.problems).toEqual([{
      object: 'Widget default/w',
      source: 'cel',
      field: 'spec.broken',
      rule: 'self ==',
      message: 'rule cannot be compiled: <input>:1:6: found = but expecting end of input',
    }]);
  });

  test('a rule giving a string instead of a bool is reported', () => {
    const report = validator.validate([widget({ label: 'x' })]);
    expect(problemsOf(report)).toEqual(['cel spec.label: rule must evaluate to a bool (got string)']);
  });

  test("a fieldPath starting with ['key'] names the map entry's field", () => {
    // Given a primary backend with port 0
    // When it is validated
    const report = validator.validate([widget({ backends: { primary: { port: 0 }, spare: { port: 1 } } })]);
    // Then the problem is on the field the rule's fieldPath names
    expect(problemsOf(report)).toEqual(['cel spec.backends.[primary].port: the primary port must be positive']);
  });
});

describe('a null value', () => {
  test('a field without a type set to null runs no rule, as on the API server', () => {
    // Given free-form settings (no type) set to null, whose rule reads self.mode
    // When it is validated
    const report = validator.validate([widget({ settings: null })]);
    // Then the rule is not run on the null: no CEL problem, nothing evaluated
    expect(problemsOf(report)).toEqual([]);
    expect(report.celRulesEvaluated).toBe(0);
  });
});
