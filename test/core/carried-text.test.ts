import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { CarriedManifest, GitOpsWriter, ZeroDowntimeMigration } from '../../src';

// An alpha stack as people keep it in Git: comments, keys in their own order, quoting of their choice.
const POOL = `# The pool of the llama deployment (owned by team-llm)
apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferencePool
metadata:
  name: vllm-llama3-8b-instruct-alpha # renamed in Q3
  labels: {team: 'llm', "tier": "gold"}
spec:
  targetPortNumber: 8000
  selector:
    app: "vllm-llama3-8b-instruct"
  extensionRef:
    name: 'vllm-llama3-8b-instruct-alpha-epp'
    failureMode: FailOpen
`;
const MODEL = `---
apiVersion: inference.networking.x-k8s.io/v1alpha2
kind: InferenceModel
metadata:
    name: food-review     # four-space indent, on purpose
spec:
    poolRef: {name: vllm-llama3-8b-instruct-alpha}
    modelName: food-review
    criticality: Critical
...
`;
const SERVICE = `---

apiVersion: v1
kind: Service
metadata:
  name: vllm-llama3-8b-instruct-alpha-epp
  namespace: llm
spec:
  selector: { app: vllm-llama3-8b-instruct-alpha-epp }
  ports: [{ port: 9002, targetPort: 9002, protocol: TCP }]
`;

describe('CarriedManifest text', () => {
  test('given a multi-document text, then each object keeps the text of its own document', () => {
    // Given three documents with comments and markers; When they are read
    const all = CarriedManifest.allFromYaml(POOL + MODEL + SERVICE);
    // Then each keeps its text, markers included
    expect(all.map((m) => m.yamlText)).toEqual([POOL, MODEL, SERVICE]);
  });

  test('given an object without a namespace, then _withNamespace adds exactly one line after its name', () => {
    // Given the pool (no namespace) and the model (four-space indent, comment after the name)
    const [pool, model] = CarriedManifest.allFromYaml(POOL + MODEL);
    // When each is put into namespace llm
    const inLlm = pool._withNamespace('llm');
    const modelInLlm = model._withNamespace('llm');
    // Then the text has one more line, indented as name, and reads back as the object with the namespace
    expect(inLlm.yamlText).toBe(POOL.replace('# renamed in Q3\n', '# renamed in Q3\n  namespace: llm\n'));
    expect(modelInLlm.yamlText).toBe(MODEL.replace('on purpose\n', 'on purpose\n    namespace: llm\n'));
    expect(inLlm.namespace).toBe('llm');
    expect(YAML.parse(inLlm.yamlText!)).toEqual(inLlm.toJson());
  });

  test('given a namespace YAML 1.1 would read as a boolean or a number, then the added line quotes it', () => {
    const [pool] = CarriedManifest.allFromYaml(POOL);
    expect(pool._withNamespace('no').yamlText).toContain('\n  namespace: "no"\n');
    expect(pool._withNamespace('1234').yamlText).toContain('\n  namespace: "1234"\n');
  });

  test('given flow-style metadata, then the namespace is added to the object and the text is dropped', () => {
    const [flow] = CarriedManifest.allFromYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const placed = flow._withNamespace('llm');
    expect(placed.yamlText).toBeUndefined();
    expect(placed.namespace).toBe('llm');
  });

  test('given a namespace already set, then _withNamespace changes nothing', () => {
    const [, , service] = CarriedManifest.allFromYaml(POOL + MODEL + SERVICE);
    expect(service._withNamespace('other')).toBe(service);
  });
});

describe('GitOpsWriter, given an alpha stack carried from YAML text', () => {
  const app = Testing.app();
  const manifests = CarriedManifest.allFromYaml(POOL + MODEL + SERVICE).map((m) => m._withNamespace('llm'));
  const migration = new ZeroDowntimeMigration(app, 'llama', {
    alphaPool: { manifests },
    gateway: { name: 'inference-gateway' },
    routeName: 'llm-route',
  });
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'carried-text-'));
  new GitOpsWriter({ outdir }).write(migration);
  const first = path.join(outdir, 'llama', '01-side-by-side');

  test('then each carried file is the document text, byte for byte (one namespace line added where it had none)', () => {
    // Then comments, key order, quoting and indentation are as written
    expect(fs.readFileSync(path.join(first, 'inferencepool-vllm-llama3-8b-instruct-alpha.yaml'), 'utf8'))
      .toBe(POOL.replace('# renamed in Q3\n', '# renamed in Q3\n  namespace: llm\n'));
    // a leading document marker (and the blank lines after it) is left out; the end marker stays
    expect(fs.readFileSync(path.join(first, 'inferencemodel-food-review.yaml'), 'utf8'))
      .toBe(MODEL.replace(/^---\n/, '').replace('on purpose\n', 'on purpose\n    namespace: llm\n'));
    expect(fs.readFileSync(path.join(first, 'service-vllm-llama3-8b-instruct-alpha-epp.yaml'), 'utf8')).toBe(SERVICE.replace(/^---\n\n/, ''));
  });

  test('then the objects the stages build are written by the serializer, with their sync waves', () => {
    const ga = fs.readFileSync(path.join(first, 'inferencepool-vllm-llama3-8b-instruct-ga.yaml'), 'utf8');
    expect(ga).toContain('argocd.argoproj.io/sync-wave: "0"');
  });
});
