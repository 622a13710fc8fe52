package live

import (
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"
)

// Sessions that complete leave the hub once their audience has the
// completed state; whatever is asked of them afterwards is rebuilt.
func TestCompletedSessionsLeaveTheHub(t *testing.T) {
	x := newHarness(t)
	const n = 1000
	screens := make([]*recorder, n)
	for i := range n {
		id, code := fmt.Sprintf("s%d", i), testCode(i)
		x.open(id, code)
		x.world.activities["a"+id] = id
		x.hub.RememberActivity("a"+id, id)
		screens[i] = x.subscribe(topicName(code))
	}
	x.clock.Advance(time.Second)
	x.size(n, n, n)

	for i := range n {
		id := fmt.Sprintf("s%d", i)
		x.world.set(id, func(s *stubSession) { s.count = 1 })
		x.hub.MarkActivity("a" + id) // an answer
		x.world.set(id, func(s *stubSession) { s.completed = true })
		x.hub.MarkDirty(id)
	}
	x.clock.Advance(time.Second)
	x.size(0, 0, 0)
	if p := x.clock.pending(); p != 0 {
		t.Fatalf("%d timers left", p)
	}
	var last liveMsg
	for i, screen := range screens {
		msgs := screen.take()
		if last = decode(t, msgs[len(msgs)-1]); last.Session.Status != "completed" || last.Count != 1 {
			t.Fatalf("screen %d: last message %s", i, msgs[len(msgs)-1].Data)
		}
	}

	// A reader and a new subscriber of a forgotten session: rebuilt, with
	// a newer version.
	id, code, screen := "s999", testCode(999), screens[999]
	snap, err := x.hub.Snapshot(id)
	if err != nil {
		t.Fatal(err)
	}
	if d := decodeData(t, snap.Data); d.Session.Status != "completed" || d.Count != 1 || d.Version <= last.Version {
		t.Fatalf("rebuilt snapshot %s, last message version %d", snap.Data, last.Version)
	}
	late := x.subscribe("live/" + code)
	if got := late.take(); len(got) != 1 || decode(t, got[0]).Version != snap.Version {
		t.Fatalf("late subscriber got %d messages", len(got))
	}

	// An answer after the end (its activity forgotten too) still reaches
	// both, and the session leaves again.
	x.world.set(id, func(s *stubSession) { s.count = 2 })
	x.hub.MarkActivity("a" + id)
	eventually(t, "the flush of a forgotten activity's answer", func() bool {
		x.hub.mu.Lock()
		defer x.hub.mu.Unlock()
		topic := x.hub.topics[id]
		return topic != nil && topic.timer != nil
	})
	x.clock.Advance(time.Second)
	for _, cl := range []*recorder{screen, late} {
		if got := counts(t, cl.take()); len(got) != 1 || got[0] != 2 {
			t.Fatalf("counts after a late answer = %v, want [2]", got)
		}
	}
	x.size(0, 0, 0)
}

// testCode is a valid join code for i: 0 and 1 are not in the alphabet.
func testCode(i int) string {
	b := fmt.Appendf(nil, "A%05d", i)
	for j, r := range b {
		if r == '0' || r == '1' {
			b[j] = "XY"[r-'0']
		}
	}
	return string(b)
}

func decodeData(t *testing.T, data []byte) liveMsg {
	t.Helper()
	return decode(t, message(data))
}

// A session nobody listens to is forgotten once idle for the TTL, counted
// from its last change.
func TestIdleSessionExpires(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	x.size(1, 1, 0)
	x.clock.Advance(defaultIdleTTL - time.Millisecond)
	x.size(1, 1, 0)
	x.clock.Advance(time.Millisecond)
	x.size(0, 0, 0)

	x.open("s2", "DEF234")
	x.clock.Advance(defaultIdleTTL / 2)
	x.hub.MarkTally("s2")
	x.clock.Advance(defaultIdleTTL / 2)
	x.size(1, 1, 0)
	x.clock.Advance(defaultIdleTTL / 2)
	x.size(0, 0, 0)

	// The TTL is an option.
	x = newHarness(t, WithIdleTTL(time.Minute))
	x.open("s1", "ABC234")
	x.clock.Advance(time.Minute)
	x.size(0, 0, 0)
}

// A session with a subscriber stays however idle, until the subscriber
// leaves; a completed one goes anyway.
func TestIdleSessionWithSubscriberStays(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	x.clock.Advance(3 * defaultIdleTTL)
	x.size(1, 1, 0)
	x.unsubscribe(screen)
	x.clock.Advance(defaultIdleTTL)
	x.size(0, 0, 0)

	x.world.set("s2", func(s *stubSession) { s.code, s.completed = "DEF234", true })
	x.subscribe("live/DEF234") // a reconnect after the end
	x.size(1, 1, 0)
	x.clock.Advance(defaultIdleTTL)
	x.size(0, 0, 0)
}

// A topic being read is not dropped under its reader.
func TestTopicInUseStays(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	topic := x.hub.acquire("s1")
	x.clock.Advance(2 * defaultIdleTTL)
	x.size(1, 1, 0)
	x.hub.release(topic)
	x.clock.Advance(defaultIdleTTL)
	x.size(0, 0, 0)
}

// A deleted session is forgotten by whichever path finds it gone.
func TestDeletedSession(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	screen.take()
	x.world.remove("s1")
	x.hub.MarkDirty("s1")
	x.clock.Advance(time.Second)
	x.size(0, 0, 0)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("%d messages about a deleted session", len(got))
	}
	if _, err := x.hub.Snapshot("s1"); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("snapshot of a deleted session: %v", err)
	}
	if _, err := x.hub.SessionIDByCode("ABC234"); !errors.Is(err, sql.ErrNoRows) {
		t.Fatalf("code of a deleted session: %v", err)
	}
	x.size(0, 0, 0)

	x.open("s2", "DEF234")
	x.hub.RememberActivity("a1", "s2")
	x.hub.ForgetActivity("a1")
	x.size(1, 1, 0)
	x.hub.ForgetSession("s2")
	x.size(0, 0, 0)
	if p := x.clock.pending(); p != 0 {
		t.Fatalf("%d timers left", p)
	}
}

// After Stop nothing is sent and no timer is left.
func TestStop(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	screen := x.subscribe("live/ABC234")
	screen.take()
	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	x.hub.Stop()
	if p := x.clock.pending(); p != 0 {
		t.Fatalf("%d timers left", p)
	}
	x.hub.MarkTally("s1")
	x.clock.Advance(time.Hour)
	if got := screen.take(); len(got) != 0 {
		t.Fatalf("%d messages after Stop", len(got))
	}
}
