package replay

import (
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

// beforePhase replays every case through the alpha EPP alone, unsaturated and then saturated.
func (r *run) beforePhase(res *EPPResult, alpha *epp.Process, cases []Case) {
	cl, err := r.client(alpha)
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
		return
	}
	defer cl.Close()
	targets := []Target{{Client: cl, Pool: r.pool}}
	for _, c := range cases {
		b := r.sender.Send(r.ctx, targets, []float64{1}, c.Model, nil, r.requestsFor(c))
		mr := ModelResult{Model: c.Model, Phase: "before", Requests: b.Requests, EndpointsInPool: b.InPool, Rejected: b.Rejected + b.Shed,
			Rewrites: b.Served, Expected: c.AlphaServed}
		if c.AlphaRejected {
			mr.ExpectedRejected = b.Requests
		}
		res.Models = append(res.Models, mr)
		r.check(res, &mr, b, Expectation{Served: c.AlphaServed, Shed: c.AlphaShed, Rejected: c.AlphaRejected})
		checkRowClaim(res, c, b)
	}
	r.saturatedBatches(res, targets, cases, "before", func(c Case) (map[string]string, Expectation) {
		return nil, Expectation{Shed: c.AlphaShed, Rejected: c.AlphaRejected}
	})
}

// duringPhase sends each case to both EPPs in the proportion of the stage's route (or its preview rule), with the
// headers the README's model table says to send.
func (r *run) duringPhase(alphaRes, gaRes *EPPResult, alpha, ga *epp.Process, s *stages, cases []Case) {
	ca, err := r.client(alpha)
	if err != nil {
		gaRes.Failures = append(gaRes.Failures, err.Error())
		return
	}
	defer ca.Close()
	cg, err := r.client(ga)
	if err != nil {
		gaRes.Failures = append(gaRes.Failures, err.Error())
		return
	}
	defer cg.Close()
	gaShare := s.duringSplit.Share[s.ga.Name]
	if s.duringSplit.PreviewPool == s.ga.Name {
		gaShare = 0.5 // half of the clients send the preview header
	}
	for _, c := range cases {
		n := r.requestsFor(c)
		headers := ReadmeHeaders(c.Row)
		toGA := int(float64(n)*gaShare + 0.5)
		header := strings.Join(sortedKeys(headers), "; ")
		if n-toGA > 0 { // a cutover sends the alpha EPP nothing
			ba := r.sender.Send(r.ctx, []Target{{Client: ca, Pool: r.pool}}, []float64{1}, c.Model, headers, n-toGA)
			am := ModelResult{Model: c.Model, Phase: "during", Header: header, Requests: ba.Requests, EndpointsInPool: ba.InPool, Rejected: ba.Rejected + ba.Shed, Rewrites: ba.Served, Expected: c.AlphaServed}
			if c.AlphaRejected {
				am.ExpectedRejected = ba.Requests
			}
			alphaRes.Models = append(alphaRes.Models, am)
			r.check(alphaRes, &am, ba, Expectation{Served: c.AlphaServed, Rejected: c.AlphaRejected})
		}
		bg := r.sender.Send(r.ctx, []Target{{Client: cg, Pool: r.pool}}, []float64{1}, c.Model, headers, toGA)
		e := GAExpectation(c, true)
		gm := ModelResult{Model: c.Model, Phase: "during", Header: header, Requests: bg.Requests, EndpointsInPool: bg.InPool, Rejected: bg.Rejected + bg.Shed, Rewrites: bg.Served, Expected: e.Served, Loss: e.Loss, Change: e.Change}
		gaRes.Models = append(gaRes.Models, gm)
		r.check(gaRes, &gm, bg, e)
	}
}

// afterPhase replays every case through the GA EPP alone: with the README's headers and, where the README asks for
// headers, without them (to show what happens when clients do not send them).
func (r *run) afterPhase(res *EPPResult, ga *epp.Process, cases []Case) {
	cl, err := r.client(ga)
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
		return
	}
	defer cl.Close()
	targets := []Target{{Client: cl, Pool: r.pool}}
	for _, withHeaders := range []bool{true, false} {
		for _, c := range cases {
			headers := ReadmeHeaders(c.Row)
			if !withHeaders {
				if len(headers) == 0 {
					continue
				}
				headers = map[string]string{}
			}
			e := GAExpectation(c, withHeaders)
			b := r.sender.Send(r.ctx, targets, []float64{1}, c.Model, headers, r.requestsFor(c))
			mr := ModelResult{Model: c.Model, Phase: "after", Header: strings.Join(sortedKeys(headers), "; "), Requests: b.Requests, EndpointsInPool: b.InPool, Rejected: b.Rejected + b.Shed, Rewrites: b.Served, Expected: e.Served, Loss: e.Loss, Change: e.Change}
			res.Models = append(res.Models, mr)
			r.check(res, &mr, b, e)
		}
	}
	r.saturatedBatches(res, targets, cases, "after", func(c Case) (map[string]string, Expectation) {
		return ReadmeHeaders(c.Row), GAExpectation(c, true)
	})
	r.saturatedBatches(res, targets, cases, "after", func(c Case) (map[string]string, Expectation) {
		return map[string]string{}, GAExpectation(c, false)
	})
}

// saturatedBatches puts every model server above the thresholds (queue 100 > 5, KV cache 0.99 > 0.8), replays a
// batch of each case and records how many were shed, on the result of the same model, phase and header.
func (r *run) saturatedBatches(res *EPPResult, targets []Target, cases []Case, phase string, how func(Case) (map[string]string, Expectation)) {
	r.setLoad(saturated)
	defer r.setLoad(idle)
	for _, c := range cases {
		headers, e := how(c)
		header := strings.Join(sortedKeys(headers), "; ")
		mr := findModel(res, c.Model, phase, header)
		if mr == nil {
			continue
		}
		if e.Rejected {
			continue // refused whether saturated or not
		}
		b := r.sender.Send(r.ctx, targets, []float64{1}, c.Model, headers, r.env.Saturated)
		mr.SaturatedRequests, mr.ShedUnderSaturation = b.Requests, b.Shed
		if e.Shed {
			mr.ExpectedShed = b.Requests
		}
		if mr.ShedUnderSaturation != mr.ExpectedShed {
			res.Failures = append(res.Failures, fmt.Sprintf("%s %s (header %q): %d of %d shed under saturation, expected %d%s", phase, c.Model, header, b.Shed, b.Requests, mr.ExpectedShed, problems(b)))
		}
	}
}

func findModel(res *EPPResult, model, phase, header string) *ModelResult {
	for i := range res.Models {
		m := &res.Models[i]
		if m.Model == model && m.Phase == phase && m.Header == header {
			return m
		}
	}
	return nil
}

func problems(b Batch) string {
	if len(b.Problems) == 0 {
		return ""
	}
	return " (" + strings.Join(b.Problems, "; ") + ")"
}

// check compares an unsaturated batch with its expectation.
func (r *run) check(res *EPPResult, mr *ModelResult, b Batch, e Expectation) {
	where := fmt.Sprintf("%s %s (header %q)", mr.Phase, mr.Model, mr.Header)
	if e.Rejected {
		if b.Rejected != b.Requests {
			res.Failures = append(res.Failures, fmt.Sprintf("%s: %d of %d refused, expected all%s", where, b.Rejected, b.Requests, problems(b)))
		}
		return
	}
	if b.Rejected+b.Shed > 0 {
		res.Failures = append(res.Failures, fmt.Sprintf("%s: %d of %d refused or shed without saturation%s", where, b.Rejected+b.Shed, b.Requests, problems(b)))
	}
	if b.InPool != b.Requests-b.Rejected-b.Shed {
		res.Failures = append(res.Failures, fmt.Sprintf("%s: %d of %d endpoints in the pool%s", where, b.InPool, b.Requests-b.Rejected-b.Shed, problems(b)))
	}
	if ok, why := WithinTolerance(b.Served, e.Served); !ok {
		res.Failures = append(res.Failures, fmt.Sprintf("%s: %s (served %v)", where, why, b.Served))
	}
}

// checkMetrics scrapes the GA EPP as the README's command does (a ServiceAccount token allowed to get /metrics) and
// checks every metric name and label the stage READMEs name; an unauthenticated scrape must be refused.
func (r *run) checkMetrics(res *EPPResult, ga *epp.Process) {
	want := ReadmeMetrics(r.p.Dir, r.p.Plan.Stages)
	ns := "replay-monitoring"
	token, err := r.metricsReader(ns)
	if err != nil {
		res.Failures = append(res.Failures, "metrics reader: "+err.Error())
		return
	}
	// The EPP flushes pool gauges every 5 s (DefaultRefreshPrometheusMetricsInterval, pkg/epp/server/runserver.go
	// @v1.0.2): scrape until every name is there or 12 s passed.
	deadline := time.Now().Add(12 * time.Second)
	for {
		status, text, err := ScrapeEPP(r.ctx, ga.Launch.Addr(ga.Launch.Metrics), token)
		if err != nil || status != 200 {
			res.Failures = append(res.Failures, fmt.Sprintf("/metrics with a reader's token: %d %v %s", status, err, truncate(text, 200)))
			return
		}
		res.MetricsChecked, res.MetricsMissing = MissingMetrics(text, want)
		if len(res.MetricsMissing) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if res.MetricsMissing == nil {
		res.MetricsMissing = []string{}
	}
	if len(res.MetricsMissing) > 0 {
		res.Failures = append(res.Failures, "README metrics missing on /metrics: "+strings.Join(res.MetricsMissing, ", "))
	}
	status, _, _ := ScrapeEPP(r.ctx, ga.Launch.Addr(ga.Launch.Metrics), "")
	res.MetricsUnauthenticated = status
	if status != 401 && status != 403 {
		res.Failures = append(res.Failures, fmt.Sprintf("/metrics without a token answered %d: authentication is off", status))
	}
}

// metricsReader makes a ServiceAccount allowed to get /metrics (the README's <metrics-reader-service-account>, e.g.
// Prometheus') and returns a token of it, as `kubectl create token` does.
func (r *run) metricsReader(ns string) (string, error) {
	if err := r.c.EnsureNamespace(r.ctx, ns); err != nil {
		return "", err
	}
	core, rbac := r.c.Core.CoreV1(), r.c.Core.RbacV1()
	name := "metrics-reader"
	_, _ = core.ServiceAccounts(ns).Create(r.ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}}, metav1.CreateOptions{})
	_, _ = rbac.ClusterRoles().Create(r.ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "replay-metrics-reader"},
		Rules: []rbacv1.PolicyRule{{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}}}, metav1.CreateOptions{})
	_, _ = rbac.ClusterRoleBindings().Create(r.ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "replay-metrics-reader"},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "replay-metrics-reader"},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: ns}}}, metav1.CreateOptions{})
	return r.c.Token(r.ctx, ns, name)
}

// rewriteCRDMissing shows a v1.3+ EPP started before the InferenceModelRewrite CRD exists: it checks at start-up
// which of the objective and rewrite CRDs exist (pkg/epp/server/controller_config.go@v1.3.1) and ignores the kind
// until it restarts. The README says to install the CRDs before the stage syncs for that reason.
func (r *run) rewriteCRDMissing(res *EPPResult, rel epp.Release, _ any, s *stages) *StartupResult {
	out := &StartupResult{Scenario: "InferenceModelRewrite CRD deleted, EPP started, CRD and rewrites applied, then the EPP restarted"}
	out.ReadmeSays = readmeSentence(r.p.Dir, r.p.Plan.Stages, "checks at start-up")
	rewrites := s.after.Of(stage.AlphaGroup, "InferenceModelRewrite")
	crd := r.crds(r.p.Target, "inference.networking.x-k8s.io_inferencemodelrewrites.yaml")
	if err := r.c.Delete(r.ctx, crd); err != nil {
		res.Failures = append(res.Failures, "startup scenario: "+err.Error())
		return out
	}
	gaDeploy, _, _ := r.eppOf(s.all[s.gaStage], s.ga)
	var scratch EPPResult
	p := r.startEPP(&scratch, rel, gaDeploy, s.all[s.gaStage], "ga-no-rewrite-crd")
	if p == nil {
		res.Failures = append(res.Failures, "startup scenario: the EPP did not start without the InferenceModelRewrite CRD: "+strings.Join(scratch.Failures, "; "))
		return out
	}
	if err := r.c.Apply(r.ctx, append(crd, rewrites...)); err != nil {
		p.Stop()
		res.Failures = append(res.Failures, "startup scenario: "+err.Error())
		return out
	}
	model := rewriteModel(rewrites[0])
	time.Sleep(2 * time.Second) // time enough for a watch, had the EPP started one
	out.BeforeRestart = r.servedBy(p, model)
	p.Stop()
	if p = r.startEPP(&scratch, rel, gaDeploy, s.all[s.gaStage], "ga-restarted"); p == nil {
		res.Failures = append(res.Failures, "startup scenario: the EPP did not restart")
		return out
	}
	out.AfterRestart = r.servedBy(p, model)
	p.Stop()
	_, ignored := out.BeforeRestart[model]
	_, applied := out.AfterRestart[model]
	out.Matches = ignored && len(out.BeforeRestart) == 1 && !applied && strings.Contains(out.ReadmeSays, "until it restarts")
	if !out.Matches {
		res.Failures = append(res.Failures, fmt.Sprintf("startup scenario: before restart %v, after restart %v; the README says: %s", out.BeforeRestart, out.AfterRestart, out.ReadmeSays))
	}
	return out
}

func (r *run) servedBy(p *epp.Process, model string) map[string]int {
	cl, err := r.client(p)
	if err != nil {
		return map[string]int{"error: " + err.Error(): 1}
	}
	defer cl.Close()
	b := r.sender.Send(r.ctx, []Target{{Client: cl, Pool: r.pool}}, []float64{1}, model, nil, 20)
	return b.Served
}

func rewriteModel(u *unstructured.Unstructured) string {
	rules, _, _ := unstructured.NestedSlice(u.Object, "spec", "rules")
	for _, rule := range rules {
		rm, _ := rule.(map[string]any)
		matches, _ := rm["matches"].([]any)
		for _, m := range matches {
			mm, _ := m.(map[string]any)
			model, _ := mm["model"].(map[string]any)
			if v, ok := model["value"].(string); ok {
				return v
			}
		}
	}
	return ""
}

// checkRowClaim compares what the plan's model table says the alpha EPP did with the models no InferenceModel names
// (refused, or served as Sheddable) with what the real alpha EPP did.
func checkRowClaim(res *EPPResult, c Case, b Batch) {
	if c.Row == nil || c.Model != UnknownModel {
		return
	}
	saysRefused := strings.HasPrefix(c.Row.AlphaCriticality, "refused")
	refused := b.Requests > 0 && b.Rejected == b.Requests
	if saysRefused != refused {
		res.Failures = append(res.Failures, fmt.Sprintf("the plan's model table says the alpha EPP treated other models as %q, but it %s %d of %d", c.Row.AlphaCriticality, map[bool]string{true: "refused", false: "served"}[refused], map[bool]int{true: b.Rejected, false: b.Requests - b.Rejected}[refused], b.Requests))
	}
}
