import { IConstruct } from 'constructs';
import { MigrationStage, StageCommand } from './migration-stage';
import { ModelMapping } from './model-mapping';
import { CarriedManifest } from '../core/carried-manifest';

/** What the migration's top README says before the stages. */
export interface MigrationOverview {
  /** Title of the migration, e.g. `vllm-llama3-8b-instruct: v1alpha2 to v1, zero downtime`. */
  readonly title: string;
  /** A paragraph: what is migrated and how. */
  readonly summary: string;
  /** Checks to run before the first stage. */
  readonly preflight: StageCommand[];
  /**
   * Further notes (one paragraph each), e.g. what the gateway implementation can do.
   * @default - none
   */
  readonly notes?: string[];

  /**
   * One sentence on the Argo CD sync waves the objects carry.
   * @default - pools and Endpoint Pickers first (0), then objectives and policies (1), then routes (2)
   */
  readonly syncWaves?: string;
}

/**
 * The Argo CD sync wave the GitOps writer gives the objects of one kind that carry none (objects carried
 * unchanged from Git are left as they are).
 */
export interface SyncWaveRule {
  /** API group of the kind (`''` for the core group). */
  readonly apiGroup: string;
  /** Kind. */
  readonly kind: string;
  /** The sync wave. */
  readonly wave: number;
}

/** A CRD by upstream URL. */
export interface CrdReference {
  /** What the CRD is, e.g. `InferencePool v1 (inference.networking.k8s.io)`. */
  readonly description: string;
  /** Upstream URL of the CRD file or release manifest. */
  readonly url: string;
}

/**
 * A migration: an ordered list of stages the GitOps writer turns into folders.
 */
export interface IMigration extends IConstruct {
  /** Name of the migration: its folder under the output directory. */
  readonly migrationName: string;
  /** Kind of migration, e.g. `zero-downtime`, `simple`, `kserve-gateway-api`. */
  readonly migrationKind: string;
  /** The stages, in order (their folder names: `stages[i].folderName`). */
  readonly stages: MigrationStage[];
  /**
   * Folder name of the stage `app.synth()` renders inside the enclosing chart.
   * @default - none selected
   */
  readonly activeStage?: string;
  /** What the top README says before the stages. */
  readonly overview: MigrationOverview;
  /**
   * Every warning the READMEs carry, one sentence each: the plan's own (what it could not carry over), and each
   * stage's as `<stage folder>: <warning>`. `app.synth()` prints them on stderr (so `cdk8s synth` shows them) and
   * records them as construct metadata of type `warning`.
   */
  readonly warnings: string[];
  /** The objects known to exist before the first stage (carried from Git); empty when unknown. */
  readonly baseline: CarriedManifest[];
  /** Namespace for the example Argo CD Application and Flux Kustomization destinations. */
  readonly namespace: string;
  /** The CRDs the stages need, by upstream URL (never written into stage folders). */
  readonly crds: CrdReference[];

  /**
   * Sync waves of the migration's kinds, for the GitOps writer (the only place that adds them).
   * @default - pools and Endpoint Pickers 0, objectives and pool policies 1, routes and grants 2, anything else 0
   */
  readonly syncWaveRules?: SyncWaveRule[];

  /**
   * The CRD bundles (names in `imports/crds.lock.json`) the stages are validated against.
   * @default - the validator's default bundles (GIE v1.0.2, Gateway API v1.3.0, KServe, LlamaStack)
   */
  readonly validationBundles?: string[];

  /**
   * The per-model table: what each model name did on the alpha pool and does on the GA pool, and what its clients
   * must send (InferencePool migrations). Written into the top README and plan.json.
   * @default - none
   */
  readonly models?: ModelMapping[];
}

/** True when `x` looks like a migration (stages and a name). */
export function isMigration(x: any): x is IMigration {
  return x !== null && typeof x === 'object' && typeof x.migrationName === 'string' && Array.isArray(x.stages)
    && typeof x.migrationKind === 'string';
}
