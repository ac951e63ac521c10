// Package cluster runs the replay's real control plane: test/cluster's controlplane package (etcd and kube-apiserver
// of its toolchain, built into the cache when missing, started on loopback with free ports and envtest's API server
// flags: RBAC, the ServiceAccount admission plugin disabled as no token controller runs, a service-account signing
// key so that TokenRequest works), without kube-controller-manager, which the replay does not need.
package cluster

import (
	"context"
	"fmt"
	"os"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// Cluster is a running control plane and clients of it with the admin's credentials.
type Cluster struct {
	Config  *rest.Config
	Core    kubernetes.Interface
	Dynamic dynamic.Interface
	// Version is the kube-apiserver's /version gitVersion.
	Version string
	cp      *controlplane.ControlPlane
}

// Binaries returns kube-apiserver and etcd from test/cluster's toolchain, built into the cache when missing (helm,
// kubectl and kube-controller-manager are not needed here, so a fresh machine does not wait for helm).
func Binaries(ctx context.Context) (*controlplane.Binaries, error) {
	k8s, err := toolchain.Ensure(ctx, toolchain.Kubernetes, nil)
	if err != nil {
		return nil, err
	}
	etcd, err := toolchain.Ensure(ctx, toolchain.Etcd, nil)
	if err != nil {
		return nil, err
	}
	return &controlplane.Binaries{Etcd: etcd.Path("etcd"), APIServer: k8s.Path("kube-apiserver"), ControllerManager: k8s.Path("kube-controller-manager"), Kubectl: k8s.Path("kubectl")}, nil
}

// Start starts etcd and kube-apiserver in dir (their logs stay there).
func Start(ctx context.Context, bins *controlplane.Binaries, dir string) (*Cluster, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cp, err := controlplane.Start(ctx, controlplane.Options{Binaries: bins, Dir: dir, WithoutControllerManager: true})
	if err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	c := &Cluster{Config: cp.RESTConfig(), cp: cp, Version: cp.Version().GitVersion}
	if c.Core, err = kubernetes.NewForConfig(c.Config); err != nil {
		return nil, c.stopWith(err)
	}
	if c.Dynamic, err = dynamic.NewForConfig(c.Config); err != nil {
		return nil, c.stopWith(err)
	}
	return c, nil
}

func (c *Cluster) stopWith(err error) error {
	_ = c.Stop()
	return err
}

// Stop stops the control plane.
func (c *Cluster) Stop() error { return c.cp.Stop() }
