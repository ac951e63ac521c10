package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// verification is one check of a stage README (plan.json stages[].verifications).
type verification struct {
	Description string      `json:"description"`
	Command     string      `json:"command"`
	Expected    string      `json:"expected"`
	Check       *stageCheck `json:"check,omitempty"`
}

// stageCheck is the check as data (plan.json stages[].verifications[].check; docs/gitops.md): what it needs
// in the cluster, kubectl's arguments and what kubectl must print. Plans written before it lack it.
type stageCheck struct {
	Kind    string   `json:"kind"`
	Kubectl []string `json:"kubectl,omitempty"`
	Expect  *struct {
		Lines    []string `json:"lines,omitempty"`
		Empty    bool     `json:"empty,omitempty"`
		NotFound bool     `json:"notFound,omitempty"`
	} `json:"expect,omitempty"`
}

// Why a check is not run here, by kind: each needs a component this harness does not run.
const (
	notRunDataPlane  = "needs-data-plane"         // curl through the gateway, metrics, port-forward
	notRunGateway    = "needs-gateway-controller" // Gateway PROGRAMMED, route conditions a gateway writes
	notRunPods       = "needs-running-pods"       // rollout status: no scheduler or kubelet runs
	notRunExpression = "expectation-not-machine-readable"
)

var listedExpectation = regexp.MustCompile(`^(\S+) is listed\.?$`)

// runChecks runs the stage README's read-only checks with the real kubectl and compares what it
// prints with what the README says; checks that need a data plane or a gateway controller are
// counted as not run, by kind, never faked.
func (m *migrationRun) runChecks(ctx context.Context, stage planStage, res *StageResult) {
	for _, v := range stage.Verifications {
		kind, run := classifyCheck(v)
		if !run {
			res.ChecksNotRun[kind]++
			continue
		}
		res.ChecksRun++
		if err := m.runCheck(ctx, v); err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("README check %q: %v", v.Description, err))
			m.t.Errorf("%s: README check %q: %v", stage.Folder, v.Description, err)
			continue
		}
		res.ChecksPassed++
	}
}

func classifyCheck(v verification) (string, bool) {
	if v.Check != nil {
		return classifyByKind(*v.Check)
	}
	c := v.Command
	switch {
	case strings.Contains(c, "curl") || strings.Contains(c, "port-forward"):
		return notRunDataPlane, false
	case strings.Contains(c, "rollout status"):
		return notRunPods, false
	case strings.Contains(c, "get gateway ") || strings.Contains(c, ".status.parents"):
		return notRunGateway, false
	case strings.Contains(c, "\n") || !strings.HasPrefix(c, "kubectl get "):
		return notRunExpression, false
	case listedExpectation.MatchString(strings.TrimSpace(v.Expected)):
		return "", true
	}
	return notRunExpression, false
}

// classifyByKind: read-only API checks with an expectation run here; the other kinds need a component this
// harness does not run.
func classifyByKind(c stageCheck) (string, bool) {
	switch c.Kind {
	case "data-plane":
		return notRunDataPlane, false
	case "rollout":
		return notRunPods, false
	case "gateway-status":
		return notRunGateway, false
	case "api-read":
		if len(c.Kubectl) > 0 && c.Expect != nil {
			return "", true
		}
	}
	return notRunExpression, false
}

// runDataCheck runs kubectl with the check's own arguments (no shell) and compares what it prints with the
// expectation: each expected line the start of an output line, field by field; no output; or NotFound.
func (m *migrationRun) runDataCheck(ctx context.Context, c stageCheck) error {
	printed, err := m.cp.Kubectl(ctx, c.Kubectl...)
	switch {
	case c.Expect.NotFound:
		if err != nil && strings.Contains(err.Error(), "NotFound") {
			return nil
		}
		return fmt.Errorf("expected NotFound; kubectl printed %q (error %v)", printed, err)
	case err != nil:
		return err
	case c.Expect.Empty:
		if strings.TrimSpace(printed) == "" {
			return nil
		}
		return fmt.Errorf("expected no output; kubectl printed:\n%s", printed)
	}
	for _, want := range c.Expect.Lines {
		if !anyLineStartsWith(printed, strings.Fields(want)) {
			return fmt.Errorf("expected a line starting with %q; kubectl printed:\n%s", want, printed)
		}
	}
	return nil
}

func anyLineStartsWith(printed string, want []string) bool {
	for _, line := range strings.Split(printed, "\n") {
		fields := strings.Fields(line)
		if len(fields) < len(want) {
			continue
		}
		match := true
		for i := range want {
			match = match && fields[i] == want[i]
		}
		if match {
			return true
		}
	}
	return false
}

func (m *migrationRun) runCheck(ctx context.Context, v verification) error {
	if v.Check != nil {
		return m.runDataCheck(ctx, *v.Check)
	}
	args, err := shellWords(v.Command)
	if err != nil {
		return err
	}
	printed, err := m.cp.Kubectl(ctx, args[1:]...)
	if err != nil {
		return err
	}
	name := listedExpectation.FindStringSubmatch(strings.TrimSpace(v.Expected))[1]
	for _, line := range strings.Split(printed, "\n") {
		if fields := strings.Fields(line); len(fields) > 0 && (fields[0] == name || (len(fields) > 1 && fields[1] == name)) {
			return nil
		}
	}
	return fmt.Errorf("expected %s to be listed; kubectl printed:\n%s", name, printed)
}
