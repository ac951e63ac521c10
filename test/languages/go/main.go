// The app of test/languages in Go: the same as typescript/main.ts, which its output must equal byte for byte.
//
// Run from a directory of its own; it writes out/.
//
//	app          writes out/migrations (every stage) and out/dist (app.synth), prints the stages
//	app error    prints the error a wrong prop raises, as Go sees it (a panic, recovered)
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration-go/cdk8sinferencemigration"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

// quickStart writes the README's quick start: every stage of the migration as GitOps folders.
func quickStart() {
	app := cdk8s.NewApp(nil)
	cdk8sinferencemigration.NewZeroDowntimeMigration(app, jsii.String("vllm-llama3-8b-instruct"), &cdk8sinferencemigration.ZeroDowntimeMigrationProps{
		AlphaPool: &cdk8sinferencemigration.InferencePoolAlphaProps{
			Existing: &cdk8sinferencemigration.ExistingInferencePoolAlphaProps{
				Name:                jsii.String("vllm-llama3-8b-instruct-alpha"),
				ModelServerSelector: &map[string]*string{"app": jsii.String("vllm-llama3-8b-instruct")},
				TargetPort:          jsii.Number(8000),
			},
		},
		GaPool: &cdk8sinferencemigration.GaPoolOptions{Name: jsii.String("vllm-llama3-8b-instruct-ga")},
		Objectives: &[]*cdk8sinferencemigration.ObjectiveOptions{
			{Name: jsii.String("food-review"), Priority: jsii.Number(1)},
			{Name: jsii.String("base-model"), Priority: jsii.Number(2)},
		},
		Gateway:   &cdk8sinferencemigration.GatewayParentRef{Name: jsii.String("inference-gateway")},
		RouteName: jsii.String("llm-route"),
		Steps:     jsii.Numbers(10, 50),
	})
	cdk8sinferencemigration.NewGitOpsWriter(&cdk8sinferencemigration.GitOpsWriterOptions{
		Outdir:   jsii.String("out/migrations"),
		Validate: jsii.Bool(true),
	}).WriteAll(app)
}

// composition is a larger app: a chart of its own, and the migration's selected stage in a namespaced chart.
func composition(steps *[]*float64) cdk8sinferencemigration.ZeroDowntimeMigration {
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String("out/dist")})
	web := cdk8s.NewChart(app, jsii.String("web"), &cdk8s.ChartProps{Namespace: jsii.String("frontend")})
	cdk8s.NewApiObject(web, jsii.String("site"), &cdk8s.ApiObjectProps{
		ApiVersion: jsii.String("v1"),
		Kind:       jsii.String("ServiceAccount"),
		Metadata:   &cdk8s.ApiObjectMetadata{Name: jsii.String("site")},
	})
	platform := cdk8s.NewChart(app, jsii.String("llm-platform"), &cdk8s.ChartProps{Namespace: jsii.String("llm")})
	migration := cdk8sinferencemigration.NewZeroDowntimeMigration(platform, jsii.String("llm"), &cdk8sinferencemigration.ZeroDowntimeMigrationProps{
		AlphaPool: &cdk8sinferencemigration.InferencePoolAlphaProps{
			Existing: &cdk8sinferencemigration.ExistingInferencePoolAlphaProps{
				Name:                jsii.String("vllm-llama3-8b-instruct-alpha"),
				ModelServerSelector: &map[string]*string{"app": jsii.String("vllm-llama3-8b-instruct")},
			},
		},
		GaPool: &cdk8sinferencemigration.GaPoolOptions{
			Name: jsii.String("vllm-llama3-8b-instruct-ga"),
			EndpointPicker: &cdk8sinferencemigration.EndpointPickerOptions{
				ImagePullPolicy: cdk8sinferencemigration.ImagePullPolicy_IF_NOT_PRESENT,
				Flags: &map[string]*string{
					"v":                                jsii.String("2"),
					"kv-cache-usage-percentage-metric": jsii.String("vllm:gpu_cache_usage_perc"),
				},
				Env: &[]*cdk8sinferencemigration.EnvVar{
					{Name: jsii.String("GOMEMLIMIT"), Value: jsii.String("7GiB")},
					{Name: jsii.String("HF_TOKEN"), ValueFrom: &cdk8sinferencemigration.EnvVarSource{
						SecretKeyRef: &cdk8sinferencemigration.SecretKeySelector{Name: jsii.String("hf-token"), Key: jsii.String("token")},
					}},
				},
				Resources: &cdk8sinferencemigration.ResourceRequirements{
					Requests: &map[string]*string{"cpu": jsii.String("2"), "memory": jsii.String("8Gi")},
					Limits:   &map[string]*string{"memory": jsii.String("8Gi")},
				},
			},
		},
		Gateway:     &cdk8sinferencemigration.GatewayParentRef{Name: jsii.String("inference-gateway")},
		RouteName:   jsii.String("llm-route"),
		Steps:       steps,
		ActiveStage: jsii.String("02-shift-10"),
	})
	app.Synth()
	return migration
}

// propError builds the app with a wrong prop and returns what it panics with.
func propError() (caught interface{}) {
	defer func() { caught = recover() }()
	composition(jsii.Numbers(50, 10))
	return nil
}

func main() {
	defer jsii.Close()
	if len(os.Args) > 1 && os.Args[1] == "error" {
		caught := propError()
		if caught == nil {
			os.Exit(1)
		}
		fmt.Printf("%T: %v\n", caught, caught)
		return
	}
	quickStart()
	migration := composition(jsii.Numbers(10, 50))
	var folders []string
	for _, stage := range *migration.Stages() {
		folders = append(folders, *stage.FolderName())
	}
	fmt.Printf("stages: %s\n", strings.Join(folders, " "))
	fmt.Printf("active: %s\n", *migration.ActiveStage())
}
