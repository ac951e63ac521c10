import { Construct } from 'constructs';
import { plannedNamespace, PlannedPlatform, planRepo, RepoPlan } from './inference-planner';
import { ManifestLocation, ManifestSource, ManifestSourceOptions, YamlManifestOptions } from './manifest-source';
import { buildPlan } from './plan-builder';
import { platformLines } from './platform-choice';
import { InvalidInputError, validateSources } from './source-validation';
import { SourceObject } from './sources';
import { InferenceProvider } from '../inference/types';
import { GatewayImplementation } from '../migration/gateway-implementation';
import { MigrationLoss } from '../migration/migration-loss';
import { MigrationStrategy } from '../migration/migration-strategy';
import { ZeroDowntimeMigration } from '../migration/zero-downtime-migration';

/** How `InferenceMigrationPlan` plans the migrations it finds. */
export interface InferenceMigrationPlanOptions {
  /**
   * GA weights of the traffic-shift stages, in percent: increasing integers in 1..99.
   * @default [50]
   */
  readonly steps?: number[];

  /**
   * Platform of the GA pools.
   * @default - InferenceProvider.GKE when the alpha pool has GKE policies, else InferenceProvider.NONE
   */
  readonly provider?: InferenceProvider;

  /**
   * The Gateway API implementation that serves the routes: decides whether one rule can split traffic
   * between the alpha and the GA pool.
   * @default - GatewayImplementation.GKE with the GKE provider, GatewayImplementation.ISTIO with the Istio provider, else GatewayImplementation.GENERIC
   */
  readonly gatewayImplementation?: GatewayImplementation;

  /**
   * How traffic moves. A strategy given here is never replaced: one the gateway cannot run is an error naming the
   * Gateway, the reason and the strategy that works.
   * @default - the one that works on the gateway: MigrationStrategy.PARALLEL_GATEWAY where no release serves both groups (Istio) or `newGateway` is given, MigrationStrategy.HEADER_PREVIEW_CUTOVER where one rule cannot split between two pools, else MigrationStrategy.WEIGHTED_SHIFT
   */
  readonly strategy?: MigrationStrategy;

  /**
   * Version of the gateway implementation (e.g. Istio `1.27.3`): the capability table's facts by version.
   * @default - what holds for every version of the implementation
   */
  readonly gatewayVersion?: string;

  /**
   * The second Gateway of the parallel-gateway strategy (giving it chooses that strategy). The original Gateway,
   * whose listeners it copies, is the one the routes attach to: its manifest must be in the input.
   * @default - `<gateway>-v1` with the original's class and no labels, when the strategy is parallel-gateway
   */
  readonly newGateway?: NewGatewayOptions;

  /**
   * The GIE release to migrate to: a bridge release whose CRDs serve both pools (v1.0.0, v1.0.2, v1.1.0, v1.2.0,
   * v1.3.1, v1.4.0). See `ZeroDowntimeMigrationProps.gieVersion`.
   * @default 'v1.4.0' (the newest bridge release, as `inference-migrate plan`)
   */
  readonly gieVersion?: string;

  /**
   * What the migrations may lose, accepted explicitly (`MigrationLoss.MODEL_REWRITE`: model rewrites the target
   * cannot apply).
   * @default - nothing: a plan that would lose a model rewrite fails, naming the model
   */
  readonly acceptLoss?: MigrationLoss[];

  /**
   * Fail instead of warning where clients must send `x-gateway-inference-objective` to keep a model's priority.
   * @default false
   */
  readonly strict?: boolean;

  /**
   * A custom GA Endpoint Picker image (`eppImage`) applies InferenceModelRewrites, as upstream's EPP does from
   * v1.3.0: the target version proves that only for upstream's image.
   * @default false - with a custom image, a model rewrite fails the plan unless `acceptLoss` names it
   */
  readonly eppReadsModelRewrites?: boolean;

  /**
   * GIE release of the alpha CRDs installed today (v0.2.0..v0.5.1), for the removal instructions.
   * @default - the release of the carried alpha EPP's upstream image (`epp:v0.5.1` means v0.5.1), else 'v0.3.0'
   */
  readonly alphaCrdVersion?: string;

  /**
   * Suffix of each GA pool's name: replaces a trailing `-alpha` or `-preview` of the alpha pool's
   * name, else is appended.
   * @default '-ga'
   */
  readonly gaNameSuffix?: string;

  /**
   * Validate the objects the migrations carry (the alpha stacks and the routes) against the pinned CRDs
   * and core schemas before planning: a problem is an error with file, line and field.
   * @default true
   */
  readonly validateInputs?: boolean;

  /**
   * Image of the GA Endpoint Picker (`repo:tag`), needed when an alpha EPP runs an image other than
   * upstream's (llm-d's inference scheduler, say): the GA EPP keeps that EPP's flags (pool flags aside),
   * environment, CPU and memory and plugin config, with this image. Never replaced silently: without it,
   * such a plan fails naming the alpha image.
   * @default - upstream's EPP of the target release
   */
  readonly eppImage?: string;

  /**
   * The GIE release the `eppImage` is built on (its `cmd/epp/runner` flags), e.g. 'v1.0.0' for llm-d's
   * `llm-d-inference-scheduler:v0.3.0`. Every flag the GA EPP gets is then checked against that release's flag set
   * (a flag it lacks is refused, naming flag and release), and a flag of the target release's chart (tracing off
   * from v1.1.0) is added only where that release has it. A release from v0.3.0 to v1.4.0.
   * @default - unknown: the GA EPP gets the alpha EPP's flags in v1 spelling and the pool flags, nothing the target
   * release's chart adds
   */
  readonly eppGieVersion?: string;

  /**
   * The GA Endpoint Picker's plugins config (an EndpointPickerConfig, YAML text), e.g. the alpha EPP's scheduling
   * rewritten for v1 plugins; with upstream's image, every plugin `type` must be one the target release registers,
   * or the plan fails naming the type and the release.
   * @default - the target chart's default plugins (queue, kv-cache-utilization and prefix-cache scorers), or a custom EPP's own config
   */
  readonly eppConfig?: string;

  /**
   * Prefix of the file paths in the first stage's README (the list of objects to remove from their old
   * place), e.g. the path of the directory that was read inside its Git repository.
   * @default - paths relative to the directory that was read
   */
  readonly sourcePathPrefix?: string;

  /**
   * What those paths are relative to, in words, for the README.
   * @default 'the directory that was planned'
   */
  readonly sourcePathsRelativeTo?: string;

  /**
   * The input is one rendered stream (`kustomize build`, `helm template`), not files: the README names
   * the objects to hand over, and says to change them in the sources that rendered the stream.
   * @default false
   */
  readonly sourceIsStream?: boolean;
}

/** The second Gateway a plan with the parallel-gateway strategy adds beside the routes' Gateway. */
export interface NewGatewayOptions {
  /**
   * Name of the new Gateway, in the original Gateway's namespace.
   * @default - `<original gateway>-v1`
   */
  readonly name?: string;

  /**
   * GatewayClass of the new Gateway.
   * @default - the original Gateway's class
   */
  readonly gatewayClassName?: string;

  /**
   * Labels of the new Gateway. On Istio, `istio.io/rev: <revision>` of a control plane that serves the v1 group
   * (Istio 1.28+) is required.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Options of `InferenceMigrationPlan.addMigrations`. */
export interface AddMigrationsOptions {
  /**
   * The stage every migration renders in `app.synth()`, by folder (e.g. `01-side-by-side`) or by name (e.g.
   * `side-by-side`, `cleanup`: the same in every migration whatever its steps); the
   * GitOpsWriter writes every stage whatever is selected.
   * @default - each migration's context key `inference-migration:<name>:active-stage`; with neither, `app.synth()` fails and says how to select one
   */
  readonly activeStage?: string;
}

/** Options of `InferenceMigrationPlan.fromDirectory`. */
export interface InferenceMigrationDirectoryOptions extends InferenceMigrationPlanOptions, ManifestSourceOptions {}

/** Options of `InferenceMigrationPlan.fromYaml`. */
export interface InferenceMigrationYamlOptions extends InferenceMigrationPlanOptions, YamlManifestOptions {}

/** An object of the input a migration takes over, and where it is. */
export interface ManifestReference extends ManifestLocation {
  /** Kind of the object. */
  readonly kind: string;
  /** Name of the object. */
  readonly name: string;
  /**
   * Namespace the object is planned in: its own, else the one its kustomization sets, else `default`.
   * @default - none: the object is cluster-scoped
   */
  readonly namespace?: string;
}

/** One migration of a plan: one v1alpha2 InferencePool and everything that goes with it. */
export interface PlannedInferenceMigration {
  /** Name of the migration: the construct id `addMigrations` gives it, and its folder. */
  readonly name: string;
  /** Namespace of the pools, objectives and routes. */
  readonly namespace: string;
  /** Name of the v1alpha2 InferencePool. */
  readonly alphaPoolName: string;
  /** Where the alpha pool is defined. */
  readonly alphaPoolLocation: ManifestLocation;
  /** Name of the v1 InferencePool that replaces it. */
  readonly gaPoolName: string;
  /** The HTTPRoutes whose traffic moves: the stages carry them from the input, and change their backends. */
  readonly routes: ManifestReference[];
  /**
   * Routes of other kinds (GRPCRoute, AIGatewayRoute, ...) that send traffic to the pool: carried, and
   * pointed at the GA pool once all traffic goes there.
   */
  readonly otherRoutes: ManifestReference[];
  /** The Gateway API implementation the migration is planned for. */
  readonly gatewayImplementation: GatewayImplementation;
  /**
   * Its version, when given or shown by the input (an Istio revision label).
   * @default - unknown
   */
  readonly gatewayVersion?: string;
  /** The provider of the GA pool. */
  readonly provider: InferenceProvider;
  /**
   * How the gateway and the provider were chosen, for people: `flag` (given), `detected` (with the evidence),
   * or the default, one sentence each; then what made detection uncertain.
   */
  readonly platformNotes: string[];
  /** The alpha stack the stages carry unchanged until cleanup: pool, InferenceModels, GKE policies, Endpoint Picker objects. */
  readonly carried: ManifestReference[];
}

/** A reference to a v1alpha2 InferencePool that is not in the input (a route, policy or InferenceModel of a pool Helm installed, say). */
export interface OrphanPoolReference extends ManifestLocation {
  /** Kind of the object that refers. */
  readonly kind: string;
  /** Name of the object that refers. */
  readonly name: string;
  /** Name of the pool it refers to. */
  readonly poolName: string;
  /** Namespace of the pool it refers to. */
  readonly poolNamespace: string;
}

/**
 * The zero-downtime migrations of the v1alpha2 InferencePools found in existing manifests: one per
 * pool, with its InferenceModels (converted to InferenceObjectives), its GKE policies, its Endpoint
 * Picker objects and the HTTPRoutes that send it traffic, carried unchanged until cleanup. What cannot
 * be carried is a warning and a manual step in the stage READMEs, never dropped silently. Input that
 * cannot be planned (a route to a pool that is not there, an object defined twice, a name the API
 * server would refuse) is an error naming file and line.
 *
 * The library side of `inference-migrate plan`: use it to put migrations into your own cdk8s app.
 *
 * @example
 * const app = new App();
 * const plan = InferenceMigrationPlan.fromDirectory('gitops/apps', { steps: [10, 50] });
 * plan.addMigrations(app);
 * new GitOpsWriter({ outdir: 'gitops/migrations', validate: true }).writeAll(app);
 */
export class InferenceMigrationPlan {
  /** Plans the migrations of the manifests under `directory` (see `ManifestSource.fromDirectory`). */
  public static fromDirectory(directory: string, options: InferenceMigrationDirectoryOptions = {}): InferenceMigrationPlan {
    return InferenceMigrationPlan.fromSource(ManifestSource.fromDirectory(directory, options), options);
  }

  /** Plans the migrations of a YAML stream (see `ManifestSource.fromYaml`). */
  public static fromYaml(yaml: string, options: InferenceMigrationYamlOptions = {}): InferenceMigrationPlan {
    return InferenceMigrationPlan.fromSource(ManifestSource.fromYaml(yaml, options), options);
  }

  /** Plans the migrations of manifests that were read already. */
  public static fromSource(source: ManifestSource, options: InferenceMigrationPlanOptions = {}): InferenceMigrationPlan {
    const repo = source._contents;
    const relativeTo = options.sourcePathsRelativeTo ?? 'the directory that was planned';
    const plan = planRepo(repo, {
      steps: options.steps,
      provider: options.provider,
      gateway: options.gatewayImplementation,
      strategy: options.strategy,
      gaNameSuffix: options.gaNameSuffix,
      ...(options.eppImage !== undefined ? { eppImage: options.eppImage } : {}),
      ...(options.eppGieVersion !== undefined ? { eppGieVersion: options.eppGieVersion } : {}),
      ...(options.eppConfig !== undefined ? { eppConfig: options.eppConfig } : {}),
      gatewayVersion: options.gatewayVersion,
      newGateway: options.newGateway,
      gieVersion: options.gieVersion,
      acceptLoss: options.acceptLoss,
      strict: options.strict,
      eppReadsModelRewrites: options.eppReadsModelRewrites,
      alphaCrdVersion: options.alphaCrdVersion,
      sourcePaths: { prefix: options.sourcePathPrefix ?? '', relativeTo, stream: options.sourceIsStream ?? false },
    });
    if (options.validateInputs ?? true) {
      const inputs = plan.migrations.flatMap((m) => [...m.carried, ...m.routes]);
      const problems = validateSources(inputs);
      if (problems.length > 0) {
        const platform = plan.migrations.flatMap((m) => platformLines(m.name, platformNotes(m.platform)));
        throw new InvalidInputError(problems.map((p) => ({ ...p, message: `input does not pass validation: ${p.message}` })), repo.root, platform);
      }
    }
    return new InferenceMigrationPlan(source, plan);
  }

  /** The manifests the plan was made from. */
  public readonly source: ManifestSource;
  /** One migration per v1alpha2 InferencePool, sorted by namespace and name; empty when there is nothing to migrate. */
  public readonly migrations: PlannedInferenceMigration[];
  /** What concerns the input as a whole (objects two pools share, guessed namespaces, orphan references). */
  public readonly warnings: string[];
  /** References to alpha pools that are not in the input, in input order (each is also a warning). */
  public readonly orphanReferences: OrphanPoolReference[];

  private readonly plan: RepoPlan;

  private constructor(source: ManifestSource, plan: RepoPlan) {
    this.source = source;
    this.plan = plan;
    this.warnings = [...plan.warnings];
    this.orphanReferences = plan.orphans.map((o) => ({
      file: o.source.file,
      line: o.line,
      kind: o.source.object.kind,
      name: o.source.object.metadata.name,
      poolName: o.pool.name,
      poolNamespace: o.pool.namespace,
    }));
    this.migrations = plan.migrations.map((m) => ({
      name: m.name,
      namespace: m.namespace,
      alphaPoolName: m.alphaPool.object.metadata.name,
      alphaPoolLocation: location(m.alphaPool),
      gaPoolName: m.gaPoolName,
      routes: m.routes.map(carriedManifest),
      otherRoutes: m.otherRoutes.map(carriedManifest),
      gatewayImplementation: m.platform.gateway,
      ...(m.platform.gatewayVersion !== undefined ? { gatewayVersion: m.platform.gatewayVersion } : {}),
      provider: m.platform.provider,
      platformNotes: platformNotes(m.platform),
      carried: m.carried.map(carriedManifest),
    }));
  }

  /**
   * Adds one `ZeroDowntimeMigration` per planned migration under `scope` (construct id: the
   * migration's name), with the plan's manual steps in the stage READMEs; returns them in the order of
   * `migrations`. A plan the constructs refuse (a GA pool name that would be too long, say) is an error
   * naming the alpha pool's file and line. In `app.synth()` each renders one stage: `options.activeStage`,
   * else the stage its context key selects.
   */
  public addMigrations(scope: Construct, options: AddMigrationsOptions = {}): ZeroDowntimeMigration[] {
    return buildPlan(this.plan, scope, this.source.root, options.activeStage).map((b) => b.migration);
  }
}

function location(s: SourceObject): ManifestLocation {
  return { file: s.file, line: s.line };
}

function carriedManifest(s: SourceObject): ManifestReference {
  const ns = plannedNamespace(s);
  return { ...location(s), kind: s.object.kind, name: s.object.metadata.name, ...(ns !== '' ? { namespace: ns } : {}) };
}

/** How a migration's platform was chosen, one sentence each. */
function platformNotes(p: PlannedPlatform): string[] {
  const gateway = `gateway ${p.gateway}${p.gatewayVersion !== undefined ? ` ${p.gatewayVersion}` : ''}`;
  const from = (what: string, how: string) => ({
    flag: `${what}: given`,
    detected: `${what}: detected`,
    provider: `${what}: from the provider`,
    default: `${what}: nothing in the input shows it (give it with a flag)`,
  } as { [k: string]: string })[how];
  return [from(gateway, p.gatewayFrom), from(`provider ${p.provider}`, p.providerFrom), ...p.evidence, ...p.doubts.map((d) => `not detected: ${d}`)];
}
