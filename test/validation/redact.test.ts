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

describe('redactCredentials: the shapes of credentials inside any text', () => {
  test('given a URL with a user and password and a long scheme, then only the userinfo is replaced', () => {
    expect(redactCredentials('pull from postgresql://admin:s3cr3t@db.internal:5432/x today'))
      .toBe('pull from postgresql://<redacted>@db.internal:5432/x today');
    expect(redactCredentials('see https://example.com/a@b and git+ssh://t0ken@git.example.com/r'))
      .toBe('see https://example.com/a@b and git+ssh://<redacted>@git.example.com/r');
  });

  test('given Authorization schemes, then the token is replaced and the scheme kept; a token under four characters is no token', () => {
    expect(redactCredentials('Authorization: Bearer abcd.efgh-ijk_lm')).toBe('Authorization: Bearer <redacted>');
    expect(redactCredentials('Basic  dXNlcjpwYXNz=')).toBe('Basic  <redacted>');
    expect(redactCredentials('Token abc, Negotiate YIIB/+9=')).toBe('Token abc, Negotiate <redacted>');
  });

  test('given a PEM block, then the whole block goes; an unterminated one goes to the end of the text', () => {
    expect(redactCredentials('key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- tail'))
      .toBe('key: <redacted> tail');
    expect(redactCredentials('cert: -----BEGIN CERTIFICATE-----\nMIIB\nabc')).toBe('cert: <redacted>');
  });
});

describe('isSecretField: which paths are secret, anchored where the rule says', () => {
  test.each([
    // A Secret's data and stringData, whole or by key; its name is not a secret
    ['Secret', 'data', true],
    ['Secret', 'stringData[password]', true],
    ['Secret', 'metadata.name', false],
    // An env var's value, at any depth and at the root of a container given alone; its name is not a secret
    ['Deployment', 'spec.template.spec.containers[vllm].env[HF_HOME].value', true],
    ['Pod', 'env[API_URL].value', true],
    ['Deployment', 'spec.template.spec.containers[vllm].env[HF_HOME].name', false],
    // A header value keyed by a credential's name
    ['HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier.set[Authorization].value', true],
    ['HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier.set[x-model].value', false],
    // kubectl's last-applied copy of the object itself, not an annotation of the same name on a pod template
    ['Deployment', 'metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]', true],
    ['Deployment', 'spec.template.metadata.annotations[kubectl.kubernetes.io/last-applied-configuration]', false],
  ])('%s %s is secret: %s', (kind, path, secret) => {
    expect(isSecretField(kind, path)).toBe(secret);
  });
});

describe('secrets that overlap', () => {
  test('given a secret that starts with another, then a message holding the longer one keeps nothing of it', () => {
    // Given two secrets, one the start of the other
    const secrets = new Set(['abcd', 'abcdefgh']);
    // When a message holding both is scrubbed
    const scrubbed = scrubSecrets('token abcdefgh and abcd', secrets);
    // Then each is replaced whole: no tail of the longer one is left
    expect(scrubbed).toBe('token <redacted> and <redacted>');
  });
});
