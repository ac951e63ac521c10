import { convertLlamaStackDistribution, normalizeLlamaStackDraft } from '../../src/convert/llamastack';
import { convertLlamaStackDocuments } from '../../src/llamastack/convert-files';
import { LlamaStackConverter } from '../../src/llamastack/llamastack-converter';
import { convert, v1alpha1 } from '../fixtures/llamastack';
import * as guide from '../llamastack/guide-004';
import { expectValid, parseYamlDocs, validator } from '../util';

const EXTRAS = 'llamastack.io/v1alpha1-extras';

function parse(yaml: string): any {
  const docs = parseYamlDocs(yaml);
  expect(docs).toHaveLength(1);
  return docs[0];
}

/** The guide's "After" with the typed forms written by hand: what the CRD accepts. */
function typed(yaml: string, edit: (spec: any) => void = () => {}): any {
  const obj = parse(yaml);
  edit(obj.spec);
  return obj;
}

/** The draft's single inference provider as the CRD's one-item list. */
const inferenceAsList = (spec: any) => {
  spec.providers.inference = [spec.providers.inference];
};


describe('convertLlamaStackDistribution: the guide\'s examples', () => {
  test.each([
    ['quick comparison', guide.QUICK_BEFORE, guide.QUICK_AFTER, inferenceAsList],
    ['basic Ollama setup', guide.OLLAMA_BEFORE, guide.OLLAMA_AFTER, inferenceAsList],
    ['vLLM with API key', guide.VLLM_BEFORE, guide.VLLM_AFTER, (spec: any) => {
      const { apiKey, ...provider } = spec.providers.inference;
      spec.providers.inference = [{ ...provider, secretRefs: { api_key: apiKey } }];
    }],
    ['ConfigMap override', guide.CONFIGMAP_BEFORE, guide.CONFIGMAP_AFTER, undefined],
    ['network policy and TLS', guide.NETWORK_TLS_BEFORE, guide.NETWORK_TLS_AFTER, (spec: any) => {
      spec.networking.expose = {};
    }],
    ['full-featured example with autoscaling', guide.AUTOSCALING_BEFORE, guide.AUTOSCALING_AFTER, inferenceAsList],
  ])('given the guide\'s %s, when converted, then it equals the typed form of the guide\'s After, passes the CRD and warns of nothing', (_name, before, after, edit) => {
    const { object, warnings } = convert(parse(before));

    expect(object).toEqual(typed(after, edit));
    expect(warnings).toEqual([]);
  });

  test('given the guide\'s vLLM example, then the API key Secret becomes secretRefs.api_key and leaves env', () => {
    const { object } = convert(parse(guide.VLLM_BEFORE));

    expect(object.spec.providers.inference).toEqual([{
      provider: 'vllm',
      endpoint: 'http://vllm-service.vllm-ns.svc:8000/v1',
      secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } },
    }]);
    expect(object.spec.workload.overrides).toBeUndefined();
  });
});

describe('convertLlamaStackDistribution: every row of the field tables', () => {
  test('given every v1alpha1 field, then each lands at its v1alpha2 path', () => {
    const env = [{ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }];
    const resources = { requests: { cpu: '2', memory: '8Gi' }, limits: { memory: '16Gi' } };
    const spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }];
    const volumes = [{ name: 'models', emptyDir: {} }];
    const volumeMounts = [{ name: 'models', mountPath: '/models' }];
    const input = v1alpha1({
      distribution: { image: 'quay.io/example/llama-stack:1.0' },
      workers: 2,
      containerSpec: { name: 'llama-stack', port: 9000, env, resources, command: ['python'], args: ['-m', 'llama_stack'] },
      storage: { size: '10Gi', mountPath: '/data' },
      podOverrides: { serviceAccountName: 'llsd-sa', volumes, volumeMounts },
      autoscaling: { minReplicas: 1, maxReplicas: 3, targetMemoryUtilizationPercentage: 80 },
      podDisruptionBudget: { maxUnavailable: '25%' },
      topologySpreadConstraints: spread,
      tlsConfig: { caBundle: { configMapName: 'ca' } },
    }, { spec: { replicas: 3, network: { exposeRoute: true, allowedFrom: { labels: ['team/ai'] } } } });

    const { object, warnings } = convert(input);

    expect(object.spec).toEqual({
      distribution: { image: 'quay.io/example/llama-stack:1.0' },
      networking: { port: 9000, expose: {}, tls: { caBundle: { configMapName: 'ca' } }, allowedFrom: { labels: ['team/ai'] } },
      workload: {
        replicas: 3,
        workers: 2,
        resources,
        storage: { size: '10Gi', mountPath: '/data' },
        autoscaling: { minReplicas: 1, maxReplicas: 3, targetMemoryUtilizationPercentage: 80 },
        podDisruptionBudget: { maxUnavailable: '25%' },
        topologySpreadConstraints: spread,
        overrides: { env, command: ['python'], args: ['-m', 'llama_stack'], serviceAccountName: 'llsd-sa', volumes, volumeMounts },
      },
    });
    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env' HF_TOKEN moved unchanged to spec.workload.overrides.env: v1alpha2 has no declarative field for them",
    ]);
  });

  test('given exposeRoute false and empty lists, then nothing is written for them (v1alpha2 lists need an item)', () => {
    const { object } = convert(v1alpha1({ containerSpec: { env: [], command: [], args: [] }, podOverrides: { volumes: [] } },
      { spec: { network: { exposeRoute: false, allowedFrom: { namespaces: [] } } } }));

    expect(object.spec).toEqual({ distribution: { name: 'starter' } });
  });

  test('given metadata read back from a cluster, then server-written fields, status and the last-applied annotation are dropped', () => {
    const input = v1alpha1({}, {
      metadata: {
        namespace: 'ai',
        labels: { app: 'chat' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'team': 'ml' },
        uid: 'x',
        resourceVersion: '1',
        generation: 2,
        creationTimestamp: '2025-01-01T00:00:00Z',
        managedFields: [],
      },
    });
    input.status = { phase: 'Ready' };

    const { object } = convert(input);

    expect(object.metadata).toEqual({ name: 'my-llsd', namespace: 'ai', labels: { app: 'chat' }, annotations: { team: 'ml' } });
    expect(object.status).toBeUndefined();
  });
});

describe('convertLlamaStackDistribution: warnings', () => {
  test('given a CA bundle in another namespace with keys, then both are dropped from the spec, kept in the annotation, and warned of', () => {
    const input = v1alpha1({ tlsConfig: { caBundle: { configMapName: 'ca', configMapNamespace: 'certs', configMapKeys: ['ca.crt', 'extra.crt'] } } },
      { metadata: { namespace: 'ai' } });

    const { object, warnings } = convert(input);

    expect(object.spec.networking).toEqual({ tls: { caBundle: { configMapName: 'ca' } } });
    expect(JSON.parse(object.metadata.annotations[EXTRAS])).toEqual({ caBundleNamespace: 'certs', caBundleKeys: ['ca.crt', 'extra.crt'] });
    expect(warnings).toEqual([
      expect.stringMatching(/^LlamaStackDistribution ai\/my-llsd: 'spec.server.tlsConfig.caBundle.configMapNamespace' \("certs"\) was dropped: v1alpha2 reads the CA bundle ConfigMap from the CR's own namespace, so copy ConfigMap certs\/ca to namespace "ai"/),
      expect.stringMatching(/'spec.server.tlsConfig.caBundle.configMapKeys' \(ca.crt, extra.crt\) was dropped: v1alpha2 has no field for the keys/),
    ]);
  });

  test('given a CA bundle in the CR\'s own namespace, then nothing is lost and nothing is warned', () => {
    const { object, warnings } = convert(v1alpha1({ tlsConfig: { caBundle: { configMapName: 'ca', configMapNamespace: 'ai' } } }, { metadata: { namespace: 'ai' } }));

    expect(object.metadata.annotations).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test('given terminationGracePeriodSeconds, then it is kept in the operator\'s extras annotation, with a warning', () => {
    const { object, warnings } = convert(v1alpha1({ podOverrides: { terminationGracePeriodSeconds: 120 } }));

    expect(object.metadata.annotations).toEqual({ [EXTRAS]: '{"terminationGracePeriod":120}' });
    expect(object.spec.workload).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/'spec.server.podOverrides.terminationGracePeriodSeconds' \(120\) has no v1alpha2 field, so the v1alpha2 spec does not set it; the value is kept in annotation llamastack.io\/v1alpha1-extras/),
    ]);
  });

  test('given a custom container name, then it is dropped (v1alpha2 always uses llama-stack), kept in the annotation, with a warning', () => {
    const { object, warnings } = convert(v1alpha1({ containerSpec: { name: 'server' } }));

    expect(JSON.parse(object.metadata.annotations[EXTRAS])).toEqual({ containerName: 'server' });
    expect(warnings).toEqual([expect.stringMatching(/'spec.server.containerSpec.name' \("server"\) was dropped: the v1alpha2 container is always named llama-stack/)]);
  });

  test('given the default container name, then it is dropped silently', () => {
    expect(convert(v1alpha1({ containerSpec: { name: 'llama-stack' } })).warnings).toEqual([]);
  });

  test('given several v1alpha1-only fields, then they share one annotation, in the webhook\'s key order, next to the user\'s annotations', () => {
    const input = v1alpha1({
      containerSpec: { name: 'server' },
      podOverrides: { terminationGracePeriodSeconds: 60 },
      tlsConfig: { caBundle: { configMapName: 'ca', configMapKeys: ['ca.crt'] } },
    }, { metadata: { annotations: { team: 'ml' } } });

    const { object } = convert(input);

    expect(object.metadata.annotations).toEqual({ team: 'ml', [EXTRAS]: '{"containerName":"server","terminationGracePeriod":60,"caBundleKeys":["ca.crt"]}' });
  });

  test('given unknown env vars next to known ones, then the known ones become providers and the unknown ones stay in overrides.env, with a warning', () => {
    const input = v1alpha1({
      containerSpec: {
        env: [
          { name: 'OLLAMA_URL', value: 'http://ollama:11434' },
          { name: 'LLAMA_STACK_LOGGING', value: 'all=debug' },
          { name: 'OLLAMA_INFERENCE_MODEL', value: 'llama3.2:1b' },
          { name: 'TAVILY_SEARCH_API_KEY', valueFrom: { secretKeyRef: { name: 'tavily', key: 'key' } } },
        ],
      },
    });

    const { object, warnings } = convert(input);

    expect(object.spec.providers).toEqual({ inference: [{ provider: 'ollama', endpoint: 'http://ollama:11434' }] });
    expect(object.spec.resources).toEqual({ models: [{ name: 'llama3.2:1b' }] });
    expect(object.spec.workload.overrides.env).toEqual([
      { name: 'LLAMA_STACK_LOGGING', value: 'all=debug' },
      { name: 'TAVILY_SEARCH_API_KEY', valueFrom: { secretKeyRef: { name: 'tavily', key: 'key' } } },
    ]);
    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env' LLAMA_STACK_LOGGING, TAVILY_SEARCH_API_KEY moved unchanged to spec.workload.overrides.env: v1alpha2 has no declarative field for them",
    ]);
  });

  test('given both Ollama and vLLM env vars, then two inference providers get ids and each model names its provider', () => {
    const input = v1alpha1({
      containerSpec: {
        env: [
          { name: 'OLLAMA_URL', value: 'http://ollama.local.svc:11434' },
          { name: 'OLLAMA_INFERENCE_MODEL', value: 'llama3.2:1b' },
          { name: 'VLLM_URL', value: 'http://vllm.gpu.svc:8000/v1' },
          { name: 'INFERENCE_MODEL', value: 'meta-llama/Llama-3.2-70B' },
          { name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'vllm-secret', key: 'api-key' } } },
        ],
      },
    });

    const { object, warnings } = convert(input);

    expect(object.spec.providers.inference).toEqual([
      { id: 'ollama', provider: 'ollama', endpoint: 'http://ollama.local.svc:11434' },
      { id: 'vllm', provider: 'vllm', endpoint: 'http://vllm.gpu.svc:8000/v1', secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } } },
    ]);
    expect(object.spec.resources.models).toEqual([
      { name: 'llama3.2:1b', provider: 'ollama' },
      { name: 'meta-llama/Llama-3.2-70B', provider: 'vllm' },
    ]);
    expect(warnings).toEqual([]);
  });

  test.each([
    ['a model without its URL', [{ name: 'OLLAMA_INFERENCE_MODEL', value: 'llama3.2:1b' }], /'spec.server.containerSpec.env\[OLLAMA_INFERENCE_MODEL\]' stays in workload.overrides.env: there is no OLLAMA_URL/],
    ['a URL read from a ConfigMap', [{ name: 'VLLM_URL', valueFrom: { configMapKeyRef: { name: 'c', key: 'url' } } }], /'spec.server.containerSpec.env\[VLLM_URL\]' stays in workload.overrides.env: it has no literal value/],
    ['an API key written in the CR', [{ name: 'VLLM_URL', value: 'http://vllm:8000/v1' }, { name: 'VLLM_API_KEY', value: 'sk-123' }],
      /'spec.server.containerSpec.env\[VLLM_API_KEY\]' stays in workload.overrides.env: its value is written in the CR; put it in a Secret/],
  ])('given %s, then the env var stays in overrides.env with the reason', (_name, env, message) => {
    const { warnings } = convert(v1alpha1({ containerSpec: { env } }));

    expect(warnings[0]).toMatch(message);
  });

  test('given an optional API key Secret, then it still becomes secretRefs.api_key, and the dropped optional flag is warned of', () => {
    const env = [
      { name: 'VLLM_URL', value: 'http://vllm:8000/v1' },
      { name: 'VLLM_API_KEY', valueFrom: { secretKeyRef: { name: 'vllm-secret', key: 'api-key', optional: true } } },
    ];

    const { object, warnings } = convert(v1alpha1({ containerSpec: { env } }));

    expect(object.spec.providers.inference[0].secretRefs).toEqual({ api_key: { name: 'vllm-secret', key: 'api-key' } });
    expect(warnings).toEqual([expect.stringMatching(/'spec.server.containerSpec.env\[VLLM_API_KEY\].valueFrom.secretKeyRef.optional' was dropped: a secretRefs entry is always required/)]);
  });

  test('given mapKnownEnv false, then every env var is copied as it is, like the operator\'s webhook', () => {
    const env = parse(guide.OLLAMA_BEFORE).spec.server.containerSpec.env;

    const { object } = convert(parse(guide.OLLAMA_BEFORE), { mapKnownEnv: false });

    expect(object.spec.providers).toBeUndefined();
    expect(object.spec.workload.overrides.env).toEqual(env);
  });

  test('given userConfig with known env vars, then they stay in env (overrideConfig excludes providers), with a warning', () => {
    const input = v1alpha1({ userConfig: { configMapName: 'cfg' }, containerSpec: { env: [{ name: 'OLLAMA_URL', value: 'http://ollama:11434' }] } });

    const { object, warnings } = convert(input);

    expect(object.spec.overrideConfig).toEqual({ configMapName: 'cfg' });
    expect(object.spec.providers).toBeUndefined();
    expect(warnings[0]).toMatch(/'spec.server.containerSpec.env' \(OLLAMA_URL\) stays in workload.overrides.env: overrideConfig \(from userConfig\) excludes providers and resources/);
  });

  test('given a userConfig namespace for a CR without namespace, then it is kept in the annotation with a warning to apply the CR there', () => {
    const { object, warnings } = convert(v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'ai' } }));

    expect(JSON.parse(object.metadata.annotations[EXTRAS])).toEqual({ userConfigNamespace: 'ai' });
    expect(warnings[0]).toMatch(/'spec.server.userConfig.configMapNamespace' \("ai"\) has no v1alpha2 field: overrideConfig reads ConfigMap cfg from the namespace the CR is applied in, so apply it in "ai"/);
  });

  test('given a userConfig namespace equal to the CR\'s, then it is dropped silently', () => {
    expect(convert(v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'ai' } }, { metadata: { namespace: 'ai' } })).warnings).toEqual([]);
  });

  test('given a field v1alpha1 does not have, then it is reported, not dropped silently', () => {
    expect(convert(v1alpha1({ replicas: 2 })).warnings).toEqual(["LlamaStackDistribution my-llsd: 'spec.server.replicas' is not a v1alpha1 field: it was not converted"]);
  });
});

describe('convertLlamaStackDistribution: errors', () => {
  test('given a userConfig ConfigMap in another namespace, then it is an error naming the field (v1alpha2 requires the same namespace)', () => {
    const input = v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'shared' } }, { metadata: { namespace: 'ai' } });

    expect(() => convertLlamaStackDistribution(input)).toThrow(
      /^LlamaStackDistribution ai\/my-llsd: 'spec.server.userConfig.configMapNamespace' must be the CR's namespace "ai" \(got "shared"\): v1alpha2 overrideConfig reads the ConfigMap from the CR's own namespace/);
  });

  test('given the namespace option for a CR without namespace, then a userConfig in another namespace is an error too', () => {
    expect(() => convertLlamaStackDistribution(v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'shared' } }), { namespace: 'ai' }))
      .toThrow(/'spec.server.userConfig.configMapNamespace' must be the CR's namespace "ai" \(got "shared"\)/);
  });

  test.each([
    ['another kind', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, /^LlamaStackDistribution x: 'kind' must be LlamaStackDistribution \(got "ConfigMap"\)/],
    ['a v1alpha2 object', { ...v1alpha1({}), apiVersion: 'llamastack.io/v1alpha2' },
      /'apiVersion' must be llamastack.io\/v1alpha1 \(got "llamastack.io\/v1alpha2"\): a v1alpha2 object needs no conversion/],
    ['no name', { ...v1alpha1({}), metadata: {} }, /'metadata.name' is required/],
    ['no server', { ...v1alpha1({}), spec: {} }, /'spec.server' is required/],
    ['both distribution name and image', v1alpha1({ distribution: { name: 'starter', image: 'x' } }), /'spec.server.distribution' must set exactly one of name or image/],
    ['env that is not a list', v1alpha1({ containerSpec: { env: { A: '1' } } }), /'spec.server.containerSpec.env' must be a list of env vars/],
  ])('given %s, then it is an error naming the field', (_name, input, message) => {
    expect(() => convertLlamaStackDistribution(input)).toThrow(message);
  });
});

describe('normalizeLlamaStackDraft', () => {
  test.each([
    ['quick comparison', guide.QUICK_AFTER, inferenceAsList, [/'spec.providers.inference' was a single provider object/]],
    ['basic Ollama setup', guide.OLLAMA_AFTER, inferenceAsList, [/'spec.providers.inference' was a single provider object/]],
    ['vLLM with API key', guide.VLLM_AFTER, (spec: any) => {
      const { apiKey, ...provider } = spec.providers.inference;
      spec.providers.inference = [{ ...provider, secretRefs: { api_key: apiKey } }];
    }, [/'spec.providers.inference' was a single provider object/, /'spec.providers.inference\[0\].apiKey' is not a CRD field; it became secretRefs.api_key/]],
    ['ConfigMap override', guide.CONFIGMAP_AFTER, undefined, []],
    ['network policy and TLS', guide.NETWORK_TLS_AFTER, (spec: any) => {
      spec.networking.expose = {};
    }, [/'spec.networking.expose' was true; the CRD takes an object, so it became \{\}/]],
    ['full-featured example', guide.AUTOSCALING_AFTER, inferenceAsList, [/'spec.providers.inference' was a single provider object/]],
  ])('given the guide\'s After of the %s, then the draft forms become the typed ones, which pass the CRD', (_name, after, edit, differences) => {
    const draft = parse(after);

    const result = normalizeLlamaStackDraft(draft);

    expect(result.object).toEqual(typed(after, edit));
    expect(result.differences).toEqual(differences.map((d) => expect.stringMatching(d)));
    expectValid([result.object]);
    if (differences.length > 0) expect(validator().validate([draft]).problems).not.toEqual([]);
  });

  test('given the guide\'s multiple-providers fragment, then each apiKey becomes secretRefs.api_key and the ids and model providers stay', () => {
    const draft = { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'my-llsd' }, spec: { distribution: { name: 'starter' }, ...parse(guide.MULTIPLE_PROVIDERS).spec } };

    const { object, differences }: { object: any; differences: string[] } = normalizeLlamaStackDraft(draft);

    expect(object.spec.providers.inference).toEqual([
      { id: 'ollama-local', provider: 'ollama', endpoint: 'http://ollama.local.svc:11434' },
      { id: 'vllm-gpu', provider: 'vllm', endpoint: 'http://vllm.gpu.svc:8000/v1', secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } } },
    ]);
    expect(object.spec.resources).toEqual(parse(guide.MULTIPLE_PROVIDERS).spec.resources);
    expect(differences).toEqual([expect.stringMatching(/'spec.providers.inference\[1\].apiKey' is not a CRD field/)]);
    expectValid([object]);
  });

  test('given the guide\'s state-storage fragment, then it is already typed: unchanged, no differences, and it passes the CRD', () => {
    const obj = { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'my-llsd' }, spec: { distribution: { name: 'starter' }, ...parse(guide.STATE_STORAGE).spec } };

    const { object, differences }: { object: any; differences: string[] } = normalizeLlamaStackDraft(obj);

    expect(object).toEqual(obj);
    expect(differences).toEqual([]);
    expectValid([object]);
  });

  test.each([
    [false, undefined, /was false; .* it was removed \(not exposed\)/],
    [{ enabled: true, hostname: 'llama.example.com' }, { hostname: 'llama.example.com' }, /has no enabled field, so it became \{"hostname":"llama.example.com"\}/],
    [{ enabled: true }, {}, /has no enabled field, so it became \{\}/],
    [{ enabled: false, hostname: 'llama.example.com' }, undefined, /has no enabled field, so it was removed \(not exposed\)/],
    [{ hostname: 'llama.example.com' }, { hostname: 'llama.example.com' }, undefined],
    [{}, {}, undefined],
  ])('given expose %j, then it becomes %j', (expose, expected, difference) => {
    const obj = { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'x' }, spec: { distribution: { name: 'starter' }, networking: { expose } } };

    const { object, differences }: { object: any; differences: string[] } = normalizeLlamaStackDraft(obj);

    expect(object.spec.networking.expose).toEqual(expected);
    expect(differences).toEqual(difference ? [expect.stringMatching(difference)] : []);
    expectValid([object]);
  });

  test('given the design brief\'s forms (models as strings, secretKeyRef wrappers), then they become the typed ones', () => {
    const obj = {
      apiVersion: 'llamastack.io/v1alpha2',
      kind: 'LlamaStackDistribution',
      metadata: { name: 'x' },
      spec: {
        distribution: { name: 'starter' },
        providers: { inference: { provider: 'vllm', endpoint: 'http://vllm:8000', apiKey: { secretKeyRef: { name: 'vllm-creds', key: 'token' } } } },
        resources: { models: ['llama3.2-8b'] },
        storage: { sql: { type: 'postgres', connectionString: { secretKeyRef: { name: 'pg-creds', key: 'url' } } } },
      },
    };

    const { object, differences }: { object: any; differences: string[] } = normalizeLlamaStackDraft(obj);

    expect(object.spec).toEqual({
      distribution: { name: 'starter' },
      providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000', secretRefs: { api_key: { name: 'vllm-creds', key: 'token' } } }] },
      resources: { models: [{ name: 'llama3.2-8b' }] },
      storage: { sql: { type: 'postgres', connectionString: { name: 'pg-creds', key: 'url' } } },
    });
    expect(differences).toHaveLength(5);
    expect(obj.spec.resources.models).toEqual(['llama3.2-8b']);
    expectValid([object]);
  });

  test.each([
    ['expose of another type', { networking: { expose: 'yes' } }, /'spec.networking.expose' must be \{\} or \{hostname\}, or in the draft form true, false or \{enabled, hostname\} \(got "yes"\)/],
    ['providers that are not a list', { providers: { inference: 'vllm' } }, /'spec.providers.inference' must be a list of providers/],
    ['apiKey next to a different secretRefs.api_key', { providers: { inference: [{ provider: 'vllm', apiKey: { name: 'a', key: 'k' }, secretRefs: { api_key: { name: 'b', key: 'k' } } }] } },
      /'spec.providers.inference\[0\].apiKey' conflicts with spec.providers.inference\[0\].secretRefs.api_key/],
  ])('given %s, then it is an error naming the field', (_name, spec, message) => {
    const obj = { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'x' }, spec: { distribution: { name: 'starter' }, ...spec } };

    expect(() => normalizeLlamaStackDraft(obj)).toThrow(message);
  });

  test('given a v1alpha1 object, then it is an error saying to convert it first', () => {
    expect(() => normalizeLlamaStackDraft(v1alpha1({}))).toThrow(/'apiVersion' must be llamastack.io\/v1alpha2 \(got "llamastack.io\/v1alpha1"\): convert a v1alpha1 object first/);
  });
});
describe('LlamaStackConverter', () => {
  test('given the guide\'s Ollama example, then the jsii wrapper gives the same result as the functions', () => {
    const before = parse(guide.OLLAMA_BEFORE);
    const after = parse(guide.OLLAMA_AFTER);

    expect(LlamaStackConverter.convert(before)).toEqual(convertLlamaStackDistribution(before));
    expect(LlamaStackConverter.normalizeDraft(after)).toEqual(normalizeLlamaStackDraft(after));
    expect(LlamaStackConverter.convertDocuments([before])).toEqual(convertLlamaStackDocuments([before]));
    expect(LlamaStackConverter.EXTRAS_ANNOTATION).toBe(EXTRAS);
  });
});
