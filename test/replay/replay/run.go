package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/controlplane"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/cluster/toolchain"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/cluster"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/epp"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/extproc"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/modelserver"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/podnet"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/stage"
)

// Env is what every replay shares.
type Env struct {
	Repo, CRDs, Work string
	// Kube are the control plane's binaries.
	Kube *controlplane.Binaries
	// Helm is the helm binary of test/cluster's toolchain, and Charts the pinned upstream charts (imports/charts),
	// to render an alpha stack the input installs with Helm.
	Helm, Charts string
	// EPPs are the built binaries by tag.
	EPPs map[string]string
	// Build builds a known release's EPP that EPPs lacks, and returns its path (nil: only EPPs run).
	Build func(ctx context.Context, tag string) (string, error)
	Log   io.Writer
	// Requests per model and phase (unsaturated), requests of a model with a weighted rewrite, and per saturated batch.
	Requests, WeightedRequests, Saturated int
	// Pods is the number of model-server pods per pool.
	Pods int
	// subnet numbers the loopback addresses of each migration's pods (127.77.<subnet>.<n>).
	subnet int
}

// kinds applied to the API server: what the EPPs read and what their identities need (routes and gateways are read
// by the replay itself, as a gateway would, and need no controller here).
var appliedKinds = map[string]bool{"InferencePool": true, "InferenceModel": true, "InferenceObjective": true, "InferenceModelRewrite": true,
	"ServiceAccount": true, "Role": true, "RoleBinding": true, "ClusterRole": true, "ClusterRoleBinding": true, "ConfigMap": true, "Namespace": true}

func (e *Env) logf(format string, args ...any) {
	fmt.Fprintf(e.Log, "epp replay: "+format+"\n", args...)
}

// run is the state of one migration's replay.
type run struct {
	env     *Env
	p       Planned
	c       *cluster.Cluster
	work    string
	servers []*modelserver.Server
	pool    map[string]bool
	sender  *Sender
	ctx     context.Context
	// adapters are the LoRA adapters every model server reports running.
	adapters []string
	// alphaSource is how the alpha stack was made when the input installs it with Helm ("" otherwise).
	alphaSource string
	// alphaCRDs names the source of the alpha CRDs when the lock does not pin the input's release ("" otherwise).
	alphaCRDs string
	// net is the alpha EPP's own network namespace, made when its release binds a port the model servers listen
	// on (a v0.3.0 EPP's ":8080"); netErr says why it could not be made.
	net    *podnet.Network
	netErr error
}

// Run replays one planned migration on a fresh control plane and returns one result per EPP.
func (e *Env) Run(ctx context.Context, p Planned) []EPPResult {
	if e.subnet == 0 {
		e.subnet = os.Getpid() % 125 * 2 // two replays on one machine (a build and E2E_INPUT) rarely meet
	}
	e.subnet++
	r := &run{env: e, p: p, sender: NewSender(), ctx: ctx, pool: map[string]bool{}}
	r.work = filepath.Join(e.Work, strings.NewReplacer("/", "_", "@", "_").Replace(p.Name))
	if err := os.MkdirAll(r.work, 0o755); err != nil {
		return []EPPResult{failed(p, "ga", p.Target, err)}
	}
	results, err := r.replay()
	if err != nil {
		results = append(results, failed(p, "ga", p.Target, err))
	}
	r.stop()
	return results
}

func failed(p Planned, role, gie string, err error) EPPResult {
	return EPPResult{GIE: gie, Role: role, Migration: p.Name, Target: p.Target, Changed: []string{}, FlagsRejected: []string{}, Models: []ModelResult{}, MetricsMissing: []string{}, Failures: []string{err.Error()}}
}

func (r *run) stop() {
	for _, s := range r.servers {
		_ = s.Close()
	}
	if r.net != nil {
		r.net.Close()
	}
	if r.c != nil {
		_ = r.c.Stop()
	}
}

type stages struct {
	input       *stage.Objects
	all         []*stage.Objects
	alpha, ga   stage.Pool
	gaStage     int
	during      *stage.Objects
	duringSplit stage.Split
	duringStage int
	// isCutover is true when the during stage sends everything to the GA pool at once (no split).
	isCutover bool
	after     *stage.Objects
}

func (r *run) readStages() (*stages, error) {
	s := &stages{}
	var err error
	s.input = &stage.Objects{}
	if st, statErr := os.Stat(r.p.Input); statErr == nil && st.IsDir() { // the built-in examples have no input folder
		if s.input, err = stage.Read(r.p.Input); err != nil {
			return nil, err
		}
	}
	s.input.Namespaced(r.p.Plan.Namespace)
	for _, ps := range r.p.Plan.Stages {
		o, err := stage.Read(filepath.Join(r.p.Dir, ps.Folder))
		if err != nil {
			return nil, err
		}
		o.Namespaced(r.p.Plan.Namespace)
		s.all = append(s.all, o)
	}
	if len(s.all) == 0 {
		return nil, errors.New("the plan has no stages")
	}
	// The alpha pool of this migration is the one the first stage carries; an input of several pools (two
	// namespaces) is read only when no stage carries one (a Helm-installed alpha stack).
	for _, o := range append(append([]*stage.Objects{}, s.all...), s.input) {
		for _, pl := range o.Pools() {
			if pl.Group == stage.AlphaGroup && s.alpha.Name == "" {
				s.alpha = pl
			}
			if pl.Group == stage.GAGroup && s.ga.Name == "" {
				s.ga = pl
			}
		}
	}
	if s.ga.Name == "" {
		return nil, errors.New("no GA InferencePool in any stage")
	}
	if s.alpha.Name == "" {
		if err := r.renderHelmAlpha(s); err != nil {
			return nil, err
		}
	}
	s.after = s.all[len(s.all)-1]
	for i, o := range s.all {
		sp := o.RouteSplit()
		if sp.Share[s.alpha.Name] > 0 && sp.Share[s.ga.Name] > 0 || sp.PreviewPool == s.ga.Name {
			s.during, s.duringSplit, s.duringStage = o, sp, i
			break
		}
	}
	if s.during == nil {
		s.cutover()
	}
	return s, nil
}

// cutover finds the "during" of a migration without a split (the cutover strategy, e.g. for Envoy AI Gateway,
// whose AIGatewayRoute serves one pool group per release): the first stage before the last whose routes send
// everything to the GA pool, while the alpha EPP still runs (it is removed at cleanup, the last stage).
func (s *stages) cutover() {
	for i, o := range s.all[:len(s.all)-1] {
		sp := o.RouteSplit()
		if sp.Share[s.ga.Name] == 1 {
			s.during, s.duringSplit, s.duringStage, s.isCutover = o, sp, i, true
			return
		}
	}
}

// renderHelmAlpha stands for an alpha stack the input installs with Helm (a stage says to `helm uninstall` it): the
// input's objects become the real chart's rendering, with the release's name and namespace, so the alpha EPP runs as
// that release runs it.
func (r *run) renderHelmAlpha(s *stages) error {
	releases := HelmReleases(r.p.Plan)
	if len(releases) == 0 || r.env.Helm == "" {
		return nil
	}
	objs, how, err := renderAlphaChart(r.ctx, r.env.Helm, r.env.Charts, r.work, releases[0], s.ga)
	if err != nil {
		return err
	}
	objs.Namespaced(releases[0].Namespace)
	s.input, r.alphaSource = objs, how
	for _, pl := range objs.Pools() {
		if pl.Group == stage.AlphaGroup && s.alpha.Name == "" {
			s.alpha = pl
		}
	}
	return nil
}

func (r *run) replay() ([]EPPResult, error) {
	s, err := r.readStages()
	if err != nil {
		return nil, err
	}
	alphaDeploy, alphaTag, alphaImage := r.eppOf(s.input, s.alpha)
	// The GA EPP starts with the first stage that has its Deployment (01-side-by-side; 02-install-ga of the simple path).
	var gaDeploy *appsv1.Deployment
	var gaTag, gaImage string
	for i, o := range s.all {
		if gaDeploy, gaTag, gaImage = r.eppOf(o, s.ga); gaDeploy != nil {
			s.gaStage = i
			break
		}
	}
	alphaRes := EPPResult{GIE: alphaTag, Role: "alpha", Migration: r.p.Name, Target: r.p.Target, Changed: []string{}, FlagsRejected: []string{}, Models: []ModelResult{}, MetricsMissing: []string{}, Failures: []string{}}
	gaRes := EPPResult{GIE: gaTag, Role: "ga", Migration: r.p.Name, Target: r.p.Target, Changed: []string{}, FlagsRejected: []string{}, Models: []ModelResult{}, MetricsMissing: []string{}, Failures: []string{}}
	alphaRel, alphaOK := r.release(&alphaRes, alphaDeploy, alphaTag, alphaImage, "alpha")
	gaRel, gaOK := r.release(&gaRes, gaDeploy, gaTag, gaImage, "ga")
	if !gaOK && !alphaOK {
		return []EPPResult{alphaRes, gaRes}, nil
	}
	if alphaOK && alphaRel.BindsPort8080 && (s.alpha.TargetPort == 8080 || s.ga.TargetPort == 8080) {
		// On a cluster the alpha EPP's pod has its own network; here it gets a namespace of its own (podnet).
		r.net, r.netErr = podnet.New(r.ctx, r.env.subnet%250)
	}
	if err := r.startCluster(alphaTag, r.p.Target, s); err != nil {
		return nil, err
	}
	alphaRes.Source = r.alphaSource
	alphaRes.AlphaCRDs = r.alphaCRDs
	cases := AlphaCases(s.input.InferenceModels(), s.alpha.Name, alphaRel, r.p.Plan.Models)
	if len(s.input.InferenceModels()) == 0 && (!alphaOK || r.alphaSource != "") {
		// No InferenceModel to translate (the built-in examples): the objectives the migration creates are the
		// models, each requested under its own name, which the alpha EPP (if any) knows no InferenceModel for.
		var alphaFor *epp.Release
		if alphaOK {
			alphaFor = &alphaRel
		}
		cases = objectiveCases(s.all[s.gaStage], alphaFor, r.p.Plan.Models)
	}

	var alpha, ga *epp.Process
	defer func() {
		for _, p := range []*epp.Process{alpha, ga} {
			if p != nil {
				p.Stop()
			}
		}
	}()
	// Before: the input's objects, the alpha EPP alone.
	if err := r.apply(s.input); err != nil {
		return nil, err
	}
	if alphaOK {
		alpha = r.startEPP(&alphaRes, alphaRel, alphaDeploy, s.input, "alpha")
	}
	if alpha != nil {
		r.beforePhase(&alphaRes, alpha, cases)
	}
	// Side by side: the first stage; the GA EPP starts as its Deployment appears.
	for _, o := range s.all[:s.gaStage+1] {
		if err := r.apply(o); err != nil {
			return nil, err
		}
	}
	if gaOK {
		ga = r.startEPP(&gaRes, gaRel, gaDeploy, s.all[s.gaStage], "ga")
	}
	if ga == nil {
		return []EPPResult{alphaRes, gaRes}, nil
	}
	if s.during != nil && alpha != nil {
		if err := r.apply(s.during); err != nil {
			return nil, err
		}
		gaRes.During = r.duringNote(s)
		r.duringPhase(&alphaRes, &gaRes, alpha, ga, s, cases)
	}
	if err := r.apply(s.after); err != nil {
		return nil, err
	}
	if alpha != nil {
		alpha.Stop() // saturation runs one EPP at a time; after cleanup the alpha EPP is gone
		alpha = nil
	}
	r.afterPhase(&gaRes, ga, cases)
	r.checkMetrics(&gaRes, ga)
	if gaRel.ReadsRewrites && len(s.after.Of(stage.AlphaGroup, "InferenceModelRewrite")) > 0 {
		ga.Stop()
		ga = nil
		gaRes.Startup = r.rewriteCRDMissing(&gaRes, gaRel, gaDeploy, s)
	}
	return []EPPResult{alphaRes, gaRes}, nil
}

// objectiveCases are the models of an input without InferenceModels (the built-in examples): one per objective,
// requested under its own name, plus one no objective names. With an alpha EPP, the alpha side is what that EPP does
// with a model no InferenceModel names (v0.3.0 refuses it, v0.5.1 serves it as Sheddable), and the GA side is the
// objective's priority (shed under saturation only below 0), a change the migration makes on purpose (Note).
func objectiveCases(o *stage.Objects, alpha *epp.Release, rows []ModelRow) []Case {
	out := []Case{}
	for _, u := range o.Of(stage.AlphaGroup, "InferenceObjective") {
		prio, _, _ := unstructured.NestedInt64(u.Object, "spec", "priority")
		row := &ModelRow{ModelName: u.GetName(), Objective: u.GetName(), Priority: int(prio), ClientSends: ObjectiveHeader + ": " + u.GetName(), NotKept: "nothing"}
		c := Case{Model: u.GetName(), AlphaServed: map[string]float64{u.GetName(): 1}, AlphaShed: prio < 0, Row: row}
		if alpha != nil {
			gaShed := prio < 0
			c.AlphaShed, c.AlphaRejected, c.GAShed = true, alpha.UnknownModelRejected, &gaShed
			if c.AlphaRejected {
				c.AlphaServed = map[string]float64{}
			}
			c.Note = fmt.Sprintf("the alpha EPP %s had no InferenceModel for %s (%s); the migration creates InferenceObjective %s with priority %d: %s under saturation with its header",
				alpha.Tag, u.GetName(), map[bool]string{true: "refused", false: "Sheddable"}[alpha.UnknownModelRejected], u.GetName(), prio, map[bool]string{true: "shed", false: "served"}[gaShed])
		}
		out = append(out, c)
	}
	unknown := Case{Model: UnknownModel, AlphaServed: map[string]float64{UnknownModel: 1}, Row: rowOf(rows, "*")}
	if alpha != nil {
		unknown.AlphaShed, unknown.AlphaRejected = true, alpha.UnknownModelRejected
		if unknown.AlphaRejected {
			unknown.AlphaServed = map[string]float64{}
		}
	}
	return append(out, unknown)
}

// duringNote says which stage the during phase replays and how its routes send the traffic.
func (r *run) duringNote(s *stages) string {
	folder := r.p.Plan.Stages[s.duringStage].Folder
	switch {
	case s.duringSplit.PreviewPool == s.ga.Name:
		return fmt.Sprintf("%s: the preview rule sends requests with %v to %s (half of the requests here), the rest to %s", folder, s.duringSplit.Preview, s.ga.Name, s.alpha.Name)
	case s.isCutover:
		return fmt.Sprintf("%s: cutover (the plan's strategy): every route sends all traffic to %s while the alpha EPP still runs; the alpha EPP gets none", folder, s.ga.Name)
	}
	return fmt.Sprintf("%s: the routes send %.0f%% to %s and %.0f%% to %s", folder, 100*s.duringSplit.Share[s.alpha.Name], s.alpha.Name, 100*s.duringSplit.Share[s.ga.Name], s.ga.Name)
}

func (r *run) eppOf(o *stage.Objects, p stage.Pool) (*appsv1.Deployment, string, string) {
	if p.Name == "" {
		return nil, "", ""
	}
	ds, err := o.Deployments()
	if err != nil {
		return nil, "", ""
	}
	return stage.EPPDeployment(ds, p)
}

// release says whether an EPP can run: an upstream image of a release that is built.
func (r *run) release(res *EPPResult, d *appsv1.Deployment, tag, image, role string) (epp.Release, bool) {
	switch {
	case d == nil && role == "alpha":
		res.NotRun = "no alpha EPP Deployment in the input (installed by Helm outside it): not run"
	case d == nil:
		res.NotRun = "no GA EPP Deployment in the stages"
	case tag == "":
		res.NotRun = fmt.Sprintf("custom image %s (not upstream's EPP): not built here, not run", image)
		res.GIE = image
	case r.env.EPPs[tag] == "" && !r.buildOnDemand(res, tag):
		// not built, and not buildable here: buildOnDemand said why in res
	default:
		rel, err := epp.Lookup(tag)
		if err != nil {
			res.NotRun = err.Error()
			return epp.Release{}, false
		}
		return rel, true
	}
	return epp.Release{}, false
}

// buildOnDemand builds the EPP of a known release this run did not build, when the Env allows it (E2E_INPUT: the
// input's own alpha release, v0.4.0 say), and says whether it is there now; otherwise it says why not in res.
func (r *run) buildOnDemand(res *EPPResult, tag string) bool {
	if _, unknown := epp.Lookup(tag); unknown != nil || r.env.Build == nil {
		res.NotRun = fmt.Sprintf("EPP %s is not built in this run (E2E_ALL=1 builds every release the fixtures use; E2E_INPUT builds the input's)", tag)
		return false
	}
	path, err := r.env.Build(r.ctx, tag)
	if err != nil {
		res.Failures = append(res.Failures, fmt.Sprintf("building EPP %s: %v", tag, err))
		return false
	}
	r.env.EPPs[tag] = path
	return true
}

func (r *run) startCluster(alphaTag, target string, s *stages) error {
	c, err := cluster.Start(r.ctx, r.env.Kube, filepath.Join(r.work, "control-plane"))
	if err != nil {
		return err
	}
	r.c = c
	crds := []*unstructured.Unstructured{}
	if alphaTag != "" {
		crds = append(crds, r.crds(alphaTag, toolchain.AlphaCRDNames...)...)
	}
	if len(crds) == 0 && toolchain.IsGIEAlphaRelease(alphaTag) {
		// A release whose CRDs are not pinned (v0.4.0 of upstream's quickstart): its own, from its Go module.
		moduleCRDs, err := r.moduleCRDs(alphaTag)
		if err != nil {
			return err
		}
		crds = append(crds, moduleCRDs...)
	}
	alphaPinned := len(crds) > 0
	crds = append(crds, r.crds(target, "inference.networking.k8s.io_inferencepools.yaml", "inference.networking.x-k8s.io_inferenceobjectives.yaml", "inference.networking.x-k8s.io_inferencemodelrewrites.yaml")...)
	if !alphaPinned {
		crds = append(crds, r.crds(target, "inference.networking.x-k8s.io_inferencepools.yaml")...)
		// No alpha CRDs of the alpha EPP's release (a custom or unreleased image, e.g. kgateway's e2e data runs
		// epp:main), yet the input's InferenceModels are loaded before the migration:
		// their CRD as v0.3.0 ships it, the alpha release the plan removes by default (v1.x do not ship it).
		crds = append(crds, r.crds("v0.3.0", "inference.networking.x-k8s.io_inferencemodels.yaml")...)
	}
	if err := c.Apply(r.ctx, crds); err != nil {
		return err
	}
	return r.startModelServers(s)
}

// crds reads the pinned CRD files of a GIE release (imports/crds/gie-<tag>/, fetched and sha256-checked by
// `npx projen fetch-crds`); a file the release does not ship is skipped.
func (r *run) crds(tag string, files ...string) []*unstructured.Unstructured {
	out := []*unstructured.Unstructured{}
	for _, f := range files {
		path := filepath.Join(r.env.CRDs, "gie-"+tag, f)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		o, err := stage.Read(path)
		if err == nil {
			out = append(out, o.Items...)
		}
	}
	return out
}

// moduleCRDs reads the alpha CRDs of a GIE release the lock does not pin from the release's Go module
// (toolchain.AlphaReleaseCRDs: the Go module proxy, checked against the checksum database) and notes the source.
func (r *run) moduleCRDs(tag string) ([]*unstructured.Unstructured, error) {
	got, err := toolchain.AlphaReleaseCRDs(r.ctx, tag)
	if err != nil {
		return nil, err
	}
	paths, err := got.PoolAndModel()
	if err != nil {
		return nil, err
	}
	out := []*unstructured.Unstructured{}
	for _, path := range paths {
		o, err := stage.Read(path)
		if err != nil {
			return nil, err
		}
		out = append(out, o.Items...)
	}
	r.alphaCRDs = got.Source
	return out, nil
}

// apply applies the kinds the EPPs read (and their identities) of a stage, and deletes those of the previous
// stage it no longer has, as a pruning GitOps sync does.
func (r *run) apply(o *stage.Objects) error {
	keep := []*unstructured.Unstructured{}
	for _, it := range o.Items {
		if appliedKinds[it.GetKind()] {
			keep = append(keep, it)
		}
	}
	return r.c.Apply(r.ctx, keep)
}

func (r *run) startModelServers(s *stages) error {
	for _, m := range s.input.InferenceModels() {
		for _, t := range m.Targets {
			r.adapters = appendOnce(r.adapters, t.Name)
		}
	}
	if len(r.adapters) == 0 {
		r.adapters = []string{"replay-adapter"}
	}
	pools := []stage.Pool{s.ga}
	if s.alpha.Name != "" && !sameSelection(s.alpha, s.ga) {
		pools = append(pools, s.alpha)
	}
	metrics := modelserver.Metrics{}
	for _, tag := range epp.Known() { // the union of what every release scrapes: both EPPs scrape the same pods
		rel, _ := epp.Lookup(tag)
		metrics = union(metrics, rel.Metrics)
	}
	for pi, pl := range pools {
		if pl.TargetPort == 0 {
			return fmt.Errorf("InferencePool %s/%s has no target port", pl.Namespace, pl.Name)
		}
		pods := []cluster.ModelPod{}
		for i := 0; i < r.env.Pods; i++ {
			ip := fmt.Sprintf("127.77.%d.%d", r.env.subnet%250, 10+pi*20+i)
			if r.net != nil {
				// Addresses of the host the alpha EPP's namespace routes to (loopback stays inside a namespace).
				ip = podnet.PodIP(r.env.subnet%250, 10+pi*20+i)
				if err := r.net.AddPodIP(r.ctx, ip); err != nil {
					return err
				}
			}
			addr := fmt.Sprintf("%s:%d", ip, pl.TargetPort)
			srv, err := modelserver.Start(addr, metrics, nil)
			if err != nil {
				return err
			}
			srv.SetLoad(r.load(idle))
			r.servers = append(r.servers, srv)
			r.pool[addr] = true
			pods = append(pods, cluster.ModelPod{Namespace: pl.Namespace, Name: fmt.Sprintf("%s-model-server-%d", pl.Name, i), Labels: pl.Selector, IP: ip, Port: int32(pl.TargetPort)})
		}
		if err := r.c.CreateModelPods(r.ctx, pods); err != nil {
			return err
		}
	}
	return nil
}

func sameSelection(a, b stage.Pool) bool {
	if a.Namespace != b.Namespace || len(a.Selector) != len(b.Selector) || a.TargetPort != b.TargetPort {
		return false
	}
	for k, v := range a.Selector {
		if b.Selector[k] != v {
			return false
		}
	}
	return true
}

func union(m modelserver.Metrics, n epp.MetricNames) modelserver.Metrics {
	add := func(list []string, name string) []string {
		if name == "" {
			return list
		}
		for _, x := range list {
			if x == name {
				return list
			}
		}
		return append(list, name)
	}
	return modelserver.Metrics{Queued: add(m.Queued, n.Queued), Running: add(m.Running, n.Running), KVCache: add(m.KVCache, n.KVCache), LoRA: add(m.LoRA, n.LoRA), CacheInfo: add(m.CacheInfo, n.CacheInfo)}
}

// identity returns a kubeconfig for the Deployment's ServiceAccount (a token of the TokenRequest API, as the pod's
// projected token), so that the RBAC of the objects is what the EPP has. When that RBAC does not let the EPP read what
// it reads (asked with SubjectAccessReviews), the stage's RBAC is wrong (a failure); the input's, for the alpha EPP,
// lives outside the input, and the alpha EPP runs with the admin's credentials instead, listed as a change.
func (r *run) identity(d *appsv1.Deployment, rel epp.Release, res *EPPResult, role, dir string) (string, string, error) {
	sa := d.Spec.Template.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	_, err := r.c.Core.CoreV1().ServiceAccounts(d.Namespace).Get(r.ctx, sa, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if sa != "default" && role == "ga" {
			res.Failures = append(res.Failures, fmt.Sprintf("Deployment %s/%s names ServiceAccount %s, which no object creates: its pods would not be created", d.Namespace, d.Name, sa))
		}
		// The "default" ServiceAccount is made by kube-controller-manager's ServiceAccount controller on a cluster.
		_, err = r.c.Core.CoreV1().ServiceAccounts(d.Namespace).Create(r.ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa, Namespace: d.Namespace}}, metav1.CreateOptions{})
	}
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return "", "", err
	}
	denied, err := r.c.Denied(r.ctx, d.Namespace, sa, reads(rel))
	if err != nil {
		return "", "", err
	}
	if len(denied) > 0 {
		if role == "ga" {
			res.Failures = append(res.Failures, fmt.Sprintf("the stage's RBAC does not let ServiceAccount %s/%s %s: the EPP could not start on a cluster", d.Namespace, sa, strings.Join(denied, ", ")))
		}
		kc, err := r.c.AdminKubeconfig(dir)
		return kc, fmt.Sprintf("the admin's credentials: the objects grant ServiceAccount %s/%s no %s (its RBAC is not among them)", d.Namespace, sa, strings.Join(denied, ", ")), err
	}
	kc, err := r.c.ServiceAccountKubeconfig(r.ctx, d.Namespace, sa, dir)
	return kc, fmt.Sprintf("a token of ServiceAccount %s/%s, the pod's identity", d.Namespace, sa), err
}

// reads are what an EPP lists and watches (its reconcilers: pkg/epp/controller/*_reconciler.go at each tag).
func reads(rel epp.Release) []cluster.Access {
	out := []cluster.Access{{Verb: "list", Resource: "pods"}, {Verb: "watch", Resource: "pods"}}
	kinds := []string{"inferencemodels"}
	poolGroup := stage.AlphaGroup
	if rel.ReadsObjectives {
		poolGroup = stage.GAGroup
		kinds = []string{"inferenceobjectives"}
		if rel.ReadsRewrites {
			kinds = append(kinds, "inferencemodelrewrites")
		}
	}
	for _, k := range kinds {
		out = append(out, cluster.Access{Verb: "list", Group: stage.AlphaGroup, Resource: k}, cluster.Access{Verb: "watch", Group: stage.AlphaGroup, Resource: k})
	}
	return append(out, cluster.Access{Verb: "list", Group: poolGroup, Resource: "inferencepools"}, cluster.Access{Verb: "watch", Group: poolGroup, Resource: "inferencepools"})
}

func (r *run) startEPP(res *EPPResult, rel epp.Release, d *appsv1.Deployment, objs *stage.Objects, role string) *epp.Process {
	dir := filepath.Join(r.work, role+"-"+rel.Tag)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		res.Failures = append(res.Failures, err.Error())
		return nil
	}
	var network *podnet.Network
	if rel.BindsPort8080 && r.listensOn(8080) {
		// A v0.3.0 EPP binds controller-runtime's metrics server on ":8080" whatever its flags say, and this pool's
		// model servers listen on 8080: it runs in a network namespace of its own, as its pod would.
		if r.net == nil {
			res.NotRun = fmt.Sprintf("the %s EPP binds :8080 on every address (controller-runtime v0.20.4's default metrics address, pkg/metrics/server/server.go; cmd/epp/main.go@%s passes no metrics options and no flag moves it) and this pool's model servers listen on 8080; on a cluster each pod has its own network namespace, and here one could not be made (%v): not run", rel.Tag, rel.Tag, r.netErr)
			return nil
		}
		network = r.net
	}
	kc, note, err := r.identity(d, rel, res, strings.SplitN(role, "-", 2)[0], dir)
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
		return nil
	}
	l, err := epp.Plan(epp.LaunchInput{Release: rel, Binary: r.env.EPPs[rel.Tag], Deployment: d, ConfigMaps: objs.ConfigMaps(d.Namespace), Kubeconfig: kc, KubeconfigNote: note, WorkDir: dir, Network: network})
	if err != nil {
		res.Failures = append(res.Failures, err.Error())
		return nil
	}
	res.Changed = l.Changed
	before := r.scrapes()
	p, err := epp.Start(r.ctx, l, filepath.Join(dir, "epp.log"), 90*time.Second)
	if err != nil {
		if errors.Is(err, epp.ErrFlagRejected) {
			res.FlagsRejected = append(res.FlagsRejected, err.Error())
			if role == "alpha" {
				// The input's own EPP: it would crash-loop on a cluster too; nothing this tool wrote.
				res.NotRun = fmt.Sprintf("the input's alpha EPP Deployment is rejected by the %s binary (flagsRejected): it would crash-loop on a cluster too", rel.Tag)
				return nil
			}
		}
		res.Failures = append(res.Failures, fmt.Sprintf("the %s EPP %s did not start: %v", role, rel.Tag, err))
		return nil
	}
	res.Started = true
	r.env.logf("%s: %s EPP %s serving on %s (tls %v, streaming %v)", r.p.Name, role, rel.Tag, l.Addr(l.GRPC), l.Secure, l.Streaming)
	if err := r.waitScrapes(before, 3, 30*time.Second); err != nil {
		res.Failures = append(res.Failures, fmt.Sprintf("the %s EPP %s never scraped every model server: %v", role, rel.Tag, err))
	}
	return p
}

func (r *run) listensOn(port int) bool {
	suffix := fmt.Sprintf(":%d", port)
	for addr := range r.pool {
		if strings.HasSuffix(addr, suffix) {
			return true
		}
	}
	return false
}

func (r *run) scrapes() []int {
	out := make([]int, len(r.servers))
	for i, s := range r.servers {
		out[i] = s.Scrapes()
	}
	return out
}

// waitScrapes waits until every model server was scraped n more times: the EPP knows every pod and holds fresh
// metrics (it refreshes each pod every 50 ms: DefaultRefreshMetricsInterval, pkg/epp/server/runserver.go@v0.3.0).
func (r *run) waitScrapes(before []int, n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ok := true
		for i, s := range r.servers {
			if s.Scrapes() < before[i]+n {
				ok = false
			}
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not every model server was scraped %d times in %s", n, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// setLoad sets every model server's load and waits until the EPPs scraped it (twice, so the value is in use).
func (r *run) setLoad(l modelserver.Load) {
	before := r.scrapes()
	for _, s := range r.servers {
		s.SetLoad(r.load(l))
	}
	_ = r.waitScrapes(before, 2, 10*time.Second)
}

var saturated = modelserver.Load{Queue: 100, KVCache: 0.99}
var idle = modelserver.Load{Queue: 0, KVCache: 0.1}

// load adds the adapters the model servers run: every target model of the InferenceModels (the LoRA adapters a
// rewrite sends to), or one stand-in.
func (r *run) load(l modelserver.Load) modelserver.Load {
	l.Adapters = r.adapters
	return l
}

func (r *run) client(p *epp.Process) (*extproc.Client, error) {
	return extproc.Dial(p.Launch.Addr(p.Launch.GRPC), p.Launch.Secure)
}

func (r *run) requestsFor(c Case) int {
	if len(c.AlphaServed) > 1 {
		return r.env.WeightedRequests
	}
	return r.env.Requests
}

func sortedKeys(m map[string]string) []string {
	out := []string{}
	for k, v := range m {
		out = append(out, k+": "+v)
	}
	sort.Strings(out)
	return out
}
