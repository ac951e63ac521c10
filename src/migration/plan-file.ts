/**
 * `plan.json`, the machine-readable description of a written migration: its shape (written by the
 * GitOps writer, read by `promote` and `status`) and the check of a file read back. Pure.
 */
import type { FieldChange } from './field-changes';
import type { CrdReference } from './migration';
import type { ManualStep, StageCommand } from './migration-stage';
import { UserError } from '../core/errors';
import { jsonSyntaxProblem } from '../core/json';
import { segmentProblem } from '../output/names';
import { isPlainObject } from '../validation/paths';

/** An object by reference: apiVersion, kind, namespace (when namespaced) and name. */
export interface PlanObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** A changed object with the fields that change (values of env vars and Secrets redacted). */
export interface PlanChangedObject extends PlanObjectRef {
  readonly fields: FieldChange[];
}

/** What changes from the stage before (for the first stage: from what is known to exist). */
export interface PlanStageChanges {
  readonly created: PlanObjectRef[];
  readonly changed: PlanChangedObject[];
  readonly deleted: PlanObjectRef[];
}

/** One backend of a route rule. */
export interface PlanRouteBackend {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly weight: number;
}

/** A route of a stage: its parents and where each rule sends requests. */
export interface PlanRoute extends PlanObjectRef {
  readonly rules: Array<{ readonly backends: PlanRouteBackend[] }>;
}

/** One stage of plan.json. */
export interface PlanStage {
  readonly ordinal: number;
  readonly name: string;
  /** Folder name, e.g. `02-shift-50`: what a GitOps path points at, and what `activeStage` names. */
  readonly folder: string;
  readonly purpose: string;
  readonly objects: Array<PlanObjectRef & { readonly file: string }>;
  readonly changes: PlanStageChanges;
  readonly routes: PlanRoute[];
  readonly manualSteps: ManualStep[];
  /** The checks of the stage README's "Verify" section. */
  readonly verifications: StageCommand[];
  readonly warnings: string[];
}

/** The content of plan.json. */
export interface PlanFile {
  readonly migration: string;
  readonly kind: string;
  readonly namespace: string;
  readonly title: string;
  readonly warnings: string[];
  readonly crds: CrdReference[];
  readonly stages: PlanStage[];
}

/** `Kind namespace/name` (or `Kind name`) of a reference, for messages and lists. */
export function refText(o: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** How deep a plan.json may nest (the writer's own nest about 10 levels: field values of objects). */
const MAX_PLAN_DEPTH = 100;

/**
 * The 1-based line where the JSON text `text` first nests deeper than `limit` arrays and objects, or
 * undefined. A scan of the characters, no recursion: it runs before anything walks the parsed value.
 */
function tooDeepLine(text: string, limit: number): number | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      if (++depth > limit) return line;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Reads the text of a plan.json (`file` names it in messages). Throws when it is not JSON or lacks what
 * promoting needs (the migration's name and its stages with folder names); lists a plan of an earlier
 * release lacks (field changes, verifications) read as empty.
 */
export function parsePlanFile(text: string, file: string): PlanFile {
  const deep = tooDeepLine(text, MAX_PLAN_DEPTH);
  if (deep !== undefined) {
    throw new UserError(`${file}:${deep}: nested deeper than ${MAX_PLAN_DEPTH} levels: no plan.json inference-migrate writes nests that deep; `
      + 'write the migration again (inference-migrate plan ... --force) or restore the file from Git');
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: ${jsonSyntaxProblem(e, text)}: is it the plan.json that inference-migrate wrote?`);
  }
  const bad = (what: string) => new UserError(`${file}: ${what}: is it the plan.json of a migration written by inference-migrate (plan, plan-kserve, example) or GitOpsWriter?`);
  if (!isPlainObject(data)) throw bad('not a JSON object');
  if (typeof data.migration !== 'string' || data.migration === '') throw bad('no "migration" name');
  const nameProblem = segmentProblem(data.migration);
  if (nameProblem !== undefined) throw bad(`the migration name ${nameProblem}: it names the migration's folder`);
  if (!Array.isArray(data.stages) || data.stages.length === 0) throw bad('no "stages"');
  const stages: PlanStage[] = data.stages.map((s: unknown, i: number) => {
    if (!isPlainObject(s) || typeof s.folder !== 'string' || s.folder === '') throw bad(`stages[${i}] has no folder name`);
    const problem = segmentProblem(s.folder) ?? (typeof s.name === 'string' ? segmentProblem(s.name) : undefined);
    if (problem !== undefined) throw bad(`the folder or name of stages[${i}] ${problem}: a stage is one folder beside plan.json`);
    const changes = isPlainObject(s.changes) ? s.changes : {};
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    return {
      ordinal: typeof s.ordinal === 'number' ? s.ordinal : i + 1,
      name: typeof s.name === 'string' ? s.name : s.folder,
      folder: s.folder,
      purpose: typeof s.purpose === 'string' ? s.purpose : '',
      objects: list(s.objects),
      changes: {
        created: list(changes.created),
        changed: list(changes.changed).map((c: any) => ({ ...c, fields: list(c?.fields) })),
        deleted: list(changes.deleted),
      },
      routes: list(s.routes),
      manualSteps: list(s.manualSteps).filter((m: any) => isPlainObject(m) && typeof m.text === 'string'),
      verifications: list(s.verifications).filter((v: any) => isPlainObject(v) && typeof v.command === 'string'),
      warnings: list(s.warnings).filter((w: any) => typeof w === 'string'),
    };
  });
  const folders = stages.map((s) => s.folder);
  const dup = folders.find((f, i) => folders.indexOf(f) !== i);
  if (dup) throw bad(`the stage folder ${dup} is listed twice`);
  return {
    migration: data.migration,
    kind: typeof data.kind === 'string' ? data.kind : '',
    namespace: typeof data.namespace === 'string' ? data.namespace : '',
    title: typeof data.title === 'string' ? data.title : data.migration,
    warnings: Array.isArray(data.warnings) ? data.warnings.filter((w: unknown) => typeof w === 'string') : [],
    crds: Array.isArray(data.crds) ? data.crds : [],
    stages,
  };
}
