package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// forEach calls fn for every index of order with c workers, in order of
// hand-out, and stops handing out work when ctx ends.
func forEach(ctx context.Context, c int, order []int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(c, 1) {
		wg.Go(func() {
			for i := range work {
				fn(i)
			}
		})
	}
	for _, i := range order {
		select {
		case work <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
}

// nicknames returns n nicknames and the order to send them in. With
// collide, the second half repeats the first in other letter cases
// ("guest00001", "GUEST00001", "Guest00001"), which Conflicto's nickname
// keys treat as equal; each variant is sent right after its original so
// that the two race.
func nicknames(n int, collide bool) ([]string, []int) {
	names := make([]string, n)
	order := make([]int, 0, n)
	if !collide {
		for i := range n {
			names[i] = fmt.Sprintf("guest%05d", i+1)
			order = append(order, i)
		}
		return names, order
	}
	half := n / 2
	originals := n - half
	for i := range originals {
		names[i] = fmt.Sprintf("guest%05d", i+1)
	}
	for j := range half {
		base := names[j]
		if j%2 == 0 {
			names[originals+j] = strings.ToUpper(base)
		} else {
			names[originals+j] = strings.ToUpper(base[:1]) + base[1:]
		}
	}
	for i := range originals {
		order = append(order, i)
		if i < half {
			order = append(order, originals+i)
		}
	}
	return names, order
}

// joinResult is what a batch of joins left behind.
type joinResult struct {
	acked []Participant
	taken int // 409 nickname_taken
	other []string
}

// joinAll joins every nickname in order with c workers, recording each
// request in rec.
func joinAll(ctx context.Context, t Target, rec *Recorder, names []string, order []int, c int) *joinResult {
	res := &joinResult{}
	var mu sync.Mutex
	forEach(ctx, c, order, func(i int) {
		p, status, err := t.Join(ctx, rec, names[i])
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			res.acked = append(res.acked, p)
		case status == 409 && errorCode(err, "nickname") == "nickname_taken":
			res.taken++
		case status == 400 && t.Name() == "plain":
			// The plain unique index answers a duplicate with a bare 400.
			res.taken++
		case ctx.Err() == nil && len(res.other) < 5:
			res.other = append(res.other, err.Error())
		}
	})
	return res
}

// runJoin is the join scenario against one target: N participants join at
// concurrency C; afterwards the server must list exactly the acknowledged
// ones.
func runJoin(ctx, checkCtx context.Context, t Target, o *Options) *Run {
	run := &Run{Scenario: "join", Target: t.Name(), Main: "join", Params: map[string]any{"n": o.N, "c": o.C, "collide": o.Collide}}
	rec := NewRecorder()
	names, order := nicknames(o.N, o.Collide)
	progress("%s: %d joins at concurrency %d", t.Name(), o.N, o.C)
	res := joinAll(ctx, t, rec, names, order, o.C)
	run.Ops = map[string]Summary{"join": rec.Summary()}
	run.Extra = map[string]any{"acknowledged": len(res.acked), "nickname_taken": res.taken}

	problems := append([]string{}, res.other...)
	if ctx.Err() != nil {
		problems = append(problems, "stopped by the -timeout deadline before all joins were sent")
	}
	wantAcked, wantTaken := o.N, 0
	if o.Collide {
		wantAcked, wantTaken = o.N-o.N/2, o.N/2
	}
	if t.Name() == "conflicto" || !o.Collide {
		if len(res.acked) != wantAcked || res.taken != wantTaken {
			problems = append(problems, fmt.Sprintf("%d joins acknowledged and %d nickname_taken, want %d and %d", len(res.acked), res.taken, wantAcked, wantTaken))
		}
	}
	progress("%s: checking joins against the server", t.Name())
	problems = append(problems, t.CheckJoins(checkCtx, res.acked)...)
	run.Check(problems)
	return run
}
