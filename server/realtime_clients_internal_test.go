package server

import (
	"errors"
	"maps"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// realtimeClient's subscription index must answer exactly as PocketBase's
// DefaultClient does.
func TestRealtimeClientIndexMatchesDefaultClient(t *testing.T) {
	subs := [][]string{
		nil,
		{"live/ABCDEF"},
		{"responses/*"},
		{"responses/abc123", `sessions/*?options={"query":{"a":"1"}}`},
		{"responses"},
		{"pbc_123/*", "live/ZZZZZZ?options={}"},
	}
	prefixes := []string{
		"responses/*?", "responses/abc123?", "responses?", "sessions/*?", "pbc_123/*?",
		"live/ABCDEF?", "live", "resp", "responsesX/*?", "",
	}
	for _, set := range subs {
		plain := subscriptions.NewDefaultClient()
		indexed := newRealtimeClient(subscriptions.NewDefaultClient(), realtimeQueue)
		plain.Subscribe(set...)
		indexed.Subscribe(set...)
		for _, p := range prefixes {
			want, got := plain.Subscriptions(p), indexed.Subscriptions(p)
			if len(want) != len(got) || (len(want) > 0 && !maps.Equal(keys(want), keys(got))) {
				t.Fatalf("subscriptions %v, prefix %q: got %v, want %v", set, p, got, want)
			}
		}
		if len(indexed.Subscriptions()) != len(plain.Subscriptions()) {
			t.Fatalf("subscriptions %v: all differ", set)
		}
		indexed.Unsubscribe()
		if got := indexed.Subscriptions("live/ABCDEF?"); len(got) != 0 {
			t.Fatalf("after unsubscribing all: %v", got)
		}
	}
}

func keys(m map[string]subscriptions.SubscriptionOptions) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func BenchmarkSubscriptionsMiss(b *testing.B) {
	for _, tc := range []struct {
		name   string
		client subscriptions.Client
	}{
		{"default", subscriptions.NewDefaultClient()},
		{"indexed", newRealtimeClient(subscriptions.NewDefaultClient(), realtimeQueue)},
	} {
		tc.client.Subscribe("live/ABCDEF")
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				tc.client.Subscriptions("responses/*?")
			}
		})
	}
}

// Send never blocks: a client nobody reads from takes a queue's worth of
// messages, in order, and is dropped at the next one — once — after which
// sends are ignored and its loop sees the queue closed.
func TestSendNeverBlocksAndDropsTheLaggard(t *testing.T) {
	c := newRealtimeClient(subscriptions.NewDefaultClient(), 4)
	drops := 0
	c.onDrop = func(*realtimeClient) { drops++ }
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 10 {
			c.Send(subscriptions.Message{Name: "live/ABC234", Data: []byte{byte('0' + i)}})
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Send blocked on a client that does not read")
	}
	if drops != 1 || !c.IsDiscarded() || !c.dropped.Load() {
		t.Fatalf("drops %d, discarded %v: want the client dropped once", drops, c.IsDiscarded())
	}
	var got []byte
	for m := range c.Channel() { // ends: the queue is closed
		got = append(got, m.Data...)
	}
	if string(got) != "0123" {
		t.Fatalf("queued %q, want the first 4 messages in order", got)
	}
}

// A client that reads keeps up, however many messages go through.
func TestSendToAReader(t *testing.T) {
	c := newRealtimeClient(subscriptions.NewDefaultClient(), 4)
	c.onDrop = func(*realtimeClient) { t.Error("a reading client was dropped") }
	got := make(chan int)
	go func() {
		n := 0
		for range c.Channel() {
			n++
		}
		got <- n
	}()
	for range 1000 {
		c.Send(subscriptions.Message{Name: "x"})
		for len(c.queue) > 2 { // a reader that keeps up
			runtime.Gosched()
		}
	}
	c.Discard()
	if n := <-got; n != 1000 {
		t.Fatalf("the reader got %d messages, want 1000", n)
	}
}

// Discarding while others send neither panics nor races (run with -race).
func TestDiscardWhileSending(t *testing.T) {
	for range 20 {
		c := newRealtimeClient(subscriptions.NewDefaultClient(), 8)
		c.onDrop = func(*realtimeClient) {}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 50 {
					c.Send(subscriptions.Message{Name: "x"})
				}
			})
		}
		wg.Go(c.Discard)
		wg.Wait()
		c.Send(subscriptions.Message{Name: "after"})
	}
}

// The connect hook wraps PocketBase's client, and a client dropped for
// falling behind leaves the broker, so broadcasts stop looking at it.
func TestConnectWrapsAndDropUnregisters(t *testing.T) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	registerRealtimeClients(app, 0)
	event := &core.RealtimeConnectRequestEvent{Client: subscriptions.NewDefaultClient(), RequestEvent: requestEvent(app)}
	err := app.OnRealtimeConnectRequest().Trigger(event, func(e *core.RealtimeConnectRequestEvent) error {
		c, ok := e.Client.(*realtimeClient)
		if !ok {
			t.Fatalf("client is %T, want *realtimeClient", e.Client)
		}
		app.SubscriptionsBroker().Register(c)
		for range realtimeQueue + 1 {
			c.Send(subscriptions.Message{Name: "x"})
		}
		if _, err := app.SubscriptionsBroker().ClientById(c.Id()); err == nil {
			t.Fatal("a dropped client is still registered")
		}
		// Its loop would now stop before writing the rest.
		msg := &core.RealtimeMessageEvent{Client: c, Message: &subscriptions.Message{Name: "x"}, RequestEvent: e.RequestEvent}
		wrote := false
		err := app.OnRealtimeMessageSend().Trigger(msg, func(*core.RealtimeMessageEvent) error {
			wrote = true
			return nil
		})
		if !errors.Is(err, errDropped) || wrote {
			t.Fatalf("message send after the drop: %v (written %v), want errDropped", err, wrote)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func requestEvent(app core.App) *core.RequestEvent {
	e := &core.RequestEvent{App: app}
	e.Response = httptest.NewRecorder()
	e.Request = httptest.NewRequest("GET", "/api/realtime", nil)
	return e
}

// deadlines records the write deadlines set on a connection.
type deadlines struct {
	mu  sync.Mutex
	set []time.Time
}

func (d *deadlines) SetWriteDeadline(t time.Time) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.set = append(d.set, t)
	return nil
}

func (d *deadlines) calls() []time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.set)
}

// Every write starts with at least half the write timeout ahead of it, but
// the deadline moves only when less is left; the end of the loop lifts it
// for the connection's next request, except after a drop, whose hang-up
// stays and whose later messages are refused without moving it.
func TestWriteDeadlineMovesOnlyWhenHalfIsLeft(t *testing.T) {
	const timeout = 10 * time.Second
	t0 := time.Now()
	conn := &deadlines{}
	c := newRealtimeClient(subscriptions.NewDefaultClient(), realtimeQueue)
	c.writeTimeout, c.conn = timeout, conn

	steps := []struct {
		at   time.Duration
		want []time.Time
	}{
		{0, []time.Time{t0.Add(timeout)}},                                      // the first write sets one
		{timeout / 2, []time.Time{t0.Add(timeout)}},                            // half left: kept
		{timeout/2 + 1, []time.Time{t0.Add(timeout), t0.Add(timeout*3/2 + 1)}}, // less: moved
		{timeout, []time.Time{t0.Add(timeout), t0.Add(timeout*3/2 + 1)}},       // 5 s left again: kept
	}
	for _, s := range steps {
		if err := c.beforeWrite(t0.Add(s.at)); err != nil {
			t.Fatalf("write at +%v: %v", s.at, err)
		}
		if got := conn.calls(); !slices.Equal(got, s.want) {
			t.Fatalf("after a write at +%v: deadlines %v, want %v", s.at, got, s.want)
		}
	}
	c.loopEnded()
	if got := conn.calls(); len(got) != 3 || !got[2].IsZero() {
		t.Fatalf("the end of the loop did not lift the deadline: %v", got)
	}

	dropped := &deadlines{}
	d := newRealtimeClient(subscriptions.NewDefaultClient(), realtimeQueue)
	d.writeTimeout, d.conn = timeout, dropped
	if err := d.beforeWrite(t0); err != nil {
		t.Fatal(err)
	}
	d.drop()
	if err := d.beforeWrite(t0.Add(timeout)); !errors.Is(err, errDropped) {
		t.Fatalf("a write after the drop: %v, want errDropped", err)
	}
	d.loopEnded()
	got := dropped.calls()
	if len(got) != 2 || got[1].IsZero() || !got[1].Before(t0.Add(timeout)) {
		t.Fatalf("deadlines of a dropped client %v: want its first, then the hang-up, and nothing after", got)
	}
}
