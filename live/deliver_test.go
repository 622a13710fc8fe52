package live

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	tg := target{r, "live/ABC234"}
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
	tg2 := target{r2, "live/ABC234"}
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

// scanned is a subscriber that counts the hub's looks at its
// subscriptions and, once armed, holds a look until the hub has sent the
// change to someone else (or 5 s passed: then late is set).
type scanned struct {
	recorder
	hub   *Hub
	looks atomic.Int64
	armed atomic.Bool
	since uint64 // the hub's sent count when armed
	late  atomic.Bool
}

func (s *scanned) HasSubscription(name string) bool {
	s.looks.Add(1)
	if s.armed.Load() {
		deadline := time.Now().Add(5 * time.Second)
		for s.hub.counts.sent.Load() == s.since {
			if time.Now().After(deadline) {
				s.late.Store(true)
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
	return s.recorder.HasSubscription(name)
}

func subscribeScanned(x *harness, name string) *scanned {
	s := &scanned{recorder: recorder{DefaultClient: subscriptions.NewDefaultClient()}, hub: x.hub}
	s.Subscribe(name)
	x.app.SubscriptionsBroker().Register(s)
	x.hub.Welcome(s, name)
	return s
}

// A change's first frames leave while other connections are still being
// scanned: the scan of a chunk of clients is followed by its sends, so a
// subscriber that is slow to scan holds back only its own chunk.
func TestBroadcastSendsBeforeTheScanEnds(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	var others []*recorder
	for range 2 * deliveryChunk {
		others = append(others, x.subscribe("live/ABC234"))
	}
	slow := subscribeScanned(x, "live/ABC234")
	for _, sub := range append(others, &slow.recorder) {
		sub.take() // the welcomes
	}

	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkDirty("s1")
	slow.since = x.hub.counts.sent.Load()
	slow.armed.Store(true)
	x.clock.Advance(0)
	slow.armed.Store(false)
	if slow.late.Load() {
		t.Fatal("nothing was sent before every connection was scanned")
	}
	for i, sub := range append(others, &slow.recorder) {
		if got := counts(t, sub.take()); !slices.Equal(got, []int{1}) {
			t.Fatalf("subscriber %d got counts %v, want [1]", i, got)
		}
	}
}

// A change that shows nowhere (the second activity of an advance, a
// heartbeat) is built but costs no scan of the connections: its document
// is the version the audience has, and nothing is sent.
func TestAnUnchangedDocumentScansNoConnection(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	s := subscribeScanned(x, "live/ABC234")
	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if got := counts(t, s.take()); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("counts %v, want [0 1]", got)
	}

	looks, builds, sent := s.looks.Load(), x.world.buildCount(), x.hub.Stats().Sent
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if x.world.buildCount() != builds+1 {
		t.Fatalf("%d builds for the unchanged document, want 1", x.world.buildCount()-builds)
	}
	if got := s.looks.Load() - looks; got != 0 {
		t.Fatalf("the unchanged document looked at the subscriptions %d times, want none", got)
	}
	if got := x.hub.Stats().Sent - sent; got != 0 || len(s.take()) != 0 {
		t.Fatalf("the unchanged document was sent %d times", got)
	}

	x.world.set("s1", func(s *stubSession) { s.count = 2 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	if got := counts(t, s.take()); !slices.Equal(got, []int{2}) {
		t.Fatalf("after a real change: counts %v, want [2]", got)
	}
}
