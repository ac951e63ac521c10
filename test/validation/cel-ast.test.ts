// The CEL expressions of the pinned CRDs are parsed when the package is built (crd-compiler.ts, parsedExpressions)
// and planned from that form at run time (cel.ts): the stored form must be the parser's, and be used.
import * as fs from 'fs';
import * as path from 'path';
import * as cel from '@bufbuild/cel';
import { celExpressionsOf, decodeCelExpr, encodeCelExpr } from '../../src/validation/cel-ast';
import { parsedExpressions } from '../../src/validation/crd-compiler';
import { crdDocumentVersions, loadCrd, readCompiledVersion } from '../../src/validation/crd-store';
import * as packageFiles from '../../src/validation/package-files';

const entries = packageFiles.readLock();

describe('CEL expressions parsed at build time', () => {
  test.each(entries.map((e) => [e.file]))('%s: every expression that parses is stored, as the parser gives it', (file) => {
    // Given every version of the pinned CRD file
    for (const { schema } of crdDocumentVersions(loadCrd(path.join(packageFiles.pinnedCrdDir(), file)))) {
      // When its expressions are parsed as the build does
      const stored = parsedExpressions(schema);
      // Then each one that parses is there, and reads back as the parser's own tree, ids and constants included
      for (const expression of celExpressionsOf(schema)) {
        let expected: unknown;
        try {
          expected = cel.parse(expression).expr;
        } catch {
          expect(stored).not.toHaveProperty([expression]);
          continue;
        }
        expect(decodeCelExpr(JSON.parse(stored[expression]))).toStrictEqual(expected);
      }
    }
  });

  test('the package\'s compiled CRDs hold the parsed expressions of their schemas', () => {
    // Given the compiled form of the HTTPRoute CRD of Gateway API v1.3.0 (many CEL rules)
    const index = JSON.parse(fs.readFileSync(path.join(packageFiles.compiledCrdDir(), 'index.json'), 'utf8'));
    const entry = index.files['gateway-api-v1.3.0/gateway.networking.k8s.io_httproutes.yaml'];
    const v1 = entry.versions.find((v: any) => v.name === 'v1');
    const compiled = readCompiledVersion(path.join(packageFiles.compiledCrdDir(), v1.compiled));
    // Then every expression of its schema is stored
    const expressions = [...celExpressionsOf(compiled.schema)];
    expect(expressions.length).toBeGreaterThan(10);
    expect(Object.keys(compiled.rules ?? {}).sort()).toEqual(expressions.sort());
  });

  test('int and uint constants, negative numbers, bytes and nested calls read back exactly', () => {
    const expr = cel.parse("self.all(x, x.port > -5 && x.port < 70000u) && b'\\x00\\xff' != b'' && 1.5 > 0.0 && 'a'.startsWith('a')").expr;
    const json = JSON.parse(JSON.stringify(encodeCelExpr(expr)));
    expect(decodeCelExpr(json)).toStrictEqual(expr);
    // And a plan of the stored form gives the parser's results
    const run = (e: unknown) => cel.plan(cel.celEnv(), e as any)({ self: [{ port: BigInt(8000) }] } as any);
    expect(run(decodeCelExpr(json))).toBe(true);
    expect(run(decodeCelExpr(json))).toBe(run(expr));
  });

  test('a value JSON cannot keep exactly is refused, not written wrong', () => {
    expect(() => encodeCelExpr({ a: NaN })).toThrow('a parsed CEL expression holds a value JSON cannot keep (number)');
    expect(() => encodeCelExpr({ a: new Map() })).toThrow('cannot keep');
    expect(() => encodeCelExpr({ $bigint: '1' })).toThrow('a parsed CEL expression has a field named $bigint');
  });
});

describe('validation with the stored expressions', () => {
  test('given an HTTPRoute that breaks a CEL rule, then the rule is reported without parsing any stored expression', () => {
    jest.isolateModules(() => {
      // Given a fresh process state whose CEL parser counts its calls
      const actual = jest.requireActual('@bufbuild/cel');
      const parse = jest.fn(actual.parse);
      jest.doMock('@bufbuild/cel', () => ({ ...actual, parse }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ManifestValidator } = require('../../src/validation');
      // When an HTTPRoute with two parentRefs to the same Gateway without sectionName is validated
      const report = new ManifestValidator().validate([{
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r', namespace: 'default' },
        spec: { parentRefs: [{ name: 'gw' }, { name: 'gw' }], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] },
      }]);
      // Then the CEL rule is reported, CEL rules ran, and the parser was never called
      expect(report.problems.map((p: any) => p.source)).toContain('cel');
      expect(report.celRulesEvaluated).toBeGreaterThan(5);
      expect(parse).not.toHaveBeenCalled();
    });
  });
});
