/**
 * The GA Endpoint Picker of one pool: upstream's (no options) for upstream's alpha EPP, or the alpha EPP's
 * own container kept with the image the user gives for a custom one.
 */
import { customEppSettings, eppContainer, isUpstreamEppImage, splitImage } from './custom-epp';
import type { PoolIdentity } from './http-route';
import type { Located } from './located-objects';
import { fieldLine, InputError, SourceObject } from './sources';
import { GA_POOL_GROUP } from '../inference/api';
import type { EndpointPickerOptions } from '../inference/endpoint-picker';
import { eppFlagRelease } from '../inference/epp-flags';

/** What the GA EPP is built from: the alpha EPP's objects, and where objects are. */
export interface AlphaEndpointPicker {
  readonly epp: Located[];
  readonly at: (s: SourceObject) => string;
}

/**
 * The GA EPP's options: none for upstream's alpha EPP (the target's upstream EPP replaces it, as for an
 * EPP that is not in the input); for a custom image, its container kept with `eppImage`, or an error
 * naming the image and the flag.
 */
export function gaEndpointPicker(id: PoolIdentity, parts: AlphaEndpointPicker, eppImage: string | undefined, eppGieVersion?: string):
{ options?: EndpointPickerOptions; warnings: string[] } {
  const release = eppGieVersion !== undefined ? { imageGieVersion: eppFlagRelease(eppGieVersion) } : {};
  const deployment = parts.epp.find((l) => l.obj.kind === 'Deployment' && l.group === 'apps');
  const container = deployment ? eppContainer(deployment.obj) : undefined;
  const image = typeof container?.image === 'string' ? container.image : undefined;
  if (!deployment || image === undefined || isUpstreamEppImage(image)) {
    if (eppImage === undefined) return { warnings: [] };
    const [repo, tag] = splitImage(eppImage);
    return {
      options: { image: repo, imageTag: tag, ...release },
      warnings: [`The GA Endpoint Picker of ${id.namespace}/${id.name} runs ${eppImage} (--epp-image) with upstream's flags and default plugins${releaseNote(eppGieVersion)}.`],
    };
  }
  const line = fieldLine(deployment.source, 'spec.template.spec.containers');
  if (eppImage === undefined) {
    throw new InputError([{
      file: deployment.source.file,
      line,
      message: `the alpha Endpoint Picker ${deployment.obj.metadata.name} of pool ${id.namespace}/${id.name} runs ${image}, not upstream's EPP: the GA pool's EPP would be ` +
        'upstream\'s epp with its default plugins, silently replacing yours. Give --epp-image <image:tag> (a release of your EPP that serves the v1 InferencePool, ' +
        `group ${GA_POOL_GROUP}): the GA EPP then keeps the alpha one's flags, environment, resources and plugin config, with that image`,
    }], '');
  }
  const configMaps = new Map(parts.epp.filter((l) => l.obj.kind === 'ConfigMap' && l.group === '').map((l) => [l.obj.metadata.name as string, l.obj.data ?? {}]));
  const settings = customEppSettings(container, deployment.obj.spec?.template?.spec, eppImage, (name) => configMaps.get(name));
  const kept = [
    ...(settings.options.flags ? [`flags ${Object.entries(settings.options.flags).map(([k, v]) => `--${k} ${v}`).join(' ')}`] : []),
    ...(settings.options.env ? [`env ${Object.keys(settings.options.env).join(', ')}`] : []),
    ...(settings.options.resources ? ['CPU and memory'] : []),
    ...(settings.options.pluginsConfig !== undefined ? [`the plugin config ${settings.options.pluginsConfigFile}`] : []),
  ];
  return {
    options: { ...settings.options, ...release },
    warnings: [
      `The alpha Endpoint Picker ${deployment.obj.metadata.name} (${parts.at(deployment.source)}) runs ${image}: the GA EPP runs ${eppImage} (--epp-image) and keeps ` +
        `${kept.length > 0 ? kept.join(', ') : 'nothing else (the alpha EPP sets no flags, env, resources or plugin config)'}. Check that this image serves the v1 InferencePool (--pool-group ${GA_POOL_GROUP})${releaseNote(eppGieVersion)}.`,
      ...settings.dropped.map((d) => `The GA Endpoint Picker of ${id.namespace}/${id.name} does not keep ${d}.`),
    ],
  };
}


/** What the GA EPP's flags rest on: the release the image is built on (checked), or nothing the target adds. */
function releaseNote(eppGieVersion: string | undefined): string {
  return eppGieVersion !== undefined
    ? `; every flag is checked against the flags of GIE ${eppFlagRelease(eppGieVersion)} (--epp-gie-version), and the target release's chart flags are added only where that release has them`
    : '; no flag of the target release\'s chart is added (e.g. --tracing=false): give --epp-gie-version <release the image is built on> to add them where it has them and to check every flag';
}
