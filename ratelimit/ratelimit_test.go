package ratelimit_test

import (
	"strconv"
	"testing"
	"time"

	"conflicto/ratelimit"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} }
func newBuckets(c *clock, max int, per time.Duration) *ratelimit.Buckets {
	b := ratelimit.New(max, per)
	b.SetClock(c.now)
	return b
}

func TestTakeBurstThenRefill(t *testing.T) {
	c := newClock()
	b := newBuckets(c, 10, 10*time.Second)
	for i := range 10 {
		if ok, _ := b.Take("p"); !ok {
			t.Fatalf("take %d refused", i+1)
		}
	}
	ok, retry := b.Take("p")
	if ok || retry != time.Second {
		t.Fatalf("take 11: ok=%v retry=%s, want refused, 1s", ok, retry)
	}
	if ok, _ := b.Take("q"); !ok {
		t.Fatal("another key is affected")
	}
	c.add(400 * time.Millisecond)
	if _, retry := b.Take("p"); retry != 600*time.Millisecond {
		t.Fatalf("retry after 400ms = %s, want 600ms", retry)
	}
	c.add(600 * time.Millisecond)
	if ok, _ := b.Take("p"); !ok {
		t.Fatal("a token is back after 1s")
	}
	if ok, _ := b.Take("p"); ok {
		t.Fatal("only one token came back")
	}
	c.add(time.Hour)
	for i := range 10 {
		if ok, _ := b.Take("p"); !ok {
			t.Fatalf("after a rest, take %d refused: the bucket holds at most max", i+1)
		}
	}
	if ok, _ := b.Take("p"); ok {
		t.Fatal("a rest filled the bucket beyond max")
	}
}

func TestEmptyDoesNotSpend(t *testing.T) {
	c := newClock()
	b := newBuckets(c, 2, time.Minute)
	if empty, _ := b.Empty("ip"); empty {
		t.Fatal("an unknown key is empty")
	}
	b.Take("ip")
	if empty, _ := b.Empty("ip"); empty {
		t.Fatal("empty with a token left")
	}
	b.Take("ip")
	empty, retry := b.Empty("ip")
	if !empty || retry != 30*time.Second {
		t.Fatalf("empty=%v retry=%s, want true, 30s", empty, retry)
	}
	if empty, _ := b.Empty("ip"); !empty {
		t.Fatal("Empty spent or refilled")
	}
}

func TestRemember(t *testing.T) {
	c := newClock()
	b := newBuckets(c, 1, time.Minute)
	for i := range ratelimit.MaxKnown + 1 {
		b.Remember("ip", strconv.Itoa(i))
	}
	if b.Knows("ip", "0") {
		t.Fatal("the oldest value is kept beyond MaxKnown")
	}
	if !b.Knows("ip", strconv.Itoa(ratelimit.MaxKnown)) || !b.Knows("ip", "1") {
		t.Fatal("recent values forgotten")
	}
	if b.Knows("other", "1") {
		t.Fatal("another key knows it")
	}
}

// Memory stays bounded: buckets unused for a while are forgotten.
func TestIdleBucketsAreEvicted(t *testing.T) {
	c := newClock()
	b := newBuckets(c, 10, 10*time.Second)
	for i := range 1000 {
		b.Take("p" + strconv.Itoa(i))
	}
	if n := b.Len(); n != 1000 {
		t.Fatalf("len = %d", n)
	}
	c.add(11 * time.Minute)
	b.Take("fresh")
	if n := b.Len(); n != 1 {
		t.Fatalf("after 11 idle minutes len = %d, want 1", n)
	}
}
