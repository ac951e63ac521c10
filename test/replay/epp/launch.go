package epp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/podnet"
)

// Launch is how one EPP is started from a Deployment: its container's command line and environment and the files of
// its ConfigMap volumes, with only what a pod gets from the cluster changed (each change listed in Changed).
type Launch struct {
	Release Release
	Binary  string
	Args    []string
	Env     []string
	// Changed lists every difference from the Deployment: ports, downward-API env, the API server, mounted files.
	Changed []string
	// Ports the EPP listens on.
	GRPC, Health, Metrics int
	// Secure is true when the ext_proc port serves TLS.
	Secure bool
	// Streaming is the v0.3.0 ext_proc server choice (USE_STREAMING); true for every later release.
	Streaming bool
	// HealthService is the gRPC health service the Deployment's readiness probe asks for.
	HealthService string
	// Metrics the EPP scrapes from model servers (the release's defaults unless a flag changes them).
	Scrapes MetricNames
	// Root is the working directory (the container's "/", with its ConfigMap volumes).
	Root string
	// Host is the address the EPP's ports are reached at: 127.0.0.1, or the pod address of its Network.
	Host string
	// Network is the network namespace the EPP runs in (nil: the host's).
	Network *podnet.Network
}

// Addr is host:port of one of the EPP's ports.
func (l *Launch) Addr(port int) string { return net.JoinHostPort(l.Host, strconv.Itoa(port)) }

// LaunchInput is what Plan needs.
type LaunchInput struct {
	Release    Release
	Binary     string
	Deployment *appsv1.Deployment
	// ConfigMaps of the stage (or input) by name, for volumes and env references.
	ConfigMaps map[string]*corev1.ConfigMap
	Kubeconfig string
	// KubeconfigNote says whose credentials the kubeconfig carries (for Changed).
	KubeconfigNote string
	WorkDir        string
	// Network, when set, is a network namespace of the EPP's own, as a pod has (podnet).
	Network *podnet.Network
}

// Plan builds the launch of an EPP Deployment: free ports for 9002/9003/9090, NAMESPACE and POD_NAME from the
// Deployment's namespace and a pod name, KUBECONFIG for the API server, ConfigMap volumes written under WorkDir.
func Plan(in LaunchInput) (*Launch, error) {
	d := in.Deployment
	c, err := eppContainer(d)
	if err != nil {
		return nil, err
	}
	l := &Launch{Release: in.Release, Binary: in.Binary, Secure: true, Streaming: !in.Release.StreamingFromEnv, Scrapes: in.Release.Metrics, Root: RootDir(in.WorkDir), Host: "127.0.0.1", Network: in.Network}
	kubeconfig := in.Kubeconfig
	if in.Network != nil {
		l.Host = in.Network.PodAddr
		l.Changed = append(l.Changed, fmt.Sprintf("runs in a network namespace of its own at %s, joined to the host by a veth pair, as a pod is to its node (the model servers' pod IPs are the host's)", l.Host))
		if kubeconfig, err = throughForwarder(in.Kubeconfig, in.Network, &l.Changed); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(l.Root, 0o755); err != nil {
		return nil, err
	}
	args := append(append([]string{}, tailOf(c.Command)...), c.Args...)
	mounts, err := writeVolumes(d, c, in.ConfigMaps, in.WorkDir)
	if err != nil {
		return nil, err
	}
	args = remapPaths(args, mounts, &l.Changed)
	ports, err := controlplane.FreePorts(3)
	if err != nil {
		return nil, err
	}
	l.GRPC, l.Health, l.Metrics = ports[0], ports[1], ports[2]
	portFlags := in.Release.PortFlags(l.GRPC, l.Health, l.Metrics)
	args = withFlags(args, portFlags, &l.Changed)
	l.Args = args
	readFlags(l, args)
	env, err := containerEnv(d, c, in.ConfigMaps, l.Host, &l.Changed)
	if err != nil {
		return nil, err
	}
	if in.Release.StreamingFromEnv {
		l.Streaming = envValue(env, "USE_STREAMING") == "true"
	}
	l.Env = append(env, "KUBECONFIG="+kubeconfig, "HOME="+in.WorkDir)
	l.Changed = append(l.Changed, fmt.Sprintf("KUBECONFIG=%s (%s; a pod uses its in-cluster config)", filepath.Base(kubeconfig), in.KubeconfigNote))
	if p := c.ReadinessProbe; p != nil && p.GRPC != nil && p.GRPC.Service != nil {
		l.HealthService = *p.GRPC.Service
	}
	return l, nil
}

func eppContainer(d *appsv1.Deployment) (*corev1.Container, error) {
	cs := d.Spec.Template.Spec.Containers
	for i := range cs {
		if cs[i].Name == "epp" {
			return &cs[i], nil
		}
	}
	for i := range cs {
		if strings.Contains(cs[i].Image, "/epp:") {
			return &cs[i], nil
		}
	}
	if len(cs) == 1 {
		return &cs[0], nil
	}
	return nil, fmt.Errorf("deployment %s/%s: no container named epp", d.Namespace, d.Name)
}

func tailOf(command []string) []string {
	if len(command) <= 1 {
		return nil
	}
	return command[1:]
}

// flagName is the name of a flag token (`--grpc-port=1` -> grpc-port), or "" for a value.
func flagName(token string) (name string, inline bool) {
	if !strings.HasPrefix(token, "-") || token == "-" || token == "--" {
		return "", false
	}
	name = strings.TrimLeft(token, "-")
	if i := strings.Index(name, "="); i >= 0 {
		return name[:i], true
	}
	return name, false
}

// withFlags replaces the given flags (name with its dashes -> value) wherever the args set them, and appends the rest.
func withFlags(args []string, flags map[string]string, changed *[]string) []string {
	byName := map[string]string{}
	for f, v := range flags {
		byName[strings.TrimLeft(f, "-")] = v
	}
	out := []string{}
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		name, inline := flagName(args[i])
		v, ok := byName[name]
		if !ok {
			out = append(out, args[i])
			continue
		}
		old := ""
		if inline {
			old = args[i][strings.Index(args[i], "=")+1:]
		} else if i+1 < len(args) {
			old = args[i+1]
			i++
		}
		out = append(out, "--"+name+"="+v)
		*changed = append(*changed, fmt.Sprintf("--%s %s -> %s (a free port: two EPPs run side by side)", name, old, v))
		seen[name] = true
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !seen[n] {
			out = append(out, "--"+n+"="+byName[n])
			*changed = append(*changed, fmt.Sprintf("--%s=%s added (default %s; a free port: two EPPs run side by side)", n, byName[n], defaultPort(n)))
		}
	}
	return out
}

func defaultPort(name string) string {
	switch {
	case strings.Contains(strings.ToLower(name), "health"):
		return "9003"
	case strings.Contains(strings.ToLower(name), "metrics"):
		return "9090"
	}
	return "9002"
}

// readFlags reads what the replay must know from the final command line: TLS and metric overrides.
func readFlags(l *Launch, args []string) {
	metricFlags := l.Release.MetricFlags()
	secure := strings.TrimLeft(l.Release.SecureServingFlag(), "-")
	for i := 0; i < len(args); i++ {
		name, inline := flagName(args[i])
		if name == "" {
			continue
		}
		value := ""
		if inline {
			value = args[i][strings.Index(args[i], "=")+1:]
		} else if name != secure && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			value = args[i+1]
		}
		if name == secure {
			l.Secure = value != "false"
		}
		for f, field := range metricFlags {
			if strings.TrimLeft(f, "-") == name {
				setMetric(&l.Scrapes, field, value)
			}
		}
	}
}

func setMetric(m *MetricNames, field, spec string) {
	// A spec may carry labels (`name{label="v"}`): the family name is what the double serves.
	name := strings.SplitN(spec, "{", 2)[0]
	switch field {
	case "Queued":
		m.Queued = name
	case "Running":
		m.Running = name
	case "KVCache":
		m.KVCache = name
	case "LoRA":
		m.LoRA = name
	case "CacheInfo":
		m.CacheInfo = name
	}
}

// writeVolumes writes the files of the container's ConfigMap volumes under workDir and returns mountPath -> local dir.
func writeVolumes(d *appsv1.Deployment, c *corev1.Container, cms map[string]*corev1.ConfigMap, workDir string) (map[string]string, error) {
	mounts := map[string]string{}
	for _, vm := range c.VolumeMounts {
		var vol *corev1.Volume
		for i := range d.Spec.Template.Spec.Volumes {
			if d.Spec.Template.Spec.Volumes[i].Name == vm.Name {
				vol = &d.Spec.Template.Spec.Volumes[i]
			}
		}
		if vol == nil || vol.ConfigMap == nil {
			continue
		}
		cm := cms[vol.ConfigMap.Name]
		if cm == nil {
			return nil, fmt.Errorf("deployment %s/%s mounts ConfigMap %s, which is not among the objects: the pod would not start", d.Namespace, d.Name, vol.ConfigMap.Name)
		}
		// Under a root of its own, so that a path relative to the image's WORKDIR "/" (Dockerfile@v0.5.1; the
		// v0.5.1 chart passes -configFile config/default-plugins.yaml) resolves as in the container.
		dir := filepath.Join(RootDir(workDir), strings.TrimLeft(filepath.Clean(vm.MountPath), "/"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		for key, text := range cm.Data {
			if err := os.WriteFile(filepath.Join(dir, key), []byte(text), 0o644); err != nil {
				return nil, err
			}
		}
		mounts[strings.TrimRight(vm.MountPath, "/")] = dir
	}
	return mounts, nil
}

// RootDir stands for the container's file system root: the EPP runs with it as its working directory.
func RootDir(workDir string) string { return filepath.Join(workDir, "root") }

func remapPaths(args []string, mounts map[string]string, changed *[]string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		for mount, dir := range mounts {
			prefix, value := "", a
			if j := strings.Index(a, "="); strings.HasPrefix(a, "-") && j >= 0 {
				prefix, value = a[:j+1], a[j+1:]
			}
			if strings.HasPrefix(value, mount+"/") {
				out[i] = prefix + dir + strings.TrimPrefix(value, mount)
				*changed = append(*changed, fmt.Sprintf("%s -> %s (the ConfigMap volume's files, written where the EPP can read them)", value, out[i]))
			}
		}
	}
	return out
}

func containerEnv(d *appsv1.Deployment, c *corev1.Container, cms map[string]*corev1.ConfigMap, podIP string, changed *[]string) ([]string, error) {
	podName := d.Name + "-replay"
	env := []string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env = append(env, e.Name+"="+e.Value)
		case e.ValueFrom.FieldRef != nil:
			var v string
			switch e.ValueFrom.FieldRef.FieldPath {
			case "metadata.namespace":
				v = d.Namespace
			case "metadata.name":
				v = podName
			case "status.podIP":
				v = podIP
			default:
				return nil, fmt.Errorf("deployment %s/%s env %s: fieldRef %s is not one the replay gives", d.Namespace, d.Name, e.Name, e.ValueFrom.FieldRef.FieldPath)
			}
			env = append(env, e.Name+"="+v)
			*changed = append(*changed, fmt.Sprintf("%s=%s (downward API %s)", e.Name, v, e.ValueFrom.FieldRef.FieldPath))
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			cm := cms[ref.Name]
			if cm == nil {
				return nil, fmt.Errorf("deployment %s/%s env %s: ConfigMap %s is not among the objects", d.Namespace, d.Name, e.Name, ref.Name)
			}
			env = append(env, e.Name+"="+cm.Data[ref.Key])
		default:
			return nil, fmt.Errorf("deployment %s/%s env %s: only values, fieldRefs and ConfigMap keys are given to the replayed EPP", d.Namespace, d.Name, e.Name)
		}
	}
	return env, nil
}

func envValue(env []string, name string) string {
	for _, e := range env {
		if strings.HasPrefix(e, name+"=") {
			return strings.TrimPrefix(e, name+"=")
		}
	}
	return ""
}

// Process is a running EPP.
type Process struct {
	Launch *Launch
	cmd    *exec.Cmd
	Log    string
	exited chan struct{}
	err    error
}

// ErrFlagRejected marks a start that failed on the command line: the rendered Deployment would crash-loop.
var ErrFlagRejected = errors.New("the EPP rejected its command line")

var rejection = regexp.MustCompile(`(?i)flag provided but not defined|unknown (shorthand )?flag|invalid (argument|value|boolean value) .*flag|bad flag syntax|Failed to validate flags|failed to (load|parse|decode) (the )?(plugins? )?config`)

// Start runs the EPP and waits until its gRPC health port answers SERVING (its datastore synced the pool).
func Start(ctx context.Context, l *Launch, logPath string, timeout time.Duration) (*Process, error) {
	if l.Release.BindsPort8080 && l.Network == nil {
		// A v0.3.0 EPP also starts controller-runtime's metrics server on ":8080" (Release.BindsPort8080): wait until
		// the previous one freed it.
		if err := waitFree(ctx, 8080, 60*time.Second); err != nil {
			return nil, err
		}
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(l.Binary, l.Args...)
	if l.Network != nil {
		cmd = l.Network.Command(l.Binary, l.Args...)
	}
	cmd.Env = l.Env
	cmd.Dir = l.Root
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	p := &Process{Launch: l, cmd: cmd, Log: logPath, exited: make(chan struct{})}
	go func() { p.err = cmd.Wait(); log.Close(); close(p.exited) }()
	if err := p.waitServing(ctx, timeout); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

func (p *Process) waitServing(ctx context.Context, timeout time.Duration) error {
	conn, err := grpc.NewClient(p.Launch.Addr(p.Launch.Health), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(timeout)
	for {
		select {
		case <-p.exited:
			text := p.Output()
			if line := rejection.FindString(text); line != "" {
				return fmt.Errorf("%w: %s", ErrFlagRejected, lastLines(text, 3))
			}
			return fmt.Errorf("the EPP exited (%v): %s", p.err, lastLines(text, 5))
		default:
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		resp, err := health.Check(cctx, &healthpb.HealthCheckRequest{Service: p.Launch.HealthService})
		cancel()
		// The ext_proc server may start after the health server (v0.3.0 starts it once the manager's caches
		// synced): both must answer.
		if err == nil && resp.Status == healthpb.HealthCheckResponse_SERVING && listening(p.Launch.Addr(p.Launch.GRPC)) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the EPP did not become ready in %s (last: %v): %s", timeout, err, lastLines(p.Output(), 5))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waitFree(ctx context.Context, port int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		l, err := net.Listen("tcp", fmt.Sprintf(":%d", port))
		if err == nil {
			l.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("port %d, which a v0.3.0 EPP binds whatever its flags say, is still in use after %s: %w", port, timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Output is what the EPP printed so far.
func (p *Process) Output() string {
	b, _ := os.ReadFile(p.Log)
	return string(b)
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// Stop ends the EPP (SIGTERM, then SIGKILL after 5 s) and waits for it.
func (p *Process) Stop() {
	if p.Exited() {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.exited
	}
}

func lastLines(text string, n int) string {
	return tail(text, n)
}

// throughForwarder writes a copy of a kubeconfig whose API server is reached through a forwarder on the host end of
// the EPP's network namespace (the API server listens on the host's loopback only). The server's certificate names
// 127.0.0.1, so the copy sets tls-server-name to it: the EPP still verifies the API server's certificate.
func throughForwarder(path string, n *podnet.Network, changed *[]string) (string, error) {
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		return "", err
	}
	for name, c := range cfg.Clusters {
		u, err := url.Parse(c.Server)
		if err != nil {
			return "", fmt.Errorf("kubeconfig %s cluster %s: %w", path, name, err)
		}
		addr, err := n.Forward(u.Host)
		if err != nil {
			return "", err
		}
		*changed = append(*changed, fmt.Sprintf("the API server %s reached at %s, a forwarder on the host end of the veth (tls-server-name %s)", c.Server, addr, u.Hostname()))
		c.TLSServerName = u.Hostname()
		u.Host = addr
		c.Server = u.String()
	}
	out := path + "-podnet"
	if err := clientcmd.WriteToFile(*cfg, out); err != nil {
		return "", err
	}
	return out, os.Chmod(out, 0o600)
}
