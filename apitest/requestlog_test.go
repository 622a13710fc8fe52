package apitest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"conflicto/config"
	"conflicto/logging"
	"conflicto/server"
)

// logBuffer is a goroutine-safe io.Writer that keeps what was logged.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines decodes every line written so far; each must be one JSON object.
func (b *logBuffer) Lines(t testing.TB) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not one JSON object: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestRequestLog(t *testing.T) {
	t.Parallel()

	scenarios := []struct {
		scenario tests.ApiScenario
		asAdmin  bool
		want     *wantLine // nil: the request must log nothing
	}{
		{
			scenario: tests.ApiScenario{
				Name:            "anonymous list, query kept in the path",
				Method:          http.MethodGet,
				URL:             "/api/collections/users/records?page=2&perPage=5",
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"items":[]`},
			},
			want: &wantLine{level: "INFO", method: "GET", path: "/api/collections/users/records?page=2&perPage=5", status: 200},
		},
		{
			scenario: tests.ApiScenario{
				Name:            "authenticated request names the auth collection",
				Method:          http.MethodGet,
				URL:             "/api/collections/users/records",
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"items":[]`},
			},
			asAdmin: true,
			want:    &wantLine{level: "INFO", method: "GET", path: "/api/collections/users/records", auth: core.CollectionNameSuperusers, status: 200},
		},
		{
			scenario: tests.ApiScenario{
				Name:            "not found is logged",
				Method:          http.MethodGet,
				URL:             "/api/collections/missing/records",
				ExpectedStatus:  http.StatusNotFound,
				ExpectedContent: []string{`"status":404`},
			},
			want: &wantLine{level: "INFO", method: "GET", path: "/api/collections/missing/records", status: 404},
		},
		{
			scenario: tests.ApiScenario{
				Name:            "successful liveness probe is not logged",
				Method:          http.MethodGet,
				URL:             "/api/health",
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"code":200`},
			},
		},
		{
			scenario: tests.ApiScenario{
				Name:            "successful readiness probe is not logged",
				Method:          http.MethodGet,
				URL:             "/api/ready",
				ExpectedStatus:  http.StatusOK,
				ExpectedContent: []string{`"status":"ready"`},
			},
		},
		{
			scenario: tests.ApiScenario{
				Name:   "failing readiness probe is logged as an error",
				Method: http.MethodGet,
				URL:    "/api/ready",
				BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
					if err := app.ConcurrentDB().(*dbx.DB).Close(); err != nil {
						t.Fatalf("close the read pool: %v", err)
					}
				},
				ExpectedStatus:  http.StatusServiceUnavailable,
				ExpectedContent: []string{`"status":"unavailable"`},
			},
			want: &wantLine{level: "ERROR", method: "GET", path: "/api/ready", status: 503},
		},
		{
			scenario: tests.ApiScenario{
				Name:   "a plain error from a handler is a fault, logged with the status sent",
				Method: http.MethodPost,
				URL:    "/test/fault?x=1",
				BeforeTestFunc: func(t testing.TB, _ *tests.TestApp, e *core.ServeEvent) {
					e.Router.POST("/test/fault", func(*core.RequestEvent) error {
						return errors.New("disk on fire")
					})
				},
				ExpectedStatus:     http.StatusBadRequest,
				ExpectedContent:    []string{`"status":400`},
				NotExpectedContent: []string{"disk on fire"},
			},
			want: &wantLine{level: "ERROR", method: "POST", path: "/test/fault?x=1", status: 400, error: "disk on fire"},
		},
		{
			scenario: tests.ApiScenario{
				Name:   "a 500 carries the error",
				Method: http.MethodGet,
				URL:    "/test/internal",
				BeforeTestFunc: func(t testing.TB, _ *tests.TestApp, e *core.ServeEvent) {
					e.Router.GET("/test/internal", func(re *core.RequestEvent) error {
						return re.InternalServerError("", errors.New("db gone"))
					})
				},
				ExpectedStatus:  http.StatusInternalServerError,
				ExpectedContent: []string{`"status":500`},
			},
			want: &wantLine{level: "ERROR", method: "GET", path: "/test/internal", status: 500, error: "db gone"},
		},
	}

	for _, s := range scenarios {
		logs := &logBuffer{}
		sc := s.scenario
		sc.Headers = map[string]string{}
		sc.TestAppFactory = func(t testing.TB) *tests.TestApp {
			logger := logging.New(logs, slog.LevelInfo, config.LogFormatJSON)
			return newTestAppWithLogger(t, config.Default(), logger)
		}
		before := sc.BeforeTestFunc
		sc.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			if s.asAdmin {
				sc.Headers["Authorization"] = superuserToken(t, app)
			}
			if before != nil {
				before(t, app, e)
			}
			logs.Reset() // only the request's own lines count
		}
		sc.AfterTestFunc = func(t testing.TB, _ *tests.TestApp, _ *http.Response) {
			// No sleep: the line must be written by the time the response is.
			lines := logs.Lines(t)
			if s.want == nil {
				if len(lines) != 0 {
					t.Fatalf("want no log line, got %v", lines)
				}
				return
			}
			if len(lines) != 1 {
				t.Fatalf("want exactly one log line, got %d: %v", len(lines), lines)
			}
			checkRequestLine(t, lines[0], *s.want)
		}
		sc.Test(t)
	}
}

// wantLine describes the one line a request must produce.
type wantLine struct {
	level, method, path, auth, error string
	status                           int
}

func checkRequestLine(t testing.TB, line map[string]any, want wantLine) {
	t.Helper()

	ts, _ := line["time"].(string)
	parsed, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		t.Fatalf("time %q is not RFC 3339: %v", ts, err)
	}
	if !strings.HasSuffix(ts, "Z") || parsed.Location() != time.UTC {
		t.Fatalf("time %q is not UTC", ts)
	}
	if d := time.Since(parsed); d < 0 || d > time.Minute {
		t.Fatalf("time %q is not now", ts)
	}

	for key, v := range map[string]string{
		"level":  want.level,
		"msg":    "request",
		"method": want.method,
		"path":   want.path,
	} {
		if line[key] != v {
			t.Fatalf("%s = %v, want %q (line %v)", key, line[key], v, line)
		}
	}
	if status, _ := line["status"].(float64); int(status) != want.status {
		t.Fatalf("status = %v, want %d", line["status"], want.status)
	}
	if d, ok := line["duration_ms"].(float64); !ok || d < 0 {
		t.Fatalf("duration_ms = %v, want a non-negative number", line["duration_ms"])
	}
	if ip, _ := line["remote_ip"].(string); ip != "192.0.2.1" { // httptest.NewRequest's client
		t.Fatalf("remote_ip = %v, want 192.0.2.1", line["remote_ip"])
	}

	auth, hasAuth := line["auth"]
	switch {
	case want.auth == "" && hasAuth:
		t.Fatalf("anonymous request logged auth %v", auth)
	case want.auth != "" && auth != want.auth:
		t.Fatalf("auth = %v, want %q", auth, want.auth)
	}

	errText, _ := line["error"].(string)
	switch {
	case want.error == "" && errText != "":
		t.Fatalf("unexpected error %q in line", errText)
	case want.error != "" && !strings.Contains(errText, want.error):
		t.Fatalf("error = %q, want it to contain %q", errText, want.error)
	}
}

// superuserToken creates a superuser in app and returns an auth token for it.
func superuserToken(t testing.TB, app core.App) string {
	t.Helper()
	if _, err := server.EnsureSuperuser(app, "ops@example.com", "a-long-password", false); err != nil {
		t.Fatalf("create superuser: %v", err)
	}
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, "ops@example.com")
	if err != nil {
		t.Fatalf("find superuser: %v", err)
	}
	token, err := record.NewAuthToken()
	if err != nil {
		t.Fatalf("superuser token: %v", err)
	}
	return token
}

// The audience's successful requests (a participant's, a guest's on the
// pages and the public live and join routes) stay out of PocketBase's
// activity log, which otherwise grows by a row per answer, heartbeat and
// live read; their refusals, and hosts' requests, are logged as before.
func TestAudienceSuccessesStayOutOfTheActivityLog(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	w.app.Settings().Logs.MaxDays = 1 // test apps keep no activity log
	srv := startServer(t, w.app)
	ada := token(t, w.ada)
	host := w.headers(t, actorOwner)["Authorization"]

	requests := []struct {
		method, path, body, auth string
		status                   int
		logged                   bool
	}{
		{http.MethodPost, "/api/participants/heartbeat", "", ada, http.StatusNoContent, false},
		{http.MethodGet, "/api/live/" + codeOf(w.s1), "", "", http.StatusOK, false},
		{http.MethodGet, "/api/live/" + codeOf(w.s1), "", ada, http.StatusOK, false},
		{http.MethodPost, "/api/join", `{"code":"` + codeOf(w.s1) + `","nickname":"Eve"}`, "", http.StatusOK, false},
		{http.MethodGet, "/api/health", "", "", http.StatusOK, false},
		{http.MethodPost, "/api/collections/responses/records", `{"activity":"nosuchactivity1","participant":"` + w.ada.Id + `","value":{}}`, ada, http.StatusBadRequest, true},
		{http.MethodPatch, "/api/collections/sessions/records/" + w.s1.Id, `{"description":"logged"}`, host, http.StatusOK, true},
		{http.MethodGet, "/api/collections/sessions/records", "", "", http.StatusOK, true},
	}
	want := 0
	for _, r := range requests {
		res := doJSON(t, r.method, srv.URL+r.path, r.body, r.auth)
		if res.status != r.status {
			t.Fatalf("%s %s: %d %s, want %d", r.method, r.path, res.status, res.body, r.status)
		}
		if r.logged {
			want++
		}
	}
	got := activityLogCount(t, w.app, `json_extract(data, '$.type') = 'request'`, want)
	if got != want {
		var urls []string
		_ = w.app.AuxDB().NewQuery(`SELECT json_extract(data, '$.method') || ' ' || json_extract(data, '$.url') FROM _logs`).Column(&urls)
		t.Fatalf("%d requests in the activity log, want %d (the refusal and the hosts' and guests' record reads): %q", got, want, urls)
	}
}
