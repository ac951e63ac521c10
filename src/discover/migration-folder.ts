/**
 * Reads a migration folder written by the GitOps writer (`inference-migrate plan`, `plan-kserve`,
 * `example`, or `GitOpsWriter`): its `plan.json`, which `promote` and `status` work from, and the stage
 * folders on disk, which promote checks against it before it points anything at one.
 *
 * plan.json is read as the output module reads its own files: a regular file (checked with fstat after
 * a non-blocking open, so a FIFO never hangs and a device is never read), never through a symbolic
 * link, at most 16 MiB.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseYamlText } from './yaml-documents';
import { UserError } from '../core/errors';
import { ACTIVE_STAGE_FILE } from '../migration/active-stage';
import { OutputError } from '../output/errors';
import { kindOf, lstatInside, lstatOrUndefined, MAX_OWN_FILE_BYTES, readRegularFile } from '../output/fs-safe';

/** A migration's plan, as text, and the stage folders on disk. */
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

/** True when `file` is a regular file (not through a link); false for anything else, a missing folder on the way included. */
function isPlanFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isFile();
  } catch {
    return false;
  }
}

/** A stage folder's name as the writer makes it: `<NN>-<name>`. */
const STAGE_FOLDER = /^\d{2,}-/;

/** Reads `<dir>/plan.json`; the error says what was expected when `dir` is not a migration folder. */
export function readMigrationFolder(dir: string): MigrationFolder {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UserError(`${dir}: no such directory`);
  if (!stat.isDirectory()) throw new UserError(`${dir}: not a directory: give the folder of one migration (the one that holds plan.json and the stage folders)`);
  const planFile = path.join(dir, 'plan.json');
  if (!lstatOrUndefined(planFile, planFile)) {
    const inside = fs.readdirSync(dir).filter((d) => isPlanFile(path.join(dir, d, 'plan.json')));
    const hint = inside.length > 0 ? `: it holds the migrations ${inside.join(', ')}; give one of them, e.g. ${path.join(dir, inside[0])}` : ': give the folder of one migration, written by inference-migrate plan, plan-kserve or example (it holds plan.json and the stage folders)';
    throw new UserError(`${dir} has no plan.json${hint}`);
  }
  let bytes: Buffer;
  try {
    bytes = readRegularFile(planFile, planFile, { maxBytes: MAX_OWN_FILE_BYTES });
  } catch (e) {
    if (e instanceof OutputError) throw new UserError(`${e.message}; plan.json is written by inference-migrate as a regular file`);
    throw e;
  }
  return { dir, planFile, planText: bytes.toString('utf8'), ...readActiveStageRecord(dir) };
}

/** The active-stage record promote wrote beside plan.json, when there is one (a regular file, never through a link). */
function readActiveStageRecord(dir: string): { activeStageRecordText?: string } {
  const recordFile = path.join(dir, ACTIVE_STAGE_FILE);
  const record = lstatOrUndefined(recordFile, recordFile);
  if (!record) return {};
  if (record.isSymbolicLink()) throw new UserError(`${recordFile} is a symbolic link: inference-migrate never reads through links; replace it by the file promote wrote`);
  if (!record.isFile()) throw new UserError(`${recordFile} is ${kindOf(record)}, not the regular file promote writes`);
  try {
    return { activeStageRecordText: readRegularFile(recordFile, recordFile, { maxBytes: MAX_OWN_FILE_BYTES }).toString('utf8') };
  } catch (e) {
    if (e instanceof OutputError) throw new UserError(`${e.message}; ${ACTIVE_STAGE_FILE} is written by inference-migrate promote as a regular file`);
    throw e;
  }
}

/**
 * Checks that the stage folders `stages` (from plan.json, in order) are what the folder holds before
 * anything points at `target`: each is a real folder (no symbolic link) with a regular
 * `kustomization.yaml`, and the folder holds no other stage folder. Throws a UserError that names
 * the difference; nothing is changed.
 */
export function checkStageFolders(folder: MigrationFolder, stages: readonly string[], target: string): void {
  // The target first: it is the one the GitOps object is about to point at.
  const problems = [target, ...stages.filter((s) => s !== target)]
    .map((s) => stageFolderProblem(folder.dir, s))
    .filter((p): p is string => p !== undefined);
  const isStage = (name: string) => STAGE_FOLDER.test(name) && lstatOrUndefined(path.join(folder.dir, name), name)?.isDirectory();
  const extra = fs.readdirSync(folder.dir).filter((name) => isStage(name) && !stages.includes(name)).sort();
  if (extra.length > 0) {
    problems.push(`${extra.map((e) => path.join(folder.dir, e)).join(', ')} ${extra.length === 1 ? 'is a stage folder' : 'are stage folders'} that ${folder.planFile} does not list`);
  }
  if (problems.length > 0) {
    throw new UserError(`${folder.planFile} and the folders beside it disagree: ${problems.join('; ')}: `
      + 'write the migration again (inference-migrate plan ... --force) or restore the folder from Git; nothing was changed');
  }
}

/** What is wrong with the stage folder `stage` of `dir`, or undefined. */
function stageFolderProblem(dir: string, stage: string): string | undefined {
  const abs = path.join(dir, stage);
  const stat = lstatOrUndefined(abs, abs);
  if (!stat) return `the stage folder ${abs} is missing`;
  if (stat.isSymbolicLink()) return `the stage folder ${abs} is a symbolic link`;
  if (!stat.isDirectory()) return `the stage folder ${abs} is ${kindOf(stat)}`;
  const kustomization = path.join(abs, 'kustomization.yaml');
  const k = lstatOrUndefined(kustomization, kustomization);
  if (!k) return `${kustomization} is missing`;
  if (!k.isFile()) return `${kustomization} is ${kindOf(k)}, not a regular file`;
  return undefined;
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
    // Read as plan.json is: no link on the way from the migration folder, a regular file (a FIFO never hangs,
    // /dev/zero is never read), at most 16 MiB.
    let text: string;
    try {
      if (!lstatInside(path.resolve(dir), dir, `${stage.folder}/${file}`)) throw new UserError(`${full}: missing: is the stage folder complete?`);
      text = readRegularFile(full, full, { maxBytes: MAX_OWN_FILE_BYTES }).toString('utf8');
    } catch (e) {
      if (e instanceof OutputError) throw new UserError(`${e.message}; the stage folders are written by inference-migrate as real folders of regular files`);
      throw e;
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
