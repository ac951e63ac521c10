import { compareGkeVersions, GKE_MANAGED_CRD_VERSION } from '../../src/migration/crd-sources';

describe('compareGkeVersions', () => {
  test.each([
    ['1.33.5-gke.1000000', -1],
    ['1.34.0-gke.999999', -1], // the build number compares as a number, not as text
    ['1.34.0-gke.1626000', 0],
    ['1.34.0-gke.1626001', 1],
    ['1.34.1-gke.1', 1],
    ['1.34.0', -1], // no -gke part counts as -gke.0
  ])('given %s, then it compares %i with the first version that ships the pool CRD', (version, sign) => {
    expect(Math.sign(compareGkeVersions(version, GKE_MANAGED_CRD_VERSION))).toBe(sign);
  });

  test.each(['1.34', '1.34.0-gke', '1.34.0-gke.x', 'v1.34.0-gke.1', '1.034.0-gke.1'])('given %p, then the error shows the expected form', (version) => {
    expect(() => compareGkeVersions(version, GKE_MANAGED_CRD_VERSION)).toThrow(/'gkeVersion' must look like 1.34.0-gke.1626000/);
  });
});
