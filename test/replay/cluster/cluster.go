// Package cluster runs the replay's real control plane: etcd and kube-apiserver as test/cluster's toolchain builds
// them (the binaries in the cache, at the versions test/cluster/tools/*/go.mod pins), started on loopback with free
// ports by controller-runtime's envtest (its API server flags: RBAC, the ServiceAccount admission plugin disabled as no
// token controller runs, a service-account signing key so that TokenRequest works).
package cluster

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
)

// Cluster is a running control plane and clients of it with the admin's credentials.
type Cluster struct {
	Config  *rest.Config
	Core    kubernetes.Interface
	Dynamic dynamic.Interface
	// Version is the kube-apiserver's /version gitVersion.
	Version string
	env     *envtest.Environment
	log     *os.File
}

// Binaries are the paths of the control plane's programs.
type Binaries struct{ APIServer, Etcd string }

// FindBinaries returns kube-apiserver and etcd: $E2E_KUBE_APISERVER and $E2E_ETCD when set, else the cache entries
// of test/cluster's toolchain (<cache>/kubernetes/<version>/kube-apiserver, <cache>/etcd/<version>/etcd) at the
// versions its tool modules pin (repoRoot/test/cluster/tools/{kubernetes,etcd}/go.mod).
func FindBinaries(repoRoot string) (Binaries, error) {
	root, err := epp.CacheRoot()
	if err != nil {
		return Binaries{}, err
	}
	api, err := find("E2E_KUBE_APISERVER", root, "kubernetes", "kube-apiserver", pinned(repoRoot, "kubernetes", "k8s.io/kubernetes"))
	if err != nil {
		return Binaries{}, err
	}
	etcd, err := find("E2E_ETCD", root, "etcd", "etcd", pinned(repoRoot, "etcd", "go.etcd.io/etcd/server/v3"))
	if err != nil {
		return Binaries{}, err
	}
	return Binaries{APIServer: api, Etcd: etcd}, nil
}

func find(variable, root, tool, binary, version string) (string, error) {
	if p := os.Getenv(variable); p != "" {
		return p, nil
	}
	if version != "" {
		p := filepath.Join(root, tool, version, binary)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		return "", fmt.Errorf("cluster: %s %s is not built (%s is missing): run the cluster tests once (npx projen e2e) or set %s", binary, version, p, variable)
	}
	matches, _ := filepath.Glob(filepath.Join(root, tool, "v*", binary))
	if len(matches) == 0 {
		return "", fmt.Errorf("cluster: no %s under %s: run the cluster tests once (npx projen e2e) or set %s", binary, filepath.Join(root, tool), variable)
	}
	sort.Strings(matches)
	return matches[len(matches)-1], nil
}

var requireLine = regexp.MustCompile(`^\s*(?:require\s+)?(\S+)\s+(v\S+)`)

// pinned reads the version a test/cluster tool module requires, or "" when the module is not there.
func pinned(repoRoot, tool, module string) string {
	f, err := os.Open(filepath.Join(repoRoot, "test", "cluster", "tools", tool, "go.mod"))
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if m := requireLine.FindStringSubmatch(s.Text()); m != nil && m[1] == module {
			return m[2]
		}
	}
	return ""
}

// Start starts etcd and kube-apiserver; their output goes to logPath.
func Start(bins Binaries, logPath string) (*Cluster, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	env := &envtest.Environment{}
	// Two busy cores: allow what test/cluster's control plane allows (90 s) rather than envtest's 20 s.
	env.ControlPlane.Etcd = &envtest.Etcd{Path: bins.Etcd, Out: log, Err: log, StartTimeout: 90 * time.Second, StopTimeout: 30 * time.Second}
	env.ControlPlane.APIServer = &envtest.APIServer{Path: bins.APIServer, Out: log, Err: log, StartTimeout: 90 * time.Second, StopTimeout: 30 * time.Second}
	cfg, err := env.Start()
	if err != nil {
		log.Close()
		return nil, fmt.Errorf("cluster: starting etcd and kube-apiserver (output in %s): %w", logPath, err)
	}
	c := &Cluster{Config: cfg, env: env, log: log}
	if c.Core, err = kubernetes.NewForConfig(cfg); err != nil {
		return nil, c.stopWith(err)
	}
	if c.Dynamic, err = dynamic.NewForConfig(cfg); err != nil {
		return nil, c.stopWith(err)
	}
	v, err := c.Core.Discovery().ServerVersion()
	if err != nil {
		return nil, c.stopWith(err)
	}
	c.Version = v.GitVersion
	return c, nil
}

func (c *Cluster) stopWith(err error) error {
	_ = c.Stop()
	return err
}

// Stop stops the control plane.
func (c *Cluster) Stop() error {
	err := c.env.Stop()
	c.log.Close()
	return err
}

// Server is the API server's URL.
func (c *Cluster) Server() string { return c.Config.Host }
