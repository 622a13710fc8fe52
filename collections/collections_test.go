package collections

import (
	"testing"
	"time"
)

func TestSessionTransitions(t *testing.T) {
	states := []SessionState{SessionDraft, SessionActive, SessionCompleted, "bogus"}
	allowed := map[[2]SessionState]bool{
		{SessionDraft, SessionDraft}:         true,
		{SessionDraft, SessionActive}:        true,
		{SessionActive, SessionActive}:       true,
		{SessionActive, SessionCompleted}:    true,
		{SessionCompleted, SessionCompleted}: true,
	}
	for _, from := range states {
		for _, to := range states {
			t.Run(string(from)+"->"+string(to), func(t *testing.T) {
				if got, want := SessionTransitions.CanTransition(from, to), allowed[[2]SessionState{from, to}]; got != want {
					t.Fatalf("CanTransition(%q, %q) = %v, want %v", from, to, got, want)
				}
			})
		}
	}
}

func TestActivityTransitions(t *testing.T) {
	states := []ActivityState{ActivityDraft, ActivityActive, ActivityExpired, "bogus"}
	allowed := map[[2]ActivityState]bool{
		{ActivityDraft, ActivityDraft}:     true,
		{ActivityDraft, ActivityActive}:    true,
		{ActivityActive, ActivityActive}:   true,
		{ActivityActive, ActivityExpired}:  true,
		{ActivityExpired, ActivityExpired}: true,
	}
	for _, from := range states {
		for _, to := range states {
			t.Run(string(from)+"->"+string(to), func(t *testing.T) {
				if got, want := ActivityTransitions.CanTransition(from, to), allowed[[2]ActivityState{from, to}]; got != want {
					t.Fatalf("CanTransition(%q, %q) = %v, want %v", from, to, got, want)
				}
			})
		}
	}
}

func TestPresence(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	scenarios := []struct {
		lastSeen time.Time
		want     string
	}{
		{time.Time{}, PresenceOffline},
		{now, PresenceOnline},
		{now.Add(-29 * time.Second), PresenceOnline},
		{now.Add(-30 * time.Second), PresenceIdle},
		{now.Add(-119 * time.Second), PresenceIdle},
		{now.Add(-120 * time.Second), PresenceOffline},
	}
	for _, s := range scenarios {
		t.Run(s.lastSeen.String(), func(t *testing.T) {
			if got := Presence(s.lastSeen, now); got != s.want {
				t.Fatalf("Presence = %q, want %q", got, s.want)
			}
		})
	}
}

func TestValidCode(t *testing.T) {
	for code, want := range map[string]bool{
		"ABC234":  true,
		"ZZZZZZ":  true,
		"abc234":  false, // callers upper-case first
		"ABC23":   false,
		"ABC2345": false,
		"O0O0O0":  false, // misreadable letters are not in the alphabet
		"ABCI1D":  false,
		"":        false,
	} {
		if got := ValidCode(code); got != want {
			t.Fatalf("ValidCode(%q) = %v, want %v", code, got, want)
		}
	}
}
