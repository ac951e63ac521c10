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
 * The served ranges, checked against the pinned CRDs (../shared/crds): the v1alpha2 InferencePool ships
 * from v0.3.0 and was removed in v1.5.0; InferenceModel ships in v0.3.0..v0.5.1 (v1.0.0 replaced it by
 * InferenceObjective); InferenceObjective ships in v1.0.0..v1.5.x (removed in v1.6.0); the v1
 * InferencePool ships from v1.0.0 on.
 */
const LIFETIMES: GieApiLifetime[] = [
  { apiVersion: ALPHA, kind: 'InferencePool', firstServed: 'v0.3.0', removedIn: 'v1.5.0', served: 'v0.3.0–v1.4.x' },
  { apiVersion: ALPHA, kind: 'InferenceModel', firstServed: 'v0.3.0', removedIn: 'v1.0.0', served: 'v0.3.0–v0.5.1' },
  { apiVersion: ALPHA, kind: 'InferenceObjective', firstServed: 'v1.0.0', removedIn: 'v1.6.0', served: 'v1.0.0–v1.5.x' },
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
