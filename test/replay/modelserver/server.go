// Package modelserver serves model-server doubles: one small HTTP server per pod address on loopback, with the vLLM
// metrics an EPP release scrapes (values set by the test) and the OpenAI endpoints a gateway forwards to. They stand
// for the model servers only: the EPP, the API server and the objects are real.
package modelserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Metrics are the metric families to serve, each under every name given (vLLM renamed some between releases, and
// two EPP releases scrape the same pods during a migration). See epp.MetricNames.
type Metrics struct {
	Queued, Running, KVCache, LoRA, CacheInfo []string
}

// Load is what a double reports: waiting requests, KV-cache use (0..1) and the LoRA adapters it has running.
// Adapters must not be empty where an EPP filters by LoRA affinity: a series whose running and waiting adapters are
// both empty is ignored (getLatestLoraMetric, pkg/epp/backend/metrics/metrics.go@v0.5.1), max_lora then stays 0 and
// the lora-affinity-filter of v0.5.1's default plugins finds no pod with room.
type Load struct {
	Queue    int
	KVCache  float64
	Adapters []string
}

// Server is one model-server double on one address.
type Server struct {
	Address string // ip:port
	// Models the server answers for (the base model and its LoRA adapters); empty: every name.
	Models []string

	mu      sync.Mutex
	metrics Metrics
	load    Load
	served  map[string]int
	unknown map[string]int
	scrapes int
	srv     *http.Server
}

// Start listens on address and serves until Close.
func Start(address string, metrics Metrics, models []string) (*Server, error) {
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return nil, fmt.Errorf("model-server double on %s: %w (a pod's address and the pool's target port must be free on loopback)", address, err)
	}
	s := &Server{Address: address, Models: models, metrics: metrics, served: map[string]int{}, unknown: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", s.serveMetrics)
	mux.HandleFunc("/v1/completions", s.serveCompletion)
	mux.HandleFunc("/v1/chat/completions", s.serveCompletion)
	mux.HandleFunc("/v1/models", s.serveModels)
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// SetLoad sets the queue and KV-cache values the next scrapes see.
func (s *Server) SetLoad(l Load) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load = l
}

// Scrapes is how often /metrics was read.
func (s *Server) Scrapes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scrapes
}

// Served returns, and resets, the model names requests reached this server with (known and unknown).
func (s *Server) Served() (known, unknown map[string]int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	known, unknown = s.served, s.unknown
	s.served, s.unknown = map[string]int{}, map[string]int{}
	return known, unknown
}

// Exposition renders the metrics in Prometheus' text format, as vLLM serves them (gauges labelled model_name;
// vllm:lora_requests_info's value is a timestamp and its labels carry the adapters, which the EPP reads:
// pkg/epp/backend/metrics/metrics.go@v0.3.0 getLatestLoraMetric).
func Exposition(m Metrics, l Load, models []string, now time.Time) string {
	var b strings.Builder
	gauge := func(names []string, labels, value string) {
		for _, name := range names {
			fmt.Fprintf(&b, "# TYPE %s gauge\n%s{%s} %s\n", name, name, labels, value)
		}
	}
	base := "model"
	if len(models) > 0 {
		base = models[0]
	}
	label := fmt.Sprintf("model_name=%q", base)
	gauge(m.Queued, label, strconv.Itoa(l.Queue))
	gauge(m.Running, label, "0")
	gauge(m.KVCache, label, strconv.FormatFloat(l.KVCache, 'f', -1, 64))
	gauge(m.LoRA, fmt.Sprintf("max_lora=%q,running_lora_adapters=%q,waiting_lora_adapters=\"\"", strconv.Itoa(len(l.Adapters)+2), strings.Join(l.Adapters, ",")), strconv.FormatFloat(float64(now.Unix()), 'f', 1, 64))
	gauge(m.CacheInfo, `block_size="16",num_gpu_blocks="4096"`, "1")
	return b.String()
}

func (s *Server) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	s.scrapes++
	text := Exposition(s.metrics, s.load, s.Models, time.Now())
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = io.WriteString(w, text)
}

func (s *Server) knows(model string) bool {
	if len(s.Models) == 0 {
		return true
	}
	for _, m := range s.Models {
		if m == model {
			return true
		}
	}
	return false
}

// serveCompletion answers as vLLM's OpenAI server does: 200 with the model it served, or 404 for a model it does not
// serve (vLLM: "The model `x` does not exist.").
func (s *Server) serveCompletion(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Model string `json:"model"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Model == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"message": "a JSON body with a model is required", "code": 400}})
		return
	}
	s.mu.Lock()
	known := s.knows(body.Model)
	if known {
		s.served[body.Model]++
	} else {
		s.unknown[body.Model]++
	}
	s.mu.Unlock()
	if !known {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"message": fmt.Sprintf("The model `%s` does not exist.", body.Model), "type": "NotFoundError", "code": 404}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": "cmpl-replay", "object": "text_completion", "model": body.Model,
		"choices": []map[string]any{{"index": 0, "text": " hello", "finish_reason": "stop"}},
		"usage":   map[string]int{"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
	})
}

func (s *Server) serveModels(w http.ResponseWriter, _ *http.Request) {
	names := append([]string{}, s.Models...)
	sort.Strings(names)
	data := []map[string]any{}
	for _, n := range names {
		data = append(data, map[string]any{"id": n, "object": "model"})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// ErrClosed is returned by Forward when the double is gone.
var ErrClosed = errors.New("model server closed")

// Forward sends a (mutated) request body to a model server as the gateway would after the EPP's answer, and returns
// the status and body.
func Forward(ctx context.Context, client *http.Client, endpoint string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+endpoint+"/v1/completions", strings.NewReader(string(body)))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, out, err
}
