import { Testing } from 'cdk8s';
import {
  EndpointPicker,
  GkePoolPolicies,
  InferenceObjective,
  InferencePoolAlpha,
  InferencePoolGa,
  KServeGatewayApiMigration,
  KServeIngressGateway,
  LlamaStackDistribution,
  MigrationStage,
  SimpleMigration,
  WeightedInferenceRoute,
  ZeroDowntimeMigration,
} from '../../src';
import { newChart } from '../util';

// JavaScript callers can pass `undefined` (or nothing) as props: every construct answers with a prop error that
// names the construct path and a prop, never with a TypeError from reading a field of undefined.
describe('constructs given undefined props', () => {
  const constructs: Array<[string, (scope: any) => unknown, RegExp]> = [
    ['ZeroDowntimeMigration', (s) => new ZeroDowntimeMigration(s, 'z', undefined as any), /^z: 'alphaPool' must give the alpha pool/],
    ['SimpleMigration', (s) => new SimpleMigration(s, 'z', undefined as any), /^z: 'alphaPool' must give the alpha pool/],
    ['KServeGatewayApiMigration', (s) => new KServeGatewayApiMigration(s, 'z', undefined as any), /^z: 'existingConfigMap' or 'ingressConfig' is required/],
    ['InferencePoolGa', (s) => new InferencePoolGa(s, 'z', undefined as any), /^test\/z: '\w+'/],
    ['InferencePoolAlpha', (s) => new InferencePoolAlpha(s, 'z', undefined as any), /^test\/z: 'manifests' or 'existing' must be set/],
    ['EndpointPicker', (s) => new EndpointPicker(s, 'z', undefined as any), /^test\/z: 'poolName' must be a DNS-1123 subdomain/],
    ['InferenceObjective', (s) => new InferenceObjective(s, 'z', undefined as any), /^test\/z: 'pool' must be/],
    ['WeightedInferenceRoute', (s) => new WeightedInferenceRoute(s, 'z', undefined as any), /^test\/z: 'parentRefs' must list/],
    ['GkePoolPolicies', (s) => new GkePoolPolicies(s, 'z', undefined as any), /^test\/z: 'poolName' must be a DNS-1123 subdomain/],
    ['MigrationStage', (s) => new MigrationStage(s, 'z', undefined as any), /^z: 'ordinal' must be an integer/],
    ['LlamaStackDistribution', (s) => new LlamaStackDistribution(s, 'z', undefined as any), /^test\/z: '\w+'/],
  ];

  test.each(constructs)('%s: a prop error, not a TypeError', (_name, build, message) => {
    const scope = /Migration|Stage/.test(_name) ? Testing.app() : newChart();
    let error: unknown;
    try {
      build(scope);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  test('KServeIngressGateway: undefined props are its defaults', () => {
    expect(() => new KServeIngressGateway(newChart(), 'z', undefined as any)).not.toThrow();
  });

  test('props that are not an object are refused', () => {
    expect(() => new InferencePoolGa(newChart(), 'z', 'pool' as any)).toThrow(/^test\/z: props must be an object \(got "pool"\)/);
  });
});
