import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ModelMapping } from './model-mapping';
import { stageFolder } from './plan';
import { StageCheck, kubectlCommand } from './stage-check';
import { checkInteger, givenProps, propError, show } from '../core/errors';
import { checkLabelName } from '../core/names';
import { IInferencePoolBackend } from '../inference/types';
import { WeightedInferenceRoute } from '../inference/weighted-inference-route';

const STAGE_SYMBOL = Symbol.for('cdk8s-inference-migration.MigrationStage');

/**
 * A command in a stage README, with what it should show. Texts are plain text: the README shows them literally
 * (Markdown characters escaped; text between backticks shown as code), so no text can add a heading or a block.
 */
export interface StageCommand {
  /** What the command checks or does, one sentence. */
  readonly description: string;
  /**
   * The shell command, with real names filled in: quote every value for the shell (POSIX single quotes) unless it
   * is a valid Kubernetes name. Shown whole in a code block that no line of it can close.
   */
  readonly command: string;
  /**
   * What a good result looks like.
   * @default - nothing stated
   */
  readonly expected?: string;
  /**
   * The check as data, for machines that run the checks (plan.json `verifications[].check`): its kind, and for a
   * kubectl check its arguments and expected output. When it has kubectl arguments, `command` must be exactly
   * those arguments quoted for the shell (`kubectl get ...`), so the README shows what a machine runs.
   * @default - a manual check: run and judged by a person
   */
  readonly check?: StageCheck;
}

/** When a manual step is done, relative to syncing its stage. */
export enum ManualStepTiming {
  /** Before the stage's folder is synced (e.g. installing CRDs). */
  BEFORE_SYNC = 'before-sync',
  /** Right after the stage's folder is synced, before it is verified (e.g. restarting a controller). */
  AFTER_SYNC = 'after-sync',
  /** After the stage is synced and verified (e.g. removing what is no longer used). */
  AFTER_VERIFY = 'after-verify',
  /**
   * Only when rolling this stage back: what a rollback needs besides re-applying the previous folder (e.g. the
   * gateway's previous control plane after a cutover at its upgrade). Shown under the README's "Roll back".
   */
  ROLLBACK = 'rollback',
}

/** A step the user does by hand in a stage (not expressible as desired state). */
export interface ManualStep {
  /**
   * What to do and why, one or two sentences, as plain text: the README shows it literally (Markdown characters
   * escaped, text between backticks shown as code); lines after the first that start with `- ` become a list.
   */
  readonly text: string;
  /**
   * When to do it.
   * @default ManualStepTiming.AFTER_VERIFY
   */
  readonly timing?: ManualStepTiming;
  /**
   * Commands that do it, one shell line each, values quoted for the shell; shown in one code block.
   * @default - none
   */
  readonly commands?: string[];
}

/** Props of a `MigrationStage`. */
export interface MigrationStageProps {
  /** Position of the stage in its migration, from 1. */
  readonly ordinal: number;

  /**
   * Number of stages in the migration: the folder number gets as many digits as the count needs (at least
   * two), so folders always sort in stage order (`001-side-by-side` ... `102-cleanup` for 102 stages).
   * @default - two digits (up to 99 stages)
   */
  readonly stageCount?: number;

  /** Name of the stage, a DNS-1123 label such as `side-by-side`; the folder is `<NN>-<name>`. */
  readonly stageName: string;

  /**
   * One sentence: what the stage does.
   * @default - none
   */
  readonly purpose?: string;

  /**
   * Default namespace of the stage's objects.
   * @default - each construct's own default ('default')
   */
  readonly namespace?: string;
}

/**
 * The complete desired state of a migration's objects at one point in time: a cdk8s Chart with an
 * ordinal and a name. A stage never holds a diff: a GitOps tool that syncs the stage's folder with
 * pruning converges to exactly this state. The stage also carries what its README needs: verification
 * commands, manual steps and warnings.
 *
 * Checked at synthesis: every backend of every route in the stage exists in the stage, or is a pool
 * referenced as external.
 *
 * The migrations keep their stages apart from the user's app (the GitOps writer synthesizes each one on
 * its own); a stage made directly under an App is an ordinary chart that `app.synth()` writes.
 *
 * @example
 * const stage = new MigrationStage(app, 'extra', { ordinal: 1, stageName: 'extra', purpose: 'One more object.' });
 * stage.addVerification({ description: 'The pool exists.', command: 'kubectl get inferencepools -A' });
 *
 * @see https://github.com/kubernetes-sigs/gateway-api-inference-extension/blob/v1.4.0/site-src/guides/ga-migration.md
 */
export class MigrationStage extends Chart {
  /**
   * True when `x` is a MigrationStage (works across copies of the library).
   *
   * @param x a construct
   */
  public static isMigrationStage(x: IConstruct): x is MigrationStage {
    return x !== null && typeof x === 'object' && STAGE_SYMBOL in x;
  }

  /** Position of the stage, from 1. */
  public readonly ordinal: number;
  /** Name of the stage. */
  public readonly stageName: string;
  /** Folder of the stage: `<NN>-<name>`. */
  public readonly folderName: string;
  /** What the stage does. */
  public readonly purpose: string;
  /** Commands that verify the stage, in order. */
  public readonly verifications: StageCommand[] = [];
  /** Steps done by hand, in order. */
  public readonly manualSteps: ManualStep[] = [];
  /** Warnings for the stage's README and the plan. */
  public readonly warnings: string[] = [];
  /** The per-model table the stage README shows (the first GA stage of an InferencePool migration); empty otherwise. */
  public readonly modelTable: ModelMapping[] = [];

  public constructor(scope: Construct, id: string, props: MigrationStageProps) {
    super(scope, id, { disableResourceNameHashes: true, namespace: props?.namespace });
    props = givenProps(this, props);
    Object.defineProperty(this, STAGE_SYMBOL, { value: true });
    const count = props.stageCount ?? 99;
    checkInteger(this, 'stageCount', count, 1, Number.MAX_SAFE_INTEGER);
    checkInteger(this, 'ordinal', props.ordinal, 1, count);
    checkLabelName(this, 'stageName', props.stageName);
    this.ordinal = props.ordinal;
    this.stageName = props.stageName;
    this.folderName = stageFolder(props.ordinal, props.stageName, count);
    this.purpose = props.purpose ?? '';
    this.node.addValidation({ validate: () => this.backendsInStage() });
  }

  /**
   * Adds a verification command to the stage README (and plan.json).
   *
   * @param command the check; when its `check` has kubectl arguments, `command` must be their rendering
   */
  public addVerification(command: StageCommand): void {
    const args = command?.check?.kubectl;
    if (args !== undefined) {
      const rendered = Array.isArray(args) && args.every((a) => typeof a === 'string') ? kubectlCommand(args) : undefined;
      if (rendered === undefined || rendered !== command.command) {
        throw propError(this.node.path, 'verification.command', `must be the rendering of 'check.kubectl', ${show(rendered ?? 'a list of strings')}, so the README shows what a machine runs (got ${show(command.command)})`);
      }
    }
    this.verifications.push(command);
  }

  /** Adds a manual step to the stage README. */
  public addManualStep(step: ManualStep): void {
    this.manualSteps.push(step);
  }

  /** Adds rows to the stage README's per-model table. */
  public addModelMappings(models: ModelMapping[]): void {
    this.modelTable.push(...models);
  }

  /** Adds a warning to the stage README and the plan. */
  public addWarning(warning: string): void {
    if (!this.warnings.includes(warning)) this.warnings.push(warning);
  }

  /** The stage's API objects, in construct order (cdk8s renders each with `toJson()`). */
  public get apiObjects(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === this);
  }

  private backendsInStage(): string[] {
    const errors: string[] = [];
    for (const c of this.node.findAll()) {
      if (!(c instanceof WeightedInferenceRoute)) continue;
      for (const rule of c.rules) {
        for (const backend of rule.backends) {
          const problem = this.backendProblem(backend.pool);
          if (problem) errors.push(`route ${c.name}: ${problem}`);
        }
      }
    }
    return errors;
  }

  private backendProblem(pool: IInferencePoolBackend): string | undefined {
    if (pool.external) return undefined;
    const construct = pool as unknown as IConstruct;
    const inStage = construct.node !== undefined && Chart.of(construct) === this;
    return inStage
      ? undefined
      : `backend pool ${pool.poolName} (${pool.poolGroup}) is neither in stage ${this.folderName} nor referenced as external: a GitOps tool pruning this folder would leave the route without its backend`;
  }
}
