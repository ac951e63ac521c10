package replay

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/extproc"
	"github.com/cdk8s-inference-migration/cdk8s-inference-migration/test/replay/modelserver"
)

// Objective and rewrite headers of a v1 EPP (pkg/epp/metadata/consts.go@v1.0.2 ObjectiveKey, ModelNameRewriteKey).
const (
	ObjectiveHeader = "x-gateway-inference-objective"
	RewriteHeader   = "x-gateway-model-name-rewrite"
)

// Batch is what a batch of requests for one model got from one or more EPPs.
type Batch struct {
	Requests, InPool, Rejected, Shed int
	Served                           map[string]int
	Problems                         []string
}

// Target is one EPP a request can be sent to, with the addresses of its pool's model servers.
type Target struct {
	Client *extproc.Client
	Pool   map[string]bool // ip:port of the pool's pods
}

// Sender sends requests through EPPs and forwards them to the chosen model servers.
type Sender struct {
	HTTP *http.Client
	Rand *rand.Rand
}

// NewSender returns a sender with a fixed seed, so that the client-side choices (route split, a rewrite header the
// client picks by weight) are the same on every run.
func NewSender() *Sender {
	return &Sender{HTTP: &http.Client{Timeout: 10 * time.Second}, Rand: rand.New(rand.NewSource(21))}
}

// Send sends n requests for model to the targets: the first share[0] of them to targets[0], and so on (the route's
// split), with the headers (a header value "one of a, b (by the weights a=90, b=10)" is chosen per request by weight,
// as the README tells such clients to do).
func (s *Sender) Send(ctx context.Context, targets []Target, shares []float64, model string, headers map[string]string, n int) Batch {
	b := Batch{Served: map[string]int{}}
	counts := split(n, shares)
	for ti, t := range targets {
		for i := 0; i < counts[ti]; i++ {
			h := s.headerValues(headers)
			body, _ := json.Marshal(map[string]any{"model": model, "prompt": "Say hello", "max_tokens": 20, "temperature": 0})
			ans, err := t.Client.Process(ctx, extproc.Request{Path: "/v1/completions", Headers: h, Body: body},
				func(ctx context.Context, endpoint string, body []byte) (int, []byte, error) {
					return modelserver.Forward(ctx, s.HTTP, endpoint, body)
				})
			b.Requests++
			switch {
			case err != nil:
				b.Rejected++
				b.Problems = appendOnce(b.Problems, "ext_proc error: "+err.Error())
			case ans.Status == http.StatusTooManyRequests:
				b.Shed++
			case ans.Status != 0:
				b.Rejected++
				b.Problems = appendOnce(b.Problems, fmt.Sprintf("immediate response %d: %s", ans.Status, truncate(ans.ImmediateBody, 160)))
			case ans.Endpoint == "":
				b.Rejected++
				b.Problems = appendOnce(b.Problems, "no destination endpoint")
			default:
				if t.Pool[firstOf(ans.Endpoint)] {
					b.InPool++
				} else {
					b.Problems = appendOnce(b.Problems, "endpoint outside the pool: "+ans.Endpoint)
				}
				var sent struct {
					Model string `json:"model"`
				}
				_ = json.Unmarshal(ans.Body, &sent)
				b.Served[sent.Model]++
			}
		}
	}
	return b
}

func firstOf(list string) string { return strings.TrimSpace(strings.Split(list, ",")[0]) }

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// split divides n by shares (rounded, the remainder to the largest share).
func split(n int, shares []float64) []int {
	out := make([]int, len(shares))
	total := 0
	for i, s := range shares {
		out[i] = int(math.Round(float64(n) * s))
		total += out[i]
	}
	if len(out) > 0 {
		big := 0
		for i := range shares {
			if shares[i] > shares[big] {
				big = i
			}
		}
		out[big] += n - total
	}
	return out
}

var weightedChoice = regexp.MustCompile(`^one of .*\(by the weights (.*)\)$`)

func (s *Sender) headerValues(headers map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range headers {
		if m := weightedChoice.FindStringSubmatch(v); m != nil {
			out[k] = s.pick(parseWeights(m[1]))
			continue
		}
		out[k] = v
	}
	return out
}

// parseWeights reads "a=90, b=10".
func parseWeights(text string) map[string]float64 {
	out := map[string]float64{}
	for _, part := range strings.Split(text, ",") {
		kv := strings.SplitN(strings.TrimSpace(part), "=", 2)
		if len(kv) != 2 {
			continue
		}
		w, err := strconv.ParseFloat(kv[1], 64)
		if err == nil {
			out[kv[0]] = w
		}
	}
	return out
}

func (s *Sender) pick(weights map[string]float64) string {
	names := make([]string, 0, len(weights))
	total := 0.0
	for n, w := range weights {
		names = append(names, n)
		total += w
	}
	sort.Strings(names)
	r := s.Rand.Float64() * total
	for _, n := range names {
		r -= weights[n]
		if r < 0 {
			return n
		}
	}
	return names[len(names)-1]
}

// Shares normalises weights to shares.
func Shares(weights map[string]float64) map[string]float64 {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	out := map[string]float64{}
	for n, w := range weights {
		if total > 0 {
			out[n] = w / total
		}
	}
	return out
}

// WithinTolerance checks observed counts against expected shares: each share within 4 standard deviations of a
// binomial draw of the served count (plus one request), so a correct EPP fails it about once in 30,000 checks.
func WithinTolerance(observed map[string]int, expected map[string]float64) (bool, string) {
	n := 0
	for _, c := range observed {
		n += c
	}
	if n == 0 {
		return len(expected) == 0, "no request was served"
	}
	names := map[string]bool{}
	for k := range observed {
		names[k] = true
	}
	for k := range expected {
		names[k] = true
	}
	for name := range names {
		p := expected[name]
		got := float64(observed[name]) / float64(n)
		tol := 4*math.Sqrt(p*(1-p)/float64(n)) + 1/float64(n)
		if math.Abs(got-p) > tol {
			return false, fmt.Sprintf("%s served %.3f of %d requests, expected %.3f ± %.3f", name, got, n, p, tol)
		}
	}
	return true, ""
}
