import { Construct } from 'constructs';
import { GatewayCapability, GatewayCapabilities, GatewaySupport } from './gateway-capabilities';
import { GatewayImplementation } from './gateway-implementation';
import { inferenceVerifications } from './inference-checks';
import { InferenceMigrationProps } from './inference-migration-props';
import { buildInferenceStage, ResolvedParallelGateway } from './inference-objects';
import { inferenceCrds, inferenceManualSteps, inferencePreflight, inferenceWhatsNext } from './inference-readme';
import { Header, ResolvedInferenceMigration, resolveInferenceMigration } from './inference-resolve';
import { CrdReference, IMigration, MigrationOverview } from './migration';
import { PreviewHeader } from './migration-route';
import { ManualStepTiming, MigrationStage } from './migration-stage';
import { MigrationStrategy } from './migration-strategy';
import { ModelMapping } from './model-mapping';
import { ISTIO_REVISION_LABEL, parallelManualSteps, resolveParallelGateway } from './parallel-gateway';
import { ParallelGatewayOptions } from './parallel-gateway-options';
import { PlannedStage, checkSteps, planViolations, planZeroDowntime } from './plan';
import { StageSet } from './stage-set';
import { CarriedManifest } from '../core/carried-manifest';
import { checkOneOf, givenProps, propError, show } from '../core/errors';
import { checkHeaderName } from '../core/names';
import { ALPHA_GROUP } from '../inference/api';
import { InferenceProvider } from '../inference/types';
import { WeightedInferenceRoute } from '../inference/weighted-inference-route';

/** Props of a `ZeroDowntimeMigration`. */
export interface ZeroDowntimeMigrationProps extends InferenceMigrationProps {
  /**
   * GA weights of the traffic-shift stages, in percent: increasing integers in 1..99, one stage each.
   * @default [50]
   */
  readonly steps?: number[];

  /**
   * How traffic moves: weighted shift in one rule (the upstream guide); a header preview then one cutover, for
   * gateways that cannot split a rule between an alpha and a GA pool; a parallel Gateway, for gateways that cannot
   * serve both groups at once (Istio); or one cutover. A strategy given here is never replaced: one the gateway
   * cannot run fails, naming the gateway, the reason and the strategy that works.
   * @default - the strategy that works on `gatewayImplementation` (at `gatewayVersion`): weighted-shift where a split can work, header-preview-cutover where it cannot but one gateway serves both groups, parallel-gateway where none does
   */
  readonly strategy?: MigrationStrategy;

  /**
   * The second Gateway of the parallel-gateway strategy (required by it).
   * @default - none
   */
  readonly parallelGateway?: ParallelGatewayOptions;

  /**
   * Version of the gateway implementation (e.g. Istio `1.27.3`): the capability table's facts by version.
   * @default - what holds for every version of the implementation
   */
  readonly gatewayVersion?: string;

  /**
   * The header that sends a request to the GA pool in the preview stage (header-preview-cutover only).
   * @default - `x-inference-preview: ga`
   */
  readonly previewHeader?: PreviewHeader;

  /**
   * The Gateway API implementation that serves the route: decides whether the plan can work.
   * @default GatewayImplementation.GKE when the GA pool's provider is GKE, else GatewayImplementation.GENERIC
   */
  readonly gatewayImplementation?: GatewayImplementation;
}

/**
 * The zero-downtime migration of one v1alpha2 InferencePool to v1, as stages that each hold the complete
 * desired state: `01-side-by-side` (GA pool, EPP and objectives beside the untouched alpha stack; the
 * route sends 100% to alpha), one `NN-shift-<w>` per weight step, `NN-finalize` (the route's only
 * backend is the GA pool), `NN-cleanup` (the alpha stack is gone). With the header-preview-cutover
 * strategy the middle stages are `NN-preview` and `NN-cutover`.
 *
 * Checked when the construct is built: the GA pool selects the alpha pool's pods (unless
 * `allowSelectorChange`), the GA weight never decreases, the gateway can carry the plan; and at
 * synthesis: every route backend exists in its stage or is external, and the cleanup stage holds no
 * alpha pool, no InferenceModel and no backendRef to the alpha group.
 *
 * In `app.synth()` the migration contributes exactly one stage, the active one (`activeStage`, or the
 * context key `inference-migration:<name>:active-stage`), rendered in the enclosing chart; the
 * `GitOpsWriter` writes every stage folder.
 *
 * @example
 * new ZeroDowntimeMigration(chart, 'vllm-llama3-8b-instruct', {
 *   alphaPool: { existing: { name: 'vllm-llama3-8b-instruct-alpha', modelServerSelector: { app: 'vllm-llama3-8b-instruct' } } },
 *   gaPool: { name: 'vllm-llama3-8b-instruct-ga' },
 *   gateway: { name: 'inference-gateway' },
 *   routeName: 'llm-route',
 *   steps: [10, 50],
 *   activeStage: '02-shift-10',
 * });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/site-src/guides/ga-migration.md
 */
export class ZeroDowntimeMigration extends Construct implements IMigration {
  /** Name of the migration (its folder). */
  public readonly migrationName: string;
  /** Always `zero-downtime`. */
  public readonly migrationKind: string = 'zero-downtime';
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
  /** The alpha objects carried from Git (and routes given as manifests): what exists before stage 1. */
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
  /** The strategy in use. */
  public readonly strategy: MigrationStrategy;
  /**
   * Why the strategy was chosen, when no strategy was given and the gateway needs another than weighted-shift.
   * @default - the strategy was given, or weighted-shift works
   */
  public readonly strategyChoice?: string;
  /** What the gateway can do (at `gatewayVersion`), with its sources. */
  public readonly gatewayCapability: GatewayCapability;
  /** The gateway implementation the plan was checked against. */
  public readonly gatewayImplementation: GatewayImplementation;
  /** Name of the GA pool. */
  public readonly gaPoolName: string;
  /** Name of the alpha pool. */
  public readonly alphaPoolName: string;

  public constructor(scope: Construct, id: string, props: ZeroDowntimeMigrationProps) {
    super(scope, id);
    props = givenProps(this, props);
    const where = this.node.path;
    const m = resolveInferenceMigration(this, props);
    this.migrationName = m.name;
    this.namespace = m.namespace;
    this.gaPoolName = m.gaProps.name;
    this.alphaPoolName = m.alpha.poolName;
    this.warnings = m.warnings;
    this.crds = inferenceCrds(m);
    this.gieVersion = m.gieVersion;
    this.validationBundles = m.validationBundles;
    this.models = m.models.mappings;

    const steps = props.steps ?? [50];
    const stepProblem = checkSteps(steps);
    if (stepProblem) throw propError(this, 'steps', stepProblem);
    this.gatewayImplementation = props.gatewayImplementation
      ?? (m.provider === InferenceProvider.GKE ? GatewayImplementation.GKE : GatewayImplementation.GENERIC);
    checkOneOf(this, 'gatewayImplementation', this.gatewayImplementation, Object.values(GatewayImplementation));
    try {
      this.gatewayCapability = GatewayCapabilities.of(this.gatewayImplementation, props.gatewayVersion);
    } catch (err) {
      throw propError(this, 'gatewayVersion', (err as Error).message.replace(/^gateway version /, 'must be a version such as 1.28.1: '));
    }
    const cap = this.gatewayCapability;
    if (props.strategy !== undefined) checkOneOf(this, 'strategy', props.strategy, Object.values(MigrationStrategy));
    this.strategy = props.strategy ?? (props.parallelGateway ? MigrationStrategy.PARALLEL_GATEWAY : cap.workingStrategy);
    if (props.strategy === undefined && this.strategy !== MigrationStrategy.WEIGHTED_SHIFT) {
      this.strategyChoice = `Strategy ${this.strategy} was chosen because no strategy was given and ` +
        (props.parallelGateway && cap.workingStrategy !== MigrationStrategy.PARALLEL_GATEWAY ? 'parallelGateway was given.' : `${cap.displayName}${cap.version ? ` ${cap.version}` : ''} needs it: ${cap.note}`);
    }
    if (props.steps !== undefined && this.strategy !== MigrationStrategy.WEIGHTED_SHIFT) {
      throw propError(this, 'steps', `has no meaning with the ${this.strategy} strategy (traffic does not move by weight): leave it out`);
    }
    if (props.parallelGateway !== undefined && this.strategy !== MigrationStrategy.PARALLEL_GATEWAY) {
      throw propError(this, 'parallelGateway', `has no meaning with the ${this.strategy} strategy: leave it out, or use strategy: MigrationStrategy.PARALLEL_GATEWAY`);
    }
    this.checkGateway(m, cap);
    const preview = this.strategy === MigrationStrategy.HEADER_PREVIEW_CUTOVER ? this.resolvePreviewHeader(props.previewHeader) : undefined;
    const parallel = this.strategy === MigrationStrategy.PARALLEL_GATEWAY
      ? resolveParallelGateway(where, m, props.parallelGateway, this.gatewayImplementation) : undefined;

    const plan = planZeroDowntime(steps, this.strategy);
    const violations = planViolations(plan);
    if (violations.length > 0) throw new Error(`${where}: the plan breaks its invariants: ${violations.join('; ')}`);

    this.baseline = [...m.alpha.manifests, ...m.routes.flatMap((r) => (r.manifest ? [r.manifest] : [])), ...m.otherRoutes];
    const stageSet = new StageSet(this);
    this.stages = stageSet.stages;
    plan.forEach((planned, i) => this.addStage(stageSet, m, planned, plan.length, i === 0, i === plan.length - 1, preview, parallel));
    this.node.addValidation({ validate: () => this.cleanupHoldsNoAlpha() });

    this.overview = {
      title: `${m.alpha.poolName} to ${m.gaProps.name}: InferencePool v1alpha2 to v1 without downtime`,
      summary: `Moves the traffic of the v1alpha2 InferencePool ${m.namespace}/${m.alpha.poolName} ` +
        `(${m.alpha.external ? `installed by Helm, release ${m.alpha.helmRelease}` : 'carried from Git'}) to the v1 InferencePool ` +
        `${m.namespace}/${m.gaProps.name}, which selects the same model-server pods, through ${routeList(m)}. Strategy: ${this.strategy}` +
        strategySummary(this.strategy, steps, preview, parallel),
      preflight: inferencePreflight(),
      notes: [
        ...(this.strategyChoice ? [this.strategyChoice] : []),
        `Gateway: ${cap.displayName}${cap.version ? ` ${cap.version}` : ''} (${cap.versions}). ${cap.note}${cap.sources.length > 0 ? ` Sources: ${cap.sources.join(', ')}.` : ''}`,
        inferenceWhatsNext(m),
      ],
    };
    stageSet.collectStageWarnings(this.warnings);
    this.activeStage = stageSet.activate(this.migrationName, props.activeStage, this.warnings);
  }

  private addStage(stageSet: StageSet, m: ResolvedInferenceMigration, planned: PlannedStage, stageCount: number, first: boolean, last: boolean,
    preview?: Header, parallel?: ResolvedParallelGateway): void {
    const stage = stageSet.add(planned.name, { ordinal: planned.ordinal, stageName: planned.name, purpose: planned.purpose, stageCount },
      (scope) => buildInferenceStage(scope, m, planned, preview, parallel));
    const parallelRoutes = planned.route.kind === 'parallel' || planned.route.kind === 'parallel-ga';
    for (const v of inferenceVerifications(m, planned, preview, parallelRoutes ? parallel : undefined)) stage.addVerification(v);
    if (parallel && parallelRoutes) {
      const alphaEpp = m.alpha.endpointPickerServiceName;
      for (const s of parallelManualSteps(m, planned, parallel, this.gatewayImplementation, alphaEpp)) stage.addManualStep(s);
    }
    for (const s of inferenceManualSteps(m, planned, first, last)) stage.addManualStep(s);
    if (first) for (const w of m.warnings) stage.addWarning(w);
    if (first) stage.addModelMappings(m.models.mappings);
    const cap = this.gatewayCapability;
    if (!parallelRoutes && ((planned.route.kind === 'split' && cap.weightedAlphaAndGa === GatewaySupport.UNKNOWN)
      || (planned.route.kind !== 'ga-only' && cap.alphaBackendRef !== GatewaySupport.YES && !first))) {
      stage.addWarning(`Gateway implementation ${cap.implementation}: ${cap.note}`);
    }
    if (this.strategy === MigrationStrategy.CUTOVER && planned.name === 'cutover' && cap.servesBothGroups === GatewaySupport.NO) {
      stage.addManualStep({ timing: ManualStepTiming.BEFORE_SYNC, text: cutoverSwitchStep(cap, this.gatewayImplementation) });
      stage.addManualStep({ timing: ManualStepTiming.ROLLBACK, text: cutoverRollbackStep(cap) });
    }
  }

  private checkGateway(m: ResolvedInferenceMigration, cap: GatewayCapability): void {
    const problem = GatewayCapabilities.problemWith(cap, this.strategy);
    if (problem) {
      const gateways = [...new Set(m.routes.flatMap((r) => r.parentRefs.map((p) => `${p.namespace ?? r.namespace}/${p.name}`)))].join(', ');
      const how = cap.alphaBackendRef === GatewaySupport.NO && this.strategy !== MigrationStrategy.PARALLEL_GATEWAY
        ? 'Name the implementation and version that serve the alpha route today (gatewayImplementation, gatewayVersion), or give parallelGateway: a second Gateway ' +
          'that serves the GA route while the gateway that serves the alpha route keeps it.'
        : howToRun(cap.workingStrategy, this.gatewayImplementation);
      const prop = cap.alphaBackendRef === GatewaySupport.NO && this.strategy === cap.workingStrategy ? 'gatewayImplementation' : 'strategy';
      const what = prop === 'strategy' ? `${show(this.strategy)} cannot run` : `${show(this.gatewayImplementation)}${cap.version ? ` ${cap.version}` : ''} cannot serve the alpha route`;
      throw propError(this, prop, `${what} on the Gateway ${gateways} (${cap.implementation}): ${problem} (${cap.sources.join('; ')}). ${how}`);
    }
    const doubled = m.routes.some((r) => (r.rules?.length ?? 1) * 2 + (r.otherRules?.length ?? 0) > 16);
    if (doubled && this.strategy === MigrationStrategy.HEADER_PREVIEW_CUTOVER) {
      throw propError(this, 'routes', 'have too many rules for the header-preview-cutover strategy, which doubles each pool rule: at most 16 rules per HTTPRoute');
    }
  }

  private resolvePreviewHeader(header: PreviewHeader | undefined): Header {
    const name = header?.name ?? 'x-inference-preview';
    const value = header?.value ?? 'ga';
    checkHeaderName(this, 'previewHeader.name', name);
    if (value.length < 1 || value.length > 4096) throw propError(this, 'previewHeader.value', `must have 1..4096 characters (got ${show(value)})`);
    return { name, value };
  }

  private cleanupHoldsNoAlpha(): string[] {
    const cleanup = this.stages[this.stages.length - 1];
    const errors: string[] = [];
    for (const obj of cleanup.apiObjects) {
      if (obj.apiGroup === ALPHA_GROUP && (obj.kind === 'InferencePool' || obj.kind === 'InferenceModel')) {
        errors.push(`stage ${cleanup.folderName} still holds alpha ${obj.kind} ${obj.name}`);
      }
    }
    for (const route of cleanup.node.findAll().filter((c): c is WeightedInferenceRoute => c instanceof WeightedInferenceRoute)) {
      const refs = [
        ...route.rules.flatMap((r) => [
          ...r.backends.map((b) => ({ group: b.pool.poolGroup, name: b.pool.poolName })),
          ...(r.additionalBackendRefs ?? []),
        ]),
        ...route.additionalRules.flatMap((r) => (Array.isArray(r.backendRefs) ? r.backendRefs : [])),
      ];
      for (const ref of refs.filter((x) => x.group === ALPHA_GROUP)) {
        errors.push(`stage ${cleanup.folderName}: route ${route.name} still sends traffic to the alpha group (${ref.name}), which cleanup removes`);
      }
    }
    return errors;
  }
}

/** What to use instead of a strategy the gateway cannot run. */
function howToRun(works: MigrationStrategy, implementation: GatewayImplementation): string {
  switch (works) {
    case MigrationStrategy.PARALLEL_GATEWAY:
      return `Use strategy: '${works}' (MigrationStrategy.PARALLEL_GATEWAY) with parallelGateway: a second Gateway${implementation === GatewayImplementation.ISTIO ? ` labelled ${ISTIO_REVISION_LABEL}=<revision> of a control plane that serves v1 (Istio 1.28+)` : ''} serves the GA route while the old one keeps the alpha route, and clients move between the two addresses: no downtime. Or 'cutover', which accepts a short window.`;
    case MigrationStrategy.CUTOVER:
      return `Use strategy: '${works}' (MigrationStrategy.CUTOVER): one stage moves all traffic to the GA pool in the same change window as the gateway's upgrade to a release that serves v1, with the window of disruption its README states.`;
    default:
      return `Use strategy: '${works}' (MigrationStrategy.HEADER_PREVIEW_CUTOVER): a stage sends requests carrying a preview header to the GA pool for testing, then one stage moves all traffic at once.`;
  }
}

/** The step of a cutover stage on a gateway that serves one group at a time: switch its control plane in the same window, and how long requests fail. */
function cutoverSwitchStep(cap: GatewayCapability, implementation: GatewayImplementation): string {
  const how = cap.cutoverWindow ?? `Switch the gateway's control plane to one that serves the v1 group in the same window as this sync${implementation === GatewayImplementation.ISTIO ? ' (Istio 1.28 or later, with ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true)' : ''}: requests fail between the two, which is the window this strategy accepts.`;
  return `Why a cutover: ${cap.note} ${how} Rollback is not one re-apply here: the previous folder's route needs the previous control plane too. ` +
    (cap.secondInstallation === GatewaySupport.YES ? 'For no window at all, use the parallel-gateway strategy.' : 'No strategy without a window is shown to work on this gateway (see docs/gateways.md).');
}

/** The rollback step of such a cutover stage: the previous folder's route needs the previous control plane. */
function cutoverRollbackStep(cap: GatewayCapability): string {
  return `Put back the ${cap.displayName} control plane that served the alpha group, in the same window: the previous folder's route points at the alpha pool, which the upgraded control plane no longer routes, so a re-apply alone does not restore traffic.`;
}

/** `the HTTPRoute a/b and the AIGatewayRoute a/c`: every route of the migration, by kind. */
function routeList(m: ResolvedInferenceMigration): string {
  const byKind = new Map<string, string[]>();
  for (const r of m.routes) byKind.set('HTTPRoute', [...(byKind.get('HTTPRoute') ?? []), `${r.namespace}/${r.name}`]);
  for (const r of m.otherRoutes) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), `${r.namespace}/${r.name}`]);
  return [...byKind.entries()].map(([kind, names]) => `the ${kind}${names.length > 1 ? 's' : ''} ${names.join(', ')}`).join(' and ');
}

/** The last sentence of the overview's summary: how traffic moves. */
function strategySummary(strategy: MigrationStrategy, steps: number[], preview?: Header, parallel?: ResolvedParallelGateway): string {
  switch (strategy) {
    case MigrationStrategy.WEIGHTED_SHIFT: return ` (GA weight ${steps.join('% then ')}%, then 100%).`;
    case MigrationStrategy.HEADER_PREVIEW_CUTOVER: return ` (preview header ${preview!.name}: ${preview!.value}, then 100% at once).`;
    case MigrationStrategy.PARALLEL_GATEWAY: return ` (a second Gateway ${parallel!.namespace}/${parallel!.name} serves copies of the routes to the GA pool; clients move from ${parallel!.original.namespace}/${parallel!.original.name}'s address to its address outside the cluster).`;
    default: return ' (100% at once, with a short window).';
  }
}
