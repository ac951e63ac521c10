package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// PlanFile is the part of a migration's plan.json the replay reads.
type PlanFile struct {
	Migration string      `json:"migration"`
	Kind      string      `json:"kind"`
	Namespace string      `json:"namespace"`
	Warnings  []string    `json:"warnings"`
	Models    []ModelRow  `json:"models"`
	Stages    []PlanStage `json:"stages"`
}

// ModelRow is a row of the plan's per-model table (src/migration/model-mapping.ts).
type ModelRow struct {
	ModelName        string `json:"modelName"`
	InferenceModel   string `json:"inferenceModel"`
	AlphaCriticality string `json:"alphaCriticality"`
	AlphaTargets     string `json:"alphaTargets"`
	Objective        string `json:"objective"`
	Priority         int    `json:"priority"`
	Rewrite          string `json:"rewrite"`
	ClientSends      string `json:"clientSends"`
	Kept             string `json:"kept"`
	NotKept          string `json:"notKept"`
}

// PlanStage is one stage of plan.json.
type PlanStage struct {
	Name   string `json:"name"`
	Folder string `json:"folder"`
}

// Planned is one migration the CLI wrote.
type Planned struct {
	// Name is "<input name>@<target>" (or the example's name).
	Name, Input, Target string
	Dir                 string
	Plan                PlanFile
	// AcceptedLoss is the loss the plan needed accepted (model-rewrite before v1.3), with the warning it printed.
	AcceptedLoss, LossWarning string
	// Refused is the plan's reason when it wrote nothing.
	Refused string
}

var (
	acceptLoss    = regexp.MustCompile(`--accept-loss (\S+)`)
	giveNamespace = regexp.MustCompile(`give --namespace (\S+)`)
)

// optionsAskedFor reads a refusal for the options it asks for; nil when it asks for none the replay can give.
func optionsAskedFor(stderr string) (extra []string, loss string) {
	if m := acceptLoss.FindStringSubmatch(stderr); m != nil {
		loss = strings.Trim(m[1], "`'\".,;:)")
		return []string{"--accept-loss", loss}, loss
	}
	if m := giveNamespace.FindStringSubmatch(stderr); m != nil {
		return []string{"--namespace", strings.Trim(m[1], "`'\".,;:)")}, ""
	}
	if strings.Contains(stderr, "--new-gateway-label") && strings.Contains(stderr, "istio.io/rev") {
		return []string{"--new-gateway-label", "istio.io/rev=1-28"}, "" // a revision of Istio 1.28, as the refusal says
	}
	return nil, ""
}

// PlanInput runs `inference-migrate plan` on an input at a target with default options; when the plan refuses for a
// loss it names (`--accept-loss <loss>`), it plans again accepting it, so that the replay can show that loss.
func PlanInput(repo, input, target, out string) ([]Planned, error) {
	name := filepath.Base(input) + "@" + target
	args := []string{filepath.Join(repo, "bin", "inference-migrate"), "plan", "--from", input, "--out", out, "--target-gie", target, "--quiet"}
	loss := ""
	// Plan as a user would: with default options, then with each option the refusal itself asks for (a loss to
	// accept, the namespace of objects that have none, the revision label of a second Istio gateway), at most 4 times.
	for try := 0; ; try++ {
		stderr, err := runCLI(repo, args)
		if err == nil {
			break
		}
		extra, accepted := optionsAskedFor(stderr)
		if extra == nil || try == 3 {
			return []Planned{{Name: name, Input: input, Target: target, Refused: firstLine(stderr, err)}}, nil
		}
		if accepted != "" {
			loss = accepted
		}
		args = append(args, extra...)
		_ = os.RemoveAll(out)
	}
	return readPlanned(out, name, input, target, loss)
}

// PlanExamples runs `inference-migrate example`.
func PlanExamples(repo, out string) ([]Planned, error) {
	if stderr, err := runCLI(repo, []string{filepath.Join(repo, "bin", "inference-migrate"), "example", "--out", out, "--quiet"}); err != nil {
		return nil, fmt.Errorf("inference-migrate example: %s", firstLine(stderr, err))
	}
	return readPlanned(out, "example", "(built-in example)", "", "")
}

func readPlanned(out, name, input, target, loss string) ([]Planned, error) {
	entries, err := os.ReadDir(out)
	if err != nil {
		return nil, err
	}
	planned := []Planned{}
	for _, e := range entries {
		file := filepath.Join(out, e.Name(), "plan.json")
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		p := Planned{Name: name + "/" + e.Name(), Input: input, Target: target, Dir: filepath.Join(out, e.Name()), AcceptedLoss: loss}
		if err := json.Unmarshal(data, &p.Plan); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if p.Target == "" {
			p.Target = targetOf(p.Dir)
		}
		for _, w := range p.Plan.Warnings {
			if loss != "" && strings.Contains(strings.ToLower(w), "rewrite") {
				p.LossWarning = w
			}
		}
		planned = append(planned, p)
	}
	return planned, nil
}

var eppImage = regexp.MustCompile(`gateway-api-inference-extension/epp:(v[0-9.]+)`)

// targetOf reads the GA EPP's release from the first stage that has one.
func targetOf(dir string) string {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "deployment-*.yaml"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if m := eppImage.FindSubmatch(data); m != nil && strings.HasPrefix(string(m[1]), "v1.") {
			return string(m[1])
		}
	}
	return ""
}

func runCLI(repo string, args []string) (string, error) {
	cmd := exec.Command("node", args...)
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	err := cmd.Run()
	return stderr.String(), err
}

func firstLine(text string, err error) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "error") || strings.Contains(l, "refus") {
			return strings.TrimSpace(l)
		}
	}
	t := strings.TrimSpace(text)
	if t == "" {
		return err.Error()
	}
	return strings.SplitN(t, "\n", 2)[0]
}
