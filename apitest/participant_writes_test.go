package apitest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/logger"

	"conflicto/config"
	"conflicto/logging"
)

// writeOf sends one request and returns its status, Retry-After and body.
func writeOf(t *testing.T, method, url, body, auth string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", auth)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), string(b)
}

// A participant's 11th write within 10 s is refused with 429, Retry-After
// and the error shape; another participant behind the same address (every
// request here comes from 127.0.0.1) is not affected.
func TestParticipantWriteLimit(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	act := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	ada, bob := token(t, w.ada), token(t, w.bob)
	records := srv.URL + "/api/collections/responses/records"
	card := func(who, card string) string {
		return fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"card":%q}}`, act.Id, who, card)
	}

	status, _, body := writeOf(t, http.MethodPost, records, card(w.ada.Id, "1"), ada)
	if status != http.StatusOK {
		t.Fatalf("write 1: %d %s", status, body)
	}
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(body), &created); err != nil || created.ID == "" {
		t.Fatalf("created: %s", body)
	}
	for i := 2; i <= 9; i++ {
		status, _, body := writeOf(t, http.MethodPatch, records+"/"+created.ID, `{"value":{"card":"2"}}`, ada)
		if status != http.StatusOK {
			t.Fatalf("write %d: %d %s", i, status, body)
		}
	}
	if status, _, body := writeOf(t, http.MethodPost, srv.URL+"/api/participants/heartbeat", "", ada); status != http.StatusNoContent {
		t.Fatalf("write 10 (heartbeat): %d %s", status, body)
	}

	status, retry, body := writeOf(t, http.MethodPatch, records+"/"+created.ID, `{"value":{"card":"3"}}`, ada)
	if status != http.StatusTooManyRequests {
		t.Fatalf("write 11: %d %s, want 429", status, body)
	}
	if n, err := strconv.Atoi(retry); err != nil || n < 1 || n > 10 {
		t.Fatalf("Retry-After = %q, want 1 to 10 seconds", retry)
	}
	var apiErr struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(body), &apiErr); err != nil || apiErr.Status != 429 || apiErr.Message == "" {
		t.Fatalf("429 body = %s, want the error shape", body)
	}
	if status, _, _ := writeOf(t, http.MethodPost, srv.URL+"/api/participants/heartbeat", "", ada); status != http.StatusTooManyRequests {
		t.Fatalf("heartbeat over the limit: %d, want 429", status)
	}
	// The refused write did not land.
	stored, err := w.app.FindRecordById("responses", created.ID)
	if err != nil || !strings.Contains(stored.GetString("value"), `"2"`) {
		t.Fatalf("stored value = %v (%v), want card 2", stored.GetString("value"), err)
	}

	// Bob, same address, writes as usual.
	if status, _, body := writeOf(t, http.MethodPost, records, card(w.bob.Id, "5"), bob); status != http.StatusOK {
		t.Fatalf("another participant: %d %s", status, body)
	}
	// Reads are not writes.
	if status, _, body := writeOf(t, http.MethodGet, records+"/"+created.ID, "", ada); status != http.StatusOK {
		t.Fatalf("read over the write limit: %d %s", status, body)
	}
}

// With CONFLICTO_RATE_LIMITS=false there is no per-participant limit.
func TestParticipantWriteLimitOff(t *testing.T) {
	cfg := config.Default()
	cfg.RateLimits = false
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	ada := token(t, w.ada)
	for i := range 15 {
		if status, _, body := writeOf(t, http.MethodPost, srv.URL+"/api/participants/heartbeat", "", ada); status != http.StatusNoContent {
			t.Fatalf("heartbeat %d: %d %s", i+1, status, body)
		}
	}
}

// A participant who writes again before the Retry-After of a refusal has
// passed is ignoring it, as a flooding script does: the first refusal
// leaves at once and is logged; the repeated ones are held and paced (one
// per 100 ms per participant), still 429 with Retry-After, and leave no
// request-log line and no entry in PocketBase's activity log.
func TestRepeatedRefusalsAreHeldAndQuiet(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorldOn(t, newTestAppWithLogger(t, cfg, logging.New(logs, slog.LevelInfo, config.LogFormatJSON)))
	defer w.app.Cleanup()
	w.app.Settings().Logs.MaxDays = 1 // test apps keep no activity log
	srv := startServer(t, w.app)
	ada := token(t, w.ada)
	heartbeat := srv.URL + "/api/participants/heartbeat"
	for i := range 10 {
		if status, _, body := writeOf(t, http.MethodPost, heartbeat, "", ada); status != http.StatusNoContent {
			t.Fatalf("heartbeat %d: %d %s", i+1, status, body)
		}
	}
	refuse := func(n int) (took time.Duration) {
		start := time.Now()
		status, retry, body := writeOf(t, http.MethodPost, heartbeat, "", ada)
		took = time.Since(start)
		secs, err := strconv.Atoi(retry)
		if status != http.StatusTooManyRequests || err != nil || secs < 1 || !strings.Contains(body, `"retry_after":`) {
			t.Errorf("heartbeat %d: %d, Retry-After %q, %s; want 429 with Retry-After", n, status, retry, body)
		}
		return took
	}
	refuse(11)
	// Ten more at once, before the first refusal's Retry-After: each is
	// still 429 with Retry-After, but they leave one per 100 ms, not in a
	// burst, so the last waits about a second.
	var mu sync.Mutex
	var took []time.Duration
	var wg sync.WaitGroup
	for n := 12; n <= 21; n++ {
		wg.Go(func() {
			d := refuse(n)
			mu.Lock()
			took = append(took, d)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(took)
	if first, last := took[0], took[len(took)-1]; last < 800*time.Millisecond || last-first < 600*time.Millisecond {
		t.Fatalf("ten repeated refusals answered after %v: want them paced about 100 ms apart", took)
	}
	var refused int
	for _, line := range logs.Lines(t) {
		if line["msg"] == "request" && line["path"] == "/api/participants/heartbeat" && line["status"] == float64(429) {
			refused++
		}
	}
	if refused != 1 {
		t.Fatalf("%d request-log lines for 429s, want 1 (the first refusal; the repeated are counted in one line later)\n%s", refused, logs)
	}

	stored := activityLogCount(t, w.app, `json_extract(data, '$.status') = 429`, 1)
	if stored != 1 {
		t.Fatalf("%d activity-log entries for 429s, want 1", stored)
	}
	// The operator sees the held ones counted.
	if held := scrapeMetrics(t, srv.URL).value(t, "conflicto_rate_limit_refusals_held_total"); held != 10 {
		t.Fatalf("conflicto_rate_limit_refusals_held_total = %v, want 10", held)
	}
}

// activityLogCount counts the rows of PocketBase's activity log (the
// dashboard's Logs) matching where. PocketBase adds each entry from a
// goroutine of its own and writes them in batches: it flushes until at
// least atLeast rows match (or 10 s pass), then once more for stragglers.
// The app must keep logs (Settings().Logs.MaxDays > 0; test apps keep none).
func activityLogCount(t *testing.T, app *tests.TestApp, where string, atLeast int) int {
	t.Helper()
	batch, ok := app.Logger().Handler().(*logger.BatchHandler)
	if !ok {
		t.Fatalf("PocketBase's logger handler is %T", app.Logger().Handler())
	}
	var n int
	count := func() {
		t.Helper()
		if err := batch.WriteAll(context.WithValue(context.Background(), logger.BlockKey, true)); err != nil {
			t.Fatal(err)
		}
		if err := app.AuxDB().NewQuery("SELECT COUNT(*) FROM _logs WHERE " + where).Row(&n); err != nil {
			t.Fatal(err)
		}
	}
	count()
	for deadline := time.Now().Add(10 * time.Second); n < atLeast && time.Now().Before(deadline); count() {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	count()
	return n
}

// Held refusals do not keep a shutdown waiting: when the server
// terminates, they are answered at once (the drain waits for in-flight
// requests, and a flood's queue can be seconds long).
func TestHeldRefusalsLeaveAtShutdown(t *testing.T) {
	t.Parallel()
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	ada := token(t, w.ada)
	heartbeat := srv.URL + "/api/participants/heartbeat"
	for range 11 { // ten pass, the eleventh starts the streak
		writeOf(t, http.MethodPost, heartbeat, "", ada)
	}
	// A hundred at once: paced 100 ms apart, the last would wait 10 s
	// (the longest hold), most of them 9.7 s or more after the terminate.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var last time.Time // when the last answer arrived
	for range 100 {
		wg.Go(func() {
			status, _, body := writeOf(t, http.MethodPost, heartbeat, "", ada)
			if status != http.StatusTooManyRequests {
				t.Errorf("held heartbeat: %d %s, want 429", status, body)
			}
			mu.Lock()
			if now := time.Now(); now.After(last) {
				last = now
			}
			mu.Unlock()
		})
	}
	time.Sleep(300 * time.Millisecond)
	terminated := time.Now()
	if err := w.app.OnTerminate().Trigger(&core.TerminateEvent{App: w.app}); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	// Answered at once (whatever the terminate's other hooks then take),
	// with room for a loaded machine (-race, the package's parallel
	// tests): half of what pacing alone would take.
	if took := last.Sub(terminated); took > 5*time.Second {
		t.Fatalf("the last held refusal was answered %s after the terminate: want them answered at once", took)
	}
}
