package live

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// stalledClient is a subscriber whose Send, once armed, blocks until
// released: a client without the server's bounded queue that stopped
// reading.
type stalledClient struct {
	recorder
	armed   atomic.Bool
	entered chan struct{} // one signal per blocked send
	release chan struct{}
}

func (s *stalledClient) Send(m subscriptions.Message) {
	if s.armed.Load() {
		s.entered <- struct{}{}
		<-s.release
	}
	s.recorder.Send(m)
}

// A welcome (and a read) must not wait for a delivery in progress: even
// when a peer's send is stuck, a new subscriber gets the current document
// at once. (The server's queues keep sends from blocking; this is the
// hub's own half: no lock of the topic is held while sending.)
func TestWelcomeDoesNotWaitForAStalledPeer(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	peer := &stalledClient{
		recorder: recorder{DefaultClient: subscriptions.NewDefaultClient()},
		entered:  make(chan struct{}, 10),
		release:  make(chan struct{}),
	}
	peer.Subscribe("live/ABC234")
	x.app.SubscriptionsBroker().Register(peer)
	x.hub.Welcome(peer, "live/ABC234")
	peer.armed.Store(true)
	var once sync.Once
	unblock := func() { once.Do(func() { close(peer.release) }) }
	t.Cleanup(unblock)

	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		x.clock.Advance(time.Second) // the flush, stuck on the peer
	}()
	select {
	case <-peer.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the flush did not reach the peer")
	}

	welcomed := make(chan *recorder, 1)
	go func() { welcomed <- x.subscribe("live/ABC234") }()
	select {
	case screen := <-welcomed:
		if got := counts(t, screen.take()); !slices.Equal(got, []int{1}) {
			t.Fatalf("welcome counts = %v, want [1]", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a welcome waits for a delivery stuck on another subscriber")
	}
	if snap, err := x.hub.Snapshot("s1"); err != nil || decode(t, message(snap.Data)).Count != 1 {
		t.Fatalf("snapshot during the stuck delivery: %v", err)
	}

	unblock()
	<-flushed
	if got := counts(t, peer.take()); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("the peer got counts %v, want [0 1]", got)
	}
}

// A subscription is never sent an older version than it has, whatever the
// order deliveries and welcomes reach it in; a delivery skips a version it
// has, a welcome repeats it.
func TestSendToKeepsVersionsGrowing(t *testing.T) {
	h := New(nil, nil)
	r := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	tg := target{client: r, name: "live/ABC234"}
	snap := func(v int64) *Snapshot { return &Snapshot{Version: v, Data: []byte(strconv.FormatInt(v, 10))} }
	for _, step := range []struct {
		version int64
		welcome bool
	}{{2, false}, {1, false}, {1, true}, {2, false}, {2, true}, {3, false}} {
		h.sendTo(tg, snap(step.version), step.welcome)
	}
	var got []string
	for _, m := range r.take() {
		got = append(got, string(m.Data))
	}
	if want := []string{"2", "2", "3"}; !slices.Equal(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}

	// Concurrent deliveries of every version: what arrives only grows.
	r2 := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	tg2 := target{client: r2, name: "live/ABC234"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for v := range int64(200) {
				h.sendTo(tg2, snap(v+1), (v+int64(g))%7 == 0)
			}
		})
	}
	wg.Wait()
	last := int64(0)
	for _, m := range r2.take() {
		v, _ := strconv.ParseInt(string(m.Data), 10, 64)
		if v < last {
			t.Fatalf("version %d after %d", v, last)
		}
		last = v
	}
	if last != 200 {
		t.Fatalf("last version %d, want 200", last)
	}
}

func TestLiveTopics(t *testing.T) {
	subs := []string{"live/ABC234", "responses/*", "live/abc234", "live/ABC234", "", "live/ABC234?x=1", "LIVE/ABC234"}
	if got, want := liveTopics(subs), []string{"live/ABC234", "live/abc234", "live/ABC234?x=1"}; !slices.Equal(got, want) {
		t.Fatalf("liveTopics = %v, want %v", got, want)
	}
	many := make([]string, 1000)
	for i := range many {
		many[i] = fmt.Sprintf("live/ABC234?x=%d", i)
	}
	if got := len(liveTopics(many)); got != MaxTopicsPerClient+1 {
		t.Fatalf("%d topics listed of 1000, want %d: enough to refuse them", got, MaxTopicsPerClient+1)
	}
}

// A client that subscribes again and again, to new aliases each time,
// keeps records for its current live topics only.
func TestDeliveryRecordsFollowSubscriptions(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	r := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	x.app.SubscriptionsBroker().Register(r)
	for round := range 50 {
		names := make([]string, MaxTopicsPerClient)
		for i := range names {
			names[i] = fmt.Sprintf("live/ABC234?round=%d&x=%d", round, i)
		}
		r.Unsubscribe()
		r.Subscribe(names...)
		x.hub.keepTopics(r, names) // as the subscribe hook does
		for _, name := range names {
			x.hub.Welcome(r, name)
		}
	}
	set := r.Get(sentKey).(*sentSet)
	set.mu.Lock()
	n := len(set.byName)
	set.mu.Unlock()
	if n != MaxTopicsPerClient {
		t.Fatalf("%d delivery records after 50 rounds of %d topics, want %d", n, MaxTopicsPerClient, MaxTopicsPerClient)
	}
	if got := len(r.take()); got != 50*MaxTopicsPerClient {
		t.Fatalf("%d welcomes, want %d", got, 50*MaxTopicsPerClient)
	}
}

// looked is a realtime client that counts the looks at its subscriptions
// and its store.
type looked struct {
	recorder
	looks atomic.Int64
}

func (l *looked) HasSubscription(name string) bool {
	l.looks.Add(1)
	return l.recorder.HasSubscription(name)
}

func (l *looked) Get(key string) any {
	l.looks.Add(1)
	return l.recorder.Get(key)
}

// A change is sent to its topic's subscribers, by the names they used,
// without a look at any other realtime connection; a subscriber leaves the
// topic when a subscribe no longer names it, or when it is discarded.
func TestBroadcastLooksOnlyAtItsTopic(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.open("s2", "XYZ567")
	x.clock.Advance(0)
	var others []*looked
	for range 300 {
		l := &looked{recorder: recorder{DefaultClient: subscriptions.NewDefaultClient()}}
		l.Subscribe("live/XYZ567")
		x.app.SubscriptionsBroker().Register(l)
		x.hub.Welcome(l, "live/XYZ567")
		others = append(others, l)
	}
	screen := x.subscribe("live/ABC234")
	phone := x.subscribe("live/abc234")
	leaving := x.subscribe("live/ABC234")
	gone := x.subscribe("live/ABC234")
	for _, r := range []*recorder{screen, phone, leaving, gone} {
		r.take() // the welcomes
	}
	before := int64(0)
	for _, l := range others {
		before += l.looks.Load()
	}

	leaving.Unsubscribe()
	leaving.Subscribe("live/XYZ567")
	x.hub.keepTopics(leaving, []string{"live/XYZ567"}) // as the subscribe hook does
	x.unsubscribe(gone)
	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)

	after := int64(0)
	for _, l := range others {
		after += l.looks.Load()
	}
	if after != before {
		t.Fatalf("a change of live/ABC234 looked %d times at clients of live/XYZ567", after-before)
	}
	for name, r := range map[string]*recorder{"live/ABC234": screen, "live/abc234": phone} {
		msgs := r.take()
		if len(msgs) != 1 || msgs[0].Name != name || decode(t, msgs[0]).Count != 1 {
			t.Fatalf("subscriber of %s got %v, want one count-1 message under its own name", name, msgs)
		}
	}
	if msgs := leaving.take(); len(msgs) != 0 {
		t.Fatalf("a client that left the topic got %d messages", len(msgs))
	}
	if msgs := gone.take(); len(msgs) != 0 {
		t.Fatalf("a discarded client got %d messages", len(msgs))
	}
	if got := len(x.hub.subscribers("ABC234")); got != 2 {
		t.Fatalf("%d subscriptions to live/ABC234 indexed, want 2", got)
	}
	x.hub.Unfollow(screen)
	if got := len(x.hub.subscribers("ABC234")); got != 1 {
		t.Fatalf("%d subscriptions indexed after a connection ended, want 1", got)
	}
}

// A client discarded before its welcome (its connection ended while it
// subscribed) does not enter the index: nothing would take it out.
func TestADiscardedClientIsNotFollowed(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	r := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	r.Subscribe("live/ABC234")
	r.Discard()
	x.hub.Welcome(r, "live/ABC234")
	x.hub.listenMu.Lock()
	n, m := len(x.hub.listeners), len(x.hub.following)
	x.hub.listenMu.Unlock()
	if n != 0 || m != 0 {
		t.Fatalf("a discarded client was indexed: %d topics, %d clients", n, m)
	}
}

// A change that shows nowhere (the second activity of an advance, a
// heartbeat) is built but not broadcast: its document is the version the
// audience has.
func TestAnUnchangedDocumentIsNotBroadcast(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	s := x.subscribe("live/ABC234")
	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if got := counts(t, s.take()); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("counts %v, want [0 1]", got)
	}

	builds, stats := x.world.buildCount(), x.hub.Stats()
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if x.world.buildCount() != builds+1 {
		t.Fatalf("%d builds for the unchanged document, want 1", x.world.buildCount()-builds)
	}
	if got := x.hub.Stats(); got.Broadcasts != stats.Broadcasts || got.Sent != stats.Sent || len(s.take()) != 0 {
		t.Fatalf("the unchanged document was broadcast: %+v, before %+v", got, stats)
	}

	x.world.set("s1", func(s *stubSession) { s.count = 2 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if got := counts(t, s.take()); !slices.Equal(got, []int{2}) {
		t.Fatalf("after a real change: counts %v, want [2]", got)
	}
	if got := x.hub.Stats().Broadcasts; got != stats.Broadcasts+1 {
		t.Fatalf("broadcasts %d, want %d", got, stats.Broadcasts+1)
	}
}

// The realtime hooks keep the index: a subscribe enters a client under
// each live name (and welcomes it), a subscribe without them takes it out,
// and so does the end of its connection.
func TestRealtimeHooksKeepTheIndex(t *testing.T) {
	x := newHarness(t)
	bindRealtime(x.app, x.hub)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	subscribe := func(r *recorder, names ...string) {
		t.Helper()
		e := &core.RealtimeSubscribeRequestEvent{Client: r, Subscriptions: names}
		err := x.app.OnRealtimeSubscribeRequest().Trigger(e, func(e *core.RealtimeSubscribeRequestEvent) error {
			e.Client.Unsubscribe()
			e.Client.Subscribe(e.Subscriptions...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	indexed := func() int { return len(x.hub.subscribers("ABC234")) }

	a := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	b := &recorder{DefaultClient: subscriptions.NewDefaultClient()}
	subscribe(a, "live/ABC234", "live/abc234?options=x", "responses/*")
	subscribe(b, "live/ABC234")
	if got := indexed(); got != 3 {
		t.Fatalf("%d subscriptions indexed, want 3", got)
	}
	if got := len(a.take()); got != 2 {
		t.Fatalf("%d welcomes, want one per live name", got)
	}
	subscribe(a, "responses/*")
	if got := indexed(); got != 1 {
		t.Fatalf("%d subscriptions indexed after a subscribe without the topic, want 1", got)
	}
	err := x.app.OnRealtimeConnectRequest().Trigger(&core.RealtimeConnectRequestEvent{Client: b}, func(*core.RealtimeConnectRequestEvent) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := indexed(); got != 0 {
		t.Fatalf("%d subscriptions indexed after the connection ended, want 0", got)
	}
	x.hub.listenMu.Lock()
	n := len(x.hub.following)
	x.hub.listenMu.Unlock()
	if n != 0 {
		t.Fatalf("%d clients still followed", n)
	}
}
