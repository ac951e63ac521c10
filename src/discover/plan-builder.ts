/**
 * Turns a RepoPlan into ZeroDowntimeMigrations (with the planner's manual steps in the stage READMEs)
 * and renders them through the GitOpsWriter. The glue between the pure planner and the constructs.
 */
import { App } from 'cdk8s';
import { PlannedMigration, RepoPlan } from './inference-planner';
import { displayPath } from './repo-reader';
import { GitOpsOutput, GitOpsWriter } from '../migration/gitops-writer';
import { ManualStepTiming } from '../migration/migration-stage';
import { ZeroDowntimeMigration } from '../migration/zero-downtime-migration';

/** The constructs of a plan. */
export interface BuiltPlan {
  readonly app: App;
  readonly migrations: Array<{ readonly planned: PlannedMigration; readonly migration: ZeroDowntimeMigration }>;
}

/**
 * Builds one ZeroDowntimeMigration per planned migration. A library error (a plan the gateway cannot
 * carry, say) is rethrown naming the alpha pool and its file and line.
 */
export function buildPlan(plan: RepoPlan, root: string): BuiltPlan {
  const app = new App({ outdir: '.' });
  const migrations = plan.migrations.map((planned) => {
    let migration: ZeroDowntimeMigration;
    try {
      migration = new ZeroDowntimeMigration(app, planned.name, planned.props);
    } catch (err) {
      const pool = planned.alphaPool;
      throw new Error(`${displayPath(root, pool.file)}:${pool.line}: alpha InferencePool ${planned.namespace}/${pool.object.metadata.name}: ${(err as Error).message}`);
    }
    const first = migration.stages[0];
    const last = migration.stages[migration.stages.length - 1];
    for (const step of planned.manualSteps) {
      if (step.stage === 'first') first.addManualStep({ text: step.text, commands: step.commands, timing: ManualStepTiming.BEFORE_SYNC });
      else last.addManualStep({ text: step.text, commands: step.commands, timing: ManualStepTiming.AFTER_VERIFY });
    }
    return { planned, migration };
  });
  return { app, migrations };
}

/** The files of the migrations, relative to `outdir` (validated first when `validate`); throws when one does not render. */
export function renderPlan(built: BuiltPlan, outdir: string, options: { validate: boolean; repoPath: string }): GitOpsOutput {
  const writer = new GitOpsWriter({ outdir, validate: options.validate, repoPath: options.repoPath });
  return writer.renderMigrations(built.migrations.map((m) => m.migration));
}
