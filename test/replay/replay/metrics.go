package replay

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var (
	readmeGrep   = regexp.MustCompile(`grep -E '\^inference_\(([a-z_|]+)\)'`)
	readmeAbsent = regexp.MustCompile(`(inference_[a-z_]+) stays flat \(it has no series at all until`)
	readmeLabel  = regexp.MustCompile(`(inference_[a-z_]+) grows for ((?:[a-z_]+="[^"]+"(?:, )?)+)`)
	labelPair    = regexp.MustCompile(`([a-z_]+)="([^"]+)"`)
)

// ReadmeMetric is a metric a stage README tells the user to watch, with the labels it names.
type ReadmeMetric struct {
	Name   string
	Labels []string // `name="value"`, each expected on some sample of the metric
	// MayBeAbsent is set when the README says the metric has no series until something happens (a failed request).
	MayBeAbsent bool
}

// ReadmeMetrics reads the metric names the stage READMEs of a migration grep for on the GA EPP's /metrics.
func ReadmeMetrics(dir string, stages []PlanStage) []ReadmeMetric {
	byName := map[string]*ReadmeMetric{}
	for _, s := range stages {
		data, err := os.ReadFile(filepath.Join(dir, s.Folder, "README.md"))
		if err != nil {
			continue
		}
		text := string(data)
		for _, m := range readmeGrep.FindAllStringSubmatch(text, -1) {
			for _, n := range strings.Split(m[1], "|") {
				if byName["inference_"+n] == nil {
					byName["inference_"+n] = &ReadmeMetric{Name: "inference_" + n}
				}
			}
		}
		for _, m := range readmeAbsent.FindAllStringSubmatch(text, -1) {
			if rm := byName[m[1]]; rm != nil {
				rm.MayBeAbsent = true
			}
		}
		for _, m := range readmeLabel.FindAllStringSubmatch(text, -1) {
			rm := byName[m[1]]
			if rm == nil {
				rm = &ReadmeMetric{Name: m[1]}
				byName[m[1]] = rm
			}
			for _, l := range labelPair.FindAllString(m[2], -1) {
				rm.Labels = appendOnce(rm.Labels, l)
			}
		}
	}
	out := []ReadmeMetric{}
	for _, rm := range byName {
		out = append(out, *rm)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ScrapeEPP reads an EPP's /metrics with a bearer token (the EPP checks it with a TokenReview and a
// SubjectAccessReview against the API server: cmd/epp/main.go@v0.3.0 filters.WithAuthenticationAndAuthorization,
// pkg/epp/server/options.go@v1.3.1 --metrics-endpoint-auth). An empty token shows what an unauthenticated scrape gets.
func ScrapeEPP(ctx context.Context, addr string, token string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return 0, "", err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, string(body), err
}

// MissingMetrics returns the README metrics (and labels) no sample of the exposition carries. A histogram counts by
// its _bucket/_sum/_count samples, as the README's `grep -E '^inference_(...)'` matches them.
func MissingMetrics(exposition string, want []ReadmeMetric) (checked int, missing []string) {
	lines := strings.Split(exposition, "\n")
	for _, w := range want {
		checked++
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, w.Name) && (len(l) == len(w.Name) || strings.ContainsAny(l[len(w.Name):len(w.Name)+1], "{ _")) {
				found = true
				break
			}
		}
		if !found {
			if !w.MayBeAbsent {
				missing = append(missing, w.Name)
			}
			continue
		}
		for _, label := range w.Labels {
			ok := false
			for _, l := range lines {
				if strings.HasPrefix(l, w.Name) && strings.Contains(l, label) {
					ok = true
					break
				}
			}
			if !ok {
				missing = append(missing, w.Name+"{"+label+"}")
			}
		}
	}
	return checked, missing
}
