// Package podnet gives one EPP the network of a pod of its own: a Linux network namespace joined to the host by a
// veth pair, as a CNI plugin joins a pod to its node. On a cluster every pod has its own network namespace, so two
// programs of two pods may bind the same port; here the replay runs the EPP and the model servers on one host, and a
// v0.3.0 EPP binds controller-runtime's metrics server on ":8080" whatever its flags say (controller-runtime v0.20.4,
// pkg/metrics/server/server.go; cmd/epp/main.go@v0.3.0 passes no metrics options), which is the port the model servers
// of some pools listen on (vLLM's default is 8000, but upstream's own examples use 8080 too).
//
// The host end of the veth carries the model servers' pod IPs (each a /32, so they are local addresses of the host
// and the GA EPP, which runs on the host, reaches them directly); the namespace routes everything to the host end, so
// the EPP in it reaches those pod IPs and, through a forwarder on the host end, the API server, which listens on the
// host's loopback only. Making the namespace takes root and the `ip` command of iproute2.
package podnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// Network is a network namespace for one EPP, joined to the host.
type Network struct {
	// Name is the namespace's name (`ip netns exec <Name> ...`).
	Name string
	// HostAddr is the host end's address; PodAddr the namespace end's: the address the EPP's ports are reached at.
	HostAddr, PodAddr string
	hostLink          string
	mu                sync.Mutex
	listeners         []net.Listener
}

// namePrefix starts the name of every namespace this package makes; the process id follows, so a sweep can tell
// the namespaces of a replay that died from those of one still running.
const namePrefix = "gie-replay-"

// New makes the namespace numbered id (0-249: it picks the link names and the 10.78.<id>.0/30 link addresses) and
// routes the pod IPs 10.77.<id>.0/24 from it to the host. Namespaces a dead replay left behind are removed first.
func New(ctx context.Context, id int) (*Network, error) {
	if id < 0 || id > 249 {
		return nil, fmt.Errorf("podnet: id %d is not in 0-249", id)
	}
	if os.Geteuid() != 0 {
		return nil, errors.New("making a network namespace takes root, and this process is not root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return nil, fmt.Errorf("making a network namespace takes the ip command of iproute2: %w", err)
	}
	sweep(ctx)
	n := &Network{
		Name:     fmt.Sprintf("%s%d-%d", namePrefix, os.Getpid(), id),
		HostAddr: fmt.Sprintf("10.78.%d.1", id),
		PodAddr:  fmt.Sprintf("10.78.%d.2", id),
		hostLink: fmt.Sprintf("gierpl%dh", id),
	}
	podLink := fmt.Sprintf("gierpl%dp", id)
	steps := [][]string{
		{"netns", "add", n.Name},
		{"link", "add", n.hostLink, "type", "veth", "peer", "name", podLink},
		{"link", "set", podLink, "netns", n.Name},
		{"addr", "add", n.HostAddr + "/30", "dev", n.hostLink},
		{"link", "set", n.hostLink, "up"},
		{"-n", n.Name, "addr", "add", n.PodAddr + "/30", "dev", podLink},
		{"-n", n.Name, "link", "set", podLink, "up"},
		{"-n", n.Name, "link", "set", "lo", "up"},
		{"-n", n.Name, "route", "add", "default", "via", n.HostAddr},
	}
	for _, s := range steps {
		if err := run(ctx, s...); err != nil {
			n.Close()
			return nil, err
		}
	}
	return n, nil
}

// PodIP is the n-th pod IP of the namespace's id: an address the host answers on once AddPodIP added it.
func PodIP(id, n int) string { return fmt.Sprintf("10.77.%d.%d", id, n) }

// AddPodIP makes ip a local address of the host (on the host end of the veth), for a model server to listen on.
func (n *Network) AddPodIP(ctx context.Context, ip string) error {
	return run(ctx, "addr", "add", ip+"/32", "dev", n.hostLink)
}

// Command runs name with args inside the namespace (`ip netns exec` execs it: the process keeps the pid).
func (n *Network) Command(name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// Forward listens on the host end and copies every connection to target (host:port on the host), for a program in
// the namespace to reach a server that listens on the host's loopback only. It returns the address to dial.
func (n *Network) Forward(target string) (string, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(n.HostAddr, "0"))
	if err != nil {
		return "", err
	}
	n.mu.Lock()
	n.listeners = append(n.listeners, l)
	n.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go pipe(c, target)
		}
	}()
	return l.Addr().String(), nil
}

func pipe(c net.Conn, target string) {
	defer c.Close()
	t, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer t.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(t, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, t); done <- struct{}{} }()
	<-done
}

// Close stops the forwarders and removes the namespace (which removes the veth pair and the pod IPs with it).
func (n *Network) Close() {
	n.mu.Lock()
	for _, l := range n.listeners {
		_ = l.Close()
	}
	n.listeners = nil
	n.mu.Unlock()
	_ = run(context.Background(), "netns", "del", n.Name)
	_ = run(context.Background(), "link", "del", n.hostLink)
}

// sweep removes the namespaces of replays whose process is gone.
func sweep(ctx context.Context) {
	out, err := exec.CommandContext(ctx, "ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 || !strings.HasPrefix(fields[0], namePrefix) {
			continue
		}
		name := fields[0]
		pid, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, namePrefix), "-", 2)[0])
		if err != nil || pid == os.Getpid() || alive(pid) {
			continue
		}
		_ = run(ctx, "netns", "del", name)
	}
}

func alive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}

func run(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
