/**
 * README and plan rendering for the GitOps layout: pure functions from plain data to text.
 *
 * Every text that comes in (names read from manifests, warnings, a library user's steps) is rendered so it shows
 * literally and can never add Markdown structure: prose through markdownText (line breaks kept as hard breaks),
 * names through markdownCode, commands in fences that no line of them can close. Values inside commands are
 * shell-quoted where the commands are built (shellQuote).
 */
import { formatFieldChange } from './field-changes';
import { ManifestDiff, describe } from './manifests';
import type { ManualStep, StageCommand } from './migration-stage';
import { ModelMapping } from './model-mapping';
import { modelTableLines } from './model-table';
import { markdownCode, markdownFence, markdownParagraph as prose, markdownText, textLines } from '../core/markdown';
import { shellQuote } from '../core/shell';

/** What a stage README says. */
export interface StageReadmeInput {
  readonly migrationName: string;
  readonly migrationTitle: string;
  readonly ordinal: number;
  readonly total: number;
  readonly folder: string;
  readonly purpose: string;
  readonly previousFolder?: string;
  readonly nextFolder?: string;
  /** Whether the state before the first stage is known (objects carried from Git). */
  readonly baselineKnown: boolean;
  readonly diff: ManifestDiff;
  readonly files: Array<{ file: string; obj: any }>;
  readonly verifications: StageCommand[];
  readonly beforeSync: ManualStep[];
  readonly afterSync: ManualStep[];
  readonly afterVerify: ManualStep[];
  /** What rolling this stage back needs besides re-applying the previous folder. */
  readonly rollback?: ManualStep[];
  readonly warnings: string[];
  /** The per-model table (the first GA stage of an InferencePool migration), else none. */
  readonly models?: readonly ModelMapping[];
}

/**
 * A list item: `marker` before the first line of `text`, the other lines indented under it. Lines of the text that
 * start with `- ` (after the first) become a nested list, as the planner lists the files a step names; every
 * other line is escaped text (markdownParagraph).
 */
function item(marker: string, text: string, indent = ' '.repeat(marker.length)): string[] {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    out.push(...prose(paragraph.join('\n')));
    paragraph = [];
  };
  for (const line of textLines(text)) {
    const bullet = /^\s*- (.*)$/.exec(line);
    if (bullet && (out.length > 0 || paragraph.some((l) => l.trim() !== ''))) {
      flush();
      out.push(`- ${markdownText(bullet[1])}`);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  if (out.length === 0) return [marker.trimEnd()];
  return out.map((l, i) => (i === 0 ? `${marker}${l}` : `${indent}${l}`));
}

function warningLines(warnings: string[]): string[] {
  if (warnings.length === 0) return [];
  return ['> **Warnings**', '>', ...warnings.flatMap((w) => item('> - ', w, '>   ')), ''];
}

function commandBlock(command: string, indent = ''): string[] {
  return markdownFence(command, 'bash').map((l) => (l === '' ? l : `${indent}${l}`));
}

function stepLines(steps: ManualStep[]): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    const marker = `${i + 1}. `;
    out.push(...item(marker, s.text));
    if (s.commands && s.commands.length > 0) {
      out.push('', ...commandBlock(s.commands.join('\n'), ' '.repeat(marker.length)));
    }
    out.push('');
  });
  return out;
}

function commandLines(commands: StageCommand[]): string[] {
  const out: string[] = [];
  commands.forEach((v, i) => {
    const marker = `${i + 1}. `;
    const indent = ' '.repeat(marker.length);
    out.push(...item(marker, v.description), '', ...commandBlock(v.command, indent));
    if (v.expected) out.push('', ...item(`${indent}Expected: `, v.expected, indent));
    out.push('');
  });
  return out;
}

function changeTable(diff: ManifestDiff): string[] {
  const row = (change: string, o: any) => `| ${change} | ${markdownCode(describe(o), true)} |`;
  const rows = [
    ...diff.created.map((o) => row('created', o)),
    ...diff.changed.map((o) => row('changed', o)),
    ...diff.deleted.map((o) => row('deleted', o)),
  ];
  if (rows.length === 0) return ['Nothing changes.'];
  return ['| change | object |', '|---|---|', ...rows];
}

/** Per changed object, the fields that change and how (`path: before -> after`). */
function fieldChangeLines(diff: ManifestDiff): string[] {
  if (diff.changed.length === 0) return [];
  const lines = ['Field by field (`(unset)`: the field is not set; values of env vars and Secrets are not shown):', ''];
  diff.changed.forEach((o, i) => {
    lines.push(`- ${markdownCode(describe(o))}`);
    for (const c of diff.changedFields[i] ?? []) lines.push(`  - ${markdownCode(formatFieldChange(c))}`);
  });
  return [...lines, ''];
}

/** The README of one stage folder. */
export function renderStageReadme(s: StageReadmeInput): string {
  const lines: string[] = [
    `# ${markdownText(s.folder)}: stage ${s.ordinal} of ${s.total}`,
    '',
    `Migration **${markdownText(s.migrationName)}**: ${markdownText(s.migrationTitle)}.`,
    '',
    ...prose(s.purpose),
    '',
    ...warningLines(s.warnings),
  ];

  lines.push(`## What changes since ${s.previousFolder === undefined ? 'today' : markdownText(s.previousFolder)}`, '');
  if (!s.previousFolder && !s.baselineKnown) {
    lines.push('The objects this migration replaces are not in Git (installed by Helm), so every object below is listed as created; where an object of that name exists already, this stage takes it over.', '');
  }
  lines.push(...changeTable(s.diff), '');
  if (s.diff.unchanged.length > 0) {
    lines.push(`Unchanged: ${s.diff.unchanged.length} object${s.diff.unchanged.length === 1 ? '' : 's'}.`, '');
  }
  lines.push(...fieldChangeLines(s.diff));
  if (s.diff.deleted.length > 0) {
    lines.push('Deleted objects are removed by the GitOps tool\'s pruning (Argo CD `prune: true`, Flux `prune: true`); when applying by hand, delete them yourself.', '');
  }

  lines.push('## Files', '', `\`kustomization.yaml\` lists exactly these files (${s.files.length}):`, '', '| file | object |', '|---|---|');
  for (const f of s.files) lines.push(`| ${markdownCode(f.file, true)} | ${markdownCode(describe(f.obj), true)} |`);
  lines.push('');

  lines.push(...modelTableLines(s.models ?? []));
  if (s.beforeSync.length > 0) {
    lines.push('## Before you sync', '', ...stepLines(s.beforeSync));
  }

  lines.push(
    '## Sync',
    '',
    `Promote with one reviewed Git change: point the Argo CD Application's \`spec.source.path\` or the Flux Kustomization's \`spec.path\` at ${markdownCode(s.folder)} (\`inference-migrate promote <migration folder> --app <file of that object>\` makes the edit and prints the pull request). By hand, from the migration folder:`,
    '',
    ...commandBlock(`kubectl apply --server-side -k ${shellQuote(s.folder)}`),
    '',
  );
  if (s.afterSync.length > 0) {
    lines.push('## Right after you sync', '', ...stepLines(s.afterSync));
  }
  lines.push('## Verify', '', ...commandLines(s.verifications));

  lines.push('## Roll back', '');
  const rollback = s.rollback ?? [];
  if (s.previousFolder && rollback.length > 0) {
    lines.push(`Re-apply the previous folder, ${markdownCode(s.previousFolder)} (revert the promotion commit, or point the path back), and also:`, '', ...stepLines(rollback));
  } else if (s.previousFolder) {
    lines.push(`Re-apply the previous folder, ${markdownCode(s.previousFolder)}: revert the promotion commit (or point the path back). Each folder is a complete desired state, so the GitOps tool restores exactly that stage.`, '');
  } else {
    lines.push('Revert the promotion commit: the objects this stage created are pruned, and whatever it did not create was never changed.', '');
  }
  if (s.afterVerify.length > 0) {
    lines.push('## After you verify', '', ...stepLines(s.afterVerify));
  }
  if (s.nextFolder) lines.push(`Next: ${markdownCode(s.nextFolder)}.`, '');
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** What the migration's top README says. */
export interface MigrationReadmeInput {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly preflight: StageCommand[];
  readonly notes: string[];
  readonly warnings: string[];
  readonly stages: Array<{ folder: string; purpose: string; objects: number }>;
  /** The stages as a Mermaid flowchart (diagram.ts), drawn under the stage table. */
  readonly diagram?: string;
  readonly crds: Array<{ description: string; url: string }>;
  readonly crdsFolder: boolean;
  readonly examplesFolder: string;
  readonly syncWaves?: string;
  /** The per-model table of an InferencePool migration, else none. */
  readonly models?: readonly ModelMapping[];
}

/** The README of a migration's top folder. */
export function renderMigrationReadme(m: MigrationReadmeInput): string {
  const lines: string[] = [`# ${markdownText(m.title)}`, '', ...prose(m.summary), '', ...warningLines(m.warnings)];
  lines.push(...modelTableLines(m.models ?? []));
  lines.push('## Preflight', '', ...commandLines(m.preflight));
  lines.push('## Stages', '', 'Apply them in order; verify each (its README says how) before promoting the next.', '', '| stage | what it does | objects |', '|---|---|---|');
  for (const s of m.stages) {
    lines.push(`| [${markdownCode(s.folder, true)}](${encodeURIComponent(s.folder)}/README.md) | ${markdownText(s.purpose, true)} | ${s.objects} |`);
  }
  if (m.diagram) lines.push('', 'The stages at a glance:', '', ...markdownFence(m.diagram.trimEnd(), 'mermaid'));
  const examples = markdownCode(`${m.examplesFolder}/argocd-application.yaml`);
  const fluxExample = markdownCode(`${m.examplesFolder}/flux-kustomization.yaml`);
  const examplesLink = encodeURIComponent(m.examplesFolder);
  lines.push(
    '',
    '## How to promote',
    '',
    'Each folder holds the complete desired state of its stage, with a `kustomization.yaml` that lists exactly its files. Point one GitOps object at one stage folder at a time, with pruning on, and move it to the next folder in one reviewed Git change per stage:',
    '',
    `- Argo CD: change the Application's \`spec.source.path\` (example: [${examples}](${examplesLink}/argocd-application.yaml)). Objects carry \`argocd.argoproj.io/sync-wave\` annotations: ${markdownText(m.syncWaves ?? 'pools and Endpoint Pickers first (0), then objectives and policies (1), then routes (2)')}.`,
    `- Flux: change the Kustomization's \`spec.path\` (example: [${fluxExample}](${examplesLink}/flux-kustomization.yaml)).`,
    '',
    '`inference-migrate promote <this folder> --app <file of your Application or Kustomization>` makes that edit (only the path value changes) and prints the pull request: what the stage does, its field-level changes, the checks before merging and after syncing. `inference-migrate status <this folder> --app <file>` says which stage is active and what the next one changes.',
    '',
    'Rolling back is promoting the previous folder again (`promote ... --rollback`).',
    '',
    '## CRDs',
    '',
    'CRDs are not in the stage folders: they are cluster-scoped, and a GitOps tool that prunes a CRD deletes every object of its kind. The first stage README says which to install; the URLs are:',
    '',
  );
  for (const c of m.crds) lines.push(`- ${markdownText(c.description)}: ${markdownText(c.url)}`);
  if (m.crdsFolder) {
    lines.push('', 'The `crds/` folder references these URLs in a kustomization with `Prune=false` and sync wave -1, for a separate Argo CD Application or Flux Kustomization that never prunes.');
  }
  lines.push('');
  if (m.notes.length > 0) {
    lines.push('## Notes', '', ...m.notes.flatMap((n) => item('- ', n)), '');
  }
  lines.push('## For machines', '', '`plan.json` lists every stage, its files and objects, the changes from the stage before, and the manual steps.', '');
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
