import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { fcOptions } from './arbitraries';
import { GitOpsWriter, IMigration } from '../../src';
import { isUserError } from '../../src/core/errors';
import { InferenceMigrationPlan } from '../../src/discover/inference-migration-plan';
import { KServeMigrationPlan } from '../../src/discover/kserve-migration-plan';
import { convertLlamaStackSource } from '../../src/discover/llamastack-source';
import { ManifestSource } from '../../src/discover/manifest-source';

// The library's planners and converters, fed with fixture manifests where one or two fields have the
// wrong shape (null, a number, a list, a map, a name that injects shell): planning, building the
// migrations and synthesizing every stage either succeed or throw the user's error (a UserError: a
// message about the input), never a TypeError or anything else that would be a bug.

const REPOS = path.join(__dirname, '..', 'fixtures', 'repos');
const docsOf = (...files: string[]): any[] => files
  .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(REPOS, f), 'utf8')).map((d) => d.toJS()))
  .filter((d) => d !== null);
const INFERENCE = docsOf('one-pool/apps/llm/vllm-llama3-8b-instruct-alpha.yaml', 'one-pool/apps/llm/inference-models.yaml', 'one-pool/apps/llm/httproute.yaml');
const KSERVE = docsOf('kserve/kserve.yaml');
const LLAMASTACK = docsOf('llamastack/llsd.yaml');

const junk = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1e9, 1.5, true, '', 'x; touch pwned #', 'UPPER', 'a\n# b', [], {}, [null], [{}], [7], { a: null }, { name: 7 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A path into a document (keys chosen by index) and a value for the field it ends at, or its removal. */
const mutation = fc.record({
  doc: fc.nat(),
  picks: fc.array(fc.nat(), { minLength: 2, maxLength: 8 }),
  remove: fc.boolean(),
  value: junk,
});

function mutate(docs: any[], m: { doc: number; picks: number[]; remove: boolean; value: unknown }): any[] {
  const copy = JSON.parse(JSON.stringify(docs));
  let node = copy[m.doc % copy.length];
  for (let i = 0; i < m.picks.length; i++) {
    // The reader's own checks cover apiVersion and kind; aim at the fields the planner reads.
    const keys = Object.keys(node).filter((k) => i > 0 || (k !== 'apiVersion' && k !== 'kind'));
    if (keys.length === 0) break;
    const key = keys[m.picks[i] % keys.length];
    const last = i === m.picks.length - 1 || node[key] === null || typeof node[key] !== 'object';
    if (last) {
      if (m.remove) delete node[key];
      else node[key] = m.value;
      break;
    }
    node = node[key];
  }
  return copy;
}

/** Runs `build`; anything it throws must be the user's error. */
function onlyUserErrors(build: () => void): void {
  try {
    build();
  } catch (err) {
    if (!isUserError(err)) throw new Error(`not a UserError but ${(err as Error)?.name}: ${(err as Error)?.message}\n${(err as Error)?.stack}`);
  }
}

const yamlOf = (docs: any[]) => docs.map((d) => YAML.stringify(d)).join('---\n');

/** Synthesizes every stage of the migrations (and the app, which renders none unless one is selected). */
function synthAll(app: ReturnType<typeof Testing.app>, migrations: IMigration[]): void {
  for (const stage of migrations.flatMap((m) => m.stages)) GitOpsWriter.synthesizeStage(stage);
  for (const chart of app.node.findAll().filter((c): c is Chart => c instanceof Chart)) Testing.synth(chart);
}

function planInference(docs: any[]): void {
  onlyUserErrors(() => {
    const app = Testing.app();
    synthAll(app, InferenceMigrationPlan.fromYaml(yamlOf(docs), { name: 'all.yaml', validateInputs: false }).addMigrations(app));
  });
}

function planKServe(docs: any[]): void {
  onlyUserErrors(() => {
    const app = Testing.app();
    synthAll(app, [KServeMigrationPlan.fromYaml(yamlOf(docs), { name: 'kserve.yaml', validateInputs: false }).addMigration(app, 'kserve', { tlsSecretName: 'tls' })]);
  });
}

function convertLlamaStack(docs: any[]): void {
  onlyUserErrors(() => {
    const source = ManifestSource.fromYaml(yamlOf(docs), { name: 'llsd.yaml' });
    convertLlamaStackSource(source._contents, { validate: false });
  });
}

describe('property: the planners never fail with a bug on malformed manifests', () => {
  test.each([
    ['InferenceMigrationPlan', INFERENCE, planInference],
    ['KServeMigrationPlan', KSERVE, planKServe],
    ['the LlamaStack conversion', LLAMASTACK, convertLlamaStack],
  ])('%s, one field replaced or removed', (_name, docs, check) => {
    fc.assert(fc.property(mutation, (m) => check(mutate(docs as any[], m))), fcOptions);
  });

  test.each([
    ['InferenceMigrationPlan', INFERENCE, planInference],
    ['KServeMigrationPlan', KSERVE, planKServe],
    ['the LlamaStack conversion', LLAMASTACK, convertLlamaStack],
  ])('%s, two fields at once', (_name, docs, check) => {
    fc.assert(fc.property(mutation, mutation, (a, b) => check(mutate(mutate(docs as any[], a), b))), fcOptions);
  });
});
