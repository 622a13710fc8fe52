package apitest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// BenchmarkAnswer measures the answer path in process: routing, the API
// rule, value validation by type, the insert and the live-state mark.
// Results are recorded in BENCHMARKS.md.
func BenchmarkAnswer(b *testing.B) {
	w := newWorld(b, config.Default())
	defer w.app.Cleanup()
	act := createActivity(b, w.app, w.s1, "poll", pollConfig)
	activate(b, w.app, act)
	phones := make([]*core.Record, b.N)
	tokens := make([]string, b.N)
	for i := range phones {
		phones[i] = createParticipant(b, w.app, w.s1, fmt.Sprintf("phone %d", i))
		tokens[i] = token(b, phones[i])
	}
	handler := startServer(b, w.app).Config.Handler

	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			body := fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"choices":[%d]}}`, act.Id, phones[i].Id, i%3)
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
