package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Streams is a group of realtime connections to one server, all read by
// their own goroutine until Close.
type Streams struct {
	list   []*Stream
	wg     sync.WaitGroup
	failed atomic.Int64 // streams that ended with an error before Close
}

// StreamSpec says how to open stream i: the token it subscribes with ("" for
// anonymous) and its topics.
type StreamSpec func(i int) (token string, topics []string)

// OpenStreams connects k streams with c connects in flight, subscribes
// each as spec says and hands every event to handle(i, ev). Connects
// (GET /api/realtime until PB_CONNECT) are recorded in connectRec and
// subscriptions (POST /api/realtime) in subRec. Streams that fail to
// open are counted and skipped; the error reports the first failure.
func OpenStreams(ctx context.Context, sse *http.Client, api *API, k, c int, spec StreamSpec,
	handle func(i int, ev Event), connectRec, subRec *Recorder) (*Streams, error) {
	g := &Streams{list: make([]*Stream, k)}
	var firstErr error
	var mu sync.Mutex
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	forEach(ctx, c, idx, func(i int) {
		start := time.Now()
		s, err := Connect(ctx, sse, api.Base)
		if err != nil {
			connectRec.Add(start, time.Since(start), 0, err)
			fail(fmt.Errorf("stream %d: %w", i, err))
			return
		}
		connectRec.Add(start, time.Since(start), http.StatusOK, nil)
		g.list[i] = s
		g.wg.Go(func() {
			if err := s.Run(ctx, func(ev Event) { handle(i, ev) }); err != nil {
				g.failed.Add(1)
			}
		})
		token, topics := spec(i)
		start = time.Now()
		err = s.Subscribe(ctx, api, token, topics...)
		status := http.StatusNoContent
		if se, ok := err.(*StatusError); ok {
			status, err = se.Status, nil
		}
		subRec.Add(start, time.Since(start), status, err)
		if err != nil || status != http.StatusNoContent {
			fail(fmt.Errorf("subscribe stream %d: status %d: %v", i, status, err))
		}
	})
	return g, firstErr
}

// Open returns how many streams are connected.
func (g *Streams) Open() int {
	n := 0
	for _, s := range g.list {
		if s != nil {
			n++
		}
	}
	return n
}

// Close ends every stream and waits for their readers.
func (g *Streams) Close() {
	for _, s := range g.list {
		if s != nil {
			s.Close()
		}
	}
	g.wg.Wait()
}

// Change is one change whose delivery to every stream is being timed.
type Change struct {
	match     string // the id that marks the change in a message
	needle    []byte // "id":"match", as a message's JSON carries it
	start     time.Time
	got       []atomic.Bool
	remaining atomic.Int64
	done      chan struct{}
	rec       *Recorder
}

// Tracker times the delivery of one change at a time to a set of streams.
type Tracker struct {
	cur atomic.Pointer[Change]
}

// Begin starts timing a change marked by match, expected on k streams; the
// clock starts now, so call it right before sending the request.
func (t *Tracker) Begin(match string, k int, rec *Recorder) *Change {
	needle, _ := json.Marshal(match)
	needle = append([]byte(`"id":`), needle...)
	ch := &Change{match: match, needle: needle, got: make([]atomic.Bool, k), done: make(chan struct{}), rec: rec}
	ch.remaining.Store(int64(k))
	if k == 0 {
		close(ch.done)
	}
	ch.start = time.Now()
	t.cur.Store(ch)
	return ch
}

// Seen is called by stream i's reader when a message carrying id arrived
// at time at.
func (t *Tracker) Seen(i int, id string, at time.Time) {
	if ch := t.cur.Load(); ch != nil && id == ch.match {
		ch.seen(i, at)
	}
}

// seen times stream i's first arrival of the change (a late one, after
// Wait, counts no more).
func (ch *Change) seen(i int, at time.Time) {
	if i >= len(ch.got) || ch.got[i].Swap(true) {
		return
	}
	ch.rec.AddLatency(ch.start, at.Sub(ch.start))
	if ch.remaining.Add(-1) == 0 {
		close(ch.done)
	}
}

// Match is the cheap form of Seen, for a reader that decodes its messages
// only after the change (see Inbox): when a change is being timed and
// data carries its id as an "id" member, stream i is timed as having seen
// it at time at, and Match returns the id ("" otherwise). Whoever decodes
// the message later must check that its id is indeed the one returned.
func (t *Tracker) Match(i int, data []byte, at time.Time) string {
	ch := t.cur.Load()
	if ch == nil || !bytes.Contains(data, ch.needle) {
		return ""
	}
	ch.seen(i, at)
	return ch.match
}

// Skip stops expecting the change on stream i (it was not subscribed when
// the change began).
func (ch *Change) Skip(i int) {
	if i < len(ch.got) && !ch.got[i].Swap(true) && ch.remaining.Add(-1) == 0 {
		close(ch.done)
	}
}

// Wait waits until every stream saw the change or timeout passed, counts
// the streams that did not as missing, and stops tracking the change. It
// returns how many were missing.
func (t *Tracker) Wait(ch *Change, timeout time.Duration) int {
	select {
	case <-ch.done:
	case <-time.After(timeout):
	}
	t.cur.CompareAndSwap(ch, nil)
	missing := 0
	for i := range ch.got {
		if !ch.got[i].Swap(true) { // also stops late arrivals from counting
			missing++
			ch.rec.AddMissing()
		}
	}
	return missing
}
