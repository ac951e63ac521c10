/**
 * What the zero-downtime and the simple migration of an InferencePool share: reading their props into
 * one resolved description, and building a stage's objects and README commands from a planned stage.
 * Internal: not exported from the package entry point.
 */
import { ApiObject } from 'cdk8s';
import { ALPHA_GIE, GKE_MANAGED_CRD_VERSION, SIDE_BY_SIDE_GIE, compareGkeVersions, gaCrds, gieCrdUrl, gieManifestsUrl, installCrdSteps, removeAlphaCrdCommands } from './crd-sources';
import { InferenceMigrationProps, ObjectiveOptions } from './inference-migration-props';
import { sortedJson } from './manifests';
import { CrdReference } from './migration';
import { MigrationRoute, MigrationRouteRule } from './migration-route';
import { ManualStep, ManualStepTiming, MigrationStage, StageCommand } from './migration-stage';
import { PlannedStage, RouteState } from './plan';
import { convertInferenceModel, gaPoolName } from '../convert/inference-model';
import { propError, show } from '../core/errors';
import { checkLabelName, checkSubdomain, endpointPickerName } from '../core/names';
import { DEFAULT_NAMESPACE } from '../core/namespace';
import { shellOperands, shellQuote as q } from '../core/shell';
import { ResolvedAlphaPool, resolveAlphaPool } from '../inference/alpha-pool-facts';
import { InferenceObjective } from '../inference/inference-objective';
import { InferencePoolAlpha } from '../inference/inference-pool-alpha';
import { InferencePoolGa, InferencePoolGaProps } from '../inference/inference-pool-ga';
import { IInferencePoolBackend, InferenceProvider } from '../inference/types';
import { InferenceRouteRule, RouteMatch, WeightedInferenceRoute } from '../inference/weighted-inference-route';

/** A route with its namespace resolved. */
export type ResolvedRoute = MigrationRoute & { readonly namespace: string };

/** A request header: name and value. */
export interface Header {
  readonly name: string;
  readonly value: string;
}

/** Everything a stage builder needs, resolved once from the props. */
export interface ResolvedInferenceMigration {
  readonly name: string;
  readonly namespace: string;
  readonly alphaProps: InferenceMigrationProps['alphaPool'];
  readonly alpha: ResolvedAlphaPool;
  readonly gaProps: InferencePoolGaProps & { name: string; namespace: string };
  readonly gaEppName?: string;
  readonly provider: InferenceProvider;
  readonly gkeTwin?: { healthCheckDefault?: any; backendPolicyDefault?: any };
  readonly objectives: ObjectiveOptions[];
  readonly routes: ResolvedRoute[];
  readonly gatewayClassName?: string;
  readonly gieVersion: string;
  readonly gkeVersion?: string;
  readonly alphaCrdVersion: string;
  readonly warnings: string[];
  /** Manual steps from conversions (modelName, targetModels), for the first stage. */
  readonly conversionSteps: ManualStep[];
}

const GKE_POLICY_KINDS = ['HealthCheckPolicy', 'GCPBackendPolicy'];

/** Reads and checks the shared props; errors name `where` and the prop. */
export function resolveInferenceMigration(where: string, id: string, props: InferenceMigrationProps): ResolvedInferenceMigration {
  const name = props.name ?? id;
  checkLabelName(where, 'name', name);
  if (props.namespace !== undefined) checkLabelName(where, 'namespace', props.namespace);
  if (!props.alphaPool || typeof props.alphaPool !== 'object') {
    throw propError(where, 'alphaPool', `must give the alpha pool as 'manifests' (from Git) or 'existing' (installed by Helm) (got ${show(props.alphaPool)})`);
  }
  const alpha = resolveAlphaPool(`${where}/alphaPool`, props.alphaPool, props.namespace ?? DEFAULT_NAMESPACE);
  const namespace = props.namespace ?? alpha.poolNamespace;
  if (alpha.poolNamespace !== namespace) {
    throw propError(where, 'namespace', `must be the alpha pool's namespace ${show(alpha.poolNamespace)}: the GA pool selects the same pods, which live there (got ${show(namespace)})`);
  }
  const warnings: string[] = [...(props.warnings ?? [])];
  const conversionSteps: ManualStep[] = [];

  // The GA pool: everything the alpha pool has, unless the user says otherwise.
  const ga = props.gaPool ?? {};
  const gaName = ga.name ?? gaPoolName(alpha.poolName, ga.nameSuffix);
  checkSubdomain(where, 'gaPool.name', gaName);
  if (gaName === alpha.poolName || endpointPickerName(gaName) === alpha.endpointPickerServiceName) {
    throw propError(where, 'gaPool.name', `must differ from the alpha pool ${show(alpha.poolName)} and give an EPP name other than the alpha EPP ${show(alpha.endpointPickerServiceName)}, or the GA EPP objects would replace the alpha ones (got ${show(gaName)})`);
  }
  const selector = ga.modelServerSelector ?? alpha.modelServerSelector;
  const targetPort = ga.targetPort ?? alpha.targetPort;
  const sameSelector = sortedJson(selector) === sortedJson(alpha.modelServerSelector);
  if ((!sameSelector || targetPort !== alpha.targetPort) && !props.allowSelectorChange) {
    throw propError(where, 'gaPool.modelServerSelector',
      `must select the same model-server pods as the alpha pool (selector ${show(alpha.modelServerSelector)}, port ${alpha.targetPort}); got selector ${show(selector)}, port ${targetPort}. Set allowSelectorChange to migrate to other pods on purpose`);
  }
  if (!sameSelector || targetPort !== alpha.targetPort) {
    warnings.push(`The GA pool ${gaName} selects other pods than the alpha pool ${alpha.poolName} (allowSelectorChange): make sure those model servers run before traffic shifts.`);
  }

  // GKE policies of a carried alpha pool get GA twins that target the GA pool.
  const alphaPolicies = alpha.manifests.filter((o) => GKE_POLICY_KINDS.includes(o.kind) && o.spec?.targetRef?.name === alpha.poolName);
  const healthCheck = alphaPolicies.find((o) => o.kind === 'HealthCheckPolicy');
  const backendPolicy = alphaPolicies.find((o) => o.kind === 'GCPBackendPolicy');
  const gkeTwin = alphaPolicies.length > 0
    ? { healthCheckDefault: healthCheck?.spec?.default, backendPolicyDefault: backendPolicy?.spec?.default }
    : undefined;
  const provider = ga.provider ?? (gkeTwin ? InferenceProvider.GKE : InferenceProvider.NONE);

  const gaProps = {
    name: gaName,
    namespace,
    modelServerSelector: selector,
    targetPort,
    failureMode: ga.failureMode ?? alpha.failureMode,
    modelServerType: ga.modelServerType,
    provider,
    endpointPicker: ga.endpointPicker,
    existingEndpointPicker: ga.existingEndpointPicker,
  };

  // Objectives: given, or converted from the carried InferenceModels.
  let objectives: ObjectiveOptions[];
  if (props.objectives !== undefined) {
    objectives = props.objectives;
    if (alpha.inferenceModels.length > 0) {
      const missing = alpha.inferenceModelNames.filter((n) => !objectives.some((o) => o.name === n));
      if (missing.length > 0) warnings.push(`InferenceModels ${missing.join(', ')} get no InferenceObjective (objectives were given explicitly).`);
    }
  } else {
    objectives = alpha.inferenceModels.map((model) => {
      const conversion = convertInferenceModel(model, props.criticalityPriorities);
      for (const w of conversion.warnings) {
        warnings.push(w);
        conversionSteps.push({ text: w, timing: ManualStepTiming.BEFORE_SYNC });
      }
      return { name: conversion.name, priority: conversion.priority };
    });
    if (alpha.external && alpha.inferenceModelNames.length > 0) {
      warnings.push(`The alpha pool has InferenceModels (${alpha.inferenceModelNames.join(', ')}) but no objectives were given: requests naming them get the default priority on the GA pool.`);
    }
  }
  const objectiveNames = new Set<string>();
  objectives.forEach((o, i) => {
    checkSubdomain(where, `objectives[${i}].name`, o.name);
    if (objectiveNames.has(o.name)) throw propError(where, `objectives[${i}].name`, `repeats ${show(o.name)}: each objective once`);
    objectiveNames.add(o.name);
  });

  const routes = resolveRoutes(where, name, namespace, props);
  if (props.gatewayClassName !== undefined) checkSubdomain(where, 'gatewayClassName', props.gatewayClassName);

  const gieVersion = props.gieVersion ?? 'v1.0.2';
  if (!SIDE_BY_SIDE_GIE.test(gieVersion)) {
    throw propError(where, 'gieVersion', `must be a GIE release from v1.0.0 to v1.4.x, whose CRDs serve both the alpha and the GA InferencePool (got ${show(gieVersion)})`);
  }
  const alphaCrdVersion = props.alphaCrdVersion ?? 'v0.3.0';
  if (!ALPHA_GIE.test(alphaCrdVersion)) {
    throw propError(where, 'alphaCrdVersion', `must be an alpha-only GIE release from v0.3.0 to v0.5.1 (got ${show(alphaCrdVersion)})`);
  }
  if (props.gkeVersion !== undefined) {
    try {
      installCrdSteps({ gieVersion, gke: true, gkeVersion: props.gkeVersion });
    } catch (err) {
      throw propError(where, 'gkeVersion', (err as Error).message.replace(/^'gkeVersion' /, ''));
    }
  }

  return {
    name,
    namespace,
    alphaProps: props.alphaPool,
    alpha,
    gaProps,
    gaEppName: ga.existingEndpointPicker ? undefined : endpointPickerName(gaName),
    provider,
    gkeTwin,
    objectives,
    routes,
    gatewayClassName: props.gatewayClassName,
    gieVersion,
    gkeVersion: props.gkeVersion,
    alphaCrdVersion,
    warnings,
    conversionSteps,
  };
}

function resolveRoutes(where: string, name: string, namespace: string, props: InferenceMigrationProps): ResolvedRoute[] {
  let routes: MigrationRoute[];
  if (props.routes !== undefined) {
    if (props.gateway || props.routeName || props.hostnames || props.matches || props.requestTimeout) {
      throw propError(where, 'routes', 'cannot be combined with \'gateway\', \'routeName\', \'hostnames\', \'matches\' or \'requestTimeout\': give the routes, or the single route\'s fields');
    }
    routes = props.routes;
    if (!Array.isArray(routes) || routes.length === 0) {
      throw propError(where, 'routes', `must list at least one HTTPRoute (got ${show(routes)})`);
    }
  } else {
    if (!props.gateway) {
      throw propError(where, 'gateway', 'is required (the Gateway the route attaches to), unless \'routes\' are given');
    }
    routes = [{
      name: props.routeName ?? `${name}-route`,
      parentRefs: [props.gateway],
      hostnames: props.hostnames,
      rules: [{ matches: props.matches, requestTimeout: props.requestTimeout }],
    }];
  }
  const seen = new Set<string>();
  return routes.map((r, i) => {
    checkSubdomain(where, `routes[${i}].name`, r.name);
    const ns = r.namespace ?? namespace;
    checkLabelName(where, `routes[${i}].namespace`, ns);
    if (seen.has(`${ns}/${r.name}`)) throw propError(where, `routes[${i}].name`, `repeats route ${ns}/${r.name}`);
    seen.add(`${ns}/${r.name}`);
    return { ...r, namespace: ns };
  });
}

/** The pools a stage holds (or references). */
export interface StagePools {
  readonly alpha?: IInferencePoolBackend;
  readonly ga?: InferencePoolGa;
}

/** Adds the objects of one planned stage to `stage`. */
export function buildInferenceStage(stage: MigrationStage, m: ResolvedInferenceMigration, planned: PlannedStage, preview?: Header): StagePools {
  let alpha: IInferencePoolBackend | undefined;
  const routeNeedsAlpha = planned.route.kind === 'alpha-only' || planned.route.kind === 'split' || planned.route.kind === 'preview';
  if (planned.alphaStack || routeNeedsAlpha) {
    alpha = new InferencePoolAlpha(stage, 'AlphaPool', m.alphaProps);
  }
  let ga: InferencePoolGa | undefined;
  if (planned.gaStack) {
    ga = new InferencePoolGa(stage, 'GaPool', {
      ...m.gaProps,
      // GKE policies of the alpha pool are twinned; the chart's defaults apply otherwise.
      gkePolicyDefaults: m.gkeTwin,
    });
    for (const objective of m.objectives) {
      new InferenceObjective(stage, `Objective-${objective.name}`, { name: objective.name, priority: objective.priority, pool: ga });
    }
  }
  for (const route of m.routes) {
    buildRoute(stage, route, planned.route, { alpha, ga }, preview);
  }
  return { alpha, ga };
}

function buildRoute(stage: MigrationStage, route: ResolvedRoute, state: RouteState, pools: StagePools, preview?: Header): void {
  const id = `Route-${route.namespace}-${route.name}`;
  if (state.kind === 'alpha-only' && route.manifest) {
    // The route is untouched until traffic shifts: carried exactly as it is in Git.
    const { apiVersion, kind, metadata, ...rest } = route.manifest;
    new ApiObject(stage, id, { apiVersion, kind, metadata: { ...metadata, namespace: metadata.namespace ?? route.namespace }, ...rest });
    return;
  }
  const baseRules: MigrationRouteRule[] = route.rules && route.rules.length > 0 ? route.rules : [{}];
  const toRule = (rule: MigrationRouteRule, backends: InferenceRouteRule['backends'], others: any[], matches?: RouteMatch[]): InferenceRouteRule => ({
    matches: matches ?? rule.matches,
    backends,
    additionalBackendRefs: others,
    requestTimeout: rule.requestTimeout,
    backendRequestTimeout: rule.backendRequestTimeout,
    filters: rule.filters,
  });
  let rules: InferenceRouteRule[];
  switch (state.kind) {
    case 'none':
      // The alpha backend goes; a rule that also served other backends keeps them.
      rules = baseRules.filter((r) => (r.otherBackendRefs ?? []).length > 0).map((r) => toRule(r, [], r.otherBackendRefs!));
      break;
    case 'alpha-only':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, 0)));
      break;
    case 'split':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, state.gaPercent)));
      break;
    case 'preview':
      rules = [
        // Preview requests go to the GA pool only; everything else is as before.
        ...baseRules.map((r) => toRule(r, [{ pool: pools.ga!, weight: 100 }], [], previewMatches(stage, route, r.matches, preview!))),
        ...baseRules.map((r) => toRule(r, ...poolShare(r, pools, 0))),
      ];
      break;
    case 'ga-only':
      rules = baseRules.map((r) => toRule(r, ...poolShare(r, pools, 100)));
      break;
  }
  const otherRules = route.otherRules ?? [];
  if (rules.length === 0 && otherRules.length === 0) return; // the route is removed
  new WeightedInferenceRoute(stage, id, {
    name: route.name,
    namespace: route.namespace,
    parentRefs: route.parentRefs,
    hostnames: route.hostnames,
    rules,
    additionalRules: otherRules,
    labels: route.labels,
    annotations: route.annotations,
  });
}

/**
 * The backends of a rule when the GA pool has `gaPercent` of the pool's share: weights in percent for a
 * rule that only serves the pool; for a rule that also serves other backends, the pool's weight is split
 * and the others keep theirs (all scaled by 100 when that stays within the API's maximum, so the split
 * is exact).
 */
function poolShare(rule: MigrationRouteRule, pools: StagePools, gaPercent: number): [InferenceRouteRule['backends'], any[]] {
  const split = (total: number) => {
    const ga = Math.round((total * gaPercent) / 100);
    return [
      ...(gaPercent < 100 ? [{ pool: pools.alpha!, weight: total - ga }] : []),
      ...(gaPercent > 0 ? [{ pool: pools.ga!, weight: ga }] : []),
    ];
  };
  const others = rule.otherBackendRefs ?? [];
  if (others.length === 0) return [split(100), []];
  const poolWeight = rule.poolWeight ?? 1;
  const weights = [poolWeight, ...others.map((o) => o.weight ?? 1)];
  const scale = Math.max(...weights) * 100 <= 1_000_000 ? 100 : 1;
  return [split(poolWeight * scale), others.map((o) => ({ ...o, weight: (o.weight ?? 1) * scale }))];
}

/** The matches of a preview rule: each original match, also requiring the preview header. */
function previewMatches(stage: MigrationStage, route: MigrationRoute, matches: RouteMatch[] | undefined, header: Header): RouteMatch[] {
  const base: RouteMatch[] = matches && matches.length > 0 ? matches : [{}];
  return base.map((m) => {
    if ((m.headers ?? []).some((h) => h.name.toLowerCase() === header.name.toLowerCase())) {
      throw propError(stage, 'previewHeader.name', `${show(header.name)} is already matched by route ${route.name}: choose another preview header`);
    }
    return { ...m, headers: [...(m.headers ?? []), { name: header.name, value: header.value }] };
  });
}

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
  if (planned.route.kind !== 'none') {
    const gw = gateways[0];
    const host = m.routes[0].hostnames?.[0];
    const hostHeader = host ? ` -H ${q(`Host: ${host.replace(/^\*\./, 'test.')}`)}` : '';
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
  if (planned.gaStack && m.gaEppName) {
    out.push({
      description: 'The GA Endpoint Picker sees ready model servers and serves requests (metrics need a token allowed to get /metrics, e.g. your Prometheus service account\'s).',
      command: [
        `kubectl port-forward -n ${q(ns)} ${q(`svc/${m.gaEppName}`)} 9090:9090 &`,
        `curl -s -H "Authorization: Bearer $(kubectl create token <metrics-reader-service-account> -n ${q(ns)})" localhost:9090/metrics | grep -E '^inference_(pool_ready_pods|pool_average_kv_cache_utilization|pool_average_queue_size|objective_request_total|objective_request_error_total)'`,
      ].join('\n'),
      expected: planned.gaShare > 0 || planned.route.kind === 'preview'
        ? 'inference_pool_ready_pods equals the number of model-server pods; inference_objective_request_total grows with traffic; inference_objective_request_error_total stays flat.'
        : 'inference_pool_ready_pods equals the number of model-server pods (no traffic reaches the GA pool yet).',
    });
  }
  return out;
}

function uniqueGateways(m: ResolvedInferenceMigration): Array<{ name: string; namespace: string }> {
  const seen = new Map<string, { name: string; namespace: string }>();
  for (const route of m.routes) {
    for (const p of route.parentRefs) {
      const gw = { name: p.name, namespace: p.namespace ?? route.namespace };
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
  if (m.gkeVersion !== undefined && compareGke(m.gkeVersion)) {
    return [{ description: 'InferenceObjective v1alpha2 (GKE ships the v1 InferencePool CRD)', url: gieCrdUrl('v1.0.0', 'inference.networking.x-k8s.io_inferenceobjectives.yaml') }];
  }
  return [{ description: 'GIE v1.0.0 manifests (v1 InferencePool and InferenceObjective CRDs), for GKE before 1.34.0-gke.1626000', url: gieManifestsUrl('v1.0.0') }];
}

function compareGke(version: string): boolean {
  return compareGkeVersions(version, GKE_MANAGED_CRD_VERSION) >= 0;
}
