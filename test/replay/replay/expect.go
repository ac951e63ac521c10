package replay

import (
	"regexp"
	"strings"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

// UnknownModel is the model of the requests for "any other model": one no InferenceModel names.
const UnknownModel = "replay-model-no-inferencemodel-names"

// Case is one model to replay, with what the alpha EPP did with it.
type Case struct {
	Model string
	// AlphaServed is the share of each name the model servers saw behind the alpha EPP.
	AlphaServed map[string]float64
	// AlphaShed is true when the alpha EPP sheds the model's requests under saturation (all but Critical:
	// pkg/epp/scheduling/scheduler.go@v0.3.0 sheddableRequestFilter, pkg/epp/requestcontrol/director.go@v0.5.1).
	AlphaShed bool
	// AlphaRejected is true when the alpha EPP refuses the model (a v0.3.0 EPP and a model no InferenceModel names).
	AlphaRejected bool
	// Row is the plan's model-table row (nil for an input without one, e.g. the built-in examples).
	Row *ModelRow
}

// AlphaCases are the models of the alpha pool's InferenceModels and one no InferenceModel names.
func AlphaCases(models []stage.InferenceModel, pool string, alpha epp.Release, rows []ModelRow) []Case {
	out := []Case{}
	for _, m := range models {
		if m.Pool != pool {
			continue
		}
		c := Case{Model: m.ModelName, AlphaShed: m.Criticality != "Critical", AlphaServed: map[string]float64{m.ModelName: 1}}
		if len(m.Targets) > 0 {
			w := map[string]float64{}
			for _, t := range m.Targets {
				w[t.Name] += float64(t.Weight)
			}
			c.AlphaServed = Shares(w)
		}
		c.Row = rowOf(rows, m.ModelName)
		out = append(out, c)
	}
	unknown := Case{Model: UnknownModel, AlphaShed: true, AlphaRejected: alpha.UnknownModelRejected, AlphaServed: map[string]float64{UnknownModel: 1}, Row: rowOf(rows, "*")}
	if unknown.AlphaRejected {
		unknown.AlphaServed = map[string]float64{}
	}
	return append(out, unknown)
}

func rowOf(rows []ModelRow, model string) *ModelRow {
	for i := range rows {
		if rows[i].ModelName == model {
			return &rows[i]
		}
	}
	return nil
}

// ReadmeHeaders are the headers the README's model table says the clients of a model must send.
func ReadmeHeaders(row *ModelRow) map[string]string {
	h := map[string]string{}
	if row == nil || row.ClientSends == "" || row.ClientSends == "nothing" {
		return h
	}
	for _, part := range strings.Split(row.ClientSends, "; ") {
		kv := strings.SplitN(part, ": ", 2)
		if len(kv) == 2 {
			h[strings.TrimSpace(kv[0])] = strings.TrimSpace(kv[1])
		}
	}
	return h
}

var reachesAs = regexp.MustCompile(`reach the model servers as (\S+?)[,;.]? unless`)

// Expectation is what a GA run must show, and the loss it shows when that differs from the alpha behaviour.
type Expectation struct {
	Served   map[string]float64
	Shed     bool
	Rejected bool
	Loss     string
}

// GAExpectation is what the GA EPP must do for a case: what the alpha EPP did, except where the plan declares a
// loss for the way the client sends (the row's "not kept"): without the objective header v1 never sheds; without a
// rewrite (before v1.3, or a model-rewrite header the client does not send) the servers see the name as sent. A
// model the alpha EPP refused is served by the GA EPP as sent: that is no loss.
func GAExpectation(c Case, withHeaders bool) Expectation {
	e := Expectation{Served: c.AlphaServed, Shed: c.AlphaShed}
	if c.AlphaRejected {
		e.Served = map[string]float64{c.Model: 1}
		e.Shed = false
	}
	if c.Row == nil {
		return e
	}
	losses := []string{}
	headerMatters := strings.Contains(c.Row.ClientSends, ObjectiveHeader)
	if e.Shed && (c.Row.ModelName == "*" || (!withHeaders && headerMatters)) && strings.Contains(c.Row.NotKept, "never shed") {
		e.Shed = false
		losses = append(losses, "priority: "+c.Row.NotKept)
	}
	if m := reachesAs.FindStringSubmatch(c.Row.NotKept); m != nil && (!withHeaders || !strings.Contains(c.Row.ClientSends, RewriteHeader)) {
		e.Served = map[string]float64{m[1]: 1}
		losses = append(losses, "model-rewrite: "+c.Row.NotKept)
	}
	e.Loss = strings.Join(losses, "; ")
	return e
}
