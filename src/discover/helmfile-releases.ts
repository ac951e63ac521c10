/**
 * Finds the releases of a helmfile that install Gateway API Inference Extension's `inferencepool` chart at a
 * release that writes the alpha InferencePool. Pure: text in, releases out.
 *
 * The chart is published as `oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool`
 * (and from the staging registry, `.../k8s-staging-images/gateway-api-inference-extension/charts/inferencepool`).
 * Its v0.x releases render `inference.networking.x-k8s.io/v1alpha2` InferencePools
 * (`config/charts/inferencepool/templates/inferencepool.yaml` at v0.3.0 and v0.5.1); from v1.0.0 it renders
 * `inference.networking.k8s.io/v1`. llm-d-infra's quickstarts (`quickstart/examples/*\/helmfile.yaml` at
 * llm-d-infra-v1.2.0) install it this way, at v0.5.1: the alpha pool is then in the cluster but in no manifest.
 */
import { isMap, isScalar, isSeq, LineCounter } from 'yaml';
import { composeDocuments } from './yaml-documents';

/** A helmfile release of GIE's inferencepool chart at an alpha release. */
export interface AlphaChartRelease {
  /** The release's name, or `(unnamed)`. */
  readonly name: string;
  /** The chart version, e.g. `v0.5.1`. */
  readonly version: string;
  /** The 1-based line of the release's `chart:` field. */
  readonly line: number;
}

/** True when a chart reference names GIE's inferencepool chart (from an OCI registry or a path). */
export function isGieInferencePoolChart(chart: string): boolean {
  return /gateway-api-inference-extension\/(charts\/)?inferencepool\/?$/.test(chart.trim());
}

/** True for a chart version of GIE's inferencepool chart that renders the alpha InferencePool (v0.x). */
export function rendersAlphaPool(version: string): boolean {
  return /^v?0\.\d+(\.\d+)?([-+].*)?$/.test(version.trim());
}

/**
 * The releases of a helmfile's text that install GIE's inferencepool chart at a v0.x version. A release
 * without a version (the newest chart, which is GA), with a templated version, or of another chart is not
 * listed; a document that is not YAML (a Go template helmfile cannot parse as is) lists nothing.
 */
export function alphaChartReleases(text: string): AlphaChartRelease[] {
  const lines = new LineCounter();
  let docs;
  try {
    docs = composeDocuments(text, lines).docs;
  } catch {
    return []; // the yaml library's errors about the text
  }
  const out: AlphaChartRelease[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    const releases = doc.get('releases', true);
    if (!isSeq(releases)) continue;
    for (const release of releases.items) {
      if (!isMap(release)) continue;
      const chart = release.get('chart', true);
      const version = release.get('version', true);
      if (!isScalar(chart) || typeof chart.value !== 'string' || !isGieInferencePoolChart(chart.value)) continue;
      const v = isScalar(version) ? String(version.value) : '';
      if (!rendersAlphaPool(v)) continue;
      const name = release.get('name');
      out.push({ name: typeof name === 'string' && name !== '' ? name : '(unnamed)', version: v, line: lines.linePos(chart.range?.[0] ?? 0).line });
    }
  }
  return out;
}
