// Package ratelimit is an in-memory token bucket per key (a participant, an
// IP) with bounded memory: a bucket left alone long enough is forgotten.
// It knows nothing of HTTP or PocketBase.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// MaxKnown is how many values a key remembers (Remember).
const MaxKnown = 8

// minKeep is the least time a bucket is kept after its last use, so that
// what a key remembers outlives a short quiet spell.
const minKeep = 10 * time.Minute

// Buckets holds one token bucket per key: Max tokens, refilled at Max per
// Per. A key's first Max takes pass at once, then one per Per/Max.
type Buckets struct {
	mu      sync.Mutex
	max     float64
	perTok  time.Duration // time to refill one token
	keep    time.Duration // a bucket unused this long is forgotten
	buckets map[string]*bucket
	now     func() time.Time
	sweepAt time.Time
}

type bucket struct {
	tokens float64   // at `at`
	at     time.Time // last refill
	used   time.Time // last use
	known  []string
}

// New returns buckets of max tokens refilled at max per per.
func New(max int, per time.Duration) *Buckets {
	if max < 1 {
		max = 1
	}
	keep := per
	if keep < minKeep {
		keep = minKeep
	}
	return &Buckets{
		max:     float64(max),
		perTok:  per / time.Duration(max),
		keep:    keep,
		buckets: map[string]*bucket{},
		now:     time.Now,
	}
}

// SetClock replaces the clock (tests).
func (b *Buckets) SetClock(now func() time.Time) {
	b.mu.Lock()
	b.now = now
	b.mu.Unlock()
}

// Take spends one of key's tokens. When none is left it spends nothing and
// says how long until one is back.
func (b *Buckets) Take(key string) (ok bool, retryAfter time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	bk := b.get(key, now)
	bk.used = now
	if bk.tokens >= 1 {
		bk.tokens--
		return true, 0
	}
	return false, b.wait(bk)
}

// Empty reports, without spending, whether key has no token left, and how
// long until one is back.
func (b *Buckets) Empty(key string) (empty bool, retryAfter time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bk, ok := b.buckets[key]
	if !ok {
		return false, 0
	}
	b.refill(bk, b.now())
	if bk.tokens >= 1 {
		return false, 0
	}
	return true, b.wait(bk)
}

// Remember notes value for key (at most MaxKnown, the oldest forgotten
// first); it keeps the key's bucket as a use does.
func (b *Buckets) Remember(key, value string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	bk := b.get(key, now)
	bk.used = now
	for _, v := range bk.known {
		if v == value {
			return
		}
	}
	if len(bk.known) == MaxKnown {
		bk.known = append(bk.known[:0], bk.known[1:]...)
	}
	bk.known = append(bk.known, value)
}

// Knows reports whether key remembers value.
func (b *Buckets) Knows(key, value string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if bk, ok := b.buckets[key]; ok {
		for _, v := range bk.known {
			if v == value {
				return true
			}
		}
	}
	return false
}

// Len is the number of buckets held.
func (b *Buckets) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buckets)
}

func (b *Buckets) get(key string, now time.Time) *bucket {
	if !now.Before(b.sweepAt) {
		b.sweep(now)
	}
	bk, ok := b.buckets[key]
	if !ok {
		bk = &bucket{tokens: b.max, at: now, used: now}
		b.buckets[key] = bk
		return bk
	}
	b.refill(bk, now)
	return bk
}

func (b *Buckets) refill(bk *bucket, now time.Time) {
	if d := now.Sub(bk.at); d > 0 {
		bk.tokens = math.Min(b.max, bk.tokens+float64(d)/float64(b.perTok))
		bk.at = now
	}
}

// wait is how long until bk has a whole token.
func (b *Buckets) wait(bk *bucket) time.Duration {
	return time.Duration(math.Ceil((1 - bk.tokens) * float64(b.perTok)))
}

// sweep forgets the buckets unused for keep; it runs at most once per
// keep, so its cost is spread over the takes of that time.
func (b *Buckets) sweep(now time.Time) {
	for k, bk := range b.buckets {
		if now.Sub(bk.used) >= b.keep {
			delete(b.buckets, k)
		}
	}
	b.sweepAt = now.Add(b.keep)
}
