package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	c "conflicto/collections"
	"conflicto/config"
)

// BenchmarkAnswer measures the answer path in process: routing, the token,
// the API rule, value validation by type, the insert and the live-state
// mark. Each phone answers once, a moment after its join, as in a hall.
// Results are recorded in BENCHMARKS.md.
func BenchmarkAnswer(b *testing.B) {
	cfg := config.Default()
	cfg.RateJoin = config.Rate{Max: 1_000_000, Per: time.Minute}
	w := newWorld(b, cfg)
	defer w.app.Cleanup()
	act := createActivity(b, w.app, w.s1, "poll", pollConfig)
	activate(b, w.app, act)
	handler := startServer(b, w.app).Config.Handler
	// The phones join as phones do, through the join route.
	code := w.s1.GetString(c.SessionCode)
	ids := make([]string, b.N)
	tokens := make([]string, b.N)
	for i := range ids {
		body := fmt.Sprintf(`{"code":%q,"nickname":"phone %d"}`, code, i)
		req := httptest.NewRequest(http.MethodPost, "/api/join", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		var out struct {
			Token  string `json:"token"`
			Record struct {
				ID string `json:"id"`
			} `json:"record"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
			b.Fatalf("join: %d %s", rec.Code, rec.Body.String())
		}
		ids[i], tokens[i] = out.Record.ID, out.Token
	}

	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			body := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choices":[%d]}}`, act.Id, ids[i], i%3)
			req := httptest.NewRequest(http.MethodPost, "/api/collections/responses/records", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", tokens[i])
			rec := httptest.NewRecorder()
			serveLabelled(handler, rec, req, "answer")
			if rec.Code != http.StatusOK {
				b.Fatalf("answer: %d %s", rec.Code, rec.Body.String())
			}
		}
	})
}
