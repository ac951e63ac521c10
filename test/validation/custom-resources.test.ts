import { ManifestValidator, ValidationReport } from '../../src/validation';

// Fixtures follow the upstream guides in ../shared/seeds (000: GIE migration, 002: KServe Gateway API).
function gaPool(): any {
  return {
    apiVersion: 'inference.networking.k8s.io/v1',
    kind: 'InferencePool',
    metadata: { name: 'vllm-llama3-8b-instruct-ga', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'vllm-llama3-8b-instruct' } },
      targetPorts: [{ number: 8000 }],
      endpointPickerRef: { name: 'vllm-llama3-8b-instruct-ga-epp', port: { number: 9002 } },
    },
  };
}

function route(spec: any): any {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'llm-route', namespace: 'default' }, spec };
}

const gatewayParent = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway' };
const gaBackend = { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'vllm-llama3-8b-instruct-ga' };

function kserveGateway(labels: Record<string, string> = { 'serving.kserve.io/gateway': 'kserve-ingress-gateway' }): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'kserve-ingress-gateway', namespace: 'kserve' },
    spec: {
      gatewayClassName: 'envoy',
      listeners: [
        { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } },
        {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'my-secret', namespace: 'kserve' }] },
          allowedRoutes: { namespaces: { from: 'All' } },
        },
      ],
      infrastructure: { labels },
    },
  };
}

function fieldsOf(report: ValidationReport): string[] {
  return report.problems.map((p) => `${p.source} ${p.field}`);
}

const validator = new ManifestValidator();

describe('InferencePool v1 (GIE v1.0.2)', () => {
  test('the guide pool passes and the endpoint picker defaults are reported', () => {
    // Given the guide's v1 InferencePool
    // When it is validated
    const report = validator.validate([gaPool()]);
    // Then there is no problem, and the defaults the API server would add are listed
    expect(report.problems).toEqual([]);
    expect(report.objectsChecked).toBe(1);
    expect(report.defaultsApplied).toEqual(expect.arrayContaining([
      { object: 'InferencePool default/vllm-llama3-8b-instruct-ga', field: 'spec.endpointPickerRef.kind', value: '"Service"' },
      { object: 'InferencePool default/vllm-llama3-8b-instruct-ga', field: 'spec.endpointPickerRef.group', value: '""' },
      { object: 'InferencePool default/vllm-llama3-8b-instruct-ga', field: 'spec.endpointPickerRef.failureMode', value: '"FailClose"' },
    ]));
    expect(report.defaultsApplied).toHaveLength(3);
    expect(report.celRulesEvaluated).toBeGreaterThan(0);
  });

  test('writing the defaults out leaves nothing to default', () => {
    // Given the pool with every API default written out
    const pool = gaPool();
    Object.assign(pool.spec.endpointPickerRef, { kind: 'Service', group: '', failureMode: 'FailClose' });
    // When it is validated
    const report = validator.validate([pool]);
    // Then no default is applied
    expect(report.problems).toEqual([]);
    expect(report.defaultsApplied).toEqual([]);
  });

  test('an endpointPickerRef without port fails the CEL rule (kind defaults to Service)', () => {
    // Given a pool whose endpoint picker has no port
    const pool = gaPool();
    delete pool.spec.endpointPickerRef.port;
    // When it is validated
    const report = validator.validate([pool]);
    // Then the CEL rule on endpointPickerRef reports it, after defaulting kind to Service
    expect(report.problems).toEqual([{
      object: 'InferencePool default/vllm-llama3-8b-instruct-ga',
      field: 'spec.endpointPickerRef',
      source: 'cel',
      message: "port is required when kind is 'Service' or unspecified (defaults to 'Service')",
      rule: "self.kind != 'Service' || has(self.port)",
    }]);
  });

  test('two targetPorts exceed maxItems 1 of GIE v1.0.2', () => {
    // Given a pool with two target ports
    const pool = gaPool();
    pool.spec.targetPorts.push({ number: 8001 });
    // When it is validated
    const report = validator.validate([pool]);
    // Then the schema limit is reported on targetPorts
    expect(report.problems).toEqual([
      expect.objectContaining({ source: 'schema', field: 'spec.targetPorts', message: 'must have at most 1 item (got 2)' }),
    ]);
  });

  test('an undeclared field is reported as unknown', () => {
    // Given a pool with a field the CRD does not declare
    const pool = gaPool();
    pool.spec.bogus = true;
    // When it is validated
    const report = validator.validate([pool]);
    // Then it is reported, because the API server would prune it silently
    expect(report.problems).toEqual([
      expect.objectContaining({ source: 'unknown-field', field: 'spec.bogus', message: expect.stringMatching(/^unknown field/) }),
    ]);
  });

  test('an out-of-range port names the range and the actual value', () => {
    // Given a pool with target port 0
    const pool = gaPool();
    pool.spec.targetPorts[0].number = 0;
    // When it is validated
    const report = validator.validate([pool]);
    // Then the message says what is allowed
    expect(report.problems).toEqual([
      expect.objectContaining({ source: 'schema', field: 'spec.targetPorts[0].number', message: 'must be >= 1 (allowed range 1..65535, got 0)' }),
    ]);
  });

  test('an unknown failureMode lists the allowed values', () => {
    // Given a pool with failureMode "Sometimes"
    const pool = gaPool();
    pool.spec.endpointPickerRef.failureMode = 'Sometimes';
    // When it is validated
    const report = validator.validate([pool]);
    // Then the enum is reported
    expect(report.problems).toEqual([
      expect.objectContaining({ source: 'schema', field: 'spec.endpointPickerRef.failureMode', message: 'must be one of "FailOpen", "FailClose" (got "Sometimes")' }),
    ]);
  });

  test('a missing required field is named', () => {
    // Given a pool without selector
    const pool = gaPool();
    delete pool.spec.selector;
    // When it is validated
    const report = validator.validate([pool]);
    // Then the missing field is the problem's field
    expect(report.problems).toEqual([expect.objectContaining({ source: 'schema', field: 'spec.selector', message: 'required field is missing' })]);
  });

  test('a version the bundles do not define is an unknown kind', () => {
    // Given an InferencePool of a version no selected CRD defines
    const pool = { ...gaPool(), apiVersion: 'inference.networking.k8s.io/v9' };
    // When it is validated
    const report = validator.validate([pool]);
    // Then it is reported, not passed
    expect(report.problems).toEqual([
      expect.objectContaining({ source: 'unknown-kind', message: 'the selected crd bundles define InferencePool in group inference.networking.k8s.io, but not version v9' }),
    ]);
  });
});

describe('InferenceObjective v1alpha2 (GIE v1.0.2)', () => {
  test('the guide objective passes', () => {
    // Given the guide's food-review objective (no namespace: it is namespaced, so that is fine)
    const objective = {
      apiVersion: 'inference.networking.x-k8s.io/v1alpha2',
      kind: 'InferenceObjective',
      metadata: { name: 'food-review' },
      spec: { priority: 1, poolRef: { group: 'inference.networking.k8s.io', name: 'vllm-llama3-8b-instruct-ga' } },
    };
    // When it is validated
    const report = validator.validate([objective]);
    // Then there is no problem
    expect(report.problems).toEqual([]);
  });
});

describe('HTTPRoute (Gateway API v1.3.0)', () => {
  test('a weight above 1000000 is caught with the allowed range', () => {
    // Given a route whose backend weight is 2000000
    const r = route({ parentRefs: [gatewayParent], rules: [{ backendRefs: [{ ...gaBackend, weight: 1 }, { ...gaBackend, name: 'other', weight: 2000000 }] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then the schema maximum is reported with the range and the value
    expect(report.problems).toEqual([{
      object: 'HTTPRoute default/llm-route',
      field: 'spec.rules[0].backendRefs[1].weight',
      source: 'schema',
      message: 'must be <= 1000000 (allowed range 0..1000000, got 2000000)',
    }]);
  });

  test('the API defaults of a minimal route are reported', () => {
    // Given a minimal route to an InferencePool
    const r = route({ parentRefs: [{ name: 'inference-gateway' }], rules: [{ backendRefs: [gaBackend] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then it passes, and every default the API server would add is listed
    expect(report.problems).toEqual([]);
    const defaults = Object.fromEntries(report.defaultsApplied.map((d) => [d.field, JSON.parse(d.value)]));
    expect(defaults).toEqual({
      'spec.parentRefs[0].group': 'gateway.networking.k8s.io',
      'spec.parentRefs[0].kind': 'Gateway',
      'spec.rules[0].matches': [{ path: { type: 'PathPrefix', value: '/' } }],
      'spec.rules[0].backendRefs[0].weight': 1,
    });
  });

  test('a Service backendRef without port fails the CEL rule', () => {
    // Given a route to a Service without a port
    const r = route({ parentRefs: [gatewayParent], rules: [{ backendRefs: [{ kind: 'Service', name: 'vllm' }] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then the backendRef rule fails (group defaults to "" and kind is Service)
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'cel',
      field: 'spec.rules[0].backendRefs[0]',
      message: 'Must have port for Service reference',
      rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
    })]);
  });

  test('two identical parentRefs without sectionName fail the uniqueness rule (namespace is escaped)', () => {
    // Given two parentRefs to the same Gateway in the same namespace, neither with a sectionName
    const parent = { ...gatewayParent, namespace: 'gateways' };
    const r = route({ parentRefs: [parent, { ...parent }], rules: [{ backendRefs: [gaBackend] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then the rule that reads p1.__namespace__ finds the duplicate
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'cel',
      field: 'spec.parentRefs',
      message: 'sectionName must be unique when parentRefs includes 2 or more references to the same parent',
      rule: expect.stringContaining('p1.__namespace__ == p2.__namespace__'),
    })]);
  });

  test('parentRefs that differ only by namespace are distinct parents', () => {
    // Given two parentRefs to Gateways of the same name in different namespaces
    const r = route({ parentRefs: [{ ...gatewayParent, namespace: 'a' }, { ...gatewayParent, namespace: 'b' }], rules: [{ backendRefs: [gaBackend] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then they pass: CEL sees the namespaces (as __namespace__), so they are not duplicates
    expect(report.problems).toEqual([]);
  });

  test('a path match that does not start with / fails the CEL rule on the match', () => {
    // Given a PathPrefix match without leading slash
    const r = route({ parentRefs: [gatewayParent], rules: [{ matches: [{ path: { type: 'PathPrefix', value: 'v1' } }], backendRefs: [gaBackend] }] });
    // When it is validated
    const report = validator.validate([r]);
    // Then the rule's message names the problem at the path node
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({
      source: 'cel', field: 'spec.rules[0].matches[0].path', message: 'value must be an absolute path and start with \'/\' when type one of [\'Exact\', \'PathPrefix\']',
    })]));
  });
});

describe('Gateway and GatewayClass (Gateway API v1.3.0)', () => {
  test('the KServe guide gateway passes, exercising split() in the infrastructure label rules', () => {
    // Given the guide's Gateway with an infrastructure label
    // When it is validated
    const report = validator.validate([kserveGateway()]);
    // Then it passes, after evaluating the label rules
    expect(report.problems).toEqual([]);
    expect(report.celRulesEvaluated).toBeGreaterThanOrEqual(2);
  });

  test('a label key whose prefix is 253 characters fails the split() rule', () => {
    // Given an infrastructure label key with a 253-character prefix (a valid subdomain shape, but too long)
    const gateway = kserveGateway({ [`${'a'.repeat(253)}/gateway`]: 'x' });
    // When it is validated
    const report = validator.validate([gateway]);
    // Then only the rule using split("/") rejects it
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'cel',
      field: 'spec.infrastructure.labels',
      message: "If specified, the label key's prefix must be a DNS subdomain not longer than 253 characters in total.",
      rule: 'self.all(key, key.split("/")[0].size() < 253)',
    })]);
  });

  test('a 252-character prefix passes the split() rule', () => {
    // Given a label key prefix of 252 characters
    const gateway = kserveGateway({ [`${'a'.repeat(252)}/gateway`]: 'x' });
    // When it is validated
    const report = validator.validate([gateway]);
    // Then it passes
    expect(report.problems).toEqual([]);
  });

  test('a rule that fails to evaluate is a problem, not an exception', () => {
    // Given an HTTPS listener with an empty tls block: the rule reads certificateRefs, which is absent
    const gateway = kserveGateway();
    gateway.spec.listeners[1].tls = {};
    // When it is validated
    const report = validator.validate([gateway]);
    // Then the evaluation error is reported on the tls node
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'cel', field: 'spec.listeners[1].tls', message: expect.stringMatching(/^rule evaluation error: .*certificateRefs/),
    })]);
  });

  test('two listeners with the same name break the list-map key and the CEL uniqueness rule', () => {
    // Given a gateway whose two listeners are both named "http"
    const gateway = kserveGateway();
    gateway.spec.listeners[1].name = 'http';
    // When it is validated
    const report = validator.validate([gateway]);
    // Then both the x-kubernetes-list-map-keys check and the CEL rule report it
    expect(report.problems.map((p) => `${p.source} ${p.field}: ${p.message}`)).toEqual([
      'schema spec.listeners[1]: duplicate entry with name="http": entries must be unique by name',
      'cel spec.listeners: Listener name must be unique within the Gateway',
    ]);
  });

  test('the GatewayClass controllerName transition rule is skipped and counted', () => {
    // Given the KServe guide's GatewayClass
    const gatewayClass = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'envoy' },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    };
    // When it is validated
    const report = validator.validate([gatewayClass]);
    // Then it passes and the oldSelf rule is counted as skipped
    expect(report.problems).toEqual([]);
    expect(report.celRulesSkipped).toBe(1);
  });

  test('a namespace on the cluster-scoped GatewayClass is reported', () => {
    // Given a GatewayClass with a namespace
    const gatewayClass = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'envoy', namespace: 'default' },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    };
    // When it is validated
    const report = validator.validate([gatewayClass]);
    // Then the namespace is a metadata problem
    expect(fieldsOf(report)).toEqual(['metadata metadata.namespace']);
    expect(report.problems[0].message).toBe('must not be set: GatewayClass is cluster-scoped (got "default")');
  });

  test('the Gateway API v1.2.1 bundle validates the KServe guide gateway', () => {
    // Given a validator with only the Gateway API v1.2.1 CRDs (the version the KServe guide installs)
    const kserve = new ManifestValidator({ crdBundles: ['gateway-api-v1.2.1'] });
    // When the guide's Gateway with http and https listeners is validated
    const report = kserve.validate([kserveGateway()]);
    // Then it passes; the certificateRef group default is reported
    expect(report.problems).toEqual([]);
    expect(report.defaultsApplied).toEqual([
      { object: 'Gateway kserve/kserve-ingress-gateway', field: 'spec.listeners[1].tls.certificateRefs[0].group', value: '""' },
    ]);
  });
});

describe('KServe and LlamaStack CRDs', () => {
  test('the KServe guide InferenceService sklearn-v2-iris passes', () => {
    // Given the InferenceService from the KServe guide
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'sklearn-v2-iris' },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model' } } },
    };
    // When it is validated
    const report = validator.validate([isvc]);
    // Then there is no problem
    expect(report.problems).toEqual([]);
  });

  test('the KServe migration bundles accept the InferenceService too', () => {
    // Given the KServe migration's bundle set
    const kserve = new ManifestValidator({ crdBundles: ['gateway-api-v1.2.1', 'kserve-v0.15.1'] });
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'sklearn-v2-iris' },
      spec: { predictor: { model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model' } } },
    };
    // When the guide's Gateway and InferenceService are validated
    const report = kserve.validate([kserveGateway(), isvc]);
    // Then both pass
    expect(report.problems).toEqual([]);
    expect(report.objectsChecked).toBe(2);
  });

  test('a wrong type deep in the KServe pod spec names the field', () => {
    // Given an InferenceService whose predictor container port is a string
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'bad', namespace: 'models' },
      spec: { predictor: { containers: [{ name: 'kserve-container', image: 'x', ports: [{ containerPort: 'http' }] }] } },
    };
    // When it is validated
    const report = validator.validate([isvc]);
    // Then the schema error points at the port
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'schema', field: 'spec.predictor.containers[0].ports[0].containerPort', message: 'must be integer (got string "http")',
    })]);
  });

  function distribution(spec: any): any {
    return { apiVersion: 'llamastack.io/v1alpha2', kind: 'LlamaStackDistribution', metadata: { name: 'llama', namespace: 'ai' }, spec };
  }

  test('a v1alpha2 LlamaStackDistribution with providers passes', () => {
    // Given a typed v1alpha2 distribution
    const lsd = distribution({ distribution: { name: 'starter' }, providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1' }] } });
    // When it is validated
    const report = validator.validate([lsd]);
    // Then it passes
    expect(report.problems).toEqual([]);
  });

  test('overrideConfig together with providers fails the CEL rule', () => {
    // Given a distribution that sets both overrideConfig and providers
    const lsd = distribution({
      distribution: { name: 'starter' },
      overrideConfig: { configMapName: 'llama-config' },
      providers: { inference: [{ provider: 'vllm', endpoint: 'http://vllm:8000/v1' }] },
    });
    // When it is validated
    const report = validator.validate([lsd]);
    // Then the mutual-exclusion rule on spec fails
    expect(report.problems).toEqual([expect.objectContaining({
      source: 'cel', field: 'spec', message: 'overrideConfig and providers are mutually exclusive', rule: '!has(self.overrideConfig) || !has(self.providers)',
    })]);
  });
});
