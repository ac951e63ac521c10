/**
 * Which Gateway API Inference Extension (GIE) release serves which inference API: a table of API
 * lifetimes and pure functions on release versions. Used by `inference-migrate scan` to say whether a
 * target GIE release still serves an object's API. Plain data; no cdk8s. Versions are parsed and compared
 * with `semver`.
 */
// The two functions only: the package's index loads all of semver (47 modules), at every start of the CLI.
import compare from 'semver/functions/compare';
import parse from 'semver/functions/parse';

/** A GIE release version: `vMAJOR.MINOR.PATCH`. */
export interface GieVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The newest GIE release this library knows (the newest pinned CRDs). */
export const NEWEST_KNOWN_GIE = 'v1.6.0';

/** The lifetime of one inference API in GIE releases. */
export interface GieApiLifetime {
  /** The API's apiVersion, e.g. `inference.networking.x-k8s.io/v1alpha2`. */
  readonly apiVersion: string;
  /** The kind, e.g. `InferencePool`. */
  readonly kind: string;
  /** First release that serves it. */
  readonly firstServed: string;
  /** First release that no longer serves it; undefined while every known release serves it. */
  readonly removedIn?: string;
  /** The served range for people, e.g. `v0.3.0–v1.4.x`. */
  readonly served: string;
}

const ALPHA = 'inference.networking.x-k8s.io/v1alpha2';
const GA = 'inference.networking.k8s.io/v1';

/**
 * The served ranges, checked against the pinned CRDs (../shared/crds) and the GIE tags: v0.2.0 is the first release
 * whose CRDs serve v1alpha2 (v0.1.0 served v1alpha1: config/crd/bases at each tag); the v1alpha2 InferencePool
 * was removed in v1.5.0; InferenceModel ships in v0.2.0..v0.5.1 (v1.0.0 replaced it by
 * InferenceObjective); InferenceObjective ships in v1.0.0..v1.5.x and InferenceModelRewrite in v1.2.0..v1.5.x
 * (`config/crd/bases/inference.networking.x-k8s.io_inferencemodelrewrites.yaml` from v1.2.0; both removed in v1.6.0
 * by PR #2973, which moved them with the EPP to llm-d/llm-d-router: README.md@v1.6.0); the v1 InferencePool ships
 * from v1.0.0 on.
 */
const LIFETIMES: GieApiLifetime[] = [
  { apiVersion: ALPHA, kind: 'InferencePool', firstServed: 'v0.2.0', removedIn: 'v1.5.0', served: 'v0.2.0–v1.4.x' },
  { apiVersion: ALPHA, kind: 'InferenceModel', firstServed: 'v0.2.0', removedIn: 'v1.0.0', served: 'v0.2.0–v0.5.1' },
  { apiVersion: ALPHA, kind: 'InferenceObjective', firstServed: 'v1.0.0', removedIn: 'v1.6.0', served: 'v1.0.0–v1.5.x' },
  { apiVersion: ALPHA, kind: 'InferenceModelRewrite', firstServed: 'v1.2.0', removedIn: 'v1.6.0', served: 'v1.2.0–v1.5.x' },
  { apiVersion: GA, kind: 'InferencePool', firstServed: 'v1.0.0', served: 'v1.0.0 and later' },
];

/**
 * Parses `v1.2.3`, `1.2.3` or `v1.2` (patch 0). Returns undefined for anything else.
 */
export function parseGieVersion(text: string): GieVersion | undefined {
  const trimmed = text.trim();
  // semver wants three numbers; GIE tags have no pre-release or build part (release candidates are not targets).
  const v = parse(/^v?\d+\.\d+$/.test(trimmed) ? `${trimmed}.0` : trimmed);
  if (!v || v.prerelease.length > 0 || v.build.length > 0) return undefined;
  return { major: v.major, minor: v.minor, patch: v.patch };
}

/** `v1.2.3`. */
export function formatGieVersion(v: GieVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}`;
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareGieVersions(a: GieVersion, b: GieVersion): number {
  return compare(formatGieVersion(a), formatGieVersion(b));
}

function mustParse(text: string): GieVersion {
  const v = parseGieVersion(text);
  if (!v) throw new Error(`${JSON.stringify(text)} is not a GIE release version such as v1.0.2`);
  return v;
}

/** The lifetime of an inference API, or undefined when GIE does not define it. */
export function gieApiLifetime(apiVersion: string, kind: string): GieApiLifetime | undefined {
  return LIFETIMES.find((l) => l.apiVersion === apiVersion && l.kind === kind);
}

/** Every known lifetime, in a stable order (for docs and tests). */
export function allGieApiLifetimes(): GieApiLifetime[] {
  return [...LIFETIMES];
}

/**
 * Whether GIE release `target` serves `apiVersion`/`kind`: true or false for the GIE inference APIs,
 * undefined for any other API.
 */
export function gieServes(apiVersion: string, kind: string, target: string | GieVersion): boolean | undefined {
  const lifetime = gieApiLifetime(apiVersion, kind);
  if (!lifetime) return undefined;
  const t = typeof target === 'string' ? mustParse(target) : target;
  if (compareGieVersions(t, mustParse(lifetime.firstServed)) < 0) return false;
  return lifetime.removedIn === undefined || compareGieVersions(t, mustParse(lifetime.removedIn)) < 0;
}

/**
 * The bridge releases whose CRDs are pinned (imports/crds.lock.json, bundles `gie-<version>`): they serve the
 * v1alpha2 InferencePool beside the v1 one, so a side-by-side migration can target them. One per minor line, and
 * both v1.0.x patches (v1.0.0 is the GKE guide's release, v1.0.2 the last v1.0.x patch).
 */
export const BRIDGE_GIE_RELEASES: readonly string[] = Object.freeze(['v1.0.0', 'v1.0.2', 'v1.1.0', 'v1.2.0', 'v1.3.1', 'v1.4.0']);

/** The library's default target: the upstream guide's line (its YAML comes out exactly). */
export const DEFAULT_GIE_TARGET = 'v1.0.2';

/** The command line's default target: the newest bridge release. */
export const NEWEST_BRIDGE_GIE = 'v1.4.0';

/** The first release whose EPP applies InferenceModelRewrites (`applyWeightedModelRewrite` in pkg/epp/requestcontrol/director.go@v1.3.0). */
export const FIRST_REWRITE_GIE = 'v1.3.0';

/**
 * A bridge release to target, from what the user wrote (`v1.4.0`, `1.4.0`, `v1.4`). Returns the pinned release, or
 * throws an Error whose message (starting with "must") says why not: outside the bridge range (v1.0.0..v1.4.x), or
 * another patch of a pinned line (naming the nearest pinned release of that line).
 */
export function resolveBridgeGie(text: string): string {
  const v = typeof text === 'string' ? parseGieVersion(text) : undefined;
  if (!v) throw new Error(`must be a GIE release such as ${NEWEST_BRIDGE_GIE} (got ${JSON.stringify(text)})`);
  const version = formatGieVersion(v);
  if (BRIDGE_GIE_RELEASES.includes(version)) return version;
  const line = BRIDGE_GIE_RELEASES.filter((r) => r.startsWith(`v${v.major}.${v.minor}.`));
  if (line.length > 0) {
    // The nearest patch of the line; between two equally near ones, the newer.
    const nearest = [...line].sort((a, b) => Math.abs(mustParse(a).patch - v.patch) - Math.abs(mustParse(b).patch - v.patch)
      || compareGieVersions(mustParse(b), mustParse(a)))[0];
    throw new Error(`must be a GIE release whose CRDs this version pins: ${version} is not pinned; use ${nearest}, the pinned release of the v${v.major}.${v.minor} line ` +
      `(pinned: ${BRIDGE_GIE_RELEASES.join(', ')})`);
  }
  const older = compareGieVersions(v, mustParse(BRIDGE_GIE_RELEASES[0])) < 0;
  const why = older
    ? `${version} has no v1 InferencePool (the GA API starts at v1.0.0)`
    : `${version} no longer serves the v1alpha2 InferencePool (v1.5.0 removed its CRD), so the alpha pool could not run beside the GA one`;
  const nearest = older ? BRIDGE_GIE_RELEASES[0] : BRIDGE_GIE_RELEASES[BRIDGE_GIE_RELEASES.length - 1];
  throw new Error(`must be a bridge release from v1.0.0 to v1.4.x, whose CRDs serve both the alpha and the GA InferencePool: ${why}; ` +
    `the nearest pinned release is ${nearest} (pinned: ${BRIDGE_GIE_RELEASES.join(', ')})`);
}

/** True when the EPP of bridge release `version` applies InferenceModelRewrites (v1.3.0 and later). */
export function gieAppliesModelRewrites(version: string): boolean {
  return compareGieVersions(mustParse(version), mustParse(FIRST_REWRITE_GIE)) >= 0;
}

/** True when `a` is at least `b` (both GIE release versions). */
export function gieAtLeast(a: string, b: string): boolean {
  return compareGieVersions(mustParse(a), mustParse(b)) >= 0;
}

/**
 * Every GIE release tag (release candidates aside), as `git tag` of kubernetes-sigs/gateway-api-inference-extension
 * lists them up to v1.6.0: an EPP image of upstream's repository at one of these tags runs that release's code.
 * v0.4.x has no patch release; v0.1.0 served v1alpha1 only.
 */
export const GIE_RELEASE_TAGS: readonly string[] = Object.freeze([
  'v0.2.0', 'v0.3.0', 'v0.4.0', 'v0.5.0', 'v0.5.1',
  'v1.0.0', 'v1.0.1', 'v1.0.2', 'v1.1.0', 'v1.2.0', 'v1.2.1', 'v1.3.0', 'v1.3.1', 'v1.4.0', 'v1.5.0', 'v1.6.0',
]);

/** Upstream's EPP image repository. */
const UPSTREAM_EPP_REPOSITORY = 'registry.k8s.io/gateway-api-inference-extension/epp';

/**
 * The GIE release an EPP image runs, when it is upstream's image at a release tag (`…/epp:v0.5.1`, a digest after
 * the tag allowed); undefined for anything else: another repository (a custom or mirrored EPP), a digest alone, or
 * a tag that is no release (`latest`, `main`, a release candidate).
 */
export function upstreamEppRelease(image: string): string | undefined {
  const m = /^registry\.k8s\.io\/gateway-api-inference-extension\/epp:([^@]+)(@sha256:[0-9a-f]{64})?$/.exec(image);
  // Stryker disable next-line StringLiteral: equivalent: the regex is anchored at upstream's repository, so a matching image starts with any prefix of it, '' included
  return m && GIE_RELEASE_TAGS.includes(m[1]) && image.startsWith(`${UPSTREAM_EPP_REPOSITORY}:`) ? m[1] : undefined;
}
