package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// migrationInputs are the inputs of TestMigrations: with E2E_INPUT, that folder alone (planned with
// the default options); else the built-in examples, the KServe and LlamaStack migrations, and every
// real-repository fixture under test/fixtures/repos (planned with the default options: a fixture the
// plan refuses is recorded with the reason).
func migrationInputs(t *testing.T) []input {
	if dir := os.Getenv("E2E_INPUT"); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		return []input{{Name: "E2E_INPUT " + filepath.Base(abs), Dir: abs, Plan: planInput(abs)}}
	}
	inputs := []input{{
		Name: "examples",
		Plan: func(ctx context.Context, out string) (string, error) {
			run, err := runCLI(ctx, nil, "example", "--out", out)
			if err != nil || run.Code != 0 {
				return refusal(run), err
			}
			return "", nil
		},
		// The guide's cluster before the migration: the alpha stack (Helm, see installAlphaChart) and the
		// HTTPRoute llm-route sending everything to the alpha pool, which is the route of the
		// zero-downtime path's first stage (unchanged there); the GKE guide has its own.
		Before: func(migrationDir string) []string {
			if strings.HasSuffix(migrationDir, "-gke") {
				return []string{filepath.Join(migrationDir, "01-side-by-side", "httproute-llm-route.yaml")}
			}
			return []string{filepath.Join(filepath.Dir(migrationDir), "vllm-llama3-8b-instruct", "01-side-by-side", "httproute-llm-route.yaml")}
		},
	}}
	repos := filepath.Join(suite.root, "test", "fixtures", "repos")
	entries, err := os.ReadDir(repos)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		inputs = append(inputs, fixtureInput(name, filepath.Join(repos, name)))
	}
	return inputs
}

// fixtureInput plans a fixture with the command meant for its kind of input.
func fixtureInput(name, dir string) input {
	switch name {
	case "kserve", "kserve-ko", "kserve-overlays":
		return input{
			Name: name, Dir: dir, CRDs: []string{"kserve-v0.15.1/serving.kserve.io_inferenceservices.yaml"},
			Plan: func(ctx context.Context, out string) (string, error) {
				run, err := runCLI(ctx, nil, "plan-kserve", "--from", dir, "--out", out)
				if err != nil || run.Code != 0 {
					return refusal(run), err
				}
				return "", nil
			},
		}
	case "llamastack":
		return input{
			Name: name, Dir: dir, CRDs: []string{"llamastack-operator-pr253/llamastack.io_llamastackdistributions.yaml"},
			Plan: func(ctx context.Context, out string) (string, error) {
				folder := filepath.Join(out, "llamastack", "01-converted")
				run, err := runCLI(ctx, nil, "convert", "llamastack", dir, "--out", folder)
				if err != nil || run.Code != 0 {
					return refusal(run), err
				}
				// One stage: the converted objects replace the v1alpha1 ones in place.
				return "", writeSingleStagePlan(filepath.Join(out, "llamastack"), "01-converted")
			},
		}
	}
	return input{Name: name, Dir: dir, Plan: planInput(dir)}
}

// writeSingleStagePlan describes an output without stages (convert llamastack) as one stage.
func writeSingleStagePlan(dir, folder string) error {
	data := []byte(`{"migration": "llamastack", "kind": "convert", "stages": [{"folder": "` + folder + `", "name": "converted", "manualSteps": [], "verifications": []}]}` + "\n")
	return os.WriteFile(filepath.Join(dir, "plan.json"), data, 0o644)
}
