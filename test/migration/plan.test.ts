import { MigrationStrategy, GatewayCapabilities } from '../../src';
import { GatewayImplementation } from '../../src/migration/gateway-implementation';
import { checkSteps, planSimple, planViolations, planZeroDowntime, stageFolder } from '../../src/migration/plan';

describe('stage planning', () => {
  test('given the default step, then the zero-downtime plan has four stages and the GA share only grows', () => {
    const plan = planZeroDowntime([50], MigrationStrategy.WEIGHTED_SHIFT);
    expect(plan.map((s) => stageFolder(s.ordinal, s.name))).toEqual(['01-side-by-side', '02-shift-50', '03-finalize', '04-cleanup']);
    expect(plan.map((s) => s.gaShare)).toEqual([0, 50, 100, 100]);
    expect(plan.map((s) => s.alphaStack)).toEqual([true, true, true, false]);
    expect(planViolations(plan)).toEqual([]);
  });

  test('given steps 10 and 50, then the DESIGN example numbering holds', () => {
    const plan = planZeroDowntime([10, 50], MigrationStrategy.WEIGHTED_SHIFT);
    expect(plan.map((s) => stageFolder(s.ordinal, s.name))).toEqual(['01-side-by-side', '02-shift-10', '03-shift-50', '04-finalize', '05-cleanup']);
  });

  test('given header-preview-cutover, then no stage splits a rule and the GA share jumps from 0 to 100', () => {
    const plan = planZeroDowntime([50], MigrationStrategy.HEADER_PREVIEW_CUTOVER);
    expect(plan.map((s) => s.name)).toEqual(['side-by-side', 'preview', 'cutover', 'cleanup']);
    expect(plan.map((s) => s.route.kind)).toEqual(['alpha-only', 'preview', 'ga-only', 'ga-only']);
    expect(planViolations(plan)).toEqual([]);
  });

  test('given the simple path, then alpha goes first and GA comes after', () => {
    expect(planSimple().map((s) => [s.name, s.alphaStack, s.gaStack, s.route.kind])).toEqual([
      ['remove-alpha', false, false, 'none'],
      ['install-ga', false, true, 'ga-only'],
    ]);
  });

  test('given a plan that lowers the GA share or routes to a missing stack, then the violations are named', () => {
    const plan = planZeroDowntime([50], MigrationStrategy.WEIGHTED_SHIFT);
    const broken = [plan[0], { ...plan[2], ordinal: 2 }, { ...plan[1], ordinal: 3, alphaStack: false }];
    expect(planViolations(broken)).toEqual([
      'stage 03-shift-50 lowers the GA share from 100% to 50%',
      'stage 03-shift-50 routes to the alpha pool without the alpha stack',
    ]);
  });

  test.each([
    [[50], undefined],
    [[1, 99], undefined],
    [[50, 50], 'must increase: steps[1] (50) is not above steps[0] (50), and the GA weight may never decrease'],
    [[-5], 'must hold integers in 1..99: steps[0] is -5'],
    ['50', 'must be a non-empty list of increasing integers in 1..99 (got "50")'],
  ])('checkSteps(%p) is %p', (steps, problem) => {
    expect(checkSteps(steps)).toBe(problem);
  });
});

describe('gateway capability table', () => {
  const of = (i: GatewayImplementation, v?: string) => GatewayCapabilities.of(i, v);

  test('every implementation has a row for any version, and every row but generic names a public source', () => {
    const any = GatewayCapabilities.all().filter((c) => c.versions === 'any');
    expect(any.map((c) => c.implementation).sort()).toEqual(Object.values(GatewayImplementation).sort());
    for (const c of GatewayCapabilities.all()) {
      if (c.implementation !== GatewayImplementation.GENERIC) expect(c.sources.length).toBeGreaterThan(0);
    }
  });

  test('the rows follow the public reports', () => {
    expect(of(GatewayImplementation.GKE).weightedAlphaAndGa).toBe('yes');
    expect(of(GatewayImplementation.KGATEWAY).weightedAlphaAndGa).toBe('no');
    expect(of(GatewayImplementation.NGINX_GATEWAY_FABRIC).weightedAlphaAndGa).toBe('no');
    expect(of(GatewayImplementation.ENVOY_AI_GATEWAY).weightedAlphaAndGa).toBe('no');
    expect(of(GatewayImplementation.ENVOY_GATEWAY).alphaBackendRef).toBe('yes');
  });

  // istio/istio#57219, kserve/kserve#5007: 1.27 serves only the alpha group, 1.28+ only v1 (InvalidKind for alpha refs).
  test.each([
    ['1.27.3', 'yes', 'no'],
    ['1.28.0', 'no', 'yes'],
    ['v1.29.1', 'no', 'yes'],
  ])('given Istio %s, then alpha refs are %s and v1 refs %s, and no version serves both groups', (version, alpha, ga) => {
    const cap = of(GatewayImplementation.ISTIO, version);
    expect([cap.alphaBackendRef, cap.gaBackendRef, cap.servesBothGroups, cap.workingStrategy]).toEqual([alpha, ga, 'no', MigrationStrategy.PARALLEL_GATEWAY]);
    expect(cap.version).toBe(version);
  });

  test('given kgateway, then the 503 is reported against v2.0.x and the working strategy is header-preview-cutover', () => {
    expect(of(GatewayImplementation.KGATEWAY, '2.0.4').versions).toBe('2.0.x');
    expect(of(GatewayImplementation.KGATEWAY).workingStrategy).toBe(MigrationStrategy.HEADER_PREVIEW_CUTOVER);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.KGATEWAY, MigrationStrategy.WEIGHTED_SHIFT)).toMatch(/503/);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.KGATEWAY, MigrationStrategy.HEADER_PREVIEW_CUTOVER)).toBeUndefined();
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.ISTIO, MigrationStrategy.HEADER_PREVIEW_CUTOVER)).toMatch(/needs one gateway that serves both/);
    expect(GatewayCapabilities.strategyProblem(GatewayImplementation.ISTIO, MigrationStrategy.CUTOVER)).toBeUndefined();
    expect(() => of(GatewayImplementation.ISTIO, 'latest')).toThrow(/not a version/);
  });
});
