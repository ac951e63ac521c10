/**
 * What scheduling changes when upstream's alpha EPP is replaced by the GA one with the target chart's default
 * plugins: the alpha EPP ran its own EndpointPickerConfig (the v0.5.1 chart's default is a decision tree of
 * low-queue, LoRA-affinity, least-queue and least-KV-cache filters with a random picker:
 * config/charts/inferencepool/templates/epp-config.yaml@v0.5.1), the GA EPP the target chart's scorers. Said as one
 * warning, in the plan and the first stage's README, with the way to keep it (`--epp-config`); an EPP from before
 * plugin configs (v0.2.0..v0.4.x) is said with its built-in scheduler. Pure.
 */
import { parse } from 'yaml';
import { gieAtLeast, upstreamEppRelease } from '../convert/gie-versions';
import { defaultPluginsConfig, eppChartFacts } from '../inference/epp-chart';

/** The plugins of an EndpointPickerConfig text, `type` (and `name` when it differs), or undefined when it is none. */
export function pluginsOf(text: string): string[] | undefined {
  let config: any;
  try {
    config = parse(text);
  } catch {
    return undefined;
  }
  if (config?.kind !== 'EndpointPickerConfig' || !Array.isArray(config.plugins)) return undefined;
  return config.plugins.filter((p: any) => typeof p?.type === 'string')
    .map((p: any) => (typeof p.name === 'string' && p.name !== p.type ? `${p.type} (${p.name})` : p.type));
}

/** The scheduling profile of the target chart's default config, as `type (weight)`. */
function gaDefaultPlugins(gieVersion: string): string[] {
  const config = parse(defaultPluginsConfig(eppChartFacts(gieVersion)));
  const weights = new Map<string, number | undefined>((config.schedulingProfiles?.[0]?.plugins ?? []).map((p: any) => [p.pluginRef, p.weight]));
  return (config.plugins as any[]).map((p) => (weights.get(p.type) !== undefined ? `${p.type} (weight ${weights.get(p.type)})` : p.type));
}

/**
 * The alpha EPP's plugins config among its carried objects: a ConfigMap value holding an EndpointPickerConfig,
 * the key its `-configFile`/`--config-file` names first. Undefined when none is carried.
 */
export function alphaPluginsConfig(objects: any[]): { where: string; plugins: string[] } | undefined {
  const args: string[] = objects.filter((o) => o?.kind === 'Deployment')
    .flatMap((o) => o.spec?.template?.spec?.containers ?? []).flatMap((c: any) => (Array.isArray(c?.args) ? c.args : []))
    .filter((a: unknown): a is string => typeof a === 'string');
  const named = args.map((a) => a.split('/').pop()!).filter((a) => /\.ya?ml$/.test(a));
  const found: Array<{ where: string; key: string; plugins: string[] }> = [];
  for (const o of objects.filter((x) => x?.kind === 'ConfigMap')) {
    for (const [key, value] of Object.entries(o.data ?? {})) {
      const plugins = typeof value === 'string' ? pluginsOf(value) : undefined;
      if (plugins) found.push({ where: `ConfigMap ${o.metadata?.name} (${key})`, key, plugins });
    }
  }
  const chosen = found.find((f) => named.includes(f.key)) ?? found[0];
  return chosen ? { where: chosen.where, plugins: chosen.plugins } : undefined;
}

/**
 * The scheduler upstream's EPP built in before plugin configs (v0.5.0 added `-configFile`): a decision tree that sends a
 * critical request through low-queue, LoRA-affinity, least-queue and least-KV-cache filters and drops a sheddable one
 * when no pod has capacity (`pkg/epp/scheduling/scheduler.go@v0.3.0`: `defaultFilter`; `@v0.4.0`: `NewScheduler`
 * with the same `DecisionTreeFilter`s). Undefined unless the alpha EPP is upstream's image at such a release.
 */
export function alphaBuiltInScheduler(objects: any[]): { where: string; plugins: string[] } | undefined {
  const images: string[] = objects.filter((o) => o?.kind === 'Deployment')
    .flatMap((o) => o.spec?.template?.spec?.containers ?? []).map((c: any) => c?.image)
    .filter((i: unknown): i is string => typeof i === 'string');
  const release = images.map(upstreamEppRelease).find((r) => r !== undefined);
  if (release === undefined || gieAtLeast(release, 'v0.5.0')) return undefined;
  return {
    where: `the scheduler built into the GIE ${release} EPP, which reads no plugin config`,
    plugins: ['a decision tree of low-queue, LoRA-affinity, least-queue and least-KV-cache filters for critical requests', 'sheddable requests dropped when no pod has capacity'],
  };
}

/** The warning on what scheduling changes, or undefined when the alpha config is not known. */
export function schedulingChangeWarning(poolName: string, objects: any[], gieVersion: string): string | undefined {
  const alpha = alphaPluginsConfig(objects) ?? alphaBuiltInScheduler(objects);
  if (alpha === undefined) return undefined;
  return `Scheduling changes on the GA pool of ${poolName}: the alpha Endpoint Picker ran ${alpha.plugins.join(', ')} (${alpha.where}); ` +
    `the GA Endpoint Picker runs the inferencepool chart ${gieVersion}'s default plugins, ${gaDefaultPlugins(gieVersion).join(', ')}. ` +
    'To keep what the alpha scheduling did (LoRA affinity, say: lora-affinity-scorer at v1), give the GA config with --epp-config (library: eppConfig).';
}
