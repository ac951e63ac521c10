package toolchain

import (
	"context"
	"os"
	"strings"
	"testing"
)

// Given an alpha release the lock does not pin, when its CRDs are asked for, then they come from the release's own
// Go module, checked against the checksum database, and are that release's InferencePool and InferenceModel.
func TestAlphaReleaseCRDsReadsTheReleaseModule(t *testing.T) {
	got, err := AlphaReleaseCRDs(context.Background(), "v0.4.0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.Source, GIEModule+"@v0.4.0 from the Go module proxy (h1:") {
		t.Errorf("source %q does not name the module, the release and its hash", got.Source)
	}
	for _, name := range []string{"inference.networking.x-k8s.io_inferencepools.yaml", "inference.networking.x-k8s.io_inferencemodels.yaml"} {
		path, err := got.File(name)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), "name: v1alpha2") || !strings.Contains(path, "@v0.4.0") {
			t.Errorf("%s is not the v0.4.0 release's v1alpha2 CRD", path)
		}
	}
	if _, err := got.File("inference.networking.k8s.io_inferencepools.yaml"); err == nil {
		t.Error("a v0.x release has no v1 InferencePool CRD, yet one was found")
	}
}

// Given a GA release or a malformed tag, when alpha CRDs are asked for, then nothing is downloaded and the error says why.
func TestAlphaReleaseCRDsRefusesOtherTags(t *testing.T) {
	for _, tag := range []string{"v1.0.0", "v0.4", "main", "v0.4.0; rm -rf /"} {
		if _, err := AlphaReleaseCRDs(context.Background(), tag); err == nil || !strings.Contains(err.Error(), "is not an alpha GIE release") {
			t.Errorf("%q: got %v", tag, err)
		}
	}
}
