package hooks_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"conflicto/config"
)

func TestLiveRealtimeCoalescesAndDeliversFinalState(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)

	screen := openSSE(t, base) // anonymous, canonical topic
	phone := openSSE(t, base)  // Ada, lower-case code as typed
	other := openSSE(t, base)  // a screen of S2
	screen.subscribe(t, base, "", "live/"+code)
	phone.subscribe(t, base, w.headers(t, actorParticipant)["Authorization"], "live/"+strings.ToLower(code))
	other.subscribe(t, base, "", "live/"+codeOf(w.s2))

	// Every subscriber gets the current state right away.
	for _, cl := range []struct {
		c     *sseClient
		topic string
		count int
	}{{screen, "live/" + code, 2}, {phone, "live/" + strings.ToLower(code), 2}, {other, "live/" + codeOf(w.s2), 1}} {
		ev := cl.c.next(t, 5*time.Second)
		if ev.name != cl.topic {
			t.Fatalf("welcome event %q, want %q", ev.name, cl.topic)
		}
		if s := decodeLive(t, []byte(ev.data)); s.Participants.Count != cl.count {
			t.Fatalf("welcome on %s: count %d, want %d", cl.topic, s.Participants.Count, cl.count)
		}
	}
	time.Sleep(300 * time.Millisecond) // a quiet period: the burst starts a new window

	const joins = 20
	for i := range joins {
		res := postJSON(t, base+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"Guest %d"}`, code, i), "")
		if res.status != http.StatusOK {
			t.Fatalf("join %d: %d %s", i, res.status, res.body)
		}
		time.Sleep(15 * time.Millisecond)
	}

	for _, cl := range []struct {
		name  string
		c     *sseClient
		topic string
	}{{"screen", screen, "live/" + code}, {"phone", phone, "live/" + strings.ToLower(code)}} {
		got := cl.c.drain(time.Second)
		if len(got) == 0 || len(got) > joins/2 {
			t.Fatalf("%s: %d messages for %d joins, want a few", cl.name, len(got), joins)
		}
		t.Logf("%s: %d messages for %d joins", cl.name, len(got), joins)
		var last liveState
		for i, ev := range got {
			if ev.name != cl.topic {
				t.Fatalf("%s: event %q, want %q", cl.name, ev.name, cl.topic)
			}
			s := decodeLive(t, []byte(ev.data))
			if s.Me != nil {
				t.Fatalf("%s: the topic carries a `me`: %s", cl.name, ev.data)
			}
			if i > 0 {
				// 200 ms on the server; the allowance is for the
				// stream's own jitter (a slow write shortens the next gap).
				if gap := ev.at.Sub(got[i-1].at); gap < 150*time.Millisecond {
					t.Fatalf("%s: messages %d and %d only %v apart", cl.name, i-1, i, gap)
				}
				if s.Version <= last.Version {
					t.Fatalf("%s: version %d after %d", cl.name, s.Version, last.Version)
				}
			}
			last = s
		}
		if last.Participants.Count != 2+joins {
			t.Fatalf("%s: last message says %d participants, want %d", cl.name, last.Participants.Count, 2+joins)
		}
	}
	if got := other.drain(300 * time.Millisecond); len(got) != 0 {
		t.Fatalf("a subscriber of S2 got %d messages about S1", len(got))
	}
}

// TestLiveRealtimeFanOutCost subscribes many in-process clients and checks
// that one change costs a handful of queries and one marshalled document,
// whatever the number of subscribers.
func TestLiveRealtimeFanOutCost(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	topic := "live/" + codeOf(w.s1)

	const n = 300
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	received := make([][]subscriptions.Message, n)
	for i := range n {
		cl := subscriptions.NewDefaultClient()
		cl.Subscribe(topic)
		w.app.SubscriptionsBroker().Register(cl)
		// Unregistering discards the client: a later send returns at once.
		defer w.app.SubscriptionsBroker().Unregister(cl.Id())
		wg.Go(func() {
			for {
				select {
				case m := <-cl.Channel():
					mu.Lock()
					received[i] = append(received[i], m)
					mu.Unlock()
				case <-ctx.Done():
					return
				}
			}
		})
	}

	db, ok := w.app.ConcurrentDB().(*dbx.DB)
	if !ok {
		t.Fatalf("concurrent db is %T", w.app.ConcurrentDB())
	}
	var queries atomic.Int64
	prevQuery := db.QueryLogFunc
	db.QueryLogFunc = func(ctx context.Context, d time.Duration, sql string, rows *sql.Rows, err error) {
		queries.Add(1)
		if prevQuery != nil {
			prevQuery(ctx, d, sql, rows, err)
		}
	}
	defer func() { db.QueryLogFunc = prevQuery }()

	before := queries.Load()
	createParticipant(t, w.app, w.s1, "Cat")
	deadline := time.Now().Add(5 * time.Second)
	for {
		time.Sleep(50 * time.Millisecond)
		done := true
		mu.Lock()
		for i := range received {
			done = done && len(received[i]) > 0
		}
		mu.Unlock()
		if done || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	wg.Wait()

	var first []byte
	for i, msgs := range received {
		if len(msgs) != 1 {
			t.Fatalf("client %d got %d messages, want 1", i, len(msgs))
		}
		m := msgs[0]
		if m.Name != topic || !strings.Contains(string(m.Data), `"participants":{"count":3}`) {
			t.Fatalf("client %d got %s %s", i, m.Name, m.Data)
		}
		if first == nil {
			first = m.Data
		} else if &first[0] != &m.Data[0] {
			t.Fatalf("client %d got its own copy of the document: marshalled per subscriber", i)
		}
	}
	// The save's own queries plus one build (session, counts, current
	// activity): nothing per subscriber.
	t.Logf("%d queries for the change and its broadcast to %d subscribers", queries.Load()-before, n)
	if q := queries.Load() - before; q > 30 {
		t.Fatalf("%d queries for one change to %d subscribers", q, n)
	}
}
