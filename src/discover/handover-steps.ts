/**
 * The steps that hand the carried objects from their old owner (an Argo CD Application or a Flux
 * Kustomization that prunes) to the stage folders.
 */
import type { Located } from './located-objects';
import type { PlannedManualStep } from './planner-types';
import { shellQuote } from '../core/shell';

/** Argo CD's and Flux's annotations that keep an object from being pruned. */
export const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';

export interface SourcePaths {
  readonly prefix: string;
  readonly relativeTo: string;
  /** True when the input was one stream (standard input): objects are named, not files. */
  readonly stream?: boolean;
}

/**
 * The steps that hand the carried objects from their old owner (an Argo CD Application or a Flux
 * Kustomization that prunes) to the stage folders without a prune deleting them: mark them in their old
 * place first, sync the first stage, check the new owner holds them, only then remove them from the old
 * place.
 */
export function handoverSteps(owned: Located[], sourcePaths: SourcePaths): PlannedManualStep[] {
  const files = [...new Set(owned.map((l) => l.source.file))].sort();
  const label = (l: Located) => `${l.obj.kind} ${l.namespace !== '' ? `${l.namespace}/` : ''}${l.obj.metadata.name}`;
  const listing = sourcePaths.stream
    ? owned.map((l) => `- ${label(l)}`)
    : files.map((f) => {
      const here = owned.filter((l) => l.source.file === f).sort((a, b) => a.source.line - b.source.line);
      const shown = sourcePaths.prefix === '' || sourcePaths.prefix === '.' ? f : `${sourcePaths.prefix.replace(/\/$/, '')}/${f}`;
      return `- \`${shown}\`: ${here.map((l) => `${l.obj.kind} ${l.obj.metadata.name} (line ${l.source.line})`).join(', ')}`;
    });
  const where = sourcePaths.stream
    ? 'in the sources that rendered the planned stream (the kustomize overlay or Helm values that produce them)'
    : `in their old place (paths relative to ${sourcePaths.relativeTo})`;
  const byNamespace = new Map<string, Located[]>();
  for (const l of owned) byNamespace.set(l.namespace, [...(byNamespace.get(l.namespace) ?? []), l]);
  const owner = '{.kind}/{.metadata.name}{"\\t"}{.metadata.annotations.argocd\\.argoproj\\.io/tracking-id}{.metadata.labels.app\\.kubernetes\\.io/instance}' +
    '{"\\t"}{.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name}{"\\n"}';
  // kubectl returns a List for two or more names, the object itself for one.
  const jsonpath = (n: number) => (n === 1 ? owner : `{range .items[*]}${owner}{end}`);
  const checks = [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([ns, objects]) => {
    const refs = objects.map((l) => shellQuote(`${l.obj.kind.toLowerCase()}${l.group !== '' ? `.${l.group}` : ''}/${l.obj.metadata.name}`));
    return `kubectl get ${ns !== '' ? `-n ${shellQuote(ns)} ` : ''}${refs.join(' ')} -o jsonpath=${shellQuote(jsonpath(refs.length))}`;
  });
  return [
    {
      stage: 'first',
      text: 'Hand the carried objects over without a prune deleting them. The stage folders now own the alpha stack and the routes of this migration, ' +
        'but the Argo CD Application or Flux Kustomization that applies them today deletes whatever leaves its path when it prunes. So first, ' +
        `${where}, mark each of these objects so that its old owner never deletes it, and let that owner sync once (only an annotation changes): ` +
        `Argo CD: \`${ARGO_SYNC_OPTIONS}: Prune=false\`; Flux: \`${FLUX_PRUNE}: disabled\`. Then point the new Application or Kustomization at 01-side-by-side:\n` +
        listing.join('\n'),
      commands: [
        '# Argo CD, after committing the annotations:',
        'argocd app sync <old-application>',
        '# Flux, after committing the annotations:',
        'flux reconcile kustomization <old-kustomization> -n flux-system --with-source',
      ],
    },
    {
      stage: 'first',
      afterSync: true,
      text: 'Check that the new owner holds every carried object before the old place is cleaned: each line must name the new owner, the Argo CD Application ' +
        '(tracking annotation or app.kubernetes.io/instance label) or the Flux Kustomization (kustomize.toolkit.fluxcd.io/name label) that syncs 01-side-by-side.',
      commands: checks,
    },
    {
      stage: 'first',
      afterSync: true,
      text: `Only then remove the carried objects from their old place (${sourcePaths.stream ? 'the sources of the stream' : 'the files listed before the sync'}) and let the old owner sync: ` +
        'it deletes nothing, because each object carries the annotation that keeps it from being pruned there. From then on the stage folders are their only owner.',
    },
  ];
}
