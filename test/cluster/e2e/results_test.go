package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// The shapes of e2e-results.json (issue 20, item 7). scripts/e2e.js merges the files written here.

// StageResult is one stage folder applied.
type StageResult struct {
	Folder        string         `json:"folder"`
	Applied       int            `json:"applied"`
	Pruned        int            `json:"pruned"`
	Errors        []string       `json:"errors"`
	ChecksRun     int            `json:"checksRun"`
	ChecksPassed  int            `json:"checksPassed"`
	ChecksNotRun  map[string]int `json:"checksNotRun"`
	ManualSteps   []string       `json:"manualSteps,omitempty"`
	RollbackError string         `json:"rollbackError,omitempty"`
}

// MigrationResult is one migration planned and applied stage by stage.
type MigrationResult struct {
	Name         string `json:"name"`
	Input        string `json:"input"`
	Refused      string `json:"refused,omitempty"`
	KnownProblem string `json:"knownProblem,omitempty"`
	// NotRun says why the migration could not run here and what makes it run.
	NotRun          string        `json:"notRun,omitempty"`
	Stages          []StageResult `json:"stages"`
	RollbackChecked bool          `json:"rollbackChecked"`
	AlphaLeft       int           `json:"alphaLeft"`
	// AlphaCRDs names where the alpha CRDs came from when the lock does not pin the input's release.
	AlphaCRDs string `json:"alphaCRDs,omitempty"`
	// OtherNamespacesKept are alpha objects not this migration's that the cleanup kept (and so the alpha
	// CRDs): other namespaces' (the two-namespace case), and the pools and models of the input's other
	// migrations in the same namespace (two pools in one namespace, each applied alone).
	OtherNamespacesKept []string `json:"otherNamespacesKept,omitempty"`
	InputSkipped        []string `json:"inputSkipped,omitempty"`
	// Seconds are the wall-clock seconds of each part of the run (plan, cluster, before, <stage folder>).
	Seconds map[string]float64 `json:"seconds,omitempty"`
}

var resultsMu sync.Mutex

// writeResult writes one part of the results as <E2E_RESULTS_DIR>/<name>.json.
func writeResult(name string, value any) error {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	path := filepath.Join(suite.resultsDir, name+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileName turns a test or migration name into a file name.
func fileName(name string) string { return unsafeName.ReplaceAllString(name, "_") }
