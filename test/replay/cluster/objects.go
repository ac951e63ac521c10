package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/utils/ptr"
)

// FieldManager is the server-side apply field manager of the replay.
const FieldManager = "inference-migration-replay"

func (c *Cluster) mapper() meta.RESTMapper {
	return restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(c.Core.Discovery()))
}

func (c *Cluster) resource(m meta.RESTMapper, obj *unstructured.Unstructured) (dynamic.ResourceInterface, error) {
	gvk := obj.GroupVersionKind()
	mapping, err := m.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", gvk, obj.GetName(), err)
	}
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.Dynamic.Resource(mapping.Resource).Namespace(obj.GetNamespace()), nil
	}
	return c.Dynamic.Resource(mapping.Resource), nil
}

// Apply server-side applies objects in order (namespaces are created first when missing), with the admin's
// credentials; CRDs are waited for until established.
func (c *Cluster) Apply(ctx context.Context, objs []*unstructured.Unstructured) error {
	m := c.mapper()
	for _, o := range objs {
		if ns := o.GetNamespace(); ns != "" {
			if err := c.EnsureNamespace(ctx, ns); err != nil {
				return err
			}
		}
		res, err := c.resource(m, o)
		if err != nil {
			return err
		}
		data, err := json.Marshal(o.Object)
		if err != nil {
			return err
		}
		if _, err := res.Patch(ctx, o.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: FieldManager, Force: ptr.To(true)}); err != nil {
			return fmt.Errorf("applying %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
		if o.GetKind() == "CustomResourceDefinition" {
			if err := c.waitEstablished(ctx, o.GetName()); err != nil {
				return err
			}
			m = c.mapper()
		}
	}
	return nil
}

// Delete deletes objects (missing ones are fine) and waits until they are gone.
func (c *Cluster) Delete(ctx context.Context, objs []*unstructured.Unstructured) error {
	m := c.mapper()
	for _, o := range objs {
		res, err := c.resource(m, o)
		if err != nil {
			continue // its kind is gone already (a deleted CRD took it)
		}
		err = res.Delete(ctx, o.GetName(), metav1.DeleteOptions{PropagationPolicy: ptr.To(metav1.DeletePropagationBackground)})
		if err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("deleting %s %s/%s: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
		if err := poll(ctx, 30*time.Second, func() (bool, error) {
			_, err := res.Get(ctx, o.GetName(), metav1.GetOptions{})
			return apierrors.IsNotFound(err), nil
		}); err != nil {
			return fmt.Errorf("%s %s/%s still exists: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
	}
	return nil
}

var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

func (c *Cluster) waitEstablished(ctx context.Context, name string) error {
	return poll(ctx, 30*time.Second, func() (bool, error) {
		crd, err := c.Dynamic.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
		for _, cond := range conds {
			m, _ := cond.(map[string]any)
			if m["type"] == "Established" && m["status"] == "True" {
				return true, nil
			}
		}
		return false, nil
	})
}

// EnsureNamespace creates a namespace when it does not exist.
func (c *Cluster) EnsureNamespace(ctx context.Context, name string) error {
	_, err := c.Core.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return err
	}
	return nil
}

// ServiceAccountKubeconfig writes a kubeconfig that authenticates as a ServiceAccount with a token of the
// TokenRequest API, as a pod's projected token does, and returns its path. The ServiceAccount is created when the
// objects applied did not create it (a pod of a Deployment naming a missing ServiceAccount is refused on a cluster,
// so the caller reports that first).
func (c *Cluster) ServiceAccountKubeconfig(ctx context.Context, namespace, name, dir string) (string, error) {
	tr, err := c.Core.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token of ServiceAccount %s/%s: %w", namespace, name, err)
	}
	return c.writeKubeconfig(filepath.Join(dir, "kubeconfig-"+namespace+"-"+name), namespace, tr.Status.Token)
}

// AdminKubeconfig writes a kubeconfig with the admin's client certificate and returns its path.
func (c *Cluster) AdminKubeconfig(dir string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["replay"] = &clientcmdapi.Cluster{Server: c.Config.Host, CertificateAuthorityData: c.Config.CAData}
	cfg.AuthInfos["replay"] = &clientcmdapi.AuthInfo{ClientCertificateData: c.Config.CertData, ClientKeyData: c.Config.KeyData}
	cfg.Contexts["replay"] = &clientcmdapi.Context{Cluster: "replay", AuthInfo: "replay"}
	cfg.CurrentContext = "replay"
	path := filepath.Join(dir, "kubeconfig-admin")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return "", err
	}
	return path, os.Chmod(path, 0o600)
}

// Denied returns the accesses (verb group/resource) a ServiceAccount lacks, asked of the API server's authorizer with
// SubjectAccessReviews.
func (c *Cluster) Denied(ctx context.Context, namespace, sa string, wants []Access) ([]string, error) {
	denied := []string{}
	for _, w := range wants {
		r, err := c.Core.AuthorizationV1().SubjectAccessReviews().Create(ctx, &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User:               "system:serviceaccount:" + namespace + ":" + sa,
			Groups:             []string{"system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"},
			ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: namespace, Verb: w.Verb, Group: w.Group, Resource: w.Resource},
		}}, metav1.CreateOptions{})
		if err != nil {
			return nil, err
		}
		if !r.Status.Allowed {
			denied = append(denied, fmt.Sprintf("%s %s", w.Verb, schema.GroupResource{Group: w.Group, Resource: w.Resource}))
		}
	}
	return denied, nil
}

// Access is one verb on one resource.
type Access struct{ Verb, Group, Resource string }

// Token returns a token of a ServiceAccount (as `kubectl create token` gives).
func (c *Cluster) Token(ctx context.Context, namespace, name string) (string, error) {
	tr, err := c.Core.CoreV1().ServiceAccounts(namespace).CreateToken(ctx, name, &authenticationv1.TokenRequest{
		Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: ptr.To[int64](3600)}}, metav1.CreateOptions{})
	if err != nil {
		return "", err
	}
	return tr.Status.Token, nil
}

func (c *Cluster) writeKubeconfig(path, namespace, token string) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["replay"] = &clientcmdapi.Cluster{Server: c.Config.Host, CertificateAuthorityData: c.Config.CAData}
	cfg.AuthInfos["replay"] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts["replay"] = &clientcmdapi.Context{Cluster: "replay", AuthInfo: "replay", Namespace: namespace}
	cfg.CurrentContext = "replay"
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return "", err
	}
	return path, os.Chmod(path, 0o600)
}

// ModelPod is a model-server pod to create: no kubelet runs, so its status (Ready, pod IP) is written directly.
type ModelPod struct {
	Namespace, Name string
	Labels          map[string]string
	IP              string
	Port            int32
}

// CreateModelPods creates pods with the pool's labels and sets them Running and Ready at their loopback IPs.
func (c *Cluster) CreateModelPods(ctx context.Context, pods []ModelPod) error {
	for _, p := range pods {
		if err := c.EnsureNamespace(ctx, p.Namespace); err != nil {
			return err
		}
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: p.Namespace, Name: p.Name, Labels: p.Labels},
			Spec: corev1.PodSpec{
				NodeName:   "replay-node",
				Containers: []corev1.Container{{Name: "vllm", Image: "vllm/vllm-openai:replay-double", Ports: []corev1.ContainerPort{{ContainerPort: p.Port, Name: "http"}}}},
			},
		}
		created, err := c.Core.CoreV1().Pods(p.Namespace).Create(ctx, pod, metav1.CreateOptions{})
		if err != nil {
			return fmt.Errorf("creating model-server pod %s/%s: %w", p.Namespace, p.Name, err)
		}
		now := metav1.Now()
		created.Status = corev1.PodStatus{
			Phase:     corev1.PodRunning,
			PodIP:     p.IP,
			PodIPs:    []corev1.PodIP{{IP: p.IP}},
			HostIP:    "127.0.0.1",
			StartTime: &now,
			Conditions: []corev1.PodCondition{
				{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: now},
				{Type: corev1.PodInitialized, Status: corev1.ConditionTrue, LastTransitionTime: now},
				{Type: corev1.ContainersReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
				{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: now},
			},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "vllm", Ready: true, Image: "vllm/vllm-openai:replay-double",
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}}},
		}
		if _, err := c.Core.CoreV1().Pods(p.Namespace).UpdateStatus(ctx, created, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("setting the status of model-server pod %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	return nil
}

func poll(ctx context.Context, timeout time.Duration, done func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := done()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
