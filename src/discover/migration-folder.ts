/**
 * Reads a migration folder written by the GitOps writer (`inference-migrate plan`, `plan-kserve`,
 * `example`, or `GitOpsWriter`): its `plan.json`, which `promote` and `status` work from.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseYamlText } from './yaml-documents';
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

/**
 * The objects of one stage folder, by `Kind namespace/name` (`Kind name` when cluster-scoped), read from the
 * files its plan.json entry lists; what `verify` compares the live objects with. A file that cannot be read or
 * parsed is a UserError naming it.
 */
export function readStageObjects(dir: string, stage: { readonly folder: string; readonly objects: ReadonlyArray<{ readonly file: string }> })
  : Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const file of [...new Set(stage.objects.map((o) => o.file))]) {
    if (file.includes('/') || file.includes('\\') || file.startsWith('.')) throw new UserError(`${path.join(dir, 'plan.json')}: stage ${stage.folder} names the file ${JSON.stringify(file)}, which is not a file of its folder`);
    const full = path.join(dir, stage.folder, file);
    let text: string;
    try {
      text = fs.readFileSync(full, 'utf8');
    } catch (e) {
      throw new UserError(`${full}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): is the stage folder complete?`);
    }
    const parsed = parseYamlText(text, full);
    if (parsed.problems.length > 0) throw new UserError(`${parsed.problems[0].file}:${parsed.problems[0].line}: ${parsed.problems[0].message}`);
    for (const o of parsed.objects) {
      const meta = o.object.metadata ?? {};
      out.set(`${o.object.kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name}`, o.object);
    }
  }
  return out;
}
