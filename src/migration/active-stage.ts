/**
 * The active-stage record: the small file `inference-migrate promote` writes into a migration folder
 * (`active-stage.json`, beside `plan.json`) saying which stage folder the GitOps object syncs now. It travels
 * with the promotion's pull request, so the repository itself says which stage is live, and a later `plan`
 * (or `GitOpsWriter`) into the same output refuses to write stages that drop it: Argo CD or Flux would be
 * left pointing at a folder that no longer exists. Pure: texts in, texts out.
 */
import { UserError } from '../core/errors';
import { jsonSyntaxProblem } from '../core/json';
import { segmentProblem } from '../output/names';

/** File name of the record, in the migration folder. */
export const ACTIVE_STAGE_FILE = 'active-stage.json';

/** What the record says. */
export interface ActiveStageRecord {
  /** Name of the migration (its folder). */
  readonly migration: string;
  /** Folder of the stage the GitOps object syncs, e.g. `02-shift-10`. */
  readonly activeStage: string;
  /** The stage's name without its position, e.g. `shift-10`. */
  readonly stageName: string;
  /** Folder of the stage it was promoted from. */
  readonly promotedFrom: string;
  /** The GitOps object promoted: `Argo CD Application argocd/llm-migration`. */
  readonly gitopsObject: string;
  /** The file that holds it, as given to promote. */
  readonly file: string;
}

/** The record's text: deterministic JSON (no time stamp), so the same promotion gives the same bytes. */
export function renderActiveStageRecord(record: ActiveStageRecord): string {
  return `${JSON.stringify({
    tool: 'inference-migrate',
    note: 'Written by inference-migrate promote: the stage folder the GitOps object below syncs. '
      + 'inference-migrate plan refuses to replace this migration with stages that do not keep it.',
    ...record,
  }, null, 2)}\n`;
}

/** Reads a record; a text that is not one is a UserError naming `where`. */
export function parseActiveStageRecord(text: string, where: string): ActiveStageRecord {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${where}: not the JSON record inference-migrate promote writes (${jsonSyntaxProblem(err, text)})`);
  }
  const fields = ['migration', 'activeStage', 'stageName', 'promotedFrom', 'gitopsObject', 'file'] as const;
  const missing = fields.filter((f) => typeof data?.[f] !== 'string' || data[f] === '');
  if (data?.tool !== 'inference-migrate' || missing.length > 0) {
    throw new UserError(`${where}: not the record inference-migrate promote writes${missing.length > 0 ? ` (no ${missing.join(', ')})` : ''}`);
  }
  // The stage folders it names are one folder each beside plan.json, as the stage names of plan.json are.
  const folders = (['migration', 'activeStage', 'promotedFrom'] as const).map((f) => [f, segmentProblem(data[f])] as const).filter(([, p]) => p !== undefined);
  if (folders.length > 0) {
    throw new UserError(`${where}: not the record inference-migrate promote writes (${folders.map(([f, p]) => `its ${f} ${p}`).join('; ')})`);
  }
  return Object.fromEntries(fields.map((f) => [f, data[f]])) as unknown as ActiveStageRecord;
}

/** A record found in an earlier output: its path relative to the output, its text, and whether the tool wrote it unchanged. */
export interface PreviousRecord {
  readonly path: string;
  readonly text: string;
  readonly proven: boolean;
}

/** A file of a new output (path relative to the output folder). */
export interface NewOutputFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/**
 * Checks the active-stage records of an earlier output against the files of the new one, and returns the new
 * files with each proven record carried over unchanged (so the record, like the stage it names, survives the
 * re-plan). Throws a UserError, naming the migration, the stage and the file, when the new output does not keep
 * a recorded stage folder: that refusal is what stops a re-plan from deleting the stage a GitOps object syncs.
 * Records the tool did not write (or that changed since) are checked too, but not carried: the output module
 * keeps them in place or refuses them.
 *
 * @param label how messages name the output, e.g. `--out migrations`
 */
export function keepActiveStages(records: PreviousRecord[], files: NewOutputFile[], label: string): NewOutputFile[] {
  const paths = files.map((f) => f.path);
  const dropped: string[] = [];
  const carried: NewOutputFile[] = [];
  for (const r of records) {
    const record = parseActiveStageRecord(r.text, `${label}: ${r.path}`);
    const prefix = r.path.slice(0, r.path.length - ACTIVE_STAGE_FILE.length);
    if (!paths.some((p) => p.startsWith(`${prefix}${record.activeStage}/`))) {
      const stages = [...new Set(paths.filter((p) => p.startsWith(prefix) && /^\d{2,}-[^/]+\/kustomization\.yaml$/.test(p.slice(prefix.length))).map((p) => p.slice(prefix.length).split('/')[0]))];
      dropped.push(`${record.migration} was promoted to ${record.activeStage} (${r.path}: the ${record.gitopsObject} in ${record.file} syncs it), `
        + `and the new plan has no folder ${record.activeStage}${stages.length > 0 ? ` (its stages: ${stages.join(', ')})` : ' (it has no such migration)'}`);
    } else if (r.proven && !paths.includes(r.path)) {
      carried.push({ path: r.path, content: r.text });
    }
  }
  if (dropped.length > 0) {
    throw new UserError(`${label}: the new plan would delete the stage a GitOps object syncs: ${dropped.join('; ')}. `
      + 'Argo CD or Flux would point at a missing folder. Plan again with options that keep that stage, or first move the GitOps object '
      + 'to a stage the new plan keeps (inference-migrate promote <migration> --app <file> --to <stage> --rollback, merged and synced); '
      + 'nothing was written');
  }
  return [...files, ...carried];
}
