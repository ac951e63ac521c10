package podnet

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// The program the namespace runs in TestTwoProgramsBindOnePort: it binds ":8080" as a v0.3.0 EPP does, then asks the
// model server at POD_ADDR and the API server through API_ADDR for a line each, and prints them.
func TestMain(m *testing.M) {
	if os.Getenv("PODNET_HELPER") == "1" {
		os.Exit(helper())
	}
	os.Exit(m.Run())
}

func helper() int {
	l, err := net.Listen("tcp", ":8080")
	if err != nil {
		fmt.Println("bind :8080:", err)
		return 1
	}
	defer l.Close()
	for _, addr := range []string{os.Getenv("POD_ADDR"), os.Getenv("API_ADDR")} {
		line, err := hello(addr)
		if err != nil {
			fmt.Println(err)
			return 1
		}
		fmt.Println(line)
	}
	return 0
}

func hello(addr string) (string, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return bufio.NewReader(c).ReadString('\n')
}

// serve answers every connection on addr with name and a newline.
func serve(t *testing.T, addr, name string) string {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			fmt.Fprintln(c, name)
			c.Close()
		}
	}()
	return l.Addr().String()
}

// Given a model server on a pod IP at 8080 and an API server on the host's loopback, when a program in the pod
// network binds ":8080" (as a v0.3.0 EPP's controller-runtime metrics server does), then it still reaches both.
func TestTwoProgramsBindOnePort(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a network namespace takes root")
	}
	ctx := context.Background()
	n, err := New(ctx, 249)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	ip := PodIP(249, 10)
	if err := n.AddPodIP(ctx, ip); err != nil {
		t.Fatal(err)
	}
	pod := serve(t, ip+":8080", "model-server")
	api, err := n.Forward(serve(t, "127.0.0.1:0", "api-server"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := n.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PODNET_HELPER=1", "POD_ADDR="+pod, "API_ADDR="+api)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the program in the namespace failed: %v: %s", err, out)
	}
	if got, want := strings.Fields(string(out)), []string{"model-server", "api-server"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the program read %q, want %q", got, want)
	}
}

// Given a pod network, when it is closed, then its namespace and links are gone.
func TestCloseRemovesTheNamespace(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a network namespace takes root")
	}
	n, err := New(context.Background(), 248)
	if err != nil {
		t.Fatal(err)
	}
	n.Close()
	if _, err := os.Stat("/run/netns/" + n.Name); !os.IsNotExist(err) {
		t.Errorf("/run/netns/%s is still there (%v)", n.Name, err)
	}
	if _, err := net.InterfaceByName(n.hostLink); err == nil {
		t.Errorf("link %s is still there", n.hostLink)
	}
}

// Given an id outside 0-249, when a network is asked for, then it is refused before anything is made.
func TestIDOutOfRange(t *testing.T) {
	if _, err := New(context.Background(), 250); err == nil || !strings.Contains(err.Error(), "not in 0-249") {
		t.Errorf("New(250) = %v, want the range named", err)
	}
}
