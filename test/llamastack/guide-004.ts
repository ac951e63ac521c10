// The YAML examples of the LlamaStack operator's migration guide (v1alpha1 to v1alpha2, guide 004 in ../shared/seeds),
// verbatim, in the guide's order. The "After" examples use the guide's draft forms; the tests compare with their
// typed form. MULTIPLE_PROVIDERS and STATE_STORAGE are spec fragments without a "Before".

export const QUICK_BEFORE = `
# v1alpha1 — environment variable based
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 1
  server:
    distribution:
      name: starter
    containerSpec:
      port: 8321
      env:
      - name: OLLAMA_INFERENCE_MODEL
        value: "llama3.2:1b"
      - name: OLLAMA_URL
        value: "http://ollama-server-service.ollama-dist.svc.cluster.local:11434"
    storage:
      size: "20Gi"
      mountPath: "/home/lls/.lls"
`;

export const QUICK_AFTER = `
# v1alpha2 — declarative, native configuration
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  providers:
    inference:
      provider: ollama
      endpoint: http://ollama-server-service.ollama-dist.svc.cluster.local:11434
  resources:
    models:
      - name: "llama3.2:1b"
  networking:
    port: 8321
  workload:
    replicas: 1
    storage:
      size: "20Gi"
      mountPath: "/home/lls/.lls"
`;

export const OLLAMA_BEFORE = `
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 1
  server:
    distribution:
      name: starter
    containerSpec:
      env:
      - name: OLLAMA_INFERENCE_MODEL
        value: "llama3.2:1b"
      - name: OLLAMA_URL
        value: "http://ollama-server-service.ollama-dist.svc.cluster.local:11434"
`;

export const OLLAMA_AFTER = `
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  providers:
    inference:
      provider: ollama
      endpoint: http://ollama-server-service.ollama-dist.svc.cluster.local:11434
  resources:
    models:
      - name: "llama3.2:1b"
  workload:
    replicas: 1
`;

export const VLLM_BEFORE = `
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 1
  server:
    distribution:
      name: starter
    containerSpec:
      env:
      - name: INFERENCE_MODEL
        value: "meta-llama/Llama-3.2-1B"
      - name: VLLM_URL
        value: "http://vllm-service.vllm-ns.svc:8000/v1"
      - name: VLLM_API_KEY
        valueFrom:
          secretKeyRef:
            name: vllm-secret
            key: api-key
`;

export const VLLM_AFTER = `
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  providers:
    inference:
      provider: vllm
      endpoint: http://vllm-service.vllm-ns.svc:8000/v1
      apiKey:
        name: vllm-secret       # Secret name in the same namespace
        key: api-key             # Key within the Secret
  resources:
    models:
      - name: "meta-llama/Llama-3.2-1B"
  workload:
    replicas: 1
`;

export const CONFIGMAP_BEFORE = `
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 1
  server:
    distribution:
      name: starter
    userConfig:
      configMapName: llama-stack-config
`;

export const CONFIGMAP_AFTER = `
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  overrideConfig:
    configMapName: llama-stack-config
  workload:
    replicas: 1
`;

export const NETWORK_TLS_BEFORE = `
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 1
  server:
    distribution:
      name: starter
    containerSpec:
      port: 9000
    tlsConfig:
      caBundle:
        configMapName: custom-ca-bundle
  network:
    exposeRoute: true
    allowedFrom:
      namespaces: ["monitoring"]
`;

export const NETWORK_TLS_AFTER = `
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  networking:
    port: 9000
    expose: true
    tls:
      caBundle:
        configMapName: custom-ca-bundle
    allowedFrom:
      namespaces: ["monitoring"]
  workload:
    replicas: 1
`;

export const AUTOSCALING_BEFORE = `
apiVersion: llamastack.io/v1alpha1
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  replicas: 2
  server:
    distribution:
      name: starter
    workers: 4
    containerSpec:
      port: 8321
      env:
      - name: OLLAMA_INFERENCE_MODEL
        value: "llama3.2:1b"
      - name: OLLAMA_URL
        value: "http://ollama.default.svc:11434"
    storage:
      size: "20Gi"
    podOverrides:
      serviceAccountName: custom-sa
    autoscaling:
      minReplicas: 2
      maxReplicas: 10
      targetCPUUtilizationPercentage: 75
    podDisruptionBudget:
      minAvailable: 1
`;

export const AUTOSCALING_AFTER = `
apiVersion: llamastack.io/v1alpha2
kind: LlamaStackDistribution
metadata:
  name: my-llsd
spec:
  distribution:
    name: starter
  providers:
    inference:
      provider: ollama
      endpoint: http://ollama.default.svc:11434
  resources:
    models:
      - name: "llama3.2:1b"
  networking:
    port: 8321
  workload:
    replicas: 2
    workers: 4
    storage:
      size: "20Gi"
    overrides:
      serviceAccountName: custom-sa
    autoscaling:
      minReplicas: 2
      maxReplicas: 10
      targetCPUUtilizationPercentage: 75
    podDisruptionBudget:
      minAvailable: 1
`;

export const MULTIPLE_PROVIDERS = `
spec:
  providers:
    inference:
      - id: ollama-local
        provider: ollama
        endpoint: http://ollama.local.svc:11434
      - id: vllm-gpu
        provider: vllm
        endpoint: http://vllm.gpu.svc:8000/v1
        apiKey:                        # secretKeyRef
          name: vllm-secret
          key: api-key
  resources:
    models:
      - name: "llama3.2:1b"
        provider: ollama-local
      - name: "meta-llama/Llama-3.2-70B"
        provider: vllm-gpu
`;

export const STATE_STORAGE = `
spec:
  storage:
    kv:
      type: redis
      endpoint: redis://redis.default.svc:6379
      password:
        name: redis-secret
        key: password
    sql:
      type: postgres
      connectionString:
        name: postgres-secret
        key: dsn
`;
