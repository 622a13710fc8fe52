package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// settle is the pause between subscribing and the first change, and between
// two changes: longer than Conflicto's 200 ms coalescing interval, so that
// every change goes out on its own, on the leading edge.
const settle = time.Second

// liveMessage is the part of a live document the tool reads.
type liveMessage struct {
	Activity *struct {
		ID string `json:"id"`
	} `json:"activity"`
	Participants struct {
		Count int `json:"count"`
	} `json:"participants"`
	Version int64 `json:"version"`
}

// runFanoutConflicto is the fanout scenario on Conflicto: K anonymous
// streams subscribe to live/{code}; the host advances Rounds times, and
// each time the tool times the arrival at every stream of a live message
// whose activity is the new one.
func runFanoutConflicto(ctx, checkCtx context.Context, api *API, sse *http.Client, o *Options, pid int) *Run {
	run := &Run{Scenario: "fanout", Target: "conflicto", Main: "delivery", Params: map[string]any{"k": o.K, "rounds": o.Rounds}}
	fx, err := SetupConflicto(ctx, api, o, o.Rounds+1)
	if err != nil {
		run.Check([]string{"setup: " + err.Error()})
		return run
	}
	rss := StartRSS(pid)
	topic := "live/" + fx.Code
	var tracker Tracker
	inbox := NewInbox(o.K)
	var welcomed, backwards, messages, undecodable, mistimed atomic.Int64
	versions := make([]int64, o.K) // only decode, on this goroutine, uses them
	handle := func(i int, ev Event) {
		if ev.Name != topic {
			return
		}
		messages.Add(1)
		inbox.Add(i, ev, tracker.Match(i, ev.Data, ev.At))
	}
	decode := func(a Arrival) {
		var doc liveMessage
		if json.Unmarshal(a.Event.Data, &doc) != nil {
			undecodable.Add(1)
			return
		}
		if prev := versions[a.Stream]; prev == 0 {
			welcomed.Add(1)
		} else if doc.Version < prev {
			backwards.Add(1)
		}
		versions[a.Stream] = doc.Version
		if a.Timed != "" && (doc.Activity == nil || doc.Activity.ID != a.Timed) {
			mistimed.Add(1)
		}
	}
	connectRec, subRec := NewRecorder(), NewRecorder()
	progress("conflicto: %d streams subscribe to %s", o.K, topic)
	streams, openErr := OpenStreams(ctx, sse, api, o.K, o.ConnectC, func(int) (string, []string) {
		return "", []string{topic}
	}, handle, connectRec, subRec)
	var problems []string
	if openErr != nil {
		problems = append(problems, openErr.Error())
	}
	defer streams.Close()
	waitFor(ctx, 30*time.Second, func() bool {
		inbox.Drain(decode)
		return welcomed.Load() >= int64(streams.Open())
	})
	if w := welcomed.Load(); w != int64(o.K) {
		problems = append(problems, fmt.Sprintf("%d of %d subscribers got the welcome document", w, o.K))
	}
	sleepCtx(ctx, settle)

	deliveryRec, advanceRec := NewRecorder(), NewRecorder()
	cpu := StartCPU(pid)
	timed, each := deliveryRounds(ctx, o, &tracker, deliveryRec, settle, "the new activity", func() { inbox.Drain(decode) }, func(r int) (string, func() []string) {
		want := fx.Polls[r].ID
		progress("conflicto: round %d: advance to %s", r, want)
		return want, func() []string {
			got, _, err := advance(ctx, api, fx, advanceRec)
			switch {
			case err != nil:
				return []string{err.Error()}
			case got != want:
				return []string{fmt.Sprintf("round %d: advance activated %q, want %q", r, got, want)}
			}
			return nil
		}
	})
	problems = append(problems, timed...)
	run.CPU = cpu.Stop(len(each.P99))
	run.RSSMB = rss.Stop()
	streams.Close()
	inbox.Drain(decode)

	if n := backwards.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d live messages went back in version", n))
	}
	if n := undecodable.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d live messages were not JSON", n))
	}
	if n := mistimed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d live messages were timed as the new activity but do not show it", n))
	}
	if n := streams.failed.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d streams ended with an error", n))
	}
	var live liveMessage
	if _, _, err := api.Do(checkCtx, http.MethodGet, "/api/live/"+fx.Code, "", nil, &live); err != nil {
		problems = append(problems, "live state: "+err.Error())
	} else if last := fx.Polls[o.Rounds].ID; live.Activity == nil || live.Activity.ID != last {
		problems = append(problems, "the live state does not show the last activity "+last)
	}
	run.Ops = map[string]Summary{
		"connect":   connectRec.Summary(),
		"subscribe": subRec.Summary(),
		"advance":   advanceRec.Summary(),
		"delivery":  deliveryRec.Summary(),
	}
	run.Extra = map[string]any{"live_messages": messages.Load()}
	each.AddTo(run.Extra)
	run.Check(problems)
	return run
}

// deliveryRounds runs o.Rounds timed changes: round(r) names the key the
// subscribers must receive and returns the change that causes it; each
// delivery is timed from the moment the change is sent, and every
// subscriber must get it within o.RoundTimeout. delivered runs after each
// change reached everyone (or timed out): the readers' inbox is decoded
// then, outside the timed window. what names the key in problems.
//
// It also returns each change's own times (ChangeTimes).
func deliveryRounds(ctx context.Context, o *Options, tracker *Tracker, rec *Recorder, settle time.Duration, what string, delivered func(), round func(r int) (key string, change func() []string)) (problems []string, each ChangeTimes) {
	for r := 1; r <= o.Rounds && ctx.Err() == nil; r++ {
		key, change := round(r)
		own := NewRecorder()
		ch := tracker.Begin(key, o.K, own)
		problems = append(problems, change()...)
		if missing := tracker.Wait(ch, o.RoundTimeout); missing > 0 {
			problems = append(problems, fmt.Sprintf("round %d: %d of %d subscribers did not get %s within %s", r, missing, o.K, what, o.RoundTimeout))
		}
		rec.Merge(own)
		sum := own.Summary()
		each.First = append(each.First, sum.MinMs)
		each.P99 = append(each.P99, sum.P99Ms)
		delivered()
		sleepCtx(ctx, settle)
	}
	if ctx.Err() != nil {
		problems = append(problems, "stopped by the -timeout deadline before all rounds ran")
	}
	return problems, each
}

// ChangeTimes are each timed change's own first delivery and p99, in
// milliseconds, in order. A run's p99 is over all its changes, and one
// slow change (a garbage collection in the middle of a broadcast, say)
// decides it; these show whether the changes agree, and whether a slow one
// was slow to start (the server before its first frame) or to finish.
type ChangeTimes struct {
	First, P99 []float64
}

// AddTo puts the times into a run's extra figures.
func (c ChangeTimes) AddTo(extra map[string]any) {
	extra["delivery_first_each_change_ms"] = c.First
	extra["delivery_p99_each_change_ms"] = c.P99
}
