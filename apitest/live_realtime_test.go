package apitest_test

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
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	c "conflicto/collections"
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
	// Joins until the screen has had a few messages: a burst over several
	// intervals, however fast the joins go.
	var seen []sseEvent
	joins := 0
	for ; joins < 20 || len(seen) < 3; joins++ {
		if joins == 2000 {
			t.Fatalf("%d joins, and the screen got %d messages", joins, len(seen))
		}
		res := postJSON(t, base+"/api/join", fmt.Sprintf(`{"code":%q,"nickname":"Guest %d"}`, code, joins), "")
		if res.status != http.StatusOK {
			t.Fatalf("join %d: %d %s", joins, res.status, res.body)
		}
		seen = append(seen, screen.arrived()...)
	}

	for _, cl := range []struct {
		name  string
		c     *sseClient
		seen  []sseEvent
		topic string
	}{{"screen", screen, seen, "live/" + code}, {"phone", phone, nil, "live/" + strings.ToLower(code)}} {
		got := append(cl.seen, cl.c.drain(time.Second)...)
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
	arrivals := make(chan struct{}, 2*n) // one per message
	for i := range n {
		cl := subscriptions.NewDefaultClient()
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
					select {
					case arrivals <- struct{}{}:
					case <-ctx.Done():
						return
					}
				case <-ctx.Done():
					return
				}
			}
		})
		// Its welcome is taken by the reader above (and dropped below).
		subscribeInProcess(t, w.app, cl, topic)
	}
	// arrived waits for n more messages, one per client if none got two.
	arrived := func(what string) {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for k := range n {
			select {
			case <-arrivals:
			case <-timeout:
				t.Fatalf("%s: %d of %d clients got a message", what, k, n)
			}
		}
	}

	// The world's own writes may still have a delivery in flight (the
	// coalescing timer fires up to an interval after them, later on a loaded
	// machine): wait until the clients have been quiet for a while, then
	// count from a clean slate.
	for quiet := false; !quiet; {
		select {
		case <-arrivals:
		case <-time.After(400 * time.Millisecond):
			quiet = true
		}
	}
	mu.Lock()
	received = make([][]subscriptions.Message, n)
	mu.Unlock()

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
	arrived("the join")
	spent := queries.Load() - before
	// A second change: had the first gone out twice to anyone, the
	// duplicate would come before this one (versions only grow per client).
	createParticipant(t, w.app, w.s1, "Dan")
	arrived("the second join")
	cancel()
	wg.Wait()

	var first []byte
	for i, msgs := range received {
		if len(msgs) != 2 {
			t.Fatalf("client %d got %d messages for two changes, want 2", i, len(msgs))
		}
		for k, count := range []string{`"participants":{"count":3}`, `"participants":{"count":4}`} {
			if m := msgs[k]; m.Name != topic || !strings.Contains(string(m.Data), count) {
				t.Fatalf("client %d, message %d: %s %s", i, k, m.Name, m.Data)
			}
		}
		m := msgs[0]
		if first == nil {
			first = m.Data
		} else if &first[0] != &m.Data[0] {
			t.Fatalf("client %d got its own copy of the document: marshalled per subscriber", i)
		}
	}
	// The save's own queries plus one build (session, counts, current
	// activity): nothing per subscriber.
	t.Logf("%d queries for the change and its broadcast to %d subscribers", spent, n)
	if spent > 30 {
		t.Fatalf("%d queries for one change to %d subscribers", spent, n)
	}
}

// The audience gets the completed state; the hub then forgets the session,
// and a reader, a new subscriber and a later change find it again.
func TestLiveRealtimeCompletedSession(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	code := codeOf(w.s1)
	screen := openSSE(t, base)
	screen.subscribe(t, base, "", "live/"+code)
	screen.next(t, 5*time.Second) // the welcome

	w.s1.Set(c.SessionStatus, string(c.SessionCompleted))
	if err := w.app.Save(w.s1); err != nil {
		t.Fatal(err)
	}
	done := decodeLive(t, []byte(screen.next(t, 5*time.Second).data))
	if done.Session.Status != "completed" || done.Participants.Count != 2 {
		t.Fatalf("the screen's last state: %+v", done)
	}

	got := decodeLive(t, liveGet(t, w, base, "/api/live/"+strings.ToLower(code), actorAnonymous, 200))
	if got.Session.Status != "completed" || got.Participants.Count != 2 || got.Version < done.Version {
		t.Fatalf("GET after the end: %+v (the screen has version %d)", got, done.Version)
	}
	late := openSSE(t, base)
	late.subscribe(t, base, "", "live/"+code)
	if s := decodeLive(t, []byte(late.next(t, 5*time.Second).data)); s.Session.Status != "completed" || s.Participants.Count != 2 {
		t.Fatalf("welcome after the end: %+v", s)
	}

	if err := w.app.Delete(w.bob); err != nil {
		t.Fatal(err)
	}
	for name, cl := range map[string]*sseClient{"screen": screen, "late subscriber": late} {
		if s := decodeLive(t, []byte(cl.next(t, 5*time.Second).data)); s.Participants.Count != 1 || s.Version <= done.Version {
			t.Fatalf("%s after a kick: %+v", name, s)
		}
	}
}

// subscribeInProcess subscribes an in-process realtime client as POST
// /api/realtime does: through the subscribe hooks, which put it in the
// live topic's index and welcome it.
func subscribeInProcess(t *testing.T, app core.App, cl subscriptions.Client, topics ...string) {
	t.Helper()
	e := &core.RealtimeSubscribeRequestEvent{RequestEvent: &core.RequestEvent{App: app}, Client: cl, Subscriptions: topics}
	err := app.OnRealtimeSubscribeRequest().Trigger(e, func(e *core.RealtimeSubscribeRequestEvent) error {
		e.Client.Unsubscribe()
		e.Client.Subscribe(e.Subscriptions...)
		return nil
	})
	if err != nil {
		t.Fatalf("subscribe to %v: %v", topics, err)
	}
}
