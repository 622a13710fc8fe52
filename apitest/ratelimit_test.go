package apitest_test

import (
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"conflicto/config"
	"conflicto/server"
)

// The rate limits of the configuration are in the app's settings once it
// serves (the dashboard shows them), replacing PocketBase's defaults.
func TestRateLimitSettingsAppliedOnServe(t *testing.T) {
	cfg := config.Default()
	cfg.TrustedProxyHeaders = []string{"X-Forwarded-For"}
	app := newTestApp(t, cfg)
	defer app.Cleanup()
	if app.Settings().RateLimits.Enabled {
		t.Fatal("rate limits on before serve: the test proves nothing")
	}
	startServer(t, app)

	got := app.Settings().RateLimits
	if !got.Enabled {
		t.Fatal("rate limits are off after serve")
	}
	if want := server.RateLimitRules(cfg); !reflect.DeepEqual(got.Rules, want) {
		t.Fatalf("rules = %+v, want %+v", got.Rules, want)
	}
	for _, r := range got.Rules {
		if r.Label == "/api/" || r.Label == "*:create" {
			t.Fatalf("PocketBase's default rule %q would lock a hall behind one address out", r.Label)
		}
	}
	if h := app.Settings().TrustedProxy.Headers; !reflect.DeepEqual(h, []string{"X-Forwarded-For"}) {
		t.Fatalf("trusted proxy headers = %q", h)
	}
	// Stored, not only in memory: a reload from the database keeps them.
	if err := app.ReloadSettings(); err != nil {
		t.Fatal(err)
	}
	if !app.Settings().RateLimits.Enabled || len(app.Settings().RateLimits.Rules) != len(got.Rules) {
		t.Fatalf("settings not stored: %+v", app.Settings().RateLimits)
	}

	off := config.Default()
	off.RateLimits = false
	app2 := newTestApp(t, off)
	defer app2.Cleanup()
	startServer(t, app2)
	if app2.Settings().RateLimits.Enabled {
		t.Fatal("CONFLICTO_RATE_LIMITS=false left the limiter on")
	}
}

// The N+1-th password sign-in within the window from one IP gets 429, a
// right password included.
func TestPasswordAuthRateLimit(t *testing.T) {
	cfg := config.Default()
	cfg.RateAuth = config.Rate{Max: 3, Per: time.Minute}
	app := newTestApp(t, cfg)
	defer app.Cleanup()
	createHost(t, app, "host@example.com")
	srv := startServer(t, app)

	url := srv.URL + "/api/collections/users/auth-with-password"
	for i := range 3 {
		res := postJSON(t, url, `{"identity":"host@example.com","password":"wrong-password"}`, "")
		if res.status != http.StatusBadRequest {
			t.Fatalf("attempt %d: %d %s, want 400", i+1, res.status, res.body)
		}
	}
	res := postJSON(t, url, `{"identity":"host@example.com","password":"1234567890"}`, "")
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("attempt 4: %d %s, want 429", res.status, res.body)
	}
	// The password reset route has a limit of its own.
	reset := srv.URL + "/api/collections/users/request-password-reset"
	for i := range cfg.RateMail.Max {
		if res := postJSON(t, reset, `{"email":"host@example.com"}`, ""); res.status != http.StatusNoContent {
			t.Fatalf("reset %d: %d %s, want 204", i+1, res.status, res.body)
		}
	}
	if res := postJSON(t, reset, `{"email":"host@example.com"}`, ""); res.status != http.StatusTooManyRequests {
		t.Fatalf("reset %d: %d %s, want 429", cfg.RateMail.Max+1, res.status, res.body)
	}
}

// A 2,000-person hall behind one address joins within a minute with the
// default limits; the join limit still applies (scaled down here).
func TestJoinRateLimitPerIP(t *testing.T) {
	t.Run("a hall behind one address", func(t *testing.T) {
		hall := 2000
		if testing.Short() {
			hall = 300
		}
		w := newWorld(t, config.Default())
		defer w.app.Cleanup()
		srv := startServer(t, w.app)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for {
					i := next.Add(1)
					if i > int64(hall) {
						return
					}
					res := postJSON(t, srv.URL+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"P%04d"}`, codeOf(w.s1), i), "")
					if res.status != http.StatusOK {
						t.Errorf("join %d: %d %s", i, res.status, res.body)
						return
					}
				}
			})
		}
		wg.Wait()
	})
	t.Run("over the limit", func(t *testing.T) {
		cfg := config.Default()
		cfg.RateJoin = config.Rate{Max: 5, Per: time.Minute}
		w := newWorld(t, cfg)
		defer w.app.Cleanup()
		srv := startServer(t, w.app)
		for i := range 5 {
			res := postJSON(t, srv.URL+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"P%d"}`, codeOf(w.s1), i), "")
			if res.status != http.StatusOK {
				t.Fatalf("join %d: %d %s", i+1, res.status, res.body)
			}
		}
		res := postJSON(t, srv.URL+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"P6"}`, codeOf(w.s1)), "")
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("join 6: %d %s, want 429", res.status, res.body)
		}
		// Superusers are not limited (PocketBase's rule).
		res = postJSON(t, srv.URL+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"P7"}`, codeOf(w.s1)), token(t, w.root))
		if res.status != http.StatusOK {
			t.Fatalf("superuser join: %d %s", res.status, res.body)
		}
	})
}
