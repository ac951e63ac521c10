/**
 * The commands of the KServe stage READMEs: guide 002's checks with the names filled in. Pure functions
 * from plain data to `StageCommand`s and command lines. Internal.
 */
import {
  BUNDLE_VERSION_ANNOTATION,
  ENVOY_CONTROLLER,
  ENVOY_GATEWAY_NAMESPACE,
  GATEWAY_API_STANDARD_INSTALL,
  GATEWAY_API_VERSION,
  GATEWAY_LABEL,
  HELM_CHART,
  HELM_VALUE_PREFIX,
} from './kserve-api';
import { shellQuote as q } from '../core/shell';
import { StageCommand } from '../migration/migration-stage';
import { kubectlCheck, kubectlCommand, shellCheck, StageCheckKind } from '../migration/stage-check';

/** The names the commands need. */
export interface CheckNames {
  readonly gatewayName: string;
  readonly gatewayNamespace: string;
  readonly gatewayClassName: string;
  readonly controllerName: string;
  readonly httpPort: number;
  readonly tls?: { readonly secretName: string; readonly secretNamespace: string; readonly port: number };
  readonly kserveNamespace: string;
  readonly controllerDeployment: string;
  readonly configMapName: string;
  readonly isvcName: string;
  readonly isvcNamespace: string;
  /** True when the checks use the guide's sklearn-v2-iris model (the iris input fits it). */
  readonly isvcIsGuideModel: boolean;
}

/** Helm settings of the guide. */
export interface HelmNames {
  readonly release: string;
  readonly namespace: string;
  readonly chartVersion: string;
  readonly createGateway: boolean;
}

/** The `<namespace>/<name>` KServe's ingress config names the Gateway with. */
export function gatewayRef(n: CheckNames): string {
  return `${n.gatewayNamespace}/${n.gatewayName}`;
}

function selector(n: CheckNames): string {
  return `${GATEWAY_LABEL}=${n.gatewayName}`;
}

/** kubectl's arguments that print the installed Gateway API bundle version (empty when the CRDs are absent). */
function bundleVersionArgs(): string[] {
  return ['get', 'crd', 'gateways.gateway.networking.k8s.io', '-o', `jsonpath={.metadata.annotations.${BUNDLE_VERSION_ANNOTATION.replace(/\./g, '\\.')}}`];
}

/** The command that prints the installed Gateway API bundle version (empty when the CRDs are absent). */
export function bundleVersionCommand(): string {
  return kubectlCommand(bundleVersionArgs());
}

/** The commands that install the Gateway API CRDs only where that does not downgrade them. */
export function crdInstallCommands(): string[] {
  return [
    '# Prints the installed Gateway API version; empty when the CRDs are not installed.',
    bundleVersionCommand(),
    `# Only when that printed nothing or a version older than ${GATEWAY_API_VERSION}:`,
    `kubectl apply -f ${q(GATEWAY_API_STANDARD_INSTALL)}`,
  ];
}

/** The preflight of the migration's top README. */
export function preflight(n: CheckNames, helm: HelmNames | undefined): StageCommand[] {
  const checks: StageCommand[] = [
    kubectlCheck(StageCheckKind.MANUAL, `The Gateway API CRDs installed, by bundle version. KServe implements Gateway API ${GATEWAY_API_VERSION}: install its standard channel only when this prints nothing or an older version. Never apply the ${GATEWAY_API_VERSION} install over newer CRDs: that downgrades them for every user of the cluster.`,
      bundleVersionArgs(), `empty (not installed), or a version such as ${GATEWAY_API_VERSION} or newer`),
    kubectlCheck(StageCheckKind.MANUAL, `GatewayClasses that exist already. If \`${n.gatewayClassName}\` is listed and managed elsewhere, plan with \`createGatewayClass: false\` so two sources do not own it.`,
      ['get', 'gatewayclass'], 'the classes of the cluster'),
  ];
  if (n.controllerName === ENVOY_CONTROLLER) {
    checks.push(kubectlCheck(StageCheckKind.ROLLOUT, 'Envoy Gateway, the controller of the GatewayClass, is installed and running.',
      ['rollout', 'status', 'deployment', 'envoy-gateway', '-n', ENVOY_GATEWAY_NAMESPACE, '--timeout=1m'], 'successfully rolled out'));
  }
  if (helm) {
    checks.push(
      shellCheck(StageCheckKind.MANUAL, {
        description: `The KServe Helm release and its chart version. The stages run \`helm upgrade\` with chart ${helm.chartVersion}: if the release runs another version, re-plan with that version (a different one upgrades or downgrades KServe itself).`,
        command: `helm list -n ${q(helm.namespace)} --filter ${q(`^${helm.release}$`)}`,
        expected: `CHART kserve-${helm.chartVersion}`,
      }),
      shellCheck(StageCheckKind.MANUAL, {
        description: 'The values the release was installed with (the upgrade keeps them with --reuse-values).',
        command: `helm get values ${q(helm.release)} -n ${q(helm.namespace)}`,
      }),
    );
  } else {
    checks.push(kubectlCheck(StageCheckKind.MANUAL, 'The ingress config the cluster runs today. The stages were planned from the one in Git; if the two differ, bring Git up to date and plan again, or the sync changes more than the two Gateway API keys.',
      ingressConfigArgs(n), 'the same JSON as `data.ingress` of the ConfigMap in the first stage folder'));
  }
  return checks;
}

function ingressConfigArgs(n: CheckNames): string[] {
  return ['get', 'configmap', n.configMapName, '-n', n.kserveNamespace, '-o', 'jsonpath={.data.ingress}'];
}

/** Stage 1, first: the Gateway API CRDs are served (at the version the preflight chose). */
export function crdCheck(): StageCommand {
  // kubectl exits 0 only when the CRD exists; which version is newer is read by a person.
  return kubectlCheck(StageCheckKind.API_READ, `The Gateway API CRDs are installed, at ${GATEWAY_API_VERSION} or newer.`, bundleVersionArgs(), `${GATEWAY_API_VERSION} or a newer version`);
}

/** Stage 1: the GatewayClass, the Gateway and its pods and Service. */
export function gatewayChecks(n: CheckNames): StageCommand[] {
  const checks: StageCommand[] = [
    kubectlCheck(StageCheckKind.GATEWAY_STATUS, `The GatewayClass ${n.gatewayClassName} is accepted by its controller (${n.controllerName}).`,
      ['get', 'gatewayclass.gateway.networking.k8s.io', n.gatewayClassName], `CONTROLLER ${n.controllerName}, ACCEPTED True`,
      { lines: [`${n.gatewayClassName} ${n.controllerName} True`] }),
    kubectlCheck(StageCheckKind.GATEWAY_STATUS, `The Gateway ${gatewayRef(n)} is programmed.`,
      ['get', 'gateway.gateway.networking.k8s.io', n.gatewayName, '-n', n.gatewayNamespace, '-o',
        'jsonpath={"Programmed="}{.status.conditions[?(@.type=="Programmed")].status}{" class="}{.spec.gatewayClassName}{" address="}{.status.addresses[0].value}{"\\n"}'],
      `Programmed=True class=${n.gatewayClassName}, and an address`, { lines: [`Programmed=True class=${n.gatewayClassName}`] }),
    kubectlCheck(StageCheckKind.MANUAL, 'The gateway instance: a pod and a Service, found by the infrastructure label (guide step 3).',
      ['get', 'pods,svc', '-l', selector(n), '-A'],
      `a pod Running${n.controllerName === ENVOY_CONTROLLER ? ` (in ${ENVOY_GATEWAY_NAMESPACE} with Envoy Gateway)` : ''} and a Service with ${n.tls ? `ports ${n.httpPort} and ${n.tls.port}` : `port ${n.httpPort}`}`),
    kubectlCheck(StageCheckKind.MANUAL, 'External traffic: on a cloud provider the Service is a LoadBalancer that needs an EXTERNAL-IP (guide step 5).',
      ['get', 'svc', '-l', selector(n), '-A'], 'TYPE LoadBalancer with an EXTERNAL-IP, or NodePort where the cluster has no load balancer'),
  ];
  if (n.tls) {
    checks.splice(2, 0, kubectlCheck(StageCheckKind.API_READ, 'The TLS Secret of the https listener exists; without it the listener reports ResolvedRefs False.',
      ['get', 'secret', n.tls.secretName, '-n', n.tls.secretNamespace], 'TYPE kubernetes.io/tls', { lines: [`${n.tls.secretName} kubernetes.io/tls`] }));
  }
  return checks;
}

/** The commands that restart the KServe controller and wait for it. */
export function restartCommands(n: CheckNames): string[] {
  return [
    `kubectl rollout restart deployment ${q(n.controllerDeployment)} -n ${q(n.kserveNamespace)}`,
    `kubectl rollout status deployment ${q(n.controllerDeployment)} -n ${q(n.kserveNamespace)}`,
  ];
}

/** The guide's Helm command, both settings in one upgrade that keeps the release's other values. */
export function helmUpgradeCommand(n: CheckNames, h: HelmNames): string[] {
  const lines = [
    `helm upgrade ${q(h.release)} ${q(HELM_CHART)} --version ${q(h.chartVersion)} \\`,
    `  --namespace ${q(h.namespace)} --reuse-values \\`,
    `  --set ${HELM_VALUE_PREFIX}.enableGatewayApi=true \\`,
    `  --set ${q(`${HELM_VALUE_PREFIX}.kserveGateway=${gatewayRef(n)}`)}`,
  ];
  if (h.createGateway) {
    lines[lines.length - 1] += ' \\';
    lines.push(`  --set ${HELM_VALUE_PREFIX}.createGateway=true`);
  }
  return lines;
}

/** Stage 2: the ingress config, the controller, the routes it now makes. */
export function enableChecks(n: CheckNames, restart: 'carried' | 'manual' | 'helm'): StageCommand[] {
  const checks: StageCommand[] = [];
  if (restart === 'carried') {
    checks.push(kubectlCheck(StageCheckKind.ROLLOUT, `The controller restarted: its pod template carries a new \`kubectl.kubernetes.io/restartedAt\` (synced after the ConfigMap). If the Deployment is not synced from this folder, restart it by hand: \`${restartCommands(n)[0]}\`.`,
      ['rollout', 'status', 'deployment', n.controllerDeployment, '-n', n.kserveNamespace], `deployment "${n.controllerDeployment}" successfully rolled out`));
  }
  checks.push(
    kubectlCheck(StageCheckKind.MANUAL, `The ingress config enables the Gateway API and names the Gateway ${gatewayRef(n)}.`, ingressConfigArgs(n),
      `JSON with "enableGatewayApi": true and "kserveIngressGateway": "${gatewayRef(n)}", every other key as before`),
    shellCheck(StageCheckKind.MANUAL, {
      description: 'The restarted controller accepted the config (it logs "invalid ingress config" or "unable to parse ingress config" when not).',
      command: `kubectl logs ${q(`deployment/${n.controllerDeployment}`)} -n ${q(n.kserveNamespace)} --since=10m | grep -i "ingress config"`,
      expected: 'no output',
    }),
    kubectlCheck(StageCheckKind.MANUAL, `HTTPRoutes: for raw-deployment InferenceServices the controller now makes HTTPRoutes attached to ${gatewayRef(n)} instead of Ingresses.`,
      ['get', 'httproutes.gateway.networking.k8s.io', '-A'], 'the InferenceServices\' routes appear (none yet is fine when there is no InferenceService)'),
  );
  return checks;
}

/** Stage 3: the guide's end-to-end checks (section 6). */
export function verifyChecks(n: CheckNames, testIsvc: boolean): StageCommand[] {
  const sel = q(selector(n));
  const checks: StageCommand[] = [];
  if (testIsvc) {
    checks.push(kubectlCheck(StageCheckKind.ROLLOUT, `The test InferenceService ${n.isvcName} is ready.`,
      ['get', 'inferenceservice.serving.kserve.io', n.isvcName, '-n', n.isvcNamespace, '-o', 'jsonpath={"Ready="}{.status.conditions[?(@.type=="Ready")].status}{" url="}{.status.url}{"\\n"}'],
      'Ready=True, with a URL', { lines: ['Ready=True'] }));
  }
  checks.push(
    kubectlCheck(StageCheckKind.MANUAL, 'Does the cluster give the gateway an external load balancer?', ['get', 'svc', '-l', selector(n), '-A'],
      'an EXTERNAL-IP: use the load balancer below; none or <pending>: use the node port or a port-forward'),
    {
      description: 'Access, load balancer: when the EXTERNAL-IP is set.',
      command: [
        `export INGRESS_HOST=$(kubectl get service -l ${sel} -A -o jsonpath='{.items[0].status.loadBalancer.ingress[0].ip}')`,
        `export INGRESS_PORT=$(kubectl get service -l ${sel} -A -o jsonpath='{.items[0].spec.ports[?(@.name=="http2")].port}')`,
      ].join('\n'),
      expected: `both set; when INGRESS_PORT is empty your gateway names the port otherwise: \`export INGRESS_PORT=${q(String(n.httpPort))}\``,
    },
    {
      description: 'Access, node port: when there is no external load balancer. Pick the INGRESS_HOST line of your environment; INGRESS_PORT is the node port of the HTTP listener.',
      command: [
        '# GKE',
        'export INGRESS_HOST=worker-node-address',
        '# Minikube',
        'export INGRESS_HOST=$(minikube ip)',
        '# Other environment (on premises)',
        `export INGRESS_HOST=$(kubectl get po -l ${sel} -A -o jsonpath='{.items[0].status.hostIP}')`,
        `export INGRESS_PORT=$(kubectl get service -l ${sel} -A -o jsonpath=${q(`{.items[0].spec.ports[?(@.port==${n.httpPort})].nodePort}`)})`,
      ].join('\n'),
    },
    {
      description: 'Access, port-forward: for testing. Keep it running in another terminal.',
      command: [portForwardCommand(n), 'export INGRESS_HOST=localhost', 'export INGRESS_PORT=8080'].join('\n'),
    },
    {
      description: `The request body of the guide (${n.isvcIsGuideModel ? 'the iris model\'s input' : `replace it with an input ${n.isvcName} accepts`}).`,
      command: [
        'cat > iris-input-v2.json <<\'EOF\'',
        '{',
        '  "inputs": [',
        '    {',
        '      "name": "input-0",',
        '      "shape": [1, 4],',
        '      "datatype": "FP32",',
        '      "data": [[5.1, 3.5, 1.4, 0.2]]',
        '    }',
        '  ]',
        '}',
        'EOF',
      ].join('\n'),
    },
    shellCheck(StageCheckKind.DATA_PLANE, {
      description: 'An inference request through the Gateway, with the Host header taken from the InferenceService\'s status.url.',
      command: [
        `SERVICE_HOSTNAME=$(kubectl get inferenceservice ${q(n.isvcName)} -n ${q(n.isvcNamespace)} -o jsonpath='{.status.url}' | cut -d "/" -f 3)`,
        'curl -v \\',
        '  -H "Host: ${SERVICE_HOSTNAME}" \\',
        '  -H "Content-Type: application/json" \\',
        `  http://\${INGRESS_HOST}:\${INGRESS_PORT}/v2/models/${q(n.isvcName)}/infer -d @./iris-input-v2.json`,
      ].join('\n'),
      expected: `HTTP 200 and a body shaped like {"id": "<uuid>", "model_name": "${n.isvcName}", "model_version": "1", "outputs": [{"name": "output-0", "shape": [1], "datatype": "INT64", "data": [0]}]}${n.isvcIsGuideModel ? '' : ' (outputs as your model gives them)'}`,
    }),
  );
  // The access choices and the request body are read and picked by a person.
  return checks.map((c) => (c.check ? c : shellCheck(StageCheckKind.MANUAL, c)));
}

function portForwardCommand(n: CheckNames): string {
  if (n.controllerName === ENVOY_CONTROLLER) {
    const ns = ENVOY_GATEWAY_NAMESPACE;
    const owner = `gateway.envoyproxy.io/owning-gateway-namespace=${n.gatewayNamespace},gateway.envoyproxy.io/owning-gateway-name=${n.gatewayName}`;
    // Envoy Gateway's proxy listens on the listener port, shifted by 10000 below 1024 (port 80 on container port 10080):
    // servicePortToContainerPort in internal/gatewayapi/listener.go, wellKnownPortShift in translator.go (v1.3.0).
    const containerPort = n.httpPort < 1024 ? n.httpPort + 10000 : n.httpPort;
    return `kubectl port-forward -n ${q(ns)} $(kubectl get pods -n ${q(ns)} -l ${q(owner)} -o jsonpath='{.items[0].metadata.name}') 8080:${containerPort}`;
  }
  const sel = q(selector(n));
  return `kubectl port-forward -n $(kubectl get svc -l ${sel} -A -o jsonpath='{.items[0].metadata.namespace}') svc/$(kubectl get svc -l ${sel} -A -o jsonpath='{.items[0].metadata.name}') ${q(`8080:${n.httpPort}`)}`;
}
