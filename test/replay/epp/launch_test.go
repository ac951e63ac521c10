package epp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/podnet"
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

// Only v0.3.0 binds controller-runtime's default ":8080": from v0.5.0 the manager's metrics server is the EPP's own
// on its metrics port (cmd/epp/runner/runner.go@v0.5.1), which the replay moves to a free port.
func TestOnlyV030BindsPort8080(t *testing.T) {
	for _, tag := range Known() {
		r, err := Lookup(tag)
		if err != nil {
			t.Fatal(err)
		}
		if want := tag == "v0.3.0"; r.BindsPort8080 != want {
			t.Errorf("%s: BindsPort8080 = %v, want %v", tag, r.BindsPort8080, want)
		}
	}
}

func TestPlanInAPodNetworkReachesTheAPIServerThroughAForwarder(t *testing.T) {
	// Given a v0.3.0 Deployment that reads its pod IP from the downward API, an admin kubeconfig for the API server
	// on the host's loopback, and a pod network whose host end is 127.0.0.1 (no namespace needed for the plan)
	rel, _ := Lookup("v0.3.0")
	d := deployment([]string{"-poolName", "pool"}, []corev1.EnvVar{{Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{FieldRef: &corev1.ObjectFieldSelector{FieldPath: "status.podIP"}}}})
	dir := t.TempDir()
	kc := filepath.Join(dir, "kubeconfig-admin")
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["replay"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:6443", CertificateAuthorityData: []byte("ca")}
	if err := clientcmd.WriteToFile(*cfg, kc); err != nil {
		t.Fatal(err)
	}
	n := &podnet.Network{Name: "gie-replay-unit-test-none", HostAddr: "127.0.0.1", PodAddr: "10.78.1.2"}
	defer n.Close()
	cms := map[string]*corev1.ConfigMap{"pool-epp": {Data: map[string]string{}}}
	// When the launch is planned in that network
	l, err := Plan(LaunchInput{Release: rel, Binary: "epp", Deployment: d, ConfigMaps: cms, Kubeconfig: kc, KubeconfigNote: "admin", WorkDir: dir, Network: n})
	if err != nil {
		t.Fatal(err)
	}
	// Then its ports are reached at the pod address, which is also the pod IP it is told
	if l.Host != "10.78.1.2" || l.Addr(9002) != "10.78.1.2:9002" || !strings.Contains(strings.Join(l.Env, " "), "POD_IP=10.78.1.2") {
		t.Fatalf("host %q, env %v", l.Host, l.Env)
	}
	// And its kubeconfig is a copy naming a forwarder on the host end, still verifying the server's certificate as 127.0.0.1
	var path string
	for _, e := range l.Env {
		if strings.HasPrefix(e, "KUBECONFIG=") {
			path = strings.TrimPrefix(e, "KUBECONFIG=")
		}
	}
	got, err := clientcmd.LoadFromFile(path)
	if err != nil || path == kc {
		t.Fatalf("kubeconfig %q: %v", path, err)
	}
	c := got.Clusters["replay"]
	if c.Server == "https://127.0.0.1:6443" || !strings.HasPrefix(c.Server, "https://127.0.0.1:") || c.TLSServerName != "127.0.0.1" || string(c.CertificateAuthorityData) != "ca" {
		t.Fatalf("cluster %+v", c)
	}
	if orig, _ := clientcmd.LoadFromFile(kc); orig.Clusters["replay"].Server != "https://127.0.0.1:6443" {
		t.Fatalf("the original kubeconfig changed: %+v", orig.Clusters["replay"])
	}
	// And both differences from a pod are listed
	if changed := strings.Join(l.Changed, "\n"); !strings.Contains(changed, "network namespace of its own at 10.78.1.2") || !strings.Contains(changed, "a forwarder on the host end") {
		t.Fatalf("changed %v", l.Changed)
	}
}
