/**
 * The planner's platform phase: the gateway implementation and provider a migration is planned for (a
 * flag wins; else what the input shows: the routes' Gateways, the alpha stack's Istio or GKE objects), and
 * the second Gateway when the strategy that works there is parallel-gateway.
 */
import type { Located } from './located-objects';
import type { PlannedPlatform, PlanOptions } from './planner-types';
import { detectPlatform } from './platform-detection';
import { InputError } from './sources';
import { CarriedManifest } from '../core/carried-manifest';
import { shellQuote } from '../core/shell';
import { InferenceProvider } from '../inference/types';
import { GatewayCapabilities } from '../migration/gateway-capabilities';
import { GatewayImplementation } from '../migration/gateway-implementation';
import { MigrationRoute } from '../migration/migration-route';
import { MigrationStrategy } from '../migration/migration-strategy';
import type { ZeroDowntimeMigrationProps } from '../migration/zero-downtime-migration';

/** The lines `plan` prints for a migration's platform: its name with the first two notes, then the rest indented. */
export function platformLines(name: string, notes: string[]): string[] {
  return [`${name}: ${notes[0]}; ${notes[1]}`, ...notes.slice(2).map((n) => `  ${n}`)];
}

/** A migration's platform, and the gateway and provider to plan with (undefined: nothing known). */
export interface PlatformChoice {
  readonly platform: PlannedPlatform;
  readonly gateway?: GatewayImplementation;
  readonly provider?: InferenceProvider;
}

/** What the platform is read from: the pool's routes, every object of the input, the carried alpha stack. */
export interface PlatformEvidence {
  readonly routes: Located[];
  readonly all: Located[];
  readonly carried: Located[];
  readonly at: (l: Located) => string;
}

/** The gateway and provider: a flag wins; else what the input shows; the gateway follows a GKE or Istio provider. */
export function choosePlatform(evidence: PlatformEvidence, options: PlanOptions): PlatformChoice {
  const src = (l: Located) => ({ obj: l.obj, namespace: l.namespace, group: l.group, at: evidence.at(l) });
  const detected = detectPlatform(evidence.routes.map(src), evidence.all.map(src), evidence.carried.map(src));
  const provider = options.provider ?? detected.provider;
  const gateway = options.gateway ?? detected.gateway ?? (provider === InferenceProvider.GKE ? GatewayImplementation.GKE
    : provider === InferenceProvider.ISTIO ? GatewayImplementation.ISTIO : undefined);
  // A version detected for the gateway (an Istio revision label) holds for it when the flag names the same gateway.
  const versionKept = options.gatewayVersion === undefined && options.gateway !== undefined && options.gateway === detected.gateway
    && detected.gatewayVersion !== undefined;
  const gatewayVersion = options.gatewayVersion ?? (options.gateway === undefined || versionKept ? detected.gatewayVersion : undefined);
  const platform: PlannedPlatform = {
    gateway: gateway ?? GatewayImplementation.GENERIC,
    ...(gatewayVersion !== undefined ? { gatewayVersion } : {}),
    gatewayFrom: options.gateway !== undefined ? 'flag' : detected.gateway !== undefined ? 'detected' : gateway !== undefined ? 'provider' : 'default',
    provider: provider ?? InferenceProvider.NONE,
    providerFrom: options.provider !== undefined ? 'flag' : detected.provider !== undefined ? 'detected' : 'default',
    doubts: detected.doubts,
    evidence: [
      ...detected.evidence,
      ...(versionKept ? [`--gateway ${options.gateway} without --gateway-version: the version ${detected.gatewayVersion} detected for it is kept`] : []),
      ...(options.gateway === GatewayImplementation.GENERIC && detected.gateway !== undefined && detected.gateway !== GatewayImplementation.GENERIC
        ? [`--gateway generic overrides the detected ${detected.gateway}: its row of the gateway table (docs/gateways.md) is not applied, and weighted-shift ` +
          'puts the alpha and the GA pool behind one gateway that may serve only one of the two groups']
        : []),
    ],
  };
  return { platform, ...(gateway !== undefined ? { gateway } : {}), ...(provider !== undefined ? { provider } : {}) };
}

/**
 * The second Gateway when the plan uses the parallel-gateway strategy (given, or the one the gateway needs): the
 * routes' Gateway is read from the directory, its listeners copied. Undefined for other strategies.
 */
export function parallelGatewayOf(pool: Located, routes: MigrationRoute[], gateways: Located[], options: PlanOptions,
  gateway?: GatewayImplementation):
  ZeroDowntimeMigrationProps['parallelGateway'] {
  // The second Gateway's flags choose parallel-gateway; else the gateway's working strategy, unless one was given.
  const strategy = options.strategy ?? (options.newGateway !== undefined ? MigrationStrategy.PARALLEL_GATEWAY
    : gateway !== undefined ? workingStrategyOf(gateway, options.gatewayVersion) : undefined);
  if (strategy !== MigrationStrategy.PARALLEL_GATEWAY) return undefined;
  const parents = [...new Map(routes.flatMap((r) => r.parentRefs.map((p) => {
    const ns = p.namespace ?? r.namespace ?? pool.namespace;
    return [`${ns}/${p.name}`, { name: p.name, namespace: ns }] as const;
  }))).values()];
  // Stryker disable next-line StringLiteral: equivalent: planRepo keeps only the problems of a pool's InputError and rethrows them under the repo's root, so this root is never shown
  const problem = (message: string) => new InputError([{ file: pool.source.file, line: pool.source.line, message }], '');
  if (parents.length !== 1) {
    throw problem(`the parallel-gateway strategy copies the one Gateway the routes attach to, and the routes of alpha InferencePool ${pool.namespace}/${pool.obj.metadata.name} attach to ${parents.length} (${parents.map((p) => `${p.namespace}/${p.name}`).join(', ')}): split the routes by Gateway, or choose another strategy`);
  }
  const parent = parents[0];
  const found = gateways.find((g) => g.obj.metadata.name === parent.name && g.namespace === parent.namespace);
  if (!found) {
    throw problem(`the parallel-gateway strategy copies the listeners of the Gateway ${parent.namespace}/${parent.name}, which is not in the directory that was planned: add its manifest (kubectl get gateway ${shellQuote(parent.name)} -n ${shellQuote(parent.namespace)} -o yaml), then plan again`);
  }
  const original = found.obj.metadata.namespace === undefined
    ? { ...found.obj, metadata: { ...found.obj.metadata, namespace: found.namespace } }
    : found.obj;
  const nw = options.newGateway ?? {};
  return {
    name: nw.name ?? `${parent.name}-v1`,
    originalGateway: CarriedManifest.fromObject(original),
    ...(nw.gatewayClassName !== undefined ? { gatewayClassName: nw.gatewayClassName } : {}),
    ...(nw.labels !== undefined ? { labels: nw.labels } : {}),
  };
}

/** The working strategy of the gateway table's row, or undefined where the version picks no row (the migration then says why, naming the prop). */
function workingStrategyOf(gateway: GatewayImplementation, version: string | undefined): MigrationStrategy | undefined {
  try {
    return GatewayCapabilities.of(gateway, version).workingStrategy;
  } catch {
    return undefined;
  }
}
