package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The flood scenario: does one hostile script slow everyone else down?
// N phones join, plus one flooder. Then 2 × pairs rounds alternate, calm
// first: in each the host advances to a fresh poll and every phone answers
// it once at a random moment within -window; in a flood round the flooder
// also answers, then sends up to -flood-n answer changes (PATCH of its own
// response, a write the per-participant limit counts) as fast as -flood-c
// connections carry them, from the start of the window until every phone
// has answered. Each round is one
// run; a last run compares the phones' answer p99 of calm and flood rounds
// (median and spread across rounds) and says whether the flooder was
// throttled with 429 and Retry-After. The target: the flood slows
// the others' p99 by at most 20 %.

// floodSlowdownTarget is the largest accepted ratio of the median answer
// p99 with the flood to the one without.
const floodSlowdownTarget = 1.2

// floodRound is what one round measured.
type floodRound struct {
	votes    *Recorder
	flood    *Recorder
	retry    atomic.Int64 // 429s that carried Retry-After
	start    time.Time
	end      time.Time // the flood's end (flood rounds)
	overlap  atomic.Int64
	problems []string
}

func runFlood(ctx, checkCtx context.Context, api *API, o *Options, pid int) []*Run {
	fail := func(msg string) []*Run {
		run := &Run{Scenario: "flood", Target: "summary", Params: map[string]any{}}
		run.Check([]string{msg})
		return []*Run{run}
	}
	fx, err := SetupConflicto(ctx, api, o, 2*o.Pairs)
	if err != nil {
		return fail("setup: " + err.Error())
	}
	limits := rateLimitsState(ctx, api, fx.SuperToken)
	rss := StartRSS(pid)

	// The phones and the flooder join at -c at a time.
	progress("flood: %d phones and one flooder join", o.N)
	joinRec := NewRecorder()
	t := &conflictoTarget{api: api, fx: fx}
	phones := make([]Participant, o.N+1)
	var joinErr error
	var mu sync.Mutex
	sem := make(chan struct{}, o.C)
	var wg sync.WaitGroup
	for i := range phones {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			p, _, err := t.Join(ctx, joinRec, fmt.Sprintf("guest%05d", i+1))
			mu.Lock()
			defer mu.Unlock()
			if err != nil && joinErr == nil {
				joinErr = fmt.Errorf("join %d: %w", i+1, err)
			}
			phones[i] = p
		})
	}
	wg.Wait()
	if joinErr != nil {
		return fail(joinErr.Error())
	}
	flooder, phones := phones[o.N], phones[:o.N]

	var runs []*Run
	var calm, flood []float64
	var total429, totalRetry, totalFloodOK int
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 2))
	for r := range 2 * o.Pairs {
		poll := fx.Polls[r]
		if r > 0 {
			sleepCtx(ctx, 2*time.Second) // let the last round's live messages and presence settle
			if got, _, err := advance(ctx, api, fx, nil); err != nil || got != poll.ID {
				return append(runs, fail(fmt.Sprintf("round %d: advance activated %q (%v), want %q", r+1, got, err, poll.ID))...)
			}
		}
		flooding := r%2 == 1
		mode := "calm"
		if flooding {
			mode = "flood"
		}
		progress("flood: round %d of %d, %s", r+1, 2*o.Pairs, mode)
		fr, acked := floodOneRound(ctx, api, o, fx, poll, phones, flooder, flooding, rng)
		run := &Run{Scenario: "flood", Target: "conflicto-" + mode, Main: "vote", Params: map[string]any{
			"round": r + 1, "n": o.N, "window": o.Window.String(), "rate_limits": limits,
		}, Ops: map[string]Summary{"vote": fr.votes.Summary()}}
		if r == 0 {
			run.Ops["join (setup)"] = joinRec.Summary()
		}
		problems := fr.problems
		problems = append(problems, checkActivityVotes(checkCtx, api, fx, poll, acked)...)
		p99 := run.Ops["vote"].P99Ms
		if flooding {
			s := fr.flood.Summary()
			run.Ops["flood"] = s
			run.Params["flood_n"], run.Params["flood_c"] = o.FloodN, o.FloodC
			n429 := s.Status["429"]
			total429 += n429
			totalRetry += int(fr.retry.Load())
			totalFloodOK += s.Status["200"]
			run.Extra = map[string]any{
				"flood_s":                 round2(fr.end.Sub(fr.start).Seconds()),
				"flood_sent":              s.Count,
				"flood_per_s":             round2(float64(s.Count) / max(fr.end.Sub(fr.start).Seconds(), 0.001)),
				"flood_429":               n429,
				"flood_429_retry_after":   fr.retry.Load(),
				"flood_accepted":          s.Status["200"],
				"votes_during_flood":      fr.overlap.Load(),
				"votes_during_flood_part": round2(float64(fr.overlap.Load()) / float64(max(len(acked)-1, 1))),
			}
			flood = append(flood, p99)
		} else {
			calm = append(calm, p99)
		}
		run.Check(problems)
		runs = append(runs, run)
	}

	sum := &Run{Scenario: "flood", Target: "summary", Params: map[string]any{
		"n": o.N, "pairs": o.Pairs, "window": o.Window.String(), "flood_n": o.FloodN, "flood_c": o.FloodC, "rate_limits": limits,
	}}
	sum.RSSMB = rss.Stop()
	cm, clo, chi := medianSpread(calm)
	fm, flo, fhi := medianSpread(flood)
	slowdown := ratio(fm, cm)
	sum.Extra = map[string]any{
		"vote_p99_ms_calm":             fmt.Sprintf("median %.1f (%.1f–%.1f) over %d rounds", cm, clo, chi, len(calm)),
		"vote_p99_ms_flood":            fmt.Sprintf("median %.1f (%.1f–%.1f) over %d rounds", fm, flo, fhi, len(flood)),
		"vote_p99_flood_over_calm":     slowdown,
		"flood_429":                    total429,
		"flood_429_with_retry_after":   totalRetry,
		"flood_accepted":               totalFloodOK,
		"flooder_throttled_with_retry": total429 > 0 && totalRetry == total429,
	}
	var problems []string
	if slowdown > floodSlowdownTarget {
		problems = append(problems, fmt.Sprintf("the flood slowed the others' answer p99 by %.0f %% (median %.1f → %.1f ms), the target is at most %.0f %%",
			100*(slowdown-1), cm, fm, 100*(floodSlowdownTarget-1)))
	}
	if limits == "on" && (total429 == 0 || totalRetry != total429) {
		problems = append(problems, fmt.Sprintf("with the limits on the flooder got %d 429s, %d of them with Retry-After", total429, totalRetry))
	}
	for _, r := range runs {
		if !r.OK {
			problems = append(problems, fmt.Sprintf("%s round %v failed its checks", r.Target, r.Params["round"]))
		}
	}
	sum.Check(problems)
	return append(runs, sum)
}

// floodOneRound runs one round on poll: every phone answers once within
// the window; when flooding, the flooder answers and then floods. It
// returns the measures and the acknowledged answers (response id → choice).
func floodOneRound(ctx context.Context, api *API, o *Options, fx *Fixture, poll Poll, phones []Participant, flooder Participant,
	flooding bool, rng *rand.Rand) (*floodRound, map[string]int) {
	fr := &floodRound{votes: NewRecorder(), flood: NewRecorder()}
	acked := map[string]int{}
	var mu sync.Mutex
	problem := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(fr.problems) < 20 {
			fr.problems = append(fr.problems, fmt.Sprintf(format, a...))
		}
	}
	t := &conflictoTarget{api: api, fx: fx, activity: poll}

	var floodID string
	if flooding {
		id, err := floodFirstAnswer(ctx, t, flooder)
		if err != nil {
			problem("flooder's answer: %v", err)
			flooding = false
		} else {
			floodID = id
			acked[id] = 0
		}
	}

	fr.start = time.Now()
	var floodDone atomic.Bool
	var wg sync.WaitGroup
	// The flood lasts until its -flood-n writes are sent or every phone
	// has answered, whichever comes first: a server that holds refusals
	// slows the flooder down, and flooding an empty room measures nothing.
	floodCtx, stopFlood := context.WithCancel(ctx)
	defer stopFlood()
	var floodWG sync.WaitGroup
	if flooding {
		var sent atomic.Int64
		var fwg sync.WaitGroup
		for range o.FloodC {
			fwg.Go(func() {
				for floodCtx.Err() == nil && sent.Add(1) <= int64(o.FloodN) {
					floodWrite(floodCtx, api, fr, flooder, floodID)
				}
			})
		}
		floodWG.Go(func() {
			fwg.Wait()
			fr.end = time.Now()
			floodDone.Store(true)
		})
	}
	for i, p := range phones {
		at := fr.start.Add(time.Duration(rng.Float64() * float64(o.Window)))
		choice := (i + rng.IntN(poll.Options)) % poll.Options
		wg.Go(func() {
			sleepUntil(ctx, at)
			if ctx.Err() != nil {
				return
			}
			during := flooding && !floodDone.Load()
			id, _, err := t.Vote(ctx, fr.votes, p, choice)
			if err != nil {
				if ctx.Err() == nil {
					problem("vote of %s: %v", p.ID, err)
				}
				return
			}
			if during {
				fr.overlap.Add(1)
			}
			mu.Lock()
			acked[id] = choice
			mu.Unlock()
		})
	}
	wg.Wait()
	stopFlood()
	floodWG.Wait()
	return fr, acked
}

// floodFirstAnswer creates the flooder's answer (choice 0, which every
// later change repeats, so the stored value is known). A 429 left over
// from the last flood is waited out.
func floodFirstAnswer(ctx context.Context, t *conflictoTarget, p Participant) (string, error) {
	for range 3 {
		id, status, err := t.Vote(ctx, NewRecorder(), p, 0)
		if status != http.StatusTooManyRequests {
			return id, err
		}
		sleepCtx(ctx, 10*time.Second)
	}
	return "", fmt.Errorf("still refused with 429")
}

// floodWrite sends one change of the flooder's answer and records its
// status, and whether a 429 said when to come back.
func floodWrite(ctx context.Context, api *API, fr *floodRound, p Participant, responseID string) {
	body := []byte(`{"value":{"choices":[0]}}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, api.Base+"/api/collections/responses/records/"+responseID, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", p.Token)
	start := time.Now()
	resp, err := api.HC.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			fr.flood.Add(start, time.Since(start), 0, err)
		}
		return
	}
	_, _ = bytes.NewBuffer(nil).ReadFrom(resp.Body)
	resp.Body.Close()
	fr.flood.Add(start, time.Since(start), resp.StatusCode, nil)
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") != "" {
		fr.retry.Add(1)
	}
}

// rateLimitsState reads from the settings whether the server's rate limits
// are on (CONFLICTO_RATE_LIMITS): "on", "off" or "unknown".
func rateLimitsState(ctx context.Context, api *API, superToken string) string {
	var settings struct {
		RateLimits struct {
			Enabled bool `json:"enabled"`
		} `json:"rateLimits"`
	}
	raw := json.RawMessage{}
	if _, _, err := api.Do(ctx, http.MethodGet, "/api/settings", superToken, nil, &raw); err != nil {
		return "unknown"
	}
	if json.Unmarshal(raw, &settings) != nil {
		return "unknown"
	}
	if settings.RateLimits.Enabled {
		return "on"
	}
	return "off"
}

// medianSpread returns the median, the minimum and the maximum of xs
// (zeros for none); the median of an even count is the mean of the two
// middle values.
func medianSpread(xs []float64) (median, lo, hi float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	median = s[n/2]
	if n%2 == 0 {
		median = (s[n/2-1] + s[n/2]) / 2
	}
	return round2(median), s[0], s[n-1]
}
