package stage

import (
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Pool is an InferencePool of either group.
type Pool struct {
	Group, Namespace, Name string
	Selector               map[string]string
	TargetPort             int
	// EPP names the Service of its Endpoint Picker (extensionRef / endpointPickerRef).
	EPP string
}

// Pools returns the InferencePools of both groups.
func (o *Objects) Pools() []Pool {
	out := []Pool{}
	for _, u := range o.Of("", "InferencePool") {
		p := Pool{Group: u.GroupVersionKind().Group, Namespace: u.GetNamespace(), Name: u.GetName()}
		if p.Group == AlphaGroup {
			p.Selector, _, _ = unstructured.NestedStringMap(u.Object, "spec", "selector")
			port, _, _ := unstructured.NestedInt64(u.Object, "spec", "targetPortNumber")
			p.TargetPort = int(port)
			p.EPP, _, _ = unstructured.NestedString(u.Object, "spec", "extensionRef", "name")
		} else {
			p.Selector, _, _ = unstructured.NestedStringMap(u.Object, "spec", "selector", "matchLabels")
			ports, _, _ := unstructured.NestedSlice(u.Object, "spec", "targetPorts")
			if len(ports) > 0 {
				if m, ok := ports[0].(map[string]any); ok {
					p.TargetPort = toInt(m["number"])
				}
			}
			p.EPP, _, _ = unstructured.NestedString(u.Object, "spec", "endpointPickerRef", "name")
		}
		out = append(out, p)
	}
	return out
}

func toInt(v any) int {
	switch n := v.(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	case int:
		return n
	}
	return 0
}

var poolFlag = regexp.MustCompile(`^--?(poolName|pool-name)(=(.*))?$`)

// EPPDeployment returns the Deployment whose EPP serves a pool (its pool-name flag names it) and the release its
// image tag names ("" for an image that is not upstream's EPP, e.g. llm-d's scheduler).
func EPPDeployment(ds []*appsv1.Deployment, p Pool) (*appsv1.Deployment, string, string) {
	for _, d := range ds {
		if d.Namespace != "" && d.Namespace != p.Namespace {
			continue
		}
		for _, c := range d.Spec.Template.Spec.Containers {
			args := append(append([]string{}, c.Command...), c.Args...)
			for i, a := range args {
				m := poolFlag.FindStringSubmatch(a)
				if m == nil {
					continue
				}
				name := m[3]
				if m[2] == "" && i+1 < len(args) {
					name = args[i+1]
				}
				if name == p.Name {
					return d, releaseOf(c.Image), c.Image
				}
			}
		}
	}
	return nil, "", ""
}

// releaseOf is the GIE tag of an upstream EPP image, or "".
func releaseOf(image string) string {
	const repo = "registry.k8s.io/gateway-api-inference-extension/epp:"
	if !strings.HasPrefix(image, repo) {
		return ""
	}
	return strings.TrimPrefix(image, repo)
}

// Target is a model name with its weight.
type Target struct {
	Name   string
	Weight int
}

// InferenceModel is an alpha InferenceModel.
type InferenceModel struct {
	Namespace, Name, ModelName, Criticality, Pool string
	Targets                                       []Target
}

// InferenceModels returns the alpha InferenceModels (criticality defaults to Standard, as DESIGN.md says the
// alpha EPP treats a missing one: datastore.IsCritical is false for it).
func (o *Objects) InferenceModels() []InferenceModel {
	out := []InferenceModel{}
	for _, u := range o.Of(AlphaGroup, "InferenceModel") {
		m := InferenceModel{Namespace: u.GetNamespace(), Name: u.GetName()}
		m.ModelName, _, _ = unstructured.NestedString(u.Object, "spec", "modelName")
		m.Criticality, _, _ = unstructured.NestedString(u.Object, "spec", "criticality")
		if m.Criticality == "" {
			m.Criticality = "Standard"
		}
		m.Pool, _, _ = unstructured.NestedString(u.Object, "spec", "poolRef", "name")
		targets, _, _ := unstructured.NestedSlice(u.Object, "spec", "targetModels")
		for _, t := range targets {
			tm, _ := t.(map[string]any)
			name, _ := tm["name"].(string)
			w := 1
			if v, ok := tm["weight"]; ok {
				w = toInt(v)
			}
			m.Targets = append(m.Targets, Target{Name: name, Weight: w})
		}
		out = append(out, m)
	}
	return out
}

// Split is the share of the route's traffic that reaches each pool (by name), from the weights of the backendRefs
// that name InferencePools; a preview rule (a rule with header matches) is reported by Preview.
type Split struct {
	Share       map[string]float64
	Preview     map[string]string // header name -> value that sends a request to the pool in PreviewPool
	PreviewPool string
}

// RouteSplit reads the HTTPRoutes of the objects: the first rule without header matches gives the weights.
func (o *Objects) RouteSplit() Split {
	s := Split{Share: map[string]float64{}}
	for _, u := range o.Of("gateway.networking.k8s.io", "HTTPRoute") {
		rules, _, _ := unstructured.NestedSlice(u.Object, "spec", "rules")
		for _, r := range rules {
			rm, _ := r.(map[string]any)
			refs, _ := rm["backendRefs"].([]any)
			weights := map[string]int{}
			total := 0
			for _, ref := range refs {
				b, _ := ref.(map[string]any)
				if b["kind"] != "InferencePool" {
					continue
				}
				w := 1
				if v, ok := b["weight"]; ok {
					w = toInt(v)
				}
				name, _ := b["name"].(string)
				weights[name] += w
				total += w
			}
			if total == 0 {
				continue
			}
			if h := headerMatch(rm); h != nil && len(weights) == 1 {
				s.Preview = h
				for n := range weights {
					s.PreviewPool = n
				}
				continue
			}
			if len(s.Share) == 0 {
				for n, w := range weights {
					s.Share[n] = float64(w) / float64(total)
				}
			}
		}
	}
	return s
}

func headerMatch(rule map[string]any) map[string]string {
	matches, _ := rule["matches"].([]any)
	for _, m := range matches {
		mm, _ := m.(map[string]any)
		hs, _ := mm["headers"].([]any)
		if len(hs) == 0 {
			continue
		}
		out := map[string]string{}
		for _, h := range hs {
			hm, _ := h.(map[string]any)
			name, _ := hm["name"].(string)
			value, _ := hm["value"].(string)
			out[name] = value
		}
		return out
	}
	return nil
}
