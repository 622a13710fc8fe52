package main

import (
	"strings"
	"testing"
	"time"
)

func steady(n int, f func(i int) Sample) []Sample {
	out := make([]Sample, n)
	for i := range out {
		out[i] = f(i)
		out[i].At = time.Duration(i) * time.Minute
	}
	return out
}

func TestTrendsFlagOnlyGrowthAfterWarmup(t *testing.T) {
	// Warm-up climbs, then flat with noise: no trend.
	flat := steady(60, func(i int) Sample {
		v := 200.0
		if i < 6 {
			v = 50 + 25*float64(i)
		}
		noise := float64(i%3) * 3
		return Sample{RSSMB: v + noise, Goroutines: 4000 + noise*10, OpenFiles: 2100 + noise}
	})
	for _, tr := range Trends(flat, 6*time.Minute) {
		if tr.Up {
			t.Errorf("%s flagged on a flat run: %+v", tr.Series, tr)
		}
	}
	// A leak: one goroutine and 0.5 MB a minute after warm-up does not
	// pass, descriptors leaking 5 a minute neither.
	leak := steady(60, func(i int) Sample {
		return Sample{RSSMB: 200 + 0.8*float64(i), Goroutines: 4000 + 20*float64(i), OpenFiles: 2100 + 5*float64(i)}
	})
	up := map[string]bool{}
	for _, tr := range Trends(leak, 6*time.Minute) {
		up[tr.Series] = tr.Up
	}
	for _, series := range []string{"rss_mb", "goroutines", "open_files"} {
		if !up[series] {
			t.Errorf("%s leak not flagged", series)
		}
	}
	// Unknown values are left out.
	if got := Trends(steady(10, func(int) Sample { return Sample{RSSMB: -1, Goroutines: -1, OpenFiles: -1} }), 0); len(got) != 0 {
		t.Errorf("trends of unknown series: %+v", got)
	}
}

func TestParseMetricsKeepsUnlabelled(t *testing.T) {
	m, err := parseMetrics(strings.NewReader("# HELP go_goroutines x\n# TYPE go_goroutines gauge\ngo_goroutines 42\nprocess_open_fds 17\nconflicto_realtime_subscriptions{kind=\"live\"} 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.get("go_goroutines") != 42 || m.get("process_open_fds") != 17 || m.get("conflicto_realtime_subscriptions") != -1 {
		t.Fatalf("parsed %v", m)
	}
}

func TestCharts(t *testing.T) {
	s := steady(30, func(i int) Sample { return Sample{RSSMB: 100 + float64(i)} })
	chart := asciiChart(s, func(s Sample) float64 { return s.RSSMB }, "rss", 40, 8)
	if strings.Count(chart, "*") != 30 && strings.Count(chart, "*") < 20 {
		t.Fatalf("chart has %d points:\n%s", strings.Count(chart, "*"), chart)
	}
	svg := svgChart(s, "a <title>")
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "<polyline") || !strings.Contains(svg, "a &lt;title&gt;") {
		t.Fatalf("svg:\n%s", svg)
	}
}
