package epp

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// A stand-in for `go install` that writes an executable named epp into GOBIN, so Ensure's bookkeeping is tested
// without building upstream's EPP.
const fakeGo = "#!/bin/sh\nprintf '#!/bin/sh\\n' > \"$GOBIN/epp\" && chmod +x \"$GOBIN/epp\"\n"

func TestEnsurePutsTheBinaryIntoADirectoryThatExistsWithoutTouchingItsFiles(t *testing.T) {
	// Given a cache whose v1.0.0 directory exists with a file of someone else's (an earlier build's log)
	cache, bin := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv(toolchain.CacheVariable, cache)
	dir := filepath.Join(cache, "epp", "v1.0.0")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "build.log"), []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	// When the EPP of v1.0.0 is ensured
	b, err := Ensure(context.Background(), "v1.0.0")
	// Then it is built into that directory, and the other file is as it was
	if err != nil {
		t.Fatal(err)
	}
	if b.Cached || b.Path != filepath.Join(dir, "epp") || !isExecutable(b.Path) {
		t.Fatalf("built = %+v, want a fresh executable at %s", b, filepath.Join(dir, "epp"))
	}
	if data, err := os.ReadFile(filepath.Join(dir, "build.log")); err != nil || string(data) != "kept" {
		t.Fatalf("build.log = %q, %v; want it kept", data, err)
	}
	// And a second call finds it in the cache
	if again, err := Ensure(context.Background(), "v1.0.0"); err != nil || !again.Cached {
		t.Fatalf("second Ensure = %+v, %v; want cached", again, err)
	}
}
