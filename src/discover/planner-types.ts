/**
 * The planner's data: what the user chose (`PlanOptions`) and what a plan holds (`RepoPlan`: one
 * `PlannedMigration` per alpha pool, with its platform, steps and warnings). Types only.
 */
import type { PoolIdentity } from './http-route';
import type { SourceObject } from './sources';
import type { InferenceProvider } from '../inference/types';
import type { GatewayImplementation } from '../migration/gateway-implementation';
import type { MigrationLoss } from '../migration/migration-loss';
import type { MigrationStrategy } from '../migration/migration-strategy';
import type { ZeroDowntimeMigrationProps } from '../migration/zero-downtime-migration';

/** What the user chose on the command line. */
export interface PlanOptions {
  /** GA weights of the shift stages. @default - the library's default (50) */
  readonly steps?: number[];
  /** The GA pool's provider. @default - GKE when the alpha pool has GKE policies, else none */
  readonly provider?: InferenceProvider;
  /** The gateway implementation. @default - GKE when the provider is GKE, Istio when it is Istio, else generic */
  readonly gateway?: GatewayImplementation;
  /** How traffic moves. @default - the one that works on the gateway (weighted-shift where nothing says it cannot) */
  readonly strategy?: MigrationStrategy;
  /** Suffix of the GA pool names. @default '-ga' */
  readonly gaNameSuffix?: string;
  /** The GIE release to migrate to. @default NEWEST_BRIDGE_GIE (v1.4.0), as `plan --target-gie` */
  readonly gieVersion?: string;
  /** Losses accepted explicitly. @default - none */
  readonly acceptLoss?: MigrationLoss[];
  /** Fail where clients must change (objective headers). @default false */
  readonly strict?: boolean;
  /** GIE release of the alpha CRDs installed today. @default - the library's (the alpha EPP's upstream release, else v0.3.0) */
  readonly alphaCrdVersion?: string;
  /**
   * The second Gateway of the parallel-gateway strategy: its name, class and labels; the original Gateway is read
   * from the directory. @default - `<gateway>-v1`, the original's class, no labels
   */
  readonly newGateway?: { readonly name?: string; readonly gatewayClassName?: string; readonly labels?: { [key: string]: string } };
  /**
   * Image of the GA Endpoint Picker (`repo:tag`) for an alpha EPP that is not upstream's: the GA EPP
   * keeps the alpha one's flags, environment, resources and plugin config. @default - none: a custom
   * alpha EPP fails the plan
   */
  readonly eppImage?: string;
  /**
   * The GIE release the custom `eppImage` is built on: its flags are checked against that release's, and the
   * target release's chart flags (tracing off) are added only where it has them. @default - unknown: none added
   */
  readonly eppGieVersion?: string;
  /**
   * The GA Endpoint Picker's plugins config (an EndpointPickerConfig, YAML text) instead of the target chart's default
   * plugins (or a custom EPP's own config); with upstream's image, every plugin type must exist at the target release.
   * @default - the target chart's default plugins (queue, kv-cache-utilization and prefix-cache scorers), or a custom EPP's own config
   */
  readonly eppConfig?: string;
  /**
   * The custom GA Endpoint Picker (`eppImage`) applies InferenceModelRewrites (as upstream's does from v1.3.0).
   * @default false: with a custom image, a model rewrite fails the plan unless its loss is accepted
   */
  readonly eppReadsModelRewrites?: boolean;
  /** Version of the gateway implementation. @default - the version the input shows (an Istio revision label), else unknown */
  readonly gatewayVersion?: string;
  /**
   * How the READMEs name the files that were read: `prefix/<file>`, and what the paths are relative to.
   * @default - paths relative to the directory that was read
   */
  readonly sourcePaths?: { readonly prefix: string; readonly relativeTo: string; readonly stream?: boolean };
}

/** A plan option that cannot work, by its name in `PlanOptions`. */
export interface OptionProblem {
  readonly option: 'steps' | 'gateway' | 'gatewayVersion' | 'gaNameSuffix' | 'newGateway' | 'eppGieVersion';
  /** What is wrong, without the option's name. */
  readonly message: string;
}

/** A step for a stage README. */
export interface PlannedManualStep {
  readonly text: string;
  readonly commands?: string[];
  /** `first`: the first stage (before its sync, unless `afterSync`); `last`: after verifying the cleanup stage. */
  readonly stage: 'first' | 'last';
  /** In the first stage: right after its sync (before it is verified). */
  readonly afterSync?: boolean;
}

/** The migration of one alpha pool. */
export interface PlannedMigration {
  /** Name of the migration: its folder. */
  readonly name: string;
  /** The alpha pool and where it is defined. */
  readonly alphaPool: SourceObject;
  /** Namespace of the pool. */
  readonly namespace: string;
  /** Name of the GA pool. */
  readonly gaPoolName: string;
  /** The props of the ZeroDowntimeMigration. */
  readonly props: ZeroDowntimeMigrationProps;
  /** The alpha stack objects carried into the stages, with their sources. */
  readonly carried: SourceObject[];
  /** The HTTPRoutes that use the pool, with their sources. */
  readonly routes: SourceObject[];
  /** The routes of other kinds (GRPCRoute, AIGatewayRoute, ...) that use the pool, with their sources. */
  readonly otherRoutes: SourceObject[];
  /** Steps for the stage READMEs. */
  readonly manualSteps: PlannedManualStep[];
  /** Warnings for the cleanup stage's README (what it does not remove). */
  readonly cleanupWarnings: string[];
  /** The platform: gateway implementation and provider, each from a flag, the input, or neither. */
  readonly platform: PlannedPlatform;
}

/** The gateway and provider a migration is planned for, and where each came from. */
export interface PlannedPlatform {
  readonly gateway: GatewayImplementation;
  readonly gatewayVersion?: string;
  readonly gatewayFrom: 'flag' | 'detected' | 'provider' | 'default';
  readonly provider: InferenceProvider;
  readonly providerFrom: 'flag' | 'detected' | 'default';
  /** How the input shows them, and what made detection uncertain, one sentence each. */
  readonly evidence: string[];
  readonly doubts: string[];
}

/** A reference to an alpha pool that is not in the input. */
export interface OrphanReference {
  /** The object that refers. */
  readonly source: SourceObject;
  /** Line of the reference. */
  readonly line: number;
  /** The pool it names. */
  readonly pool: PoolIdentity;
  /** What it means and what to do, one paragraph. */
  readonly message: string;
}

/** The plan for a directory. */
export interface RepoPlan {
  /** One migration per alpha pool, sorted by namespace and name. */
  readonly migrations: PlannedMigration[];
  /** Warnings that concern the directory as a whole (shared objects, guessed namespaces, orphan references). */
  readonly warnings: string[];
  /** References to alpha pools that are not in the input (also among the warnings), in input order. */
  readonly orphans: OrphanReference[];
}
