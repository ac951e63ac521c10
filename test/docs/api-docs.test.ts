import * as fs from 'fs';
import * as path from 'path';

// The jsii assembly is what API.md and the other languages' docs are made from: every public type and
// member must say what it is, and every optional property what happens when it is left out.
const assemblyFile = path.join(__dirname, '..', '..', '.jsii');

function assembly(): any {
  if (!fs.existsSync(assemblyFile)) {
    throw new Error(`${assemblyFile} is missing: run \`npx projen compile\` (the build does) before this test`);
  }
  return JSON.parse(fs.readFileSync(assemblyFile, 'utf8'));
}

describe('API documentation', () => {
  const types: any[] = Object.values(assembly().types);

  test('the assembly holds the library\'s public types', () => {
    const names = types.map((t) => t.name);
    for (const expected of ['InferencePoolGa', 'EndpointPicker', 'InferencePoolAlpha', 'InferenceObjective', 'WeightedInferenceRoute', 'MigrationStage', 'ZeroDowntimeMigration', 'SimpleMigration', 'GitOpsWriter', 'ManifestValidator']) {
      expect(names).toContain(expected);
    }
  });

  test('every public type and member has a summary', () => {
    const missing: string[] = [];
    for (const t of types) {
      if (!t.docs?.summary) missing.push(t.fqn);
      for (const p of t.properties ?? []) if (!p.docs?.summary) missing.push(`${t.fqn}.${p.name}`);
      for (const m of t.methods ?? []) if (!m.docs?.summary) missing.push(`${t.fqn}.${m.name}()`);
      for (const m of t.members ?? []) if (!m.docs?.summary) missing.push(`${t.fqn}.${m.name}`);
    }
    expect(missing).toEqual([]);
  });

  test('every optional property of every props struct says its default', () => {
    const missing: string[] = [];
    for (const t of types.filter((x) => x.datatype)) {
      for (const p of t.properties ?? []) {
        if (p.optional && p.docs?.default === undefined) missing.push(`${t.fqn}.${p.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('no public member, parameter or return value is typed `any` (members inherited from cdk8s and constructs aside)', () => {
    const found: string[] = [];
    const walk = (ref: any, where: string) => {
      if (!ref || typeof ref !== 'object') return;
      if (ref.primitive === 'any') found.push(where);
      if (ref.collection) walk(ref.collection.elementtype, where);
      for (const u of ref.union?.types ?? []) walk(u, where);
    };
    for (const t of types) {
      for (const p of t.properties ?? []) walk(p.type, `${t.fqn}.${p.name}`);
      for (const m of [...(t.methods ?? []), ...(t.initializer ? [{ ...t.initializer, name: '<init>' }] : [])]) {
        for (const q of m.parameters ?? []) walk(q.type, `${t.fqn}.${m.name}(${q.name})`);
        walk(m.returns?.type, `${t.fqn}.${m.name}()`);
      }
    }
    expect(found).toEqual([]);
  });

  const constructs = types.filter((t) => t.kind === 'class' && isConstruct(t));
  function isConstruct(t: any): boolean {
    for (let base = t.base; base;) {
      if (base === 'constructs.Construct') return true;
      base = assembly().types[base]?.base ?? (base.startsWith('cdk8s.') ? 'constructs.Construct' : undefined);
    }
    return false;
  }

  test('every construct has an @example and links upstream docs with @see', () => {
    expect(constructs.map((t) => t.name)).toEqual(expect.arrayContaining(['InferencePoolGa', 'ZeroDowntimeMigration', 'CarriedObjects', 'MigrationStage']));
    expect(constructs.filter((t) => !t.docs?.example).map((t) => t.fqn)).toEqual([]);
    expect(constructs.filter((t) => !t.docs?.see).map((t) => t.fqn)).toEqual([]);
  });
});
