package apitest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
	"conflicto/config"
)

// getFrom GETs url as the client at ip (through the trusted proxy header)
// and returns the status and Retry-After.
func getFrom(t *testing.T, url, ip string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", ip)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Retry-After")
}

// Guessing join codes: after N misses from one address, its lookups of
// codes it has not found get 429 on every route that looks a code up; a
// code it found keeps working, and other addresses are not affected.
func TestCodeGuessingLimit(t *testing.T) {
	cfg := config.Default()
	cfg.RateCodeMisses = config.Rate{Max: 4, Per: time.Minute}
	cfg.TrustedProxyHeaders = []string{"X-Forwarded-For"}
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	const guesser = "203.0.113.7"
	s1, s2 := codeOf(w.s1), codeOf(w.s2)

	// The guesser's hall has found S1.
	if status, _ := getFrom(t, srv.URL+"/api/live/"+s1, guesser); status != http.StatusOK {
		t.Fatalf("live of S1: %d", status)
	}
	guess := func(i int) string { return "ZZZZ" + string(c.CodeAlphabet[i%len(c.CodeAlphabet)]) + "2" }
	routes := []string{"/api/live/%s", "/api/live/%s/qr.svg", "/api/join/check?nickname=Zed&code=%s"}
	for i := range 3 {
		url := srv.URL + fmtCode(routes[i], guess(i))
		if status, _ := getFrom(t, url, guesser); status != http.StatusNotFound {
			t.Fatalf("miss %d (%s): %d, want 404", i+1, url, status)
		}
	}
	// The fourth miss through the join.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/join", stringsReader(`{"code":"`+guess(3)+`","nickname":"Zed"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", guesser)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("miss 4 (join): %d, want 404", res.StatusCode)
	}

	// The fifth is refused, as is a real code the address has not found.
	for _, code := range []string{guess(4), s2} {
		status, retry := getFrom(t, srv.URL+"/api/live/"+code, guesser)
		if status != http.StatusTooManyRequests {
			t.Fatalf("lookup of %s over the misses: %d, want 429", code, status)
		}
		if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 60 {
			t.Fatalf("Retry-After = %q", retry)
		}
	}
	// The code the hall found still works, on every route.
	for _, route := range routes {
		if status, _ := getFrom(t, srv.URL+fmtCode(route, s1), guesser); status != http.StatusOK {
			t.Fatalf("found code over the misses (%s): %d, want 200", route, status)
		}
	}
	// Another address is not affected.
	if status, _ := getFrom(t, srv.URL+"/api/live/"+s2, "198.51.100.1"); status != http.StatusOK {
		t.Fatalf("another address: %d", status)
	}
	if status, _ := getFrom(t, srv.URL+"/api/live/"+guess(5), "198.51.100.1"); status != http.StatusNotFound {
		t.Fatalf("another address's miss: %d", status)
	}
}

// A completed session's live state is served for CONFLICTO_LIVE_RETENTION
// after it ended, then it is 404 (REST and QR) and the topic welcomes no
// one; the host still has the results and the export.
func TestLiveRetention(t *testing.T) {
	for _, s := range []struct {
		name   string
		ended  time.Duration
		served bool
	}{
		{"within the retention", 30 * time.Minute, true},
		{"past the retention", 2 * time.Hour, false},
	} {
		t.Run(s.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.LiveRetention = time.Hour
			w := newWorld(t, cfg)
			defer w.app.Cleanup()
			w.s1.Set(c.SessionStatus, string(c.SessionCompleted))
			if err := w.app.Save(w.s1); err != nil {
				t.Fatal(err)
			}
			ended, _ := types.ParseDateTime(time.Now().Add(-s.ended))
			if _, err := w.app.DB().Update(c.Sessions, dbx.Params{c.SessionEndedAt: ended.String()}, dbx.HashExp{"id": w.s1.Id}).Execute(); err != nil {
				t.Fatal(err)
			}
			srv := startServer(t, w.app)
			code := codeOf(w.s1)
			want := map[bool]int{true: 200, false: 404}[s.served]
			for _, path := range []string{"/api/live/" + code, "/api/live/" + code + "/qr.svg"} {
				if res := getJSON(t, srv.URL+path, ""); res.status != want {
					t.Fatalf("%s: %d %s, want %d", path, res.status, res.body, want)
				}
			}
			// Let the live message of the completion (coalesced behind
			// the joins of the set-up) go out first.
			time.Sleep(500 * time.Millisecond)
			cl := openSSE(t, srv.URL)
			cl.subscribe(t, srv.URL, "", "live/"+code)
			got := cl.drain(300 * time.Millisecond)
			if welcomed := len(got) > 0; welcomed != s.served {
				t.Fatalf("welcome events = %d (%v), want served = %v", len(got), got, s.served)
			}
			// The host keeps the export.
			owner := token(t, w.hostA)
			if res := getJSON(t, srv.URL+"/api/sessions/"+w.s1.Id+"/export?format=json", owner); res.status != 200 {
				t.Fatalf("export: %d %s", res.status, res.body)
			}
		})
	}
}

func fmtCode(route, code string) string { return strings.Replace(route, "%s", code, 1) }

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
