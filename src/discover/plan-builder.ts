/**
 * Turns a RepoPlan into ZeroDowntimeMigrations (with the planner's manual steps in the stage READMEs).
 * The glue between the pure planner and the constructs.
 */
import { Construct } from 'constructs';
import { PlannedMigration, RepoPlan } from './inference-planner';
import { InputError } from './sources';
import { isUserError } from '../core/errors';
import { ManualStepTiming } from '../migration/migration-stage';
import { ZeroDowntimeMigration } from '../migration/zero-downtime-migration';

/** A planned migration and its construct. */
export interface BuiltMigration {
  readonly planned: PlannedMigration;
  readonly migration: ZeroDowntimeMigration;
}

/**
 * Adds one ZeroDowntimeMigration per planned migration under `scope` (construct id: the migration's
 * name). A prop the constructs refuse (a GA name that grows too long, a selector the GA pool cannot
 * take) is the input's problem: it is rethrown at the alpha pool's file and line. Any other error is a
 * bug and passes through unchanged.
 */
export function buildPlan(plan: RepoPlan, scope: Construct, root: string, activeStage?: string): BuiltMigration[] {
  return plan.migrations.map((planned) => {
    let migration: ZeroDowntimeMigration;
    try {
      migration = new ZeroDowntimeMigration(scope, planned.name, { ...planned.props, ...(activeStage !== undefined ? { activeStage } : {}) });
    } catch (err) {
      if (!isUserError(err)) throw err;
      const pool = planned.alphaPool;
      throw new InputError([{ file: pool.file, line: pool.line, message: `alpha InferencePool ${planned.namespace}/${pool.object.metadata.name}: ${err.message}` }], root);
    }
    const first = migration.stages[0];
    const last = migration.stages[migration.stages.length - 1];
    for (const step of planned.manualSteps) {
      const timing = step.stage === 'last' ? ManualStepTiming.AFTER_VERIFY : step.afterSync ? ManualStepTiming.AFTER_SYNC : ManualStepTiming.BEFORE_SYNC;
      (step.stage === 'first' ? first : last).addManualStep({ text: step.text, commands: step.commands, timing });
    }
    for (const w of planned.cleanupWarnings) {
      last.addWarning(w);
      migration.warnings.push(`${last.folderName}: ${w}`);
    }
    return { planned, migration };
  });
}
