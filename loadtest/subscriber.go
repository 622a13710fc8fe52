package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"time"
)

// keepSubscribed is one realtime client that stays subscribed to topics as
// the JS SDK does: it connects, subscribes with token ("" for anonymous),
// hands every event to handle, and when the connection ends (the server's
// limit, a drop) it connects and subscribes again. With recycle > 0 it
// also ends its own connection after about recycle (±20 %), as
// PocketBase's 30-minute limit does to a long-lived one; a compressed day
// compresses that limit too. It returns when ctx ends. ready is called
// (once) after the first subscribe succeeded.
func (st *eventState) keepSubscribed(ctx context.Context, token string, topics []string, recycle time.Duration, seed uint64, ready func(), handle func(Event)) {
	rng := rand.New(rand.NewPCG(seed, 7))
	first := true
	for ctx.Err() == nil {
		start := time.Now()
		s, err := Connect(ctx, st.sse, st.api.Base)
		if err != nil {
			if ctx.Err() == nil {
				st.rec["connect"].Add(start, time.Since(start), 0, err)
				sleepCtx(ctx, time.Second+time.Duration(rng.Float64()*float64(time.Second)))
			}
			continue
		}
		st.rec["connect"].Add(start, time.Since(start), http.StatusOK, nil)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = s.Run(ctx, handle)
		}()
		start = time.Now()
		status := http.StatusNoContent
		err = s.Subscribe(ctx, st.api, token, topics...)
		if se, ok := err.(*StatusError); ok {
			status, err = se.Status, nil
		}
		if ctx.Err() == nil {
			st.rec["subscribe"].Add(start, time.Since(start), status, err)
		}
		if err == nil && status == http.StatusNoContent && first {
			first = false
			ready()
		}
		var limit <-chan time.Time
		if recycle > 0 {
			limit = time.After(time.Duration((0.8 + 0.4*rng.Float64()) * float64(recycle)))
		}
		select {
		case <-ctx.Done():
		case <-done: // the server ended it: reconnect, as the SDK does
			if ctx.Err() == nil {
				st.serverEnded.Add(1)
			}
		case <-limit:
			st.recycled.Add(1)
		}
		s.Close()
		<-done
	}
}
