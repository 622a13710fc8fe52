package server

import (
	"errors"
	"maps"
	"net/http/httptest"
	"runtime"
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
