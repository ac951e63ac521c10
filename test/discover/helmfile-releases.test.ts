import { isHelmfileName } from '../../src/discover/helmfile-name';
import { alphaChartReleases, isGieInferencePoolChart, rendersAlphaPool } from '../../src/discover/helmfile-releases';

// The shape of llm-d-infra's quickstart helmfile (quickstart/examples/inference-scheduling/helmfile.yaml at
// llm-d-infra-v1.2.0): a release of GIE's inferencepool chart at v0.5.1 beside two other charts.
const QUICKSTART = [
  'repositories:',
  '  - name: modelservice',
  '    url: https://example.com/charts/',
  '',
  'releases:',
  '  - name: infra',
  '    namespace: llm',
  '    chart: https://example.com/infra/',
  '    version: v1.1.1',
  '',
  '  - name: gaie-scheduling',
  '    namespace: llm',
  '    chart: oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool',
  '    version: v0.5.1',
  '    values:',
  '      - gaie/values.yaml',
  '',
  '  - name: ms',
  '    namespace: llm',
  '    chart: modelservice/modelservice',
  '    version: v0.2.0',
  '',
].join('\n');

describe('alphaChartReleases', () => {
  test('given a helmfile that installs the inferencepool chart at v0.5.1, then that release is found with the line of its chart', () => {
    expect(alphaChartReleases(QUICKSTART)).toEqual([{ name: 'gaie-scheduling', version: 'v0.5.1', line: 13 }]);
  });

  test('given the chart at a GA release or without a version (the newest chart is GA), then nothing is found', () => {
    expect(alphaChartReleases(QUICKSTART.replace('version: v0.5.1', 'version: v1.0.2'))).toEqual([]);
    expect(alphaChartReleases(QUICKSTART.replace('    version: v0.5.1\n', ''))).toEqual([]);
  });

  test('given a templated version, another chart, or a text that is not YAML, then nothing is found', () => {
    expect(alphaChartReleases(QUICKSTART.replace('version: v0.5.1', 'version: {{ .Values.gieVersion }}'))).toEqual([]);
    expect(alphaChartReleases(QUICKSTART.replace('charts/inferencepool', 'charts/other'))).toEqual([]);
    expect(alphaChartReleases('releases: [\n')).toEqual([]);
    expect(alphaChartReleases('releases: not-a-list\n')).toEqual([]);
  });

  test('given the chart from the staging registry in a second document, then it is found there', () => {
    const text = 'releases: []\n---\nreleases:\n- chart: oci://us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/charts/inferencepool\n  version: "0.3.0"\n';
    expect(alphaChartReleases(text)).toEqual([{ name: '(unnamed)', version: '0.3.0', line: 4 }]);
  });
});

describe('helpers', () => {
  test.each([
    ['helmfile.yaml', true], ['helmfile.yaml.gotmpl', true], ['gke.helmfile.yaml', true], ['helmfile.prod.yml', true],
    ['values.yaml', false], ['myhelmfile.yaml', false], ['helmfile.json', false],
  ])('isHelmfileName(%s) is %s', (name, expected) => {
    expect(isHelmfileName(name)).toBe(expected);
  });

  test.each([
    ['v0.3.0', true], ['0.5.1', true], ['v0.5.0-rc.1', true], ['v1.0.0', false], ['v10.0.0', false], ['', false], ['latest', false],
  ])('rendersAlphaPool(%s) is %s', (version, expected) => {
    expect(rendersAlphaPool(version)).toBe(expected);
  });

  test('the chart is recognized by its path in either registry, not by a look-alike name', () => {
    expect(isGieInferencePoolChart('oci://registry.k8s.io/gateway-api-inference-extension/charts/inferencepool')).toBe(true);
    expect(isGieInferencePoolChart('../gateway-api-inference-extension/config/charts/inferencepool/')).toBe(false);
    expect(isGieInferencePoolChart('oci://example.com/charts/inferencepool')).toBe(false);
  });
});
