import * as guide from './guide-004';
import { convertLlamaStackDocuments, scanLlamaStackDocuments } from '../../src/llamastack/convert-files';
import { expectValid, parseYamlDocs } from '../util';

function parse(yaml: string): any {
  return parseYamlDocs(yaml)[0];
}

function named(yaml: string, name: string, namespace?: string): any {
  const obj = parse(yaml);
  obj.metadata = { name, ...(namespace ? { namespace } : {}) };
  return obj;
}

describe('convertLlamaStackDocuments', () => {
  test('given every v1alpha1 example of the guide in one input, then each converts to the typed form of its After, in order, without warnings', () => {
    const pairs: [string, string][] = [
      [guide.QUICK_BEFORE, guide.QUICK_AFTER],
      [guide.OLLAMA_BEFORE, guide.OLLAMA_AFTER],
      [guide.VLLM_BEFORE, guide.VLLM_AFTER],
      [guide.CONFIGMAP_BEFORE, guide.CONFIGMAP_AFTER],
      [guide.NETWORK_TLS_BEFORE, guide.NETWORK_TLS_AFTER],
      [guide.AUTOSCALING_BEFORE, guide.AUTOSCALING_AFTER],
    ];
    const docs = pairs.map(([before], i) => named(before, `llsd-${i}`, 'ai'));

    const result = convertLlamaStackDocuments(docs);

    const objects = result.converted.map((c) => c.object);
    // The typed form of each After: the single provider as a list, apiKey as secretRefs.api_key, expose: true as {}.
    const afters = pairs.map(([, after], i) => {
      const obj = named(after, `llsd-${i}`, 'ai');
      if (!Array.isArray(obj.spec.providers?.inference) && obj.spec.providers) {
        const { apiKey, ...provider } = obj.spec.providers.inference;
        obj.spec.providers.inference = [apiKey ? { ...provider, secretRefs: { api_key: apiKey } } : provider];
      }
      if (obj.spec.networking?.expose === true) obj.spec.networking.expose = {};
      return obj;
    });
    expect(objects).toEqual(afters);
    expectValid(objects);
    expect(result.converted.map((c) => c.fileName)).toEqual(pairs.map((_, i) => `ai-llsd-${i}.yaml`));
    expect(result.converted.every((c) => c.sourceApiVersion === 'llamastack.io/v1alpha1')).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  test('given one object, then the instructions are the guide\'s steps with its name, namespace and file filled in', () => {
    const result = convertLlamaStackDocuments([named(guide.OLLAMA_BEFORE, 'my-llsd', 'ai')], { outDir: 'out/' });

    expect(result.instructions).toEqual([
      'Migrating 1 LlamaStackDistribution to llamastack.io/v1alpha2:',
      '',
      '1. Verify the operator is updated: its version must support v1alpha2 (llama-stack-k8s-operator with the',
      '   v1alpha2 API, pull request 253 or later). This must list v1alpha2:',
      "     kubectl get crd llamastackdistributions.llamastack.io -o jsonpath='{.spec.versions[*].name}'",
      '2. Review your existing CRs, and the warnings of this conversion:',
      '     kubectl get llsd -A',
      '3. The v1alpha2 versions are in out, one file per CR, made with the guide\'s field mapping.',
      '4. Apply the new CRs:',
      '     kubectl apply -f out/ai-my-llsd.yaml',
      '5. Verify that each reaches the Ready phase (PHASE column):',
      '     kubectl get llsd my-llsd -n ai',
      '   or wait for it:',
      "     kubectl wait llsd/my-llsd -n ai --for=jsonpath='{.status.phase}'=Ready --timeout=10m",
      '6. Every new CR has the same name as the old one, so the update is in place: there is nothing to delete.',
      '   If you apply one under a different name, delete the old one once the new one is Ready:',
      '     kubectl delete llsd <old-name> -n <namespace>',
      '',
      'kubectl apply leaves alone fields it did not set itself: if `kubectl get llsd <name> -o yaml` still shows env vars',
      'that became providers (the operator\'s webhook copied them into workload.overrides.env), write the whole spec with',
      '`kubectl replace -f <file>`.',
      '',
      'With Flux, the files in a Kustomization\'s path: kustomize-controller refuses this change of apiVersion in place',
      '("dry-run failed: failed to convert new object: ... field not declared in schema", since the live objects\' managed',
      'fields still name v1alpha1) unless it runs v1.8.4 or later with --feature-gates=MigrateAPIVersion=true.',
      '',
    ].join('\n'));
  });

  test('given an object without namespace, then its file is <name>.yaml and kubectl has no -n', () => {
    const result = convertLlamaStackDocuments([parse(guide.OLLAMA_BEFORE)]);

    expect(result.converted[0].fileName).toBe('my-llsd.yaml');
    expect(result.instructions).toContain('     kubectl apply -f ./my-llsd.yaml\n');
    expect(result.instructions).toContain('     kubectl get llsd my-llsd\n');
  });

  test('given a v1alpha2 draft, a v1alpha1 object and a ConfigMap, then both distributions convert and the ConfigMap is skipped with a note', () => {
    const docs = [named(guide.VLLM_AFTER, 'draft'), named(guide.OLLAMA_BEFORE, 'old'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'llama-stack-config' } }];

    const result = convertLlamaStackDocuments(docs);

    expect(result.converted.map((c: any) => [c.object.metadata.name, c.sourceApiVersion])).toEqual([['draft', 'llamastack.io/v1alpha2'], ['old', 'llamastack.io/v1alpha1']]);
    expect((result.converted[0].object as any).spec.providers.inference[0].secretRefs).toEqual({ api_key: { name: 'vllm-secret', key: 'api-key' } });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^LlamaStackDistribution draft: 'spec.providers.inference' was a single provider object/),
      expect.stringMatching(/^LlamaStackDistribution draft: 'spec.providers.inference\[0\].apiKey' is not a CRD field/),
      'ConfigMap llama-stack-config: skipped, not a LlamaStackDistribution',
    ]);
  });

  test('given the List that `kubectl get llsd -A -o yaml` prints, then its items are converted', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [named(guide.OLLAMA_BEFORE, 'a', 'x'), named(guide.VLLM_BEFORE, 'b', 'y')] };

    expect(convertLlamaStackDocuments([list]).converted.map((c) => c.fileName)).toEqual(['x-a.yaml', 'y-b.yaml']);
  });

  test.each<[string, any[], RegExp]>([
    ['an unknown apiVersion', [{ ...parse(guide.OLLAMA_BEFORE), apiVersion: 'llamastack.io/v1' }],
      /^LlamaStackDistribution my-llsd: 'apiVersion' must be llamastack.io\/v1alpha1 or llamastack.io\/v1alpha2 \(got "llamastack.io\/v1"\)/],
    ['a userConfig in another namespace', [{ ...named(guide.CONFIGMAP_BEFORE, 'my-llsd', 'ai'), spec: { server: { distribution: { name: 'starter' }, userConfig: { configMapName: 'c', configMapNamespace: 'x' } } } }],
      /^LlamaStackDistribution ai\/my-llsd: 'spec.server.userConfig.configMapNamespace' must be the CR's namespace "ai"/],
    ['a v1alpha2 object that breaks a rule', [{ ...parse(guide.CONFIGMAP_AFTER), spec: { ...parse(guide.CONFIGMAP_AFTER).spec, providers: { inference: [{ provider: 'ollama' }] } } }],
      /^LlamaStackDistribution my-llsd: 'spec.overrideConfig' cannot be combined with 'spec.providers'/],
    ['a converted object the CRD rejects', [{ ...parse(guide.OLLAMA_BEFORE), spec: { server: { distribution: { name: 'starter' }, containerSpec: { env: [{ name: 'A', value: 5 }] } } } }],
      /^LlamaStackDistribution my-llsd: the converted object does not pass the LlamaStackDistribution CRD:\nLlamaStackDistribution my-llsd: spec.workload.overrides.env\[0\].value: .*\[schema\]/],
    ['the same object twice', [parse(guide.OLLAMA_BEFORE), parse(guide.VLLM_BEFORE)], /^LlamaStackDistribution my-llsd: appears twice in the input/],
    ['two objects that map to one file', [named(guide.OLLAMA_BEFORE, 'b-c', 'a'), named(guide.OLLAMA_BEFORE, 'c', 'a-b')],
      /^LlamaStackDistribution a-b\/c: would be written to a-b-c.yaml like LlamaStackDistribution a\/b-c; rename one of them/],
    ['no LlamaStackDistribution', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }], /^no LlamaStackDistribution found in the input \(1 other object\)/],
    ['a document that is not an object', ['just text'], /^document 1: must be a Kubernetes object \(got "just text"\)/],
  ])('given %s, then it is an error naming the object', (_name, docs, message) => {
    expect(() => convertLlamaStackDocuments(docs)).toThrow(message);
  });

  test('given validate false, then a value only the CRD rejects is not checked', () => {
    const obj = { ...parse(guide.OLLAMA_BEFORE), spec: { server: { distribution: { name: 'starter' }, containerSpec: { env: [{ name: 'A', value: 5 }] } } } };

    expect(convertLlamaStackDocuments([obj], { validate: false }).converted).toHaveLength(1);
  });
});

describe('scanLlamaStackDocuments', () => {
  test('given v1alpha1, draft v1alpha2, typed v1alpha2 and other objects, then it reports the v1alpha1 and draft ones', () => {
    const typed = { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'typed' }, spec: { distribution: { name: 'starter' } } };
    const docs = [named(guide.OLLAMA_BEFORE, 'old', 'ai'), named(guide.NETWORK_TLS_AFTER, 'draft'), typed, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }];

    expect(scanLlamaStackDocuments(docs)).toEqual([
      'LlamaStackDistribution ai/old: llamastack.io/v1alpha1; convert it to llamastack.io/v1alpha2 with `inference-migrate convert llamastack`',
      'LlamaStackDistribution draft: llamastack.io/v1alpha2 in the guide\'s draft forms (1), which the CRD rejects; rewrite it with `inference-migrate convert llamastack`',
    ]);
  });

  test('given a draft that cannot be read, then the problem is reported, not thrown', () => {
    const bad = { ...named(guide.NETWORK_TLS_AFTER, 'bad'), spec: { distribution: { name: 'starter' }, networking: { expose: 'yes' } } };

    expect(scanLlamaStackDocuments([bad])).toEqual([expect.stringMatching(/^LlamaStackDistribution bad: 'spec.networking.expose' must be/)]);
  });
});
