/**
 * Realistic KServe v0.15 objects as a GitOps repository holds them (written for these tests).
 */

/** The ingress JSON of a v0.15 install: both Gateway API keys present, the feature off. */
export const INGRESS_V015 = `{
    "enableGatewayApi": false,
    "kserveIngressGateway": "kserve/kserve-ingress-gateway",
    "ingressGateway" : "knative-serving/knative-ingress-gateway",
    "localGateway" : "knative-serving/knative-local-gateway",
    "localGatewayService" : "knative-local-gateway.istio-system.svc.cluster.local",
    "ingressDomain"  : "models.example.com",
    "additionalIngressDomains": ["models.example.org", "internal.example.net"],
    "ingressClassName" : "nginx",
    "domainTemplate": "{{ .Name }}-{{ .Namespace }}.{{ .IngressDomain }}",
    "urlScheme": "https",
    "disableIstioVirtualHost": true,
    "disableIngressCreation": false,
    "pathTemplate": "/serving/{{ .Namespace }}/{{ .Name }}"
}`;

/** An ingress JSON from before the Gateway API keys existed (an older install carried forward). */
export const INGRESS_WITHOUT_GATEWAY_KEYS = `{
  "ingressGateway": "knative-serving/knative-ingress-gateway",
  "localGateway": "knative-serving/knative-local-gateway",
  "localGatewayService": "knative-local-gateway.istio-system.svc.cluster.local",
  "ingressDomain": "example.com",
  "ingressClassName": "istio",
  "urlScheme": "http",
  "domainTemplate": "{{ .Name }}-{{ .Namespace }}.{{ .IngressDomain }}",
  "disableIstioVirtualHost": false,
  "timeoutSeconds": 1.50,
  "pathTemplate": ""
}`;

/** The inferenceservice-config ConfigMap with many keys besides `ingress`. */
export function configMap(ingress: string = INGRESS_V015): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'inferenceservice-config',
      namespace: 'kserve',
      labels: { 'app.kubernetes.io/name': 'kserve', 'app.kubernetes.io/instance': 'kserve' },
      annotations: { 'example.com/owner': 'ml-platform', 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' },
    },
    data: {
      _example: '################################\n# EXAMPLE CONFIGURATION (not read by the controller)\n################################\n',
      agent: '{\n    "image" : "kserve/agent:v0.15.1",\n    "memoryRequest": "100Mi",\n    "memoryLimit": "1Gi",\n    "cpuRequest": "100m",\n    "cpuLimit": "1"\n}',
      batcher: '{\n    "image" : "kserve/agent:v0.15.1",\n    "maxBatchSize": "32",\n    "maxLatency": "5000"\n}',
      credentials: '{\n   "storageSpecSecretName": "storage-config",\n   "storageSecretNameAnnotation": "serving.kserve.io/storageSecretName",\n   "gcs": {"gcsCredentialFileName": "gcloud-application-credentials.json"},\n   "s3": {"s3AccessKeyIDName": "AWS_ACCESS_KEY_ID", "s3SecretAccessKeyName": "AWS_SECRET_ACCESS_KEY", "s3Endpoint": "", "s3UseHttps": ""}\n}',
      deploy: '{\n  "defaultDeploymentMode": "RawDeployment"\n}',
      explainers: '{\n    "art": {\n        "image" : "kserve/art-explainer",\n        "defaultImageVersion": "latest"\n    }\n}',
      ingress,
      localModel: '{\n  "enabled": false,\n  "jobNamespace": "kserve-localmodel-jobs",\n  "fsGroup": 1000,\n  "jobTTLSecondsAfterFinished": 3600\n}',
      logger: '{\n    "image" : "kserve/agent:v0.15.1",\n    "defaultUrl": "http://default-broker"\n}',
      metricsAggregator: '{\n  "enableMetricAggregation": "false",\n  "enablePrometheusScraping" : "false"\n}',
      router: '{\n    "image" : "kserve/router:v0.15.1",\n    "headers": {"propagate": ["Authorization"]}\n}',
      security: '{\n  "autoMountServiceAccountToken": true\n}',
      storageInitializer: '{\n    "image" : "kserve/storage-initializer:v0.15.1",\n    "memoryRequest": "100Mi",\n    "enableDirectPvcVolumeMount": true,\n    "enableModelcar": true,\n    "cpuModelcar": "10m",\n    "memoryModelcar": "15Mi"\n}',
    },
  };
}

/** The kserve-controller-manager Deployment (as kubectl-generated YAML often holds it, with a null). */
export function controllerDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'kserve-controller-manager',
      namespace: 'kserve',
      labels: { 'control-plane': 'kserve-controller-manager', 'controller-tools.k8s.io': '1.0' },
    },
    spec: {
      selector: { matchLabels: { 'control-plane': 'kserve-controller-manager', 'controller-tools.k8s.io': '1.0' } },
      template: {
        metadata: {
          creationTimestamp: null,
          labels: { 'control-plane': 'kserve-controller-manager', 'controller-tools.k8s.io': '1.0' },
          annotations: { 'kubectl.kubernetes.io/default-container': 'manager' },
        },
        spec: {
          serviceAccountName: 'kserve-controller-manager',
          securityContext: { runAsNonRoot: true },
          containers: [{
            name: 'manager',
            image: 'kserve/kserve-controller:v0.15.1',
            imagePullPolicy: 'IfNotPresent',
            command: ['/manager'],
            args: ['--metrics-addr=127.0.0.1:8080', '--leader-elect'],
            env: [
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'SECRET_NAME', value: 'kserve-webhook-server-cert' },
            ],
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
            livenessProbe: { httpGet: { path: '/healthz', port: 8081 }, initialDelaySeconds: 10, periodSeconds: 20, timeoutSeconds: 5 },
            readinessProbe: { httpGet: { path: '/readyz', port: 8081 }, initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 5 },
            resources: { limits: { cpu: '100m', memory: '300Mi' }, requests: { cpu: '100m', memory: '200Mi' } },
            ports: [{ containerPort: 9443, name: 'webhook-server', protocol: 'TCP' }],
            volumeMounts: [{ mountPath: '/tmp/k8s-webhook-server/serving-certs', name: 'cert', readOnly: true }],
          }],
          terminationGracePeriodSeconds: 10,
          volumes: [{ name: 'cert', secret: { defaultMode: 420, secretName: 'kserve-webhook-server-cert' } }],
        },
      },
    },
  };
}

/** Every KServe bundle the migration's objects are checked against. */
export const BUNDLES = ['gateway-api-v1.2.1', 'kserve-v0.15.1'];
