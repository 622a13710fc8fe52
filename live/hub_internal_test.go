package live

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

func TestTallyGap(t *testing.T) {
	h := New(nil, nil)
	scenarios := []struct {
		audience int
		want     time.Duration
	}{
		{0, defaultInterval},
		{499, defaultInterval},
		{500, 2 * defaultInterval},
		{3000, 7 * defaultInterval},
		{50_000, defaultMaxTallyInterval},
	}
	for _, s := range scenarios {
		topic := &topic{audience: s.audience}
		if got := h.gapLocked(topic); got != s.want {
			t.Fatalf("gap for %d subscribers = %v, want %v", s.audience, got, s.want)
		}
	}

	h = New(nil, nil, WithInterval(time.Second), WithTallyGap(10, 3*time.Second))
	if got := h.gapLocked(&topic{audience: 25}); got != 3*time.Second {
		t.Fatalf("gap with options = %v, want 3s", got)
	}
}

// A change the audience waits for must not wait behind a long tally gap.
func TestUrgentChangeRearmsEarlier(t *testing.T) {
	x := newHarness(t)
	x.open("s1", "ABC234")
	x.clock.Advance(0)
	screen := x.subscribe("live/ABC234")
	screen.take() // the welcome
	x.hub.mu.Lock()
	topic := x.hub.topics["s1"]
	topic.audience = 50_000
	x.hub.mu.Unlock()
	start := x.clock.Now()

	x.world.set("s1", func(s *stubSession) { s.count = 1 })
	x.hub.MarkTally("s1")
	x.hub.mu.Lock()
	tallyDue := topic.due
	x.hub.mu.Unlock()
	if got := tallyDue.Sub(start); got != defaultMaxTallyInterval {
		t.Fatalf("a tally change of a large audience is due in %v, want %v", got, defaultMaxTallyInterval)
	}

	x.hub.MarkDirty("s1")
	x.hub.mu.Lock()
	urgentDue := topic.due
	x.hub.mu.Unlock()
	if got := urgentDue.Sub(start); got != 0 {
		t.Fatalf("an urgent change is due in %v, want at once", got)
	}

	x.clock.Advance(0)
	if got := counts(t, screen.take()); len(got) != 1 || got[0] != 1 {
		t.Fatalf("counts sent at once = %v, want [1]", got)
	}
}

// liveMsg is the part of a stub document the tests look at.
type liveMsg struct {
	Session struct {
		Status string `json:"status"`
	} `json:"session"`
	Count   int   `json:"count"`
	Version int64 `json:"version"`
}

func decode(t *testing.T, m subscriptions.Message) liveMsg {
	t.Helper()
	var d liveMsg
	if err := json.Unmarshal(m.Data, &d); err != nil {
		t.Fatalf("message %s %s: %v", m.Name, m.Data, err)
	}
	return d
}

// counts decodes msgs, checking their versions grow, and returns their
// participant counts.
func counts(t *testing.T, msgs []subscriptions.Message) []int {
	t.Helper()
	var out []int
	var last int64
	for _, m := range msgs {
		d := decode(t, m)
		if d.Version <= last {
			t.Fatalf("version %d after %d", d.Version, last)
		}
		last = d.Version
		out = append(out, d.Count)
	}
	return out
}
