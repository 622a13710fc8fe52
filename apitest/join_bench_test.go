package apitest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	c "conflicto/collections"
	"conflicto/config"
)

// BenchmarkJoin measures the whole join path in process (routing, JSON,
// nickname normalisation, capacity check, insert, token), without network.
// Results are recorded in BENCHMARKS.md.
func BenchmarkJoin(b *testing.B) {
	cfg := config.Default()
	cfg.MaxParticipants = 1_000_000
	cfg.RateJoin = config.Rate{Max: 1_000_000, Per: time.Minute} // one address
	w := newWorld(b, cfg)
	defer w.app.Cleanup()
	srv := startServer(b, w.app)
	handler := srv.Config.Handler
	code := w.s1.GetString(c.SessionCode)

	var seq atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf(`{"code":%q,"nickname":"player %d"}`, code, seq.Add(1))
			req := httptest.NewRequest(http.MethodPost, "/api/join", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			serveLabelled(handler, rec, req, "join")
			if rec.Code != http.StatusOK {
				b.Fatalf("join: %d %s", rec.Code, rec.Body.String())
			}
		}
	})
}

// serveLabelled serves one request under the pprof label bench=name, so
// that a -cpuprofile of a benchmark can be cut to the requests alone
// (go tool pprof -tagfocus bench=name), leaving out the fixture's setup
// and whatever else the process did; a label also survives the stack
// depth limit of deep middleware chains, which a -focus on a caller does
// not.
func serveLabelled(h http.Handler, w http.ResponseWriter, r *http.Request, name string) {
	pprof.Do(r.Context(), pprof.Labels("bench", name), func(ctx context.Context) {
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}
