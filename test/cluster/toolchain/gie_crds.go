package toolchain

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// GIEModule is the Gateway API Inference Extension's Go module. Its zip on the Go module proxy holds
// config/crd/bases at every release: the files the release's manifests.yaml is built from (the Makefile's
// release-manifests target, e.g. at v0.4.0).
const GIEModule = "sigs.k8s.io/gateway-api-inference-extension"

// gieAlphaRelease is a GIE release that served only the alpha group (v0.x.y).
var gieAlphaRelease = regexp.MustCompile(`^v0\.[0-9]+\.[0-9]+$`)

// IsGIEAlphaRelease says whether tag is an alpha-only GIE release (v0.x.y).
func IsGIEAlphaRelease(tag string) bool { return gieAlphaRelease.MatchString(tag) }

// ReleaseCRDs are the CRD files of one GIE release read from its Go module, and a line naming where they came from.
type ReleaseCRDs struct {
	Files  []string
	Source string
}

var (
	releaseCRDsMu sync.Mutex
	releaseCRDs   = map[string]ReleaseCRDs{}
)

// AlphaReleaseCRDs returns the alpha CRD files (inference.networking.x-k8s.io) of a GIE v0.x release that
// imports/crds.lock.json does not pin (an outside input at v0.4.0, say), from the release's Go module:
// `go mod download` fetches it from the Go module proxy and checks it against the checksum database
// (sum.golang.org), as for every module the tests build, so the files are the tag's, verified, and nothing
// but a registry is asked. The module is read in place (the module cache is read-only); nothing is copied.
func AlphaReleaseCRDs(ctx context.Context, release string) (ReleaseCRDs, error) {
	if !IsGIEAlphaRelease(release) {
		return ReleaseCRDs{}, fmt.Errorf("toolchain: %s is not an alpha GIE release (v0.x.y)", release)
	}
	releaseCRDsMu.Lock()
	defer releaseCRDsMu.Unlock()
	if got, ok := releaseCRDs[release]; ok {
		return got, nil
	}
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", GIEModule+"@"+release)
	cmd.Dir = os.TempDir() // outside any module: nothing edits a go.mod or go.sum
	out, runErr := cmd.Output()
	var info struct{ Dir, Sum, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Error != "" || runErr != nil {
		return ReleaseCRDs{}, fmt.Errorf("toolchain: go mod download %s@%s: %v %s", GIEModule, release, runErr, strings.TrimSpace(info.Error))
	}
	files, err := filepath.Glob(filepath.Join(info.Dir, "config", "crd", "bases", "inference.networking.x-k8s.io_*.yaml"))
	if err != nil || len(files) == 0 {
		return ReleaseCRDs{}, fmt.Errorf("toolchain: %s@%s holds no alpha CRD under config/crd/bases", GIEModule, release)
	}
	sort.Strings(files)
	got := ReleaseCRDs{Files: files, Source: fmt.Sprintf("%s@%s from the Go module proxy (%s)", GIEModule, release, info.Sum)}
	releaseCRDs[release] = got
	return got, nil
}

// AlphaCRDNames are the base names of the alpha InferencePool and InferenceModel CRDs, in that order, as every
// v0.x release ships them under config/crd/bases and imports/crds.lock.json pins them ("gie-<tag>/<name>").
var AlphaCRDNames = []string{"inference.networking.x-k8s.io_inferencepools.yaml", "inference.networking.x-k8s.io_inferencemodels.yaml"}

// PoolAndModel returns the release's InferencePool and InferenceModel CRD files (AlphaCRDNames), in that order.
func (r ReleaseCRDs) PoolAndModel() ([]string, error) {
	out := make([]string, len(AlphaCRDNames))
	for i, name := range AlphaCRDNames {
		f, err := r.File(name)
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// File returns the release's file of that base name ("inference.networking.x-k8s.io_inferencepools.yaml").
func (r ReleaseCRDs) File(name string) (string, error) {
	for _, f := range r.Files {
		if filepath.Base(f) == name {
			return f, nil
		}
	}
	return "", fmt.Errorf("toolchain: no %s in %s", name, r.Source)
}
