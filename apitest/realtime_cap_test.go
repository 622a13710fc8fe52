package apitest_test

import (
	"net/http"
	"testing"
	"time"

	"conflicto/config"
)

// Beyond CONFLICTO_MAX_REALTIME open realtime connections, a new one is
// refused with 503 (and Retry-After); once one closes, a new one connects.
func TestRealtimeConnectionCap(t *testing.T) {
	cfg := config.Default()
	cfg.MaxRealtime = 2
	app := newTestApp(t, cfg)
	defer app.Cleanup()
	srv := startServer(t, app)

	first := openSSE(t, srv.URL)
	openSSE(t, srv.URL)
	res, err := http.Get(srv.URL + "/api/realtime")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("third connection: %d (Retry-After %q), want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}

	first.body.Close()
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Get(srv.URL + "/api/realtime")
		if err != nil {
			t.Fatal(err)
		}
		status := res.StatusCode
		res.Body.Close()
		if status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed connection did not free its place: %d", status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
