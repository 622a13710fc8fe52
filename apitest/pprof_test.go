package apitest_test

import (
	"net/http"
	"strings"
	"testing"

	"conflicto/config"
)

// Go's profiler is served at /debug/pprof/ only with CONFLICTO_PPROF on
// (config refuses it outside development), for profiling a load run.
func TestPprofOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		cfg := config.Default()
		cfg.Pprof = on
		app := newTestApp(t, cfg)
		srv := startServer(t, app)
		for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap?debug=1", "/debug/pprof/cmdline"} {
			res := getJSON(t, srv.URL+path, "")
			served := res.status == http.StatusOK && (strings.Contains(string(res.body), "heap") || strings.Contains(path, "cmdline"))
			if served != on {
				t.Errorf("pprof %v: GET %s = %d %.120s", on, path, res.status, res.body)
			}
		}
		app.Cleanup()
	}
}
