import * as guide from './guide-004';
import { LlamaStackDistribution } from '../../src/llamastack/llama-stack-distribution';
import { LlamaStackApi, LlamaStackDistributionProps, LlamaStackKvStorageType, LlamaStackSqlStorageType } from '../../src/llamastack/types';
import { newChart, only, parseYamlDocs, synthValid } from '../util';

function parse(yaml: string): any {
  return parseYamlDocs(yaml)[0];
}

/** A guide "After" as the construct writes it: typed forms, and the namespace written out. */
function expected(yaml: string, edit: (spec: any) => void = () => {}): any {
  const obj = parse(yaml);
  edit(obj.spec);
  obj.metadata.namespace = 'default';
  return obj;
}

const inferenceAsList = (spec: any) => {
  spec.providers.inference = [spec.providers.inference];
};

function synthOne(chart = newChart()): any {
  return only(synthValid(chart), 'LlamaStackDistribution');
}

const OLLAMA = { provider: 'ollama', endpoint: 'http://ollama-server-service.ollama-dist.svc.cluster.local:11434' };

describe('LlamaStackDistribution: the guide\'s After examples from props', () => {
  test('given the Ollama setup as props, then it equals the typed form of the guide\'s After and passes the CRD', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'my-llsd', {
      name: 'my-llsd',
      distribution: { name: 'starter' },
      providers: { inference: [OLLAMA] },
      resources: { models: [{ name: 'llama3.2:1b' }] },
      workload: { replicas: 1 },
    });

    expect(synthOne(chart)).toEqual(expected(guide.OLLAMA_AFTER, inferenceAsList));
  });

  test('given vLLM with an API key Secret, then it is secretRefs.api_key, as the CRD spells it', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'my-llsd', {
      name: 'my-llsd',
      distribution: { name: 'starter' },
      providers: {
        inference: [{
          provider: 'vllm',
          endpoint: 'http://vllm-service.vllm-ns.svc:8000/v1',
          secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } },
        }],
      },
      resources: { models: [{ name: 'meta-llama/Llama-3.2-1B' }] },
      workload: { replicas: 1 },
    });

    expect(synthOne(chart)).toEqual(expected(guide.VLLM_AFTER, (spec) => {
      const { apiKey, ...provider } = spec.providers.inference;
      spec.providers.inference = [{ ...provider, secretRefs: { api_key: apiKey } }];
    }));
  });

  test('given network, TLS and exposure, then expose is {}, as the CRD spells it', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'my-llsd', {
      name: 'my-llsd',
      distribution: { name: 'starter' },
      networking: { port: 9000, expose: {}, tls: { caBundle: { configMapName: 'custom-ca-bundle' } }, allowedFrom: { namespaces: ['monitoring'] } },
      workload: { replicas: 1 },
    });

    expect(synthOne(chart)).toEqual(expected(guide.NETWORK_TLS_AFTER, (spec) => {
      spec.networking.expose = {};
    }));
  });

  test('given the guide\'s multiple providers, then both are listed with their ids and the models name them', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'my-llsd', {
      name: 'my-llsd',
      distribution: { name: 'starter' },
      providers: {
        inference: [
          { id: 'ollama-local', provider: 'ollama', endpoint: 'http://ollama.local.svc:11434' },
          { id: 'vllm-gpu', provider: 'vllm', endpoint: 'http://vllm.gpu.svc:8000/v1', secretRefs: { api_key: { name: 'vllm-secret', key: 'api-key' } } },
        ],
      },
      resources: { models: [{ name: 'llama3.2:1b', provider: 'ollama-local' }, { name: 'meta-llama/Llama-3.2-70B', provider: 'vllm-gpu' }] },
    });

    const guideSpec = parse(guide.MULTIPLE_PROVIDERS).spec;
    guideSpec.providers.inference[1].secretRefs = { api_key: guideSpec.providers.inference[1].apiKey };
    delete guideSpec.providers.inference[1].apiKey;
    expect(synthOne(chart).spec).toEqual({ distribution: { name: 'starter' }, ...guideSpec });
  });

  test('given the guide\'s state storage, then redis and postgres are written as the guide shows them', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'my-llsd', {
      name: 'my-llsd',
      distribution: { name: 'starter' },
      storage: {
        kv: { type: LlamaStackKvStorageType.REDIS, endpoint: 'redis://redis.default.svc:6379', password: { name: 'redis-secret', key: 'password' } },
        sql: { type: LlamaStackSqlStorageType.POSTGRES, connectionString: { name: 'postgres-secret', key: 'dsn' } },
      },
    });

    expect(synthOne(chart).spec).toEqual({ distribution: { name: 'starter' }, ...parse(guide.STATE_STORAGE).spec });
  });

  test('given tools, vector I/O providers, external providers and disabled APIs, then they pass through', () => {
    const chart = newChart({ namespace: 'ai' });
    const llsd = new LlamaStackDistribution(chart, 'stack', {
      name: 'stack',
      distribution: { image: 'quay.io/example/llama-stack:1.0' },
      providers: {
        inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', settings: { max_tokens: 4096, tls_verify: false } }],
        vectorIo: [{ provider: 'pgvector', secretRefs: { password: { name: 'pg', key: 'password' } } }],
        toolRuntime: [{ provider: 'tavily-search' }],
      },
      resources: { tools: ['builtin::websearch'] },
      externalProviders: { inference: [{ providerId: 'my-provider', image: 'quay.io/example/provider:1.0' }] },
      disabled: [LlamaStackApi.AGENTS, LlamaStackApi.TELEMETRY],
    });

    const out = synthOne(chart);
    expect(out.metadata).toEqual({ name: 'stack', namespace: 'ai' });
    expect(llsd.namespace).toBe('ai');
    expect(out.spec.providers.vectorIo).toEqual([{ provider: 'pgvector', secretRefs: { password: { name: 'pg', key: 'password' } } }]);
    expect(out.spec.providers.inference[0].settings).toEqual({ max_tokens: 4096, tls_verify: false });
    expect(out.spec.resources).toEqual({ tools: ['builtin::websearch'] });
    expect(out.spec.externalProviders).toEqual({ inference: [{ providerId: 'my-provider', image: 'quay.io/example/provider:1.0' }] });
    expect(out.spec.disabled).toEqual(['agents', 'telemetry']);
  });
});

describe('LlamaStackDistribution: typed pod settings (cdk8s-plus k8s types)', () => {
  test('given env, volumes, mounts and topology spread constraints as the library structs, then they are written as Kubernetes spells them', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'llsd', {
      name: 'llsd',
      distribution: { name: 'starter' },
      workload: {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
        overrides: {
          env: [{ name: 'LLAMA_STACK_LOGGING', value: 'all=info' }, { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }],
          volumes: [
            { name: 'cache', emptyDir: { sizeLimit: '2Gi' } },
            { name: 'run-config', configMap: { name: 'llsd-config', items: [{ key: 'run.yaml', path: 'run.yaml' }], defaultMode: 0o440 } },
            { name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'llsd' } } },
          ],
          volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
        },
      },
    });
    const spec = synthOne(chart).spec;
    expect(spec.workload.overrides.env[1]).toEqual({ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } });
    expect(spec.workload.overrides.volumes).toEqual([
      { name: 'cache', emptyDir: { sizeLimit: '2Gi' } },
      { name: 'run-config', configMap: { name: 'llsd-config', items: [{ key: 'run.yaml', path: 'run.yaml' }], defaultMode: 288 } },
      { name: 'secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'llsd' } } },
    ]);
    expect(spec.workload.overrides.volumeMounts).toEqual([{ name: 'cache', mountPath: '/cache' }]);
    expect(spec.workload.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }]);
  });
});

describe('LlamaStackDistribution.fromObject and fromV1alpha1', () => {
  test.each([
    ['quick comparison', guide.QUICK_AFTER, inferenceAsList],
    ['basic Ollama setup', guide.OLLAMA_AFTER, inferenceAsList],
    ['vLLM with API key', guide.VLLM_AFTER, (spec: any) => {
      const { apiKey, ...provider } = spec.providers.inference;
      spec.providers.inference = [{ ...provider, secretRefs: { api_key: apiKey } }];
    }],
    ['ConfigMap override', guide.CONFIGMAP_AFTER, undefined],
    ['network policy and TLS', guide.NETWORK_TLS_AFTER, (spec: any) => {
      spec.networking.expose = {};
    }],
    ['full-featured example', guide.AUTOSCALING_AFTER, inferenceAsList],
  ])('given the guide\'s draft After of the %s, then fromObject writes the typed form, which passes the CRD', (_name, after, edit) => {
    const chart = newChart();
    const llsd = LlamaStackDistribution.fromObject(chart, 'llsd', parse(after));

    expect(synthOne(chart)).toEqual(expected(after, edit));
    expect(llsd.draftDifferences.length).toBe(edit ? (after === guide.VLLM_AFTER ? 2 : 1) : 0);
  });

  test.each([
    ['quick comparison', guide.QUICK_BEFORE, guide.QUICK_AFTER],
    ['basic Ollama setup', guide.OLLAMA_BEFORE, guide.OLLAMA_AFTER],
    ['ConfigMap override', guide.CONFIGMAP_BEFORE, guide.CONFIGMAP_AFTER],
    ['full-featured example', guide.AUTOSCALING_BEFORE, guide.AUTOSCALING_AFTER],
  ])('given the guide\'s v1alpha1 %s, then fromV1alpha1 writes what fromObject writes for the guide\'s After', (_name, before, after) => {
    const converted = newChart();
    const llsd = LlamaStackDistribution.fromV1alpha1(converted, 'llsd', parse(before));
    const fromAfter = newChart();
    LlamaStackDistribution.fromObject(fromAfter, 'llsd', parse(after));

    expect(synthOne(converted)).toEqual(synthOne(fromAfter));
    expect(llsd.conversionWarnings).toEqual([]);
  });

  test('given a v1alpha1 object with v1alpha1-only fields, then fromV1alpha1 lists the warnings and keeps the extras annotation', () => {
    const chart = newChart();
    const obj = parse(guide.OLLAMA_BEFORE);
    obj.spec.server.podOverrides = { terminationGracePeriodSeconds: 90 };

    const llsd = LlamaStackDistribution.fromV1alpha1(chart, 'llsd', obj);

    expect(synthOne(chart).metadata.annotations).toEqual({ 'llamastack.io/v1alpha1-extras': '{"terminationGracePeriod":90}' });
    expect(llsd.conversionWarnings).toEqual([expect.stringMatching(/terminationGracePeriodSeconds/)]);
  });

  test('given a v1alpha1 object, then fromObject is an error naming the construct and saying to convert it first', () => {
    expect(() => LlamaStackDistribution.fromObject(newChart(), 'llsd', parse(guide.OLLAMA_BEFORE)))
      .toThrow(/^test\/llsd: 'obj' cannot be read: LlamaStackDistribution my-llsd: 'apiVersion' must be llamastack.io\/v1alpha2 .*convert a v1alpha1 object first/);
  });

  test('given a userConfig ConfigMap in another namespace, then fromV1alpha1 is an error naming the field', () => {
    const obj = parse(guide.CONFIGMAP_BEFORE);
    obj.metadata.namespace = 'ai';
    obj.spec.server.userConfig.configMapNamespace = 'shared';

    expect(() => LlamaStackDistribution.fromV1alpha1(newChart(), 'llsd', obj))
      .toThrow(/^test\/llsd: 'obj' cannot be converted: LlamaStackDistribution ai\/my-llsd: 'spec.server.userConfig.configMapNamespace' must be the CR's namespace "ai"/);
  });

  test('given resources.shields (the guide names them, the CRD has none), then fromObject is an error pointing to overrideConfig', () => {
    const obj = parse(guide.OLLAMA_AFTER);
    obj.spec.resources.shields = ['llama-guard'];

    expect(() => LlamaStackDistribution.fromObject(newChart(), 'llsd', obj))
      .toThrow(/'resources.shields' is not a resources field of the CRD: allowed are models, tools \(the CRD has no shields: register them in a full config.yaml with overrideConfig\)/);
  });

  test('given a safety provider (not in the CRD), then fromObject is an error listing the APIs', () => {
    const obj = parse(guide.OLLAMA_AFTER);
    obj.spec.providers.safety = { provider: 'llama-guard' };

    expect(() => LlamaStackDistribution.fromObject(newChart(), 'llsd', obj))
      .toThrow(/'providers.safety' is not an API the CRD configures providers for: allowed are inference, vectorIo, toolRuntime, telemetry/);
  });
});

/** Valid props, to break one rule at a time. */
function base(): LlamaStackDistributionProps {
  return { distribution: { name: 'starter' } };
}

function build(props: any): void {
  new LlamaStackDistribution(newChart(), 'llsd', { ...base(), ...props });
}

describe('LlamaStackDistribution: rules', () => {
  test.each(['providers', 'resources', 'storage', 'disabled'])('given overrideConfig with %s, then it is an error: overrideConfig excludes it', (field) => {
    const value = {
      providers: { inference: [OLLAMA] },
      resources: { models: [{ name: 'llama3.2:1b' }] },
      storage: { kv: { type: 'sqlite' } },
      disabled: ['agents'],
    }[field];

    expect(() => build({ overrideConfig: { configMapName: 'llama-stack-config' }, [field]: value }))
      .toThrow(new RegExp(`^test/llsd: 'overrideConfig' cannot be combined with '${field}': overrideConfig supplies the whole config.yaml, which providers, resources, storage, disabled would generate`));
  });

  test('given two inference providers and one without id, then it is an error: each needs an id', () => {
    expect(() => build({ providers: { inference: [{ id: 'a', provider: 'ollama' }, { provider: 'vllm' }] } }))
      .toThrow(/^test\/llsd: 'providers.inference\[1\].id' is required: there are 2 providers of this API, and each needs its own id/);
  });

  test('given two providers of one API with the same id, then it is an error: ids are unique', () => {
    expect(() => build({ providers: { inference: [{ id: 'gpu', provider: 'vllm' }, { id: 'gpu', provider: 'vllm', endpoint: 'http://b' }] } }))
      .toThrow(/'providers.inference\[1\].id' \("gpu"\) is already the id of providers.inference\[0\]: provider ids must be unique across all APIs/);
  });

  test('given providers of two APIs whose omitted ids are the same provider type, then it is an error: ids are unique across APIs', () => {
    expect(() => build({ providers: { inference: [{ provider: 'remote' }], vectorIo: [{ provider: 'remote' }] } }))
      .toThrow(/'providers.vectorIo\[0\].id' \("remote"\) is already the id of providers.inference\[0\]: .*an omitted id is the provider type/);
  });

  test('given a model whose provider is not an inference provider id, then it is an error listing the ids', () => {
    expect(() => build({
      providers: { inference: [{ id: 'ollama-local', provider: 'ollama' }, { id: 'vllm-gpu', provider: 'vllm' }] },
      resources: { models: [{ name: 'llama3.2:1b', provider: 'vllm' }] },
    })).toThrow(/'resources.models\[0\].provider' \("vllm"\) must be the id of an inference provider: one of "ollama-local", "vllm-gpu"/);
  });

  test('given a model that names the provider type of a provider without id, then it is accepted (the id defaults to the type)', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'llsd', { ...base(), providers: { inference: [OLLAMA] }, resources: { models: [{ name: 'llama3.2:1b', provider: 'ollama' }] } });

    expect(synthOne(chart).spec.resources.models).toEqual([{ name: 'llama3.2:1b', provider: 'ollama' }]);
  });

  test.each([
    ['inference', 'inference'],
    ['vector_io', 'vectorIo'],
    ['tool_runtime', 'toolRuntime'],
    ['telemetry', 'telemetry'],
  ])('given %s both disabled and in providers.%s, then it is an error', (api, field) => {
    expect(() => build({ disabled: [api], providers: { [field]: [{ provider: 'x' }] } }))
      .toThrow(new RegExp(`'disabled\\[0\\]' \\("${api}"\\) is also configured in 'providers.${field}': an API cannot be both disabled and provided`));
  });

  test('given redis KV storage without endpoint, then it is an error', () => {
    expect(() => build({ storage: { kv: { type: 'redis' } } })).toThrow(/^test\/llsd: 'storage.kv.endpoint' is required when storage.kv.type is redis/);
  });

  test('given postgres SQL storage without connection string, then it is an error', () => {
    expect(() => build({ storage: { sql: { type: 'postgres' } } }))
      .toThrow(/^test\/llsd: 'storage.sql.connectionString' is required when storage.sql.type is postgres: a Secret \{name, key\} holding the connection string/);
  });

  test.each<[string, any, RegExp]>([
    ['both distribution name and image', { distribution: { name: 'starter', image: 'x' } }, /'distribution' must set exactly one of name \(a distribution such as "starter"\) or image/],
    ['neither distribution name nor image', { distribution: {} }, /'distribution' must set exactly one of name/],
    ['a bad name', { name: 'My Stack' }, /'name' must be a DNS-1123 subdomain/],
    ['an override ConfigMap name that is not a name', { overrideConfig: { configMapName: 'Config Map' } }, /'overrideConfig.configMapName' must be a DNS-1123 subdomain/],
    ['an empty provider list', { providers: { inference: [] } }, /'providers.inference' must be a non-empty list of providers/],
    ['a provider without type', { providers: { inference: [{ endpoint: 'http://x' }] } }, /'providers.inference\[0\].provider' must be a non-empty string \(got undefined\)/],
    ['the draft apiKey field', { providers: { inference: [{ provider: 'vllm', apiKey: { name: 's', key: 'k' } }] } },
      /'providers.inference\[0\].apiKey' is not a provider field: allowed are id, provider, endpoint, secretRefs, settings; an API key is secretRefs: \{api_key: \{name, key\}\}/],
    ['an empty secretRefs', { providers: { inference: [{ provider: 'vllm', secretRefs: {} }] } }, /'providers.inference\[0\].secretRefs' must have at least one entry/],
    ['a secret reference without key', { providers: { inference: [{ provider: 'vllm', secretRefs: { api_key: { name: 's' } } }] } },
      /'providers.inference\[0\].secretRefs.api_key.key' must be a non-empty string/],
    ['a model without name', { resources: { models: [{ provider: 'x' }] } }, /'resources.models\[0\].name' must be a non-empty string/],
    ['an empty tool name', { resources: { tools: [''] } }, /'resources.tools\[0\]' must be a non-empty string/],
    ['an unknown KV type', { storage: { kv: { type: 'etcd' } } }, /'storage.kv.type' must be one of "sqlite", "redis" \(got "etcd"\)/],
    ['a redis endpoint on sqlite', { storage: { kv: { endpoint: 'redis://r:6379' } } }, /'storage.kv.endpoint' is only valid when storage.kv.type is redis \(got type "sqlite"\)/],
    ['a connection string on sqlite', { storage: { sql: { type: 'sqlite', connectionString: { name: 'pg', key: 'dsn' } } } },
      /'storage.sql.connectionString' is only valid when storage.sql.type is postgres/],
    ['an unknown disabled API', { disabled: ['safety'] }, /'disabled\[0\]' must be one of "agents", "inference", "telemetry", "tool_runtime", "vector_io" \(got "safety"\)/],
    ['an empty disabled list', { disabled: [] }, /'disabled' must be a non-empty list of API names/],
    ['an external provider without image', { externalProviders: { inference: [{ providerId: 'p' }] } }, /'externalProviders.inference\[0\].image' must be a non-empty string/],
    ['a port out of range', { networking: { port: 70000 } }, /'networking.port' must be an integer in 1..65535 \(got 70000\)/],
    ['the draft expose: true', { networking: { expose: true } }, /'networking.expose' must be \{\} or \{hostname\} \(the draft form true is \{\} in the CRD\)/],
    ['an empty hostname', { networking: { expose: { hostname: '' } } }, /'networking.expose.hostname' must be a non-empty string/],
    ['a CA bundle namespace (v1alpha1 only)', { networking: { tls: { caBundle: { configMapName: 'ca', configMapNamespace: 'certs' } } } },
      /'networking.tls.caBundle.configMapNamespace' is not a CA bundle field: allowed are configMapName/],
    ['an empty allowedFrom list', { networking: { allowedFrom: { namespaces: [] } } }, /'networking.allowedFrom.namespaces' must be a non-empty list/],
    ['negative replicas', { workload: { replicas: -1 } }, /'workload.replicas' must be an integer in 0..2147483647 \(got -1\)/],
    ['zero workers', { workload: { workers: 0 } }, /'workload.workers' must be an integer in 1..2147483647 \(got 0\)/],
    ['maxReplicas below minReplicas', { workload: { autoscaling: { minReplicas: 3, maxReplicas: 2 } } },
      /'workload.autoscaling.maxReplicas' \(2\) must be greater than or equal to minReplicas \(3\)/],
    ['a CPU target above 100', { workload: { autoscaling: { maxReplicas: 2, targetCPUUtilizationPercentage: 150 } } },
      /'workload.autoscaling.targetCPUUtilizationPercentage' must be an integer in 1..100/],
    ['both PDB fields', { workload: { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } } },
      /'workload.podDisruptionBudget' must set exactly one of minAvailable or maxUnavailable/],
    ['a storage size that is not a quantity', { workload: { storage: { size: 'twenty gigs' } } }, /'workload.storage.size' must be a quantity such as "20Gi"/],
    ['an env var without name', { workload: { overrides: { env: [{ value: 'x' }] } } }, /'workload.overrides.env\[0\].name' must be a non-empty string/],
    ['an empty args list', { workload: { overrides: { args: [] } } }, /'workload.overrides.args' must be a non-empty list/],
    ['a terminationGracePeriodSeconds override (v1alpha1 only)', { workload: { overrides: { terminationGracePeriodSeconds: 30 } } },
      /'workload.overrides.terminationGracePeriodSeconds' is not a workload override: allowed are env, command, args, serviceAccountName, volumes, volumeMounts/],
  ])('given %s, then it is an error naming the prop', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('given every rule kept, then the object passes the CRD with every section set', () => {
    const chart = newChart();
    new LlamaStackDistribution(chart, 'llsd', {
      ...base(),
      name: 'llsd',
      labels: { app: 'chat' },
      annotations: { team: 'ml' },
      providers: { inference: [OLLAMA], telemetry: [{ provider: 'otel', endpoint: 'http://otel:4318' }] },
      resources: { models: [{ name: 'llama3.2:1b', provider: 'ollama', modelType: 'llm', contextLength: 8192 }] },
      storage: { kv: { type: LlamaStackKvStorageType.SQLITE }, sql: { type: LlamaStackSqlStorageType.SQLITE } },
      disabled: [LlamaStackApi.AGENTS],
      networking: { port: 8321, expose: { hostname: 'llama.example.com' }, allowedFrom: { labels: ['team/ai'] } },
      workload: {
        replicas: 2,
        workers: 2,
        resources: { requests: { cpu: '2', memory: '8Gi' } },
        storage: { size: '20Gi' },
        autoscaling: { minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 75 },
        podDisruptionBudget: { maxUnavailable: '50%' },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
        overrides: { env: [{ name: 'LLAMA_STACK_LOGGING', value: 'all=info' }], serviceAccountName: 'llsd', args: ['--verbose'] },
      },
    });

    const out = synthOne(chart);
    expect(out.metadata).toEqual({ name: 'llsd', namespace: 'default', labels: { app: 'chat' }, annotations: { team: 'ml' } });
    expect(Object.keys(out.spec).sort()).toEqual(['disabled', 'distribution', 'networking', 'providers', 'resources', 'storage', 'workload']);
  });
});
