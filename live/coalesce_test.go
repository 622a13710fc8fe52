package live

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// The first change after a quiet period goes out at once; changes within
// the interval after it go out together, the last one included, one
// interval after the previous message; nothing goes out without a change.
func TestCoalescing(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	if got := counts(t, screen.take()); !slices.Equal(got, []int{0}) {
		t.Fatalf("welcome counts = %v, want [0]", got)
	}
	x.clock.Advance(time.Second) // quiet

	join := func() {
		x.world.set("s1", func(s *stubSession) { s.count++ })
		x.hub.MarkTally("s1")
	}
	join()
	x.clock.Advance(0)
	if got := counts(t, screen.take()); !slices.Equal(got, []int{1}) {
		t.Fatalf("leading edge counts = %v, want [1]", got)
	}

	join()
	x.clock.Advance(50 * time.Millisecond)
	join()
	x.clock.Advance(149 * time.Millisecond)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("%d messages within the interval", len(got))
	}
	x.clock.Advance(time.Millisecond)
	if got := counts(t, screen.take()); !slices.Equal(got, []int{3}) {
		t.Fatalf("counts one interval on = %v, want [3]", got)
	}

	// A burst over a second: one message per interval, the last state last.
	var sent []subscriptionsCount
	for range 50 {
		join()
		x.clock.Advance(20 * time.Millisecond)
		for _, c := range counts(t, screen.take()) {
			sent = append(sent, subscriptionsCount{x.clock.Now(), c})
		}
	}
	x.clock.Advance(time.Second)
	for _, c := range counts(t, screen.take()) {
		sent = append(sent, subscriptionsCount{x.clock.Now(), c})
	}
	if len(sent) != 5 { // one per interval over 1 s, the last join in the last
		t.Fatalf("%d messages for a 1 s burst, want 5: %v", len(sent), sent)
	}
	for i := 1; i < len(sent); i++ {
		if gap := sent[i].at.Sub(sent[i-1].at); gap < defaultInterval {
			t.Fatalf("messages %d and %d %v apart", i-1, i, gap)
		}
	}
	if last := sent[len(sent)-1].count; last != 53 {
		t.Fatalf("last message counts %d, want 53", last)
	}
	x.clock.Advance(time.Minute)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("%d messages without a change", len(got))
	}
}

type subscriptionsCount struct {
	at    time.Time
	count int
}

// A change that shows nowhere keeps the version and sends nothing; a
// reader gets the cached document without a build until the next change.
func TestNoOpChange(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	welcome := decode(t, screen.take()[0])

	x.hub.MarkDirty("s1") // e.g. the description changed
	x.clock.Advance(time.Second)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("%d messages after a change that shows nowhere", len(got))
	}
	builds := x.world.buildCount()
	for range 3 {
		snap, err := x.hub.Snapshot("s1")
		if err != nil {
			t.Fatal(err)
		}
		if snap.Version != welcome.Version {
			t.Fatalf("version %d after a no-op change, was %d", snap.Version, welcome.Version)
		}
	}
	if got := x.world.buildCount(); got != builds {
		t.Fatalf("%d builds for cached reads", got-builds)
	}
	x.world.set("s1", func(s *stubSession) { s.count = 7 })
	x.hub.MarkTally("s1")
	snap, err := x.hub.Snapshot("s1")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version <= welcome.Version || !json.Valid(snap.Data) || string(snap.JSON) == string(snap.Data) {
		t.Fatalf("after a change: version %d (was %d), %s", snap.Version, welcome.Version, snap.Data)
	}
	if want := x.clock.Now().UnixMicro(); welcome.Version < want-int64(time.Hour/time.Microsecond) {
		t.Fatalf("version %d is not seeded with the clock (%d)", welcome.Version, want)
	}
}

// A change committed while a build runs goes out in a second message: the
// trailing change is never lost.
func TestChangeDuringFlush(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	screen.take()
	x.clock.Advance(time.Second)

	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	x.world.onBuild = func(string) {
		x.world.onBuild = nil // the world's lock is not held here
		x.world.set("s1", func(s *stubSession) { s.count = 2 })
		x.hub.MarkTally("s1")
	}
	x.clock.Advance(0)
	if got := counts(t, screen.take()); len(got) != 1 {
		t.Fatalf("counts = %v, want one message", got)
	}
	x.clock.Advance(defaultInterval)
	if got := counts(t, screen.take()); !slices.Equal(got, []int{2}) {
		t.Fatalf("counts after the interval = %v, want [2]", got)
	}
}

// Tally changes of a large audience wait longer; the audience is counted
// at each delivery. Deliveries to many subscribers share one document.
func TestLargeAudience(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	phones := make([]*recorder, 2*defaultTallyStep+10)
	for i := range phones {
		phones[i] = x.subscribe("live/ABC234")
		phones[i].take()
	}
	x.clock.Advance(time.Second)

	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	x.clock.Advance(0) // the leading edge, which counts the audience
	var data []byte
	for i, p := range phones {
		got := p.take()
		if len(got) != 1 || decode(t, got[0]).Count != 1 {
			t.Fatalf("phone %d got %d messages", i, len(got))
		}
		if data == nil {
			data = got[0].Data
		} else if &data[0] != &got[0].Data[0] {
			t.Fatalf("phone %d got its own copy of the document", i)
		}
	}

	x.world.set("s1", func(s *stubSession) { s.count = 2 })
	x.hub.MarkTally("s1")
	x.clock.Advance(3*defaultInterval - time.Millisecond)
	if got := phones[0].take(); len(got) != 0 {
		t.Fatalf("a tally change to %d phones went out within %v", len(phones), 3*defaultInterval)
	}
	x.clock.Advance(time.Millisecond)
	for i, p := range phones {
		if got := counts(t, p.take()); !slices.Equal(got, []int{2}) {
			t.Fatalf("phone %d counts = %v, want [2]", i, got)
		}
	}

	// An urgent change does not wait.
	x.world.set("s1", func(s *stubSession) { s.activity = "a1"; s.count = 3 })
	x.hub.MarkDirty("s1")
	x.clock.Advance(0)
	if got := counts(t, phones[len(phones)-1].take()); !slices.Equal(got, []int{3}) {
		t.Fatalf("counts right after an urgent change = %v, want [3]", got)
	}
}

// A change the audience waits for leaves at once, even within the gap of
// a pending tally, taking the tally with it; the tallies after it are
// coalesced from it; urgent changes of one instant go out as one message.
func TestUrgentChangeLeavesAtOnce(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	screen.take()
	x.clock.Advance(time.Second)

	tally := func(n int) {
		x.world.set("s1", func(s *stubSession) { s.count = n })
		x.hub.MarkTally("s1")
	}
	tally(1)
	x.clock.Advance(0) // the leading edge
	if got := counts(t, screen.take()); !slices.Equal(got, []int{1}) {
		t.Fatalf("leading edge = %v, want [1]", got)
	}
	x.clock.Advance(10 * time.Millisecond)
	tally(2) // waits for the gap
	x.clock.Advance(10 * time.Millisecond)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("a tally within the gap went out: %d messages", len(got))
	}

	x.world.set("s1", func(s *stubSession) { s.activity = "a1"; s.count = 3 })
	x.hub.MarkDirty("s1") // a new activity
	x.hub.MarkDirty("s1") // the other half of the advance
	x.clock.Advance(0)
	if got := counts(t, screen.take()); !slices.Equal(got, []int{3}) {
		t.Fatalf("right after the new activity = %v, want one message [3]", got)
	}
	sentAt := x.clock.Now()

	tally(4) // follows the urgent change: coalesced from it
	x.clock.Advance(defaultInterval - time.Millisecond)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("a tally after the new activity went out within the gap: %d messages", len(got))
	}
	x.clock.Advance(time.Millisecond)
	if got := counts(t, screen.take()); !slices.Equal(got, []int{4}) || x.clock.Now().Sub(sentAt) != defaultInterval {
		t.Fatalf("one gap after the new activity = %v, want [4]", got)
	}

	x.world.set("s1", func(s *stubSession) { s.completed = true })
	x.clock.Advance(time.Millisecond)
	x.hub.MarkDirty("s1") // the end, 1 ms after a delivery
	x.clock.Advance(0)
	if got := screen.take(); len(got) != 1 {
		t.Fatalf("the end 1 ms after a delivery: %d messages, want 1 at once", len(got))
	}
}

// A client gets its messages under the exact name it subscribed with.
func TestAliasNames(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	names := []string{"live/ABC234", "live/abc234", `live/Abc234?options={"query":{}}`}
	var clients []*recorder
	for _, name := range names {
		clients = append(clients, x.subscribe(name))
	}
	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	x.clock.Advance(time.Second)
	for i, cl := range clients {
		got := cl.take()
		if len(got) != 2 {
			t.Fatalf("%s: %d messages, want the welcome and one change", names[i], len(got))
		}
		for _, m := range got {
			if m.Name != names[i] {
				t.Fatalf("%s: message named %q", names[i], m.Name)
			}
		}
	}

	// Other topics and malformed codes get nothing.
	for _, name := range []string{"live/ZZZZZZ", "live/ABC23", "live/O0O0O0", "responses/*", "live"} {
		if got := x.subscribe(name).take(); len(got) != 0 {
			t.Fatalf("%s: %d messages", name, len(got))
		}
	}
}

func TestTopicCode(t *testing.T) {
	for name, want := range map[string]string{
		"live/ABC234":                "ABC234",
		"live/abc234":                "ABC234",
		"live/abc234?options=%7B%7D": "ABC234",
		"live/ABC23":                 "",
		"live/ABC2345":               "",
		"LIVE/ABC234":                "",
		"responses/ABC234":           "",
	} {
		code, ok := topicCode(name)
		if ok != (want != "") || (ok && code != want) {
			t.Fatalf("topicCode(%q) = %q, %v; want %q", name, code, ok, want)
		}
	}
}
