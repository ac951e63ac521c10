/**
 * `inference-migrate verify`: the read-only checks of one stage against a live cluster, for promotion gates (an
 * Argo CD PostSync hook, a Flux health check, a CI job before `promote`). Every check runs through the user's own
 * kubectl (injected here as a runner, so this module spawns nothing and touches no file): the stage's objects are
 * present with the fields its folder sets, every InferencePool its routes send to exists, the route conditions a
 * gateway wrote are true, and the next stage passes a server-side dry run with strict field validation.
 */
import { PlanFile, PlanObjectRef, PlanStage, refText } from './plan-file';
import { UserError } from '../core/errors';

/** What one kubectl run printed. */
export interface KubectlOutput {
  /** Exit status (non-zero: failed; -1: it could not be started). */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with the given arguments (the runner adds --kubeconfig when the user gave one). */
export type KubectlRunner = (args: string[]) => KubectlOutput;

/** The outcome of one check. */
export type CheckOutcome = 'pass' | 'fail' | 'not-run';

/** One check of `verify`. */
export interface ClusterCheck {
  /** What is checked, one sentence. */
  readonly check: string;
  readonly outcome: CheckOutcome;
  /** The kubectl command that checks it by hand. */
  readonly command: string;
  /** Why it failed or was not run ('' when it passed). */
  readonly detail: string;
}

/** The result of `verify` for one stage. */
export interface ClusterVerification {
  readonly migration: string;
  /** Folder of the stage checked. */
  readonly stage: string;
  readonly checks: ClusterCheck[];
  readonly passed: number;
  readonly failed: number;
  readonly notRun: number;
}

/** What `verify` checks a stage with. */
export interface VerifyStageInput {
  readonly plan: PlanFile;
  /** The stage checked: a folder (02-shift-50) or a stage name. */
  readonly stage: string;
  /** The stage's objects as its folder writes them, by `Kind namespace/name`. */
  readonly objects: ReadonlyMap<string, Record<string, unknown>>;
  /** The path kubectl reads the next stage's folder from (`kubectl apply -k <path>`), when there is a next stage. */
  readonly nextStageDir?: string;
  readonly kubectl: KubectlRunner;
}

/** Runs every check of the stage; never throws for what the cluster says (a failed check is an outcome). */
export function verifyStage(input: VerifyStageInput): ClusterVerification {
  const stage = findStage(input.plan, input.stage);
  const checks: ClusterCheck[] = [];
  const live = new Map<string, Record<string, any> | undefined>();
  for (const ref of stage.objects) {
    const got = objectCheck(ref, input.objects.get(refText(ref)), input.kubectl);
    checks.push(got.check);
    live.set(refText(ref), got.live);
  }
  for (const route of stage.routes) {
    checks.push(...routeChecks(route, live.get(refText(route)), input.kubectl));
  }
  const next = input.plan.stages[input.plan.stages.indexOf(stage) + 1];
  checks.push(nextStageCheck(next, input.nextStageDir, input.kubectl));
  const count = (o: CheckOutcome) => checks.filter((c) => c.outcome === o).length;
  return { migration: input.plan.migration, stage: stage.folder, checks, passed: count('pass'), failed: count('fail'), notRun: count('not-run') };
}

function findStage(plan: PlanFile, wanted: string): PlanStage {
  const found = plan.stages.find((s) => s.folder === wanted) ?? plan.stages.find((s) => s.name === wanted);
  if (!found) throw new UserError(`--stage ${wanted} is no stage of the migration ${plan.migration} (stages: ${plan.stages.map((s) => s.folder).join(', ')})`);
  return found;
}

/** kubectl's name for a kind: `kind.version.group` (core kinds by kind alone), never ambiguous between groups. */
export function resourceArg(ref: { readonly apiVersion: string; readonly kind: string }): string {
  const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
  return group === '' ? ref.kind.toLowerCase() : `${ref.kind.toLowerCase()}.${version}.${group}`;
}

function getArgs(ref: PlanObjectRef): string[] {
  return ['get', resourceArg(ref), ref.name, ...(ref.namespace ? ['-n', ref.namespace] : []), '-o', 'json'];
}

function commandText(args: string[]): string {
  return ['kubectl', ...args.map((a) => (/^[A-Za-z0-9_./:=,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`))].join(' ');
}

/** The object exists and holds every field its folder sets (the API server may add defaults, not change them). */
function objectCheck(ref: PlanObjectRef, desired: Record<string, unknown> | undefined, kubectl: KubectlRunner)
  : { check: ClusterCheck; live?: Record<string, any> } {
  const args = getArgs(ref);
  const check = `${refText(ref)} exists${desired ? ' with the fields of its file' : ''}`;
  const out = kubectl(args);
  const fail = (detail: string) => ({ check: { check, outcome: 'fail' as const, command: commandText(args), detail } });
  if (out.status !== 0) return fail(notFound(out) ? 'not found: the stage is not applied (or was pruned)' : firstLine(out.stderr));
  let live: Record<string, any>;
  try {
    live = JSON.parse(out.stdout);
  } catch {
    return fail('kubectl printed no JSON object');
  }
  const diffs = desired ? fieldDifferences(desired, live) : [];
  if (diffs.length > 0) return { ...fail(diffs.slice(0, 3).join('; ') + (diffs.length > 3 ? ` (and ${diffs.length - 3} more)` : '')), live };
  return { check: { check, outcome: 'pass', command: commandText(args), detail: '' }, live };
}

function notFound(out: KubectlOutput): boolean {
  return /\bNotFound\b|not found/i.test(out.stderr);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** Fields of `desired` (metadata's labels and annotations, and everything but status) that live lacks or differs in. */
export function fieldDifferences(desired: Record<string, unknown>, live: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  const walk = (path: string, want: unknown, got: unknown): void => {
    if (Array.isArray(want)) {
      if (!Array.isArray(got) || got.length !== want.length) {
        diffs.push(`${path}: want ${short(want)}, live has ${short(got)}`);
        return;
      }
      want.forEach((w, i) => walk(`${path}[${i}]`, w, got[i]));
      return;
    }
    if (want !== null && typeof want === 'object') {
      if (got === null || typeof got !== 'object' || Array.isArray(got)) {
        diffs.push(`${path}: want an object, live has ${short(got)}`);
        return;
      }
      for (const [k, v] of Object.entries(want)) {
        const empty = v === null || (typeof v === 'object' && Object.keys(v as object).length === 0);
        if (!(k in (got as object))) {
          if (!empty) diffs.push(`${path ? `${path}.` : ''}${k}: missing (want ${short(v)})`);
          continue;
        }
        walk(path ? `${path}.${k}` : k, v, (got as Record<string, unknown>)[k]);
      }
      return;
    }
    if (want !== got) diffs.push(`${path}: want ${short(want)}, live has ${short(got)}`);
  };
  for (const [key, value] of Object.entries(desired)) {
    if (key === 'status' || key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      const meta = value as Record<string, unknown>;
      const liveMeta = (live.metadata ?? {}) as Record<string, unknown>;
      for (const k of ['labels', 'annotations']) if (meta[k] !== undefined) walk(`metadata.${k}`, meta[k], liveMeta[k] ?? {});
      continue;
    }
    walk(key, value, live[key]);
  }
  return diffs;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? 'nothing';
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Each pool the route sends to exists; the conditions a gateway wrote on the route are true. */
function routeChecks(route: PlanStage['routes'][number], liveRoute: Record<string, any> | undefined, kubectl: KubectlRunner): ClusterCheck[] {
  const checks: ClusterCheck[] = [];
  const seen = new Set<string>();
  for (const backend of route.rules.flatMap((r) => r.backends)) {
    if (backend.kind !== 'InferencePool' || seen.has(`${backend.group}/${backend.name}`)) continue;
    seen.add(`${backend.group}/${backend.name}`);
    const version = backend.group === 'inference.networking.x-k8s.io' ? 'v1alpha2' : 'v1';
    const ref = { apiVersion: `${backend.group}/${version}`, kind: 'InferencePool', namespace: route.namespace, name: backend.name };
    const args = getArgs(ref);
    const out = kubectl(args);
    const check = `the InferencePool ${backend.name} (${backend.group}) that ${refText(route)} sends ${backend.weight}% to exists`;
    checks.push(out.status === 0
      ? { check, outcome: 'pass', command: commandText(args), detail: '' }
      : { check, outcome: 'fail', command: commandText(args), detail: notFound(out) ? `not found: ${refText(route)} points at a pool that does not exist, so its requests fail` : firstLine(out.stderr) });
  }
  checks.push(routeConditionCheck(route, liveRoute));
  return checks;
}

function routeConditionCheck(route: PlanObjectRef, liveRoute: Record<string, any> | undefined): ClusterCheck {
  const args = ['get', resourceArg(route), route.name, '-n', route.namespace ?? 'default', '-o',
    'jsonpath={range .status.parents[*]}{.parentRef.name}{" Accepted="}{.conditions[?(@.type=="Accepted")].status}{" ResolvedRefs="}{.conditions[?(@.type=="ResolvedRefs")].status}{"\\n"}{end}'];
  const check = `every gateway accepted ${refText(route)} and resolved its backends (Accepted=True, ResolvedRefs=True)`;
  const parents: any[] = Array.isArray(liveRoute?.status?.parents) ? liveRoute!.status.parents : [];
  if (parents.length === 0) {
    return { check, outcome: 'not-run', command: commandText(args), detail: liveRoute ? 'no gateway has written the route\'s status yet (or no gateway controller runs)' : 'the route is not there' };
  }
  const bad: string[] = [];
  for (const p of parents) {
    for (const type of ['Accepted', 'ResolvedRefs']) {
      const c = (Array.isArray(p.conditions) ? p.conditions : []).find((x: any) => x?.type === type);
      if (c?.status !== 'True') bad.push(`${p.parentRef?.name ?? '?'}: ${type}=${c?.status ?? 'absent'}${c?.reason ? ` (${c.reason})` : ''}`);
    }
  }
  return bad.length === 0
    ? { check, outcome: 'pass', command: commandText(args), detail: '' }
    : { check, outcome: 'fail', command: commandText(args), detail: bad.join('; ') };
}

/** The next stage's folder passes a server-side dry run with strict field validation. */
function nextStageCheck(next: PlanStage | undefined, dir: string | undefined, kubectl: KubectlRunner): ClusterCheck {
  if (!next || dir === undefined) {
    return { check: 'the next stage applies', outcome: 'not-run', command: '', detail: 'this is the last stage' };
  }
  const args = ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--force-conflicts', '--field-manager=inference-migrate-verify', '-k', dir];
  const check = `the next stage ${next.folder} passes a server-side dry run with strict field validation`;
  const out = kubectl(args);
  if (out.status === 0) return { check, outcome: 'pass', command: commandText(args), detail: '' };
  const needsCrds = /no matches for kind|ensure CRDs are installed first/i.test(out.stderr);
  if (needsCrds && next.manualSteps.some((s) => s.timing === 'before-sync')) {
    return { check, outcome: 'not-run', command: commandText(args), detail: `its kinds are not served yet: do the steps its README lists before the sync (${firstLine(next.manualSteps.find((s) => s.timing === 'before-sync')!.text)})` };
  }
  return { check, outcome: 'fail', command: commandText(args), detail: firstLine(out.stderr) };
}

/**
 * The stage the cluster is at: the last one whose objects all exist and whose routes send to exactly its
 * backends (group, name and weight; several stages share their objects and differ only there). Throws when no
 * stage matches: nothing of the migration is applied yet, or the cluster drifted from every stage.
 */
export function activeStage(plan: PlanFile, kubectl: KubectlRunner): string {
  const cache = new Map<string, Record<string, any> | undefined>();
  const get = (ref: PlanObjectRef) => {
    const key = `${ref.apiVersion} ${refText(ref)}`;
    if (!cache.has(key)) {
      const out = kubectl(getArgs(ref));
      let live: Record<string, any> | undefined;
      try {
        live = out.status === 0 ? JSON.parse(out.stdout) : undefined;
      } catch {
        live = undefined;
      }
      cache.set(key, live);
    }
    return cache.get(key);
  };
  for (const stage of [...plan.stages].reverse()) {
    const routesMatch = stage.routes.every((r) => sameBackends(r, get(r)));
    if (routesMatch && stage.objects.every((o) => get(o) !== undefined)) return stage.folder;
  }
  throw new UserError(`no stage of the migration ${plan.migration} matches the cluster (no stage has all its objects there with its route weights): ` +
    `apply the first stage (${plan.stages[0].folder}), or name the stage to check with --stage`);
}

function sameBackends(route: PlanStage['routes'][number], live: Record<string, any> | undefined): boolean {
  if (!live) return false;
  const key = (b: { group?: string; name?: string; weight?: number }) => `${b.group ?? ''}/${b.name}/${b.weight ?? 1}`;
  const want = route.rules.map((r) => r.backends.map(key).sort().join(','));
  const rules: any[] = Array.isArray(live.spec?.rules) ? live.spec.rules : [];
  const got = rules.map((r) => (Array.isArray(r.backendRefs) ? r.backendRefs : []).map(key).sort().join(','));
  return want.length === got.length && want.every((w, i) => w === got[i]);
}
