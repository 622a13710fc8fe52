package apitest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"conflicto/config"
)

// BenchmarkAdvance measures the host's advance in process: the owner
// guard, the transaction that expires the current activity and activates
// the next draft, the after-success hooks (realtime, the live state's
// mark) and the response. A fan-out's delivery starts after it, so its time
// is the floor of every subscriber's. Results are in BENCHMARKS.md.
func BenchmarkAdvance(b *testing.B) {
	w := newWorld(b, config.Default())
	defer w.app.Cleanup()
	for range b.N {
		createActivity(b, w.app, w.s1, "poll", pollConfig)
	}
	handler := startServer(b, w.app).Config.Handler
	auth := token(b, w.hostA)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest(http.MethodPost, "/api/sessions/"+w.s1.Id+"/advance", nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		serveLabelled(handler, rec, req, "advance")
		if rec.Code != http.StatusOK {
			b.Fatalf("advance: %d %s", rec.Code, rec.Body.String())
		}
	}
}
