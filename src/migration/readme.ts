/**
 * README and plan rendering for the GitOps layout: pure functions from plain data to text.
 */
import { ManifestDiff, describe } from './manifests';
import type { ManualStep, StageCommand } from './migration-stage';

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
  readonly warnings: string[];
}

function commandBlock(command: string): string[] {
  return ['```bash', ...command.split('\n'), '```'];
}

function stepLines(steps: ManualStep[]): string[] {
  const out: string[] = [];
  steps.forEach((s, i) => {
    out.push(`${i + 1}. ${indentAfterFirst(s.text, '   ')}`);
    if (s.commands && s.commands.length > 0) {
      out.push('', ...commandBlock(s.commands.join('\n')).map((l) => `   ${l}`));
    }
    out.push('');
  });
  return out;
}

function indentAfterFirst(text: string, indent: string): string {
  return text.split('\n').map((l, i) => (i === 0 || l === '' ? l : `${indent}${l}`)).join('\n');
}

function changeTable(diff: ManifestDiff): string[] {
  const rows = [
    ...diff.created.map((o) => `| created | \`${describe(o)}\` |`),
    ...diff.changed.map((o) => `| changed | \`${describe(o)}\` |`),
    ...diff.deleted.map((o) => `| deleted | \`${describe(o)}\` |`),
  ];
  if (rows.length === 0) return ['Nothing changes.'];
  return ['| change | object |', '|---|---|', ...rows];
}

/** The README of one stage folder. */
export function renderStageReadme(s: StageReadmeInput): string {
  const lines: string[] = [
    `# ${s.folder}: stage ${s.ordinal} of ${s.total}`,
    '',
    `Migration **${s.migrationName}**: ${s.migrationTitle}.`,
    '',
    s.purpose,
    '',
  ];
  if (s.warnings.length > 0) {
    lines.push('> **Warnings**', '>');
    for (const w of s.warnings) lines.push(`> - ${w}`);
    lines.push('');
  }

  lines.push(`## What changes since ${s.previousFolder ?? 'today'}`, '');
  if (!s.previousFolder && !s.baselineKnown) {
    lines.push('The objects this migration replaces are not in Git (installed by Helm), so every object below is listed as created; where an object of that name exists already, this stage takes it over.', '');
  }
  lines.push(...changeTable(s.diff), '');
  if (s.diff.unchanged.length > 0) {
    lines.push(`Unchanged: ${s.diff.unchanged.length} object${s.diff.unchanged.length === 1 ? '' : 's'}.`, '');
  }
  if (s.diff.deleted.length > 0) {
    lines.push('Deleted objects are removed by the GitOps tool\'s pruning (Argo CD `prune: true`, Flux `prune: true`); when applying by hand, delete them yourself.', '');
  }

  lines.push('## Files', '', `\`kustomization.yaml\` lists exactly these files (${s.files.length}):`, '', '| file | object |', '|---|---|');
  for (const f of s.files) lines.push(`| \`${f.file}\` | \`${describe(f.obj)}\` |`);
  lines.push('');

  if (s.beforeSync.length > 0) {
    lines.push('## Before you sync', '', ...stepLines(s.beforeSync));
  }

  lines.push(
    '## Sync',
    '',
    `Promote with one reviewed Git change: point the Argo CD Application's \`spec.source.path\` or the Flux Kustomization's \`spec.path\` at \`${s.folder}\`. By hand, from the migration folder:`,
    '',
    ...commandBlock(`kubectl apply --server-side -k ${s.folder}`),
    '',
  );
  if (s.afterSync.length > 0) {
    lines.push('## Right after you sync', '', ...stepLines(s.afterSync));
  }
  lines.push('## Verify', '');
  s.verifications.forEach((v, i) => {
    lines.push(`${i + 1}. ${v.description}`, '', ...commandBlock(v.command).map((l) => `   ${l}`));
    if (v.expected) lines.push('', `   Expected: ${v.expected}`);
    lines.push('');
  });

  lines.push('## Roll back', '');
  if (s.previousFolder) {
    lines.push(`Re-apply the previous folder, \`${s.previousFolder}\`: revert the promotion commit (or point the path back). Each folder is a complete desired state, so the GitOps tool restores exactly that stage.`, '');
  } else {
    lines.push('Revert the promotion commit: the objects this stage created are pruned, and whatever it did not create was never changed.', '');
  }
  if (s.afterVerify.length > 0) {
    lines.push('## After you verify', '', ...stepLines(s.afterVerify));
  }
  if (s.nextFolder) lines.push(`Next: \`${s.nextFolder}\`.`, '');
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
  readonly crds: Array<{ description: string; url: string }>;
  readonly crdsFolder: boolean;
  readonly examplesFolder: string;
  readonly syncWaves?: string;
}

/** The README of a migration's top folder. */
export function renderMigrationReadme(m: MigrationReadmeInput): string {
  const lines: string[] = [`# ${m.title}`, '', m.summary, ''];
  if (m.warnings.length > 0) {
    lines.push('> **Warnings**', '>');
    for (const w of m.warnings) lines.push(`> - ${w}`);
    lines.push('');
  }
  lines.push('## Preflight', '');
  m.preflight.forEach((p, i) => {
    lines.push(`${i + 1}. ${p.description}`, '', ...commandBlock(p.command).map((l) => `   ${l}`));
    if (p.expected) lines.push('', `   Expected: ${p.expected}`);
    lines.push('');
  });
  lines.push('## Stages', '', 'Apply them in order; verify each (its README says how) before promoting the next.', '', '| stage | what it does | objects |', '|---|---|---|');
  for (const s of m.stages) lines.push(`| [\`${s.folder}\`](${s.folder}/README.md) | ${s.purpose} | ${s.objects} |`);
  lines.push(
    '',
    '## How to promote',
    '',
    'Each folder holds the complete desired state of its stage, with a `kustomization.yaml` that lists exactly its files. Point one GitOps object at one stage folder at a time, with pruning on, and move it to the next folder in one reviewed Git change per stage:',
    '',
    `- Argo CD: change the Application's \`spec.source.path\` (example: [\`${m.examplesFolder}/argocd-application.yaml\`](${m.examplesFolder}/argocd-application.yaml)). Objects carry \`argocd.argoproj.io/sync-wave\` annotations: ${m.syncWaves ?? 'pools and Endpoint Pickers first (0), then objectives and policies (1), then routes (2)'}.`,
    `- Flux: change the Kustomization's \`spec.path\` (example: [\`${m.examplesFolder}/flux-kustomization.yaml\`](${m.examplesFolder}/flux-kustomization.yaml)).`,
    '',
    'Rolling back is promoting the previous folder again.',
    '',
    '## CRDs',
    '',
    'CRDs are not in the stage folders: they are cluster-scoped, and a GitOps tool that prunes a CRD deletes every object of its kind. The first stage README says which to install; the URLs are:',
    '',
  );
  for (const c of m.crds) lines.push(`- ${c.description}: ${c.url}`);
  if (m.crdsFolder) {
    lines.push('', 'The `crds/` folder references these URLs in a kustomization with `Prune=false` and sync wave -1, for a separate Argo CD Application or Flux Kustomization that never prunes.');
  }
  lines.push('');
  if (m.notes.length > 0) {
    lines.push('## Notes', '', ...m.notes.map((n) => `- ${n}`), '');
  }
  lines.push('## For machines', '', '`plan.json` lists every stage, its files and objects, the changes from the stage before, and the manual steps.', '');
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
