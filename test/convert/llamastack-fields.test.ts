// Edge cases of the LlamaStackDistribution conversion, field by field: empty and null values as YAML and templates
// write them, env vars the converter cannot lift, the exact warnings and errors, and the draft forms of v1alpha2.
// Field names and meanings (v1alpha1 spec.server.*, v1alpha2 spec.* and their required fields) are those of the
// CRD the project pins: imports/crds/llamastack-operator-pr253/llamastack.io_llamastackdistributions.yaml.
import { convertLlamaStackDistribution, normalizeLlamaStackDraft } from '../../src/convert/llamastack';
import { UserError } from '../../src/core/errors';
import { convertLlamaStackDocuments } from '../../src/llamastack/convert-files';
import { convert, v1alpha1 } from '../fixtures/llamastack';
import { expectValid, parseYamlDocs } from '../util';

const EXTRAS = 'llamastack.io/v1alpha1-extras';


/** A v1alpha2 object with the given spec fields next to a distribution. */
function v1alpha2(spec: any): any {
  return { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'my-llsd' }, spec: { distribution: { name: 'starter' }, ...spec } };
}


/** The message of the Error `fn` throws (failing the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('convertLlamaStackDistribution: how errors and warnings name the object', () => {
  test('given an empty YAML document (null), then it is a user error naming no object, not a crash', () => {
    // Given a document that parsed to null
    // When it is converted
    // Then the error names the kind it expected
    expect(errorOf(() => convertLlamaStackDistribution(null))).toBe("LlamaStackDistribution (unnamed): 'kind' must be LlamaStackDistribution (got undefined)");
  });

  test('given an object without metadata, then it is a user error asking for the name, not a crash', () => {
    // Given a LlamaStackDistribution written without metadata
    const input = { apiVersion: 'llamastack.io/v1alpha1', kind: 'LlamaStackDistribution', spec: { server: { distribution: { name: 'starter' } } } };

    // When it is converted, then the error asks for metadata.name
    expect(errorOf(() => convertLlamaStackDistribution(input))).toBe("LlamaStackDistribution (unnamed): 'metadata.name' is required");
  });

  test('given an empty name (as a template renders an unset value), then the name is required', () => {
    expect(errorOf(() => convertLlamaStackDistribution(v1alpha1({}, { metadata: { name: '' } })))).toMatch(/: 'metadata.name' is required$/);
  });

  test('given an apiVersion of neither version, then the error says which one it must be, with no hint about the other', () => {
    const input = { ...v1alpha1({}), apiVersion: 'llamastack.io/v1beta1' };

    expect(errorOf(() => convertLlamaStackDistribution(input)))
      .toBe("LlamaStackDistribution my-llsd: 'apiVersion' must be llamastack.io/v1alpha1 (got \"llamastack.io/v1beta1\")");
  });

  test('given an empty namespace (as a template renders an unset value), then the CR counts as having none: the namespace option applies', () => {
    // Given a CR with namespace "" whose userConfig ConfigMap is in another namespace than the one it will be applied in
    const input = v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'shared' } }, { metadata: { namespace: '' } });

    // When it is converted for namespace ai
    const message = errorOf(() => convertLlamaStackDistribution(input, { namespace: 'ai' }));

    // Then the label shows no namespace, and the CR's namespace is the option's
    expect(message).toMatch(/^LlamaStackDistribution my-llsd: 'spec.server.userConfig.configMapNamespace' must be the CR's namespace "ai" \(got "shared"\)/);
  });

  test('given an empty namespace and an empty distribution name next to an image, then both count as unset', () => {
    const input = v1alpha1({ distribution: { name: '', image: 'quay.io/example/llama-stack:1.0' }, containerSpec: { name: 'server' } }, { metadata: { namespace: '' } });

    const { object, warnings } = convert(input);

    expect(object.spec.distribution).toEqual({ image: 'quay.io/example/llama-stack:1.0' });
    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.name' (\"server\") was dropped: the v1alpha2 container is always named llama-stack; the value is kept in annotation llamastack.io/v1alpha1-extras",
    ]);
  });
});

describe('convertLlamaStackDistribution: sections left empty or of the wrong type', () => {
  test('given YAML keys left empty (null), then they read as absent', () => {
    // Given network and podOverrides written as empty keys
    const [input] = parseYamlDocs(`
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  network:
  server:
    distribution:
      name: starter
    podOverrides:
`);

    // When it is converted
    const { object, warnings } = convert(input);

    // Then nothing is written for them and nothing is warned
    expect(object.spec).toEqual({ distribution: { name: 'starter' } });
    expect(warnings).toEqual([]);
  });

  test('given server left empty (null), then it is the error that server is required', () => {
    const input = v1alpha1({});
    input.spec.server = null;

    expect(errorOf(() => convertLlamaStackDistribution(input))).toBe("LlamaStackDistribution my-llsd: 'spec.server' is required");
  });

  test('given storage written as a size (storage: 10Gi), then it is an error naming the field', () => {
    expect(errorOf(() => convertLlamaStackDistribution(v1alpha1({ storage: '10Gi' }))))
      .toBe("LlamaStackDistribution my-llsd: 'spec.server.storage' must be an object (got \"10Gi\")");
  });
});

describe('convertLlamaStackDistribution: userConfig', () => {
  test('given userConfig without a ConfigMap name, then it is an error naming the field', () => {
    expect(errorOf(() => convertLlamaStackDistribution(v1alpha1({ userConfig: { configMapNamespace: 'ai' } }))))
      .toBe("LlamaStackDistribution my-llsd: 'spec.server.userConfig.configMapName' is required (got undefined)");
  });

  test('given a userConfig ConfigMap in another namespace, then the error says how to fix it', () => {
    const input = v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'shared' } }, { metadata: { namespace: 'ai' } });

    expect(errorOf(() => convertLlamaStackDistribution(input))).toBe(
      "LlamaStackDistribution ai/my-llsd: 'spec.server.userConfig.configMapNamespace' must be the CR's namespace \"ai\" (got \"shared\"): " +
      "v1alpha2 overrideConfig reads the ConfigMap from the CR's own namespace; copy ConfigMap shared/cfg to ai first, then convert without configMapNamespace");
  });

  test('given a userConfig namespace for a CR without namespace, then the warning says where the value is kept', () => {
    const { warnings } = convert(v1alpha1({ userConfig: { configMapName: 'cfg', configMapNamespace: 'ai' } }));

    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.userConfig.configMapNamespace' (\"ai\") has no v1alpha2 field: overrideConfig reads ConfigMap cfg " +
      'from the namespace the CR is applied in, so apply it in "ai"; the value is kept in annotation llamastack.io/v1alpha1-extras',
    ]);
  });

  test('given userConfig with the Ollama URL and model, then the warning lists both env vars', () => {
    const env = [{ name: 'OLLAMA_URL', value: 'http://ollama:11434' }, { name: 'OLLAMA_INFERENCE_MODEL', value: 'llama3.2:1b' }];

    const { object, warnings } = convert(v1alpha1({ userConfig: { configMapName: 'cfg' }, containerSpec: { env } }));

    expect(object.spec.workload.overrides.env).toEqual(env);
    expect(warnings[0]).toBe("LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env' (OLLAMA_URL, OLLAMA_INFERENCE_MODEL) stays in workload.overrides.env: " +
      'overrideConfig (from userConfig) excludes providers and resources, and your config.yaml may read them');
  });

  test('given mapKnownEnv false and no userConfig, then the only warning is that the env moved (none about userConfig)', () => {
    const env = [{ name: 'OLLAMA_URL', value: 'http://ollama:11434' }];

    const { warnings } = convert(v1alpha1({ containerSpec: { env } }), { mapKnownEnv: false });

    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env' OLLAMA_URL moved unchanged to spec.workload.overrides.env: v1alpha2 has no declarative field for them",
    ]);
  });
});

describe('convertLlamaStackDistribution: env vars that cannot become providers or models', () => {
  test('given the Ollama model read from a ConfigMap, then the provider is made from the URL and the model stays in env, with the reason', () => {
    // Given OLLAMA_URL with a value and OLLAMA_INFERENCE_MODEL from a ConfigMap
    const model = { name: 'OLLAMA_INFERENCE_MODEL', valueFrom: { configMapKeyRef: { name: 'llsd-config', key: 'model' } } };

    // When it is converted
    const { object, warnings } = convert(v1alpha1({ containerSpec: { env: [{ name: 'OLLAMA_URL', value: 'http://ollama:11434' }, model] } }));

    // Then the provider is declared, no model is, and the model env var stays
    expect(object.spec.providers).toEqual({ inference: [{ provider: 'ollama', endpoint: 'http://ollama:11434' }] });
    expect(object.spec.resources).toBeUndefined();
    expect(object.spec.workload.overrides.env).toEqual([model]);
    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env[OLLAMA_INFERENCE_MODEL]' stays in workload.overrides.env: it has no literal value to become a model name; declare resources.models by hand",
      "LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env' OLLAMA_INFERENCE_MODEL moved unchanged to spec.workload.overrides.env: v1alpha2 has no declarative field for them",
    ]);
  });

  test('given a URL with both a value and a valueFrom, then the value is not taken as the endpoint (valueFrom is what the env var reads)', () => {
    const url = { name: 'OLLAMA_URL', value: 'http://ollama:11434', valueFrom: { configMapKeyRef: { name: 'llsd-config', key: 'url' } } };

    const { object, warnings } = convertLlamaStackDistribution(v1alpha1({ containerSpec: { env: [url] } })) as { object: any; warnings: string[] };

    expect(object.spec.providers).toBeUndefined();
    expect(object.spec.workload.overrides.env).toEqual([url]);
    expect(warnings[0]).toMatch(/'spec.server.containerSpec.env\[OLLAMA_URL\]' stays in workload.overrides.env: it has no literal value/);
  });

  test.each([
    ['read from a ConfigMap', { configMapKeyRef: { name: 'llsd-config', key: 'api-key' } },
      'it does not read a Secret (valueFrom.secretKeyRef); reference one with secretRefs.api_key by hand'],
    ['with an empty secretKeyRef', { secretKeyRef: null },
      'it does not read a Secret (valueFrom.secretKeyRef); reference one with secretRefs.api_key by hand'],
    ['whose secretKeyRef has no key', { secretKeyRef: { name: 'vllm-secret' } }, 'its secretKeyRef needs a name and a key (got <redacted>)'],
    ['whose secretKeyRef has no name', { secretKeyRef: { key: 'api-key' } }, 'its secretKeyRef needs a name and a key (got <redacted>)'],
  ])('given a vLLM API key %s, then the provider gets no secretRefs and the env var stays, with the reason', (_name, valueFrom, why) => {
    // Given a vLLM URL and a VLLM_API_KEY that cannot be a secretRefs entry
    const apiKey = { name: 'VLLM_API_KEY', valueFrom };

    // When it is converted
    const { object, warnings } = convertLlamaStackDistribution(v1alpha1({ containerSpec: { env: [{ name: 'VLLM_URL', value: 'http://vllm:8000/v1' }, apiKey] } })) as { object: any; warnings: string[] };

    // Then the provider has only its endpoint, the key stays in env, and the reason (with the Secret reference redacted) is given
    expect(object.spec.providers).toEqual({ inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1' }] });
    expect(object.spec.workload.overrides.env).toEqual([apiKey]);
    expect(warnings[0]).toBe(`LlamaStackDistribution my-llsd: 'spec.server.containerSpec.env[VLLM_API_KEY]' stays in workload.overrides.env: ${why}`);
  });

  test('given an empty env entry (a bare "-" in YAML), then the conversion reports the CRD problem as a user error, not a crash', () => {
    // Given an env list with an empty item next to a real one
    const input = v1alpha1({ containerSpec: { env: [null, { name: 'LLAMA_STACK_LOGGING', value: 'all=debug' }] } });

    // When the documents are converted
    // Then the empty item reaches overrides.env as it was, and the v1alpha2 check rejects it, naming the item
    expect(errorOf(() => convertLlamaStackDocuments([input]))).toBe("LlamaStackDistribution my-llsd: 'spec.workload.overrides.env[0]' must be an object (got <redacted>)");
  });
});

describe('convertLlamaStackDistribution: CA bundle', () => {
  test('given a CA bundle without a ConfigMap name, then it is an error naming the field', () => {
    expect(errorOf(() => convertLlamaStackDistribution(v1alpha1({ tlsConfig: { caBundle: { configMapKeys: ['ca.crt'] } } }))))
      .toBe("LlamaStackDistribution my-llsd: 'spec.server.tlsConfig.caBundle.configMapName' is required (got undefined)");
  });

  test('given a CA bundle namespace for a CR without namespace, then the warning says to copy it to where the CR is applied', () => {
    const { object, warnings } = convert(v1alpha1({ tlsConfig: { caBundle: { configMapName: 'ca', configMapNamespace: 'certs' } } }));

    expect(JSON.parse(object.metadata.annotations[EXTRAS])).toEqual({ caBundleNamespace: 'certs' });
    expect(warnings).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.server.tlsConfig.caBundle.configMapNamespace' (\"certs\") was dropped: v1alpha2 reads the CA bundle ConfigMap " +
      "from the CR's own namespace, so copy ConfigMap certs/ca to the namespace the CR is applied in; the value is kept in annotation llamastack.io/v1alpha1-extras",
    ]);
  });
});

describe('convertLlamaStackDistribution: container resources', () => {
  test.each([
    ['empty', {}],
    ['with empty requests and limits', { requests: {}, limits: {} }],
    ['with empty requests only', { requests: {} }],
  ])('given resources %s, then workload.resources is not written', (_name, resources) => {
    const { object } = convert(v1alpha1({ containerSpec: { resources } }));

    expect(object.spec.workload).toBeUndefined();
  });

  test('given requests and empty limits, then the resources are copied as they are', () => {
    const { object } = convert(v1alpha1({ containerSpec: { resources: { requests: { cpu: '1' }, limits: {} } } }));

    expect(object.spec.workload).toEqual({ resources: { requests: { cpu: '1' }, limits: {} } });
  });

  test('given resources built in code with requests undefined, then the limits are copied', () => {
    // Given a TypeScript caller that leaves optional requests undefined
    const resources = { requests: undefined, limits: { memory: '16Gi' } };

    // When it is converted
    const { object } = convert(v1alpha1({ containerSpec: { resources } }));

    // Then only the limits are written
    expect(object.spec.workload).toEqual({ resources: { limits: { memory: '16Gi' } } });
  });

  test.each([
    ['requests', { requests: null, limits: { memory: '16Gi' } }, { limits: { memory: '16Gi' } }],
    ['limits', { requests: { cpu: '2' }, limits: null }, { requests: { cpu: '2' } }],
  ])('given a file whose %s are left empty (YAML null), then the rest is copied and nothing crashes', (_name, resources, expected) => {
    // Given `requests:` or `limits:` written with no value, as YAML reads it
    // When it is converted
    const { object } = convert(v1alpha1({ containerSpec: { resources } }));
    // Then the empty section is dropped and the other one is carried
    expect(object.spec.workload).toEqual({ resources: expected });
  });

  test('given both left empty (YAML null), then workload.resources is not written', () => {
    const { object } = convert(v1alpha1({ containerSpec: { resources: { requests: null, limits: null } } }));
    expect(object.spec.workload).toBeUndefined();
  });
});

describe('normalizeLlamaStackDraft: exact differences', () => {
  test('given models as strings, then each difference names the item and its typed form', () => {
    const { object, differences } = normalizeLlamaStackDraft(v1alpha2({ resources: { models: ['llama3.2:1b', { name: 'granite' }] } })) as { object: any; differences: string[] };

    expect(object.spec.resources.models).toEqual([{ name: 'llama3.2:1b' }, { name: 'granite' }]);
    expect(differences).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.resources.models[0]' was the string \"llama3.2:1b\"; the CRD takes an object, so it became {name: \"llama3.2:1b\"}",
    ]);
  });

  test('given a Redis password in the draft\'s secretKeyRef wrapper, then it becomes {name, key}, which passes the CRD', () => {
    // Given kv storage on Redis with its password as {secretKeyRef: {name, key}}
    const draft = v1alpha2({ storage: { kv: { type: 'redis', endpoint: 'redis://redis:6379', password: { secretKeyRef: { name: 'redis-auth', key: 'password' } } } } });

    // When it is normalized
    const { object, differences } = normalizeLlamaStackDraft(draft) as { object: any; differences: string[] };

    // Then the reference is the typed {name, key}, and the difference names the field
    expect(object.spec.storage.kv.password).toEqual({ name: 'redis-auth', key: 'password' });
    expect(differences).toEqual(["LlamaStackDistribution my-llsd: 'spec.storage.kv.password' was {secretKeyRef: {name, key}}; the CRD takes {name, key} directly"]);
    expectValid([object]);
  });

  test('given a provider apiKey in the secretKeyRef wrapper, then both rewrites are listed, naming the apiKey field', () => {
    const draft = v1alpha2({ providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', apiKey: { secretKeyRef: { name: 'vllm-secret', key: 'api-key' } } }] } });

    const { object, differences } = normalizeLlamaStackDraft(draft) as { object: any; differences: string[] };

    expect(object.spec.providers.inference).toEqual([{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } } }]);
    expect(differences).toEqual([
      "LlamaStackDistribution my-llsd: 'spec.providers.inference[0].apiKey' was {secretKeyRef: {name, key}}; the CRD takes {name, key} directly",
      "LlamaStackDistribution my-llsd: 'spec.providers.inference[0].apiKey' is not a CRD field; it became secretRefs.api_key (a Secret name and key, read into the provider's api_key)",
    ]);
  });

  test('given an apiKey equal to the provider\'s secretRefs.api_key, then it is merged, and other secretRefs stay', () => {
    // Given a provider that gives the same key twice, next to another secretRefs entry (secretRefs is a map)
    const ref = { name: 'vllm-secret', key: 'api-key' };
    const draft = v1alpha2({ providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', apiKey: ref, secretRefs: { api_key: ref, hf_token: { name: 'hf', key: 'token' } } }] } });

    // When it is normalized
    const { object } = normalizeLlamaStackDraft(draft) as { object: any };

    // Then the provider keeps both secretRefs and loses apiKey
    expect(object.spec.providers.inference).toEqual([{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', secretRefs: { api_key: ref, hf_token: { name: 'hf', key: 'token' } } }]);
    expectValid([object]);
  });

  test('given an apiKey next to a different secretRefs.api_key, then the error shows the existing reference redacted', () => {
    const draft = v1alpha2({ providers: { inference: [{ provider: 'vllm', apiKey: { name: 'a', key: 'k' }, secretRefs: { api_key: { name: 'b', key: 'k' } } }] } });

    expect(errorOf(() => normalizeLlamaStackDraft(draft))).toBe(
      "LlamaStackDistribution my-llsd: 'spec.providers.inference[0].apiKey' conflicts with spec.providers.inference[0].secretRefs.api_key (<redacted>): give the API key once, as secretRefs.api_key");
  });

  test.each([
    ['a typed reference missing its key', { name: 'redis-auth' }],
    ['a wrapper with a field next to secretKeyRef', { secretKeyRef: { name: 'redis-auth', key: 'password' }, optional: true }],
  ])('given a Redis password that is %s, then it is left as written for the CRD check to report', (_name, password) => {
    const draft = v1alpha2({ storage: { kv: { type: 'redis', endpoint: 'redis://redis:6379', password } } });

    const { object, differences } = normalizeLlamaStackDraft(draft) as { object: any; differences: string[] };

    expect(object.spec.storage.kv.password).toEqual(password);
    expect(differences).toEqual([]);
  });

  test('given expose with a field besides enabled and hostname, then it is an error naming the field', () => {
    const draft = v1alpha2({ networking: { expose: { enabled: true, hostname: 'llama.example.com', tls: true } } });

    expect(errorOf(() => normalizeLlamaStackDraft(draft))).toMatch(/'spec.networking.expose' must be \{\} or \{hostname\}, or in the draft form true, false or \{enabled, hostname\} \(got \{"enabled":true,"hostname":"llama.example.com","tls":true\}\)$/);
  });
});
