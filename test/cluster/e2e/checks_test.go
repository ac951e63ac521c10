package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// verification is one check of a stage README (plan.json stages[].verifications).
type verification struct {
	Description string `json:"description"`
	Command     string `json:"command"`
	Expected    string `json:"expected"`
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

func (m *migrationRun) runCheck(ctx context.Context, v verification) error {
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
