package main

import (
	"errors"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	scenarios := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", []time.Duration{7}, 50, 7},
		{"single p99", []time.Duration{7}, 99, 7},
		{"1..100 p50", hundred, 50, 50 * time.Millisecond},
		{"1..100 p95", hundred, 95, 95 * time.Millisecond},
		{"1..100 p99", hundred, 99, 99 * time.Millisecond},
		{"1..100 p100", hundred, 100, 100 * time.Millisecond},
		{"four p50 takes the lower middle", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"four p99 rounds up to the last", []time.Duration{1, 2, 3, 4}, 99, 4},
		{"tiny p rounds up to the first", []time.Duration{1, 2, 3, 4}, 0.1, 1},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := Percentile(s.sorted, s.p); got != s.want {
				t.Fatalf("Percentile(%v, %v) = %v, want %v", s.sorted, s.p, got, s.want)
			}
		})
	}
}

func TestRecorderSummary(t *testing.T) {
	r := NewRecorder()
	start := time.Unix(1000, 0)
	// 10 operations of 1..10 ms, one starting every 100 ms: wall 0.91 s.
	for i := range 10 {
		r.Add(start.Add(time.Duration(i)*100*time.Millisecond), time.Duration(i+1)*time.Millisecond, 200, nil)
	}
	r.Add(start, 3*time.Millisecond, 409, nil)
	r.Add(start, 4*time.Millisecond, 503, nil)
	r.Add(start, 5*time.Millisecond, 0, errors.New("connection reset"))
	r.AddMissing()

	s := r.Summary()
	if s.Count != 13 {
		t.Fatalf("Count = %d, want 13", s.Count)
	}
	if s.Status["200"] != 10 || s.Status["409"] != 1 || s.Status["503"] != 1 || s.Status["error"] != 1 || s.Status["missing"] != 1 {
		t.Fatalf("Status = %v", s.Status)
	}
	if s.Errors != 3 { // 503, transport error, missing
		t.Fatalf("Errors = %d, want 3", s.Errors)
	}
	if s.WallS != 0.91 {
		t.Fatalf("WallS = %v, want 0.91", s.WallS)
	}
	if s.Throughput != round2(13/0.91) {
		t.Fatalf("Throughput = %v, want %v", s.Throughput, round2(13/0.91))
	}
	if s.MaxMs != 10 || s.P50Ms != 5 || s.P99Ms != 10 {
		t.Fatalf("p50/p99/max = %v/%v/%v, want 5/10/10", s.P50Ms, s.P99Ms, s.MaxMs)
	}
	if r.Count("409") != 1 {
		t.Fatalf("Count(409) = %d, want 1", r.Count("409"))
	}
}

func TestRatio(t *testing.T) {
	if got := ratio(1, 0); got != 0 {
		t.Fatalf("ratio(1, 0) = %v, want 0", got)
	}
	if got := ratio(2, 3); got != 0.67 {
		t.Fatalf("ratio(2, 3) = %v, want 0.67", got)
	}
}

func TestRecorderDeliveries(t *testing.T) {
	r := NewRecorder()
	start := time.Unix(1000, 0)
	r.AddLatency(start, 20*time.Millisecond)
	r.AddLatency(start, 40*time.Millisecond)
	r.AddMissing()
	s := r.Summary()
	if s.Count != 2 || s.Status["delivered"] != 2 || s.Status["missing"] != 1 || s.Errors != 1 {
		t.Fatalf("summary = %+v", s)
	}
	if s.MinMs != 20 || s.P50Ms != 20 || s.MaxMs != 40 {
		t.Fatalf("min/p50/max = %v/%v/%v, want 20/20/40", s.MinMs, s.P50Ms, s.MaxMs)
	}
}

func TestMergeAddsEachChangeToTheRun(t *testing.T) {
	run := NewRecorder()
	start := time.Unix(1000, 0)
	first, second := NewRecorder(), NewRecorder()
	first.AddLatency(start, 10*time.Millisecond)
	first.AddLatency(start, 30*time.Millisecond)
	second.AddLatency(start.Add(time.Second), 50*time.Millisecond)
	second.AddMissing()
	run.Merge(first)
	run.Merge(second)
	run.Merge(NewRecorder()) // a change nobody was timed for leaves the window alone
	s := run.Summary()
	if s.Count != 3 || s.Status["delivered"] != 3 || s.Status["missing"] != 1 || s.Errors != 1 {
		t.Fatalf("summary = %+v", s)
	}
	if s.MinMs != 10 || s.MaxMs != 50 || s.WallS != 1.05 {
		t.Fatalf("min/max/wall = %v/%v/%v, want 10/50/1.05", s.MinMs, s.MaxMs, s.WallS)
	}
	if f := first.Summary(); f.Count != 2 || f.MaxMs != 30 {
		t.Fatalf("merging changed the change's own record: %+v", f)
	}
}

func TestSpreadAndMedians(t *testing.T) {
	if got := spreadOf([]float64{3, 1, 2}); got != (Spread{Median: 2, Min: 1, Max: 3}) {
		t.Fatalf("spread of 3 = %+v", got)
	}
	if got := spreadOf([]float64{4, 1, 2, 3}); got != (Spread{Median: 2.5, Min: 1, Max: 4}) {
		t.Fatalf("spread of 4 = %+v", got)
	}
	if got := spreadOf(nil); got != (Spread{}) {
		t.Fatalf("spread of none = %+v", got)
	}
	run := func(target string, rps, p99 float64) *Run {
		return &Run{Target: target, Main: "join", OK: true, Ops: map[string]Summary{"join": {Throughput: rps, P99Ms: p99}}}
	}
	rep := &Report{Scenario: "join", Ratios: map[string]float64{}, Runs: []*Run{
		run("conflicto", 900, 100), run("plain", 1000, 90), run("plain-open", 2000, 50),
		run("conflicto", 1100, 80), run("plain", 1200, 70), run("plain-open", 1800, 60),
		run("conflicto", 1000, 120), run("plain", 1100, 80), run("plain-open", 2200, 40),
	}}
	rep.Finish()
	if m := rep.Medians["conflicto"]; m.Rounds != 3 || m.Throughput != (Spread{1000, 900, 1100}) || m.P99Ms.Median != 100 {
		t.Fatalf("conflicto medians = %+v", m)
	}
	if got := rep.Ratios["throughput_conflicto_over_plain"]; got != 0.91 {
		t.Fatalf("ratio over plain = %v, want 0.91", got)
	}
	if got := rep.Ratios["throughput_conflicto_over_plain-open"]; got != 0.5 {
		t.Fatalf("ratio over plain-open = %v, want 0.5", got)
	}
	if !rep.OK {
		t.Fatal("report not OK")
	}
}

// The fan-out's ratios are of the median p99 and max delivery over the
// alternating rounds, not of one run.
func TestFanoutRatiosAreOfTheMedians(t *testing.T) {
	run := func(target string, p99, max float64) *Run {
		return &Run{Scenario: "fanout", Target: target, Main: "delivery", OK: true, Ops: map[string]Summary{"delivery": {P99Ms: p99, MaxMs: max}}}
	}
	rep := &Report{Scenario: "fanout", Ratios: map[string]float64{}, Runs: []*Run{
		run("conflicto", 30, 40), run("plain-scoped", 200, 210), run("plain-open", 60, 70),
		run("conflicto", 90, 95), run("plain-scoped", 180, 190), run("plain-open", 50, 55),
		run("conflicto", 20, 25), run("plain-scoped", 220, 230), run("plain-open", 40, 50),
	}}
	rep.Finish()
	if m := rep.Medians["conflicto"]; m.Rounds != 3 || m.P99Ms != (Spread{30, 20, 90}) || m.MaxMs.Median != 40 {
		t.Fatalf("conflicto medians = %+v", m)
	}
	if got := rep.Ratios["p99_delivery_conflicto_over_plain-scoped"]; got != 0.15 {
		t.Fatalf("p99 ratio over scoped = %v, want 30/200 = 0.15", got)
	}
	if got := rep.Ratios["p99_delivery_conflicto_over_plain-open"]; got != 0.6 {
		t.Fatalf("p99 ratio over open = %v, want 30/50 = 0.6", got)
	}
	if got := rep.Ratios["max_delivery_conflicto_over_plain-open"]; got != 0.73 {
		t.Fatalf("max ratio over open = %v, want 40/55 = 0.73", got)
	}
	if _, ok := rep.Ratios["server_cpu_per_change_conflicto_over_plain-open"]; ok {
		t.Fatal("a CPU ratio without any CPU measured")
	}

	// With the server's CPU per change measured in every round: its ratio
	// is of the medians too; a target with a round unmeasured gets none.
	for i, cpu := range []float64{60, 400, 100, 70, 420, 120, 65, 380} {
		rep.Runs[i].CPU = &CPU{Server: cpu, Tool: 50}
	}
	rep.Ratios = map[string]float64{}
	rep.Finish()
	if got := rep.Medians["conflicto"].ServerCPU; got == nil || *got != (Spread{65, 60, 70}) {
		t.Fatalf("conflicto server CPU = %+v, want 65 [60 – 70]", got)
	}
	if got := rep.Ratios["server_cpu_per_change_conflicto_over_plain-scoped"]; got != 0.16 {
		t.Fatalf("CPU ratio over scoped = %v, want 65/400 = 0.16", got)
	}
	if got, ok := rep.Ratios["server_cpu_per_change_conflicto_over_plain-open"]; ok || rep.Medians["plain-open"].ServerCPU != nil {
		t.Fatalf("CPU ratio over open = %v with a round unmeasured", got)
	}
}
