package replay

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

// AlphaChartRelease is the inferencepool chart a Helm-installed alpha stack is rendered from: v0.5.1, the last
// release whose chart renders the alpha (v1alpha2) InferencePool and its EPP, as test/cluster's installAlphaChart
// installs it (imports/charts/gie-v0.5.1, pinned by URL and sha256 in imports/crds.lock.json "charts").
const AlphaChartRelease = "v0.5.1"

var helmUninstall = regexp.MustCompile(`^helm uninstall (\S+) -n (\S+)$`)

// HelmRelease is an alpha release a stage tells the user to `helm uninstall`.
type HelmRelease struct{ Name, Namespace string }

// HelmReleases are the alpha releases the plan's stages tell the user to uninstall: the input says its alpha stack
// was installed by Helm, outside Git (the built-in examples, after upstream's guide).
func HelmReleases(p PlanFile) []HelmRelease {
	out := []HelmRelease{}
	seen := map[HelmRelease]bool{}
	for _, s := range p.Stages {
		for _, step := range s.ManualSteps {
			for _, c := range step.Commands {
				m := helmUninstall.FindStringSubmatch(strings.TrimSpace(c))
				if m == nil || seen[HelmRelease{m[1], m[2]}] {
					continue
				}
				seen[HelmRelease{m[1], m[2]}] = true
				out = append(out, HelmRelease{m[1], m[2]})
			}
		}
	}
	return out
}

// ChartArgs are the arguments of `helm template` for a release whose pool selects what the GA pool selects (the
// planner keeps the alpha pool's selector and port): provider none, as test/cluster installs it (the chart's gke
// provider adds objects of CRDs that are not pinned here and that no EPP reads).
func ChartArgs(rel HelmRelease, chart string, ga stage.Pool) []string {
	args := []string{"template", rel.Name, chart, "-n", rel.Namespace, "--set", "provider.name=none"}
	keys := make([]string, 0, len(ga.Selector))
	for k := range ga.Selector {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "--set-string", fmt.Sprintf("inferencePool.modelServers.matchLabels.%s=%s", strings.ReplaceAll(k, ".", `\.`), ga.Selector[k]))
	}
	if ga.TargetPort != 0 {
		args = append(args, "--set", fmt.Sprintf("inferencePool.targetPortNumber=%d", ga.TargetPort))
	}
	return args
}

// renderAlphaChart renders a Helm-installed alpha stack with the real helm into dir/alpha-chart.yaml and returns its
// objects and the command line that rendered it.
func renderAlphaChart(ctx context.Context, helm, charts, dir string, rel HelmRelease, ga stage.Pool) (*stage.Objects, string, error) {
	chart := filepath.Join(charts, "gie-"+AlphaChartRelease, "inferencepool")
	if _, err := os.Stat(filepath.Join(chart, "Chart.yaml")); err != nil {
		return nil, "", fmt.Errorf("the %s inferencepool chart is not in %s: run `npx projen fetch-crds`", AlphaChartRelease, chart)
	}
	args := ChartArgs(rel, chart, ga)
	cmd := exec.CommandContext(ctx, helm, args...)
	home := filepath.Join(dir, "helm")
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+filepath.Join(home, "cache"), "HELM_CONFIG_HOME="+filepath.Join(home, "config"), "HELM_DATA_HOME="+filepath.Join(home, "data"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, "", fmt.Errorf("helm %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	file := filepath.Join(dir, "alpha-chart.yaml")
	if err := os.WriteFile(file, stdout.Bytes(), 0o644); err != nil {
		return nil, "", err
	}
	objs, err := stage.Read(file)
	if err != nil {
		return nil, "", err
	}
	shown := append([]string{"helm"}, args...)
	shown[3] = "<imports/charts/gie-" + AlphaChartRelease + "/inferencepool>"
	return objs, strings.Join(shown, " "), nil
}
