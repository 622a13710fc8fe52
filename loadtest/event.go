package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// round is the poll the audience is answering and when the host moves on.
type round struct {
	index int
	poll  Poll
	ends  time.Time
	next  chan struct{} // closed when the following round starts
}

// stage publishes the current round to every participant.
type stage struct {
	mu  sync.Mutex
	cur *round
}

func (s *stage) get() *round {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}

func (s *stage) set(r *round) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		close(s.cur.next)
	}
	s.cur = r
}

// eventState is what the participants and the host of an event share.
type eventState struct {
	api   *API
	sse   *http.Client
	fx    *Fixture
	o     *Options
	stage stage
	rec   map[string]*Recorder

	mu       sync.Mutex
	joined   []Participant
	answers  map[string]map[string]int // poll id → response id → choice
	problems []string

	phoneMsgs    atomic.Int64
	phoneStreams atomic.Int64
	streams      []*Stream

	// Every subscribed phone must get every new activity: subscribed[i]
	// is set once phone i is subscribed, and phones feeds the tracker.
	phones      Tracker
	subscribed  []atomic.Bool
	serverEnded atomic.Int64 // realtime connections the server ended (reconnected)
	recycled    atomic.Int64 // connections ended by the recycle limit (-recycle)
}

// seenByPhone notes a live message of phone i: whether it carries the
// activity whose arrival is being tracked (a byte search, not a decode:
// thousands of phones each get several messages a second).
func (st *eventState) seenByPhone(i int, ev Event) {
	st.phoneMsgs.Add(1)
	if ch := st.phones.cur.Load(); ch != nil && bytes.Contains(ev.Data, []byte(`"id":"`+ch.match+`"`)) {
		st.phones.Seen(i, ch.match, ev.At)
	}
}

func (st *eventState) problem(format string, a ...any) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.problems) < 20 {
		st.problems = append(st.problems, fmt.Sprintf(format, a...))
	}
}

// runEvent is the event scenario: over Duration, Screens anonymous streams
// watch live/{code}; N participants join, most in a rush at the start and
// the rest trickling in, then read the live state, subscribe, heartbeat,
// and answer each poll after a think time; the host reveals each poll,
// reads its results and advances every Round. Afterwards participants and
// every poll's responses and results must equal the acknowledged ones.
func runEvent(ctx, checkCtx context.Context, api *API, sse *http.Client, o *Options, pid int) *Run {
	run := &Run{Scenario: "event", Target: "conflicto", Main: "vote", Params: map[string]any{
		"n": o.N, "duration": o.Duration.String(), "round": o.Round.String(), "screens": o.Screens,
		"heartbeat": o.Heartbeat.String(), "answer_rate": o.AnswerRate, "phones_subscribe": o.PhonesSSE,
	}}
	rounds := max(int(o.Duration/o.Round), 1)
	fx, err := SetupConflicto(ctx, api, o, rounds+1)
	if err != nil {
		run.Check([]string{"setup: " + err.Error()})
		return run
	}
	run.Params["rate_limits"] = rateLimitsState(ctx, api, fx.SuperToken) // the targets hold with them on
	st := &eventState{api: api, sse: sse, fx: fx, o: o, answers: map[string]map[string]int{}, rec: map[string]*Recorder{},
		subscribed: make([]atomic.Bool, o.N)}
	for _, name := range []string{"join", "live", "connect", "subscribe", "heartbeat", "vote", "reveal", "results", "advance", "delivery", "phone delivery"} {
		st.rec[name] = NewRecorder()
	}
	rss := StartRSS(pid)

	evCtx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()

	// The screens, whose deliveries of each new activity are timed.
	topic := "live/" + fx.Code
	var tracker Tracker
	screenSeen := func(i int, ev Event) {
		var doc liveMessage
		if ev.Name == topic && json.Unmarshal(ev.Data, &doc) == nil && doc.Activity != nil {
			tracker.Seen(i, doc.Activity.ID, ev.At)
		}
	}
	var screenCount int
	var screenWG sync.WaitGroup
	if o.Recycle > 0 {
		// Screens that stay on all day: reconnected when the server or
		// the recycle limit ends their connection.
		var ready sync.WaitGroup
		for i := range o.Screens {
			ready.Add(1)
			screenWG.Go(func() {
				st.keepSubscribed(evCtx, "", []string{topic}, o.Recycle, uint64(o.Seed)+uint64(i), ready.Done, func(ev Event) { screenSeen(i, ev) })
			})
		}
		if !waitGroupWithin(&ready, 2*time.Minute) {
			st.problem("screens: not all %d subscribed within 2m", o.Screens)
		}
		screenCount = o.Screens
	} else {
		screens, err := OpenStreams(ctx, sse, api, o.Screens, o.ConnectC, func(int) (string, []string) {
			return "", []string{topic}
		}, screenSeen, st.rec["connect"], st.rec["subscribe"])
		if err != nil {
			st.problem("screens: %v", err)
		}
		defer screens.Close()
		screenCount = screens.Open()
	}

	var sampler *Sampler
	if o.Sample > 0 {
		csvPath := ""
		if o.SoakOut != "" {
			csvPath = filepath.Join(o.SoakOut, "samples.csv")
		}
		sampler, err = StartSampler(ctx, pid, api, o.MetricsToken, o.Sample, csvPath)
		if err != nil {
			st.problem("sampler: %v", err)
		}
	}

	start := time.Now()
	st.stage.set(&round{poll: fx.Polls[0], ends: start.Add(o.Round), next: make(chan struct{})})

	progress("event: %s, %d participants, %d screens, a poll every %s", o.Duration, o.N, o.Screens, o.Round)
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 1))
	var wg sync.WaitGroup
	for i := range o.N {
		var at time.Duration
		switch {
		case o.Soak:
			// Everyone is in by the end of the warm-up; the day then
			// runs steady, so anything that still grows is a leak.
			at = time.Duration(rng.Float64() * 0.8 * float64(o.Warmup))
		case i < o.N*6/10:
			// 60% in the doors-open rush (first 15%), the rest until 80%.
			at = time.Duration(rng.Float64() * 0.15 * float64(o.Duration))
		default:
			at = time.Duration((0.15 + rng.Float64()*0.65) * float64(o.Duration))
		}
		seed := rng.Uint64()
		wg.Go(func() { st.participant(evCtx, i, start.Add(at), seed) })
	}
	st.host(evCtx, start, &tracker, screenCount)
	cancel()
	wg.Wait()
	screenWG.Wait()
	run.RSSMB = rss.Stop()
	st.mu.Lock()
	for _, s := range st.streams {
		s.Close()
	}
	st.mu.Unlock()
	var samples []Sample
	if sampler != nil {
		samples = sampler.Stop(checkCtx, time.Since(start))
	}

	progress("event: checking participants, answers and results against the server")
	problems := st.problems
	if ctx.Err() != nil {
		problems = append(problems, "stopped by the -timeout deadline before the event ended")
	}
	target := &conflictoTarget{api: api, fx: fx}
	problems = append(problems, target.CheckJoins(checkCtx, st.joined)...)
	totalAnswers := 0
	for _, poll := range fx.Polls {
		acked, ran := st.answers[poll.ID]
		if !ran {
			continue
		}
		totalAnswers += len(acked)
		problems = append(problems, checkActivityVotes(checkCtx, api, fx, poll, acked)...)
	}
	run.Ops = map[string]Summary{}
	for name, rec := range st.rec {
		if s := rec.Summary(); s.Count > 0 || len(s.Status) > 0 {
			run.Ops[name] = s
		}
	}
	elapsed := time.Since(start).Seconds()
	run.Extra = map[string]any{
		"joined":           len(st.joined),
		"answers":          totalAnswers,
		"polls_run":        len(st.answers),
		"phone_streams":    st.phoneStreams.Load(),
		"phone_msgs_per_s": round2(float64(st.phoneMsgs.Load()) / max(float64(st.phoneStreams.Load()), 1) / elapsed),
		"server_ended":     st.serverEnded.Load(),
		"recycled":         st.recycled.Load(),
	}
	if sampler != nil {
		problems = append(problems, st.soakReport(run, samples)...)
	}
	run.Check(problems)
	return run
}

// revealLead is how long before a round's end the host reveals its poll.
// A reveal closes the poll, so the phones answer before it.
func (st *eventState) revealLead() time.Duration { return min(st.o.Round/4, 3*time.Second) }

// host runs the polls: each round it reveals the poll shortly before the
// end, reads the results, then advances, timing the new activity's
// arrival on the screens.
func (st *eventState) host(ctx context.Context, start time.Time, tracker *Tracker, screens int) {
	polls := st.fx.Polls
	revealLead := st.revealLead()
	for r := 0; ; r++ {
		cur := st.stage.get()
		st.mu.Lock()
		if st.answers[cur.poll.ID] == nil {
			st.answers[cur.poll.ID] = map[string]int{}
		}
		st.mu.Unlock()

		sleepUntil(ctx, cur.ends.Add(-revealLead))
		if ctx.Err() != nil {
			return
		}
		path := "/api/collections/activities/records/" + cur.poll.ID
		if _, err := st.api.Timed(ctx, st.rec["reveal"], http.MethodPatch, path, st.fx.HostToken, map[string]any{"revealed": true}, nil); err != nil && ctx.Err() == nil {
			st.problem("reveal %s: %v", cur.poll.ID, err)
		}
		if _, err := st.api.Timed(ctx, st.rec["results"], http.MethodGet, "/api/activities/"+cur.poll.ID+"/results", st.fx.HostToken, nil, nil); err != nil && ctx.Err() == nil {
			st.problem("results %s: %v", cur.poll.ID, err)
		}
		sleepUntil(ctx, cur.ends)
		if ctx.Err() != nil || r+1 >= len(polls) || time.Until(start.Add(st.o.Duration)) < st.o.Round/2 {
			return
		}
		want := polls[r+1]
		// The new round is published once the advance returned, so nobody
		// answers a poll before it is active; nobody answers the old one
		// this late either (answers go ≥ 1 s before the reveal, which
		// closes the poll).
		next := &round{index: r + 1, poll: want, ends: cur.ends.Add(st.o.Round), next: make(chan struct{})}
		st.mu.Lock()
		st.answers[want.ID] = map[string]int{}
		st.mu.Unlock()
		ch := tracker.Begin(want.ID, screens, st.rec["delivery"])
		phones := st.phones.Begin(want.ID, len(st.subscribed), st.rec["phone delivery"])
		for i := range st.subscribed {
			if !st.subscribed[i].Load() {
				phones.Skip(i) // not subscribed yet: its welcome has the activity
			}
		}
		got, _, err := advance(ctx, st.api, st.fx, st.rec["advance"])
		switch {
		case err != nil:
			st.problem("round %d: %v", r+1, err)
		case got != want.ID:
			st.problem("round %d: advance activated %q, want %q", r+1, got, want.ID)
		}
		st.stage.set(next)
		if missing := tracker.Wait(ch, st.o.RoundTimeout); missing > 0 {
			st.problem("round %d: %d of %d screens did not get the new activity within %s", r+1, missing, screens, st.o.RoundTimeout)
		}
		if missing := st.phones.Wait(phones, st.o.RoundTimeout); missing > 0 {
			st.problem("round %d: %d subscribed phones did not get the new activity within %s", r+1, missing, st.o.RoundTimeout)
		}
	}
}
