import { ManifestValidator } from '../../src/validation';
import { compileSchema, normalize } from '../../src/validation/structural';

// Strict field validation, as the API server does it with fieldValidation=Strict (kubectl's default
// --validate=strict): "strict decoding error: unknown field \"spec.replica\"", the path quoted as
// kubernetes-sigs/json internal/golang/encoding/json/kubernetes_patch.go (strictError.Error) writes it.
const validator = new ManifestValidator();

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'default', labels: { app: 'app' }, annotations: { 'example.com/any': 'x' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{
            name: 'app',
            image: 'app:1',
            env: [{ name: 'A', value: 'a' }],
            resources: { limits: { 'cpu': '1', 'nvidia.com/gpu': '1' } },
          }],
        },
      },
    },
  };
}

function unknownFields(objects: any[]): string[] {
  return validator.validate(objects).problems.map((p) => `${p.source} ${p.field}: ${p.message}`);
}

describe('strict field validation of built-in kinds', () => {
  test('given a valid Deployment with labels, annotations and resource maps, then no field is unknown', () => {
    expect(unknownFields([deployment()])).toEqual([]);
  });

  test.each([
    ['a replica count misspelt', (d: any) => { d.spec.replica = d.spec.replicas; delete d.spec.replicas; }, 'spec.replica'],
    ['a container resource for resources', (d: any) => { d.spec.template.spec.containers[0].resource = { limits: { cpu: '1' } }; }, 'spec.template.spec.containers[0].resource'],
    ['a top-level extra field', (d: any) => { d.extra = true; }, 'extra'],
    ['a metadata typo', (d: any) => { d.metadata.lables = { app: 'app' }; }, 'metadata.lables'],
    ['a typo in the pod template metadata', (d: any) => { d.spec.template.metadata.annotation = {}; }, 'spec.template.metadata.annotation'],
    ['an env var field misspelt', (d: any) => { d.spec.template.spec.containers[0].env[0].valu = 'x'; }, 'spec.template.spec.containers[0].env[0].valu'],
  ])('given %s, then it is an unknown field, as kubectl --validate=strict says', (_what, change, field) => {
    const d = deployment();
    change(d);
    expect(unknownFields([d])).toEqual([`unknown-field ${field}: unknown field "${field}"`]);
  });

  test('given a typo in a Service, a ConfigMap and a ClusterRole, then each is reported once, and nothing below it', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetport: 8080 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'any-key': 'x' }, datas: { a: { b: 'c' } } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verb: ['get'] }] },
    ];
    expect(unknownFields(objects)).toEqual([
      'unknown-field spec.ports[0].targetport: unknown field "spec.ports[0].targetport"',
      'unknown-field datas: unknown field "datas"',
      'core rules[0].verbs: required field is missing',
      'unknown-field rules[0].verb: unknown field "rules[0].verb"',
    ]);
  });

  test('given an Istio DestinationRule with a typo, then it is reported', () => {
    const rule = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'epp', namespace: 'default' },
      spec: { host: 'pool-epp', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true }, tsl: {} } },
    };
    expect(unknownFields([rule])).toEqual(['unknown-field spec.trafficPolicy.tsl: unknown field "spec.trafficPolicy.tsl"']);
  });

  test('given fields the generated validators do not read although the schema has them, then they are not reported', () => {
    // PriorityClass.description and a CRD's own schema (description, x-kubernetes-*) are declared fields.
    const objects = [
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, description: 'high' },
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'things.example.com' },
        spec: {
          group: 'example.com',
          names: { kind: 'Thing', plural: 'things' },
          scope: 'Namespaced',
          versions: [{
            name: 'v1',
            served: true,
            storage: true,
            additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'age' }],
            schema: { openAPIV3Schema: { 'type': 'object', 'description': 'a thing', 'x-kubernetes-preserve-unknown-fields': true } },
          }],
        },
      },
    ];
    expect(unknownFields(objects)).toEqual([]);
  });

  test('given status, then it is not checked (a manifest does not set it)', () => {
    const d = { ...deployment(), status: { replicas: 1, anything: true } };
    expect(unknownFields([d])).toEqual([]);
  });
});

describe('strict field validation of custom resources', () => {
  function llsd(spec: any): any {
    return { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'llsd', namespace: 'ai' }, spec };
  }

  test('given a field the CRD does not declare, then it is reported like the API server reports it', () => {
    const problems = validator.validate([llsd({ distribution: { name: 'starter' }, replica: 2 })]).problems;
    expect(problems).toEqual([{ object: 'LlamaStackDistribution ai/llsd', field: 'spec.replica', message: 'unknown field "spec.replica"', source: 'unknown-field' }]);
  });

  test('given a metadata typo on a custom resource, then it is reported', () => {
    const object = llsd({ distribution: { name: 'starter' } });
    object.metadata.annotation = { a: 'b' };
    expect(unknownFields([object])).toEqual(['unknown-field metadata.annotation: unknown field "metadata.annotation"']);
  });

  test('given anything under a field with x-kubernetes-preserve-unknown-fields, then it is kept; beside it, a typo is still reported', () => {
    // llamastack.io_llamastackdistributions.yaml (operator PR 253): providers.<api>[].settings preserves unknown fields.
    const spec = {
      distribution: { name: 'starter' },
      providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1', settings: { max_tokens: 10, nested: { any: ['thing'] } } }] },
    };
    expect(unknownFields([llsd(spec)])).toEqual([]);
    (spec.providers.inference[0] as any).setings = {};
    expect(unknownFields([llsd(spec)])).toEqual(['unknown-field spec.providers.inference[0].setings: unknown field "spec.providers.inference[0].setings"']);
  });
});

describe('pruning of an embedded resource', () => {
  test('given x-kubernetes-embedded-resource, then apiVersion, kind and metadata are implied and the metadata is checked as an ObjectMeta', () => {
    // No pinned CRD embeds a resource, so the schema is written here as the apiextensions docs show one.
    const root = compileSchema({
      type: 'object',
      properties: {
        template: {
          'type': 'object',
          'x-kubernetes-embedded-resource': true,
          'properties': { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
        },
      },
    });
    const unknown: string[] = [];
    const metadata: Array<[string, unknown]> = [];
    normalize({ template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', lables: {} }, spec: { size: 1, sise: 2 }, other: 1 } }, root, '', {
      unknownField: (f) => unknown.push(f),
      defaulted: () => undefined,
      listProblem: () => undefined,
      show: (_f, v) => JSON.stringify(v),
      embeddedMetadata: (f, v) => metadata.push([f, v]),
    });
    expect(unknown).toEqual(['template.other', 'template.spec.sise']);
    expect(metadata).toEqual([['template.metadata', { name: 'x', lables: {} }]]);
  });
});
