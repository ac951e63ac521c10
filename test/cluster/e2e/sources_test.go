package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
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
		dir := filepath.Join(repos, name)
		if providers := providerVariants[name]; providers != nil {
			for _, provider := range providers {
				variant, err := providerVariant(dir, provider)
				if err != nil {
					t.Fatal(err)
				}
				in := fixtureInput(name+"+"+provider, variant)
				in.Source = rel(dir) + " (app/ and " + provider + "/)"
				inputs = append(inputs, in)
			}
			continue
		}
		inputs = append(inputs, fixtureInput(name, dir))
	}
	return inputs
}

// providerVariants are fixtures laid out as upstream's quickstart is: app/ with what every gateway
// shares, and one folder per gateway provider, of which a user deploys one. Planned whole, the plan
// rightly refuses them (the route is defined in each provider folder); each variant is app/ with one
// provider folder, as a user's repository holds it.
//
// quickstart-v0.3.0's GKE variant is the one issue 20 requires to plan and apply (GKE serves both groups);
// upstream's own config/manifests at v0.3.0, run with E2E_INPUT, did (docs/development.md, outside inputs).
// Its kgateway variant is a cutover; Istio, like v0.5.1's, is refused without --new-gateway-label.
var providerVariants = map[string][]string{
	"quickstart-v0.3.0": {"gke", "kgateway"},
	"quickstart-v0.5.1": {"gke", "istio"},
}

// providerVariant copies app/ and <provider>/ of a fixture into a folder of the run's work folder.
func providerVariant(dir, provider string) (string, error) {
	out, err := os.MkdirTemp(suite.work, filepath.Base(dir)+"-"+provider+"-")
	if err != nil {
		return "", err
	}
	for _, sub := range []string{"app", provider} {
		if err := os.CopyFS(filepath.Join(out, sub), os.DirFS(filepath.Join(dir, sub))); err != nil {
			return "", err
		}
	}
	return out, nil
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
			// The converted objects replace the v1alpha1 ones in place, at v1alpha2: Flux applies them only
			// with its MigrateAPIVersion gate, as the conversion README tells Flux users.
			MigrateAPIVersion: true,
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

// planEntry is one input planned once for all the tests that read its migrations.
type planEntry struct {
	once    sync.Once
	out     string
	refused string
	err     error
}

var (
	plansMu sync.Mutex
	plans   = map[string]*planEntry{}
)

// planned plans an input once per run (TestMigrations and TestDifferential read the same plans) into
// a folder under suite.work, and returns it with the CLI's refusal, if any. The folder is only read
// afterwards.
func planned(ctx context.Context, in input) (string, string, error) {
	plansMu.Lock()
	e, ok := plans[in.Name]
	if !ok {
		e = &planEntry{}
		plans[in.Name] = e
	}
	plansMu.Unlock()
	e.once.Do(func() {
		e.out, e.err = os.MkdirTemp(suite.work, fileName(in.Name)+"-")
		if e.err == nil {
			e.refused, e.err = in.Plan(ctx, e.out)
		}
	})
	return e.out, e.refused, e.err
}
