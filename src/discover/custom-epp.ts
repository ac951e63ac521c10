/**
 * Whether an alpha Endpoint Picker runs upstream's image, and, for one that does not (llm-d's
 * `llm-d-inference-scheduler`, production-stack's router), what of its container the GA EPP keeps:
 * flags other than the pool's, environment variables, requests and limits, and the plugin config its
 * `--config-file` reads from a mounted ConfigMap. Pure: plain objects in, options and messages out.
 */
import type { EnvVar, EnvVarSource, ResourceRequirements } from '../core/pod-types';
import { isQuantity } from '../core/pod-values';
import type { EndpointPickerOptions } from '../inference/endpoint-picker';

/** Registries of upstream's EPP image: releases, and staging builds. */
const UPSTREAM_EPP_IMAGES = [
  'registry.k8s.io/gateway-api-inference-extension/epp',
  'us-central1-docker.pkg.dev/k8s-staging-images/gateway-api-inference-extension/epp',
];

/** Flags the GA EPP construct sets itself, or whose value it fixes (its ports), by their v1 names. */
const OWNED_FLAGS = new Set(['pool-name', 'pool-namespace', 'pool-group', 'config-file', 'config-text', 'zap-encoder', 'ha-enable-leader-election']);
const FIXED_PORTS: { readonly [flag: string]: string } = { 'grpc-port': '9002', 'grpc-health-port': '9003', 'metrics-port': '9090' };

/** The EPP container of a Deployment: the one named `epp`, else the first. */
export function eppContainer(deployment: any): any | undefined {
  const containers = deployment?.spec?.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return undefined;
  return containers.find((c: any) => c?.name === 'epp') ?? containers[0];
}

/** True when `image` is upstream's EPP (any tag or digest). */
export function isUpstreamEppImage(image: string): boolean {
  const repo = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  return UPSTREAM_EPP_IMAGES.includes(repo);
}

/** What the GA EPP keeps of a custom alpha EPP. */
export interface CustomEppSettings {
  readonly options: EndpointPickerOptions;
  /** What is not kept, one sentence each. */
  readonly dropped: string[];
}

/**
 * The GA EPP options that keep a custom alpha EPP's container: `image` (the user's, `repo:tag`), its
 * flags (camelCase names of the alpha line in kebab-case, as v1 EPPs spell them), plain env values,
 * CPU and memory, and the plugin config file its `--config-file` names in a mounted ConfigMap
 * (`configMap(name)` returns that ConfigMap's data).
 */
export function customEppSettings(container: any, podSpec: any, image: string,
  configMap: (name: string) => { [key: string]: string } | undefined): CustomEppSettings {
  const dropped: string[] = [];
  // Stryker disable next-line OptionalChaining: equivalent: the only caller (gaEndpointPicker) passes a container whose image is a string, never undefined
  const { flags, configFile } = eppFlags(Array.isArray(container?.args) ? container.args.map(String) : [], dropped);
  const [repo, tag] = splitImage(image);
  const options: { -readonly [K in keyof EndpointPickerOptions]: EndpointPickerOptions[K] } = { image: repo, imageTag: tag };
  if (Object.keys(flags).length > 0) options.flags = flags;

  const env: EnvVar[] = [];
  // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent: the container is always an object; an item of a non-list has no name and is skipped
  for (const e of Array.isArray(container?.env) ? container.env : []) {
    // The EPP construct sets these itself (from the pod's metadata).
    if (typeof e?.name !== 'string' || e.name === 'NAMESPACE' || e.name === 'POD_NAME') continue;
    if (typeof e.value === 'string') env.push({ name: e.name, value: e.value });
    else if (isEnvSource(e.valueFrom)) env.push({ name: e.name, valueFrom: e.valueFrom });
    else dropped.push(`env ${e.name} (from ${Object.keys(e.valueFrom ?? {}).join(', ') || 'nothing'}): add it to the GA EPP by hand`);
  }
  if (env.length > 0) options.env = env;

  // Stryker disable next-line OptionalChaining: equivalent: the only caller (gaEndpointPicker) passes a container whose image is a string, never undefined
  const resources = containerResources(container?.resources, dropped);
  if (resources) options.resources = resources;

  if (configFile !== undefined) {
    const plugins = mountedFile(container, podSpec, configFile, configMap);
    if (plugins) {
      options.pluginsConfig = plugins.text;
      options.pluginsConfigFile = plugins.key;
    } else {
      dropped.push(`the plugin config ${configFile}: no ConfigMap in the input is mounted there, so the GA EPP gets the default plugins; give the GA EPP that config by hand`);
    }
  }
  const mountedElsewhere = volumeMountsOf(container)
    .filter((m: any) => configFile === undefined || !configFile.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`));
  for (const m of mountedElsewhere) dropped.push(`the volume ${m.name} mounted at ${m.mountPath}: add it to the GA EPP by hand`);
  return { options, dropped };
}

/**
 * True for a `valueFrom` that names exactly one of the sources `EnvVarSource` types: a Secret's or ConfigMap's key
 * in the pool's namespace (where the GA EPP runs too), a field or a resource of the pod.
 */
function isEnvSource(source: unknown): source is EnvVarSource {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) return false;
  const keys = Object.keys(source);
  return keys.length === 1 && ['secretKeyRef', 'configMapKeyRef', 'fieldRef', 'resourceFieldRef'].includes(keys[0]);
}

/** `repo:tag` (a digest counts as the tag). */
export function splitImage(image: string): [string, string] {
  const at = image.indexOf('@');
  if (at > 0) return [image.slice(0, at), image.slice(at + 1)];
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return [image.slice(0, colon), image.slice(colon + 1)];
  return [image, 'latest'];
}

/** The flags of the alpha container by v1 name, the config file it reads, and what is dropped. */
function eppFlags(args: string[], dropped: string[]): { flags: { [name: string]: string }; configFile?: string } {
  const flags: { [name: string]: string } = {};
  let configFile: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) {
      dropped.push(`the argument ${JSON.stringify(arg)}, which follows no flag`);
      continue;
    }
    const [rawName, inline] = arg.replace(/^-+/, '').split(/=(.*)/s, 2);
    const name = kebab(rawName);
    let value = inline;
    if (value === undefined) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('-')) {
        // A boolean flag.
        value = 'true';
      } else {
        value = next;
        i++;
      }
    }
    if (name === 'config-file') {
      configFile = value;
      continue;
    }
    if (OWNED_FLAGS.has(name)) continue;
    if (value === 'true' || value === 'false') {
      // The EPP construct writes `--x value`, as the chart does; Go's flag package reads a boolean only as
      // `--x=value` (`--x false` sets it and stops parsing at `false`).
      dropped.push(`the boolean flag --${name}=${value}: add it to the GA EPP's args by hand in that form`);
      continue;
    }
    if (FIXED_PORTS[name] !== undefined) {
      if (value !== FIXED_PORTS[name]) dropped.push(`--${name} ${value}: the GA EPP listens on ${FIXED_PORTS[name]}`);
      continue;
    }
    flags[name] = value;
  }
  return { flags, ...(configFile !== undefined ? { configFile } : {}) };
}

/** `poolName` -> `pool-name`; kebab-case stays. */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** A container's volume mounts that are objects: an empty item (YAML `-` with nothing) mounts nothing. */
function volumeMountsOf(container: any): any[] {
  // Stryker disable next-line OptionalChaining: equivalent: the only caller (gaEndpointPicker) passes a container whose image is a string, never undefined
  return (Array.isArray(container?.volumeMounts) ? container.volumeMounts : []).filter((m: unknown) => m !== null && typeof m === 'object');
}

/** The ConfigMap key mounted at `file` in the container, and its text. */
function mountedFile(container: any, podSpec: any, file: string,
  configMap: (name: string) => { [key: string]: string } | undefined): { key: string; text: string } | undefined {
  for (const m of volumeMountsOf(container)) {
    const dir = String(m.mountPath).replace(/\/$/, '');
    if (!file.startsWith(`${dir}/`)) continue;
    const key = file.slice(dir.length + 1);
    // Stryker disable next-line ArrayDeclaration: equivalent: a string item of a non-list has no configMap, so no ConfigMap is read either way
    const volume = (Array.isArray(podSpec?.volumes) ? podSpec.volumes : []).find((v: any) => v?.name === m.name);
    const name = volume?.configMap?.name;
    const data = typeof name === 'string' ? configMap(name) : undefined;
    if (data && typeof data[key] === 'string') return { key, text: data[key] };
  }
  return undefined;
}

/** The requests and limits of a container that are quantities, as they are written; the rest is dropped. */
function containerResources(resources: any, dropped: string[]): ResourceRequirements | undefined {
  if (!resources || typeof resources !== 'object') return undefined;
  const out: { requests?: { [name: string]: string }; limits?: { [name: string]: string } } = {};
  for (const kind of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries(resources[kind] ?? {})) {
      // YAML reads `cpu: 2` as a number: a quantity all the same.
      const quantity = typeof q === 'number' ? String(q) : q;
      if (isQuantity(quantity)) out[kind] = { ...out[kind], [name]: quantity };
      else dropped.push(`${kind}.${name} ${String(q)}: not a quantity this tool reads; set it on the GA EPP by hand`);
    }
  }
  return out.requests || out.limits ? out : undefined;
}
