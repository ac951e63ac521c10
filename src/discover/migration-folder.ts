/**
 * Reads a migration folder written by the GitOps writer (`inference-migrate plan`, `plan-kserve`,
 * `example`, or `GitOpsWriter`): its `plan.json`, which `promote` and `status` work from.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../core/errors';
import { ACTIVE_STAGE_FILE } from '../migration/active-stage';

/** A migration folder's plan, as text. */
export interface MigrationFolder {
  /** The folder as given. */
  readonly dir: string;
  /** Path of its plan.json. */
  readonly planFile: string;
  /** Content of its plan.json. */
  readonly planText: string;
  /** Content of its active-stage record (`active-stage.json`, written by `promote`), when it has one. */
  readonly activeStageRecordText?: string;
}

/** Reads `<dir>/plan.json`; the error says what was expected when `dir` is not a migration folder. */
export function readMigrationFolder(dir: string): MigrationFolder {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UserError(`${dir}: no such directory`);
  if (!stat.isDirectory()) throw new UserError(`${dir}: not a directory: give the folder of one migration (the one that holds plan.json and the stage folders)`);
  const planFile = path.join(dir, 'plan.json');
  if (!fs.existsSync(planFile)) {
    const inside = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'plan.json')));
    const hint = inside.length > 0 ? `: it holds the migrations ${inside.join(', ')}; give one of them, e.g. ${path.join(dir, inside[0])}` : ': give the folder of one migration, written by inference-migrate plan, plan-kserve or example (it holds plan.json and the stage folders)';
    throw new UserError(`${dir} has no plan.json${hint}`);
  }
  let planText: string;
  try {
    planText = fs.readFileSync(planFile, 'utf8');
  } catch (e) {
    throw new UserError(`${planFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const recordFile = path.join(dir, ACTIVE_STAGE_FILE);
  const record = fs.lstatSync(recordFile, { throwIfNoEntry: false });
  if (record?.isSymbolicLink()) throw new UserError(`${recordFile} is a symbolic link: inference-migrate never reads through links; replace it by the file promote wrote`);
  const activeStageRecordText = record?.isFile() ? fs.readFileSync(recordFile, 'utf8') : undefined;
  return { dir, planFile, planText, ...(activeStageRecordText !== undefined ? { activeStageRecordText } : {}) };
}
