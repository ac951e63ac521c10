import { ManifestValidator } from '../../src/validation';

const validator = new ManifestValidator();

function deployment(replicas: unknown): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'pool-epp', namespace: 'default', labels: { 'app.kubernetes.io/name': 'epp' } },
    spec: {
      replicas,
      strategy: { type: 'Recreate' },
      selector: { matchLabels: { inferencepool: 'pool-epp' } },
      template: {
        metadata: { labels: { inferencepool: 'pool-epp' } },
        spec: {
          containers: [{
            name: 'epp',
            image: 'registry.k8s.io/gateway-api-inference-extension/epp:v1.0.2',
            ports: [{ name: 'grpc', containerPort: 9002 }],
            readinessProbe: { grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 },
          }],
          terminationGracePeriodSeconds: 130,
        },
      },
    },
  };
}

describe('built-in kinds (kubernetes-models)', () => {
  test('valid Deployment, Service, ConfigMap, Role and ClusterRole pass', () => {
    // Given the EPP objects of the chart
    const objects = [
      deployment(1),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'pool-epp', namespace: 'default' },
        spec: { type: 'ClusterIP', selector: { inferencepool: 'pool-epp' }, ports: [{ name: 'grpc-ext-proc', port: 9002, protocol: 'TCP' }] },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pool-epp', namespace: 'default' }, data: { 'default-plugins.yaml': 'kind: EndpointPickerConfig' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'pool-epp', namespace: 'default' },
        rules: [{ apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'pool-default-epp' },
        rules: [{ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] }],
      },
    ];
    // When they are validated
    const report = validator.validate(objects);
    // Then there is no problem
    expect(report.problems).toEqual([]);
    expect(report.objectsChecked).toBe(5);
  });

  test('a Deployment with replicas "two" fails with source core', () => {
    // Given a Deployment whose replicas is a string
    // When it is validated
    const report = validator.validate([deployment('two')]);
    // Then the generated validator reports the field and the type
    expect(report.problems).toEqual([{
      object: 'Deployment default/pool-epp', field: 'spec.replicas', source: 'core', message: 'must be integer (got string "two")',
    }]);
  });

  test('a ClusterRole with a namespace is reported', () => {
    // Given a cluster-scoped ClusterRole that carries a namespace
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'epp', namespace: 'default' }, rules: [] };
    // When it is validated
    const report = validator.validate([role]);
    // Then the namespace is a metadata problem
    expect(report.problems).toEqual([{
      object: 'ClusterRole default/epp', field: 'metadata.namespace', source: 'metadata', message: 'must not be set: ClusterRole is cluster-scoped (got "default")',
    }]);
  });

  test('a Service name must be a DNS-1035 label', () => {
    // Given a Service whose name starts with a digit
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: '9-epp', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
    // When it is validated
    const report = validator.validate([service]);
    // Then the name is reported
    expect(report.problems).toEqual([expect.objectContaining({ source: 'metadata', field: 'metadata.name', message: expect.stringMatching(/^must be a lowercase RFC 1035 label/) })]);
  });
});

describe('GKE and Istio kinds', () => {
  const targetRef = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' };

  test('the chart HealthCheckPolicy and GCPBackendPolicy pass', () => {
    // Given the gke provider's policies
    const objects = [
      {
        apiVersion: 'networking.gke.io/v1',
        kind: 'HealthCheckPolicy',
        metadata: { name: 'vllm-llama3-8b-instruct-ga', namespace: 'default' },
        spec: { targetRef, default: { timeoutSec: 2, checkIntervalSec: 2, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/health', port: 8000 } } } },
      },
      {
        apiVersion: 'networking.gke.io/v1',
        kind: 'GCPBackendPolicy',
        metadata: { name: 'vllm-llama3-8b-instruct-ga', namespace: 'default' },
        spec: { targetRef, default: { timeoutSec: 300, logging: { enabled: true } } },
      },
    ];
    // When they are validated
    const report = validator.validate(objects);
    // Then there is no problem
    expect(report.problems).toEqual([]);
  });

  test('a GCPBackendPolicy with a string timeout fails with source core', () => {
    // Given a policy whose timeoutSec is a string
    const policy = {
      apiVersion: 'networking.gke.io/v1',
      kind: 'GCPBackendPolicy',
      metadata: { name: 'p', namespace: 'default' },
      spec: { targetRef, default: { timeoutSec: '300s' } },
    };
    // When it is validated
    const report = validator.validate([policy]);
    // Then the field is named
    expect(report.problems).toEqual([expect.objectContaining({ source: 'core', field: 'spec.default.timeoutSec', message: 'must be integer (got string "300s")' })]);
  });

  // The GKE kinds are checked with the validators that @kubernetes-models/gke 4.6.2 generated from the CRDs of
  // GoogleCloudPlatform/gke-gateway-api v1.4.0 (config/crd/networking.gke.io_healthcheckpolicies.yaml:
  // checkIntervalSec 1..300, config.type one of TCP/HTTP/HTTPS/HTTP2/GRPC, spec.targetRef required), pinned in
  // imports/crds.lock.json and fetched with the CRDs.
  test.each([
    [{ targetRef, default: { checkIntervalSec: 301 } }, 'spec.default.checkIntervalSec', 'must be <= 300 (got 301)'],
    [{ targetRef, default: { config: { type: 'UDP', httpHealthCheck: { port: 8000 } } } }, 'spec.default.config.type', 'must be one of "TCP", "HTTP", "HTTPS", "HTTP2", "GRPC" (got "UDP")'],
    [{ default: { timeoutSec: 2 } }, 'spec.targetRef', 'required field is missing'],
  ])('a HealthCheckPolicy with spec %j is reported at %s', (spec, field, message) => {
    // Given a policy that breaks one rule of the upstream CRD
    const policy = { apiVersion: 'networking.gke.io/v1', kind: 'HealthCheckPolicy', metadata: { name: 'p', namespace: 'default' }, spec };
    // When it is validated
    const report = validator.validate([policy]);
    // Then the field and the rule are named
    expect(report.problems).toEqual([expect.objectContaining({ source: 'core', field, message })]);
  });

  test('a GKE policy kind of another version is unknown, never passed', () => {
    // Given a HealthCheckPolicy of a version no pinned validator knows
    const policy = { apiVersion: 'networking.gke.io/v2', kind: 'HealthCheckPolicy', metadata: { name: 'p', namespace: 'default' }, spec: { targetRef } };
    // When it is validated
    const report = validator.validate([policy]);
    // Then it is reported as unknown
    expect(report.problems).toEqual([expect.objectContaining({ source: 'unknown-kind' })]);
  });

  test('the istio provider DestinationRule passes', () => {
    // Given the istio provider's DestinationRule for the EPP Service
    const rule = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'vllm-llama3-8b-instruct-ga-epp', namespace: 'default' },
      spec: { host: 'vllm-llama3-8b-instruct-ga-epp.default.svc.cluster.local', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
    };
    // When it is validated
    const report = validator.validate([rule]);
    // Then there is no problem
    expect(report.problems).toEqual([]);
  });

  test('a networking.istio.io/v1 DestinationRule (as upstream GIE v0.5.1 and v1.0.0 ship it) is read and validated, not refused', () => {
    // Given the v1 DestinationRule of GIE v0.5.1's config/manifests/gateway/istio/destination-rule.yaml
    const rule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'epp-insecure-tls', namespace: 'default' },
      spec: { host: 'vllm-llama3-8b-instruct-epp', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } },
    };
    // When it is validated, and again with a typo and a bad enum
    expect(validator.validate([rule]).problems).toEqual([]);
    const bad = validator.validate([{ ...rule, spec: { ...rule.spec, trafficPolicy: { tls: { mode: 'STRICT' }, tsl: {} } } }]);
    // Then the schema (Istio's one schema for v1alpha3, v1beta1 and v1) reports both
    expect(bad.problems.map((p) => [p.source, p.field])).toEqual([['core', 'spec.trafficPolicy.tls.mode'], ['unknown-field', 'spec.trafficPolicy.tsl']]);
  });

  test('a DestinationRule with an unknown tls mode is reported with the allowed values', () => {
    // Given a DestinationRule with tls mode "STRICT" (not an Istio client TLS mode)
    const rule = {
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'DestinationRule',
      metadata: { name: 'epp', namespace: 'default' },
      spec: { host: 'epp', trafficPolicy: { tls: { mode: 'STRICT' } } },
    };
    // When it is validated
    const report = validator.validate([rule]);
    // Then the enum is listed
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'core', field: 'spec.trafficPolicy.tls.mode', message: 'must be one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL" (got "STRICT")',
    })]);
  });
});

describe('unknown kinds and metadata', () => {
  test('an unknown kind with a bad name is reported twice, never passed', () => {
    // Given an object of a kind no schema knows, with an invalid name
    const widget = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Bad_Name' } };
    // When it is validated
    const report = validator.validate([widget]);
    // Then both the name and the unknown kind are reported
    expect(report.problems).toEqual([
      expect.objectContaining({ object: 'Widget Bad_Name', source: 'metadata', field: 'metadata.name', message: expect.stringContaining('RFC 1123 subdomain') }),
      expect.objectContaining({ object: 'Widget Bad_Name', source: 'unknown-kind', field: '', message: expect.stringMatching(/^no schema is known for example.com\/v1 Widget/) }),
    ]);
  });

  test('a built-in group with an unknown kind is unknown', () => {
    // Given a kind that does not exist in apps/v1
    const report = validator.validate([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x', namespace: 'default' } }]);
    // Then it is reported as unknown
    expect(report.problems.map((p) => p.source)).toEqual(['unknown-kind']);
  });

  test('missing apiVersion, kind and name are metadata problems', () => {
    // Given an object without apiVersion, kind or name, and a value that is not an object
    const report = validator.validate([{ metadata: {} }, null as unknown as object]);
    // Then each missing field is reported, and the non-object too
    expect(report.problems.map((p) => `${p.object}|${p.field}|${p.message}`)).toEqual([
      '<no kind> <no name>|apiVersion|required field is missing',
      '<no kind> <no name>|kind|required field is missing',
      '<no kind> <no name>|metadata.name|required field is missing',
      'object #1||must be a JSON object with apiVersion, kind and metadata',
    ]);
  });

  test('bad label keys, label values, annotation keys and namespace are reported', () => {
    // Given a ConfigMap with invalid metadata
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cfg',
        namespace: 'Default',
        labels: { 'example.com/ok': 'yes', 'bad key': 'v', 'app': 'value with spaces', 'long': 'x'.repeat(64) },
        annotations: { '-bad/x': 'v', 'argocd.argoproj.io/sync-wave': '1' },
      },
    };
    // When it is validated
    const report = validator.validate([cm]);
    // Then each one is named
    expect(report.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'metadata.namespace: must be a lowercase RFC 1123 label: lower case alphanumerics and \'-\', starting and ending with an alphanumeric (got "Default")',
      'metadata.labels[bad key]: key name part must consist of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric (got "bad key")',
      'metadata.labels[app]: value must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric (got "value with spaces")',
      'metadata.labels[long]: value must be no more than 63 characters (got 64)',
      'metadata.annotations[-bad/x]: key prefix part must be a lowercase RFC 1123 subdomain: lower case alphanumerics, \'-\' and \'.\', starting and ending with an alphanumeric (got "-bad")',
    ]);
  });
});

describe('rules the API server adds to the built-in schemas', () => {
  // Found by the real-cluster differential (test/cluster/e2e/differential_test.go): the schema leaves image optional.
  test('given a Deployment whose container has no image, then the validator refuses it as the API server does', () => {
    const imageless = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'epp', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'epp' } }, template: { metadata: { labels: { app: 'epp' } }, spec: { containers: [{ name: 'epp' }] } } },
    };
    const problems = new ManifestValidator().validate([imageless]).problems;
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual(['spec.template.spec.containers[0].image: is required: the API server refuses a container without an image']);
    const withImage = { ...imageless, spec: { ...imageless.spec, template: { ...imageless.spec.template, spec: { containers: [{ name: 'epp', image: 'epp:v1' }] } } } };
    expect(new ManifestValidator().validate([withImage]).problems).toEqual([]);
  });
});
