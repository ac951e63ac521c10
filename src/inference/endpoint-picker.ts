import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ALPHA_GROUP,
  EPP_GRPC_PORT,
  EPP_HEALTH_PORT,
  EPP_IMAGE,
  EPP_METRICS_PORT,
  EPP_PLUGINS_FILE,
  GA_POOL_GROUP,
} from './api';
import { defaultPluginsConfig, EppChartFacts, eppChartFacts } from './epp-chart';
import { EPP_FLAG_RELEASES, eppFlagRelease, eppFlagsOf, isBooleanEppFlag } from './epp-flags';
import { checkPluginsConfig } from './epp-plugin-types';
import { resolveMetadata } from './metadata';
import { InferenceProvider, ModelServerType, ResourceMetadata } from './types';
import { DEFAULT_GIE_TARGET, gieAtLeast, resolveBridgeGie, upstreamEppRelease } from '../convert/gie-versions';
import { checkInteger, checkOneOf, givenProps, propError, show } from '../core/errors';
import { clusterRbacName, checkServiceName, checkSubdomain, endpointPickerName } from '../core/names';
import { clusterScoped, resolveNamespace } from '../core/namespace';
import { EnvVar, ImagePullPolicy, ResourceRequirements } from '../core/pod-types';
import { checkEnv, checkResources } from '../core/pod-values';

/**
 * Settings of an Endpoint Picker (EPP) deployment: the same knobs as the upstream `inferencepool`
 * chart's `inferenceExtension` values.
 */
export interface EndpointPickerOptions {
  /**
   * EPP container image, without the tag.
   * @default 'registry.k8s.io/gateway-api-inference-extension/epp'
   */
  readonly image?: string;

  /**
   * EPP image tag. Must be a v1.x release: only those read InferenceObjectives and take `--pool-group`.
   * @default - the GIE release whose chart is rendered (`gieVersion`, 'v1.0.2' by default)
   */
  readonly imageTag?: string;

  /**
   * Image pull policy of the EPP container.
   * @default ImagePullPolicy.ALWAYS (as the chart)
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Number of EPP replicas. More than one turns on leader election (`--ha-enable-leader-election`, a
   * leases Role, and the `liveness`/`readiness` gRPC health services).
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Extra EPP command-line flags, name (without `--`) to value, written in name order after the flags the
   * construct sets itself (the same args from every language, whatever order its map keeps). The pool, config-file, encoder and leader-election flags are owned by the construct and
   * refused in every spelling (`pool-name`, `--pool-name`, `pool-name=x`).
   * @default { v: '1' }
   */
  readonly flags?: { [name: string]: string };

  /**
   * Extra environment variables of the EPP container, in this order after `NAMESPACE` (from v1.0.2) and `POD_NAME`
   * (from v1.2.0), as the chart's `inferenceExtension.env` list: e.g. `[{ name: 'GOMEMLIMIT', value: '1GiB' }]`, or
   * `valueFrom` a Secret, a ConfigMap, a pod field or a resource. Names follow Kubernetes' rule
   * (`[-._a-zA-Z][-._a-zA-Z0-9]*`, not `.`, `..` or starting with `..`) and appear once.
   * @default - none
   */
  readonly env?: EnvVar[];

  /**
   * Requests and limits of the EPP container, as quantities by resource name, e.g.
   * `{ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } }`.
   * @default - the chart's: none up to v1.3.x; from v1.4.0 requests cpu 4 and memory 8Gi, limit memory 16Gi
   */
  readonly resources?: ResourceRequirements;

  /**
   * The EndpointPickerConfig (plugins and scheduling profiles), as YAML text. With upstream's image, every plugin
   * `type` must be one that release registers (an EPP exits at start-up on an unknown type); a custom image's config
   * is not checked.
   * @default - the chart's default: queue-scorer, kv-cache-utilization-scorer, prefix-cache-scorer (weighted 2, 2, 3 from v1.2.0)
   */
  readonly pluginsConfig?: string;

  /**
   * File name of the plugins config inside the ConfigMap (mounted at /config).
   * @default 'default-plugins.yaml'
   */
  readonly pluginsConfigFile?: string;

  /**
   * The GIE release the EPP image is built on, when `image` is not upstream's EPP: e.g. 'v1.0.0' for llm-d's
   * `llm-d-inference-scheduler:v0.3.0` (its go.mod requires GIE v1.0.0 and its main runs GIE's runner). Every flag
   * of the container, the construct's own and `flags`, is then checked against that release's flag set (its
   * `cmd/epp/runner`), and a flag the chart of `gieVersion` adds (tracing off, from v1.1.0) is written only when
   * that release has it. One of v0.3.0, v0.4.0, v0.5.0, v0.5.1, v1.0.0, v1.0.1, v1.0.2, v1.1.0, v1.2.0, v1.2.1,
   * v1.3.0, v1.3.1, v1.4.0; the GA EPP's own flags (`--pool-name`, `--pool-group`) need v1.0.0 or later.
   * @default - for upstream's image (`image` unset), `gieVersion`; for another image, unknown: the container gets
   * the construct's own flags and `flags`, nothing the chart adds for its release (no `--tracing=false`), unchecked
   */
  readonly imageGieVersion?: string;

  /**
   * Labels and annotations of every EPP object (the chart's `app.kubernetes.io/name` and
   * `app.kubernetes.io/version` labels are set by the construct).
   * @default - the chart's labels only
   */
  readonly metadata?: ResourceMetadata;
}

/**
 * Props of an `EndpointPicker`.
 */
export interface EndpointPickerProps extends EndpointPickerOptions {
  /** Name of the InferencePool this EPP serves (`--pool-name`). */
  readonly poolName: string;

  /**
   * Namespace of the pool and of every namespaced EPP object.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;

  /**
   * API group of the pool the EPP binds (`--pool-group`). The EPP ignores pools of any other group.
   * @default 'inference.networking.k8s.io'
   */
  readonly poolGroup?: string;

  /**
   * The model server behind the pool.
   * @default ModelServerType.VLLM
   */
  readonly modelServerType?: ModelServerType;

  /**
   * The gateway's platform. `ISTIO` adds a DestinationRule for the EPP Service.
   * @default InferenceProvider.NONE
   */
  readonly provider?: InferenceProvider;

  /**
   * The GIE release whose `inferencepool` chart is rendered: one of the bridge releases v1.0.0, v1.0.2, v1.1.0,
   * v1.2.0, v1.3.1, v1.4.0. It decides the default image tag and what the chart adds by release (tracing off from
   * v1.1.0, `POD_NAME` and weighted scorers from v1.2.0, InferenceModelRewrites in the Role from v1.3.0, the
   * `epplib` layout of v1.4.0: Roles split by ServiceAccount, the `igw-mode` label, default resources).
   * @default 'v1.0.2'
   */
  readonly gieVersion?: string;
}

// A flag name as the EPP's Go flag package reads it: no '=' (that starts the value), no spaces.
const FLAG_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;


const RESERVED_FLAGS: readonly string[] = [
  'pool-name',
  'pool-namespace',
  'pool-group',
  'config-file',
  'zap-encoder',
  'ha-enable-leader-election',
];

const TRITON_FLAGS = [
  '--total-queued-requests-metric',
  'nv_trt_llm_request_metrics{request_type=waiting}',
  '--kv-cache-usage-percentage-metric',
  'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type=fraction}',
  '--lora-info-metric',
  '', // Triton exposes no LoRA metrics: an empty name turns the scrape off.
];

/** The user the EPP image runs as (distroless `nonroot`). */
const EPP_USER = 65532;

/** The chart's default resources from v1.4.0 (`config/charts/inferencepool/values.yaml@v1.4.0`, `inferenceExtension.resources`). */
const CHART_RESOURCES_V14 = {
  requests: { cpu: '4', memory: '8Gi' },
  limits: { memory: '16Gi' },
};

/** The label epplib puts on the EPP Deployment and its pods (`modeLabels` in epplib/templates/_helpers.tpl@v1.4.0). */
const MODE_LABEL = { 'inference.networking.k8s.io/igw-mode': 'inferencepool' };

/**
 * The Endpoint Picker of a GA InferencePool, as the upstream `inferencepool` chart of the GIE release `gieVersion`
 * renders it (v1.0.2 by default; v1.4.0's EPP templates live in the `epplib` library chart): Deployment, Service,
 * ServiceAccount, plugins ConfigMap, Role and RoleBinding (from v1.4.0 one pair for the pods, `<pool>-epp-sa`, and
 * one for objectives, rewrites and pools, `<pool>-epp-non-sa`), ClusterRole and ClusterRoleBinding for metrics
 * auth, a leader-election Role when replicas > 1, and for Istio a DestinationRule. Object names follow the chart
 * (`<pool>-epp`), so the construct can replace a Helm release in place. Beyond the chart (each difference is listed
 * with its reason in docs/development.md, "Deliberate differences from upstream's chart", and checked against
 * `helm template` of the chart at every bridge release): the pod meets the restricted Pod Security Standard, a
 * writable `/tmp` is mounted so the root filesystem can be read-only, `/metrics` stays authenticated on every release
 * (the charts of v1.1.0 and v1.2.0 pass `--metrics-endpoint-auth=false` unless Prometheus monitoring is on), and the
 * ClusterRole that lets the EPP review its callers' tokens is always there, named `<pool>-<namespace>-epp` as from
 * v1.0.2 (the charts from v1.2.0 render it only with monitoring on, so an authenticated `/metrics` refuses every
 * scrape; v1.0.0 names it `<pool>-epp`, which two namespaces with a pool of the same name would share).
 *
 * @example
 * new EndpointPicker(chart, 'epp', {
 *   poolName: 'vllm-llama3-8b-instruct-ga',
 *   replicas: 2,
 *   flags: { v: '2' },
 *   imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT,
 * });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/tree/v1.0.2/config/charts/inferencepool
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/site-src/guides/epp-configuration/flags.md
 */
export class EndpointPicker extends Construct {
  /** Name shared by the EPP Deployment, Service, ServiceAccount and ConfigMap (`<pool>-epp`). */
  public readonly name: string;
  /** Namespace of the EPP. */
  public readonly namespace: string;
  /** Name of the EPP Service, the pool's `endpointPickerRef.name`. */
  public readonly serviceName: string;
  /** gRPC ext-proc port of the EPP Service, the pool's `endpointPickerRef.port.number`. */
  public readonly port: number;
  /** Number of EPP replicas. */
  public readonly replicas: number;
  /** The EPP Deployment. */
  public readonly deployment: ApiObject;
  /** The EPP Service. */
  public readonly service: ApiObject;
  /** The GIE release whose chart is rendered. */
  public readonly gieVersion: string;
  /** Whether the Role lets the EPP read InferenceModelRewrites (the chart of v1.3.0 and later). */
  public readonly readsModelRewrites: boolean;

  public constructor(scope: Construct, id: string, props: EndpointPickerProps) {
    super(scope, id);
    props = givenProps(this, props);

    checkSubdomain(this, 'poolName', props.poolName);
    this.namespace = resolveNamespace(this, 'namespace', props.namespace);
    this.name = endpointPickerName(props.poolName);
    checkServiceName(this, 'poolName', this.name);
    this.serviceName = this.name;
    this.port = EPP_GRPC_PORT;
    this.replicas = props.replicas ?? 1;
    checkInteger(this, 'replicas', this.replicas, 1, 100);
    const poolGroup = props.poolGroup ?? GA_POOL_GROUP;
    checkSubdomain(this, 'poolGroup', poolGroup);
    const modelServerType = props.modelServerType ?? ModelServerType.VLLM;
    checkOneOf(this, 'modelServerType', modelServerType, Object.values(ModelServerType));
    const provider = props.provider ?? InferenceProvider.NONE;
    checkOneOf(this, 'provider', provider, Object.values(InferenceProvider));
    const pluginsFile = props.pluginsConfigFile ?? EPP_PLUGINS_FILE;
    if (!/^[-._a-zA-Z0-9]+$/.test(pluginsFile)) {
      throw propError(this, 'pluginsConfigFile', `must be a ConfigMap key ([-._a-zA-Z0-9]+) (got ${show(pluginsFile)})`);
    }
    let gieVersion: string;
    try {
      gieVersion = resolveBridgeGie(props.gieVersion ?? DEFAULT_GIE_TARGET);
    } catch (err) {
      throw propError(this, 'gieVersion', (err as Error).message);
    }
    this.gieVersion = gieVersion;
    const chart = eppChartFacts(gieVersion);
    this.readsModelRewrites = chart.readsRewrites;
    const flags = resolveFlags(this, props.flags ?? { v: '1' });
    const env = resolveEnv(this, props.env ?? [], chart);
    const resources = props.resources !== undefined ? checkResources(this, 'resources', props.resources) : undefined;
    const imagePullPolicy = props.imagePullPolicy ?? ImagePullPolicy.ALWAYS;
    checkOneOf(this, 'imagePullPolicy', imagePullPolicy, Object.values(ImagePullPolicy));
    const image = `${props.image ?? EPP_IMAGE}:${props.imageTag ?? gieVersion}`;
    if (props.pluginsConfig !== undefined) checkUpstreamPluginsConfig(this, props.pluginsConfig, image);
    const leaderElection = this.replicas > 1;

    const own = resolveMetadata(this, 'metadata', props.metadata, { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/version': gieVersion });
    const selector = { inferencepool: this.name };
    const meta = { name: this.name, namespace: this.namespace, ...own };
    const modeLabels = chart.modeLabel ? MODE_LABEL : {};

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta });

    new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta,
      data: { [pluginsFile]: props.pluginsConfig ?? defaultPluginsConfig(chart) },
    });

    const imageRelease = resolveImageRelease(this, props.image, props.imageGieVersion, gieVersion);
    const args = checkedArgs(this, props.imageGieVersion !== undefined ? imageRelease : undefined, eppArgs({
      poolName: props.poolName,
      namespace: this.namespace,
      poolGroup,
      configFile: `/config/${pluginsFile}`,
      modelServerFlags: modelServerType === ModelServerType.TRITON_TENSORRT_LLM ? TRITON_FLAGS : [],
      leaderElection,
      flags,
      chart,
      releaseFlags: imageRelease !== undefined ? eppFlagsOf(imageRelease) : undefined,
    }));

    const grpcProbe = (service: string) => ({ port: EPP_HEALTH_PORT, service });
    this.deployment = new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: chart.modeLabel ? { ...meta, labels: { ...meta.labels, ...modeLabels } } : meta,
      spec: {
        replicas: this.replicas,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...selector, ...modeLabels } },
          spec: {
            serviceAccountName: this.name,
            // Conservatively as long as the longest grace period of the model servers in the pool.
            terminationGracePeriodSeconds: 130,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: EPP_USER,
              runAsGroup: EPP_USER,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [{
              name: 'epp',
              image,
              imagePullPolicy,
              args,
              ports: [
                { name: 'grpc', containerPort: EPP_GRPC_PORT },
                { name: 'grpc-health', containerPort: EPP_HEALTH_PORT },
                { name: 'metrics', containerPort: EPP_METRICS_PORT },
              ],
              livenessProbe: {
                grpc: grpcProbe(leaderElection ? 'liveness' : 'inference-extension'),
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
              readinessProbe: {
                grpc: grpcProbe(leaderElection ? 'readiness' : 'inference-extension'),
                ...(chart.readinessPeriodSeconds === 2 ? {} : { initialDelaySeconds: 5 }),
                periodSeconds: chart.readinessPeriodSeconds,
              },
              env: [
                ...(chart.namespaceEnv ? [{ name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }] : []),
                ...(chart.podNameEnv ? [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] : []),
                ...env,
              ],
              resources: resources ?? (chart.defaultResources ? CHART_RESOURCES_V14 : undefined),
              securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'plugins-config-volume', mountPath: '/config' },
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'plugins-config-volume', configMap: { name: this.name } },
              { name: 'tmp', emptyDir: {} },
            ],
          },
        },
      },
    });

    this.service = new ApiObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: EPP_GRPC_PORT, targetPort: EPP_GRPC_PORT, appProtocol: 'http2' },
          { name: 'http-metrics', protocol: 'TCP', port: EPP_METRICS_PORT, targetPort: EPP_METRICS_PORT },
        ],
      },
    });

    const serviceAccountSubject = [{ kind: 'ServiceAccount', name: this.name, namespace: this.namespace }];
    this.addRoles(meta, poolGroup, chart, serviceAccountSubject);

    // The metrics endpoint authenticates its callers: token and access reviews are cluster-scoped.
    const clusterName = clusterRbacName(props.poolName, this.namespace);
    clusterScoped(new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { ...own, name: clusterName },
      rules: [
        { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
        { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
      ],
    }));
    clusterScoped(new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { ...own, name: clusterName },
      subjects: serviceAccountSubject,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
    }));

    if (leaderElection) {
      const leaderName = `${this.name}-leader-election`;
      new ApiObject(this, 'LeaderElectionRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { ...meta, name: leaderName },
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        ],
      });
      new ApiObject(this, 'LeaderElectionRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        // The chart names the binding `<epp>-leader-election-binding` (leader-election-rbac.yaml, v1.0.2..v1.4.0).
        metadata: { ...meta, name: `${leaderName}-binding` },
        subjects: serviceAccountSubject,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: leaderName },
      });
    }

    if (provider === InferenceProvider.ISTIO) {
      // Istio's sidecar-less gateway talks TLS to the EPP, whose certificate is self-signed.
      new ApiObject(this, 'DestinationRule', {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'DestinationRule',
        metadata: meta,
        spec: {
          host: `${this.name}.${this.namespace}.svc.cluster.local`,
          trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } },
        },
      });
    }
  }

  /**
   * The Role(s) and RoleBinding(s) the chart renders: one pair for objectives (and rewrites from v1.3.0), pools and
   * pods up to v1.3.x; from v1.4.0 (epplib) one for the pods (`-sa`) and one for the inference objects (`-non-sa`).
   */
  private addRoles(meta: { name: string; namespace: string }, poolGroup: string, chart: EppChartFacts, subjects: object[]): void {
    const read = ['get', 'watch', 'list'];
    const inferenceRules: object[] = chart.readsBothPoolGroups
      ? [
        { apiGroups: [ALPHA_GROUP], resources: ['inferenceobjectives', 'inferencepools'], verbs: read },
        { apiGroups: [GA_POOL_GROUP], resources: ['inferencepools'], verbs: read },
        ...([ALPHA_GROUP, GA_POOL_GROUP].includes(poolGroup) ? [] : [{ apiGroups: [poolGroup], resources: ['inferencepools'], verbs: read }]),
      ]
      : [
        { apiGroups: [ALPHA_GROUP], resources: chart.readsRewrites ? ['inferenceobjectives', 'inferencemodelrewrites'] : ['inferenceobjectives'], verbs: read },
        { apiGroups: [poolGroup], resources: ['inferencepools'], verbs: read },
      ];
    const podRules: object[] = [{ apiGroups: [''], resources: ['pods'], verbs: read }];
    const pairs: Array<[string, string, object[]]> = chart.splitRoles
      ? [['RoleSa', `${this.name}-sa`, podRules], ['RoleNonSa', `${this.name}-non-sa`, inferenceRules]]
      : [['Role', this.name, [...inferenceRules, ...podRules]]];
    for (const [id, name, rules] of pairs) {
      new ApiObject(this, id, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { ...meta, name }, rules });
      new ApiObject(this, id === 'Role' ? 'RoleBinding' : `${id}Binding`, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { ...meta, name },
        subjects,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      });
    }
  }
}

/**
 * The user's flags as `[name, value]` pairs, names without dashes. A flag the construct owns is refused
 * in every spelling: `x`, `--x` and `x=...` (Go's flag package reads `--x=v` as flag x).
 */
function resolveFlags(scope: Construct, flags: { [name: string]: string }): Array<[string, string]> {
  if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) {
    throw propError(scope, 'flags', `must be a map of flag names to values (got ${show(flags)})`);
  }
  const seen = new Map<string, string>();
  // In name order, whatever order the map was built in: the order a map arrives in differs by language (jsii's Go
  // runtime sends map keys sorted, a Java Map.of in a per-JVM random order), and the args must not. The chart of
  // v1.2.0+ renders its flags map in key order too; before, its list kept the user's order, which the EPP's flag
  // parsing does not depend on (a repeated flag, the one case where order matters, is refused below).
  const entries = Object.entries(flags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([flag, value]) => {
    const bare = flag.replace(/^-+/, '');
    const name = bare.split('=')[0];
    if (RESERVED_FLAGS.includes(name)) {
      throw propError(scope, `flags.${flag}`, `is set by the construct; allowed are flags other than ${RESERVED_FLAGS.map((f) => `--${f}`).join(', ')}`);
    }
    if (!FLAG_NAME.test(bare)) {
      throw propError(scope, `flags.${flag}`, `must be a flag name ([A-Za-z0-9][-A-Za-z0-9_.]*, optionally after '-' or '--'), with its value as the map value (got ${show(flag)})`);
    }
    if (seen.has(bare)) throw propError(scope, `flags.${flag}`, `repeats flag --${bare} (given as ${show(seen.get(bare))})`);
    seen.set(bare, flag);
    if (typeof value !== 'string') throw propError(scope, `flags.${flag}`, `must have a string value (got ${show(value)})`);
    return [bare, value];
  });
}

/**
 * The GIE release whose flags the EPP image has: the one given (checked against the flag table), `gieVersion` for
 * upstream's image, else undefined (a custom image of an unknown release).
 */
function resolveImageRelease(scope: Construct, image: string | undefined, given: string | undefined, gieVersion: string): string | undefined {
  if (given !== undefined) {
    const release = typeof given === 'string' ? eppFlagRelease(given) : given;
    if (eppFlagsOf(release) === undefined) {
      throw propError(scope, 'imageGieVersion', `must be a GIE release whose EPP flags are known: ${EPP_FLAG_RELEASES.join(', ')} (got ${show(given)})`);
    }
    return release;
  }
  return image === undefined || image === EPP_IMAGE ? gieVersion : undefined;
}

/**
 * The arguments, each flag checked against the flag set of `release` (the one `imageGieVersion` names): a flag it
 * does not register stops the EPP at start-up, so it is refused here, naming the flag and the release.
 */
function checkedArgs(scope: Construct, release: string | undefined, groups: EppArg[]): string[] {
  const known = release !== undefined ? eppFlagsOf(release) : undefined;
  if (known !== undefined) {
    for (const g of groups) {
      if (known.includes(g.name)) continue;
      const source = gieAtLeast(release!, 'v1.3.0') ? 'pkg/epp/server/options.go' : gieAtLeast(release!, 'v0.4.0') ? 'cmd/epp/runner/runner.go' : 'cmd/epp/main.go';
      if (g.user !== undefined) {
        throw propError(scope, `flags.${g.user}`, `is not a flag of the EPP of GIE ${release} (${source}@${release}), which exits at start-up on it: remove it, or set imageGieVersion to the release the image is built on`);
      }
      throw propError(scope, 'imageGieVersion', `is ${release}, whose EPP has no --${g.name} flag (${source}@${release}) and exits at start-up on it: the GA EPP needs an image built on GIE v1.0.0 or later`);
    }
  }
  return groups.flatMap((g) => g.args);
}

/** One flag of the EPP's command line with its value, if any; `user` is the key of `flags` it came from. */
interface EppArg {
  readonly name: string;
  readonly args: string[];
  readonly user?: string;
}

/** What the EPP's command line is made of. */
interface EppArgsInput {
  readonly poolName: string;
  readonly namespace: string;
  readonly poolGroup: string;
  readonly configFile: string;
  readonly modelServerFlags: string[];
  readonly leaderElection: boolean;
  readonly flags: Array<[string, string]>;
  readonly chart: EppChartFacts;
  /** The flags the image's release registers, when known: the chart's release-only flags are added only if listed. */
  readonly releaseFlags: readonly string[] | undefined;
}

/**
 * The EPP's arguments in the order of the chart of the release: pool flags, encoder and config file, the
 * model-server metric flags where that chart puts them, leader election, the user's flags, then tracing off (from
 * v1.1.0, unless the user sets `--tracing`, and only when the image's release has the flag).
 */
function eppArgs(input: EppArgsInput): EppArg[] {
  const { chart } = input;
  const flag = (name: string, ...values: string[]): EppArg => ({ name, args: [`--${name}`, ...values] });
  const pairs = (args: string[]): EppArg[] => args.flatMap((a, i) => (i % 2 === 0 ? [flag(a.replace(/^--/, ''), args[i + 1])] : []));
  const at = (where: EppChartFacts['modelServerFlagsAt']) => (chart.modelServerFlagsAt === where ? pairs(input.modelServerFlags) : []);
  const userTracing = input.flags.some(([name]) => name.split('=')[0] === 'tracing');
  const tracing = !userTracing && chart.tracingArgs.length > 0 && input.releaseFlags?.includes('tracing') ? [{ name: 'tracing', args: chart.tracingArgs }] : [];
  return [
    flag('pool-name', input.poolName),
    flag('pool-namespace', input.namespace),
    ...(chart.alwaysPoolGroup || input.poolGroup !== GA_POOL_GROUP ? [flag('pool-group', input.poolGroup)] : []),
    ...at('before-encoder'),
    flag('zap-encoder', 'json'),
    flag('config-file', input.configFile),
    ...at('after-config-file'),
    ...(input.leaderElection ? [flag('ha-enable-leader-election')] : []),
    ...input.flags.map(([name, value]): EppArg => ({ name: name.split('=')[0], args: flagArgs(name, value), user: name })),
    ...at('after-user-flags'),
    ...tracing,
  ];
}

/**
 * One flag as arguments: `--name value`, as the chart writes its flags map, except a boolean flag, which is one
 * argument `--name=value`. Go's flag package reads a boolean flag alone as true and takes `false` for the first
 * argument that is not a flag, after which it reads no more flags (pflag, from v1.3.0, reads on but still sets true).
 */
function flagArgs(flag: string, value: string): string[] {
  return isBooleanEppFlag(flag) ? [`--${flag}=${value}`] : [`--${flag}`, value];
}

/** The user's environment variables, checked as the API server does, without the ones the construct sets. */
function resolveEnv(scope: Construct, env: EnvVar[], chart: EppChartFacts): EnvVar[] {
  const checked = checkEnv(scope, 'env', env);
  checked.forEach((variable, i) => {
    if (variable.name === 'NAMESPACE' && chart.namespaceEnv) throw propError(scope, `env[${i}].name`, 'is set by the construct (the pod\'s namespace): choose another name');
    if (variable.name === 'POD_NAME' && chart.podNameEnv) {
      throw propError(scope, `env[${i}].name`, `is set by the construct (the pod's name, as the chart of ${chart.gieVersion} sets it): choose another name`);
    }
  });
  return checked;
}

/** Checks a plugins config given for upstream's EPP image at a release tag against the types that release registers. */
function checkUpstreamPluginsConfig(scope: Construct, config: string, image: string): void {
  const release = upstreamEppRelease(image);
  if (release === undefined) return;
  try {
    checkPluginsConfig(config, release);
  } catch (err) {
    throw propError(scope, 'pluginsConfig', (err as Error).message);
  }
}
