package apitest_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
)

// Helpers of the results, leaderboard, live and export tests.

// reveal sets an activity's revealed switch through app.Save.
func reveal(t testing.TB, app *tests.TestApp, act *core.Record, revealed bool) {
	t.Helper()
	act.Set(c.ActivityRevealed, revealed)
	if err := app.Save(act); err != nil {
		t.Fatalf("reveal %s: %v", act.Id, err)
	}
}

// expire ends an active activity through app.Save.
func expire(t testing.TB, app *tests.TestApp, act *core.Record) {
	t.Helper()
	act.Set(c.ActivityStatus, string(c.ActivityExpired))
	if err := app.Save(act); err != nil {
		t.Fatalf("expire %s: %v", act.Id, err)
	}
}

func codeOf(s *core.Record) string { return s.GetString(c.SessionCode) }

// sseEvent is one server-sent event as a client received it.
type sseEvent struct {
	name string
	data string
	at   time.Time
}

// sseClient is a real realtime connection: GET /api/realtime, read as a
// stream of events.
type sseClient struct {
	id     string
	events chan sseEvent
	body   io.Closer
}

// openSSE connects to baseURL's realtime endpoint and waits for PB_CONNECT.
func openSSE(t testing.TB, baseURL string) *sseClient {
	t.Helper()
	res, err := http.Get(baseURL + "/api/realtime")
	if err != nil {
		t.Fatalf("realtime connect: %v", err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("realtime connect: status %d", res.StatusCode)
	}
	cl := &sseClient{events: make(chan sseEvent, 1000), body: res.Body}
	t.Cleanup(func() { res.Body.Close() })
	go func() {
		defer close(cl.events)
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ev.at = time.Now()
					cl.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event:"):
				ev.name = strings.TrimPrefix(line, "event:")
			case strings.HasPrefix(line, "data:"):
				ev.data += strings.TrimPrefix(line, "data:")
			}
		}
	}()
	connect := cl.next(t, 5*time.Second)
	if connect.name != "PB_CONNECT" {
		t.Fatalf("first event = %q, want PB_CONNECT", connect.name)
	}
	var body struct {
		ClientID string `json:"clientId"`
	}
	if err := json.Unmarshal([]byte(connect.data), &body); err != nil || body.ClientID == "" {
		t.Fatalf("PB_CONNECT data %q: %v", connect.data, err)
	}
	cl.id = body.ClientID
	return cl
}

// subscribe sets the client's subscriptions, with an optional auth token.
func (cl *sseClient) subscribe(t testing.TB, baseURL, auth string, topics ...string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"clientId": cl.id, "subscriptions": topics})
	res := postJSON(t, baseURL+"/api/realtime", string(body), auth)
	if res.status != http.StatusNoContent {
		t.Fatalf("subscribe %v: status %d: %s", topics, res.status, res.body)
	}
}

// next waits for the next event.
func (cl *sseClient) next(t testing.TB, timeout time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-cl.events:
		if !ok {
			t.Fatalf("realtime stream closed")
		}
		return ev
	case <-time.After(timeout):
		t.Fatalf("no realtime event within %v", timeout)
	}
	return sseEvent{}
}

// drain collects the events that arrive until quiet has passed without one.
func (cl *sseClient) drain(quiet time.Duration) []sseEvent {
	var got []sseEvent
	for {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				return got
			}
			got = append(got, ev)
		case <-time.After(quiet):
			return got
		}
	}
}

// arrived returns the events received so far, without waiting.
func (cl *sseClient) arrived() []sseEvent {
	var got []sseEvent
	for {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				return got
			}
			got = append(got, ev)
		default:
			return got
		}
	}
}

// liveState is the part of the live document the tests look at.
type liveState struct {
	Session struct {
		ID, Title, Status, Code string
		JoinURL                 string `json:"join_url"`
	} `json:"session"`
	Participants struct {
		Count int `json:"count"`
	} `json:"participants"`
	Activity    map[string]any   `json:"activity"`
	Results     map[string]any   `json:"results"`
	Leaderboard []map[string]any `json:"leaderboard"`
	Version     int64            `json:"version"`
	Me          *struct {
		ID       string          `json:"id"`
		Nickname string          `json:"nickname"`
		Answer   json.RawMessage `json:"answer"`
	} `json:"me"`
}

func decodeLive(t testing.TB, data []byte) liveState {
	t.Helper()
	var s liveState
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("decode live state %s: %v", data, err)
	}
	return s
}
