import { Duration } from 'cdk8s';
import { MigrationLoss } from './migration-loss';
import { MigrationRoute } from './migration-route';
import { CriticalityPriorities } from '../convert/types';
import { CarriedManifest } from '../core/carried-manifest';
import { GatewayParentRef, RouteMatch } from '../inference/http-route-types';
import { InferencePoolAlphaProps } from '../inference/inference-pool-alpha';
import { InferencePoolGaFromAlphaOptions } from '../inference/inference-pool-ga';
import { ResourceMetadata } from '../inference/types';

/** The GA pool of a migration; everything defaults to what the alpha pool has. */
export interface GaPoolOptions extends InferencePoolGaFromAlphaOptions {
  /**
   * Model-server selector. Differing from the alpha pool's needs `allowSelectorChange`.
   * @default - the alpha pool's selector
   */
  readonly modelServerSelector?: { [key: string]: string };

  /**
   * Model-server port. Differing from the alpha pool's needs `allowSelectorChange`.
   * @default - the alpha pool's port
   */
  readonly targetPort?: number;
}

/** An InferenceObjective of the GA pool. */
export interface ObjectiveOptions {
  /** Name of the objective (requests select it with `x-gateway-inference-objective: <name>`). */
  readonly name: string;
  /**
   * Priority of the objective.
   * @default 0
   */
  readonly priority?: number;
  /**
   * Labels and annotations of the objective.
   * @default - none
   */
  readonly metadata?: ResourceMetadata;
}

/** Props shared by the zero-downtime and the simple migration of an InferencePool. */
export interface InferenceMigrationProps {
  /**
   * Name of the migration: its folder under the output directory.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace of the pools, objectives and routes.
   * @default - the alpha pool's namespace, else 'default'
   */
  readonly namespace?: string;

  /** The alpha pool: referenced (`existing`, installed by Helm) or carried (`manifests`, from Git). */
  readonly alphaPool: InferencePoolAlphaProps;

  /**
   * The GA pool.
   * @default - derived from the alpha pool
   */
  readonly gaPool?: GaPoolOptions;

  /**
   * Let the GA pool select other pods (selector or port) than the alpha pool. Off by default: a
   * side-by-side migration is only safe when both pools serve the same model servers.
   * @default false
   */
  readonly allowSelectorChange?: boolean;

  /**
   * The InferenceObjectives of the GA pool.
   * @default - converted from the carried InferenceModels (criticality to priority); none for a referenced pool
   */
  readonly objectives?: ObjectiveOptions[];

  /**
   * Priorities of the InferenceModel criticalities, when objectives are converted.
   * @default - Critical=1, Standard=-1, Sheddable=-2 (the sign keeps which requests are shed under saturation)
   */
  readonly criticalityPriorities?: CriticalityPriorities;

  /**
   * The Gateway of the route, when the route is given by `routeName`, `hostnames` and `matches`.
   * @default - none: `routes` must be given
   */
  readonly gateway?: GatewayParentRef;

  /**
   * GatewayClass of the route's Gateway, e.g. `gke-l7-regional-external-managed`: the verification
   * commands then expect it.
   * @default - the class is not checked
   */
  readonly gatewayClassName?: string;

  /**
   * Name of the HTTPRoute.
   * @default - `<migration name>-route`
   */
  readonly routeName?: string;

  /**
   * Host names of the route.
   * @default - none
   */
  readonly hostnames?: string[];

  /**
   * Matches of the route's pool rule.
   * @default - `PathPrefix /`
   */
  readonly matches?: RouteMatch[];

  /**
   * Request timeout of the route's pool rule.
   * @default - the gateway's default
   */
  readonly requestTimeout?: Duration;

  /**
   * The routes that use the alpha pool, for more than one route or rule (the CLI builds these from
   * existing HTTPRoutes). Replaces `gateway`, `routeName`, `hostnames`, `matches` and `requestTimeout`.
   * @default - one route from `gateway`, `routeName`, `hostnames`, `matches` and `requestTimeout`
   */
  readonly routes?: MigrationRoute[];

  /**
   * Routes of other kinds that send traffic to the alpha pool (GRPCRoute, Envoy AI Gateway's
   * AIGatewayRoute, ...): carried as they are while the stage's route still sends traffic to the alpha
   * pool, and from the stage where all traffic goes to the GA pool with each backendRef to the alpha pool
   * naming the GA pool instead (every other field unchanged). They do not split traffic between the pools.
   * @default - none
   */
  readonly otherRoutes?: CarriedManifest[];

  /**
   * The Gateways the routes attach to, as they are in Git: read, never written into a stage. The READMEs'
   * requests use the listener each route attaches to (its port, protocol and host name) and the class is checked.
   * @default - none: the requests read the port of the Gateway's first HTTP listener from the cluster when run
   */
  readonly gateways?: CarriedManifest[];

  /**
   * The GIE release to migrate to: its CRDs are installed (the READMEs name them), every stage is validated
   * against them, and the GA pool's Endpoint Picker is rendered as that release's `inferencepool` chart. One of the
   * bridge releases whose CRDs serve both the v1alpha2 and the v1 InferencePool and are pinned here: v1.0.0,
   * v1.0.2, v1.1.0, v1.2.0, v1.3.1, v1.4.0 (v1.5.0 removed the alpha pool CRD). Another patch of those lines is
   * refused, naming the pinned one. From v1.3.0 the EPP applies InferenceModelRewrites, which keep the
   * InferenceModels' `targetModels`.
   * @default 'v1.0.2' (the upstream guide's line; the command line's `plan` defaults to v1.4.0)
   */
  readonly gieVersion?: string;

  /**
   * What the migration may lose, accepted explicitly: `MigrationLoss.MODEL_REWRITE` lets a plan go on whose target
   * cannot apply the InferenceModels' model rewrites (a target before v1.3.0, or an EPP not known to apply them);
   * the clients must then send `x-gateway-model-name-rewrite` themselves. Without it such a plan fails, naming the
   * models.
   * @default - nothing: a plan that would lose a model rewrite fails
   */
  readonly acceptLoss?: MigrationLoss[];

  /**
   * Fail instead of warning when the GA pool keeps the alpha behaviour only if clients change: models whose
   * objective has a negative priority (Standard and Sheddable by default), which a v1 Endpoint Picker applies only
   * to requests carrying `x-gateway-inference-objective: <objective>`.
   * @default false (a warning, and a manual step in the first GA stage)
   */
  readonly strict?: boolean;

  /**
   * Asserts that the GA pool's Endpoint Picker applies InferenceModelRewrites. The target version proves it only for
   * upstream's EPP image of v1.3.0 or later; with a custom image (`gaPool.endpointPicker.image`) or an existing EPP,
   * a model rewrite needs this assertion or `acceptLoss: [MigrationLoss.MODEL_REWRITE]`. Needs a target of v1.3.0
   * or later (the InferenceModelRewrite CRD with `targets`).
   * @default - true for upstream's EPP image of a v1.3.0+ target, false otherwise
   */
  readonly endpointPickerReadsModelRewrites?: boolean;

  /**
   * GKE version of the cluster (e.g. `1.34.0-gke.1626000`): decides which CRDs the README installs on GKE.
   * @default - both GKE variants are described
   */
  readonly gkeVersion?: string;

  /**
   * GIE release of the alpha CRDs installed today (v0.2.0..v0.5.1), for the removal instructions.
   * @default - the release of the carried alpha EPP's upstream image (`epp:v0.5.1` means v0.5.1), else 'v0.3.0'
   */
  readonly alphaCrdVersion?: string;

  /**
   * The stage `app.synth()` renders inside the enclosing chart, by folder (e.g. `02-shift-50`) or by name
   * (`shift-50`, `finalize`, `cleanup`: the folder without its position, which stays the same when steps are
   * added or removed): the desired state the cluster should run now. Promotion is changing it in one reviewed commit. The
   * GitOps writer writes every stage whatever is selected. Can also be set through the context key
   * `inference-migration:<name>:active-stage` (see `StageSelection.contextKey`).
   * @default - the context key's value; with neither, synthesizing the app fails and says how to select a stage
   */
  readonly activeStage?: string;

  /**
   * Warnings from whoever built the props (e.g. the CLI's conversion of routes): listed in the plan
   * and in the first stage's README.
   * @default - none
   */
  readonly warnings?: string[];
}
