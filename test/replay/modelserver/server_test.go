package modelserver

import (
	"strings"
	"testing"
	"time"
)

func TestExpositionServesEveryNameWithTheLoadAndTheAdapters(t *testing.T) {
	// Given the names two EPP releases scrape (v1.2: gpu_cache_usage_perc, v1.3: kv_cache_usage_perc) and a load
	m := Metrics{Queued: []string{"vllm:num_requests_waiting"}, KVCache: []string{"vllm:gpu_cache_usage_perc", "vllm:kv_cache_usage_perc"}, LoRA: []string{"vllm:lora_requests_info"}}
	// When the metrics are rendered
	text := Exposition(m, Load{Queue: 7, KVCache: 0.5, Adapters: []string{"a", "b"}}, nil, time.Unix(100, 0))
	// Then each family is served under each name with the values set, and the adapters run with room for more
	for _, want := range []string{`vllm:num_requests_waiting{model_name="model"} 7`, `vllm:gpu_cache_usage_perc{model_name="model"} 0.5`, `vllm:kv_cache_usage_perc{model_name="model"} 0.5`,
		`vllm:lora_requests_info{max_lora="4",running_lora_adapters="a,b",waiting_lora_adapters=""} 100.0`} {
		if !strings.Contains(text, want) {
			t.Fatalf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "vllm:num_requests_running") {
		t.Fatal("a family no release asked for is served")
	}
}
