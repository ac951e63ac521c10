/**
 * The parallel-gateway strategy: a second Gateway, served by a control plane that serves the v1 group, carries a
 * copy of each route to the GA pool while the old Gateway keeps the alpha routes; clients move between the two
 * addresses outside the cluster. For gateways that serve only one group at a time (Istio: 1.27 the alpha group,
 * 1.28+ only v1), the zero-downtime path. Props, their resolution, and the README's commands and steps.
 */
import { GatewayImplementation } from './gateway-implementation';
import { ResolvedParallelGateway } from './inference-objects';
import { ResolvedInferenceMigration } from './inference-resolve';
import { ManualStep, ManualStepTiming } from './migration-stage';
import { ParallelGatewayOptions } from './parallel-gateway-options';
import { PlannedStage } from './plan';
import { eppRequestMetrics } from '../convert/epp-metrics';
import { CarriedManifest } from '../core/carried-manifest';
import { propError, show } from '../core/errors';
import { checkLabels, checkSubdomain } from '../core/names';
import { shellQuote as q } from '../core/shell';

/** The label that binds an Istio Gateway to a control-plane revision. */
export const ISTIO_REVISION_LABEL = 'istio.io/rev';

/** Checks the options against the routes and the implementation; the resolved Gateway. */
export function resolveParallelGateway(where: string, m: ResolvedInferenceMigration, options: ParallelGatewayOptions | undefined,
  implementation: GatewayImplementation): ResolvedParallelGateway {
  if (!options || typeof options !== 'object') {
    throw propError(where, 'parallelGateway', `is required by the parallel-gateway strategy: the new Gateway's name, the original Gateway (its listeners are copied) and, on Istio, the label ${ISTIO_REVISION_LABEL}=<revision> of a control plane that serves v1 (got ${show(options)})`);
  }
  const original = options.originalGateway;
  if (!(original instanceof CarriedManifest)) throw propError(where, 'parallelGateway.originalGateway', `must be the original Gateway as a CarriedManifest (got ${show(original)})`);
  const o = original._object;
  if (o.kind !== 'Gateway' || !String(o.apiVersion).startsWith('gateway.networking.k8s.io/')) {
    throw propError(where, 'parallelGateway.originalGateway', `must be a gateway.networking.k8s.io Gateway (got ${o.apiVersion} ${o.kind})`);
  }
  const originalName: string = o.metadata.name;
  const originalNamespace: string = o.metadata.namespace ?? m.namespace;
  const attached = m.routes.some((r) => r.parentRefs.some((p) => p.name === originalName && (p.namespace ?? r.namespace) === originalNamespace));
  if (!attached) {
    throw propError(where, 'parallelGateway.originalGateway', `must be the Gateway the routes attach to; ${originalNamespace}/${originalName} is not a parent of ${m.routes.map((r) => `${r.namespace}/${r.name}`).join(', ')}`);
  }
  const listeners = o.spec?.listeners;
  if (!Array.isArray(listeners) || listeners.length === 0) throw propError(where, 'parallelGateway.originalGateway', `has no spec.listeners to copy (Gateway ${originalNamespace}/${originalName})`);
  checkSubdomain(where, 'parallelGateway.name', options.name);
  if (options.name === originalName) throw propError(where, 'parallelGateway.name', `must differ from the original Gateway's name ${show(originalName)}`);
  const gatewayClassName = options.gatewayClassName ?? o.spec?.gatewayClassName;
  if (typeof gatewayClassName !== 'string') throw propError(where, 'parallelGateway.gatewayClassName', 'is required: the original Gateway names no class');
  checkSubdomain(where, 'parallelGateway.gatewayClassName', gatewayClassName);
  const labels = options.labels ?? {};
  checkLabels(where, 'parallelGateway.labels', labels, 0, 64);
  if (implementation === GatewayImplementation.ISTIO && !labels[ISTIO_REVISION_LABEL]) {
    throw propError(where, 'parallelGateway.labels', `must set ${ISTIO_REVISION_LABEL}: <revision> on Istio, naming a control plane that serves the v1 InferencePool (Istio 1.28 or later, installed beside the current one as a revision): a second Gateway without it is served by the same control plane as ${originalNamespace}/${originalName}, which cannot serve both groups (got ${show(labels)})`);
  }
  const routeSuffix = options.routeNameSuffix ?? '-ga';
  if (!/^[-.a-z0-9]{1,40}$/.test(routeSuffix)) throw propError(where, 'parallelGateway.routeNameSuffix', `must be 1..40 lower-case letters, digits, '-' or '.' (got ${show(routeSuffix)})`);
  for (const r of m.routes) checkSubdomain(where, 'parallelGateway.routeNameSuffix', `${r.name}${routeSuffix}`);
  const copied = copiedMetadata(o.metadata);
  return {
    name: options.name,
    namespace: originalNamespace,
    gatewayClassName,
    labels: { ...copied.labels, ...labels },
    annotations: copied.annotations,
    differences: gatewayDifferences(o, options.name, gatewayClassName, labels, copied.dropped),
    listeners,
    infrastructure: o.spec?.infrastructure,
    original: { name: originalName, namespace: originalNamespace },
    routeSuffix,
  };
}

/**
 * Labels and annotations that say who owns or applied the original (Argo CD's tracking, Flux's, Helm's, kubectl's):
 * on the copy they would make the original's owner claim, and with pruning delete, the new Gateway.
 */
const OWNER_KEYS = [
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/, /^argocd\.argoproj\.io\//, /^app\.kubernetes\.io\/instance$/,
  /^kustomize\.toolkit\.fluxcd\.io\//, /^helm\.toolkit\.fluxcd\.io\//, /^meta\.helm\.sh\//,
];

function copiedMetadata(metadata: any): { labels: { [k: string]: string }; annotations: { [k: string]: string }; dropped: string[] } {
  const keep = (from: unknown, dropped: string[]) => Object.fromEntries(Object.entries(typeof from === 'object' && from !== null ? from : {})
    .filter(([k, v]) => typeof v === 'string' && (OWNER_KEYS.some((re) => re.test(k)) ? (dropped.push(k), false) : true))) as { [k: string]: string };
  const dropped: string[] = [];
  return { labels: keep(metadata?.labels, dropped), annotations: keep(metadata?.annotations, dropped), dropped };
}

/** How the new Gateway differs from the original: name, class, labels given, owners' keys, addresses. */
function gatewayDifferences(o: any, name: string, gatewayClassName: string, labels: { [k: string]: string }, dropped: string[]): string[] {
  const out = [`metadata.name: ${name} (the original is ${o.metadata.name})`];
  if (gatewayClassName !== o.spec?.gatewayClassName) out.push(`spec.gatewayClassName: ${gatewayClassName} (the original's is ${o.spec?.gatewayClassName})`);
  for (const [k, v] of Object.entries(labels)) {
    const was = o.metadata?.labels?.[k];
    if (was !== v) out.push(`label ${k}: ${v} (${was === undefined ? 'not on the original' : `the original has ${was}`})`);
  }
  for (const k of dropped) out.push(`${k} is not copied: it says who owns the original, and would make that owner claim the new Gateway`);
  if (Array.isArray(o.spec?.addresses) && o.spec.addresses.length > 0) {
    out.push('spec.addresses is not copied: two Gateways cannot hold the same address, and clients move from the old address to the new one; give the new Gateway its own address if it needs a fixed one');
  }
  return out;
}

/** The manual steps of the parallel-gateway stages: moving clients (with preconditions and checks), retiring the old Gateway. */
export function parallelManualSteps(m: ResolvedInferenceMigration, planned: PlannedStage, p: ResolvedParallelGateway,
  implementation: GatewayImplementation, alphaEppName?: string): ManualStep[] {
  const ns = m.namespace;
  const gaMetrics = eppRequestMetrics(m.gieVersion);
  const copy: ManualStep = {
    timing: ManualStepTiming.BEFORE_SYNC,
    text: `The new Gateway ${p.namespace}/${p.name} is a copy of ${p.original.namespace}/${p.original.name} (labels, annotations, listeners, infrastructure) except:\n` +
      p.differences.map((d) => `- ${d}`).join('\n'),
  };
  if (planned.name === 'side-by-side' && implementation !== GatewayImplementation.ISTIO) return [copy];
  if (planned.name === 'side-by-side' && implementation === GatewayImplementation.ISTIO) {
    return [copy, {
      timing: ManualStepTiming.BEFORE_SYNC,
      text: `Install the Istio control plane the new Gateway names (${ISTIO_REVISION_LABEL}: ${p.labels[ISTIO_REVISION_LABEL]}) beside the current one, as a revision: Istio 1.28 or later, with the inference extension enabled (pilot env ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true, as GIE's guides install it). The current control plane and its Gateway stay as they are.`,
      commands: [
        `istioctl install --set revision=${q(p.labels[ISTIO_REVISION_LABEL])} --set values.pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true`,
        `kubectl get pods -n istio-system -l ${q(`${ISTIO_REVISION_LABEL}=${p.labels[ISTIO_REVISION_LABEL]}`)}`,
      ],
    }];
  }
  if (planned.name === 'move-clients') {
    return [
      {
        timing: ManualStepTiming.BEFORE_SYNC,
        text: 'Preconditions, before any client moves:\n' +
          `- the previous stage is verified: the new Gateway ${p.namespace}/${p.name} is programmed, every copy of the routes is Accepted with ResolvedRefs=True, and a request through its address returns 200;\n` +
          '- the new address serves the same listeners: each TLS listener presents its certificate for your host names on the new address;\n' +
          '- the Endpoint Picker of the GA pool is ready, and clients that need headers send them (see 01-side-by-side);\n' +
          '- lower the TTL of the DNS records (or prepare the load balancer weights) that point clients at the old address, one TTL ahead.',
        commands: [
          `OLD_IP=$(kubectl get ${q(`gateway/${p.original.name}`)} -n ${q(p.original.namespace)} -o jsonpath='{.status.addresses[0].value}')`,
          `NEW_IP=$(kubectl get ${q(`gateway/${p.name}`)} -n ${q(p.namespace)} -o jsonpath='{.status.addresses[0].value}')`,
          'echo "old: ${OLD_IP} new: ${NEW_IP}"',
        ],
      },
      {
        timing: ManualStepTiming.AFTER_SYNC,
        text: 'Move the clients from the old address to the new one, outside the cluster: point the DNS records at the new address (or shift the load balancer\'s weights step by step). Both gateways serve while clients move; rolling back is pointing them back at the old address.',
      },
      {
        timing: ManualStepTiming.AFTER_VERIFY,
        text: 'Before promoting the cleanup stage, check that no client uses the old address any more: the alpha Endpoint Picker\'s request counter stops growing while the GA one grows (wait at least one DNS TTL after the switch).',
        commands: [
          ...(alphaEppName ? [`kubectl logs -n ${q(ns)} ${q(`deployment/${alphaEppName}`)} --since=10m | tail -n 20   # the alpha EPP: no new requests`] : []),
          `kubectl port-forward -n ${q(ns)} ${q(`svc/${m.gaEppName ?? '<ga-epp-service>'}`)} 9090:9090 &`,
          `curl -s -H "Authorization: Bearer $(kubectl create token <metrics-reader-service-account> -n ${q(ns)})" localhost:9090/metrics | grep -E '^${gaMetrics.requests}'`,
        ],
      },
    ];
  }
  if (planned.name === 'cleanup') {
    return [{
      timing: ManualStepTiming.AFTER_VERIFY,
      text: `The old Gateway ${p.original.namespace}/${p.original.name} no longer carries this migration's routes. Delete it where it is managed once nothing else uses it${implementation === GatewayImplementation.ISTIO ? ', then remove the old Istio control plane (istioctl uninstall --revision <old revision>) once no Gateway or workload uses it' : ''}.`,
      // Exact names: `grep -w gw` would also match gw-v1, the new Gateway.
      commands: [`kubectl get httproutes --all-namespaces -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{.spec.parentRefs[*].name}{"\\n"}{end}' | awk -v gw=${q(p.original.name)} '{for (i = 2; i <= NF; i++) if ($i == gw) print $1}'`],
    }];
  }
  return [];
}
