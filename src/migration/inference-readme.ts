/**
 * What the READMEs of an InferencePool migration say besides their checks (inference-checks.ts): manual steps
 * (CRDs before the first GA stage, alpha removal after cleanup), the CRDs by URL, and the preflight. Pure
 * functions from the resolved migration to text. Internal.
 */
import { GKE_MANAGED_CRD_VERSION, compareGkeVersions, eppCrds, gaCrds, gieManifestsUrl, gkeCrdRelease, installCrdSteps, removeAlphaCrdCommands } from './crd-sources';
import { ResolvedInferenceMigration } from './inference-resolve';
import { CrdReference } from './migration';
import { ManualStep, ManualStepTiming, StageCommand } from './migration-stage';
import { PlannedStage } from './plan';
import { gieAppliesModelRewrites } from '../convert/gie-versions';
import { shellOperands, shellQuote as q } from '../core/shell';
import { InferenceProvider } from '../inference/types';

/** Manual steps common to inference stages: CRDs before the first GA stage, alpha removal at the end. */
export function inferenceManualSteps(m: ResolvedInferenceMigration, planned: PlannedStage, firstGaStage: boolean, lastStage: boolean): ManualStep[] {
  const steps: ManualStep[] = [];
  if (firstGaStage) {
    for (const step of installCrdSteps({ gieVersion: m.gieVersion, gke: m.provider === InferenceProvider.GKE, gkeVersion: m.gkeVersion })) {
      steps.push({ ...step, timing: ManualStepTiming.BEFORE_SYNC });
    }
    steps.push(...m.conversionSteps);
  }
  if (!planned.alphaStack && lastStage) {
    if (m.alpha.external) {
      steps.push({
        text: 'The alpha stack was installed by Helm, outside Git: uninstall its release once this stage is verified.',
        commands: [`helm uninstall ${q(m.alpha.helmRelease ?? m.alpha.poolName)} -n ${q(m.alpha.poolNamespace)}`],
      });
      if (m.alpha.inferenceModelNames.length > 0) {
        steps.push({
          text: 'Delete the alpha InferenceModels if the release did not own them.',
          commands: [`kubectl delete inferencemodels.inference.networking.x-k8s.io -n ${q(m.alpha.poolNamespace)} ${shellOperands(m.alpha.inferenceModelNames)}`],
        });
      }
    }
    steps.push({
      text: 'Once no alpha object is left in the cluster, remove the alpha CRDs. They are cluster-scoped and shared: check every namespace first.',
      commands: removeAlphaCrdCommands(m.alphaCrdVersion),
    });
  }
  return steps;
}


/** The CRDs of the GA stack, by upstream URL: for the READMEs, the plan and the optional crds/ folder. */
export function inferenceCrds(m: ResolvedInferenceMigration): CrdReference[] {
  if (m.provider !== InferenceProvider.GKE) return gaCrds(m.gieVersion);
  const release = gkeCrdRelease(m.gieVersion);
  if (m.gkeVersion !== undefined && compareGke(m.gkeVersion)) {
    return eppCrds(release).map((c) => ({ ...c, description: `${c.description}; GKE ships the v1 InferencePool CRD` }));
  }
  return [{ description: `GIE ${release} manifests (v1 InferencePool, InferenceObjective${gieAppliesModelRewrites(release) ? ' and InferenceModelRewrite' : ''} CRDs), for GKE before ${GKE_MANAGED_CRD_VERSION}`, url: gieManifestsUrl(release) }];
}

function compareGke(version: string): boolean {
  return compareGkeVersions(version, GKE_MANAGED_CRD_VERSION) >= 0;
}

/** The preflight of the upstream guides: is this a migration at all? */
export function inferencePreflight(): StageCommand[] {
  return [
    {
      description: 'Alpha InferencePools in use. Nothing found means there is nothing to migrate: install the GA stack fresh.',
      command: 'kubectl get inferencepools.inference.networking.x-k8s.io --all-namespaces',
      expected: 'The alpha pool of this migration is listed.',
    },
    {
      description: 'Alpha InferenceModels in use (each becomes an InferenceObjective).',
      command: 'kubectl get inferencemodels.inference.networking.x-k8s.io --all-namespaces',
    },
    {
      description: 'Which CRDs are installed (the GA pool needs the v1 InferencePool and the InferenceObjective CRDs; the alpha CRD must stay served until cleanup).',
      command: 'kubectl get crd inferencepools.inference.networking.k8s.io inferencepools.inference.networking.x-k8s.io inferenceobjectives.inference.networking.x-k8s.io inferencemodels.inference.networking.x-k8s.io',
    },
  ];
}

/** What comes after the bridge release: the top README's note on upgrading GIE later. */
export function inferenceWhatsNext(m: ResolvedInferenceMigration): string {
  const kinds = m.models.rewrites.length > 0 ? 'InferenceObjectives and InferenceModelRewrites' : 'InferenceObjectives';
  return `What comes next: this migration targets GIE ${m.gieVersion}, a bridge release that still serves the v1alpha2 InferencePool. ` +
    'GIE v1.5.0 removes the v1alpha2 InferencePool CRD (finish the cleanup stage first); GIE v1.6.0 removes InferenceObjective and ' +
    `InferenceModelRewrite (and the EndpointPickerConfig API): the ${kinds} written here stop working there, so plan how your clients' priorities and model names are kept before upgrading past v1.5.x.`;
}
