import { Duration } from 'cdk8s';
import { MigrationRoute } from './migration-route';
import { CriticalityPriorities } from '../convert/types';
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
   * GIE release whose CRDs the READMEs name. Must serve both the v1alpha2 and the v1 InferencePool
   * (v1.0.x..v1.4.x): v1.5.0 removed the alpha pool CRD.
   * @default 'v1.0.2'
   */
  readonly gieVersion?: string;

  /**
   * GKE version of the cluster (e.g. `1.34.0-gke.1626000`): decides which CRDs the README installs on GKE.
   * @default - both GKE variants are described
   */
  readonly gkeVersion?: string;

  /**
   * GIE release of the alpha CRDs installed today (v0.3.0..v0.5.1), for the removal instructions.
   * @default 'v0.3.0'
   */
  readonly alphaCrdVersion?: string;

  /**
   * The stage `app.synth()` renders inside the enclosing chart, by folder name (e.g. `02-shift-50`): the
   * desired state the cluster should run now. Promotion is changing it in one reviewed commit. The
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
