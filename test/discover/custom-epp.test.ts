import { customEppSettings, eppContainer, isUpstreamEppImage, splitImage } from '../../src/discover/custom-epp';

const UPSTREAM = 'registry.k8s.io/gateway-api-inference-extension/epp';

/** A custom alpha EPP container (llm-d's scheduler, say) with the given parts. */
function container(parts: any = {}): any {
  return { name: 'epp', image: 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.2.1', ...parts };
}

function settings(c: any, podSpec: any = {}, configMaps: { [name: string]: { [key: string]: string } } = {}) {
  return customEppSettings(c, podSpec, 'ghcr.io/llm-d/llm-d-inference-scheduler:v0.3.0', (name) => configMaps[name]);
}

describe('isUpstreamEppImage', () => {
  test.each([
    [`${UPSTREAM}:v0.5.1`, true],
    [`${UPSTREAM}`, true],
    [`${UPSTREAM}@sha256:${'a'.repeat(64)}`, true],
    [`${UPSTREAM}:v1.0.0@sha256:${'a'.repeat(64)}`, true],
    [`${UPSTREAM}-fork:v0.5.1`, false],
    [`mirror.example.com/${UPSTREAM}:v0.5.1`, false],
    ['localhost:5000/epp:v1', false],
    // A registry on another port of upstream's host is another registry: only the tag is cut off, never a port.
    ['registry.k8s.io:5000/gateway-api-inference-extension/epp', false],
  ])('given %s, then upstream is %p', (image, expected) => {
    expect(isUpstreamEppImage(image)).toBe(expected);
  });
});

describe('splitImage', () => {
  test.each([
    ['ghcr.io/llm-d/scheduler:v0.3.0', ['ghcr.io/llm-d/scheduler', 'v0.3.0']],
    [`ghcr.io/llm-d/scheduler@sha256:${'b'.repeat(64)}`, ['ghcr.io/llm-d/scheduler', `sha256:${'b'.repeat(64)}`]],
    ['localhost:5000/scheduler', ['localhost:5000/scheduler', 'latest']],
    ['localhost:5000/scheduler:v1', ['localhost:5000/scheduler', 'v1']],
    ['scheduler', ['scheduler', 'latest']],
  ])('given %s, then repository and tag are %p', (image, expected) => {
    expect(splitImage(image)).toEqual(expected);
  });
});

describe('eppContainer', () => {
  test('given several containers, then the one named epp, else the first; none without containers', () => {
    const deployment = (containers: any) => ({ spec: { template: { spec: { containers } } } });
    expect(eppContainer(deployment([{ name: 'proxy' }, { name: 'epp' }]))?.name).toBe('epp');
    expect(eppContainer(deployment([{ name: 'scheduler' }, { name: 'sidecar' }]))?.name).toBe('scheduler');
    expect(eppContainer(deployment([]))).toBeUndefined();
    expect(eppContainer(deployment(undefined))).toBeUndefined();
  });

  test('given a Deployment with no pod template yet (a kustomize base, say), or an empty item in its containers, then no container, or the epp one', () => {
    // Given Deployments that stop short of their containers
    // When the EPP container is looked up, Then there is none, and nothing throws
    expect(eppContainer(undefined)).toBeUndefined();
    expect(eppContainer({ kind: 'Deployment', metadata: { name: 'epp' } })).toBeUndefined();
    expect(eppContainer({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(eppContainer({ kind: 'Deployment', spec: { template: {} } })).toBeUndefined();
    // Given containers whose first item is empty (a YAML `-` with nothing), When looked up, Then the one named epp
    expect(eppContainer({ spec: { template: { spec: { containers: [null, { name: 'epp', image: 'x' }] } } } })).toEqual({ name: 'epp', image: 'x' });
  });
});

describe('customEppSettings', () => {
  test('given flags in both spellings, then the EPP\'s own flags are kept in kebab-case, and those the GA EPP sets or fixes are not', () => {
    const s = settings(container({
      args: ['-poolName', 'p', '--poolNamespace=llm', '--pool-group', 'inference.networking.x-k8s.io', '-v', '4', '--kvCacheUsageThreshold=0.8',
        '--grpcPort', '9002', '--metricsPort', '9091', '--zap-encoder', 'console', '--haEnableLeaderElection=true', 'stray'],
    }));
    expect(s.options).toEqual({ image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0', flags: { 'v': '4', 'kv-cache-usage-threshold': '0.8' } });
    expect(s.dropped).toEqual([
      '--metrics-port 9091: the GA EPP listens on 9090',
      'the argument "stray", which follows no flag',
    ]);
  });

  test('given boolean flags, then each is dropped with the form to add by hand (Go reads a boolean only as --x=value)', () => {
    const s = settings(container({ args: ['--enable-pprof', '--secure-serving=false', '--v', '2'] }));
    expect(s.options.flags).toEqual({ v: '2' });
    expect(s.dropped).toEqual([
      'the boolean flag --enable-pprof=true: add it to the GA EPP\'s args by hand in that form',
      'the boolean flag --secure-serving=false: add it to the GA EPP\'s args by hand in that form',
    ]);
  });

  test('given a boolean flag last in the args, then it is dropped as --x=true rather than read as taking a value', () => {
    // Given a container whose last argument is a flag with no value
    // When its settings are read
    const s = settings(container({ args: ['--v', '3', '--enable-pprof'] }));

    // Then the flag before it keeps its value and the last one is a boolean to add by hand
    expect(s.options.flags).toEqual({ v: '3' });
    expect(s.dropped).toEqual(['the boolean flag --enable-pprof=true: add it to the GA EPP\'s args by hand in that form']);
  });

  test('given env from each kind of single source, then every one is kept; an item with no name, or an empty item, is skipped', () => {
    // Given env from a ConfigMap key, a field and a resource of the pod, an item with no name and an empty item (YAML `-`)
    const env = [
      null,
      { value: 'orphan' },
      { name: 'PLUGINS', valueFrom: { configMapKeyRef: { name: 'epp-env', key: 'plugins' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'CPUS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
    ];

    // When its settings are read
    const s = settings(container({ env }));

    // Then the three sourced variables are kept as written, and nothing is reported dropped
    expect(s.options.env).toEqual(env.slice(2));
    expect(s.dropped).toEqual([]);
  });

  test('given env values, then values and single sources are kept, the ones the EPP construct sets are skipped, the rest dropped', () => {
    const s = settings(container({
      env: [
        { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'KV_CACHE_SCORE_WEIGHT', value: '2' },
        { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
        { name: 'TWO', valueFrom: { secretKeyRef: { name: 'a', key: 'b' }, configMapKeyRef: { name: 'c', key: 'd' } } },
        { name: 'EMPTY' },
      ],
    }));
    expect(s.options.env).toEqual([
      { name: 'KV_CACHE_SCORE_WEIGHT', value: '2' },
      { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
    ]);
    expect(s.dropped).toEqual([
      'env TWO (from secretKeyRef, configMapKeyRef): add it to the GA EPP by hand',
      'env EMPTY (from nothing): add it to the GA EPP by hand',
    ]);
  });

  test('given no flags, env or resources, then the options hold the image only', () => {
    expect(settings(container())).toStrictEqual({ options: { image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0' }, dropped: [] });
  });

  test('given requests and limits, then every quantity is kept as written (a number as its text), and what is no quantity is dropped', () => {
    const s = settings(container({
      resources: {
        requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
        limits: { 'cpu': 2, 'memory': '2Gi', 'nvidia.com/gpu': 1, 'x': 'lots' },
      },
    }));
    expect(s.options.resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
      limits: { 'cpu': '2', 'memory': '2Gi', 'nvidia.com/gpu': '1' },
    });
    expect(s.dropped).toEqual(['limits.x lots: not a quantity this tool reads; set it on the GA EPP by hand']);
    expect(settings(container({ resources: { limits: { cpu: 'lots' } } })).options.resources).toBeUndefined();
    expect(settings(container({ resources: 'none' })).options.resources).toBeUndefined();
  });

  test('given requests only, an empty resources (YAML `resources:` with nothing), or a list where a quantity belongs, then what is a quantity is kept', () => {
    // Given a container that requests CPU and memory and sets no limits
    // When its settings are read, Then the requests are kept alone
    expect(settings(container({ resources: { requests: { cpu: '250m', memory: '1Gi' } } })).options.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' } });

    // Given `resources:` with nothing (null), When read, Then no resources and nothing dropped
    expect(settings(container({ resources: null }))).toStrictEqual({ options: { image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0' }, dropped: [] });

    // Given a limit written as a list (`cpu: [2]`), When read, Then it is no quantity: dropped, and the memory limit is kept
    const listed = settings(container({ resources: { limits: { cpu: [2], memory: '4Gi' } } }));
    expect(listed.options.resources).toEqual({ limits: { memory: '4Gi' } });
    expect(listed.dropped).toEqual(['limits.cpu 2: not a quantity this tool reads; set it on the GA EPP by hand']);
  });

  test('given a --config-file in a mounted ConfigMap, then its text is the GA EPP\'s plugin config; other mounts are dropped', () => {
    const podSpec = { volumes: [{ name: 'plugins', configMap: { name: 'epp-plugins' } }, { name: 'cache', emptyDir: {} }] };
    const s = settings(container({
      args: ['--config-file', '/etc/epp/config.yaml'],
      volumeMounts: [{ name: 'plugins', mountPath: '/etc/epp/' }, { name: 'cache', mountPath: '/cache' }],
    }), podSpec, { 'epp-plugins': { 'config.yaml': 'kind: EndpointPickerConfig\n' } });
    expect([s.options.pluginsConfig, s.options.pluginsConfigFile, s.options.flags]).toEqual(['kind: EndpointPickerConfig\n', 'config.yaml', undefined]);
    expect(s.dropped).toEqual(['the volume cache mounted at /cache: add it to the GA EPP by hand']);
  });

  test('given a --config-file that no ConfigMap of the input holds, then the plugin config is dropped with a reason', () => {
    const podSpec = { volumes: [{ name: 'plugins', configMap: { name: 'elsewhere' } }] };
    const s = settings(container({ args: ['--configFile=/etc/epp/config.yaml'], volumeMounts: [{ name: 'plugins', mountPath: '/etc/epp' }] }), podSpec, {});
    expect(s.options.pluginsConfig).toBeUndefined();
    expect(s.dropped).toEqual([
      'the plugin config /etc/epp/config.yaml: no ConfigMap in the input is mounted there, so the GA EPP gets the default plugins; give the GA EPP that config by hand',
    ]);
    const wrongKey = settings(container({ args: ['--config-file', '/etc/epp/other.yaml'], volumeMounts: [{ name: 'plugins', mountPath: '/etc/epp' }] }),
      podSpec, { elsewhere: { 'config.yaml': 'x' } });
    expect(wrongKey.options.pluginsConfig).toBeUndefined();
    expect(wrongKey.options.pluginsConfigFile).toBeUndefined();
    expect(wrongKey.dropped).toEqual([
      'the plugin config /etc/epp/other.yaml: no ConfigMap in the input is mounted there, so the GA EPP gets the default plugins; give the GA EPP that config by hand',
    ]);
  });

  test('given two ConfigMaps that each hold a config.yaml, then the plugin config is the one mounted at the --config-file\'s directory', () => {
    // Given the scheduler's plugins at /etc/epp and a model config, also config.yaml, mounted first at /etc/llm
    const podSpec = { volumes: [{ name: 'models', configMap: { name: 'model-config' } }, { name: 'plugins', configMap: { name: 'epp-plugins' } }] };
    const c = container({
      args: ['--config-file', '/etc/epp/config.yaml'],
      volumeMounts: [{ name: 'models', mountPath: '/etc/llm' }, { name: 'plugins', mountPath: '/etc/epp' }],
    });

    // When its settings are read
    const s = settings(c, podSpec, { 'model-config': { 'config.yaml': 'models: []\n' }, 'epp-plugins': { 'config.yaml': 'kind: EndpointPickerConfig\n' } });

    // Then the plugins' ConfigMap is the GA EPP's plugin config, and the other mount is dropped
    expect([s.options.pluginsConfig, s.options.pluginsConfigFile]).toEqual(['kind: EndpointPickerConfig\n', 'config.yaml']);
    expect(s.dropped).toEqual(['the volume models mounted at /etc/llm: add it to the GA EPP by hand']);
  });

  test('given a --config-file whose directory is an emptyDir, or a mount of a volume the pod does not have, then the plugin config is dropped', () => {
    // Given the config file's directory mounted from an emptyDir (filled by an init container, say)
    const c = container({ args: ['--config-file', '/etc/epp/config.yaml'], volumeMounts: [{ name: 'plugins', mountPath: '/etc/epp' }] });
    const reason = 'the plugin config /etc/epp/config.yaml: no ConfigMap in the input is mounted there, so the GA EPP gets the default plugins; give the GA EPP that config by hand';

    // When its settings are read, Then the GA EPP gets the default plugins, with the reason
    const emptyDir = settings(c, { volumes: [{ name: 'plugins', emptyDir: {} }] }, { plugins: { 'config.yaml': 'x' } });
    expect(emptyDir.options.pluginsConfig).toBeUndefined();
    expect(emptyDir.dropped).toEqual([reason]);

    // Given the mount names a volume the pod does not list, When read, Then the same
    const missing = settings(c, { volumes: [] }, { plugins: { 'config.yaml': 'x' } });
    expect(missing.options.pluginsConfig).toBeUndefined();
    expect(missing.dropped).toEqual([reason]);
  });

  test.each([
    ['after', [{ name: 'plugins', mountPath: '/etc/epp' }, null]],
    ['before', [null, { name: 'plugins', mountPath: '/etc/epp' }]],
  ])('given an empty item among the volumes and %s the plugins\' mount (YAML `-` with nothing), then the plugin config is still read', (_where, volumeMounts) => {
    // Given the plugins' volume after an empty item, and an empty mount item next to the plugins' mount
    const podSpec = { volumes: [null, { name: 'plugins', configMap: { name: 'epp-plugins' } }] };
    const c = container({ args: ['--config-file', '/etc/epp/config.yaml'], volumeMounts });

    // When its settings are read
    const s = settings(c, podSpec, { 'epp-plugins': { 'config.yaml': 'kind: EndpointPickerConfig\n' } });

    // Then the plugin config is the GA EPP's, and the empty item mounts nothing: nothing to report, nothing thrown
    expect([s.options.pluginsConfig, s.options.pluginsConfigFile]).toEqual(['kind: EndpointPickerConfig\n', 'config.yaml']);
    expect(s.dropped).toEqual([]);
  });
});
