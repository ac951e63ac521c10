/**
 * The rules of a v1alpha2 LlamaStackDistribution spec: the CRD's schema and CEL rules that matter to a user, and the
 * migration guide's rules (unique provider ids, models that name an existing provider). Pure: plain data in, an
 * Error naming the field out. Used by the construct (on its props, which mirror the spec) and by the file converter.
 */

import { IConstruct } from 'constructs';
import {
  DISABLED_APIS,
  GENERATED_CONFIG_FIELDS,
  KV_STORAGE_TYPES,
  LLSD_KIND,
  PROVIDER_APIS,
  PROVIDER_FIELDS,
  SPEC_FIELDS,
  SQL_STORAGE_TYPES,
} from './api';
import { checkInteger, checkOneOf, propError, show } from '../core/errors';
import { checkSubdomain } from '../core/names';
import { isPlainObject } from '../validation/paths';
import { showField } from '../validation/redact';

const INT32_MAX = 2147483647;
const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** Where errors point: the construct (or object label), and the prefix of every field path. */
interface Where {
  readonly scope: IConstruct | string;
  readonly prefix: string;
}

function fail(w: Where, field: string, message: string): Error {
  return propError(w.scope, `${w.prefix}${field}`, message);
}

/**
 * Checks a v1alpha2 spec; throws an Error naming the field and what is allowed.
 * @param scope the construct, or a label such as `LlamaStackDistribution ns/name`
 * @param spec the spec, in the CRD's typed form
 * @param prefix prefix of field paths in errors, e.g. `spec.`
 */
export function checkLlamaStackSpec(scope: IConstruct | string, spec: any, prefix: string = ''): void {
  const w: Where = { scope, prefix };
  if (!isPlainObject(spec)) throw fail(w, 'spec', `must be an object (got ${show(spec)})`);
  checkKnownFields(w, '', spec, SPEC_FIELDS, 'a v1alpha2 spec field');
  checkDistribution(w, spec.distribution);
  checkOverrideConfig(w, spec);
  const providerIds = checkProviders(w, spec.providers);
  checkResources(w, spec.resources, providerIds);
  checkStorage(w, spec.storage);
  checkDisabled(w, spec.disabled, spec.providers);
  checkExternalProviders(w, spec.externalProviders);
  checkNetworking(w, spec.networking);
  checkWorkload(w, spec.workload);
}

/** Throws for a key of `obj` that is not in `known`. */
function checkKnownFields(w: Where, path: string, obj: Record<string, any>, known: readonly string[], what: string, hint: string = ''): void {
  for (const key of Object.keys(obj)) {
    if (obj[key] !== undefined && !known.includes(key)) {
      throw fail(w, `${path}${key}`, `is not ${what}: allowed are ${known.join(', ')}${hint}`);
    }
  }
}

/** A value at `field` for a message: secrets (env values, passwords, keys) are never shown. */
function shown(field: string, value: unknown): string {
  return showField(LLSD_KIND, field, value);
}

function objectAt(w: Where, field: string, value: unknown): Record<string, any> {
  if (!isPlainObject(value)) throw fail(w, field, `must be an object (got ${shown(field, value)})`);
  return value;
}

function listAt(w: Where, field: string, value: unknown, what: string): any[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw fail(w, field, `must be a non-empty list of ${what}; leave it out instead of giving an empty list (got ${shown(field, value)})`);
  }
  return value;
}

function checkText(w: Where, field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw fail(w, field, `must be a non-empty string (got ${shown(field, value)})`);
}

function checkTextList(w: Where, field: string, value: unknown, what: string): void {
  listAt(w, field, value, what).forEach((v, i) => checkText(w, `${field}[${i}]`, v));
}

function checkDistribution(w: Where, value: unknown): void {
  const dist = objectAt(w, 'distribution', value);
  const given = ['name', 'image'].filter((k) => dist[k] !== undefined);
  if (given.length !== 1) {
    throw fail(w, 'distribution', `must set exactly one of name (a distribution such as "starter") or image (got ${show(dist)})`);
  }
  checkText(w, `distribution.${given[0]}`, dist[given[0]]);
}

function checkOverrideConfig(w: Where, spec: Record<string, any>): void {
  if (spec.overrideConfig === undefined) return;
  const override = objectAt(w, 'overrideConfig', spec.overrideConfig);
  checkSubdomain(w.scope, `${w.prefix}overrideConfig.configMapName`, override.configMapName);
  for (const field of GENERATED_CONFIG_FIELDS) {
    if (spec[field] !== undefined) {
      throw fail(w, 'overrideConfig', `cannot be combined with '${w.prefix}${field}': overrideConfig supplies the whole config.yaml, ` +
        `which ${GENERATED_CONFIG_FIELDS.join(', ')} would generate; use one approach or the other`);
    }
  }
}

/** A secret reference `{name, key}`. */
function checkSecretRef(w: Where, field: string, value: unknown): void {
  const ref = objectAt(w, field, value);
  checkKnownFields(w, `${field}.`, ref, ['name', 'key'], 'a field of a secret reference');
  checkSubdomain(w.scope, `${w.prefix}${field}.name`, ref.name);
  checkText(w, `${field}.key`, ref.key);
}

/** Checks the providers and returns the id of every inference provider (an omitted id is the provider type). */
function checkProviders(w: Where, value: unknown): string[] {
  if (value === undefined) return [];
  const providers = objectAt(w, 'providers', value);
  checkKnownFields(w, 'providers.', providers, PROVIDER_APIS, 'an API the CRD configures providers for');
  const owners = new Map<string, string>();
  const inferenceIds: string[] = [];
  for (const api of PROVIDER_APIS) {
    if (providers[api] === undefined) continue;
    const list = listAt(w, `providers.${api}`, providers[api], 'providers {id, provider, endpoint, secretRefs, settings}');
    list.forEach((item, i) => {
      const field = `providers.${api}[${i}]`;
      const id = checkProvider(w, field, item, list.length);
      const owner = owners.get(id);
      if (owner !== undefined) {
        throw fail(w, `${field}.id`, `(${show(id)}) is already the id of ${w.prefix}${owner}: provider ids must be unique across all APIs ` +
          '(an omitted id is the provider type)');
      }
      owners.set(id, field);
      if (api === 'inference') inferenceIds.push(id);
    });
  }
  return inferenceIds;
}

/** Checks one provider; returns its effective id. */
function checkProvider(w: Where, field: string, value: unknown, count: number): string {
  const p = objectAt(w, field, value);
  const hint = p.apiKey !== undefined ? '; an API key is secretRefs: {api_key: {name, key}}' : '';
  checkKnownFields(w, `${field}.`, p, PROVIDER_FIELDS, 'a provider field', hint);
  checkText(w, `${field}.provider`, p.provider);
  if (p.id !== undefined) {
    checkText(w, `${field}.id`, p.id);
  } else if (count > 1) {
    throw fail(w, `${field}.id`, `is required: there are ${count} providers of this API, and each needs its own id for models to name`);
  }
  if (p.endpoint !== undefined) checkText(w, `${field}.endpoint`, p.endpoint);
  if (p.secretRefs !== undefined) {
    const refs = objectAt(w, `${field}.secretRefs`, p.secretRefs);
    if (Object.keys(refs).length === 0) throw fail(w, `${field}.secretRefs`, 'must have at least one entry (a config field name to {name, key}); leave it out instead');
    for (const [key, ref] of Object.entries(refs)) checkSecretRef(w, `${field}.secretRefs.${key}`, ref);
  }
  if (p.settings !== undefined) objectAt(w, `${field}.settings`, p.settings);
  return p.id ?? p.provider;
}

function checkResources(w: Where, value: unknown, inferenceIds: string[]): void {
  if (value === undefined) return;
  const resources = objectAt(w, 'resources', value);
  const hint = resources.shields !== undefined ? ' (the CRD has no shields: register them in a full config.yaml with overrideConfig)' : '';
  checkKnownFields(w, 'resources.', resources, ['models', 'tools'], 'a resources field of the CRD', hint);
  if (resources.models !== undefined) {
    listAt(w, 'resources.models', resources.models, 'models {name, provider}').forEach((m, i) => {
      const field = `resources.models[${i}]`;
      const model = objectAt(w, field, m);
      checkKnownFields(w, `${field}.`, model, ['name', 'provider', 'modelType', 'quantization', 'contextLength'], 'a model field');
      checkText(w, `${field}.name`, model.name);
      for (const key of ['modelType', 'quantization']) if (model[key] !== undefined) checkText(w, `${field}.${key}`, model[key]);
      if (model.contextLength !== undefined) checkInteger(w.scope, `${w.prefix}${field}.contextLength`, model.contextLength, 1, Number.MAX_SAFE_INTEGER);
      if (model.provider === undefined) return;
      checkText(w, `${field}.provider`, model.provider);
      if (inferenceIds.length > 0 && !inferenceIds.includes(model.provider)) {
        throw fail(w, `${field}.provider`, `(${show(model.provider)}) must be the id of an inference provider: one of ${inferenceIds.map((id) => show(id)).join(', ')}`);
      }
    });
  }
  if (resources.tools !== undefined) checkTextList(w, 'resources.tools', resources.tools, 'tool group names');
}

function checkStorage(w: Where, value: unknown): void {
  if (value === undefined) return;
  const storage = objectAt(w, 'storage', value);
  checkKnownFields(w, 'storage.', storage, ['kv', 'sql'], 'a storage backend');
  if (storage.kv !== undefined) {
    const kv = objectAt(w, 'storage.kv', storage.kv);
    checkKnownFields(w, 'storage.kv.', kv, ['type', 'endpoint', 'password'], 'a KV storage field');
    const type = kv.type ?? 'sqlite';
    checkOneOf(w.scope, `${w.prefix}storage.kv.type`, type, KV_STORAGE_TYPES);
    if (type === 'redis') {
      if (kv.endpoint === undefined) throw fail(w, 'storage.kv.endpoint', 'is required when storage.kv.type is redis (e.g. redis://redis.default.svc:6379)');
      checkText(w, 'storage.kv.endpoint', kv.endpoint);
      if (kv.password !== undefined) checkSecretRef(w, 'storage.kv.password', kv.password);
    } else {
      for (const key of ['endpoint', 'password']) {
        if (kv[key] !== undefined) throw fail(w, `storage.kv.${key}`, `is only valid when storage.kv.type is redis (got type ${show(type)})`);
      }
    }
  }
  if (storage.sql !== undefined) {
    const sql = objectAt(w, 'storage.sql', storage.sql);
    checkKnownFields(w, 'storage.sql.', sql, ['type', 'connectionString'], 'an SQL storage field');
    const type = sql.type ?? 'sqlite';
    checkOneOf(w.scope, `${w.prefix}storage.sql.type`, type, SQL_STORAGE_TYPES);
    if (type === 'postgres') {
      if (sql.connectionString === undefined) {
        throw fail(w, 'storage.sql.connectionString', 'is required when storage.sql.type is postgres: a Secret {name, key} holding the connection string');
      }
      checkSecretRef(w, 'storage.sql.connectionString', sql.connectionString);
    } else if (sql.connectionString !== undefined) {
      throw fail(w, 'storage.sql.connectionString', `is only valid when storage.sql.type is postgres (got type ${show(type)})`);
    }
  }
}

function checkDisabled(w: Where, value: unknown, providers: any): void {
  if (value === undefined) return;
  const apis = Object.keys(DISABLED_APIS);
  listAt(w, 'disabled', value, `API names (${apis.join(', ')})`).forEach((api, i) => {
    checkOneOf(w.scope, `${w.prefix}disabled[${i}]`, api, apis);
    const field = DISABLED_APIS[api];
    if (field !== undefined && Array.isArray(providers?.[field]) && providers[field].length > 0) {
      throw fail(w, `disabled[${i}]`, `(${show(api)}) is also configured in '${w.prefix}providers.${field}': an API cannot be both disabled and provided`);
    }
  });
}

function checkExternalProviders(w: Where, value: unknown): void {
  if (value === undefined) return;
  const external = objectAt(w, 'externalProviders', value);
  checkKnownFields(w, 'externalProviders.', external, ['inference'], 'an API the CRD injects external providers for');
  if (external.inference === undefined) return;
  listAt(w, 'externalProviders.inference', external.inference, 'external providers {providerId, image}').forEach((p, i) => {
    const field = `externalProviders.inference[${i}]`;
    checkKnownFields(w, `${field}.`, objectAt(w, field, p), ['providerId', 'image'], 'a field of an external provider');
    checkText(w, `${field}.providerId`, p.providerId);
    checkText(w, `${field}.image`, p.image);
  });
}

function checkNetworking(w: Where, value: unknown): void {
  if (value === undefined) return;
  const net = objectAt(w, 'networking', value);
  checkKnownFields(w, 'networking.', net, ['port', 'expose', 'allowedFrom', 'tls'], 'a networking field');
  if (net.port !== undefined) checkInteger(w.scope, `${w.prefix}networking.port`, net.port, 1, 65535);
  if (net.expose !== undefined) {
    const hint = typeof net.expose === 'boolean' ? ' (the draft form true is {} in the CRD)' : '';
    if (!isPlainObject(net.expose)) throw fail(w, 'networking.expose', `must be {} or {hostname}${hint} (got ${show(net.expose)})`);
    checkKnownFields(w, 'networking.expose.', net.expose, ['hostname'], 'a field of expose', ' (the draft form {enabled: true} is {} in the CRD)');
    if (net.expose.hostname !== undefined) checkText(w, 'networking.expose.hostname', net.expose.hostname);
  }
  if (net.allowedFrom !== undefined) {
    const from = objectAt(w, 'networking.allowedFrom', net.allowedFrom);
    checkKnownFields(w, 'networking.allowedFrom.', from, ['namespaces', 'labels'], 'an allowedFrom field');
    if (from.namespaces !== undefined) checkTextList(w, 'networking.allowedFrom.namespaces', from.namespaces, 'namespace names ("*" for all)');
    if (from.labels !== undefined) checkTextList(w, 'networking.allowedFrom.labels', from.labels, 'namespace label keys');
  }
  if (net.tls !== undefined) {
    const tls = objectAt(w, 'networking.tls', net.tls);
    checkKnownFields(w, 'networking.tls.', tls, ['caBundle'], 'a TLS field');
    if (tls.caBundle !== undefined) {
      const ca = objectAt(w, 'networking.tls.caBundle', tls.caBundle);
      checkKnownFields(w, 'networking.tls.caBundle.', ca, ['configMapName'], 'a CA bundle field', ' (v1alpha2 reads the ConfigMap from the CR\'s namespace)');
      checkSubdomain(w.scope, `${w.prefix}networking.tls.caBundle.configMapName`, ca.configMapName);
    }
  }
}

function checkWorkload(w: Where, value: unknown): void {
  if (value === undefined) return;
  const wl = objectAt(w, 'workload', value);
  checkKnownFields(w, 'workload.', wl, [
    'replicas', 'workers', 'resources', 'storage', 'autoscaling', 'podDisruptionBudget', 'topologySpreadConstraints', 'overrides',
  ], 'a workload field');
  if (wl.replicas !== undefined) checkInteger(w.scope, `${w.prefix}workload.replicas`, wl.replicas, 0, INT32_MAX);
  if (wl.workers !== undefined) checkInteger(w.scope, `${w.prefix}workload.workers`, wl.workers, 1, INT32_MAX);
  if (wl.resources !== undefined) objectAt(w, 'workload.resources', wl.resources);
  if (wl.storage !== undefined) {
    const storage = objectAt(w, 'workload.storage', wl.storage);
    if (storage.size !== undefined && !QUANTITY.test(String(storage.size))) {
      throw fail(w, 'workload.storage.size', `must be a quantity such as "20Gi" (got ${show(storage.size)})`);
    }
    if (storage.mountPath !== undefined) checkText(w, 'workload.storage.mountPath', storage.mountPath);
  }
  if (wl.autoscaling !== undefined) checkAutoscaling(w, objectAt(w, 'workload.autoscaling', wl.autoscaling));
  if (wl.podDisruptionBudget !== undefined) {
    const pdb = objectAt(w, 'workload.podDisruptionBudget', wl.podDisruptionBudget);
    const given = ['minAvailable', 'maxUnavailable'].filter((k) => pdb[k] !== undefined);
    if (given.length !== 1) throw fail(w, 'workload.podDisruptionBudget', `must set exactly one of minAvailable or maxUnavailable (got ${show(pdb)})`);
  }
  if (wl.topologySpreadConstraints !== undefined) listAt(w, 'workload.topologySpreadConstraints', wl.topologySpreadConstraints, 'topology spread constraints');
  if (wl.overrides !== undefined) checkOverrides(w, objectAt(w, 'workload.overrides', wl.overrides));
}

function checkAutoscaling(w: Where, a: Record<string, any>): void {
  const field = (key: string) => `${w.prefix}workload.autoscaling.${key}`;
  if (a.maxReplicas === undefined) throw fail(w, 'workload.autoscaling.maxReplicas', 'is required when autoscaling is set');
  checkInteger(w.scope, field('maxReplicas'), a.maxReplicas, 1, INT32_MAX);
  if (a.minReplicas !== undefined) {
    checkInteger(w.scope, field('minReplicas'), a.minReplicas, 1, INT32_MAX);
    if (a.maxReplicas < a.minReplicas) {
      throw fail(w, 'workload.autoscaling.maxReplicas', `(${a.maxReplicas}) must be greater than or equal to minReplicas (${a.minReplicas})`);
    }
  }
  for (const key of ['targetCPUUtilizationPercentage', 'targetMemoryUtilizationPercentage']) {
    if (a[key] !== undefined) checkInteger(w.scope, field(key), a[key], 1, 100);
  }
}

function checkOverrides(w: Where, o: Record<string, any>): void {
  const field = (key: string) => `workload.overrides.${key}`;
  checkKnownFields(w, 'workload.overrides.', o, ['env', 'command', 'args', 'serviceAccountName', 'volumes', 'volumeMounts'], 'a workload override');
  if (o.command !== undefined) checkTextList(w, field('command'), o.command, 'arguments');
  if (o.args !== undefined) checkTextList(w, field('args'), o.args, 'arguments');
  if (o.serviceAccountName !== undefined) checkSubdomain(w.scope, `${w.prefix}${field('serviceAccountName')}`, o.serviceAccountName);
  const named = (key: string, required: string[], what: string) => {
    if (o[key] === undefined) return;
    listAt(w, field(key), o[key], what).forEach((item, i) => {
      for (const r of required) checkText(w, `${field(key)}[${i}].${r}`, objectAt(w, `${field(key)}[${i}]`, item)[r]);
    });
  };
  named('env', ['name'], 'env vars {name, value | valueFrom}');
  named('volumes', ['name'], 'volumes');
  named('volumeMounts', ['name', 'mountPath'], 'volume mounts {name, mountPath}');
}
