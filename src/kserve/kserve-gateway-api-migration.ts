import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { coerce, gte } from 'semver';
import { GatewayPropNames, ResolvedGateway, gatewayClassObject, resolveGateway } from './gateway-options';
import { rewriteIngressConfig } from './ingress-config';
import {
  CONFIG_MAP_NAME,
  CONTROLLER_DEPLOYMENT,
  DEFAULT_GATEWAY_NAME,
  DEFAULT_KSERVE_NAMESPACE,
  GATEWAY_API_STANDARD_INSTALL,
  GATEWAY_API_VERSION,
  HELM_CHART_VERSION,
  INGRESS_KEY,
  TEST_ISVC_NAME,
  TEST_ISVC_STORAGE_URI,
  WAVE_CONFIG,
  WAVE_CONTROLLER,
  WAVE_GATEWAY,
  WAVE_GATEWAY_CLASS,
  WAVE_TEST_ISVC,
} from './kserve-api';
import {
  CheckNames,
  HelmNames,
  crdCheck,
  crdInstallCommands,
  enableChecks,
  gatewayChecks,
  helmUpgradeCommand,
  preflight,
  restartCommands,
  verifyChecks,
} from './kserve-checks';
import { KServeIngressGateway } from './kserve-ingress-gateway';
import { asCarried, controllerWithRestart, ownSyncWave, resolveControllerDeployment, resolveExistingConfigMap } from './kserve-objects';
import { CarriedManifest } from '../core/carried-manifest';
import { givenProps, propError, show } from '../core/errors';
import { checkLabelName, checkServiceName } from '../core/names';
import { placeNamespace } from '../core/namespace';
import { shellQuote as q } from '../core/shell';
import { GATEWAY_GROUP } from '../inference/api';
import { CarriedObjects } from '../inference/carried-objects';
import { CrdReference, IMigration, MigrationOverview, SyncWaveRule } from '../migration/migration';
import { ManualStepTiming, MigrationStage } from '../migration/migration-stage';
import { StageSet } from '../migration/stage-set';

/** Props of a `KServeGatewayApiMigration`. */
export interface KServeGatewayApiMigrationProps {
  /**
   * Name of the migration: its folder under the output directory.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace KServe runs in: its `inferenceservice-config` ConfigMap and `kserve-controller-manager`.
   * @default 'kserve'
   */
  readonly kserveNamespace?: string;

  /**
   * Name of the Gateway KServe attaches its HTTPRoutes to.
   * @default 'kserve-ingress-gateway'
   */
  readonly gatewayName?: string;

  /**
   * Namespace of the Gateway.
   * @default - `kserveNamespace`
   */
  readonly gatewayNamespace?: string;

  /**
   * Name of the GatewayClass.
   * @default 'envoy'
   */
  readonly gatewayClassName?: string;

  /**
   * Controller of the GatewayClass.
   * @default 'gateway.envoyproxy.io/gatewayclass-controller' (Envoy Gateway, as in KServe's guide)
   */
  readonly gatewayClassControllerName?: string;

  /**
   * Write the GatewayClass. Set false when the class exists and is managed elsewhere.
   * @default - true, false when `helmCreatesGateway` is true
   */
  readonly createGatewayClass?: boolean;

  /**
   * Port of the Gateway's HTTP listener.
   * @default 80
   */
  readonly httpPort?: number;

  /**
   * Name of the `kubernetes.io/tls` Secret for an HTTPS listener that terminates TLS.
   * @default - no HTTPS listener
   */
  readonly tlsSecretName?: string;

  /**
   * Namespace of the TLS Secret; another namespace than the Gateway's adds a ReferenceGrant.
   * @default - the Gateway's namespace
   */
  readonly tlsSecretNamespace?: string;

  /**
   * Port of the HTTPS listener.
   * @default 443
   */
  readonly httpsPort?: number;

  /**
   * The `inferenceservice-config` ConfigMap as it is in your repository (a parsed manifest). Stage 02
   * writes it whole with only `data.ingress` rewritten: every other data key, label and annotation stays.
   * Give this or `ingressConfig`, unless `helm` is true.
   * @default - none
   */
  readonly existingConfigMap?: CarriedManifest;

  /**
   * The current value of `data.ingress` (the whole JSON text), when the ConfigMap itself is not in Git.
   * Stage 02 then writes a ConfigMap holding only `data.ingress`, which must be applied server-side
   * (Argo CD `ServerSideApply=true`, never `Replace=true`) so the other keys stay.
   * @default - none
   */
  readonly ingressConfig?: string;

  /**
   * The `kserve-controller-manager` Deployment as it is in your repository. When given, stage 02 carries it
   * with a `kubectl.kubernetes.io/restartedAt` pod-template annotation derived from the new ingress config,
   * so the sync restarts the controller; otherwise the README says to restart it by hand.
   * @default - none: restart by hand
   */
  readonly controllerDeployment?: CarriedManifest;

  /**
   * KServe is installed with Helm: no ConfigMap or Deployment is written; stage 02's README gives the
   * `helm upgrade` with the guide's values instead.
   * @default false
   */
  readonly helm?: boolean;

  /**
   * Name of the KServe Helm release.
   * @default 'kserve'
   */
  readonly helmRelease?: string;

  /**
   * Namespace of the KServe Helm release.
   * @default - `kserveNamespace`
   */
  readonly helmNamespace?: string;

  /**
   * Chart version for `helm upgrade`: the version the release runs (another one upgrades or downgrades KServe).
   * @default 'v0.15.1' (KServe's guide)
   */
  readonly helmChartVersion?: string;

  /**
   * Let the chart make the Gateway (`kserve.controller.gateway.ingressGateway.createGateway=true`) instead of
   * writing it: the chart's Gateway is `kserve-ingress-gateway` in the release namespace with an HTTP listener.
   * Only with `helm`.
   * @default false
   */
  readonly helmCreatesGateway?: boolean;

  /**
   * Add the guide's test InferenceService `sklearn-v2-iris` in stage 03 for the end-to-end check. It carries
   * `serving.kserve.io/deploymentMode` (`RawDeployment`, `Standard` from KServe 0.16, see `kserveVersion`): KServe
   * makes HTTPRoutes only for raw deployments, and a cluster whose default mode is Serverless would make none.
   * @default false
   */
  readonly testInferenceService?: boolean;

  /**
   * The KServe version the cluster runs: decides the test InferenceService's deployment mode name (`RawDeployment`
   * up to 0.15, `Standard` from 0.16, which keeps `RawDeployment` only as a deprecated alias:
   * pkg/constants/constants.go at v0.15.1 and v0.16.0).
   * @default - `helmChartVersion` with Helm, else 'v0.15.1' (KServe's guide)
   */
  readonly kserveVersion?: string;

  /**
   * The InferenceService the end-to-end checks call.
   * @default 'sklearn-v2-iris'
   */
  readonly inferenceServiceName?: string;

  /**
   * Namespace of that InferenceService (and of the test InferenceService).
   * @default 'default'
   */
  readonly inferenceServiceNamespace?: string;

  /**
   * The stage `app.synth()` renders inside the enclosing chart, by folder (e.g. `02-enable-gateway-api`) or by
   * name (`enable-gateway-api`).
   * The GitOps writer writes every stage whatever is selected. Can also be set through the context key
   * `inference-migration:<name>:active-stage` (see `StageSelection.contextKey`).
   * @default - the context key's value; with neither, synthesizing the app fails and says how to select a stage
   */
  readonly activeStage?: string;
}

const GATEWAY_PROPS: GatewayPropNames = {
  name: 'gatewayName',
  namespace: 'gatewayNamespace',
  gatewayClassName: 'gatewayClassName',
  controllerName: 'gatewayClassControllerName',
  createGatewayClass: 'createGatewayClass',
  httpPort: 'httpPort',
  tlsSecretName: 'tlsSecretName',
  tlsSecretNamespace: 'tlsSecretNamespace',
  httpsPort: 'httpsPort',
};

/** The annotation that sets an InferenceService's deployment mode (pkg/constants/constants.go). */
const DEPLOYMENT_MODE_ANNOTATION = 'serving.kserve.io/deploymentMode';

const YAML_ONLY = ['existingConfigMap', 'ingressConfig', 'controllerDeployment'] as const;
const HELM_ONLY = ['helmRelease', 'helmNamespace', 'helmChartVersion', 'helmCreatesGateway'] as const;

/** KServe's own objects before and after stage 02, as the stages carry them. */
interface KServeObjects {
  readonly configBefore?: CarriedManifest;
  readonly configAfter?: CarriedManifest;
  readonly controllerBefore?: CarriedManifest;
  readonly controllerAfter?: CarriedManifest;
  /** The ConfigMap's sync wave (its own, else 0): the controller restarts one wave later. */
  readonly configWave: number;
  /** Said in every stage that holds a ConfigMap with only its ingress key. */
  readonly serverSideWarning?: string;
  /** Said in the stage that changes the config. */
  readonly configWarnings: string[];
  /** The new `data.ingress`. */
  readonly newIngressConfig?: string;
  /** The controller's restartedAt value. */
  readonly restartedAt?: string;
}

/** Everything the stages are built from, resolved once from the props. */
interface KServePlan {
  readonly gw: ResolvedGateway;
  readonly writesGateway: boolean;
  readonly helm?: HelmNames;
  readonly isvc: { readonly name: string; readonly namespace: string; readonly test: boolean; readonly deploymentMode: string };
  readonly kserve: KServeObjects;
  readonly names: CheckNames;
}

/**
 * KServe's move from Kubernetes Ingress to the Gateway API (KServe guide 002) as three stages, each the
 * complete desired state of the migration's objects:
 *
 * 1. `01-gateway`: a GatewayClass (default `envoy`) and a Gateway (default `kserve/kserve-ingress-gateway`)
 *    with an HTTP listener and, with a TLS Secret, an HTTPS listener; the README installs the Gateway API
 *    v1.2.1 CRDs only where that does not downgrade newer ones. KServe's ConfigMap and Deployment, when
 *    known, are carried unchanged, so rolling back from stage 02 restores them rather than pruning them.
 * 2. `02-enable-gateway-api`: the `inferenceservice-config` ConfigMap with `enableGatewayApi: true` and
 *    `kserveIngressGateway: <namespace>/<name>` set in its one-string `ingress` JSON (every other key
 *    kept), and the controller restarted through a `kubectl.kubernetes.io/restartedAt` pod-template
 *    annotation derived from the new config; with Helm, the guide's `helm upgrade` instead.
 * 3. `03-verify`: the same objects (plus the guide's `sklearn-v2-iris` InferenceService when asked) and the
 *    guide's end-to-end checks with the names filled in.
 *
 * @example
 * new KServeGatewayApiMigration(app, 'kserve', {
 *   existingConfigMap: CarriedManifest.fromYaml(fs.readFileSync('kserve/inferenceservice-config.yaml', 'utf8')),
 *   tlsSecretName: 'kserve-tls',
 *   activeStage: '01-gateway',
 * });
 *
 * @see https://kserve.github.io/website/docs/admin-guide/gatewayapi-migration
 */
export class KServeGatewayApiMigration extends Construct implements IMigration {
  /** Name of the migration (its folder). */
  public readonly migrationName: string;
  /** Always `kserve-gateway-api`. */
  public readonly migrationKind: string = 'kserve-gateway-api';
  /** KServe's namespace (also the destination of the example Argo CD and Flux manifests). */
  public readonly namespace: string;
  /** The stages, in order. */
  public readonly stages: MigrationStage[];
  /**
   * Folder name of the stage `app.synth()` renders (the `activeStage` prop or its context key).
   * @default - none selected: synthesizing the app fails and says how to select one
   */
  public readonly activeStage?: string;
  /** What the top README says. */
  public readonly overview: MigrationOverview;
  /**
   * Every warning the READMEs carry, one sentence each: the plan's own (what it could not carry over), and each
   * stage's as `<stage folder>: <warning>`. `app.synth()` prints them on stderr (so `cdk8s synth` shows them) and
   * records them as construct metadata of type `warning`.
   */
  public readonly warnings: string[] = [];
  /** KServe's ConfigMap and Deployment as carried from Git (normalized); empty with Helm. */
  public readonly baseline: CarriedManifest[];
  /** The Gateway API v1.2.1 standard install. */
  public readonly crds: CrdReference[];
  /** The Gateway API v1.2.1 and KServe v0.15.1 CRDs: what KServe implements. */
  public readonly validationBundles?: string[] = ['gateway-api-v1.2.1', 'kserve-v0.15.1'];
  /**
   * Sync waves: GatewayClass and ReferenceGrant -2, Gateway -1, KServe's ConfigMap 0 (or its own), the
   * controller Deployment one wave after the ConfigMap, the test InferenceService 2.
   * @default - always set
   */
  public readonly syncWaveRules?: SyncWaveRule[];
  /** The Gateway as KServe's ingress config names it: `<namespace>/<name>`. */
  public readonly gatewayReference: string;
  /** True when Helm owns KServe. */
  public readonly helm: boolean;
  /**
   * The new `data.ingress` JSON.
   * @default - none with Helm
   */
  public readonly newIngressConfig?: string;
  /**
   * The value of the controller's `kubectl.kubernetes.io/restartedAt` pod-template annotation.
   * @default - none when the controller Deployment is not given
   */
  public readonly restartedAt?: string;

  public constructor(scope: Construct, id: string, props: KServeGatewayApiMigrationProps = {}) {
    super(scope, id);
    const p = givenProps(this, props);
    this.migrationName = p.name ?? id;
    checkLabelName(this, 'name', this.migrationName);
    // The one namespace rule: 'kserveNamespace', else the enclosing chart's, else the given ConfigMap's, else kserve.
    const configNamespace = (p.existingConfigMap?.toJson?.() as { metadata?: { namespace?: unknown } } | undefined)?.metadata?.namespace;
    this.namespace = placeNamespace(this, 'kserveNamespace', p.kserveNamespace, typeof configNamespace === 'string' ? {
      what: `the ConfigMap ${CONFIG_MAP_NAME} ('existingConfigMap')`,
      namespace: configNamespace,
      why: `KServe reads ${CONFIG_MAP_NAME} from its own namespace`,
    } : undefined, DEFAULT_KSERVE_NAMESPACE);
    this.helm = p.helm ?? false;
    this.checkMode(p);

    const plan = this.resolvePlan(p);
    this.gatewayReference = `${plan.gw.namespace}/${plan.gw.name}`;
    this.newIngressConfig = plan.kserve.newIngressConfig;
    this.restartedAt = plan.kserve.restartedAt;
    this.baseline = [plan.kserve.configBefore, plan.kserve.controllerBefore].filter((o): o is CarriedManifest => o !== undefined);
    if (plan.kserve.serverSideWarning) this.warnings.unshift(plan.kserve.serverSideWarning);

    const stageSet = new StageSet(this);
    this.stages = stageSet.stages;
    this.addGatewayStage(stageSet, plan);
    this.addEnableStage(stageSet, plan);
    this.addVerifyStage(stageSet, plan);

    this.crds = [{
      description: `Gateway API ${GATEWAY_API_VERSION}, standard channel (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant): install only where the cluster has no Gateway API CRDs or older ones, never over newer ones`,
      url: GATEWAY_API_STANDARD_INSTALL,
    }];
    this.syncWaveRules = [
      { apiGroup: GATEWAY_GROUP, kind: 'GatewayClass', wave: WAVE_GATEWAY_CLASS },
      { apiGroup: GATEWAY_GROUP, kind: 'ReferenceGrant', wave: WAVE_GATEWAY_CLASS },
      { apiGroup: GATEWAY_GROUP, kind: 'Gateway', wave: WAVE_GATEWAY },
      { apiGroup: '', kind: 'ConfigMap', wave: WAVE_CONFIG },
      { apiGroup: 'apps', kind: 'Deployment', wave: plan.kserve.configWave + WAVE_CONTROLLER - WAVE_CONFIG },
      { apiGroup: 'serving.kserve.io', kind: 'InferenceService', wave: WAVE_TEST_ISVC },
    ];
    this.overview = this.describe(plan);
    stageSet.collectStageWarnings(this.warnings);
    this.activeStage = stageSet.activate(this.migrationName, p.activeStage, this.warnings);
  }

  /** Reads the props into the plan the stages are built from. */
  private resolvePlan(p: KServeGatewayApiMigrationProps): KServePlan {
    const helmCreatesGateway = p.helmCreatesGateway ?? false;
    const gw = resolveGateway(this, {
      name: p.gatewayName,
      namespace: p.gatewayNamespace ?? this.namespace,
      gatewayClassName: p.gatewayClassName,
      controllerName: p.gatewayClassControllerName,
      createGatewayClass: p.createGatewayClass ?? !helmCreatesGateway,
      httpPort: p.httpPort,
      tlsSecretName: p.tlsSecretName,
      tlsSecretNamespace: p.tlsSecretNamespace,
      httpsPort: p.httpsPort,
    }, GATEWAY_PROPS);
    const helm = this.helm ? this.resolveHelm(p, gw) : undefined;
    const isvc = this.resolveInferenceService(p);
    const kserve = this.resolveKServeObjects(p, `${gw.namespace}/${gw.name}`);
    const names: CheckNames = {
      gatewayName: gw.name,
      gatewayNamespace: gw.namespace,
      gatewayClassName: gw.gatewayClassName,
      controllerName: gw.controllerName,
      httpPort: gw.httpPort,
      tls: gw.tls,
      kserveNamespace: this.namespace,
      controllerDeployment: kserve.controllerBefore?.name ?? CONTROLLER_DEPLOYMENT,
      configMapName: CONFIG_MAP_NAME,
      isvcName: isvc.name,
      isvcNamespace: isvc.namespace,
      isvcIsGuideModel: isvc.name === TEST_ISVC_NAME,
    };
    return { gw, writesGateway: !helmCreatesGateway, helm, isvc, kserve, names };
  }

  /**
   * KServe's ConfigMap and controller before and after stage 02 (none with Helm): the ingress JSON
   * rewritten with the two Gateway API keys, the controller restarted through its pod template.
   */
  private resolveKServeObjects(p: KServeGatewayApiMigrationProps, gatewayReference: string): KServeObjects {
    if (this.helm) return { configWave: WAVE_CONFIG, configWarnings: [] };
    const config = resolveExistingConfigMap(this, p.existingConfigMap, p.ingressConfig, this.namespace);
    const rewrite = rewriteIngressConfig(config.ingress, gatewayReference);
    const configWarnings = this.ingressWarnings(rewrite, config.prop, gatewayReference);
    const configWave = ownSyncWave(config.object) ?? WAVE_CONFIG;
    const configAfter = { ...config.object, data: { ...config.object.data, [INGRESS_KEY]: rewrite.text } };
    let controllerBefore: CarriedManifest | undefined;
    let controllerAfter: CarriedManifest | undefined;
    let restartedAt: string | undefined;
    if (p.controllerDeployment !== undefined) {
      const before = resolveControllerDeployment(this, p.controllerDeployment, this.namespace);
      const restarted = controllerWithRestart(before, rewrite.text, configWave);
      restartedAt = restarted.restartedAt;
      if (restarted.waveWarning) configWarnings.push(restarted.waveWarning);
      controllerBefore = asCarried(p.controllerDeployment, before);
      controllerAfter = CarriedManifest.fromObject(restarted.object);
    }
    this.warnings.push(...configWarnings);
    return {
      configBefore: asCarried(p.existingConfigMap, config.object),
      configAfter: CarriedManifest.fromObject(configAfter),
      controllerBefore,
      controllerAfter,
      configWave,
      configWarnings,
      newIngressConfig: rewrite.text,
      restartedAt,
      serverSideWarning: config.prop === 'ingressConfig'
        ? `The ConfigMap ${this.namespace}/${CONFIG_MAP_NAME} is written with only its '${INGRESS_KEY}' key (from 'ingressConfig'): apply it server-side only (Argo CD ServerSideApply=true, Flux, or kubectl apply --server-side), never with Replace=true or a client-side replace, or every other key of KServe's configuration is deleted.`
        : undefined,
    };
  }

  /** The Gateway (or, when the chart makes it, only the GatewayClass): in every stage. */
  private gatewayObjects(scope: Construct, plan: KServePlan): void {
    const gw = plan.gw;
    if (plan.writesGateway) {
      new KServeIngressGateway(scope, 'gateway', {
        name: gw.name,
        namespace: gw.namespace,
        gatewayClassName: gw.gatewayClassName,
        controllerName: gw.controllerName,
        createGatewayClass: gw.createGatewayClass,
        httpPort: gw.httpPort,
        tlsSecretName: gw.tls?.secretName,
        tlsSecretNamespace: gw.tls ? gw.tls.secretNamespace : undefined,
        httpsPort: gw.tls?.port,
      });
    } else if (gw.createGatewayClass) {
      gatewayClassObject(scope, 'gateway-class', gw.gatewayClassName, gw.controllerName);
    }
  }

  /** KServe's carried objects of a stage: before or after the switch. */
  private kserveObjects(scope: Construct, config: CarriedManifest | undefined, controller: CarriedManifest | undefined): void {
    if (config) new CarriedObjects(scope, 'config', { manifests: [config] });
    if (controller) new CarriedObjects(scope, 'controller', { manifests: [controller] });
  }

  /** 01: the Gateway beside an unchanged KServe. */
  private addGatewayStage(stageSet: StageSet, plan: KServePlan): void {
    const { gw, names, kserve } = plan;
    const stage = stageSet.add('gateway', {
      ordinal: 1,
      stageName: 'gateway',
      purpose: plan.writesGateway
        ? `The Gateway ${this.gatewayReference} is created${gw.createGatewayClass ? ` with its GatewayClass ${gw.gatewayClassName}` : ` (its GatewayClass ${gw.gatewayClassName} exists already)`}; KServe still uses Ingress.`
        : `Prepares the Gateway API CRDs${gw.createGatewayClass ? ` and the GatewayClass ${gw.gatewayClassName}` : ''}; the Helm chart makes the Gateway ${this.gatewayReference} in the next stage. KServe still uses Ingress.`,
    }, (scope) => {
      this.gatewayObjects(scope, plan);
      this.kserveObjects(scope, kserve.configBefore, kserve.controllerBefore);
    });
    stage.addManualStep({
      timing: ManualStepTiming.BEFORE_SYNC,
      text: `Install the Gateway API ${GATEWAY_API_VERSION} CRDs (standard channel), the version KServe implements, only where they are absent or older: applying the ${GATEWAY_API_VERSION} install over newer CRDs downgrades them for the whole cluster. Also install the GatewayClass's controller (${gw.controllerName}) if it is not running.`,
      commands: crdInstallCommands(),
    });
    stage.addVerification(crdCheck());
    if (plan.writesGateway) {
      for (const c of gatewayChecks(names)) stage.addVerification(c);
    } else if (gw.createGatewayClass) {
      stage.addVerification(gatewayChecks(names)[0]);
    }
    if (kserve.serverSideWarning) stage.addWarning(kserve.serverSideWarning);
  }

  /** 02: KServe switches to the Gateway API. */
  private addEnableStage(stageSet: StageSet, plan: KServePlan): void {
    const { names, kserve, helm } = plan;
    const stage = stageSet.add('enable-gateway-api', {
      ordinal: 2,
      stageName: 'enable-gateway-api',
      purpose: helm
        ? `Helm sets enableGatewayApi and kserveGateway=${this.gatewayReference}${helm.createGateway ? ' and makes the Gateway' : ''}; the controller is restarted so existing InferenceServices get HTTPRoutes.`
        : `The ${CONFIG_MAP_NAME} ingress config gets "enableGatewayApi": true and "kserveIngressGateway": "${this.gatewayReference}" (every other key kept); ${kserve.controllerAfter ? 'the controller Deployment restarts through its restartedAt annotation' : 'the controller is restarted by hand'}.`,
    }, (scope) => {
      this.gatewayObjects(scope, plan);
      this.kserveObjects(scope, kserve.configAfter, kserve.controllerAfter);
    });
    if (helm) {
      stage.addManualStep({
        timing: ManualStepTiming.BEFORE_SYNC,
        text: `KServe is owned by Helm: set the two Gateway API values (guide step 4, both in one upgrade that keeps the release's other values)${helm.createGateway ? ' and let the chart create the Gateway' : ''}, then restart the controller, which reads the ingress config only at start-up. To roll back: \`helm rollback ${helm.release} -n ${helm.namespace}\`, then restart again.`,
        commands: [...helmUpgradeCommand(names, helm), ...restartCommands(names)],
      });
      if (helm.createGateway) for (const c of gatewayChecks(names)) stage.addVerification(c);
      for (const c of enableChecks(names, 'helm')) stage.addVerification(c);
      return;
    }
    if (!kserve.controllerAfter) {
      stage.addManualStep({
        timing: ManualStepTiming.AFTER_SYNC,
        text: 'Restart the KServe controller: this folder changes only its ConfigMap, and the controller reads the ingress config at start-up (it chooses Ingress or HTTPRoute then).',
        commands: restartCommands(names),
      });
    }
    for (const c of enableChecks(names, kserve.controllerAfter ? 'carried' : 'manual')) stage.addVerification(c);
    if (kserve.serverSideWarning) stage.addWarning(kserve.serverSideWarning);
    for (const w of kserve.configWarnings) stage.addWarning(w);
    stage.addManualStep({
      text: `If you roll back to 01-gateway, the old ingress config comes back; ${kserve.controllerAfter ? 'the controller restarts by itself (its restartedAt annotation goes away)' : `restart the controller again afterwards: \`${restartCommands(names)[0]}\``}.`,
    });
  }

  /** 03: end-to-end checks (and the guide's test model when asked). */
  private addVerifyStage(stageSet: StageSet, plan: KServePlan): void {
    const { names, kserve, isvc } = plan;
    const stage = stageSet.add('verify', {
      ordinal: 3,
      stageName: 'verify',
      purpose: isvc.test
        ? `Adds the guide's test InferenceService ${isvc.namespace}/${isvc.name} and checks an inference request end to end through the Gateway.`
        : `Nothing changes: checks an inference request to ${isvc.namespace}/${isvc.name} end to end through the Gateway.`,
    }, (scope) => {
      this.gatewayObjects(scope, plan);
      this.kserveObjects(scope, kserve.configAfter, kserve.controllerAfter);
      if (isvc.test) {
        new ApiObject(scope, 'test-isvc', {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          // KServe builds HTTPRoutes only for raw deployments: the mode is set, whatever the cluster's default.
          metadata: { name: isvc.name, namespace: isvc.namespace, annotations: { [DEPLOYMENT_MODE_ANNOTATION]: isvc.deploymentMode } },
          spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: TEST_ISVC_STORAGE_URI } } },
        });
      }
    });
    if (kserve.serverSideWarning) stage.addWarning(kserve.serverSideWarning);
    for (const c of verifyChecks(names, isvc.test)) stage.addVerification(c);
    if (isvc.test) {
      stage.addManualStep({ text: `The test InferenceService ${isvc.namespace}/${isvc.name} is for the check only: remove it from this folder (or delete it) once the request succeeds.` });
    }
  }

  /** What the top README says. */
  private describe(plan: KServePlan): MigrationOverview {
    const { helm, isvc } = plan;
    return {
      title: `KServe: Ingress to Gateway API through ${this.gatewayReference}`,
      summary: `Moves KServe (namespace ${this.namespace}${helm ? `, Helm release ${helm.release}` : ''}) from Kubernetes Ingress to the Gateway API as in KServe's guide: ` +
        `01 ${plan.writesGateway ? `creates the Gateway ${this.gatewayReference}` : 'prepares the Gateway API CRDs (the chart makes the Gateway in 02)'}, ` +
        `02 sets enableGatewayApi and kserveIngressGateway=${this.gatewayReference} ${helm ? 'with helm upgrade' : `in the ${CONFIG_MAP_NAME} ConfigMap`} and restarts the controller, ` +
        `03 checks an inference request through the Gateway${isvc.test ? ` with the test InferenceService ${isvc.name}` : ''}.`,
      preflight: preflight(plan.names, helm),
      notes: this.notes(plan),
      syncWaves: 'GatewayClass and ReferenceGrant first (-2), then the Gateway (-1), the ConfigMap (0), the controller Deployment (1) and the test InferenceService (2)',
    };
  }

  private checkMode(p: KServeGatewayApiMigrationProps): void {
    if (this.helm) {
      for (const prop of YAML_ONLY) {
        if (p[prop] !== undefined) throw propError(this, prop, 'has no meaning with \'helm\': true (Helm owns the ConfigMap and the controller): leave it out');
      }
      return;
    }
    for (const prop of HELM_ONLY) {
      if (p[prop] !== undefined) throw propError(this, prop, 'only applies with \'helm\': true: leave it out, or set \'helm\': true when Helm owns KServe');
    }
    if (p.existingConfigMap === undefined && p.ingressConfig === undefined) {
      throw propError(this, 'existingConfigMap', `or 'ingressConfig' is required (the current ${CONFIG_MAP_NAME} ConfigMap, or its ingress JSON), unless 'helm' is true: the ingress config is one JSON string, so the whole value must be known to change two keys in it`);
    }
    if (p.existingConfigMap !== undefined && p.ingressConfig !== undefined) {
      throw propError(this, 'ingressConfig', 'must be left out when \'existingConfigMap\' is given (its data.ingress is used)');
    }
  }

  private resolveHelm(p: KServeGatewayApiMigrationProps, gw: ResolvedGateway): HelmNames {
    const release = p.helmRelease ?? 'kserve';
    checkLabelName(this, 'helmRelease', release);
    const namespace = p.helmNamespace ?? this.namespace;
    checkLabelName(this, 'helmNamespace', namespace);
    const chartVersion = p.helmChartVersion ?? HELM_CHART_VERSION;
    if (typeof chartVersion !== 'string' || !/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(chartVersion)) {
      throw propError(this, 'helmChartVersion', `must be a chart version such as 'v0.15.1' (got ${show(chartVersion)})`);
    }
    const createGateway = p.helmCreatesGateway ?? false;
    if (createGateway) {
      if (gw.name !== DEFAULT_GATEWAY_NAME || gw.namespace !== namespace) {
        throw propError(this, 'helmCreatesGateway', `makes the chart create the Gateway ${namespace}/${DEFAULT_GATEWAY_NAME} (its fixed name, in the release namespace): leave 'gatewayName' and 'gatewayNamespace' at that (got ${gw.namespace}/${gw.name})`);
      }
      if (gw.tls || p.httpPort !== undefined) {
        throw propError(this, 'helmCreatesGateway', `makes the chart create a Gateway with one HTTP listener on port 80: leave out ${gw.tls ? '\'tlsSecretName\'' : '\'httpPort\''}, or write the Gateway here (helmCreatesGateway: false)`);
      }
    }
    return { release, namespace, chartVersion, createGateway };
  }

  private resolveInferenceService(p: KServeGatewayApiMigrationProps): { name: string; namespace: string; test: boolean; deploymentMode: string } {
    const test = p.testInferenceService ?? false;
    const name = p.inferenceServiceName ?? TEST_ISVC_NAME;
    checkServiceName(this, 'inferenceServiceName', name);
    const namespace = p.inferenceServiceNamespace ?? 'default';
    checkLabelName(this, 'inferenceServiceNamespace', namespace);
    if (test && name !== TEST_ISVC_NAME) {
      throw propError(this, 'inferenceServiceName', `must be left out with 'testInferenceService': true, whose InferenceService is the guide's ${TEST_ISVC_NAME} (got ${show(name)}); to check your own InferenceService, leave 'testInferenceService' out`);
    }
    const version = p.kserveVersion ?? (p.helm ? p.helmChartVersion : undefined) ?? HELM_CHART_VERSION;
    const parsed = coerce(version);
    if (!parsed || !/^v?\d+\.\d+(\.\d+)?$/.test(version)) throw propError(this, 'kserveVersion', `must be a KServe version such as 'v0.15.1' (got ${show(version)})`);
    // KServe 0.16 renamed RawDeployment to Standard (pkg/constants/constants.go@v0.16.0; RawDeployment stays a deprecated alias).
    const deploymentMode = gte(parsed, '0.16.0') ? 'Standard' : 'RawDeployment';
    return { name, namespace, test, deploymentMode };
  }

  /** What the ingress config says that the user should know. */
  private ingressWarnings(rewrite: ReturnType<typeof rewriteIngressConfig>, prop: string, gatewayReference: string): string[] {
    const warnings: string[] = [];
    if (rewrite.alreadyEnabled) {
      warnings.push(`The ingress config (${prop}) has "enableGatewayApi": true already: the Gateway API is already enabled. Stage 02 ${rewrite.previousGateway === gatewayReference ? 'changes nothing in it' : `points kserveIngressGateway at ${gatewayReference} (was ${JSON.stringify(rewrite.previousGateway ?? null)})`}.`);
    }
    const legacy = rewrite.before.ingressGateway;
    if (typeof legacy !== 'string' || legacy === '') {
      warnings.push(`The ingress config (${prop}) has no "ingressGateway": KServe's controller rejects such a config ("invalid ingress config - ingressGateway is required") even with the Gateway API enabled; add it (e.g. "knative-serving/knative-ingress-gateway") before stage 02.`);
    }
    return warnings;
  }

  private notes(plan: KServePlan): string[] {
    const { gw, helm } = plan;
    const notes = [
      `Sync waves (Argo CD, added by the GitOps writer): GatewayClass and ReferenceGrant -2, Gateway -1, KServe's ConfigMap ${plan.kserve.configWave}, the controller Deployment ${plan.kserve.configWave + WAVE_CONTROLLER - WAVE_CONFIG}, the test InferenceService ${WAVE_TEST_ISVC}: the Gateway exists before KServe is told to use it, and the controller restarts after its config changed. Objects carried unchanged from Git keep their own annotations.`,
      `The controller chooses Ingress or HTTPRoute only when it starts, so every path restarts it: \`kubectl rollout restart deployment ${CONTROLLER_DEPLOYMENT} -n ${this.namespace}\`. When the Deployment is carried, its pod template gets \`kubectl.kubernetes.io/restartedAt: ingress-sha256-<16 hex digits of the SHA-256 of the new ingress JSON>\`: Kubernetes only compares the value, so the same config gives the same files and a changed config restarts the controller once.`,
    ];
    if (helm) {
      notes.push(`Helm owns KServe here: no ConfigMap or Deployment is written; 02-enable-gateway-api's README runs \`helm upgrade ${q(helm.release)}\` with chart ${helm.chartVersion}${helm.createGateway ? ' and createGateway=true (the chart makes the Gateway)' : ''}.`);
    } else {
      notes.push(`KServe's ${CONFIG_MAP_NAME} ConfigMap${this.baseline.length > 1 ? ' and controller Deployment are' : ' is'} carried from stage 01 on, unchanged until 02, so rolling back never prunes ${this.baseline.length > 1 ? 'them' : 'it'}. They also live in the source that installs KServe: take them out of it while the migration's folder manages them (two GitOps objects owning one object fight), and move 03's versions back into it at the end. Delete the migration's Argo CD Application without cascading (\`argocd app delete <app> --cascade=false\`), or KServe's configuration goes with it.`);
    }
    if (!gw.createGatewayClass) notes.push(`The GatewayClass ${gw.gatewayClassName} is not written: it must exist (\`kubectl get gatewayclass ${q(gw.gatewayClassName)}\`).`);
    notes.push(`The Gateway API objects are checked against the Gateway API ${GATEWAY_API_VERSION} CRDs, the version KServe implements; they are valid under newer versions too. Do not use the writer's crds/ folder on clusters with newer Gateway API CRDs: it would apply the ${GATEWAY_API_VERSION} install over them.`);
    return notes;
  }
}
