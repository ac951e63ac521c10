package epp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func deployment(args []string, env []corev1.EnvVar) *appsv1.Deployment {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "pool-epp", Namespace: "llm"}}
	d.Spec.Template.Spec.Containers = []corev1.Container{{Name: "epp", Args: args, Env: env,
		VolumeMounts: []corev1.VolumeMount{{Name: "plugins", MountPath: "/config"}}}}
	d.Spec.Template.Spec.Volumes = []corev1.Volume{{Name: "plugins", VolumeSource: corev1.VolumeSource{
		ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "pool-epp"}}}}}
	return d
}

func TestPlanChangesOnlyPortsDownwardAPIKubeconfigAndMounts(t *testing.T) {
	// Given a v1.4.0 Deployment as the library renders it, with the grpc port written out
	rel, _ := Lookup("v1.4.0")
	d := deployment([]string{"--pool-name", "pool", "--grpc-port", "9002", "--config-file", "/config/default-plugins.yaml", "--secure-serving=false"},
		[]corev1.EnvVar{{Name: "NAMESPACE", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "metadata.namespace"}}}, {Name: "LITERAL", Value: "kept"}})
	dir := t.TempDir()
	cms := map[string]*corev1.ConfigMap{"pool-epp": {Data: map[string]string{"default-plugins.yaml": "kind: EndpointPickerConfig\n"}}}
	// When the launch is planned
	l, err := Plan(LaunchInput{Release: rel, Binary: "epp", Deployment: d, ConfigMaps: cms, Kubeconfig: filepath.Join(dir, "kc"), KubeconfigNote: "sa", WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	// Then the grpc port is replaced in place, the other two are added, the rest is unchanged
	joined := strings.Join(l.Args, " ")
	if strings.Contains(joined, "9002") || !strings.Contains(joined, "--pool-name pool") || !strings.Contains(joined, "--secure-serving=false") {
		t.Fatalf("args %v", l.Args)
	}
	for _, f := range []string{"--grpc-port=", "--grpc-health-port=", "--metrics-port="} {
		if strings.Count(joined, f) != 1 {
			t.Fatalf("want one %s in %v", f, l.Args)
		}
	}
	// And the config file is the ConfigMap's, written under the work dir
	cfg := filepath.Join(dir, "root", "config", "default-plugins.yaml")
	if !strings.Contains(joined, "--config-file "+cfg) {
		t.Fatalf("config path not remapped: %v", l.Args)
	}
	if data, _ := os.ReadFile(cfg); string(data) != "kind: EndpointPickerConfig\n" {
		t.Fatalf("config file %q", data)
	}
	// And the environment is the Deployment's with the downward API resolved, plus KUBECONFIG and HOME only
	env := strings.Join(l.Env, " ")
	if !strings.Contains(env, "NAMESPACE=llm") || !strings.Contains(env, "LITERAL=kept") || !strings.Contains(env, "KUBECONFIG=") || len(l.Env) != 4 {
		t.Fatalf("env %v", l.Env)
	}
	// And TLS is off as the flag says, and every change is listed
	if l.Secure || len(l.Changed) != 6 {
		t.Fatalf("secure %v, changed %v", l.Secure, l.Changed)
	}
}

func TestPlanSpellsV0FlagsAndReadsUseStreaming(t *testing.T) {
	// Given a v0.3.0 Deployment (camelCase flags) that turns on the streaming server
	rel, _ := Lookup("v0.3.0")
	d := deployment([]string{"-poolName", "pool", "-metricsPort=9090", "-kvCacheUsagePercentageMetric", "nv_kv{gpu=\"0\"}"}, []corev1.EnvVar{{Name: "USE_STREAMING", Value: "true"}})
	// When the launch is planned
	l, err := Plan(LaunchInput{Release: rel, Binary: "epp", Deployment: d, ConfigMaps: map[string]*corev1.ConfigMap{"pool-epp": {}}, Kubeconfig: "kc", WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	// Then the ports use v0.x names, the streaming server is chosen and the KV-cache family follows the flag
	joined := strings.Join(l.Args, " ")
	for _, f := range []string{"--grpcPort=", "--grpcHealthPort=", "--metricsPort="} {
		if !strings.Contains(joined, f) {
			t.Fatalf("want %s in %v", f, l.Args)
		}
	}
	if strings.Contains(joined, "9090") || !l.Streaming || !l.Secure || l.Scrapes.KVCache != "nv_kv" {
		t.Fatalf("args %v streaming %v secure %v scrapes %+v", l.Args, l.Streaming, l.Secure, l.Scrapes)
	}
}

func TestPlanRefusesAMissingConfigMap(t *testing.T) {
	rel, _ := Lookup("v1.0.2")
	_, err := Plan(LaunchInput{Release: rel, Deployment: deployment(nil, nil), ConfigMaps: map[string]*corev1.ConfigMap{}, WorkDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "ConfigMap pool-epp") {
		t.Fatalf("err %v", err)
	}
}
