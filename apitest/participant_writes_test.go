package apitest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"conflicto/config"
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
