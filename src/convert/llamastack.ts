/**
 * Pure conversion of a LlamaStackDistribution from `llamastack.io/v1alpha1` to `v1alpha2`, following the field
 * tables of the operator's migration guide, and normalization of the guide's draft v1alpha2 forms into the typed
 * forms of the operator's CRD. Plain data in, plain data out; no cdk8s.
 */

import {
  DEFAULT_CONTAINER_NAME,
  EXTRAS_ANNOTATION,
  EXTRAS_KEYS,
  LLSD_KIND,
  LLSD_V1ALPHA1,
  LLSD_V1ALPHA2,
} from './llamastack-api';
import { LlamaStackConversion, LlamaStackConversionOptions, LlamaStackNormalization } from './llamastack-types';
import { propError, show } from '../core/errors';
import { cloneJson, isPlainObject } from '../core/json';
import { desiredMetadata } from '../core/manifest-objects';
import { showField } from '../validation/redact';

/** Fields of each v1alpha1 object the converter reads; anything else is reported, not dropped silently. */
const V1ALPHA1_FIELDS: { readonly [path: string]: readonly string[] } = {
  'spec': ['replicas', 'server', 'network'],
  'spec.server': [
    'distribution', 'containerSpec', 'workers', 'storage', 'podOverrides', 'autoscaling', 'podDisruptionBudget',
    'topologySpreadConstraints', 'tlsConfig', 'userConfig',
  ],
  'spec.server.containerSpec': ['name', 'port', 'env', 'resources', 'command', 'args'],
  'spec.server.podOverrides': ['serviceAccountName', 'volumes', 'volumeMounts', 'terminationGracePeriodSeconds'],
  'spec.server.storage': ['size', 'mountPath'],
  'spec.server.tlsConfig': ['caBundle'],
  'spec.server.tlsConfig.caBundle': ['configMapName', 'configMapNamespace', 'configMapKeys'],
  'spec.server.userConfig': ['configMapName', 'configMapNamespace'],
  'spec.network': ['exposeRoute', 'allowedFrom'],
};


/** An environment-variable family of the starter distribution that becomes an inference provider. */
interface KnownEnvProvider {
  readonly provider: string;
  readonly url: string;
  readonly model: string;
  readonly apiKey?: string;
}

const KNOWN_ENV: readonly KnownEnvProvider[] = [
  { provider: 'ollama', url: 'OLLAMA_URL', model: 'OLLAMA_INFERENCE_MODEL' },
  { provider: 'vllm', url: 'VLLM_URL', model: 'INFERENCE_MODEL', apiKey: 'VLLM_API_KEY' },
];

/** `Kind namespace/name`, or `Kind name` without a namespace: how errors and warnings name an object. */
export function llamaStackLabel(obj: any): string {
  const name = obj?.metadata?.name ?? '(unnamed)';
  const ns = obj?.metadata?.namespace;
  return `${LLSD_KIND} ${typeof ns === 'string' && ns !== '' ? `${ns}/` : ''}${name}`;
}

/** A copy of `obj` without undefined values, or undefined when nothing is left. */
function compact<T extends Record<string, any>>(obj: T): T | undefined {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length > 0 ? Object.fromEntries(entries) as T : undefined;
}

/** The list, when it is a non-empty array (v1alpha2 lists have minItems 1). */
function nonEmpty(list: unknown): any[] | undefined {
  return Array.isArray(list) && list.length > 0 ? list : undefined;
}

/** The string, when it is a non-empty string. */
function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Throws unless `obj` is a LlamaStackDistribution of `apiVersion` with a name. */
function checkObject(obj: any, apiVersion: string, otherVersionHint: string): string {
  const where = llamaStackLabel(obj);
  if (!isPlainObject(obj) || obj.kind !== LLSD_KIND) {
    throw propError(where, 'kind', `must be ${LLSD_KIND} (got ${show(obj?.kind)})`);
  }
  if (obj.apiVersion !== apiVersion) {
    const hint = obj.apiVersion === LLSD_V1ALPHA1 || obj.apiVersion === LLSD_V1ALPHA2 ? `: ${otherVersionHint}` : '';
    throw propError(where, 'apiVersion', `must be ${apiVersion} (got ${show(obj.apiVersion)})${hint}`);
  }
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') {
    throw propError(where, 'metadata.name', 'is required');
  }
  return where;
}

/** A value of the object at `field` for a message: secrets (env values, keys, passwords) are never shown. */
function shown(field: string, value: unknown): string {
  return showField(LLSD_KIND, field, value);
}

/**
 * The container's resources to carry, or undefined when they hold nothing. YAML's `requests:` left empty is null:
 * carried as absent, as the API server treats it, not as a section.
 */
function containerResources(resources: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const held = (v: unknown) => v !== null && typeof v === 'object' && Object.keys(v).length > 0;
  if (!resources || !Object.values(resources).some(held)) return undefined;
  return cloneJson(Object.fromEntries(Object.entries(resources).filter(([, v]) => v !== null)));
}

/** Reads the object at `path` of `obj`: undefined when absent, an Error when not an object. */
function section(where: string, obj: any, path: string): Record<string, any> | undefined {
  const value = path.split('.').reduce((o, key) => (o === undefined || o === null ? undefined : o[key]), obj);
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw propError(where, path, `must be an object (got ${shown(path, value)})`);
  return value;
}

/**
 * Converts a `llamastack.io/v1alpha1` LlamaStackDistribution (as parsed from YAML) into `v1alpha2`, in the CRD's
 * typed form. Every field of the guide's tables is moved; known env vars become providers and models (unless
 * `mapKnownEnv` is false); v1alpha1-only fields go into the operator's extras annotation. Throws an Error naming
 * the field for input v1alpha2 cannot express: a userConfig ConfigMap in another namespace than the CR.
 */
export function convertLlamaStackDistribution(input: any, options: LlamaStackConversionOptions = {}): LlamaStackConversion {
  const where = checkObject(input, LLSD_V1ALPHA1, 'a v1alpha2 object needs no conversion, only its draft forms normalized');
  const warnings: string[] = [];
  const warn = (field: string, message: string) => warnings.push(`${where}: '${field}' ${message}`);
  for (const [path, known] of Object.entries(V1ALPHA1_FIELDS)) {
    for (const key of Object.keys(section(where, input, path) ?? {})) {
      if (!known.includes(key)) warn(`${path}.${key}`, 'is not a v1alpha1 field: it was not converted');
    }
  }
  const server = section(where, input, 'spec.server');
  if (!server) throw propError(where, 'spec.server', 'is required');
  const crNamespace: string | undefined = nonEmptyString(input.metadata.namespace) ?? nonEmptyString(options.namespace);
  const extras: Record<string, unknown> = {};
  const ctx: Context = { where, server, crNamespace, warn, extras };

  const overrideConfig = userConfigToOverride(ctx);
  const env = splitEnv(ctx, options.mapKnownEnv !== false && overrideConfig === undefined);
  const spec = compact({
    distribution: distribution(ctx),
    providers: env.providers.length > 0 ? { inference: env.providers } : undefined,
    resources: env.models.length > 0 ? { models: env.models } : undefined,
    overrideConfig,
    networking: networking(ctx, input),
    workload: workload(ctx, input.spec.replicas, env.rest),
  });

  // status is the server's: it is not carried over.
  return { object: { apiVersion: LLSD_V1ALPHA2, kind: LLSD_KIND, metadata: metadata(ctx, input.metadata), spec }, warnings };
}

/** What the field converters share. */
interface Context {
  readonly where: string;
  readonly server: Record<string, any>;
  /** Namespace of the CR, when known. */
  readonly crNamespace?: string;
  readonly warn: (field: string, message: string) => void;
  /** v1alpha1-only fields for the extras annotation. */
  readonly extras: Record<string, unknown>;
}

function metadata(ctx: Context, meta: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = cloneJson(desiredMetadata(meta));
  const annotations: Record<string, string> = { ...(out.annotations ?? {}) };
  const extras = EXTRAS_KEYS.filter((k) => ctx.extras[k] !== undefined).map((k) => [k, ctx.extras[k]]);
  if (extras.length > 0) annotations[EXTRAS_ANNOTATION] = JSON.stringify(Object.fromEntries(extras));
  if (Object.keys(annotations).length > 0) out.annotations = annotations;
  else delete out.annotations;
  return out;
}

function distribution(ctx: Context): Record<string, string> {
  const dist = section(ctx.where, ctx.server, 'distribution');
  const name = nonEmptyString(dist?.name);
  const image = nonEmptyString(dist?.image);
  if ((name === undefined) === (image === undefined)) {
    throw propError(ctx.where, 'spec.server.distribution', `must set exactly one of name or image (got ${shown('spec.server.distribution', dist)})`);
  }
  return name !== undefined ? { name } : { image: image! };
}

/** userConfig becomes overrideConfig; its ConfigMap must be in the CR's namespace. */
function userConfigToOverride(ctx: Context): Record<string, string> | undefined {
  const userConfig = section(ctx.where, ctx.server, 'userConfig');
  if (!userConfig) return undefined;
  const configMapName = nonEmptyString(userConfig.configMapName);
  if (configMapName === undefined) {
    throw propError(ctx.where, 'spec.server.userConfig.configMapName', `is required (got ${show(userConfig.configMapName)})`);
  }
  const ns = nonEmptyString(userConfig.configMapNamespace);
  if (ns !== undefined && ctx.crNamespace !== undefined && ns !== ctx.crNamespace) {
    throw propError(ctx.where, 'spec.server.userConfig.configMapNamespace',
      `must be the CR's namespace ${show(ctx.crNamespace)} (got ${show(ns)}): v1alpha2 overrideConfig reads the ConfigMap from the CR's own namespace; ` +
      `copy ConfigMap ${ns}/${configMapName} to ${ctx.crNamespace} first, then convert without configMapNamespace`);
  }
  if (ns !== undefined && ctx.crNamespace === undefined) {
    ctx.extras.userConfigNamespace = ns;
    ctx.warn('spec.server.userConfig.configMapNamespace',
      `(${show(ns)}) has no v1alpha2 field: overrideConfig reads ConfigMap ${configMapName} from the namespace the CR is applied in, so apply it in ${show(ns)}; ` +
      `the value is kept in annotation ${EXTRAS_ANNOTATION}`);
  }
  return { configMapName };
}

/** The env vars, split into inference providers, models, and the rest (for `workload.overrides.env`). */
interface EnvSplit {
  readonly providers: any[];
  readonly models: any[];
  readonly rest: any[];
}

/** The literal value of an env var, when it has one and no valueFrom. */
function literal(envVar: any): string | undefined {
  return envVar?.valueFrom === undefined ? nonEmptyString(envVar?.value) : undefined;
}

function splitEnv(ctx: Context, mapKnown: boolean): EnvSplit {
  const field = 'spec.server.containerSpec.env';
  const raw = ctx.server.containerSpec?.env;
  if (raw !== undefined && !Array.isArray(raw)) throw propError(ctx.where, field, `must be a list of env vars (got ${shown(field, raw)})`);
  const env: any[] = raw ?? [];
  const byName = new Map<string, any>(env.map((e) => [e?.name, e]));
  const consumed = new Set<string>();
  const found: { provider: any; model?: string }[] = [];
  const notMapped = (name: string, why: string) => ctx.warn(`${field}[${name}]`, `stays in workload.overrides.env: ${why}`);

  if (mapKnown) {
    for (const family of KNOWN_ENV) {
      const urlVar = byName.get(family.url);
      const modelVar = byName.get(family.model);
      const url = literal(urlVar);
      if (url === undefined) {
        if (urlVar !== undefined) notMapped(family.url, `it has no literal value to become a ${family.provider} provider's endpoint; declare providers.inference by hand`);
        else if (modelVar !== undefined) notMapped(family.model, `there is no ${family.url} to make a ${family.provider} provider of`);
        continue;
      }
      consumed.add(family.url);
      const provider: Record<string, any> = { provider: family.provider, endpoint: url };
      const model = literal(modelVar);
      if (model !== undefined) consumed.add(family.model);
      else if (modelVar !== undefined) notMapped(family.model, 'it has no literal value to become a model name; declare resources.models by hand');
      const apiKeyVar = family.apiKey !== undefined ? byName.get(family.apiKey) : undefined;
      if (apiKeyVar !== undefined) {
        const why = apiKeyNotMappable(apiKeyVar);
        const ref = apiKeyVar.valueFrom?.secretKeyRef;
        if (why !== undefined) {
          notMapped(family.apiKey!, why);
        } else {
          provider.secretRefs = { api_key: { name: ref.name, key: ref.key } };
          consumed.add(family.apiKey!);
          if (ref.optional === true) {
            ctx.warn(`${field}[${family.apiKey}].valueFrom.secretKeyRef.optional`, 'was dropped: a secretRefs entry is always required, so the Secret must exist');
          }
        }
      }
      found.push({ provider, model });
    }
  } else if (ctx.server.userConfig !== undefined) {
    const known = KNOWN_ENV.flatMap((f) => [f.url, f.model, f.apiKey]).filter((n) => n !== undefined && byName.has(n));
    if (known.length > 0) {
      ctx.warn(field, `(${known.join(', ')}) stays in workload.overrides.env: overrideConfig (from userConfig) excludes providers and resources, and your config.yaml may read them`);
    }
  }

  // Several providers of one API each need an id; models then name theirs.
  const withIds = found.length > 1;
  const providers = found.map((f) => (withIds ? { id: f.provider.provider, ...f.provider } : f.provider));
  const models = found
    .filter((f) => f.model !== undefined)
    .map((f) => (withIds ? { name: f.model, provider: f.provider.provider } : { name: f.model }));
  const rest = env.filter((e) => !consumed.has(e?.name));
  if (rest.length > 0) {
    ctx.warn(field, `${rest.map((e) => e?.name).join(', ')} moved unchanged to spec.workload.overrides.env: v1alpha2 has no declarative field for them`);
  }
  return { providers, models, rest: cloneJson(rest) };
}

/** Why a `VLLM_API_KEY` env var cannot become `secretRefs.api_key`, or undefined when it can (it reads a Secret). */
function apiKeyNotMappable(envVar: any): string | undefined {
  const ref = envVar?.valueFrom?.secretKeyRef;
  if (ref === undefined || ref === null) {
    // Stryker disable next-line OptionalChaining: equivalent: envVar is the env item named VLLM_API_KEY (byName.get of a string name, found only on objects), never null or undefined
    return envVar?.value !== undefined
      ? 'its value is written in the CR; put it in a Secret and reference it with secretRefs.api_key'
      : 'it does not read a Secret (valueFrom.secretKeyRef); reference one with secretRefs.api_key by hand';
  }
  if (nonEmptyString(ref.name) === undefined || nonEmptyString(ref.key) === undefined) {
    return `its secretKeyRef needs a name and a key (got ${shown('valueFrom.secretKeyRef', ref)})`;
  }
  return undefined;
}

function networking(ctx: Context, input: any): Record<string, any> | undefined {
  const net = section(ctx.where, input, 'spec.network');
  const allowed = section(ctx.where, input, 'spec.network.allowedFrom');
  return compact({
    port: ctx.server.containerSpec?.port,
    expose: net?.exposeRoute === true ? {} : undefined,
    tls: tls(ctx),
    allowedFrom: allowed ? compact({ namespaces: nonEmpty(allowed.namespaces), labels: nonEmpty(allowed.labels) }) : undefined,
  });
}

/** The CA bundle keeps only its ConfigMap name: v1alpha2 reads it from the CR's namespace, with no key list. */
function tls(ctx: Context): Record<string, any> | undefined {
  const field = 'spec.server.tlsConfig.caBundle';
  const ca = section(ctx.where, ctx.server, 'tlsConfig.caBundle');
  if (!ca) return undefined;
  const configMapName = nonEmptyString(ca.configMapName);
  if (configMapName === undefined) throw propError(ctx.where, `${field}.configMapName`, `is required (got ${show(ca.configMapName)})`);
  const ns = nonEmptyString(ca.configMapNamespace);
  if (ns !== undefined && ns !== ctx.crNamespace) {
    ctx.extras.caBundleNamespace = ns;
    const target = ctx.crNamespace === undefined ? 'the namespace the CR is applied in' : `namespace ${show(ctx.crNamespace)}`;
    ctx.warn(`${field}.configMapNamespace`,
      `(${show(ns)}) was dropped: v1alpha2 reads the CA bundle ConfigMap from the CR's own namespace, so copy ConfigMap ${ns}/${configMapName} to ${target}; ` +
      `the value is kept in annotation ${EXTRAS_ANNOTATION}`);
  }
  const keys = nonEmpty(ca.configMapKeys);
  if (keys !== undefined) {
    ctx.extras.caBundleKeys = cloneJson(keys);
    ctx.warn(`${field}.configMapKeys`,
      `(${keys.join(', ')}) was dropped: v1alpha2 has no field for the keys of the CA bundle ConfigMap; the value is kept in annotation ${EXTRAS_ANNOTATION}`);
  }
  return { caBundle: { configMapName } };
}

function workload(ctx: Context, replicas: unknown, env: any[]): Record<string, any> | undefined {
  const server = ctx.server;
  const container = section(ctx.where, server, 'containerSpec') ?? {};
  const pod = section(ctx.where, server, 'podOverrides') ?? {};
  const containerName = container.name;
  if (containerName !== undefined && containerName !== DEFAULT_CONTAINER_NAME) {
    ctx.extras.containerName = containerName;
    ctx.warn('spec.server.containerSpec.name',
      `(${show(containerName)}) was dropped: the v1alpha2 container is always named ${DEFAULT_CONTAINER_NAME}; the value is kept in annotation ${EXTRAS_ANNOTATION}`);
  }
  if (pod.terminationGracePeriodSeconds !== undefined) {
    ctx.extras.terminationGracePeriod = pod.terminationGracePeriodSeconds;
    ctx.warn('spec.server.podOverrides.terminationGracePeriodSeconds',
      `(${show(pod.terminationGracePeriodSeconds)}) has no v1alpha2 field, so the v1alpha2 spec does not set it; ` +
      `the value is kept in annotation ${EXTRAS_ANNOTATION}, from which the operator restores it when the CR is read as v1alpha1`);
  }
  const storage = section(ctx.where, server, 'storage');
  const resources = section(ctx.where, container, 'resources');
  return compact({
    replicas,
    workers: server.workers,
    resources: containerResources(resources),
    storage: storage ? compact({ size: storage.size, mountPath: nonEmptyString(storage.mountPath) }) ?? {} : undefined,
    autoscaling: cloneJson(server.autoscaling),
    podDisruptionBudget: cloneJson(server.podDisruptionBudget),
    topologySpreadConstraints: cloneJson(nonEmpty(server.topologySpreadConstraints)),
    overrides: compact({
      env: nonEmpty(env),
      command: cloneJson(nonEmpty(container.command)),
      args: cloneJson(nonEmpty(container.args)),
      serviceAccountName: nonEmptyString(pod.serviceAccountName),
      volumes: cloneJson(nonEmpty(pod.volumes)),
      volumeMounts: cloneJson(nonEmpty(pod.volumeMounts)),
    }),
  });
}

/**
 * Rewrites a `llamastack.io/v1alpha2` LlamaStackDistribution written in the migration guide's draft forms into
 * the CRD's typed forms, and lists each rewrite: `networking.expose` true/false/{enabled, hostname} becomes `{}`,
 * `{hostname}` or nothing; a single provider object becomes a one-item list; a provider's `apiKey` becomes
 * `secretRefs.api_key`; a model given as a string becomes `{name}`; a `{secretKeyRef: {name, key}}` wrapper
 * becomes `{name, key}`. A typed object comes back equal, with no differences. Throws an Error naming the field
 * for a value that is neither form.
 */
export function normalizeLlamaStackDraft(input: any): LlamaStackNormalization {
  const where = checkObject(input, LLSD_V1ALPHA2, 'convert a v1alpha1 object first');
  const object = cloneJson(input);
  const differences: string[] = [];
  const changed = (field: string, message: string) => differences.push(`${where}: '${field}' ${message}`);
  const spec = section(where, object, 'spec');
  // Stryker disable next-line ConditionalExpression: equivalent: without spec every section() below is undefined, so the same object and no differences come back
  if (!spec) return { object, differences };

  const net = section(where, object, 'spec.networking');
  if (net && net.expose !== undefined) {
    const expose = normalizeExpose(where, net.expose, changed);
    if (expose === undefined) delete net.expose;
    else net.expose = expose;
  }

  const providers = section(where, object, 'spec.providers');
  for (const [api, value] of Object.entries(providers ?? {})) {
    const field = `spec.providers.${api}`;
    if (isPlainObject(value)) {
      changed(field, 'was a single provider object; the CRD takes a list, so it became a one-item list');
      providers![api] = [value];
    } else if (!Array.isArray(value)) {
      throw propError(where, field, `must be a list of providers (or, in the draft form, one provider object) (got ${shown(field, value)})`);
    }
    providers![api].forEach((p: any, i: number) => normalizeProvider(where, `${field}[${i}]`, p, changed));
  }

  const models = section(where, object, 'spec.resources')?.models;
  if (Array.isArray(models)) {
    models.forEach((m, i) => {
      if (typeof m === 'string') {
        changed(`spec.resources.models[${i}]`, `was the string ${show(m)}; the CRD takes an object, so it became {name: ${show(m)}}`);
        models[i] = { name: m };
      }
    });
  }

  for (const [backend, key] of [['kv', 'password'], ['sql', 'connectionString']]) {
    const holder = section(where, object, `spec.storage.${backend}`);
    if (holder?.[key] !== undefined) holder[key] = unwrapSecretKeyRef(`spec.storage.${backend}.${key}`, holder[key], changed);
  }
  return { object, differences };
}

/** The typed `expose`, or undefined for "not exposed". */
function normalizeExpose(where: string, expose: unknown, changed: (field: string, message: string) => void): Record<string, string> | undefined {
  const field = 'spec.networking.expose';
  if (expose === true) {
    changed(field, 'was true; the CRD takes an object, so it became {} (exposed, with a generated hostname)');
    return {};
  }
  if (expose === false) {
    changed(field, 'was false; the CRD takes an object, so it was removed (not exposed)');
    return undefined;
  }
  if (!isPlainObject(expose) || Object.keys(expose).some((k) => k !== 'enabled' && k !== 'hostname')) {
    throw propError(where, field, `must be {} or {hostname}, or in the draft form true, false or {enabled, hostname} (got ${show(expose)})`);
  }
  if (expose.enabled === undefined) return expose;
  const { enabled, ...typed } = expose;
  if (enabled === false) {
    changed(field, `was ${show(expose)}; the CRD has no enabled field, so it was removed (not exposed)`);
    return undefined;
  }
  changed(field, `was ${show(expose)}; the CRD has no enabled field, so it became ${show(typed)}`);
  return typed;
}

/** Moves a draft provider's `apiKey` into `secretRefs.api_key`. */
function normalizeProvider(where: string, field: string, provider: any, changed: (field: string, message: string) => void): void {
  if (!isPlainObject(provider) || provider.apiKey === undefined) return;
  const ref = unwrapSecretKeyRef(`${field}.apiKey`, provider.apiKey, changed);
  const existing = provider.secretRefs?.api_key;
  if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(ref)) {
    throw propError(where, `${field}.apiKey`, `conflicts with ${field}.secretRefs.api_key (${shown(`${field}.secretRefs.api_key`, existing)}): give the API key once, as secretRefs.api_key`);
  }
  provider.secretRefs = { ...(provider.secretRefs ?? {}), api_key: ref };
  delete provider.apiKey;
  changed(`${field}.apiKey`, 'is not a CRD field; it became secretRefs.api_key (a Secret name and key, read into the provider\'s api_key)');
}

/** `{name, key}` from a secret reference, unwrapping the draft's `{secretKeyRef: {name, key}}`. */
function unwrapSecretKeyRef(field: string, ref: any, changed: (field: string, message: string) => void): any {
  if (isPlainObject(ref) && isPlainObject(ref.secretKeyRef) && Object.keys(ref).length === 1) {
    changed(field, 'was {secretKeyRef: {name, key}}; the CRD takes {name, key} directly');
    return { ...ref.secretKeyRef };
  }
  return ref;
}
