// The pinned CRDs compiled at build time (imports/compiled: schemas without descriptions, ajv's standalone code)
// validate exactly as the CRD files read from YAML and compiled at run time: same problems (messages, fields,
// sources, rules), same defaults, same CEL counts, for every version of every pinned CRD, on objects built from each
// schema and on many broken variants of them.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManifestValidator } from '../../src/validation';
import { compactSchema, compileCrds } from '../../src/validation/crd-compiler';
import { COMPILED_FORMAT, crdDocumentHeader, crdDocumentVersions, loadCrd } from '../../src/validation/crd-store';
import * as openapi from '../../src/validation/openapi';
import * as packageFiles from '../../src/validation/package-files';
import { compileRootSchema } from '../../src/validation/structural';

const entries = packageFiles.readLock();
const yamlDir = packageFiles.pinnedCrdDir();
const versionsOf = (file: string) => crdDocumentVersions(loadCrd(path.join(yamlDir, file)));

describe('the compact schema', () => {
  test.each(entries.map((e) => [e.file]))('%s: same structural and draft-07 schemas as the full one', (file) => {
    // Given every version of the CRD file, with and without descriptions
    for (const { schema } of versionsOf(file)) {
      const compact = compactSchema(schema);
      // Then it is no larger (some CRDs come without descriptions), and everything the validator builds from it is the same
      expect(JSON.stringify(compact).length).toBeLessThanOrEqual(JSON.stringify(schema).length);
      expect(compileRootSchema(compact)).toEqual(compileRootSchema(schema));
      expect(openapi.rootJsonSchema(compact)).toEqual(openapi.rootJsonSchema(schema));
    }
  });

  test('a property named description is kept; the description of a schema node is not', () => {
    const schema = {
      type: 'object',
      description: 'a thing',
      properties: { description: { type: 'string', description: 'what it is' }, items: { type: 'array', items: { type: 'string', description: 'x' } } },
      anyOf: [{ required: ['description'], description: 'y' }],
    };
    expect(compactSchema(schema)).toEqual({
      type: 'object',
      properties: { description: { type: 'string' }, items: { type: 'array', items: { type: 'string' } } },
      anyOf: [{ required: ['description'] }],
    });
  });
});

/** A value for a schema node: every declared property, the first enum value, the minimum, one item. */
function sample(schema: any, depth = 0): any {
  if (!schema || typeof schema !== 'object' || depth > 12) return undefined;
  if (schema.default !== undefined && depth > 6) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema['x-kubernetes-int-or-string']) return 8080;
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries<any>(schema.properties ?? {})) {
        const value = sample(sub, depth + 1);
        if (value !== undefined) out[name] = value;
      }
      if (typeof schema.additionalProperties === 'object') out.key = sample(schema.additionalProperties, depth + 1) ?? 'v';
      if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) out.free = { form: 1 };
      return out;
    }
    case 'array': {
      const item = sample(schema.items, depth + 1);
      return item === undefined ? [] : [item];
    }
    case 'string': return schema.format === 'date-time' ? '2024-01-01T00:00:00Z' : 'a';
    case 'integer': return schema.minimum ?? 1;
    case 'number': return 1.5;
    case 'boolean': return true;
    default: return undefined;
  }
}

type Mutation = (parent: any, key: string | number) => void;

/** Ways to break a field: each replaces (or removes) the value at parent[key], or adds a field beside it. */
const MUTATIONS: Mutation[] = [
  (p, k) => { if (Array.isArray(p)) p.splice(Number(k), 1); else delete p[k]; },
  (p, k) => { p[k] = null; },
  (p, k) => { p[k] = typeof p[k] === 'string' ? 12 : 'text'; },
  (p, k) => { p[k] = typeof p[k] === 'number' ? -(2 ** 40) : 'x'.repeat(300); },
  (p, k) => { p[k] = typeof p[k] === 'number' ? 2 ** 40 : '!! Not Valid'; },
  (p, k) => { p[k] = Array.isArray(p[k]) ? [...p[k], ...p[k]] : [p[k], p[k]]; },
  (p, k) => { p[k] = typeof p[k] === 'object' && p[k] !== null && !Array.isArray(p[k]) ? { ...p[k], notDeclared: 1 } : {}; },
  (p, k) => { if (!Array.isArray(p)) p[`${k}Typo`] = p[k]; },
  (p, k) => { p[k] = ''; },
];

/** Paths (parent path and key) of every value of an object. */
function paths(value: any, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...at, i]); paths(v, [...at, i], out); });
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.push([...at, k]); paths(v, [...at, k], out); }
  return out;
}

/** The valid-looking object of a CRD version, and broken variants: each mutation on a spread of its fields. */
function corpus(group: string, kind: string, scope: string, version: string, schema: any, limit: number): any[] {
  const { metadata: _m, status: _s, ...body } = sample(schema) ?? {};
  const base = {
    ...body,
    apiVersion: `${group}/${version}`,
    kind,
    metadata: { name: 'sample', ...(scope === 'Namespaced' ? { namespace: 'default' } : {}), labels: { app: 'sample' } },
  };
  const all = paths(body);
  const step = Math.max(1, Math.floor(all.length / limit));
  const objects: any[] = [base];
  for (let i = 0; i < all.length; i += step) {
    MUTATIONS.forEach((mutate, m) => {
      // A different mutation leads on each path, so every mutation meets every kind of field.
      if ((i / step + m) % 3 !== 0) return;
      const copy = JSON.parse(JSON.stringify(base));
      const at = all[i];
      const parent = at.slice(0, -1).reduce((o: any, k) => o[k], copy);
      mutate(parent, at[at.length - 1]);
      objects.push(copy);
    });
  }
  return objects;
}

describe('compiled at build time, as read from YAML at run time', () => {
  let compiledDir: string;
  const loaded: string[] = [];

  beforeAll(() => {
    // Given the pinned CRDs compiled by the build's compiler into a directory of their own
    compiledDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compiled-crds-'));
    compileCrds(entries, yamlDir, compiledDir, 'test');
    jest.spyOn(packageFiles, 'compiledCrdDir').mockReturnValue(compiledDir);
    const load = openapi.loadStandaloneValidator;
    jest.spyOn(openapi, 'loadStandaloneValidator').mockImplementation((code, file) => {
      loaded.push(file);
      return load(code, file);
    });
  });

  afterAll(() => {
    jest.restoreAllMocks();
    fs.rmSync(compiledDir, { recursive: true, force: true });
  });

  test('the index lists every pinned file with its sha256, group, kind, scope and versions', () => {
    const index = JSON.parse(fs.readFileSync(path.join(compiledDir, 'index.json'), 'utf8'));
    expect(index.format).toBe(COMPILED_FORMAT);
    for (const e of entries) {
      const crd = loadCrd(path.join(yamlDir, e.file));
      expect(index.files[e.file]).toEqual({
        sha256: e.sha256,
        ...crdDocumentHeader(crd),
        versions: crdDocumentVersions(crd).map((v) => ({ name: v.name, served: v.served, compiled: expect.stringMatching(/^[0-9a-f]{16}\.json\.gz$/) })),
      });
    }
  });

  const bundles = [...new Set(entries.map((e) => e.bundle))];
  test.each(bundles.map((b) => [b]))('bundle %s: same reports on every version of every CRD', (bundle) => {
    // Given a validator on the compiled CRDs and one on the YAML files
    const compiled = new ManifestValidator({ crdBundles: [bundle] });
    const fromYaml = new ManifestValidator({ crdBundles: [bundle], crdDir: yamlDir });
    let problems = 0;
    let celRules = 0;
    let defaults = 0;
    let objects = 0;
    for (const entry of entries.filter((e) => e.bundle === bundle)) {
      const crd = loadCrd(path.join(yamlDir, entry.file));
      const { group, kind, scope } = crdDocumentHeader(crd)!;
      for (const { name, schema } of crdDocumentVersions(crd)) {
        // When each object of the version's corpus is validated by both
        for (const obj of corpus(group, kind, scope, name, schema, 40)) {
          const expected = fromYaml.validate([obj]);
          // Then both reports are equal, field by field
          expect(compiled.validate([obj])).toEqual(expected);
          problems += expected.problems.length;
          celRules += expected.celRulesEvaluated;
          defaults += expected.defaultsApplied.length;
          objects++;
        }
      }
    }
    // And the corpus did find problems and defaults, and ran CEL rules where the bundle has them
    expect(objects).toBeGreaterThan(10);
    expect(problems).toBeGreaterThan(objects / 2);
    const hasRules = entries.filter((e) => e.bundle === bundle).some((e) => fs.readFileSync(path.join(yamlDir, e.file), 'utf8').includes('x-kubernetes-validations'));
    if (hasRules) expect(celRules).toBeGreaterThan(0);
    expect(defaults + problems).toBeGreaterThan(0);
    // And the compiled form of every version was the one used
    const index = JSON.parse(fs.readFileSync(path.join(compiledDir, 'index.json'), 'utf8'));
    for (const entry of entries.filter((e) => e.bundle === bundle)) {
      for (const v of index.files[entry.file].versions) {
        if (v.served) expect(loaded).toContain(path.join(compiledDir, v.compiled));
      }
    }
  });
});
