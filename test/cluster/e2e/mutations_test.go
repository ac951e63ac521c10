package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// A mutation breaks one thing of a valid object; the API server must refuse the result.
type mutation struct {
	what  string
	apply func(obj map[string]any) bool // false: does not apply to this object
	// covers is what the mutation exercises, for CorpusCoverage: "cel|<rule>" or "required|<path>".
	covers string
}

// invalidCorpus makes, from the first objects of each kind (per bundle set), one invalid object per
// mutation: an unknown field, a field of the wrong type, each required field (of the CRD's schema, or
// of the built-in kind) removed once, and each CEL rule of the GIE CRDs (and some of Gateway API's)
// broken once.
func invalidCorpus(valid []*corpusItem) ([]*corpusItem, map[string]bool) {
	perKind := map[string]int{}
	covered := map[string]bool{}
	var out []*corpusItem
	for _, it := range valid {
		u := unstructured.Unstructured{Object: it.Object}
		key := strings.Join(it.Bundles, ",") + "|" + u.GetAPIVersion() + "/" + u.GetKind()
		if perKind[key] >= 2 {
			continue
		}
		perKind[key]++
		for _, m := range mutationsFor(it) {
			obj := deepCopy(it.Object)
			if !m.apply(obj) {
				continue
			}
			out = append(out, &corpusItem{ID: it.ID + " [" + m.what + "]", Bundles: it.Bundles, Object: obj, Invalid: true})
			if m.covers != "" {
				covered[coverageKey(it)+"|"+m.covers] = true
			}
		}
	}
	return out, covered
}

func deepCopy(obj map[string]any) map[string]any {
	data, _ := json.Marshal(obj)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

func mutationsFor(it *corpusItem) []mutation {
	u := unstructured.Unstructured{Object: it.Object}
	ms := []mutation{
		{"unknown field spec.notAField", func(o map[string]any) bool {
			spec, ok := o["spec"].(map[string]any)
			if !ok {
				o["notAField"] = true
				return true
			}
			spec["notAField"] = true
			return true
		}, ""},
		{"metadata.name removed", func(o map[string]any) bool {
			delete(o["metadata"].(map[string]any), "name")
			return true
		}, ""},
		{"a string field given a number", func(o map[string]any) bool { return retypeFirst(o, "string") }, ""},
		{"an integer field given a string", func(o map[string]any) bool { return retypeFirst(o, "number") }, ""},
	}
	for _, path := range requiredPaths(it) {
		path := path
		ms = append(ms, mutation{"required " + strings.Join(path, ".") + " removed", func(o map[string]any) bool { return removePath(o, path) }, "required|" + strings.Join(path, ".")})
	}
	return append(ms, celMutations(u.GetKind(), it.Bundles)...)
}

// retypeFirst replaces the first leaf of the kind under spec (or the object) by a value of another type.
func retypeFirst(o map[string]any, kind string) bool {
	root, ok := o["spec"].(map[string]any)
	if !ok {
		root = o
	}
	done := false
	var walk func(m map[string]any)
	walk = func(m map[string]any) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if done || k == "metadata" || k == "apiVersion" || k == "kind" {
				continue
			}
			switch v := m[k].(type) {
			case string:
				if kind == "string" {
					m[k] = 12345
					done = true
				}
			case float64:
				if kind == "number" {
					m[k] = "twelve"
					done = true
				}
			case map[string]any:
				walk(v)
			case []any:
				for _, e := range v {
					if em, ok := e.(map[string]any); ok && !done {
						walk(em)
					}
				}
			}
		}
	}
	walk(root)
	return done
}

// removePath deletes the field at path (map keys; "0" for a list's first item); false when absent.
func removePath(o map[string]any, path []string) bool {
	var cur any = o
	for i, p := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if _, ok := c[p]; !ok {
				return false
			}
			if last {
				delete(c, p)
				return true
			}
			cur = c[p]
		case []any:
			if p != "0" || len(c) == 0 {
				return false
			}
			cur = c[0]
		default:
			return false
		}
	}
	return false
}

// coreRequired are required fields of the built-in kinds the migrations write (k8s.io/api types
// without omitempty, and the API server's validation in pkg/apis/*/validation at v1.35).
var coreRequired = map[string][][]string{
	"Deployment":         {{"spec", "selector"}, {"spec", "template", "spec", "containers", "0", "name"}, {"spec", "template", "spec", "containers", "0", "image"}},
	"Service":            {{"spec", "ports", "0", "port"}},
	"RoleBinding":        {{"roleRef", "name"}, {"roleRef", "kind"}, {"subjects", "0", "name"}, {"subjects", "0", "kind"}},
	"ClusterRoleBinding": {{"roleRef", "name"}, {"roleRef", "kind"}, {"subjects", "0", "name"}, {"subjects", "0", "kind"}},
	"Role":               {{"rules", "0", "verbs"}},
	"ClusterRole":        {{"rules", "0", "verbs"}},
}

// requiredPaths are the required fields present in the object: for a CRD kind every `required` of
// its schema (walked along the object: maps, and the first item of lists), else coreRequired.
func requiredPaths(it *corpusItem) [][]string {
	u := unstructured.Unstructured{Object: it.Object}
	if paths, ok := coreRequired[u.GetKind()]; ok {
		return paths
	}
	schema := crdSchema(it.Bundles, u.GetAPIVersion(), u.GetKind())
	if schema == nil {
		return nil
	}
	var out [][]string
	var walk func(s map[string]any, v any, path []string)
	walk = func(s map[string]any, v any, path []string) {
		switch val := v.(type) {
		case map[string]any:
			if req, ok := s["required"].([]any); ok {
				for _, r := range req {
					if _, present := val[fmt.Sprint(r)]; present && !(len(path) == 0 && (r == "apiVersion" || r == "kind" || r == "metadata")) {
						out = append(out, append(append([]string{}, path...), fmt.Sprint(r)))
					}
				}
			}
			props, _ := s["properties"].(map[string]any)
			keys := make([]string, 0, len(props))
			for k := range props {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if child, ok := val[k]; ok && k != "metadata" && k != "status" {
					walk(props[k].(map[string]any), child, append(append([]string{}, path...), k))
				}
			}
		case []any:
			if items, ok := s["items"].(map[string]any); ok && len(val) > 0 {
				walk(items, val[0], append(append([]string{}, path...), "0"))
			}
		}
	}
	walk(schema, it.Object, nil)
	return out
}

// crdSchema is the openAPIV3Schema of apiVersion/kind in the bundles' pinned CRDs, or nil.
func crdSchema(bundles []string, apiVersion, kind string) map[string]any {
	group, version, _ := strings.Cut(apiVersion, "/")
	lock, err := readLock()
	if err != nil {
		return nil
	}
	want := map[string]bool{}
	for _, b := range bundles {
		want[b] = true
	}
	for _, e := range append(append([]lockEntry{}, lock.CRDs...), lock.Cluster...) {
		if !want[e.Bundle] {
			continue
		}
		data, err := os.ReadFile(crdFile(e.File))
		if err != nil {
			continue
		}
		var crd struct {
			Spec struct {
				Group    string                `json:"group"`
				Names    struct{ Kind string } `json:"names"`
				Versions []struct {
					Name   string `json:"name"`
					Schema struct {
						OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
					} `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if yaml.Unmarshal(data, &crd) != nil || crd.Spec.Group != group || crd.Spec.Names.Kind != kind {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Name == version {
				return v.Schema.OpenAPIV3Schema
			}
		}
	}
	return nil
}

// celMutations break x-kubernetes-validations rules, one each: every rule of the GIE CRDs, and the
// Gateway API HTTPRoute rules on paths and filters.
func celMutations(kind string, bundles []string) []mutation {
	switch kind {
	case "InferencePool":
		return []mutation{
			{"CEL: endpointPickerRef port required when kind is Service", func(o map[string]any) bool {
				ref, ok := nested(o, "spec", "endpointPickerRef")
				if !ok {
					return false
				}
				ref["kind"] = "Service"
				delete(ref, "port")
				return true
			}, "cel|self.kind != 'Service' || has(self.port)"},
			{"CEL: targetPorts numbers unique", func(o map[string]any) bool {
				spec, ok := nested(o, "spec")
				ports, isList := spec["targetPorts"].([]any)
				if !ok || !isList || len(ports) == 0 || bundles[0] < "gie-v1.1.0" {
					return false // v1.0.x allows exactly one port: the schema (maxItems), not CEL, refuses two
				}
				spec["targetPorts"] = []any{ports[0], ports[0]}
				return true
			}, "cel|self.all(p1, self.exists_one(p2, p1.number==p2.number))"},
		}
	case "InferenceModel":
		return []mutation{
			{"CEL: targetModels weights all set or none", func(o map[string]any) bool {
				spec, ok := nested(o, "spec")
				if !ok {
					return false
				}
				spec["targetModels"] = []any{map[string]any{"name": "replay-a", "weight": int64(1)}, map[string]any{"name": "replay-b"}}
				return true
			}, "cel|self.all(model, has(model.weight)) || self.all(model, !has(model.weight))"},
		}
	case "HTTPRoute":
		return []mutation{
			{"CEL: a PathPrefix path must be an absolute path", func(o map[string]any) bool {
				rule, ok := firstRule(o)
				if !ok {
					return false
				}
				rule["matches"] = []any{map[string]any{"path": map[string]any{"type": "PathPrefix", "value": "no-leading-slash"}}}
				return true
			}, ""},
			{"CEL: RequestHeaderModifier filter may not repeat", func(o map[string]any) bool {
				rule, ok := firstRule(o)
				if !ok {
					return false
				}
				f := map[string]any{"type": "RequestHeaderModifier", "requestHeaderModifier": map[string]any{"set": []any{map[string]any{"name": "x-a", "value": "1"}}}}
				rule["filters"] = []any{f, f}
				return true
			}, ""},
		}
	}
	return nil
}

func nested(o map[string]any, path ...string) (map[string]any, bool) {
	cur := o
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func firstRule(o map[string]any) (map[string]any, bool) {
	spec, ok := nested(o, "spec")
	if !ok {
		return nil, false
	}
	rules, _ := spec["rules"].([]any)
	if len(rules) == 0 {
		return nil, false
	}
	rule, ok := rules[0].(map[string]any)
	return rule, ok
}
