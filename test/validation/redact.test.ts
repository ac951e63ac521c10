import { isSecretField, redactValue, scrubSecrets, secretValues, showField } from '../../src/validation/redact';

describe('which fields hold secrets', () => {
  test.each([
    ['Secret', 'data.password', true],
    ['Secret', 'stringData[tls.key]', true],
    ['ConfigMap', 'data.settings', false],
    ['Deployment', 'spec.template.spec.containers[0].env[2].value', true],
    ['Deployment', 'spec.template.spec.containers[0].env[2].valueFrom.configMapKeyRef.name', true],
    ['Deployment', 'spec.template.spec.containers[0].env[2].name', false],
    ['Deployment', 'spec.template.spec.containers[0].env[2]', true],
    ['Deployment', 'spec.template.spec.containers[0].image', false],
    ['Deployment', 'metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]', true],
    ['LlamaStackDistribution', 'spec.storage.kv.password', true],
    ['LlamaStackDistribution', 'spec.providers.inference[0].secretRefs.api_key', true],
    ['Thing', 'spec.auth.bearerToken', true],
    ['Thing', 'spec.credentials.user', true],
    ['HTTPRoute', 'spec.rules[0].backendRefs[0].weight', false],
  ])('%s %s: %p', (kind, field, secret) => {
    expect(isSecretField(kind, field)).toBe(secret);
  });
});

describe('showing values', () => {
  test('given a container, then its env values are redacted and everything else, env names included, is shown', () => {
    const container = { name: 'app', image: 'app:1', env: [{ name: 'A', value: 'hunter2' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] };
    expect(redactValue('Deployment', 'spec.template.spec.containers[0]', container)).toEqual({
      name: 'app', image: 'app:1', env: [{ name: 'A', value: '<redacted>' }, { name: 'B', valueFrom: '<redacted>' }],
    });
    expect(showField('Deployment', 'spec.template.spec.containers[0].env[0].value', 'hunter2')).toBe('<redacted>');
  });

  test('given a value without secrets, then it comes back as it is', () => {
    const spec = { replicas: 2, selector: { matchLabels: { app: 'x' } } };
    expect(redactValue('Deployment', 'spec', spec)).toBe(spec);
  });

  test('given a message that quotes a secret of the object (a CEL messageExpression, say), then the secret is scrubbed', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', data: { password: 'aHVudGVyMg==' }, stringData: { token: 'tok"en\nvalue' } };
    const secrets = secretValues('Secret', '', secret);
    expect([...secrets].sort()).toEqual(['aHVudGVyMg==', 'tok"en\nvalue']);
    expect(scrubSecrets('got aHVudGVyMg== and "tok\\"en\\nvalue"', secrets)).toBe('got <redacted> and "<redacted>"');
  });
});
