package apitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	c "conflicto/collections"
	"conflicto/config"
)

// BenchmarkJoin measures the whole join path in process (routing, JSON,
// nickname normalisation, capacity check, insert, token), without network.
// Results are recorded in BENCHMARKS.md.
func BenchmarkJoin(b *testing.B) {
	cfg := config.Default()
	cfg.MaxParticipants = 1_000_000
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
			handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("join: %d %s", rec.Code, rec.Body.String())
			}
		}
	})
}
