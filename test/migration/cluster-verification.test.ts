// verify's checks with a kubectl stand-in; the real kubectl against a real API server runs them in
// test/cluster/e2e/verify_test.go.
import { activeStage, fieldDifferences, KubectlOutput, resourceArg, verifyStage } from '../../src/migration/cluster-verification';
import { parsePlanFile } from '../../src/migration/plan-file';

const pool = { apiVersion: 'inference.networking.k8s.io/v1', kind: 'InferencePool', namespace: 'llm', name: 'pool-ga', file: 'inferencepool-pool-ga.yaml' };
const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', namespace: 'llm', name: 'route', file: 'httproute-route.yaml' };
const stage = (folder: string, weights: Array<[string, string, number]>) => ({
  folder,
  name: folder.slice(3),
  objects: [pool, route],
  manualSteps: [],
  verifications: [],
  routes: [{ ...route, rules: [{ backends: weights.map(([group, name, weight]) => ({ group, kind: 'InferencePool', name, weight })) }] }],
});
const ALPHA = 'inference.networking.x-k8s.io';
const GA = 'inference.networking.k8s.io';
const plan = parsePlanFile(JSON.stringify({
  migration: 'm',
  stages: [stage('01-side-by-side', [[ALPHA, 'pool-alpha', 100]]), stage('02-finalize', [[GA, 'pool-ga', 100]])],
}), 'plan.json');

const routeObject = (group: string, name: string) => ({
  apiVersion: route.apiVersion,
  kind: 'HTTPRoute',
  metadata: { name: 'route', namespace: 'llm' },
  spec: { rules: [{ backendRefs: [{ group, kind: 'InferencePool', name, weight: 100 }] }] },
});
const poolObject = { apiVersion: pool.apiVersion, kind: 'InferencePool', metadata: { name: 'pool-ga', namespace: 'llm' }, spec: { selector: { matchLabels: { app: 'vllm' } } } };

/** A cluster of objects by `resource name`, answering `kubectl get <resource> <name> ... -o json` and `apply`. */
function fakeKubectl(objects: Record<string, object>, applyStatus = 0) {
  const calls: string[][] = [];
  const run = (args: string[]): KubectlOutput => {
    calls.push(args);
    if (args[0] === 'apply') return { status: applyStatus, stdout: '', stderr: applyStatus === 0 ? '' : 'error: some field is wrong' };
    const found = objects[`${args[1]} ${args[2]}`];
    return found ? { status: 0, stdout: JSON.stringify(found), stderr: '' } : { status: 1, stdout: '', stderr: `Error from server (NotFound): ${args[1]} "${args[2]}" not found` };
  };
  return { run, calls };
}

describe('verify', () => {
  test('given a stage whose objects and pools exist, then its checks pass, the route conditions are not run and the next stage is dry-run', () => {
    const kubectl = fakeKubectl({
      'inferencepool.v1.inference.networking.k8s.io pool-ga': poolObject,
      'httproute.v1.gateway.networking.k8s.io route': routeObject(ALPHA, 'pool-alpha'),
      'inferencepool.v1alpha2.inference.networking.x-k8s.io pool-alpha': {},
    });
    const objects = new Map<string, Record<string, unknown>>([['InferencePool llm/pool-ga', poolObject], ['HTTPRoute llm/route', routeObject(ALPHA, 'pool-alpha')]]);
    const r = verifyStage({ plan, stage: '01-side-by-side', objects, kubectl: kubectl.run, nextStageDir: 'm/02-finalize' });
    expect(r.checks.map((c) => c.outcome)).toEqual(['pass', 'pass', 'pass', 'not-run', 'pass']);
    expect(r.failed).toBe(0);
    expect(kubectl.calls[kubectl.calls.length - 1]).toEqual(['apply', '--server-side', '--dry-run=server', '--validate=strict', '--force-conflicts', '--field-manager=inference-migrate-verify', '-k', 'm/02-finalize']);
  });

  test('given a route that points at a missing pool, then that check fails and says so', () => {
    const kubectl = fakeKubectl({
      'inferencepool.v1.inference.networking.k8s.io pool-ga': poolObject,
      'httproute.v1.gateway.networking.k8s.io route': routeObject(ALPHA, 'pool-alpha'),
    });
    const r = verifyStage({ plan, stage: '01-side-by-side', objects: new Map(), kubectl: kubectl.run });
    const failed = r.checks.filter((c) => c.outcome === 'fail');
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toBe('not found: HTTPRoute llm/route points at a pool that does not exist, so its requests fail');
    expect(failed[0].command).toBe('kubectl get inferencepool.v1alpha2.inference.networking.x-k8s.io pool-alpha -n llm -o json');
  });

  test('given a live object that lacks a field of its file, then the check names the field', () => {
    const live = { ...poolObject, spec: { selector: { matchLabels: { app: 'other' } } } };
    expect(fieldDifferences(poolObject, live)).toEqual(['spec.selector.matchLabels.app: want "vllm", live has "other"']);
    expect(fieldDifferences({ ...poolObject, metadata: { name: 'x', labels: { a: 'b' } } }, { ...poolObject, metadata: { labels: { a: 'b', added: 'by-flux' } } })).toEqual([]);
  });

  test('given the cluster at the first stage, then the active stage is the first; with the route moved, the second', () => {
    const at = (group: string, name: string) => fakeKubectl({
      'inferencepool.v1.inference.networking.k8s.io pool-ga': poolObject,
      'httproute.v1.gateway.networking.k8s.io route': routeObject(group, name),
    }).run;
    expect(activeStage(plan, at(ALPHA, 'pool-alpha'))).toBe('01-side-by-side');
    expect(activeStage(plan, at(GA, 'pool-ga'))).toBe('02-finalize');
    expect(() => activeStage(plan, fakeKubectl({}).run)).toThrow(/no stage of the migration m matches the cluster/);
  });

  test('given kinds of the core group and of API groups, then kubectl names them without ambiguity', () => {
    expect(resourceArg({ apiVersion: 'v1', kind: 'Service' })).toBe('service');
    expect(resourceArg({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferencePool' })).toBe('inferencepool.v1alpha2.inference.networking.x-k8s.io');
  });
});
