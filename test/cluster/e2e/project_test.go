package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
)

// cliRun is one run of the project's compiled CLI.
type cliRun struct {
	Stdout, Stderr string
	Code           int
}

// runCLI runs `node bin/inference-migrate <args>` from the project root, with extra environment.
func runCLI(ctx context.Context, env []string, args ...string) (cliRun, error) {
	cmd := exec.CommandContext(ctx, "node", append([]string{filepath.Join(suite.root, "bin", "inference-migrate")}, args...)...)
	cmd.Dir = suite.root
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	run := cliRun{Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		run.Code = exit.ExitCode()
		return run, nil
	}
	return run, err
}

// lockEntry is one pinned file of imports/crds.lock.json.
type lockEntry struct {
	File   string `json:"file"`
	Bundle string `json:"bundle"`
	URL    string `json:"url"`
}

type lockFile struct {
	CRDs    []lockEntry `json:"crds"`
	Cluster []lockEntry `json:"cluster"`
	Charts  []lockEntry `json:"charts"`
}

func readLock() (lockFile, error) {
	var lock lockFile
	data, err := os.ReadFile(filepath.Join(suite.root, "imports", "crds.lock.json"))
	if err != nil {
		return lock, err
	}
	return lock, json.Unmarshal(data, &lock)
}

// crdFile is the local path of a pinned CRD file named as in the lock ("<bundle>/<file>").
func crdFile(name string) string { return filepath.Join(suite.root, "imports", "crds", name) }

// chartDir is the local copy of an upstream chart at a GIE release ("v1.4.0", "inferencepool").
func chartDir(release, chart string) string {
	return filepath.Join(suite.root, "imports", "charts", "gie-"+release, chart)
}

var (
	// https://github.com/<owner>/<repo>/raw/<ref>/<path>, the form the READMEs use.
	githubRaw = regexp.MustCompile(`^https://github\.com/([^/]+)/([^/]+)/raw/([^/]+)/(.+)$`)
	// A release's install manifest: https://github.com/<owner>/<repo>/releases/download/<tag>/<file>.
	releaseAsset = regexp.MustCompile(`^https://github\.com/([^/]+)/([^/]+)/releases/download/([^/]+)/([^/]+)$`)
)

// pinnedFiles maps a URL a README tells the user to apply or delete to the pinned local files with
// the same content: a raw file by its URL in the lock (either URL form); a release's install manifest
// (GIE manifests.yaml, Gateway API standard-install.yaml) by every pinned CRD file of that release,
// which is what those assets are built from (config/crd/bases, config/crd/standard), and an alpha GIE
// release the lock does not pin by its Go module's config/crd/bases (toolchain.AlphaReleaseCRDs). It returns nil
// when nothing stands for the URL.
func pinnedFiles(ctx context.Context, url string) ([]string, error) {
	lock, err := readLock()
	if err != nil {
		return nil, err
	}
	entries := append(append([]lockEntry{}, lock.CRDs...), lock.Cluster...)
	if m := githubRaw.FindStringSubmatch(url); m != nil {
		url = fmt.Sprintf("https://raw.githubusercontent.com/%s/%s/%s/%s", m[1], m[2], m[3], m[4])
	}
	for _, e := range entries {
		if e.URL == url {
			return []string{crdFile(e.File)}, nil
		}
	}
	m := releaseAsset.FindStringSubmatch(url)
	if m == nil {
		return nil, nil
	}
	bundle := map[string]string{
		"gateway-api-inference-extension/manifests.yaml": "gie-" + m[3],
		"gateway-api/standard-install.yaml":              "gateway-api-" + m[3],
	}[m[2]+"/"+m[4]]
	var files []string
	for _, e := range entries {
		if bundle != "" && e.Bundle == bundle && !strings.Contains(e.File, "inferencepoolimports") {
			files = append(files, crdFile(e.File))
		}
	}
	sort.Strings(files)
	if len(files) == 0 && m[2]+"/"+m[4] == "gateway-api-inference-extension/manifests.yaml" && toolchain.IsGIEAlphaRelease(m[3]) {
		got, err := toolchain.AlphaReleaseCRDs(ctx, m[3])
		if err != nil {
			return nil, err
		}
		return got.Files, nil
	}
	return files, nil
}

// runTool runs a binary with extra environment and returns its standard output; an error carries
// the standard error.
func runTool(ctx context.Context, binary string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", filepath.Base(binary), strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}
