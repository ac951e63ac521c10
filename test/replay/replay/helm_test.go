package replay

import (
	"reflect"
	"testing"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

func TestHelmReleasesAreTheAlphaReleasesAStageUninstalls(t *testing.T) {
	// Given a plan whose cleanup stage says to uninstall the alpha release (as the built-in examples' plans do)
	p := PlanFile{Stages: []PlanStage{
		{Folder: "01-side-by-side", ManualSteps: []ManualStep{{Commands: []string{"kubectl apply --server-side -f crds.yaml"}}}},
		{Folder: "04-cleanup", ManualSteps: []ManualStep{{Commands: []string{"helm uninstall vllm-alpha -n default"}}, {Commands: []string{"  helm uninstall vllm-alpha -n default  "}}}},
	}}
	// When the releases are read, then that release is found once
	if got, want := HelmReleases(p), []HelmRelease{{"vllm-alpha", "default"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("HelmReleases = %v, want %v", got, want)
	}
}

func TestChartArgsSelectWhatTheGAPoolSelects(t *testing.T) {
	// Given a GA pool with a dotted label key and a target port
	ga := stage.Pool{Selector: map[string]string{"app.kubernetes.io/name": "vllm", "app": "llama"}, TargetPort: 8000}
	// When the chart's arguments are made, then the labels are escaped and sorted, the port and provider none set
	got := ChartArgs(HelmRelease{"vllm-alpha", "llm"}, "/charts/inferencepool", ga)
	want := []string{"template", "vllm-alpha", "/charts/inferencepool", "-n", "llm", "--set", "provider.name=none",
		"--set-string", "inferencePool.modelServers.matchLabels.app=llama",
		"--set-string", `inferencePool.modelServers.matchLabels.app\.kubernetes\.io/name=vllm`,
		"--set", "inferencePool.targetPortNumber=8000"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ChartArgs =\n%v\nwant\n%v", got, want)
	}
}
