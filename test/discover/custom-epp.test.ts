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
    expect(settings(container())).toEqual({ options: { image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0' }, dropped: [] });
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
  });
});
