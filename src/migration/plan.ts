/**
 * Stage planning: which objects and which traffic split each stage holds. Pure functions on plain data;
 * the migration constructs turn a plan into charts.
 */
import { MigrationStrategy } from './migration-strategy';

/** The route of a stage: where its traffic goes. */
export type RouteState =
  | { readonly kind: 'alpha-only' }
  | { readonly kind: 'split'; readonly gaPercent: number }
  | { readonly kind: 'preview' }
  | { readonly kind: 'ga-only' }
  | { readonly kind: 'none' }
  /** Parallel gateways: the routes unchanged on the old gateway (alpha), a copy to the GA pool on the new one. */
  | { readonly kind: 'parallel' }
  /** Parallel gateways after cleanup: only the copy on the new gateway (GA); the old routes keep their other rules. */
  | { readonly kind: 'parallel-ga' };

/** One planned stage. */
export interface PlannedStage {
  readonly ordinal: number;
  readonly name: string;
  /** The alpha stack (pool, EPP, InferenceModels) is present. */
  readonly alphaStack: boolean;
  /** The GA stack (pool, EPP, objectives) is present. */
  readonly gaStack: boolean;
  readonly route: RouteState;
  /** Share of the route's ordinary traffic the GA pool receives, in percent. */
  readonly gaShare: number;
  /** One sentence: what the stage does. */
  readonly purpose: string;
}

/**
 * The folder name of a stage: its ordinal, zero-padded to the digits of the stage count (at least two, so
 * folders sort in stage order), and its name.
 */
export function stageFolder(ordinal: number, name: string, stageCount: number = 99): string {
  return `${String(ordinal).padStart(Math.max(2, String(stageCount).length), '0')}-${name}`;
}

/** Returns why `steps` are not valid weight steps, or undefined. */
export function checkSteps(steps: unknown): string | undefined {
  if (!Array.isArray(steps) || steps.length === 0) {
    return `must be a non-empty list of increasing integers in 1..99 (got ${JSON.stringify(steps)})`;
  }
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 99) {
      return `must hold integers in 1..99: steps[${i}] is ${JSON.stringify(s)}`;
    }
    if (i > 0 && s <= steps[i - 1]) {
      return `must increase: steps[${i}] (${s}) is not above steps[${i - 1}] (${steps[i - 1]}), and the GA weight may never decrease`;
    }
  }
  return undefined;
}

/** The stages of the zero-downtime path. */
export function planZeroDowntime(steps: number[], strategy: MigrationStrategy): PlannedStage[] {
  const problem = checkSteps(steps);
  if (problem) throw new Error(`steps ${problem}`);
  if (strategy === MigrationStrategy.PARALLEL_GATEWAY) return planParallel();
  const cutover: Omit<PlannedStage, 'ordinal'> = {
    name: 'cutover',
    alphaStack: true,
    gaStack: true,
    route: { kind: 'ga-only' },
    gaShare: 100,
    purpose: 'All traffic moves to the GA pool at once; the alpha stack keeps running so a rollback is one re-apply.',
  };
  const middle: Array<Omit<PlannedStage, 'ordinal'>> = strategy === MigrationStrategy.CUTOVER ? [cutover] : strategy === MigrationStrategy.HEADER_PREVIEW_CUTOVER
    ? [
      {
        name: 'preview',
        alphaStack: true,
        gaStack: true,
        route: { kind: 'preview' },
        gaShare: 0,
        purpose: 'Requests that carry the preview header go to the GA pool, for testing; all other traffic stays on the alpha pool.',
      },
      cutover,
    ]
    : [
      ...steps.map((w) => ({
        name: `shift-${w}`,
        alphaStack: true,
        gaStack: true,
        route: { kind: 'split', gaPercent: w } as RouteState,
        gaShare: w,
        purpose: `The route splits traffic: ${100 - w}% to the alpha pool, ${w}% to the GA pool.`,
      })),
      {
        name: 'finalize',
        alphaStack: true,
        gaStack: true,
        route: { kind: 'ga-only' },
        gaShare: 100,
        purpose: 'The route\'s only backend is the GA pool (weight 100); the alpha stack keeps running so a rollback is one re-apply.',
      },
    ];
  const all: Array<Omit<PlannedStage, 'ordinal'>> = [
    {
      name: 'side-by-side',
      alphaStack: true,
      gaStack: true,
      route: { kind: 'alpha-only' },
      gaShare: 0,
      purpose: 'The GA pool, its Endpoint Picker and the InferenceObjectives are added beside the alpha stack, selecting the same model-server pods; the route is unchanged and sends 100% to the alpha pool.',
    },
    ...middle,
    {
      name: 'cleanup',
      alphaStack: false,
      gaStack: true,
      route: { kind: 'ga-only' },
      gaShare: 100,
      purpose: 'The alpha pool, its Endpoint Picker and its InferenceModels are removed; only the GA stack remains.',
    },
  ];
  return all.map((s, i) => ({ ...s, ordinal: i + 1 }));
}

/** The stages of the parallel-gateway strategy: side by side behind two gateways, clients move, cleanup. */
function planParallel(): PlannedStage[] {
  const stages: Array<Omit<PlannedStage, 'ordinal'>> = [
    {
      name: 'side-by-side',
      alphaStack: true,
      gaStack: true,
      route: { kind: 'parallel' },
      gaShare: 0,
      purpose: 'The GA pool, its Endpoint Picker and the InferenceObjectives are added beside the alpha stack, selecting the same model-server pods, with a second Gateway whose copy of the route sends everything to the GA pool; the old Gateway and its route are unchanged and still carry all client traffic.',
    },
    {
      name: 'move-clients',
      alphaStack: true,
      gaStack: true,
      route: { kind: 'parallel' },
      gaShare: 100,
      purpose: 'Nothing changes in the cluster: clients move from the old Gateway\'s address to the new one\'s, outside the cluster (DNS or load balancer weights), while both gateways serve.',
    },
    {
      name: 'cleanup',
      alphaStack: false,
      gaStack: true,
      route: { kind: 'parallel-ga' },
      gaShare: 100,
      purpose: 'The alpha pool, its Endpoint Picker, its InferenceModels and the old Gateway\'s route to it are removed; the new Gateway serves the GA pool.',
    },
  ];
  return stages.map((s, i) => ({ ...s, ordinal: i + 1 }));
}

/** The stages of the simple path (with downtime). */
export function planSimple(): PlannedStage[] {
  return [
    {
      ordinal: 1,
      name: 'remove-alpha',
      alphaStack: false,
      gaStack: false,
      route: { kind: 'none' },
      gaShare: 0,
      purpose: 'The alpha pool, its InferenceModels, its Endpoint Picker and the route\'s alpha backendRef are removed. Inference traffic stops until the next stage.',
    },
    {
      ordinal: 2,
      name: 'install-ga',
      alphaStack: false,
      gaStack: true,
      route: { kind: 'ga-only' },
      gaShare: 100,
      purpose: 'The GA pool, its Endpoint Picker, the InferenceObjectives and a route to the GA pool are installed.',
    },
  ];
}

/** Checks the invariants every zero-downtime plan keeps; returns the violations. */
export function planViolations(stages: PlannedStage[]): string[] {
  const problems: string[] = [];
  stages.forEach((s, i) => {
    if (s.ordinal !== i + 1) problems.push(`stage ${s.name} has ordinal ${s.ordinal}, expected ${i + 1}`);
    if (i > 0 && s.gaShare < stages[i - 1].gaShare) {
      problems.push(`stage ${stageFolder(s.ordinal, s.name, stages.length)} lowers the GA share from ${stages[i - 1].gaShare}% to ${s.gaShare}%`);
    }
    const usesAlpha = s.route.kind === 'alpha-only' || s.route.kind === 'split' || s.route.kind === 'preview' || s.route.kind === 'parallel';
    if (usesAlpha && !s.alphaStack) problems.push(`stage ${stageFolder(s.ordinal, s.name, stages.length)} routes to the alpha pool without the alpha stack`);
    const usesGa = s.route.kind === 'split' || s.route.kind === 'preview' || s.route.kind === 'ga-only' || s.route.kind === 'parallel' || s.route.kind === 'parallel-ga';
    if (usesGa && !s.gaStack) problems.push(`stage ${stageFolder(s.ordinal, s.name, stages.length)} routes to the GA pool without the GA stack`);
  });
  return problems;
}
