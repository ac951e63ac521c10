import { fieldChanges, formatFieldChange } from '../../src/migration/field-changes';
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
    // A whole env var keyed by its name (as field changes write it), in a pod spec or at the root of a container given alone
    ['Deployment', 'spec.template.spec.containers[vllm].env[HF_HOME]', true],
    ['Pod', 'env[HF_HOME]', true],
    // A field merely ending in env is no env var
    ['Thing', 'spec.myenv[HF_HOME]', false],
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

describe('env vars wherever their path puts them', () => {
  test('given an env var name written as an object (a value indented one level too far), then what is under the name is redacted', () => {
    // Given `- name:\n    value: hunter2`, which YAML reads as a name holding {value: hunter2}
    const name = { value: 'hunter2' };
    // When a schema problem on the name shows the value it got
    const shown = showField('Deployment', 'spec.template.spec.containers[0].env[0].name', name);
    // Then the value under the name is not shown
    expect(shown).toBe('{"value":"<redacted>"}');
    expect(isSecretField('Deployment', 'spec.template.spec.containers[0].env[0].name.value')).toBe(true);
  });
});

describe('secretValues: every secret a message must be scrubbed of', () => {
  test('given a Deployment, then its env values are secrets and its env names are not', () => {
    // Given a container with one env var
    const deployment = {
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ name: 'vllm', env: [{ name: 'HF_HOME', value: '/data/hf-cache' }] }] } } },
    };
    // When its secrets are collected
    const secrets = secretValues('Deployment', '', deployment);
    // Then only the value is one: a message naming HF_HOME keeps the name
    expect([...secrets]).toEqual(['/data/hf-cache']);
    expect(scrubSecrets('env HF_HOME=/data/hf-cache is not allowed', secrets)).toBe('env HF_HOME=<redacted> is not allowed');
  });

  test('given secret fields holding a number, a bigint and a list, then each scalar in them is a secret', () => {
    // Given a password written unquoted in YAML (a number), a licence key given as a bigint, and a list of tokens
    const thing = { spec: { db: { password: 73519864 }, licence: { key: 12345678901234567890n }, apiTokens: ['tok-alpha', 'tok-beta'] } };
    // When its secrets are collected
    const secrets = secretValues('Thing', '', thing);
    // Then the number, the bigint and every item of the list are secrets, as text
    expect([...secrets].sort()).toEqual(['12345678901234567890', '73519864', 'tok-alpha', 'tok-beta']);
    expect(scrubSecrets('cannot log in with 73519864 (tok-beta)', secrets)).toBe('cannot log in with <redacted> (<redacted>)');
  });

  test('given strings holding credentials in any field, then the credential parts of them are secrets', () => {
    // Given args with a URL's userinfo, an Authorization token and a PEM block, in fields not named like secrets
    const container = {
      name: 'app',
      args: ['--model-url=https://admin:hunter2@models.example.com/v1', '--header=Authorization: Bearer eyJhbGciOi.abc'],
      command: ['run', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
    };
    // When its secrets are collected
    const secrets = secretValues('Deployment', 'spec.template.spec.containers[0]', container);
    // Then the userinfo, the token and the block are secrets, nothing else
    expect([...secrets].sort()).toEqual(['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'admin:hunter2', 'eyJhbGciOi.abc']);
    // And an engine's error quoting the URL is scrubbed of the userinfo
    expect(scrubSecrets('GET https://admin:hunter2@models.example.com/v1 failed', secrets)).toBe('GET https://<redacted>@models.example.com/v1 failed');
  });
});

describe('a header item without a value', () => {
  test('given an Authorization header whose value is left undefined, then it comes back as it is, without a value', () => {
    // Given a header match built in TypeScript with an optional value left out
    const header = { name: 'Authorization', value: undefined };
    // When it is redacted and shown in a message
    // Then nothing is replaced: no `<redacted>` value appears where none is set
    expect(redactValue('HTTPRoute', 'spec.rules[0].matches[0].headers[0]', header)).toBe(header);
    expect(showField('HTTPRoute', 'spec.rules[0].matches[0].headers[0]', header)).toBe('{"name":"Authorization"}');
  });
});

describe('a credential header whose value is not a string', () => {
  // The value of a header that carries a credential was secret only as a whole: written as an object (a schema
  // error, but the README of the stage still shows the change), the fields below it were shown in the clear.
  test('given an Authorization header whose value is an object, then the field changes show none of it', () => {
    // Given a route whose Authorization header value is an object, then the same with another password
    const routeWith = (value: unknown) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: { rules: [{ filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Authorization', value }] } }] }] },
    });
    // When the change is listed
    const shown = fieldChanges(routeWith({ basic: 'hunter2' }), routeWith({ basic: 'hunter3' })).map(formatFieldChange);
    // Then the path is named and neither password appears
    expect(shown).toEqual(['spec.rules[0].filters[0].requestHeaderModifier.set[Authorization].value.basic: <redacted> -> <redacted>']);
    expect(isSecretField('HTTPRoute', 'spec.rules[0].filters[0].requestHeaderModifier.set[Authorization].valueFrom')).toBe(false);
  });
});
