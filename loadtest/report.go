package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Run is the outcome of one scenario against one target.
type Run struct {
	Scenario string             `json:"scenario"`
	Target   string             `json:"target"`          // conflicto, plain, plain-open (join, vote); plain-scoped, plain-open (fanout)
	Round    int                `json:"round,omitempty"` // join, vote, fanout: which of the -repeat rounds
	Params   map[string]any     `json:"params"`
	Ops      map[string]Summary `json:"ops"`
	Main     string             `json:"main"` // the op compared across targets
	OK       bool               `json:"ok"`   // the correctness check passed and nothing errored
	Problems []string           `json:"problems,omitempty"`
	RSSMB    *RSS               `json:"server_rss_mb,omitempty"`
	CPU      *CPU               `json:"cpu_ms_per_change,omitempty"` // fanout: the server's and the tool's CPU time per timed change
	Extra    map[string]any     `json:"extra,omitempty"`
}

// RSS is the server's resident memory, in MB, while the scenario ran.
type RSS struct {
	Before float64 `json:"before"`
	Peak   float64 `json:"peak"`
}

// Check finishes a run: it stores the problems found and sets OK.
func (r *Run) Check(problems []string) {
	r.Problems = append(r.Problems, problems...)
	for name, s := range r.Ops {
		if s.Errors > 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("%s: %d errors (%v)", name, s.Errors, s.Status))
		}
	}
	r.OK = len(r.Problems) == 0
}

// Report is everything one invocation prints as its JSON line.
type Report struct {
	Scenario string             `json:"scenario"`
	Date     string             `json:"date"`
	Commit   string             `json:"commit,omitempty"`
	Machine  string             `json:"machine"`
	Runs     []*Run             `json:"runs"`
	Medians  map[string]Medians `json:"medians,omitempty"` // join, vote: per target, over the rounds
	Ratios   map[string]float64 `json:"ratios,omitempty"`
	OK       bool               `json:"ok"`
}

// NewReport starts the report of scenario.
func NewReport(scenario string) *Report {
	return &Report{
		Scenario: scenario,
		Date:     time.Now().UTC().Format(time.RFC3339),
		Commit:   gitCommit(),
		Machine:  fmt.Sprintf("%d CPU, %s, %s/%s", runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH),
		Ratios:   map[string]float64{},
	}
}

// Finish computes the ratios Conflicto/plain of the runs that exist and
// the overall verdict. The ratios are of the medians over the rounds of
// each target (join and vote: throughput and p99; fanout: p99 and max
// delivery, and the server's CPU time per change when every round of both
// targets measured it).
func (rep *Report) Finish() {
	rep.OK = len(rep.Runs) > 0
	for _, r := range rep.Runs {
		rep.OK = rep.OK && r.OK
	}
	fanout := rep.Scenario == "fanout"
	if !fanout && rep.Scenario != "join" && rep.Scenario != "vote" {
		return
	}
	rep.Medians = mediansByTarget(rep.Runs)
	c, ok := rep.Medians["conflicto"]
	if !ok {
		return
	}
	for target, m := range rep.Medians {
		switch {
		case target == "conflicto":
		case fanout:
			rep.Ratios["p99_delivery_conflicto_over_"+target] = ratio(c.P99Ms.Median, m.P99Ms.Median)
			rep.Ratios["max_delivery_conflicto_over_"+target] = ratio(c.MaxMs.Median, m.MaxMs.Median)
			if c.ServerCPU != nil && m.ServerCPU != nil {
				rep.Ratios["server_cpu_per_change_conflicto_over_"+target] = ratio(c.ServerCPU.Median, m.ServerCPU.Median)
			}
		default:
			rep.Ratios["throughput_conflicto_over_"+target] = ratio(c.Throughput.Median, m.Throughput.Median)
			rep.Ratios["p99_conflicto_over_"+target] = ratio(c.P99Ms.Median, m.P99Ms.Median)
		}
	}
}

// Spread is a figure over the rounds: the median, the lowest and the
// highest.
type Spread struct {
	Median float64 `json:"median"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Medians are one target's main figures over its rounds.
type Medians struct {
	Rounds     int     `json:"rounds"`
	Throughput Spread  `json:"rps"`
	P99Ms      Spread  `json:"p99_ms"`
	MaxMs      Spread  `json:"max_ms"`
	ServerCPU  *Spread `json:"server_cpu_ms_per_change,omitempty"` // fanout, when every round measured it
}

func mediansByTarget(runs []*Run) map[string]Medians {
	rps, p99, maxMs, cpu := map[string][]float64{}, map[string][]float64{}, map[string][]float64{}, map[string][]float64{}
	for _, r := range runs {
		s := r.Ops[r.Main]
		rps[r.Target] = append(rps[r.Target], s.Throughput)
		p99[r.Target] = append(p99[r.Target], s.P99Ms)
		maxMs[r.Target] = append(maxMs[r.Target], s.MaxMs)
		if r.CPU != nil {
			cpu[r.Target] = append(cpu[r.Target], r.CPU.Server)
		}
	}
	out := map[string]Medians{}
	for target := range rps {
		m := Medians{Rounds: len(rps[target]), Throughput: spreadOf(rps[target]), P99Ms: spreadOf(p99[target]), MaxMs: spreadOf(maxMs[target])}
		if len(cpu[target]) == m.Rounds {
			s := spreadOf(cpu[target])
			m.ServerCPU = &s
		}
		out[target] = m
	}
	return out
}

// spreadOf returns the median (the mean of the middle two for an even
// count), the lowest and the highest of xs.
func spreadOf(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Spread{Median: round2(m), Min: round2(s[0]), Max: round2(s[len(s)-1])}
}

// Print writes the human summary to w and then the report as one JSON
// line to jsonOut.
func (rep *Report) Print(w, jsonOut io.Writer) {
	fmt.Fprintf(w, "\n== %s — %s — %s — commit %s\n", rep.Scenario, rep.Date, rep.Machine, rep.Commit)
	for _, r := range rep.Runs {
		round := ""
		if r.Round > 0 {
			round = fmt.Sprintf(" (round %d)", r.Round)
		}
		fmt.Fprintf(w, "\n[%s]%s %s %s\n", r.Target, round, r.Scenario, formatParams(r.Params))
		names := make([]string, 0, len(r.Ops))
		for name := range r.Ops {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			s := r.Ops[name]
			mark := " "
			if name == r.Main {
				mark = "*"
			}
			fmt.Fprintf(w, " %s %-14s n=%-6d %8.1f/s  min %6.1f  p50 %7.1f  p95 %7.1f  p99 %7.1f  max %7.1f ms  %s\n",
				mark, name, s.Count, s.Throughput, s.MinMs, s.P50Ms, s.P95Ms, s.P99Ms, s.MaxMs, formatStatus(s.Status))
		}
		if r.RSSMB != nil {
			fmt.Fprintf(w, "   server RSS: %.1f MB before, %.1f MB peak\n", r.RSSMB.Before, r.RSSMB.Peak)
		}
		if r.CPU != nil {
			fmt.Fprintf(w, "   CPU per change: server %.1f ms, tool %.1f ms\n", r.CPU.Server, r.CPU.Tool)
		}
		extras := make([]string, 0, len(r.Extra))
		for k := range r.Extra {
			extras = append(extras, k)
		}
		slices.Sort(extras)
		for _, k := range extras {
			fmt.Fprintf(w, "   %s: %v\n", k, r.Extra[k])
		}
		if r.OK {
			fmt.Fprintln(w, "   check: OK")
		} else {
			fmt.Fprintln(w, "   check: FAILED")
			for _, p := range r.Problems {
				fmt.Fprintln(w, "     - "+p)
			}
		}
	}
	if len(rep.Medians) > 0 {
		fmt.Fprintln(w, "\nover the rounds (median [lowest – highest]):")
		for _, target := range slices.Sorted(maps.Keys(rep.Medians)) {
			m := rep.Medians[target]
			fmt.Fprintf(w, "  %-10s %d rounds  %8.1f/s [%.1f – %.1f]  p99 %7.1f ms [%.1f – %.1f]\n", target, m.Rounds,
				m.Throughput.Median, m.Throughput.Min, m.Throughput.Max, m.P99Ms.Median, m.P99Ms.Min, m.P99Ms.Max)
			if m.ServerCPU != nil {
				fmt.Fprintf(w, "  %-10s server CPU per change %.1f ms [%.1f – %.1f]\n", "", m.ServerCPU.Median, m.ServerCPU.Min, m.ServerCPU.Max)
			}
		}
	}
	if len(rep.Ratios) > 0 {
		fmt.Fprintln(w, "\nratios Conflicto/plain (of the medians over the rounds):")
		keys := make([]string, 0, len(rep.Ratios))
		for k := range rep.Ratios {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-44s %.2f\n", k, rep.Ratios[k])
		}
	}
	verdict := "OK"
	if !rep.OK {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "\nresult: %s\n", verdict)
	line, _ := json.Marshal(rep)
	fmt.Fprintln(jsonOut, string(line))
}

func formatParams(p map[string]any) string { return formatMap(p, "%s=%v") }

func formatStatus(s map[string]int) string { return formatMap(s, "%s:%d") }

// formatMap prints m's entries sorted by key, each with format (key, value).
func formatMap[V any](m map[string]V, format string) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf(format, k, m[k])
	}
	return strings.Join(parts, " ")
}

// gitCommit returns the short commit of the working directory, "" outside
// a git checkout.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
		commit += "+dirty"
	}
	return commit
}
