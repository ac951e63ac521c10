// The flag sets of upstream's EPP by GIE release, read from kubernetes-sigs/gateway-api-inference-extension at each
// tag: cmd/epp/main.go@v0.3.0, cmd/epp/runner/runner.go@v0.4.0..v1.2.1, pkg/epp/server/options.go@v1.3.0..v1.4.0
// (Options.AddFlags), each with controller-runtime's zap flags (opts.BindFlags). A custom EPP built on a release
// (llm-d-inference-scheduler v0.3.0 on v1.0.0: its go.mod@v0.3.0) exits at start-up on a flag that release lacks.
import { Testing } from 'cdk8s';
import { EndpointPicker } from '../../src';
import { BRIDGE_GIE_RELEASES } from '../../src/convert/gie-versions';
import { EPP_FLAG_RELEASES, eppFlagsOf, isBooleanEppFlag } from '../../src/inference/epp-flags';

function eppArgs(props: Partial<ConstructorParameters<typeof EndpointPicker>[2]>): string[] {
  const chart = Testing.chart();
  new EndpointPicker(chart, 'epp', { poolName: 'pool', ...props });
  return Testing.synth(chart).find((o: any) => o.kind === 'Deployment').spec.template.spec.containers[0].args;
}

describe('the EPP flag table', () => {
  test('given the table, then it covers every tag from v0.3.0 to v1.4.0 and every bridge release', () => {
    expect(EPP_FLAG_RELEASES).toEqual(['v0.3.0', 'v0.4.0', 'v0.5.0', 'v0.5.1', 'v1.0.0', 'v1.0.1', 'v1.0.2', 'v1.1.0', 'v1.2.0', 'v1.2.1', 'v1.3.0', 'v1.3.1', 'v1.4.0']);
    for (const release of BRIDGE_GIE_RELEASES) expect(eppFlagsOf(release)).toBeDefined();
  });

  test('given the alpha line, then flags are camelCase and there is no --pool-group (cmd/epp/runner/runner.go@v0.5.1)', () => {
    expect(eppFlagsOf('v0.5.1')).toEqual(expect.arrayContaining(['poolName', 'poolNamespace', 'configFile', 'modelServerMetricsScheme', 'zap-encoder']));
    expect(eppFlagsOf('v0.5.1')).not.toContain('pool-group');
    expect(eppFlagsOf('v0.4.0')).not.toContain('configFile'); // added in v0.5.0
  });

  test('given v1.0.0, then kebab-case with --pool-group and no --tracing, --metrics-endpoint-auth or --cache-info-metric (cmd/epp/runner/runner.go@v1.0.0)', () => {
    const v100 = eppFlagsOf('v1.0.0')!;
    expect(v100).toEqual(expect.arrayContaining(['pool-name', 'pool-namespace', 'pool-group', 'config-file', 'zap-encoder', 'ha-enable-leader-election', 'v']));
    for (const flag of ['tracing', 'metrics-endpoint-auth', 'cache-info-metric']) expect(v100).not.toContain(flag);
  });

  test('given v1.1.0, v1.2.0 and v1.3.0, then each adds what its source adds', () => {
    expect(eppFlagsOf('v1.1.0')).toEqual(expect.arrayContaining(['tracing', 'metrics-endpoint-auth', 'cache-info-metric']));
    expect(eppFlagsOf('v1.2.0')).toEqual(expect.arrayContaining(['endpoint-selector', 'endpoint-target-ports']));
    expect(eppFlagsOf('v1.1.0')).not.toContain('endpoint-selector');
    // pkg/epp/server/options.go@v1.3.0
    expect(eppFlagsOf('v1.3.0')).toEqual(expect.arrayContaining(['disable-endpoint-subset-filter', 'enable-cert-reload', 'total-running-requests-metric']));
    expect(eppFlagsOf('v1.4.0')).toEqual(eppFlagsOf('v1.3.1'));
    // controller-runtime's --kubeconfig is on Go's flag.CommandLine up to v1.2.1 (epp -h of the v1.1.0 build), not in pflag's set after
    expect(eppFlagsOf('v1.2.1')).toContain('kubeconfig');
    expect(eppFlagsOf('v1.3.0')).not.toContain('kubeconfig');
    expect(eppFlagsOf('v9.9.9')).toBeUndefined();
  });
});

describe('EndpointPicker with a custom image', () => {
  test('given upstream\'s image at v1.4.0, then the chart\'s --tracing=false is written, as before', () => {
    expect(eppArgs({ gieVersion: 'v1.4.0' })).toContain('--tracing=false');
  });

  test('given another image and no imageGieVersion, then no flag of the target release\'s chart is written', () => {
    const args = eppArgs({ gieVersion: 'v1.4.0', image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0', flags: { v: '4' } });
    expect(args).toEqual(['--pool-name', 'pool', '--pool-namespace', 'default', '--pool-group', 'inference.networking.k8s.io', '--zap-encoder', 'json',
      '--config-file', '/config/default-plugins.yaml', '--v', '4']);
  });

  test('given imageGieVersion v1.0.0, then every flag is one v1.0.0 has, and a flag it lacks is refused naming flag and release', () => {
    const args = eppArgs({ gieVersion: 'v1.4.0', image: 'ghcr.io/llm-d/llm-d-inference-scheduler', imageTag: 'v0.3.0', imageGieVersion: 'v1.0.0', replicas: 2 });
    const names = args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]);
    expect(names.filter((n) => !eppFlagsOf('v1.0.0')!.includes(n))).toEqual([]);
    expect(names).not.toContain('tracing');
    expect(names).toContain('ha-enable-leader-election');
    expect(() => eppArgs({ image: 'example.com/epp', imageGieVersion: 'v1.0.0', flags: { 'metrics-endpoint-auth': 'false' } }))
      .toThrow(/'flags\.metrics-endpoint-auth' is not a flag of the EPP of GIE v1\.0\.0 \(cmd\/epp\/runner\/runner\.go@v1\.0\.0\), which exits at start-up on it/);
  });

  test('given imageGieVersion v1.2.0 (or 1.2.0), then the target\'s tracing flag is written, as that release has it', () => {
    expect(eppArgs({ gieVersion: 'v1.4.0', image: 'example.com/epp', imageGieVersion: '1.2.0' }).slice(-1)).toEqual(['--tracing=false']);
  });

  test('given an alpha release or an unknown one, then imageGieVersion is refused with what is allowed', () => {
    expect(() => eppArgs({ image: 'example.com/epp', imageGieVersion: 'v0.5.1' }))
      .toThrow(/'imageGieVersion' is v0\.5\.1, whose EPP has no --pool-name flag \(cmd\/epp\/runner\/runner\.go@v0\.5\.1\) and exits at start-up on it: the GA EPP needs an image built on GIE v1\.0\.0 or later/);
    expect(() => eppArgs({ image: 'example.com/epp', imageGieVersion: 'v1.5.0' }))
      .toThrow(/'imageGieVersion' must be a GIE release whose EPP flags are known: v0\.3\.0, .*v1\.4\.0 \(got "v1\.5\.0"\)/);
  });
});

describe('the boolean flags', () => {
  test('given every flag of every release, then the booleans (flag.Bool / BoolVar at the tags) are exactly those written as --name=value', () => {
    const all = new Set(EPP_FLAG_RELEASES.flatMap((r) => [...eppFlagsOf(r)!]));
    const booleans = [...all].filter(isBooleanEppFlag).sort();

    expect(booleans).toEqual([
      'disable-endpoint-subset-filter', 'enable-cert-reload', 'enable-pprof', 'enablePprof', 'ha-enable-leader-election', 'health-checking',
      'healthChecking', 'metrics-endpoint-auth', 'model-server-metrics-https-insecure-skip-verify', 'modelServerMetricsHttpsInsecureSkipVerify',
      'secure-serving', 'secureServing', 'tracing', 'zap-devel',
    ]);
    expect(isBooleanEppFlag('pool-name')).toBe(false);
  });
});
