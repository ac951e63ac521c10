/**
 * Where the CRDs of each stage come from. CRDs are not put into stage folders: they are cluster-scoped,
 * and a GitOps tool pruning a CRD deletes every object of its kind. Stage READMEs name these URLs
 * instead. Pure functions.
 */
import type SemVer from 'semver/classes/semver';
import compare from 'semver/functions/compare';
import parse from 'semver/functions/parse';
import { gieAppliesModelRewrites } from '../convert/gie-versions';
import { PropError } from '../core/errors';

import { shellQuote } from '../core/shell';

const GIE_REPO = 'https://github.com/kubernetes-sigs/gateway-api-inference-extension';

/** The GKE version from which GKE ships the v1 InferencePool CRD itself. */
export const GKE_MANAGED_CRD_VERSION = '1.34.0-gke.1626000';

/** GIE releases that shipped only the alpha API (InferencePool and InferenceModel v1alpha2, from v0.2.0). */
export const ALPHA_GIE = /^v0\.([234]\.\d+|5\.[01])$/;

/** A CRD to install or remove, by URL. */
export interface CrdSource {
  readonly description: string;
  readonly url: string;
}

/** The raw URL of a CRD file of GIE `version`. */
export function gieCrdUrl(version: string, file: string): string {
  return `${GIE_REPO}/raw/${version}/config/crd/bases/${file}`;
}

/** The release manifest (all CRDs) of GIE `version`. */
export function gieManifestsUrl(version: string): string {
  return `${GIE_REPO}/releases/download/${version}/manifests.yaml`;
}

/**
 * The CRDs the EPP of a release reads besides the pool: InferenceObjective, and from v1.3.0 InferenceModelRewrite.
 * From v1.3.0 the EPP checks at start-up which of the two exist and ignores a kind whose CRD appears later until it
 * restarts (pkg/epp/server/controller_config.go@v1.3.0), so both are installed before the EPP starts.
 */
export function eppCrds(gieVersion: string): CrdSource[] {
  return [
    { description: 'InferenceObjective v1alpha2 (inference.networking.x-k8s.io)', url: gieCrdUrl(gieVersion, 'inference.networking.x-k8s.io_inferenceobjectives.yaml') },
    ...(gieAppliesModelRewrites(gieVersion)
      ? [{ description: 'InferenceModelRewrite v1alpha2 (inference.networking.x-k8s.io)', url: gieCrdUrl(gieVersion, 'inference.networking.x-k8s.io_inferencemodelrewrites.yaml') }]
      : []),
  ];
}

/** The CRDs a GA stack needs off GKE: the v1 InferencePool and what the EPP reads (eppCrds). */
export function gaCrds(gieVersion: string): CrdSource[] {
  return [
    { description: 'InferencePool v1 (inference.networking.k8s.io)', url: gieCrdUrl(gieVersion, 'inference.networking.k8s.io_inferencepools.yaml') },
    ...eppCrds(gieVersion),
  ];
}

/**
 * The GIE release whose CRDs are installed on GKE for a target: the GKE guide's v1.0.0 for a v1.0.x target, else
 * the target itself.
 */
export function gkeCrdRelease(gieVersion: string): string {
  return /^v1\.0\./.test(gieVersion) ? 'v1.0.0' : gieVersion;
}

const EPP_STARTUP_NOTE = 'From v1.3.0 the Endpoint Picker checks at start-up which of the InferenceObjective and InferenceModelRewrite CRDs exist and ignores a kind whose CRD appears later until it restarts: install them before this stage syncs.';

/**
 * Compares two GKE versions such as `1.34.0-gke.1626000` (semver: the `-gke.N` part compares by its number; a
 * version without it counts as `-gke.0`): negative when a is older than b. Throws on a version not of that form.
 */
export function compareGkeVersions(a: string, b: string): number {
  return compare(gkeSemver(a), gkeSemver(b));
}

function gkeSemver(version: string): SemVer {
  const parsed = /^\d+\.\d+\.\d+(-gke\.\d+)?$/.test(version) ? parse(version.includes('-') ? version : `${version}-gke.0`) : null;
  if (!parsed) throw new PropError(`'gkeVersion' must look like 1.34.0-gke.1626000 (got ${JSON.stringify(version)})`);
  return parsed;
}

/** A README step: plain text, and the commands that do it. */
export interface CrdStep {
  readonly text: string;
  readonly commands: string[];
}

/** `kubectl apply --server-side -f <url>`, the URL quoted for the shell. */
function applyUrl(url: string): string {
  return `kubectl apply --server-side -f ${shellQuote(url)}`;
}

/**
 * The CRD steps of the first GA stage. Throws when `gkeVersion` is not a GKE version.
 */
export function installCrdSteps(options: { gieVersion: string; gke: boolean; gkeVersion?: string }): CrdStep[] {
  const rewrites = gieAppliesModelRewrites(options.gieVersion);
  const startup = rewrites ? ` ${EPP_STARTUP_NOTE}` : '';
  if (!options.gke) {
    return [{
      text: `Install the GA CRDs of GIE ${options.gieVersion} before this stage syncs. Upstream's guide applies only the InferenceObjective CRD; the v1 InferencePool CRD is needed too${rewrites ? ', and the InferenceModelRewrite CRD' : ''}.${startup}`,
      commands: gaCrds(options.gieVersion).map((c) => applyUrl(c.url)),
    }];
  }
  const release = gkeCrdRelease(options.gieVersion);
  const full = applyUrl(gieManifestsUrl(release));
  const eppOnly = eppCrds(release).map((c) => applyUrl(c.url));
  const what = rewrites ? 'the InferenceObjective and InferenceModelRewrite CRDs' : 'the InferenceObjective CRD';
  const fullWhat = `the full ${release} manifests (v1 InferencePool and ${rewrites ? 'alpha InferenceObjective and InferenceModelRewrite' : 'alpha InferenceObjective'} CRDs)`;
  if (options.gkeVersion === undefined) {
    return [
      {
        text: `On GKE the CRDs depend on the cluster version (\`kubectl version\`): before ${GKE_MANAGED_CRD_VERSION}, install ${fullWhat}:${startup}`,
        commands: [full],
      },
      {
        text: `From ${GKE_MANAGED_CRD_VERSION} on, GKE ships the v1 InferencePool CRD: install only ${what} instead:`,
        commands: eppOnly,
      },
    ];
  }
  if (compareGkeVersions(options.gkeVersion, GKE_MANAGED_CRD_VERSION) < 0) {
    return [{
      text: `GKE ${options.gkeVersion} is older than ${GKE_MANAGED_CRD_VERSION}: install ${fullWhat}:${startup}`,
      commands: [full],
    }];
  }
  return [{
    text: `GKE ${options.gkeVersion} ships the v1 InferencePool CRD itself: install only ${what}:${startup}`,
    commands: eppOnly,
  }];
}

/** Commands that remove the alpha CRDs once no alpha object is left. */
export function removeAlphaCrdCommands(alphaCrdVersion: string): string[] {
  return [
    '# Only when this lists nothing:',
    'kubectl get inferencepools.inference.networking.x-k8s.io,inferencemodels.inference.networking.x-k8s.io --all-namespaces',
    '# Either delete the two alpha CRDs by name (the InferenceObjective CRD stays: the GA stack uses it) ...',
    'kubectl delete crd inferencepools.inference.networking.x-k8s.io inferencemodels.inference.networking.x-k8s.io',
    `# ... or, as upstream's guide does, the alpha release you installed (${alphaCrdVersion}; never a v1.x manifest, which holds the GA CRDs too):`,
    `kubectl delete -f ${shellQuote(gieManifestsUrl(alphaCrdVersion))}`,
  ];
}
