package main

import (
	"slices"
	"testing"
	"time"
)

func TestMatchTimesTheChangeByItsIDMember(t *testing.T) {
	var tr Tracker
	rec := NewRecorder()
	at := time.Now()
	if got := tr.Match(0, []byte(`{"id":"abc"}`), at); got != "" {
		t.Fatalf("no change timed: Match = %q, want none", got)
	}
	ch := tr.Begin("abc", 3, rec)
	for _, data := range []string{
		`{"activity":"abc"}`,           // the id, not as an "id" member
		`{"record":{"id":"abcd"}}`,     // another id that starts with it
		`{"record":{"id":"xabc"}}`,     // another id that ends with it
		`{"activity":{"id": "abc"}}`,   // not as the server writes it
		`{"session":{"code":"abc"}}`,   // another member
		`{"record":{"title":"\"abc"}}`, // inside a string
	} {
		if got := tr.Match(0, []byte(data), at); got != "" {
			t.Errorf("Match(%s) = %q, want none", data, got)
		}
	}
	live := `{"session":{"id":"s1"},"activity":{"answered":0,"id":"abc","type":"poll"},"version":7}`
	if got := tr.Match(0, []byte(live), at.Add(5*time.Millisecond)); got != "abc" {
		t.Fatalf("Match(live document) = %q, want abc", got)
	}
	if got := tr.Match(0, []byte(live), at.Add(9*time.Millisecond)); got != "abc" {
		t.Fatalf("a second message with the change: Match = %q, want abc", got)
	}
	if got := tr.Match(2, []byte(`{"action":"create","record":{"id":"abc"}}`), at); got != "abc" {
		t.Fatalf("Match(record message) = %q, want abc", got)
	}
	if missing := tr.Wait(ch, 10*time.Millisecond); missing != 1 {
		t.Fatalf("missing = %d, want 1 (stream 1 never saw it)", missing)
	}
	if n := rec.Count("delivered"); n != 2 {
		t.Fatalf("delivered = %d, want 2 (stream 0 counted once)", n)
	}
	if got := tr.Match(1, []byte(live), at); got != "" {
		t.Fatalf("after Wait: Match = %q, want none", got)
	}
}

func TestInboxDrainsEachStreamInOrderOnce(t *testing.T) {
	b := NewInbox(2)
	b.Add(1, Event{Name: "a"}, "")
	b.Add(0, Event{Name: "b"}, "x")
	b.Add(1, Event{Name: "c"}, "x")
	b.Add(0, Event{Name: "d"}, "")
	var got []string
	b.Drain(func(a Arrival) { got = append(got, a.Event.Name+a.Timed+string(rune('0'+a.Stream))) })
	if want := []string{"bx0", "d0", "a1", "cx1"}; !slices.Equal(got, want) {
		t.Fatalf("drained %v, want %v", got, want)
	}
	b.Drain(func(a Arrival) { t.Errorf("drained again: %+v", a) })
}
