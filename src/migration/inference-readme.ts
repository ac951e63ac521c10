/**
 * What the READMEs of an InferencePool migration say: verification commands with real names, manual steps
 * (CRDs before the first GA stage, alpha removal after cleanup), the CRDs by URL, and the preflight. Pure
 * functions from the resolved migration to text. Internal.
 */
import { GKE_MANAGED_CRD_VERSION, compareGkeVersions, eppCrds, gaCrds, gieManifestsUrl, gkeCrdRelease, installCrdSteps, removeAlphaCrdCommands } from './crd-sources';
import { Header, ResolvedInferenceMigration } from './inference-resolve';
import { CrdReference } from './migration';
import { ManualStep, ManualStepTiming, StageCommand } from './migration-stage';
import { PlannedStage } from './plan';
import { eppRequestMetrics, eppRewriteMetric } from '../convert/epp-metrics';
import { gieAppliesModelRewrites } from '../convert/gie-versions';
import { shellOperands, shellQuote as q } from '../core/shell';
import { InferenceProvider } from '../inference/types';

/** The verification commands of an inference stage, with real names filled in. */
export function inferenceVerifications(m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header): StageCommand[] {
  const out: StageCommand[] = [];
  const ns = m.namespace;
  const gateways = uniqueGateways(m);
  for (const gw of gateways) {
    out.push({
      description: `The Gateway ${gw.namespace}/${gw.name} is programmed.`,
      command: `kubectl get gateway ${q(gw.name)} -n ${q(gw.namespace)} -o wide`,
      expected: m.gatewayClassName ? `CLASS is ${m.gatewayClassName} and PROGRAMMED is True.` : 'PROGRAMMED is True.',
    });
  }
  for (const route of m.routes) {
    if (planned.route.kind === 'none' && (route.otherRules ?? []).length === 0) {
      out.push({ description: `The HTTPRoute ${route.namespace}/${route.name} is gone.`, command: `kubectl get httproute ${q(route.name)} -n ${q(route.namespace)}`, expected: 'NotFound.' });
      continue;
    }
    out.push({
      description: `The HTTPRoute ${route.namespace}/${route.name} is accepted by every parent and all its backends resolve.`,
      command: `kubectl get httproute ${q(route.name)} -n ${q(route.namespace)} -o jsonpath='{range .status.parents[*]}{.parentRef.name}{" Accepted="}{.conditions[?(@.type=="Accepted")].status}{" ResolvedRefs="}{.conditions[?(@.type=="ResolvedRefs")].status}{" "}{.conditions[?(@.type=="ResolvedRefs")].reason}{"\\n"}{end}'`,
      expected: 'Accepted=True and ResolvedRefs=True for each parent. ResolvedRefs=False with reason InvalidKind or BackendNotFound means the gateway rejects a backend (Istio 1.28 and newer reject the alpha group): do not promote; re-apply the previous folder.',
    });
  }
  if (planned.route.kind !== 'none') {
    for (const r of m.otherRoutes) {
      const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '';
      const resource = `${r.kind.toLowerCase()}${group !== '' ? `.${group}` : ''}`;
      const gatewayApi = group === 'gateway.networking.k8s.io';
      out.push({
        description: `The ${r.kind} ${r.namespace}/${r.name} is accepted and its backends resolve.`,
        command: gatewayApi
          ? `kubectl get ${q(resource)} ${q(r.name)} -n ${q(r.namespace!)} -o jsonpath='{range .status.parents[*]}{.parentRef.name}{" Accepted="}{.conditions[?(@.type=="Accepted")].status}{" ResolvedRefs="}{.conditions[?(@.type=="ResolvedRefs")].status}{"\\n"}{end}'`
          : `kubectl get ${q(resource)} ${q(r.name)} -n ${q(r.namespace!)} -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}{"\\n"}{end}'`,
        expected: gatewayApi ? 'Accepted=True and ResolvedRefs=True for each parent.' : 'Accepted=True (and no condition saying a backend is not found): otherwise do not promote; re-apply the previous folder.',
      });
    }
  }
  if (planned.gaStack) {
    out.push({
      description: `The GA pool ${m.gaProps.name} exists.`,
      command: `kubectl get inferencepools.inference.networking.k8s.io -n ${q(ns)}`,
      expected: `${m.gaProps.name} is listed.`,
    });
    if (m.gaEppName) {
      out.push({
        description: `The GA Endpoint Picker ${m.gaEppName} is rolled out.`,
        command: `kubectl rollout status ${q(`deployment/${m.gaEppName}`)} -n ${q(ns)} --timeout=5m`,
        expected: 'successfully rolled out.',
      });
    }
  }
  if (planned.alphaStack) {
    out.push({
      description: `The alpha pool ${m.alpha.poolName} still exists.`,
      command: `kubectl get inferencepools.inference.networking.x-k8s.io -n ${q(ns)}`,
      expected: `${m.alpha.poolName} is listed.`,
    });
  } else {
    out.push({
      description: 'No alpha InferencePool or InferenceModel is left in the cluster.',
      command: 'kubectl get inferencepools.inference.networking.x-k8s.io,inferencemodels.inference.networking.x-k8s.io --all-namespaces',
      expected: 'No resources found (anything listed is an alpha object another migration still needs).',
    });
  }
  if (planned.route.kind !== 'none' && gateways.length > 0) {
    const gw = gateways[0];
    const hostHeader = hostHeaderOf(m);
    const body = '-H \'Content-Type: application/json\' -d \'{"model": "<your_model>", "prompt": "<your_prompt>", "max_tokens": 100, "temperature": 0}\'';
    out.push({
      description: 'A completion request through the gateway succeeds.',
      command: [
        `IP=$(kubectl get ${q(`gateway/${gw.name}`)} -n ${q(gw.namespace)} -o jsonpath='{.status.addresses[0].value}')`,
        'PORT=80',
        `curl -i \${IP}:\${PORT}/v1/completions${hostHeader} ${body}`,
      ].join('\n'),
      expected: 'HTTP/1.1 200.',
    });
    if (planned.route.kind === 'preview' && preview) {
      out.push({
        description: 'A request with the preview header reaches the GA pool.',
        command: `curl -i \${IP}:\${PORT}/v1/completions${hostHeader} -H ${q(`${preview.name}: ${preview.value}`)} ${body}`,
        expected: 'HTTP/1.1 200, and the request shows up in the GA EPP\'s metrics (below), not the alpha EPP\'s.',
      });
    }
  }
  const gaTraffic = planned.gaShare > 0 || planned.route.kind === 'preview';
  if (planned.route.kind !== 'none' && gaTraffic) {
    for (const rw of m.models.rewrites) {
      out.push({
        description: `A request for model ${rw.model} is rewritten by the InferenceModelRewrite ${rw.name} (to ${rw.targets.map((t) => t.model).join(' or ')}) and succeeds: without the rewrite the model servers would not know the name.`,
        command: `curl -i \${IP}:\${PORT}/v1/completions${hostHeaderOf(m)} -H 'Content-Type: application/json' -d ${q(JSON.stringify({ model: rw.model, prompt: 'Say hello', max_tokens: 20, temperature: 0 }))}`,
        expected: 'HTTP/1.1 200 (on the GA pool; while traffic is split, repeat it: the alpha pool answers some requests).',
      });
    }
  }
  if (planned.gaStack && m.gaEppName) {
    const metrics = eppRequestMetrics(m.gieVersion);
    const rewriteMetric = m.models.rewrites.length > 0 ? eppRewriteMetric(m.gieVersion) : undefined;
    const names = ['pool_ready_pods', 'pool_average_kv_cache_utilization', 'pool_average_queue_size', metrics.requests.replace(/^inference_/, ''), metrics.errors.replace(/^inference_/, ''), ...(rewriteMetric ? [rewriteMetric.replace(/^inference_/, '')] : [])];
    out.push({
      description: `The GA Endpoint Picker (GIE ${m.gieVersion}) sees ready model servers and serves requests (metrics need a token allowed to get /metrics, e.g. your Prometheus service account's).`,
      command: [
        `kubectl port-forward -n ${q(ns)} ${q(`svc/${m.gaEppName}`)} 9090:9090 &`,
        `curl -s -H "Authorization: Bearer $(kubectl create token <metrics-reader-service-account> -n ${q(ns)})" localhost:9090/metrics | grep -E '^inference_(${names.join('|')})'`,
      ].join('\n'),
      expected: gaTraffic
        ? `inference_pool_ready_pods equals the number of model-server pods; ${metrics.requests} grows with traffic; ${metrics.errors} stays flat (it has no series at all until a request has failed)` +
          (rewriteMetric ? `; ${rewriteMetric} grows for ${m.models.rewrites.map((r) => `model_rewrite_name="${r.name}"`).join(', ')} with each request of the rewritten models.` : '.')
        : 'inference_pool_ready_pods equals the number of model-server pods (no traffic reaches the GA pool yet).',
    });
  }
  return out;
}

/** The `-H 'Host: ...'` of the curl commands: the first host name of the first route (a wildcard gets `test.`). */
function hostHeaderOf(m: ResolvedInferenceMigration): string {
  const host = m.routes[0]?.hostnames?.[0];
  return host ? ` -H ${q(`Host: ${host.replace(/^\*\./, 'test.')}`)}` : '';
}

function uniqueGateways(m: ResolvedInferenceMigration): Array<{ name: string; namespace: string }> {
  const seen = new Map<string, { name: string; namespace: string }>();
  for (const route of m.routes) {
    for (const p of route.parentRefs) {
      const gw = { name: p.name, namespace: p.namespace ?? route.namespace };
      seen.set(`${gw.namespace}/${gw.name}`, gw);
    }
  }
  // Routes of other kinds: their parentRefs to Gateways (Gateway API's shape, which AIGatewayRoute shares).
  for (const r of m.otherRoutes) {
    const parents = (r._object.spec?.parentRefs ?? []) as any[];
    for (const p of Array.isArray(parents) ? parents : []) {
      if (typeof p?.name !== 'string' || (p.kind ?? 'Gateway') !== 'Gateway' || (p.group ?? 'gateway.networking.k8s.io') !== 'gateway.networking.k8s.io') continue;
      const gw = { name: p.name, namespace: typeof p.namespace === 'string' ? p.namespace : r.namespace! };
      seen.set(`${gw.namespace}/${gw.name}`, gw);
    }
  }
  return [...seen.values()];
}

/** Manual steps common to inference stages: CRDs before the first GA stage, alpha removal at the end. */
export function inferenceManualSteps(m: ResolvedInferenceMigration, planned: PlannedStage, firstGaStage: boolean, lastStage: boolean): ManualStep[] {
  const steps: ManualStep[] = [];
  if (firstGaStage) {
    for (const step of installCrdSteps({ gieVersion: m.gieVersion, gke: m.provider === InferenceProvider.GKE, gkeVersion: m.gkeVersion })) {
      steps.push({ ...step, timing: ManualStepTiming.BEFORE_SYNC });
    }
    steps.push(...m.conversionSteps);
  }
  if (!planned.alphaStack && lastStage) {
    if (m.alpha.external) {
      steps.push({
        text: 'The alpha stack was installed by Helm, outside Git: uninstall its release once this stage is verified.',
        commands: [`helm uninstall ${q(m.alpha.helmRelease ?? m.alpha.poolName)} -n ${q(m.alpha.poolNamespace)}`],
      });
      if (m.alpha.inferenceModelNames.length > 0) {
        steps.push({
          text: 'Delete the alpha InferenceModels if the release did not own them.',
          commands: [`kubectl delete inferencemodels.inference.networking.x-k8s.io -n ${q(m.alpha.poolNamespace)} ${shellOperands(m.alpha.inferenceModelNames)}`],
        });
      }
    }
    steps.push({
      text: 'Once no alpha object is left in the cluster, remove the alpha CRDs. They are cluster-scoped and shared: check every namespace first.',
      commands: removeAlphaCrdCommands(m.alphaCrdVersion),
    });
  }
  return steps;
}


/** The CRDs of the GA stack, by upstream URL: for the READMEs, the plan and the optional crds/ folder. */
export function inferenceCrds(m: ResolvedInferenceMigration): CrdReference[] {
  if (m.provider !== InferenceProvider.GKE) return gaCrds(m.gieVersion);
  const release = gkeCrdRelease(m.gieVersion);
  if (m.gkeVersion !== undefined && compareGke(m.gkeVersion)) {
    return eppCrds(release).map((c) => ({ ...c, description: `${c.description}; GKE ships the v1 InferencePool CRD` }));
  }
  return [{ description: `GIE ${release} manifests (v1 InferencePool, InferenceObjective${gieAppliesModelRewrites(release) ? ' and InferenceModelRewrite' : ''} CRDs), for GKE before ${GKE_MANAGED_CRD_VERSION}`, url: gieManifestsUrl(release) }];
}

function compareGke(version: string): boolean {
  return compareGkeVersions(version, GKE_MANAGED_CRD_VERSION) >= 0;
}

/** The preflight of the upstream guides: is this a migration at all? */
export function inferencePreflight(): StageCommand[] {
  return [
    {
      description: 'Alpha InferencePools in use. Nothing found means there is nothing to migrate: install the GA stack fresh.',
      command: 'kubectl get inferencepools.inference.networking.x-k8s.io --all-namespaces',
      expected: 'The alpha pool of this migration is listed.',
    },
    {
      description: 'Alpha InferenceModels in use (each becomes an InferenceObjective).',
      command: 'kubectl get inferencemodels.inference.networking.x-k8s.io --all-namespaces',
    },
    {
      description: 'Which CRDs are installed (the GA pool needs the v1 InferencePool and the InferenceObjective CRDs; the alpha CRD must stay served until cleanup).',
      command: 'kubectl get crd inferencepools.inference.networking.k8s.io inferencepools.inference.networking.x-k8s.io inferenceobjectives.inference.networking.x-k8s.io inferencemodels.inference.networking.x-k8s.io',
    },
  ];
}

/** What comes after the bridge release: the top README's note on upgrading GIE later. */
export function inferenceWhatsNext(m: ResolvedInferenceMigration): string {
  const kinds = m.models.rewrites.length > 0 ? 'InferenceObjectives and InferenceModelRewrites' : 'InferenceObjectives';
  return `What comes next: this migration targets GIE ${m.gieVersion}, a bridge release that still serves the v1alpha2 InferencePool. ` +
    'GIE v1.5.0 removes the v1alpha2 InferencePool CRD (finish the cleanup stage first); GIE v1.6.0 removes InferenceObjective and ' +
    `InferenceModelRewrite (and the EndpointPickerConfig API): the ${kinds} written here stop working there, so plan how your clients' priorities and model names are kept before upgrading past v1.5.x.`;
}
