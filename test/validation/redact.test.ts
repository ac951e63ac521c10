import { isSecretField, redactCredentials, redactValue, scrubSecrets, secretValues, showField } from '../../src/validation/redact';

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

describe('credentials by name and by shape', () => {
  test('given route filter headers, then the values of Authorization, Cookie, X-Api-Key and token/auth/secret/password headers are redacted, the rest shown', () => {
    const modifier = {
      set: [{ name: 'Authorization', value: 'Bearer abc' }, { name: 'Cookie', value: 'session=1' }, { name: 'X-Api-Key', value: 'k1' }, { name: 'X-Tenant', value: 'blue' }],
      add: [{ name: 'X-Auth-Token', value: 't1' }, { name: 'X-Db-Password', value: 'p1' }],
    };
    expect(redactValue('HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier', modifier)).toEqual({
      set: [{ name: 'Authorization', value: '<redacted>' }, { name: 'Cookie', value: '<redacted>' }, { name: 'X-Api-Key', value: '<redacted>' }, { name: 'X-Tenant', value: 'blue' }],
      add: [{ name: 'X-Auth-Token', value: '<redacted>' }, { name: 'X-Db-Password', value: '<redacted>' }],
    });
    expect(isSecretField('HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier.set[Authorization].value')).toBe(true);
    expect(isSecretField('HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier.set[X-Tenant].value')).toBe(false);
    expect([...secretValues('HTTPRoute', '', { spec: { rules: [{ filters: [{ requestHeaderModifier: modifier }] }] } })].sort()).toEqual(['Bearer abc', 'k1', 'p1', 'session=1', 't1']);
  });

  test.each([
    ['https://admin:hunter2@models.example.com/v1', 'https://<redacted>@models.example.com/v1'],
    ['git clone https://ghp_0123456789@github.com/x/y', 'git clone https://<redacted>@github.com/x/y'],
    ['Authorization: Bearer eyJhbGciOi.abc-def_ghi', 'Authorization: Bearer <redacted>'],
    ['Basic dXNlcjpwYXNz', 'Basic <redacted>'],
    ['a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nb', 'a\n<redacted>\nb'],
    ['https://models.example.com/v1 and mailto:someone@example.com', 'https://models.example.com/v1 and mailto:someone@example.com'],
  ])('given %j in any field, then it is shown as %j', (text, shown) => {
    expect(redactCredentials(text)).toBe(shown);
    expect(redactValue('ConfigMap', 'data.notes', text)).toBe(shown);
  });
});
