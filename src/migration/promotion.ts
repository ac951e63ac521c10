/**
 * Promotion: moving the GitOps object that syncs a migration to another stage folder, as one reviewed
 * change, and saying where a migration stands. Pure: the texts of the user's GitOps file and of the
 * migration's plan.json in, the new text and the pull request out (the CLI reads and writes the files).
 */
import { ACTIVE_STAGE_FILE, parseActiveStageRecord, renderActiveStageRecord } from './active-stage';
import { formatFieldChange } from './field-changes';
import { GitOpsPathRef, lineDiff, readGitOpsFile, refName, replacePath } from './gitops-app';
import { ManualStepTiming } from './migration-stage';
import { PlanFile, PlanStage, parsePlanFile, refText } from './plan-file';
import { StageMove, pullRequestBody, pullRequestTitle, stagesOfMove } from './pull-request';
import { StageSelection } from './stage-selection';
import { UserError } from '../core/errors';
import { shellWords } from '../core/shell';
import { ALPHA_GROUP } from '../inference/api';

/** What to promote, and where to. */
export interface PromoteOptions {
  /** Content of the file that holds the Argo CD Application or Flux Kustomization. */
  readonly appText: string;
  /** Content of the migration folder's `plan.json`. */
  readonly planText: string;
  /**
   * The path of plan.json, for messages.
   * @default 'plan.json'
   */
  readonly planFile?: string;
  /**
   * The file's path, as messages and the pull request name it.
   * @default 'the GitOps file'
   */
  readonly appFile?: string;
  /**
   * The migration folder, as the rollback command in the pull request names it; its last path segment
   * is also accepted as the migration's folder name in the GitOps path.
   * @default - the migration's name
   */
  readonly migrationDir?: string;
  /**
   * `metadata.name` of the object to promote, when the file holds several that point at the migration.
   * @default - the one object of the file whose path points at a stage of the migration
   */
  readonly name?: string;
  /**
   * The stage to move to: its folder (`03-finalize`) or its name (`finalize`).
   * @default - the next stage (the previous one with `rollback`)
   */
  readonly to?: string;
  /**
   * Allow moving more than one stage at once.
   * @default false
   */
  readonly skip?: boolean;
  /**
   * Allow moving to an earlier stage.
   * @default false
   */
  readonly rollback?: boolean;
  /**
   * The path of the active-stage record the caller writes with the change (`<migration>/active-stage.json`), for
   * the pull request to name.
   * @default - the pull request mentions no record
   */
  readonly recordFile?: string;
}

/** The promotion: the new file content and what it means. */
export interface PromotionResult {
  /** The new content of the file: the path value changed, every other byte kept. */
  readonly text: string;
  /** Name of the migration. */
  readonly migration: string;
  /** Every stage folder of the migration, in order (as plan.json lists them). */
  readonly stages: string[];
  /** Folder of the stage the object pointed at. */
  readonly fromStage: string;
  /** Folder of the stage it points at now. */
  readonly toStage: string;
  /** `Argo CD` or `Flux`. */
  readonly tool: string;
  /** Kind of the object changed: `Application` or `Kustomization`. */
  readonly objectKind: string;
  /** `namespace/name` (or `name`) of the object changed. */
  readonly objectName: string;
  /** The field changed: `spec.source.path` or `spec.path`. */
  readonly field: string;
  /** The path before. */
  readonly oldPath: string;
  /** The path after. */
  readonly newPath: string;
  /** 1-based line of the path in the file. */
  readonly line: number;
  /** Unified diff of the change. */
  readonly diff: string;
  /** What the reviewer should know (a pinned revision, the stage's warnings). */
  readonly warnings: string[];
  /** Title of the pull request. */
  readonly pullRequestTitle: string;
  /** Body of the pull request (Markdown). */
  readonly pullRequestBody: string;
  /**
   * The text of the migration folder's active-stage record (`active-stage.json`, see `ACTIVE_STAGE_FILE`) after
   * this promotion: the CLI writes it beside `plan.json`, so a later plan into the same output keeps the stage.
   */
  readonly activeStageRecord: string;
}

/** Which stage to report on: the one a GitOps file points at, or the one an app selects in code. */
export interface StatusOptions {
  /** Content of the migration folder's `plan.json`. */
  readonly planText: string;
  /**
   * The path of plan.json, for messages.
   * @default 'plan.json'
   */
  readonly planFile?: string;
  /**
   * Content of the file that holds the Argo CD Application or Flux Kustomization.
   * @default - none: `stage` names the active stage
   */
  readonly appText?: string;
  /**
   * The file's path, for messages.
   * @default 'the GitOps file'
   */
  readonly appFile?: string;
  /**
   * `metadata.name` of the object, when the file holds several that point at the migration.
   * @default - the one object that points at a stage of the migration
   */
  readonly name?: string;
  /**
   * The active stage, for apps that select it in code (`activeStage`): its folder or name.
   * @default - read from `appText`
   */
  readonly stage?: string;
  /**
   * Content of the migration folder's active-stage record (`active-stage.json`), which `promote` writes: when it
   * names another stage than the GitOps object's, the status warns.
   * @default - no record
   */
  readonly activeStageRecordText?: string;
  /**
   * The migration folder (its last segment is accepted as the migration's folder name in paths).
   * @default - the migration's name
   */
  readonly migrationDir?: string;
}

/** Where a migration stands. */
export interface MigrationStatus {
  /** Name of the migration. */
  readonly migration: string;
  /** Kind of migration, e.g. `zero-downtime`. */
  readonly kind: string;
  /** Every stage folder, in order. */
  readonly stages: string[];
  /** Folder of the active stage. */
  readonly activeStage: string;
  /** Position of the active stage, from 1. */
  readonly activeOrdinal: number;
  /** What the active stage does. */
  readonly activePurpose: string;
  /**
   * Where the active stage was read: `Argo CD Application argocd/x (apps.yaml:12)`.
   * @default - given as `stage`
   */
  readonly source?: string;
  /**
   * Folder of the next stage.
   * @default - none: the active stage is the last
   */
  readonly nextStage?: string;
  /**
   * What the next stage does.
   * @default - none
   */
  readonly nextPurpose?: string;
  /** What the next stage changes, one line per object and per field. */
  readonly nextChanges: string[];
  /** What the next stage asks to do by hand, one line each, with when (`before sync: ...`). */
  readonly nextManualSteps: string[];
  /** Warnings of the active stage's GitOps object (a pinned revision). */
  readonly warnings: string[];
  /**
   * The cdk8s context key that selects the active stage of an app that renders the migration itself
   * (`StageSelection.contextKey` of its name), the alternative to its `activeStage` prop.
   */
  readonly contextKey: string;
  /**
   * The command that promotes the GitOps object to the next stage (shell-quoted).
   * @default - none: no next stage, or the stage is selected in code
   */
  readonly promoteCommand?: string;
}

function describeRef(ref: GitOpsPathRef, appFile: string): string {
  return `${ref.tool} ${ref.kind} ${refName(ref)} (${appFile}:${ref.line})`;
}

interface PathParts {
  readonly prefix: string;
  readonly migrationFolder: string;
  readonly stageFolder: string;
  readonly suffix: string;
}

/** A GitOps path as `<prefix><migration>/<stage><suffix>` (a leading `./` and a trailing `/` kept). */
function splitPath(p: string): PathParts | undefined {
  const m = /^(.*?)([^/]+)\/([^/]+)(\/*)$/.exec(p);
  if (!m) return undefined;
  return { prefix: m[1], migrationFolder: m[2], stageFolder: m[3], suffix: m[4] };
}

function migrationFolders(plan: PlanFile, migrationDir: string | undefined): Set<string> {
  const names = new Set([plan.migration]);
  const last = migrationDir?.replace(/[\\/]+$/, '').split(/[\\/]/).pop();
  if (last && last !== '.' && last !== '..') names.add(last);
  return names;
}

/** The stage of `plan` a path points at, or undefined. */
function stageAt(plan: PlanFile, folders: Set<string>, p: string): PlanStage | undefined {
  const parts = splitPath(p);
  if (!parts || !folders.has(parts.migrationFolder)) return undefined;
  return plan.stages.find((s) => s.folder === parts.stageFolder);
}

function findStage(plan: PlanFile, wanted: string, flag: string): PlanStage {
  const found = plan.stages.find((s) => s.folder === wanted) ?? plan.stages.find((s) => s.name === wanted);
  if (!found) throw new UserError(`${flag} ${wanted} is no stage of the migration ${plan.migration} (stages: ${plan.stages.map((s) => s.folder).join(', ')})`);
  return found;
}

/** The one GitOps object of the file that points at the migration (or the one named). */
function pickObject(
  plan: PlanFile, text: string, appFile: string, name: string | undefined, migrationDir: string | undefined,
): { ref: GitOpsPathRef; stage: PlanStage } {
  const file = readGitOpsFile(text, appFile);
  const folders = migrationFolders(plan, migrationDir);
  const pointsHere = (p: string) => stageAt(plan, folders, p) !== undefined;
  const stages = plan.stages.map((s) => s.folder).join(', ');
  const foreign = (ref: GitOpsPathRef) => new UserError(
    `${appFile}:${ref.line}: ${ref.field} of the ${ref.tool} ${ref.kind} ${refName(ref)} is ${ref.path}, which points at no stage of the migration ${plan.migration}: `
    + `a path ending in ${plan.migration}/<stage> was expected (stages: ${stages}); nothing was changed`);

  if (name !== undefined) {
    const named = file.objects.filter((o) => o.name === name);
    const refused = file.refused.filter((o) => o.name === name);
    if (named.length + refused.length === 0) {
      const known = [...file.objects.map((o) => `${o.kind} ${o.name}`), ...file.refused.map((o) => `${o.kind} ${o.name}`)];
      throw new UserError(`${appFile}: no Argo CD Application or Flux Kustomization named ${name}${known.length > 0 ? ` (found: ${known.join(', ')})` : ''}; nothing was changed`);
    }
    if (named.length === 0) throw new UserError(`${appFile}: ${refused[0].reason}; nothing was changed`);
    if (named.length + refused.length > 1) throw new UserError(`${appFile}: ${named.length + refused.length} objects are named ${name}: promotion needs exactly one; nothing was changed`);
    const stage = stageAt(plan, folders, named[0].path);
    if (!stage) throw foreign(named[0]);
    return { ref: named[0], stage };
  }

  const matching = file.objects.filter((o) => pointsHere(o.path));
  if (matching.length === 1) return { ref: matching[0], stage: stageAt(plan, folders, matching[0].path)! };
  if (matching.length > 1) {
    throw new UserError(`${appFile}: ${matching.length} objects point at the migration ${plan.migration} (${matching.map((o) => `${o.kind} ${o.name}, line ${o.line}`).join('; ')}): name one with --name; nothing was changed`);
  }
  const refusedHere = file.refused.find((o) => o.paths.some(pointsHere)) ?? (file.objects.length === 0 ? file.refused[0] : undefined);
  if (refusedHere) throw new UserError(`${appFile}: ${refusedHere.reason}; nothing was changed`);
  if (file.objects.length === 1) throw foreign(file.objects[0]);
  if (file.objects.length === 0) {
    throw new UserError(`${appFile} holds no Argo CD Application (argoproj.io) with spec.source.path and no Flux Kustomization (kustomize.toolkit.fluxcd.io) with spec.path; nothing was changed`);
  }
  throw new UserError(`${appFile}: none of its ${file.objects.length} GitOps objects points at a stage of the migration ${plan.migration} `
    + `(${file.objects.map((o) => `${o.kind} ${o.name}: ${o.path}`).join('; ')}); a path ending in ${plan.migration}/<stage> was expected (stages: ${stages}); nothing was changed`);
}

/** Which stage to move to, refusing skips without `skip` and backward moves without `rollback`. */
function targetStage(plan: PlanFile, from: PlanStage, options: PromoteOptions): PlanStage {
  const index = plan.stages.indexOf(from);
  const rollback = options.rollback ?? false;
  let to: PlanStage;
  if (options.to !== undefined) {
    to = findStage(plan, options.to, '--to');
  } else if (rollback) {
    if (index === 0) throw new UserError(`${from.folder} is the first stage of ${plan.migration}: there is no earlier stage to roll back to (to leave the migration, revert the change that pointed the object at it); nothing was changed`);
    to = plan.stages[index - 1];
  } else {
    if (index === plan.stages.length - 1) throw new UserError(`${from.folder} is the last stage of ${plan.migration}: nothing to promote; to move back, add --rollback`);
    to = plan.stages[index + 1];
  }
  const target = plan.stages.indexOf(to);
  if (target === index) throw new UserError(`the object points at ${from.folder} already; nothing was changed`);
  if (target < index && !rollback) {
    throw new UserError(`${to.folder} comes before ${from.folder}: moving backwards is a rollback; add --rollback to do it; nothing was changed`);
  }
  if (target > index && rollback) throw new UserError(`--rollback moves backwards, but ${to.folder} comes after ${from.folder}; nothing was changed`);
  const skipped = plan.stages.slice(Math.min(index, target) + 1, Math.max(index, target));
  if (skipped.length > 0 && !(options.skip ?? false)) {
    throw new UserError(`moving from ${from.folder} to ${to.folder} skips ${skipped.map((s) => s.folder).join(', ')}: each stage is meant to be synced and verified in turn; add --skip to do it anyway; nothing was changed`);
  }
  return to;
}

/**
 * Promotes a migration: moves the path of the Argo CD Application or Flux Kustomization to the next
 * stage folder (or another, with `to`, `skip`, `rollback`) and says what the change does.
 */
export class Promotion {
  /**
   * The promotion of the GitOps object in `options.appText`: the new file content (only the path value
   * changed), a diff, warnings, and the pull request title and body. Throws, changing nothing, when the
   * file holds no object that points at a stage of the migration, when the object cannot be edited
   * (ApplicationSet, several sources, a path given by an alias), or when the move skips a stage
   * without `skip` or goes back without `rollback`.
   */
  public static promote(options: PromoteOptions): PromotionResult {
    const appFile = options.appFile ?? 'the GitOps file';
    const plan = parsePlanFile(options.planText, options.planFile ?? 'plan.json');
    const { ref, stage: from } = pickObject(plan, options.appText, appFile, options.name, options.migrationDir);
    const to = targetStage(plan, from, options);
    const parts = splitPath(ref.path)!;
    const newPath = `${parts.prefix}${parts.migrationFolder}/${to.folder}${parts.suffix}`;
    const text = replacePath(options.appText, ref, newPath, appFile);
    // Forward: the warnings of every stage applied; backward: those of the stage returned to.
    const warned = plan.stages.indexOf(to) > plan.stages.indexOf(from) ? stagesOfMove(plan, from, to) : [to];
    const warnings = [
      ...(ref.revisionWarning ? [ref.revisionWarning] : []),
      ...skipWarnings(plan, from, to),
      ...warned.flatMap((s) => s.warnings.map((w) => `${s.folder}: ${w}`)),
    ];
    const migrationDir = options.migrationDir ?? plan.migration;
    const recorded = options.recordFile !== undefined ? { recordFile: options.recordFile } : {};
    const move: StageMove = { plan, from, to, ref, appFile, migrationDir, newPath, warnings, ...recorded };
    const activeStageRecord = renderActiveStageRecord({
      migration: plan.migration,
      activeStage: to.folder,
      stageName: to.name,
      promotedFrom: from.folder,
      gitopsObject: `${ref.tool} ${ref.kind} ${refName(ref)}`,
      file: appFile,
    });
    return {
      text,
      migration: plan.migration,
      stages: plan.stages.map((s) => s.folder),
      fromStage: from.folder,
      toStage: to.folder,
      tool: ref.tool,
      objectKind: ref.kind,
      objectName: refName(ref),
      field: ref.field,
      oldPath: ref.path,
      newPath,
      line: ref.line,
      diff: lineDiff(appFile, options.appText, text),
      warnings,
      pullRequestTitle: pullRequestTitle(move),
      pullRequestBody: pullRequestBody(move, options.name),
      activeStageRecord,
    };
  }

  /**
   * Where a migration stands: the active stage (read from the GitOps object in `appText`, or given as
   * `stage` by an app that selects it in code), the next stage and what it changes.
   */
  public static status(options: StatusOptions): MigrationStatus {
    const plan = parsePlanFile(options.planText, options.planFile ?? 'plan.json');
    let active: PlanStage;
    let source: string | undefined;
    let warnings: string[] = [];
    let command: string[] | undefined;
    if (options.stage !== undefined) {
      active = findStage(plan, options.stage, '--stage');
    } else if (options.appText !== undefined) {
      const appFile = options.appFile ?? 'the GitOps file';
      const picked = pickObject(plan, options.appText, appFile, options.name, options.migrationDir);
      active = picked.stage;
      source = describeRef(picked.ref, appFile);
      warnings = picked.ref.revisionWarning ? [picked.ref.revisionWarning] : [];
      command = ['inference-migrate', 'promote', options.migrationDir ?? plan.migration, '--app', appFile, ...(options.name !== undefined ? ['--name', options.name] : [])];
    } else {
      throw new UserError('status needs the GitOps file (appText) or the active stage (stage)');
    }
    if (options.activeStageRecordText !== undefined) {
      const record = parseActiveStageRecord(options.activeStageRecordText, ACTIVE_STAGE_FILE);
      if (record.activeStage !== active.folder) {
        warnings = [...warnings, `${ACTIVE_STAGE_FILE} records ${record.activeStage} as the active stage (promoted from ${record.promotedFrom}, ${record.gitopsObject} in ${record.file}), `
          + `but ${source !== undefined ? 'the GitOps object points at' : 'the stage given is'} ${active.folder}: a promotion was made by hand, or not merged; `
          + 'the next inference-migrate promote records the stage it moves to'];
      }
    }
    const index = plan.stages.indexOf(active);
    const next = plan.stages[index + 1];
    return {
      migration: plan.migration,
      kind: plan.kind,
      stages: plan.stages.map((s) => s.folder),
      activeStage: active.folder,
      activeOrdinal: index + 1,
      activePurpose: active.purpose,
      ...(source !== undefined ? { source } : {}),
      ...(next ? { nextStage: next.folder, nextPurpose: next.purpose } : {}),
      contextKey: StageSelection.contextKey(plan.migration),
      nextChanges: next ? changeLines(next) : [],
      nextManualSteps: next ? next.manualSteps.map((m) => `${(m.timing ?? ManualStepTiming.AFTER_VERIFY).replace(/-/g, ' ')}: ${m.text.split('\n')[0]}`) : [],
      warnings,
      ...(next && command ? { promoteCommand: shellWords(command) } : {}),
    };
  }

  private constructor() {}
}

/** The alpha group's share, in percent, of the requests each route of `stage` sends to pools (routes without a pool backend left out). */
function alphaShares(stage: PlanStage): Map<string, number> {
  const shares = new Map<string, number>();
  for (const route of stage.routes) {
    const pools = route.rules.flatMap((r) => r.backends).filter((b) => b.kind === 'InferencePool');
    const total = pools.reduce((sum, b) => sum + b.weight, 0);
    const alpha = pools.filter((b) => b.group === ALPHA_GROUP).reduce((sum, b) => sum + b.weight, 0);
    if (total > 0) shares.set(refText(route), Math.round((alpha / total) * 100));
  }
  return shares;
}

/**
 * The warning of a forward skip that takes traffic off the alpha pool at once: from a stage whose routes still
 * send requests to the alpha pool, past the stages that move them, to one that sends none there (the cleanup
 * stage also removes the alpha stack in the same sync).
 */
function skipWarnings(plan: PlanFile, from: PlanStage, to: PlanStage): string[] {
  const a = plan.stages.indexOf(from);
  const b = plan.stages.indexOf(to);
  if (b - a < 2) return [];
  const before = alphaShares(from);
  const after = alphaShares(to);
  const moved = [...before].filter(([route, share]) => share > 0 && (after.get(route) ?? 0) === 0);
  if (moved.length === 0) return [];
  const skipped = plan.stages.slice(a + 1, b).map((s) => s.folder).join(', ');
  // The cleanup stage removes the alpha stack (the objects it carried, or, for one Helm installed, by its README).
  const removes = to.name === 'cleanup' || to.changes.deleted.some((o) => o.kind === 'InferencePool');
  return [`skipping from ${from.folder} straight to ${to.folder} moves ${moved.map(([route, share]) => `${share}% of the requests of ${route}`).join(' and ')} `
    + `off the alpha pool in one sync${removes ? `, and ${to.folder} removes the alpha stack` : ''}: no stage in between (${skipped}) `
    + `shows the GA pool carrying them${removes ? ', and a rollback must bring the alpha stack back first' : ''}. Promote stage by stage unless the GA pool is proven already`];
}

/** A stage's changes as plain lines: `created Kind ns/name`, `changed ...` and its fields indented. */
function changeLines(stage: PlanStage): string[] {
  const lines: string[] = [];
  for (const o of stage.changes.created) lines.push(`created ${refText(o)}`);
  for (const o of stage.changes.changed) {
    lines.push(`changed ${refText(o)}`);
    for (const f of o.fields) lines.push(`  ${formatFieldChange(f)}`);
  }
  for (const o of stage.changes.deleted) lines.push(`deleted ${refText(o)}`);
  return lines;
}
