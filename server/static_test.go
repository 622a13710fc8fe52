package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
	"conflicto/server"
)

// The landing page is the fallback for unknown paths, but not for the API's:
// an unknown /api/ path is a 404 JSON error whatever the method, not a 200
// with the landing page's HTML.
func TestUnknownAPIPathIsNotFound(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	public := fstest.MapFS{
		"index.html":      {Data: []byte("<html>landing</html>")},
		"app/join.html":   {Data: []byte("<html>phone</html>")},
		"app/screen.html": {Data: []byte("<html>screen</html>")},
		"app/host.html":   {Data: []byte("<html>console</html>")},
	}
	server.Register(app, config.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)), public)
	mux := buildMux(t, app)

	scenarios := []struct {
		method, path string
		status       int
		expected     string
	}{
		{http.MethodGet, "/", 200, "landing"},
		{http.MethodGet, "/join/ABC234", 200, "phone"},
		{http.MethodGet, "/screen/ABC234", 200, "screen"},
		{http.MethodGet, "/host", 200, "console"},
		{http.MethodGet, "/host/", 200, "console"},
		{http.MethodGet, "/host/other", 200, "landing"},
		{http.MethodGet, "/some/page", 200, "landing"},
		{http.MethodGet, "/apis", 200, "landing"},
		{http.MethodGet, "/api/doesnotexist", 404, `"status":404`},
		{http.MethodGet, "/api/", 404, `"status":404`},
		{http.MethodGet, "/api", 404, `"status":404`},
		{http.MethodGet, "/api/collections/nope/things", 404, `"status":404`},
		{http.MethodHead, "/api/doesnotexist", 404, ""},
		{http.MethodPost, "/api/doesnotexist", 404, `"status":404`},
		{http.MethodDelete, "/api/doesnotexist", 404, `"status":404`},
		{http.MethodGet, "/api/health", 200, `"code":200`},
	}
	for _, s := range scenarios {
		status, body := do(t, mux, s.method, s.path, "", "")
		if status != s.status || !strings.Contains(body, s.expected) || (s.status == 404 && strings.Contains(body, "landing")) {
			t.Errorf("%s %s: %d %.200s, want %d with %s", s.method, s.path, status, body, s.status, s.expected)
		}
	}
}
