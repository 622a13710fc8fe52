package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestRouteOfUsesThePatternNeverThePath(t *testing.T) {
	for _, s := range []struct{ pattern, method, route, wantMethod string }{
		{"GET /api/live/{code}", "GET", "/api/live/{code}", "GET"},
		{"GET /api/live/{code}", "HEAD", "/api/live/{code}", "GET"},
		{"/api/any", "PATCH", "/api/any", "PATCH"},
		{"/api/any", "BREW", "/api/any", "other"},
		{"", "GET", unmatched, "GET"},
		{"", "PROPFIND", unmatched, "other"},
	} {
		r := httptest.NewRequest(s.method, "/api/live/ABC123?x=1", nil)
		r.Pattern = s.pattern
		route, method := routeOf(r)
		if route != s.route || method != s.wantMethod {
			t.Errorf("pattern %q, method %s: route %q method %q, want %q %q", s.pattern, s.method, route, method, s.route, s.wantMethod)
		}
	}
}

func TestBearer(t *testing.T) {
	for _, s := range []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer abc", "abc", true},
		{"  BEARER   abc  ", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Basic abc", "", false},
		{"abc", "", false},
		{"", "", false},
	} {
		token, ok := bearer(s.header)
		if token != s.token || ok != s.ok {
			t.Errorf("bearer(%q) = %q, %v; want %q, %v", s.header, token, ok, s.token, s.ok)
		}
	}
}

// Before the app is bootstrapped and before the hub exists, a scrape
// still answers: the write pool's series are left out, the live ones are
// zero.
func TestScrapeOfAnAppNotBootstrapped(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if Of(app) != nil {
		t.Fatal("Of before Register: want nil")
	}
	m := Register(app, "")
	if Of(app) != m {
		t.Fatal("Of does not return the registered metrics")
	}
	n, err := testutil.GatherAndCount(m.Registry(), "conflicto_db_write_waits_total", "conflicto_live_documents_sent_total")
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("series = %d, want only the live one", n)
	}
	m.SetLive(func() LiveStats { return LiveStats{Sent: 7, Coalesced: 3} })
	m.ObservePresenceFlush(12)
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(`
# HELP conflicto_live_documents_sent_total Live documents sent to one subscriber (broadcasts and welcomes).
# TYPE conflicto_live_documents_sent_total counter
conflicto_live_documents_sent_total 7
# HELP conflicto_live_coalesced_total Changes that joined a delivery already due instead of causing their own.
# TYPE conflicto_live_coalesced_total counter
conflicto_live_coalesced_total 3
`), "conflicto_live_documents_sent_total", "conflicto_live_coalesced_total"); err != nil {
		t.Fatal(err)
	}
	if got := testutil.CollectAndCount(m.presenceFlush); got != 1 {
		t.Fatalf("presence flush histogram series = %d", got)
	}
}

func TestStatusOf(t *testing.T) {
	rec := httptest.NewRecorder()
	re := &core.RequestEvent{}
	re.Response = rec
	re.Request = httptest.NewRequest(http.MethodGet, "/", nil)
	if got := statusOf(re, nil); got != http.StatusOK {
		t.Fatalf("nothing written, no error: %d", got)
	}
	if got := statusOf(re, http.ErrNoCookie); got != http.StatusBadRequest {
		t.Fatalf("a plain error: %d, want the router's 400", got)
	}
}
