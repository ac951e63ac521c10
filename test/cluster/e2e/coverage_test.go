package e2e

import (
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// CorpusCoverage says how much of the GIE CRDs' rules the invalid corpus exercises: each CEL rule
// broken once and each required field removed once (issue 20, item 2), counted per CRD version of
// the kinds the corpus holds, with what is not exercised and why when the reason is known.
type CorpusCoverage struct {
	CELRules       int      `json:"celRules"`
	CELRulesBroken int      `json:"celRulesBroken"`
	CELMissing     []string `json:"celMissing"`
	Required       int      `json:"requiredFields"`
	RequiredMissed []string `json:"requiredMissing"`
	RequiredCount  int      `json:"requiredFieldsRemoved"`
}

// uncoverableRules are CEL rules a create (a dry run of an object that does not exist yet) cannot break.
var uncoverableRules = map[string]string{
	"self == oldSelf": "a transition rule (immutable field): it is checked on update only, and every dry run here is a create",
}

// coverageKey names one CRD version of a bundle set: "<bundles>|<apiVersion>/<kind>".
func coverageKey(it *corpusItem) string {
	u := unstructured.Unstructured{Object: it.Object}
	return strings.Join(it.Bundles, ",") + "|" + u.GetAPIVersion() + "/" + u.GetKind()
}

// corpusCoverage counts, for the GIE kinds of the valid corpus, every CEL rule and required field of
// their schema, and which of them a mutation of the invalid corpus broke or removed (recorded in done:
// "<key>|cel|<rule>" and "<key>|required|<path>").
func corpusCoverage(valid []*corpusItem, done map[string]bool) CorpusCoverage {
	c := CorpusCoverage{CELMissing: []string{}, RequiredMissed: []string{}}
	seen := map[string]bool{}
	for _, it := range valid {
		u := unstructured.Unstructured{Object: it.Object}
		if !strings.Contains(u.GetAPIVersion(), "inference.networking.") {
			continue
		}
		key := coverageKey(it)
		if seen[key] {
			continue
		}
		seen[key] = true
		schema := crdSchema(it.Bundles, u.GetAPIVersion(), u.GetKind())
		if schema == nil {
			continue
		}
		rules, required := schemaRules(schema, nil)
		for _, r := range rules {
			c.CELRules++
			if done[key+"|cel|"+r] {
				c.CELRulesBroken++
				continue
			}
			why := uncoverableRules[r]
			if why == "" {
				why = "no mutation breaks it"
			}
			c.CELMissing = append(c.CELMissing, fmt.Sprintf("%s: %s (%s)", key, r, why))
		}
		for _, p := range required {
			c.Required++
			if done[key+"|required|"+p] {
				c.RequiredCount++
				continue
			}
			c.RequiredMissed = append(c.RequiredMissed, fmt.Sprintf("%s: %s (no object of the corpus has its parent)", key, p))
		}
	}
	sort.Strings(c.CELMissing)
	sort.Strings(c.RequiredMissed)
	return c
}

// schemaRules walks a schema: its CEL rules and its required fields, as dotted paths ("0" for a list item).
func schemaRules(s map[string]any, path []string) (rules []string, required []string) {
	if vs, ok := s["x-kubernetes-validations"].([]any); ok {
		for _, v := range vs {
			if m, ok := v.(map[string]any); ok {
				rules = append(rules, fmt.Sprint(m["rule"]))
			}
		}
	}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			name := fmt.Sprint(r)
			if len(path) == 0 && (name == "apiVersion" || name == "kind" || name == "metadata") {
				continue
			}
			required = append(required, strings.Join(append(append([]string{}, path...), name), "."))
		}
	}
	props, _ := s["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "metadata" || k == "status" {
			continue
		}
		if child, ok := props[k].(map[string]any); ok {
			r, q := schemaRules(child, append(append([]string{}, path...), k))
			rules, required = append(rules, r...), append(required, q...)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		r, q := schemaRules(items, append(append([]string{}, path...), "0"))
		rules, required = append(rules, r...), append(required, q...)
	}
	return rules, required
}
