// Package controlplane runs a real Kubernetes control plane for tests: etcd, kube-apiserver and
// (optionally) kube-controller-manager as child processes on loopback with free ports, as
// controller-runtime's envtest does (pkg/internal/testing/controlplane/apiserver.go, defaultArgs:
// its API server flags are the model here), plus kube-controller-manager so that garbage collection
// and namespace deletion behave as on a cluster. Everything lives in one temporary folder and is
// stopped by Stop, also when a test fails (use t.Cleanup); the processes die with the test binary.
//
// Typical use:
//
//	cp, err := controlplane.Start(ctx, controlplane.Options{})
//	defer cp.Stop()
//	cfg := cp.RESTConfig()        // for client-go / controller-runtime clients
//	path := cp.Kubeconfig()       // for kubectl, helm and the CLI under test
//	names, err := cp.InstallCRDs(ctx, "crds/a.yaml", "crds/b.yaml")
package controlplane

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/version"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// Binaries are the paths of the component binaries. Helm may be empty: it is then built (or taken
// from the cache) on the first Helm or Command("helm").
type Binaries struct {
	Etcd, APIServer, ControllerManager, Kubectl, Helm string
}

// Options configure Start. Every field is optional.
type Options struct {
	// Binaries of the components. Default: the cache of package toolchain, built when missing.
	Binaries *Binaries
	// Dir holds certificates, the kubeconfig, etcd's data and the components' logs.
	// Default: a new temporary folder, removed by Stop.
	Dir string
	// WithoutControllerManager skips kube-controller-manager (no garbage collection, namespaces
	// stay Terminating). Default: it runs, with the garbage-collector and namespace controllers.
	WithoutControllerManager bool
	// APIServerFlags are extra kube-apiserver flags (--name=value), after the defaults. Default: none.
	APIServerFlags []string
	// StartTimeout bounds the wait for each component to be ready. Default: 90s (two busy cores).
	StartTimeout time.Duration
}

// ControlPlane is a running etcd + kube-apiserver (+ kube-controller-manager).
type ControlPlane struct {
	dir, kubeconfig string
	ownsDir         bool
	config          *rest.Config
	binaries        Binaries
	version         *version.Info
	etcd, apiserver *process
	controllers     *process

	// What Baseline recorded, the resource of each kind seen, and the body InstallCRDs applied per CRD
	// (see reset.go).
	baseline  *baseline
	resources map[schema.GroupVersionKind]schema.GroupVersionResource
	crdMu     sync.Mutex
	crdBodies map[string][]byte
}

// Start starts the components and returns once the API server is ready (/readyz) and, unless
// disabled, kube-controller-manager is healthy.
func Start(ctx context.Context, opts Options) (*ControlPlane, error) {
	opts = withDefaults(opts)
	binaries, err := resolveBinaries(ctx, opts.Binaries)
	if err != nil {
		return nil, err
	}
	c := &ControlPlane{dir: opts.Dir, binaries: binaries}
	if c.dir == "" {
		if c.dir, err = os.MkdirTemp("", "controlplane-"); err != nil {
			return nil, err
		}
		c.ownsDir = true
	}
	if err := c.start(ctx, opts); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

func withDefaults(opts Options) Options {
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 90 * time.Second
	}
	return opts
}

func resolveBinaries(ctx context.Context, given *Binaries) (Binaries, error) {
	if given != nil {
		return *given, nil
	}
	k8s, err := toolchain.Ensure(ctx, toolchain.Kubernetes, nil)
	if err != nil {
		return Binaries{}, err
	}
	etcd, err := toolchain.Ensure(ctx, toolchain.Etcd, nil)
	if err != nil {
		return Binaries{}, err
	}
	// helm is built on first use (Helm, Command), since most control planes never need it.
	return Binaries{
		Etcd:              etcd.Path("etcd"),
		APIServer:         k8s.Path("kube-apiserver"),
		ControllerManager: k8s.Path("kube-controller-manager"),
		Kubectl:           k8s.Path("kubectl"),
	}, nil
}

func (c *ControlPlane) start(ctx context.Context, opts Options) error {
	creds, err := writeCredentials(c.dir)
	if err != nil {
		return fmt.Errorf("controlplane: credentials: %w", err)
	}
	ports, err := FreePorts(4)
	if err != nil {
		return fmt.Errorf("controlplane: free ports: %w", err)
	}
	etcdClient, etcdPeer, apiPort, kcmPort := ports[0], ports[1], ports[2], ports[3]
	if err := c.startEtcd(ctx, opts, etcdClient, etcdPeer); err != nil {
		return err
	}
	if err := c.startAPIServer(ctx, opts, creds, etcdClient, apiPort); err != nil {
		return err
	}
	if opts.WithoutControllerManager {
		return nil
	}
	return c.startControllerManager(ctx, opts, kcmPort)
}

func (c *ControlPlane) startEtcd(ctx context.Context, opts Options, clientPort, peerPort int) error {
	client := "http://127.0.0.1:" + itoa(clientPort)
	peer := "http://127.0.0.1:" + itoa(peerPort)
	args := []string{
		"--name=default",
		"--data-dir=" + filepath.Join(c.dir, "etcd"),
		"--listen-client-urls=" + client,
		"--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer,
		"--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=default=" + peer,
		// A throwaway store: no fsync (as Kubernetes' own integration tests run etcd).
		"--unsafe-no-fsync=true",
		"--log-level=warn",
	}
	var err error
	if c.etcd, err = startProcess("etcd", c.binaries.Etcd, c.dir, args); err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	return poll(ctx, opts.StartTimeout, c.etcd, "healthy", func(ctx context.Context) error {
		return httpOK(ctx, nil, client+"/health")
	})
}

func (c *ControlPlane) startAPIServer(ctx context.Context, opts Options, creds *credentials, etcdPort, port int) error {
	host := "https://127.0.0.1:" + itoa(port)
	args := []string{
		"--etcd-servers=http://127.0.0.1:" + itoa(etcdPort),
		"--advertise-address=127.0.0.1",
		"--bind-address=127.0.0.1",
		"--secure-port=" + itoa(port),
		"--cert-dir=" + c.dir,
		"--tls-cert-file=" + creds.servingCert,
		"--tls-private-key-file=" + creds.servingKey,
		"--client-ca-file=" + creds.caCert,
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
		// No token controller runs, so no ServiceAccount would exist for admission to find
		// (envtest disables the plugin for the same reason).
		"--disable-admission-plugins=ServiceAccount",
		"--service-account-issuer=" + host,
		"--service-account-key-file=" + creds.saPublic,
		"--service-account-signing-key-file=" + creds.saPrivate,
		"--profiling=false",
	}
	args = append(args, opts.APIServerFlags...)
	var err error
	if c.apiserver, err = startProcess("kube-apiserver", c.binaries.APIServer, c.dir, args); err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	c.config = &rest.Config{
		Host: host,
		TLSClientConfig: rest.TLSClientConfig{
			CAData: creds.caPEM, CertData: creds.adminCertPEM, KeyData: creds.adminKeyPEM,
		},
		QPS: 200, Burst: 400,
	}
	if err := c.writeKubeconfig(creds); err != nil {
		return err
	}
	transport, err := rest.TransportFor(c.config)
	if err != nil {
		return err
	}
	if err := poll(ctx, opts.StartTimeout, c.apiserver, "ready", func(ctx context.Context) error {
		return httpOK(ctx, transport, host+"/readyz")
	}); err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(c.config)
	if err != nil {
		return err
	}
	if c.version, err = dc.ServerVersion(); err != nil {
		return fmt.Errorf("controlplane: /version: %w", err)
	}
	return nil
}

func (c *ControlPlane) startControllerManager(ctx context.Context, opts Options, port int) error {
	args := []string{
		"--kubeconfig=" + c.kubeconfig,
		// Garbage collection (owner references) and namespace deletion, as on a cluster. Controllers
		// that would make pods, tokens or nodes have nothing to act on here and are left out.
		"--controllers=garbage-collector-controller,namespace-controller",
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port=" + itoa(port),
		"--cert-dir=" + filepath.Join(c.dir, "kcm"),
		"--profiling=false",
	}
	var err error
	if c.controllers, err = startProcess("kube-controller-manager", c.binaries.ControllerManager, c.dir, args); err != nil {
		return fmt.Errorf("controlplane: %w", err)
	}
	insecure, err := rest.TransportFor(&rest.Config{TLSClientConfig: rest.TLSClientConfig{Insecure: true}})
	if err != nil {
		return err
	}
	// /healthz is served without authentication (the controller manager's always-allowed paths).
	return poll(ctx, opts.StartTimeout, c.controllers, "healthy", func(ctx context.Context) error {
		return httpOK(ctx, insecure, "https://127.0.0.1:"+itoa(port)+"/healthz")
	})
}

func (c *ControlPlane) writeKubeconfig(creds *credentials) error {
	c.kubeconfig = filepath.Join(c.dir, "kubeconfig")
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["cluster-tests"] = &clientcmdapi.Cluster{Server: c.config.Host, CertificateAuthorityData: creds.caPEM}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: creds.adminCertPEM, ClientKeyData: creds.adminKeyPEM}
	cfg.Contexts["cluster-tests"] = &clientcmdapi.Context{Cluster: "cluster-tests", AuthInfo: "admin", Namespace: "default"}
	cfg.CurrentContext = "cluster-tests"
	return clientcmd.WriteToFile(*cfg, c.kubeconfig)
}

// RESTConfig is an admin (system:masters) client configuration; callers get a copy.
func (c *ControlPlane) RESTConfig() *rest.Config { return rest.CopyConfig(c.config) }

// Kubeconfig is the path of a kubeconfig file for the same admin identity, current context set.
func (c *ControlPlane) Kubeconfig() string { return c.kubeconfig }

// Version is the API server's /version.
func (c *ControlPlane) Version() version.Info { return *c.version }

// Binaries are the component binaries this control plane runs (with kubectl and helm beside them).
func (c *ControlPlane) Binaries() Binaries { return c.binaries }

// Dir is the folder of certificates, kubeconfig, etcd data and logs.
func (c *ControlPlane) Dir() string { return c.dir }

// Command returns an exec.Cmd for one of the client binaries ("kubectl" or "helm") with KUBECONFIG
// set to this control plane and HOME-derived caches kept inside Dir, so nothing of the user's leaks in.
func (c *ControlPlane) Command(ctx context.Context, binary string, args ...string) *exec.Cmd {
	path := map[string]string{"kubectl": c.binaries.Kubectl, "helm": c.binaries.Helm}[binary]
	if path == "" {
		path = binary
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(),
		"KUBECONFIG="+c.kubeconfig,
		"KUBECACHEDIR="+filepath.Join(c.dir, "kubecache"),
		"HELM_CACHE_HOME="+filepath.Join(c.dir, "helm", "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(c.dir, "helm", "config"),
		"HELM_DATA_HOME="+filepath.Join(c.dir, "helm", "data"),
	)
	return cmd
}

// Kubectl runs kubectl against this control plane and returns its standard output; an error carries
// the standard error.
func (c *ControlPlane) Kubectl(ctx context.Context, args ...string) (string, error) {
	return run(c.Command(ctx, "kubectl", args...))
}

// Helm runs helm against this control plane.
func (c *ControlPlane) Helm(ctx context.Context, args ...string) (string, error) {
	if c.binaries.Helm == "" {
		helm, err := toolchain.Ensure(ctx, toolchain.Helm, nil)
		if err != nil {
			return "", err
		}
		c.binaries.Helm = helm.Path("helm")
	}
	return run(c.Command(ctx, "helm", args...))
}

func run(cmd *exec.Cmd) (string, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", filepath.Base(cmd.Path), strings.Join(cmd.Args[1:], " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// Stop stops kube-controller-manager, kube-apiserver and etcd, in that order, and removes Dir when
// Start made it. Safe to call more than once and after a failed Start.
func (c *ControlPlane) Stop() error {
	var errs []string
	for _, p := range []*process{c.controllers, c.apiserver, c.etcd} {
		if err := p.stop(20 * time.Second); err != nil {
			errs = append(errs, err.Error())
		}
	}
	c.controllers, c.apiserver, c.etcd = nil, nil, nil
	if c.ownsDir && c.dir != "" && os.Getenv("CONTROLPLANE_KEEP_DIR") == "" {
		if err := os.RemoveAll(c.dir); err != nil {
			errs = append(errs, err.Error())
		}
		c.ownsDir = false
	}
	if len(errs) > 0 {
		return fmt.Errorf("controlplane: stop: %s", strings.Join(errs, "; "))
	}
	return nil
}
