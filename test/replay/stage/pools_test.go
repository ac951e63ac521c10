package stage

import (
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func aiGatewayRoute(pool string) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "aigateway.envoyproxy.io/v1alpha1", "kind": "AIGatewayRoute",
		"metadata": map[string]any{"name": "llama", "namespace": "llm"},
		"spec": map[string]any{"rules": []any{map[string]any{
			"matches":     []any{map[string]any{"headers": []any{map[string]any{"type": "Exact", "name": "x-ai-eg-model", "value": "meta-llama/Llama-3.1-8B-Instruct"}}}},
			"backendRefs": []any{map[string]any{"group": "inference.networking.k8s.io", "kind": "InferencePool", "name": pool}},
		}}},
	}}
}

func TestAnAIGatewayRouteSendsItsModelToItsPoolWithoutAPreview(t *testing.T) {
	// Given an AIGatewayRoute whose only rule matches the model header (Envoy AI Gateway sets it from the body)
	o := &Objects{Items: []*unstructured.Unstructured{aiGatewayRoute("llama-ga")}}
	// When its split is read
	s := o.RouteSplit()
	// Then all of it goes to the pool, and the model header is no preview rule
	if s.Share["llama-ga"] != 1 || s.PreviewPool != "" {
		t.Fatalf("split = %+v, want all to llama-ga and no preview", s)
	}
}
