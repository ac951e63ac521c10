import { Construct } from 'constructs';
import { removeAlphaCrdCommands } from './crd-sources';
import { inferenceVerifications } from './inference-checks';
import { InferenceMigrationProps } from './inference-migration-props';
import { buildInferenceStage } from './inference-objects';
import { inferenceCrds, inferenceManualSteps, inferencePreflight, inferenceWhatsNext } from './inference-readme';
import { resolveInferenceMigration } from './inference-resolve';
import { CrdReference, IMigration, MigrationOverview } from './migration';
import { ManualStepTiming, MigrationStage } from './migration-stage';
import { ModelMapping } from './model-mapping';
import { planSimple } from './plan';
import { StageSet } from './stage-set';
import { CarriedManifest } from '../core/carried-manifest';
import { givenProps } from '../core/errors';
import { shellOperands, shellQuote as q } from '../core/shell';

/** Props of a `SimpleMigration`. */
export interface SimpleMigrationProps extends InferenceMigrationProps {}

/**
 * The simple migration of a v1alpha2 InferencePool to v1, with downtime: `01-remove-alpha` (the alpha
 * pool, its InferenceModels and EPP, and the route's alpha backendRef are gone; the route too when it
 * had no other backend), then `02-install-ga` (GA pool, EPP, objectives and a route to the GA pool).
 * Inference traffic fails between the two stages.
 *
 * @example
 * new SimpleMigration(chart, 'vllm-llama3-8b-instruct', {
 *   alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } } },
 *   gateway: { name: 'inference-gateway' },
 *   activeStage: '01-remove-alpha',
 * });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/site-src/guides/ga-migration.md
 */
export class SimpleMigration extends Construct implements IMigration {
  /** Name of the migration (its folder). */
  public readonly migrationName: string;
  /** Always `simple`. */
  public readonly migrationKind: string = 'simple';
  /** Namespace of the pools and routes. */
  public readonly namespace: string;
  /** The stages, in order. */
  public readonly stages: MigrationStage[];
  /**
   * Folder name of the stage `app.synth()` renders (the `activeStage` prop or its context key).
   * @default - none selected: synthesizing the app fails and says how to select one
   */
  public readonly activeStage?: string;
  /**
   * Every warning the READMEs carry, one sentence each: the plan's own (what it could not carry over), and each
   * stage's as `<stage folder>: <warning>`. `app.synth()` prints them on stderr (so `cdk8s synth` shows them) and
   * records them as construct metadata of type `warning`.
   */
  public readonly warnings: string[];
  /** The alpha objects carried from Git (and routes given as manifests). */
  public readonly baseline: CarriedManifest[];
  /** What the top README says. */
  public readonly overview: MigrationOverview;
  /** The CRDs the GA stack needs, by upstream URL. */
  public readonly crds: CrdReference[];
  /** The GIE release migrated to (its CRDs validate every stage; its chart renders the EPP). */
  public readonly gieVersion: string;
  /**
   * The CRD bundles every stage is validated against: the target's GIE CRDs, the alpha InferenceModel's, Gateway API's.
   * @default - always set
   */
  public readonly validationBundles?: string[];
  /**
   * The per-model table: what each model did on the alpha pool and does on the GA pool.
   * @default - always set (empty when no InferenceModel is known)
   */
  public readonly models?: ModelMapping[];

  public constructor(scope: Construct, id: string, props: SimpleMigrationProps) {
    super(scope, id);
    props = givenProps(this, props);
    const m = resolveInferenceMigration(this, props);
    this.migrationName = m.name;
    this.namespace = m.namespace;
    this.warnings = m.warnings;
    this.crds = inferenceCrds(m);
    this.gieVersion = m.gieVersion;
    this.validationBundles = m.validationBundles;
    this.models = m.models.mappings;
    this.baseline = [...m.alpha.manifests, ...m.routes.flatMap((r) => (r.manifest ? [r.manifest] : [])), ...m.otherRoutes];

    const [remove, install] = planSimple();
    const stageSet = new StageSet(this);
    this.stages = stageSet.stages;
    const removeStage = stageSet.add(remove.name, { ordinal: remove.ordinal, stageName: remove.name, purpose: remove.purpose },
      (stage) => buildInferenceStage(stage, m, remove));
    for (const v of inferenceVerifications(m, remove)) removeStage.addVerification(v);
    removeStage.addWarning('Inference requests fail from this stage until 02-install-ga is synced and verified.');
    for (const w of m.warnings) removeStage.addWarning(w);
    if (m.alpha.external) {
      removeStage.addManualStep({ text: 'The alpha stack was installed by Helm: uninstall it.', timing: ManualStepTiming.BEFORE_SYNC, commands: [`helm uninstall ${q(m.alpha.helmRelease ?? m.alpha.poolName)} -n ${q(m.alpha.poolNamespace)}`] });
    }
    for (const route of m.routes.filter((r) => !r.manifest)) {
      removeStage.addManualStep({
        timing: ManualStepTiming.BEFORE_SYNC,
        text: `If the HTTPRoute ${route.namespace}/${route.name} exists and is not managed from this folder, remove its backendRef to the alpha pool ${m.alpha.poolName}, or delete the route.`,
        commands: [`kubectl delete httproute ${q(route.name)} -n ${q(route.namespace)}`],
      });
    }
    removeStage.addManualStep({
      timing: ManualStepTiming.BEFORE_SYNC,
      text: `Delete any InferenceModel or InferenceObjective that still points at the alpha pool ${m.alpha.poolName}${m.alpha.inferenceModelNames.length > 0 ? ` (known: ${m.alpha.inferenceModelNames.join(', ')})` : ''}.`,
      commands: [
        `kubectl get inferencemodels.inference.networking.x-k8s.io -n ${q(m.namespace)}`,
        ...(m.alpha.inferenceModelNames.length > 0 ? [`kubectl delete inferencemodels.inference.networking.x-k8s.io -n ${q(m.namespace)} ${shellOperands(m.alpha.inferenceModelNames)}`] : []),
      ],
    });
    removeStage.addManualStep({
      text: `Remove the alpha CRDs (installed from GIE ${m.alphaCrdVersion}) once no alpha object is left.`,
      commands: removeAlphaCrdCommands(m.alphaCrdVersion),
    });

    const installStage = stageSet.add(install.name, { ordinal: install.ordinal, stageName: install.name, purpose: install.purpose },
      (stage) => buildInferenceStage(stage, m, install));
    for (const v of inferenceVerifications(m, install)) installStage.addVerification(v);
    for (const s of inferenceManualSteps(m, install, true, false)) installStage.addManualStep(s);
    installStage.addModelMappings(m.models.mappings);

    this.overview = {
      title: `${m.alpha.poolName} to ${m.gaProps.name}: InferencePool v1alpha2 to v1 with downtime`,
      summary: `Removes the v1alpha2 InferencePool ${m.namespace}/${m.alpha.poolName} and its objects, then installs the v1 InferencePool ` +
        `${m.namespace}/${m.gaProps.name} with its Endpoint Picker, objectives and route. Inference traffic fails between the two stages; ` +
        'use a ZeroDowntimeMigration when that is not acceptable.',
      preflight: inferencePreflight(),
      notes: [inferenceWhatsNext(m)],
    };
    stageSet.collectStageWarnings(this.warnings);
    this.activeStage = stageSet.activate(this.migrationName, props.activeStage, this.warnings);
  }
}
