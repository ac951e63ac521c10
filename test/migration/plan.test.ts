import { MigrationStrategy } from '../../src';
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
