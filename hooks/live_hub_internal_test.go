package hooks

import (
	"testing"
	"time"
)

func TestLiveTallyGap(t *testing.T) {
	h := newLiveHub(nil, "", liveInterval)
	scenarios := []struct {
		audience int
		urgent   bool
		want     time.Duration
	}{
		{0, false, liveInterval},
		{499, false, liveInterval},
		{500, false, 2 * liveInterval},
		{3000, false, 7 * liveInterval},
		{50_000, false, maxTallyInterval},
		{50_000, true, liveInterval},
	}
	for _, s := range scenarios {
		topic := &liveTopic{audience: s.audience, urgent: s.urgent}
		if got := h.gapLocked(topic); got != s.want {
			t.Fatalf("gap for %d subscribers (urgent %v) = %v, want %v", s.audience, s.urgent, got, s.want)
		}
	}
}

// A change the audience waits for must not wait behind a long tally gap.
func TestLiveUrgentChangeRearmsEarlier(t *testing.T) {
	h := newLiveHub(nil, "", liveInterval)
	defer h.stop()
	topic := h.topic("s1")
	h.mu.Lock()
	topic.audience = 50_000
	topic.lastSent = time.Now()
	h.mu.Unlock()

	h.markTally("s1")
	h.mu.Lock()
	tallyDue := topic.due
	h.mu.Unlock()
	if until := time.Until(tallyDue); until < maxTallyInterval-100*time.Millisecond {
		t.Fatalf("a tally change of a large audience is due in %v, want about %v", until, maxTallyInterval)
	}

	h.markDirty("s1")
	h.mu.Lock()
	urgentDue := topic.due
	h.mu.Unlock()
	if until := time.Until(urgentDue); until > liveInterval {
		t.Fatalf("an urgent change is due in %v, want within %v", until, liveInterval)
	}
}
