/**
 * How the upstream `inferencepool` Helm chart renders the Endpoint Picker at each bridge release, as facts the
 * `EndpointPicker` construct follows. Read from `config/charts/inferencepool/templates` at v1.0.0..v1.3.1 and from
 * the `epplib` library chart (`config/charts/epplib/templates`) with `config/charts/inferencepool` at v1.4.0.
 * Internal.
 */
import { gieAtLeast } from '../convert/gie-versions';

/** What changes in the chart's EPP from one release line to the next. */
export interface EppChartFacts {
  /** The release whose chart is followed (also the default image tag and the `app.kubernetes.io/version` label). */
  readonly gieVersion: string;
  /** How the chart turns tracing off (on by default in the EPP from v1.1.0): none (v1.0) or `--tracing=false` (v1.1+; v1.1.0's chart writes two arguments, which the EPP misreads). */
  readonly tracingArgs: string[];
  /** Env `POD_NAME` from `metadata.name` (v1.2.0+). */
  readonly podNameEnv: boolean;
  /** The default scheduling profile weighs its scorers 2, 2 and 3 (v1.2.0+). */
  readonly scorerWeights: boolean;
  /** The Role lets the EPP read InferenceModelRewrites (v1.3.0+, when the EPP applies them). */
  readonly readsRewrites: boolean;
  /** The Roles split by what they grant: `<epp>-sa` (pods) and `<epp>-non-sa` (objectives, rewrites, pools) (v1.4.0, epplib). */
  readonly splitRoles: boolean;
  /** The label `inference.networking.k8s.io/igw-mode: inferencepool` on the Deployment and its pods (v1.4.0). */
  readonly modeLabel: boolean;
  /** The chart's default resources: requests cpu 4 and memory 8Gi, limit memory 16Gi (v1.4.0). */
  readonly defaultResources: boolean;
  /**
   * Where the model-server (Triton) metric flags go: after the user's flags (v1.0.0), after `--config-file`
   * (v1.0.2..v1.3.1) or before `--zap-encoder` (v1.4.0).
   */
  readonly modelServerFlagsAt: 'after-user-flags' | 'after-config-file' | 'before-encoder';
  /**
   * `--pool-group` on every pool (v1.0.2+: the chart compares the pool's apiVersion with a bare group, so it always
   * writes it); v1.0.0's chart has no such value, and the library writes the flag there only for a group other than
   * the EPP's default (`inference.networking.k8s.io`, `runserver.DefaultPoolGroup` at v1.0.0).
   */
  readonly alwaysPoolGroup: boolean;
  /** Env `NAMESPACE` from `metadata.namespace` (v1.0.2+; v1.0.0's EPP does not read it). */
  readonly namespaceEnv: boolean;
  /** The readiness probe's timing: every 2 s (v1.0.2+), or after 5 s every 10 s (v1.0.0). */
  readonly readinessPeriodSeconds: number;
  /**
   * The Role reads InferencePools of both groups, and the pool's own group besides (v1.0.0: the x-k8s.io group
   * lists `inferenceobjectives` and `inferencepools`, the v1 group `inferencepools`); from v1.0.2 only the pool's group.
   */
  readonly readsBothPoolGroups: boolean;
  /** The InferencePool CRD defaults `spec.appProtocol` to `http` (v1.4.0). */
  readonly poolAppProtocol: boolean;
}

/** The facts of the chart of a bridge release (one of BRIDGE_GIE_RELEASES). */
export function eppChartFacts(gieVersion: string): EppChartFacts {
  const from = (v: string) => gieAtLeast(gieVersion, v);
  let tracingArgs: string[] = [];
  // v1.1.0's chart writes `--tracing` and `false` as two arguments (templates/epp-deployment.yaml@v1.1.0), but the
  // EPP parses its flags with Go's flag package, where `--tracing` is a bool (cmd/epp/runner/runner.go@v1.1.0):
  // `--tracing` alone turns tracing on and `false` ends the flags, so every flag after it is ignored. The library
  // writes one argument on v1.1.0 too, as the chart does from v1.2.0 (the real v1.1.0 EPP replayed shows it).
  if (from('v1.1.0')) tracingArgs = ['--tracing=false'];
  return {
    gieVersion,
    tracingArgs,
    podNameEnv: from('v1.2.0'),
    scorerWeights: from('v1.2.0'),
    readsRewrites: from('v1.3.0'),
    splitRoles: from('v1.4.0'),
    modeLabel: from('v1.4.0'),
    defaultResources: from('v1.4.0'),
    modelServerFlagsAt: modelServerFlagsAt(gieVersion),
    alwaysPoolGroup: from('v1.0.2'),
    namespaceEnv: from('v1.0.2'),
    readinessPeriodSeconds: from('v1.0.2') ? 2 : 10,
    readsBothPoolGroups: !from('v1.0.2'),
    poolAppProtocol: from('v1.4.0'),
  };
}

function modelServerFlagsAt(gieVersion: string): EppChartFacts['modelServerFlagsAt'] {
  if (gieAtLeast(gieVersion, 'v1.4.0')) return 'before-encoder';
  return gieAtLeast(gieVersion, 'v1.0.2') ? 'after-config-file' : 'after-user-flags';
}

/** The chart's default EndpointPickerConfig (`epp-config.yaml`; `epplib/templates/_config.yaml` at v1.4.0). */
export function defaultPluginsConfig(facts: EppChartFacts): string {
  const weight = (w: number) => (facts.scorerWeights ? [`    weight: ${w}`] : []);
  return [
    'apiVersion: inference.networking.x-k8s.io/v1alpha1',
    'kind: EndpointPickerConfig',
    'plugins:',
    '- type: queue-scorer',
    '- type: kv-cache-utilization-scorer',
    '- type: prefix-cache-scorer',
    'schedulingProfiles:',
    '- name: default',
    '  plugins:',
    '  - pluginRef: queue-scorer',
    ...weight(2),
    '  - pluginRef: kv-cache-utilization-scorer',
    ...weight(2),
    '  - pluginRef: prefix-cache-scorer',
    ...weight(3),
    '',
  ].join('\n');
}

/**
 * The pool's `endpointPickerRef.failureMode` a fresh `helm install` of the target's `inferencepool` chart gives:
 * `FailClose` up to v1.3.1 (templates/inferencepool.yaml: `default "FailClose"`, no value set), `FailOpen` from
 * v1.4.0 (values.yaml@v1.4.0: `inferenceExtension.failureMode: "FailOpen"`).
 */
export function chartDefaultFailureMode(gieVersion: string): 'FailOpen' | 'FailClose' {
  return gieAtLeast(gieVersion, 'v1.4.0') ? 'FailOpen' : 'FailClose';
}
