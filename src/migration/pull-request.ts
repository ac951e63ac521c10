/**
 * The pull request of a promotion: title and Markdown body, from the stages' data in plan.json (purpose,
 * field-level changes, manual steps, checks) and the GitOps object that moves. Pure. Every text read from
 * plan.json or the user's file shows literally (Markdown-escaped, commands in fences, names in code
 * spans); the rollback command is shell-quoted.
 */
import { FieldChange, formatFieldChange } from './field-changes';
import { GitOpsPathRef, refName } from './gitops-app';
import { ManualStepTiming } from './migration-stage';
import type { ManualStep } from './migration-stage';
import { PlanFile, PlanStage, refText } from './plan-file';
import { markdownCode, markdownFence, markdownParagraph, markdownText } from '../core/markdown';
import { shellWords } from '../core/shell';

/** What the pull request describes: one move of one GitOps object from a stage to another. */
export interface StageMove {
  readonly plan: PlanFile;
  readonly from: PlanStage;
  readonly to: PlanStage;
  readonly ref: GitOpsPathRef;
  readonly appFile: string;
  readonly migrationDir: string;
  readonly newPath: string;
  readonly warnings: string[];
  /** The active-stage record the change also writes (its path), if any. */
  readonly recordFile?: string;
}

function forward(m: StageMove): boolean {
  return m.plan.stages.indexOf(m.to) > m.plan.stages.indexOf(m.from);
}

/** The stages a move applies (forward: up to its target) or undoes (backward: from the one it leaves). */
export function stagesOfMove(plan: PlanFile, from: PlanStage, to: PlanStage): PlanStage[] {
  const a = plan.stages.indexOf(from);
  const b = plan.stages.indexOf(to);
  return b > a ? plan.stages.slice(a + 1, b + 1) : plan.stages.slice(b + 1, a + 1).reverse();
}

/** The pull request's title. */
export function pullRequestTitle(m: StageMove): string {
  return forward(m) ? `Promote ${m.plan.migration} to ${m.to.folder}` : `Roll back ${m.plan.migration} to ${m.to.folder}`;
}

/** A field change undone: before and after swapped (an unset side stays unset). */
function reversed(f: FieldChange): FieldChange {
  return { path: f.path, ...(f.after !== undefined ? { before: f.after } : {}), ...(f.before !== undefined ? { after: f.before } : {}) };
}

/** The changes of `stage` as list lines; reversed (what undoing the stage does) when `undo`. */
function changeList(stage: PlanStage, undo: boolean): string[] {
  const c = stage.changes;
  const lines: string[] = [];
  const created = undo ? c.deleted : c.created;
  const deleted = undo ? c.created : c.deleted;
  for (const o of created) lines.push(`- created ${markdownCode(refText(o))}`);
  for (const o of c.changed) {
    lines.push(`- changed ${markdownCode(refText(o))}`);
    for (const f of o.fields) {
      const shown = undo ? reversed(f) : f;
      lines.push(`  - ${markdownCode(formatFieldChange(shown))}`);
    }
  }
  for (const o of deleted) lines.push(`- deleted ${markdownCode(refText(o))}`);
  return lines.length > 0 ? lines : ['- no object changes'];
}

/** A text as the lines of one list item: hard breaks kept, every line escaped, the lines after the first indented. */
function itemText(text: string, indent: string): string {
  return markdownParagraph(text).map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n');
}

function step(s: ManualStep, prefix: string): string[] {
  const out = [`- [ ] ${prefix}${itemText(s.text, '  ')}`];
  if (s.commands && s.commands.length > 0) out.push('', ...markdownFence(s.commands.join('\n'), 'bash').map((l) => `  ${l}`), '');
  return out;
}

function stepsAt(stages: PlanStage[], timing: ManualStepTiming, label: boolean): string[] {
  return stages.flatMap((s) => s.manualSteps
    .filter((x) => (x.timing ?? ManualStepTiming.AFTER_VERIFY) === timing)
    .flatMap((x) => step(x, label ? `(${s.folder}) ` : '')));
}

/** The command that undoes the move. */
function rollbackCommand(m: StageMove, name: string | undefined): string {
  const words = ['inference-migrate', 'promote', m.migrationDir, '--app', m.appFile];
  if (name !== undefined) words.push('--name', name);
  const a = m.plan.stages.indexOf(m.from);
  const b = m.plan.stages.indexOf(m.to);
  if (b > a) {
    words.push('--rollback');
    if (b - a > 1) words.push('--to', m.from.folder, '--skip');
  } else {
    words.push('--to', m.from.folder);
    if (a - b > 1) words.push('--skip');
  }
  return shellWords(words);
}

/** The pull request's body (Markdown). `name` is the `--name` given, repeated in the rollback command. */
export function pullRequestBody(m: StageMove, name?: string): string {
  const stages = stagesOfMove(m.plan, m.from, m.to);
  const ahead = forward(m);
  const total = m.plan.stages.length;
  const ordinal = m.plan.stages.indexOf(m.to) + 1;
  const lines: string[] = [
    `${ahead ? 'Promotes' : 'Rolls back'} the migration ${markdownCode(m.plan.migration)} from ${markdownCode(m.from.folder)} to ${markdownCode(m.to.folder)} (stage ${ordinal} of ${total}): `
      + `the ${markdownText(m.ref.tool)} ${markdownText(m.ref.kind)} ${markdownCode(refName(m.ref))} in ${markdownCode(m.appFile)} now syncs ${markdownCode(m.newPath)}. `
      + `This change edits only its ${markdownCode(m.ref.field)} (line ${m.ref.line})`
      + (m.recordFile !== undefined
        ? `, and records ${markdownCode(m.to.folder)} as the active stage in ${markdownCode(m.recordFile)} (listed in the output's marker), so that a later plan keeps it.`
        : '.'),
    '',
  ];
  if (m.warnings.length > 0) {
    lines.push('> [!WARNING]', ...m.warnings.map((w) => `> - ${markdownText(w)}`), '');
  }
  lines.push(`## What ${markdownCode(m.to.folder)} does`, '', ...(m.to.purpose.trim() !== '' ? markdownParagraph(m.to.purpose) : ['See its README.']), '');

  lines.push('## What changes', '');
  if (stages.length === 1) {
    lines.push(...changeList(stages[0], !ahead), '');
  } else {
    for (const s of stages) {
      lines.push(`### ${ahead ? 'Applying' : 'Undoing'} ${markdownCode(s.folder)}`, '', ...changeList(s, !ahead), '');
    }
  }
  lines.push('Values of env vars and Secrets are not shown; `(unset)` means the field is not set.', '');

  lines.push('## Before merging', '');
  if (ahead) {
    lines.push(`- [ ] ${markdownCode(m.from.folder)} is synced and its checks pass (the "Verify" section of its README).`);
    if (stages.length > 1) lines.push(`- [ ] Skipping ${stages.slice(0, -1).map((s) => markdownCode(s.folder)).join(', ')} is intended: the traffic moves in one step.`);
    lines.push(...stepsAt(stages, ManualStepTiming.BEFORE_SYNC, stages.length > 1));
  } else {
    const byHand = stages.filter((s) => s.manualSteps.length > 0);
    lines.push('- [ ] This rollback restores the desired state in Git only: the steps done by hand for the stages it undoes stay done.');
    for (const s of byHand) {
      lines.push(`- [ ] If the steps of ${markdownCode(s.folder)} were done, undo those that removed what ${markdownCode(m.to.folder)} needs:`);
      s.manualSteps.forEach((x, i) => lines.push(`  ${i + 1}. ${itemText(x.text, '     ')}`));
    }
  }
  lines.push('');

  const afterSync = ahead ? stepsAt(stages, ManualStepTiming.AFTER_SYNC, stages.length > 1) : [];
  lines.push('## After syncing', '', ...afterSync);
  m.to.verifications.forEach((v) => {
    lines.push(`- [ ] ${itemText(v.description, '  ')}`, '', ...markdownFence(v.command, 'bash').map((l) => `  ${l}`), '');
    if (v.expected) lines.push(`  Expected: ${itemText(v.expected, '  ')}`, '');
  });
  if (m.to.verifications.length === 0 && afterSync.length === 0) lines.push(`- [ ] The checks of ${markdownCode(m.to.folder)} (its README).`, '');
  const afterVerify = ahead ? stepsAt(stages, ManualStepTiming.AFTER_VERIFY, stages.length > 1) : [];
  if (afterVerify.length > 0) lines.push('', '## After verifying', '', ...afterVerify);

  lines.push(
    '',
    '## Roll back',
    '',
    `Each stage folder holds a complete desired state, so pointing the path back at ${markdownCode(m.from.folder)} restores that stage (reverting this change does the same):`,
    '',
    ...markdownFence(rollbackCommand(m, name), 'bash'),
    '',
  );
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
