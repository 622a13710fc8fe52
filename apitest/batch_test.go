package apitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"conflicto/config"
)

// enableBatch turns PocketBase's batch API on (it is off by default), as a
// host might in the dashboard.
func enableBatch(t *testing.T, w *world, maxRequests int) {
	t.Helper()
	settings := w.app.Settings()
	settings.Batch.Enabled = true
	settings.Batch.MaxRequests = maxRequests
	if err := w.app.Save(settings); err != nil {
		t.Fatal(err)
	}
}

// A batch's sub-requests skip the router's middlewares, the per-participant
// write limit included: 30 answer changes in one batch would all have been
// written. Participants are refused batches; their limit holds.
func TestParticipantCannotBypassWriteLimitWithBatch(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	enableBatch(t, w, 50)
	act := createActivity(t, w.app, w.s1, "poker", pokerConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	ada := token(t, w.ada)
	records := "/api/collections/responses/records"

	status, _, body := writeOf(t, http.MethodPost, srv.URL+records,
		fmt.Sprintf(`{"activity":%q,"participant":%q,"value":{"card":"1"}}`, act.Id, w.ada.Id), ada)
	if status != http.StatusOK {
		t.Fatalf("answer: %d %s", status, body)
	}
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(body), &created); err != nil || created.ID == "" {
		t.Fatalf("created: %s", body)
	}
	requests := make([]string, 30)
	for i := range requests {
		requests[i] = fmt.Sprintf(`{"method":"PATCH","url":"%s/%s","body":{"value":{"card":"%d"}}}`, records, created.ID, []int{2, 3, 5}[i%3])
	}
	status, _, body = writeOf(t, http.MethodPost, srv.URL+"/api/batch", `{"requests":[`+strings.Join(requests, ",")+`]}`, ada)
	if status != http.StatusForbidden {
		t.Fatalf("a participant's batch of 30 writes: %d %.300s, want 403", status, body)
	}
	stored, err := w.app.FindRecordById("responses", created.ID)
	if err != nil || stored.GetString("value") != `{"card":"1"}` {
		t.Fatalf("stored value = %s (%v), want the first answer untouched", stored.GetString("value"), err)
	}
	// A host's batch goes on (the record rules still hold inside it).
	host := w.headers(t, actorOwner)["Authorization"]
	status, _, body = writeOf(t, http.MethodPost, srv.URL+"/api/batch",
		fmt.Sprintf(`{"requests":[{"method":"PATCH","url":"/api/collections/sessions/records/%s","body":{"title":"Renamed"}}]}`, w.s1.Id), host)
	if status != http.StatusOK {
		t.Fatalf("a host's batch: %d %.300s, want 200", status, body)
	}
}

// The batch route lifts PocketBase's body limit to apply its own inside the
// handler, after the strict-body check would have read the body whole: a
// disabled batch API (the default) answers 403 without reading the body,
// and an enabled one refuses a body over its limit before reading it.
func TestBatchBodiesAreRefusedUnread(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	mux := buildMux(t, w.app)
	send := func(declared bool) (int, int64) {
		body := newCountingBody(`{"requests":[{"method":"POST","url":"/api/collections/sessions/records","body":{"title":"`, 30<<20)
		req := httptest.NewRequest(http.MethodPost, "/api/batch", nil)
		req.Body, req.ContentLength = body, -1
		if declared {
			req.ContentLength = 30 << 20
		}
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code, body.read
	}
	for _, declared := range []bool{false, true} {
		if status, read := send(declared); status != http.StatusForbidden || read != 0 {
			t.Fatalf("batch off, Content-Length %v: %d after reading %d bytes, want 403 after none", declared, status, read)
		}
	}

	enableBatch(t, w, 10)
	settings := w.app.Settings()
	settings.Batch.MaxBodySize = 64 << 10
	if err := w.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	if status, read := send(true); status != http.StatusRequestEntityTooLarge || read != 0 {
		t.Fatalf("over the batch limit, declared: %d after reading %d bytes, want 413 after none", status, read)
	}
	if status, read := send(false); status != http.StatusRequestEntityTooLarge || read > 64<<10+8<<10 {
		t.Fatalf("over the batch limit, chunked: %d after reading %d bytes, want 413 near the limit", status, read)
	}
}

// The responses create rule is checked in Go (the stored rule is empty):
// it must hold inside a batch too, whose sub-requests skip the router's
// middlewares. A guest's and a host's batch answering for Ada are refused,
// and nothing is stored.
func TestBatchKeepsTheResponsesCreateRule(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	enableBatch(t, w, 50)
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)
	srv := startServer(t, w.app)
	batch := fmt.Sprintf(`{"requests":[{"method":"POST","url":"/api/collections/responses/records","body":{"activity":%q,"participant":%q,"value":{"choices":[0]}}}]}`, act.Id, w.ada.Id)
	for _, s := range []struct {
		who, auth, want string
	}{
		{"a guest", "", `"status":401`},
		{"the host", w.headers(t, actorOwner)["Authorization"], `"status":403`},
	} {
		status, _, body := writeOf(t, http.MethodPost, srv.URL+"/api/batch", batch, s.auth)
		if status != http.StatusBadRequest || !strings.Contains(body, s.want) {
			t.Errorf("%s's batch answering for Ada: %d %.300s, want 400 with the sub-request's %s", s.who, status, body, s.want)
		}
	}
	if n, err := w.app.CountRecords("responses"); err != nil || n != 0 {
		t.Fatalf("%d responses stored (%v), want none", n, err)
	}
}
