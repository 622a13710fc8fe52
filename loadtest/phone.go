package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// participant is one phone: it joins at its arrival time, reads the live
// state, subscribes, answers every poll it sees (with probability
// AnswerRate, after a think time) and heartbeats until the event ends.
func (st *eventState) participant(ctx context.Context, i int, arrival time.Time, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	sleepUntil(ctx, arrival)
	if ctx.Err() != nil {
		return
	}
	t := &conflictoTarget{api: st.api, fx: st.fx}
	p, _, err := t.Join(ctx, st.rec["join"], fmt.Sprintf("guest%05d", i+1))
	if err != nil {
		if ctx.Err() == nil {
			st.problem("join %d: %v", i+1, err)
		}
		return
	}
	st.mu.Lock()
	st.joined = append(st.joined, p)
	st.mu.Unlock()

	if _, err := st.api.Timed(ctx, st.rec["live"], http.MethodGet, "/api/live/"+st.fx.Code, p.Token, nil, nil); err != nil && ctx.Err() == nil {
		st.problem("live state for %s: %v", p.ID, err)
	}
	if st.o.PhonesSSE {
		if st.o.Recycle > 0 {
			st.phoneStreams.Add(1)
			go st.keepSubscribed(ctx, p.Token, []string{"live/" + st.fx.Code}, st.o.Recycle, seed, func() { st.subscribed[i].Store(true) },
				func(ev Event) { st.seenByPhone(i, ev) })
		} else {
			st.subscribePhone(ctx, i, p)
		}
	}

	heartbeat := time.NewTimer(time.Duration(rng.Float64() * float64(st.o.Heartbeat)))
	defer heartbeat.Stop()
	answered := map[string]bool{}
	var pending *round // the round an answer is scheduled for
	var answerAt <-chan time.Time
	for {
		cur := st.stage.get()
		if pending != nil && pending != cur {
			pending, answerAt = nil, nil // that poll is gone
		}
		if pending == nil && !answered[cur.poll.ID] {
			answered[cur.poll.ID] = true
			// Answer at least 1 s before the reveal (which closes the
			// poll), or not at all.
			window := min(time.Until(cur.ends)-st.revealLead()-time.Second, st.o.Round/2)
			if window > 300*time.Millisecond && rng.Float64() < st.o.AnswerRate {
				think := 300*time.Millisecond + time.Duration(rng.Float64()*float64(window-300*time.Millisecond))
				pending, answerAt = cur, time.After(think)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-cur.next:
		case <-answerAt:
			st.vote(ctx, t, p, pending.poll, rng.IntN(pending.poll.Options))
			pending, answerAt = nil, nil
		case <-heartbeat.C:
			if _, err := st.api.Timed(ctx, st.rec["heartbeat"], http.MethodPost, "/api/participants/heartbeat", p.Token, nil, nil); err != nil && ctx.Err() == nil {
				st.problem("heartbeat %s: %v", p.ID, err)
			}
			heartbeat.Reset(st.o.Heartbeat)
		}
	}
}

func (st *eventState) vote(ctx context.Context, t *conflictoTarget, p Participant, poll Poll, choice int) {
	vt := *t
	vt.activity = poll
	id, _, err := vt.Vote(ctx, st.rec["vote"], p, choice)
	if err != nil {
		if ctx.Err() == nil {
			st.problem("vote of %s on %s: %v", p.ID, poll.ID, err)
		}
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.answers[poll.ID][id] = choice
}

// subscribePhone opens the participant's realtime stream on the live
// topic, with their token, and counts the messages it gets.
func (st *eventState) subscribePhone(ctx context.Context, i int, p Participant) {
	start := time.Now()
	s, err := Connect(ctx, st.sse, st.api.Base)
	if err != nil {
		if ctx.Err() == nil {
			st.rec["connect"].Add(start, time.Since(start), 0, err)
		}
		return
	}
	st.rec["connect"].Add(start, time.Since(start), http.StatusOK, nil)
	st.mu.Lock()
	st.streams = append(st.streams, s)
	st.mu.Unlock()
	st.phoneStreams.Add(1)
	topic := "live/" + st.fx.Code
	go func() {
		_ = s.Run(ctx, func(ev Event) {
			if ev.Name == topic {
				st.seenByPhone(i, ev)
			}
		})
	}()
	if _, err := st.api.Timed(ctx, st.rec["subscribe"], http.MethodPost, "/api/realtime", p.Token,
		map[string]any{"clientId": s.ClientID, "subscriptions": []string{topic}}, nil); err != nil && ctx.Err() == nil {
		st.problem("subscribe %s: %v", p.ID, err)
	} else {
		st.subscribed[i].Store(true)
	}
}
