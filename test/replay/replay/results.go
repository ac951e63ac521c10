// Package replay replays requests through the real Endpoint Pickers of a migration, before, during and after it,
// and records what each one decided in the "epp" section of e2e-results.json.
package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
)

// EPPResult is one EPP started for one migration (the shape of issue 21, plus where it ran).
type EPPResult struct {
	GIE       string `json:"gie"`
	Role      string `json:"role"` // alpha | ga
	Migration string `json:"migration"`
	Target    string `json:"target,omitempty"`
	Started   bool   `json:"started"`
	// NotRun says why an EPP was not started (a custom image, a Helm-installed alpha stack).
	NotRun string `json:"notRun,omitempty"`
	// Source says how the alpha stack was made when the input installs it with Helm (the helm template command).
	Source string `json:"source,omitempty"`
	// AlphaCRDs names where the alpha CRDs came from when imports/crds.lock.json does not pin the input's release.
	AlphaCRDs     string        `json:"alphaCRDs,omitempty"`
	Changed       []string      `json:"changed"`
	FlagsRejected []string      `json:"flagsRejected"`
	Models        []ModelResult `json:"models"`
	// MetricsChecked counts the metric names of the stage READMEs found on /metrics (TokenReview-authenticated).
	MetricsChecked int      `json:"metricsChecked"`
	MetricsMissing []string `json:"metricsMissing"`
	// MetricsUnauthenticated is the status /metrics answers without a token (401 or 403 shows authentication on).
	MetricsUnauthenticated int `json:"metricsUnauthenticated,omitempty"`
	// During names the stage the during phase replays and the split of its routes (GA results only).
	During string `json:"during,omitempty"`
	// Startup holds the v1.3+ start-up scenario: the InferenceModelRewrite CRD missing when the EPP starts.
	Startup  *StartupResult `json:"startup,omitempty"`
	Failures []string       `json:"failures"`
}

// ModelResult is one model in one phase.
type ModelResult struct {
	Model string `json:"model"`
	Phase string `json:"phase"` // before | during | after
	// Header is the objective header sent ("" when none), as the stage README's model table says or to show what
	// happens without it.
	Header           string             `json:"header"`
	Requests         int                `json:"requests"`
	EndpointsInPool  int                `json:"endpointsInPool"`
	Rejected         int                `json:"rejected"`
	ExpectedRejected int                `json:"expectedRejected"`
	Rewrites         map[string]int     `json:"rewrites"`
	Expected         map[string]float64 `json:"expected"`
	// Loss names the loss the plan warned about when Expected follows it rather than the alpha behaviour.
	Loss string `json:"loss,omitempty"`
	// Change names a difference from the alpha EPP that the migration makes on purpose.
	Change              string `json:"change,omitempty"`
	SaturatedRequests   int    `json:"saturatedRequests"`
	ShedUnderSaturation int    `json:"shedUnderSaturation"`
	ExpectedShed        int    `json:"expectedShed"`
}

// StartupResult shows what a v1.3+ EPP does with InferenceModelRewrites whose CRD appears after it started.
type StartupResult struct {
	Scenario      string         `json:"scenario"`
	BeforeRestart map[string]int `json:"beforeRestart"`
	AfterRestart  map[string]int `json:"afterRestart"`
	ReadmeSays    string         `json:"readmeSays"`
	Matches       bool           `json:"matches"`
}

// Failed reports whether any EPP result has failures.
func Failed(rs []EPPResult) []string {
	out := []string{}
	for _, r := range rs {
		for _, f := range r.Failures {
			out = append(out, fmt.Sprintf("%s %s %s: %s", r.Migration, r.Role, r.GIE, f))
		}
	}
	return out
}

// Build is one EPP binary: built in this run or found in the cache, and how long that took.
type Build struct {
	GIE     string  `json:"gie"`
	Cached  bool    `json:"cached"`
	Seconds float64 `json:"seconds"`
}

// WriteResults sets the "epp" and "eppBuilds" keys of the results file (created when missing), keeping every other key.
func WriteResults(path string, rs []EPPResult, builds []Build) error {
	doc := map[string]json.RawMessage{}
	data, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%s: not a JSON object (%w): remove it or fix it", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Migration < rs[j].Migration })
	raw, err := json.Marshal(rs)
	if err != nil {
		return err
	}
	doc["epp"] = raw
	if doc["eppBuilds"], err = json.Marshal(builds); err != nil {
		return err
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(out, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

var customImage = regexp.MustCompile(`runs (\S+), not upstream's EPP`)

// Refused records a migration the plan refused; an alpha EPP that is not upstream's (llm-d's scheduler) is recorded
// as not run, since custom images are not built here.
func Refused(p Planned) []EPPResult {
	empty := func(role, gie, why string) EPPResult {
		return EPPResult{GIE: gie, Role: role, Migration: p.Name, Target: p.Target, NotRun: why, Changed: []string{}, FlagsRejected: []string{},
			Models: []ModelResult{}, MetricsMissing: []string{}, Failures: []string{}}
	}
	out := []EPPResult{}
	if m := customImage.FindStringSubmatch(p.Refused); m != nil {
		out = append(out, empty("alpha", m[1], fmt.Sprintf("custom image %s (not upstream's EPP): not built here, not run", m[1])))
	}
	return append(out, empty("ga", p.Target, "the plan refused: "+p.Refused))
}
