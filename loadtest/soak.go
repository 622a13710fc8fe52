package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sample is one reading of the server during a soak.
type Sample struct {
	At          time.Duration // since the event started
	RSSMB       float64       // -1 when unknown
	Goroutines  float64       // -1 when unknown
	OpenFiles   float64       // -1 when unknown
	Connections float64       // realtime connections, -1 when unknown
	GoMB        float64       // memory the Go runtime holds from the OS, -1 when unknown
}

// Sampler reads the server's RSS (/proc, needs its pid) and its
// goroutines, open files, realtime connections and the Go runtime's memory
// (GET /api/metrics, needs the metrics token; RSS minus the Go runtime's
// share is what SQLite's driver holds outside the Go heap) every interval, appending each reading to a CSV file.
type Sampler struct {
	pid   int
	api   *API
	token string
	csv   io.WriteCloser

	mu      sync.Mutex
	samples []Sample
	stop    chan struct{}
	done    sync.WaitGroup
}

const sampleHeader = "minute,rss_mb,goroutines,open_files,realtime_connections,go_mb"

// StartSampler samples now and every interval until Stop. csvPath "" keeps
// the samples in memory only.
func StartSampler(ctx context.Context, pid int, api *API, token string, interval time.Duration, csvPath string) (*Sampler, error) {
	s := &Sampler{pid: pid, api: api, token: token, stop: make(chan struct{})}
	if csvPath != "" {
		f, err := os.Create(csvPath)
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(f, sampleHeader)
		s.csv = f
	}
	start := time.Now()
	s.take(ctx, 0)
	s.done.Go(func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				s.take(ctx, time.Since(start))
			}
		}
	})
	return s, nil
}

func (s *Sampler) take(ctx context.Context, at time.Duration) {
	sm := Sample{At: at, RSSMB: -1, Goroutines: -1, OpenFiles: -1, Connections: -1, GoMB: -1}
	if s.pid > 0 {
		if v, err := readRSS(s.pid); err == nil {
			sm.RSSMB = v
		}
	}
	if s.token != "" {
		m, err := scrapeMetrics(ctx, s.api, s.token)
		if err != nil {
			progress("soak: metrics: %v", err)
		} else {
			sm.Goroutines = m.get("go_goroutines")
			sm.OpenFiles = m.get("process_open_fds")
			sm.Connections = m.get("conflicto_realtime_connections")
			if v := m.get("go_memstats_sys_bytes"); v >= 0 {
				sm.GoMB = round2(v / (1 << 20))
			}
			if sm.RSSMB < 0 {
				if v := m.get("process_resident_memory_bytes"); v >= 0 {
					sm.RSSMB = round2(v / (1 << 20))
				}
			}
		}
	}
	s.mu.Lock()
	s.samples = append(s.samples, sm)
	if s.csv != nil {
		fmt.Fprintf(s.csv, "%.2f,%s,%s,%s,%s,%s\n", at.Minutes(), num(sm.RSSMB), num(sm.Goroutines), num(sm.OpenFiles), num(sm.Connections), num(sm.GoMB))
	}
	s.mu.Unlock()
	progress("soak: %s RSS %s MB (Go %s MB), %s goroutines, %s open files, %s realtime connections",
		at.Round(time.Second), num(sm.RSSMB), num(sm.GoMB), num(sm.Goroutines), num(sm.OpenFiles), num(sm.Connections))
}

// Stop takes a last sample and returns them all.
func (s *Sampler) Stop(ctx context.Context, at time.Duration) []Sample {
	close(s.stop)
	s.done.Wait()
	s.take(ctx, at)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.csv != nil {
		s.csv.Close()
		s.csv = nil
	}
	return append([]Sample(nil), s.samples...)
}

func num(v float64) string {
	if v < 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// metricValues are the unlabelled samples of a scrape.
type metricValues map[string]float64

func (m metricValues) get(name string) float64 {
	if v, ok := m[name]; ok {
		return v
	}
	return -1
}

// scrapeMetrics reads GET /api/metrics with the bearer token.
func scrapeMetrics(ctx context.Context, api *API, token string) (metricValues, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.Base+"/api/metrics", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := api.HC.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/metrics: status %d (is -metrics-token the server's CONFLICTO_METRICS_TOKEN?)", res.StatusCode)
	}
	return parseMetrics(res.Body)
}

// parseMetrics keeps the unlabelled samples of the Prometheus text format.
func parseMetrics(r io.Reader) (metricValues, error) {
	out := metricValues{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || strings.ContainsRune(line, '{') {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(strings.Fields(value)[0], 64); err == nil {
			out[name] = v
		}
	}
	return out, sc.Err()
}

// Trend is the straight line fitted to one series after the warm-up.
type Trend struct {
	Series  string  `json:"series"`
	Samples int     `json:"samples"`
	Start   float64 `json:"start"`  // the line's value at the first sample
	Growth  float64 `json:"growth"` // the line's rise across the samples
	Allowed float64 `json:"allowed"`
	Up      bool    `json:"trending_up"`
}

// trendAllowance is how much a series may rise after the warm-up before
// it counts as trending up: a share of its level, and at least a floor
// (noise: a GC cycle, a burst of reconnects).
var trendAllowance = map[string]struct{ share, floor float64 }{
	"rss_mb":     {0.10, 24},
	"goroutines": {0.10, 200},
	"open_files": {0.10, 100},
}

// Trends fits a least-squares line to each series over the samples taken
// at or after warmup; a series rising by more than its allowance across
// them trends up. A series without values is left out.
func Trends(samples []Sample, warmup time.Duration) []Trend {
	var out []Trend
	for _, series := range []string{"rss_mb", "goroutines", "open_files"} {
		var xs, ys []float64
		for _, s := range samples {
			v := map[string]float64{"rss_mb": s.RSSMB, "goroutines": s.Goroutines, "open_files": s.OpenFiles}[series]
			if s.At >= warmup && v >= 0 {
				xs, ys = append(xs, s.At.Minutes()), append(ys, v)
			}
		}
		if len(xs) < 3 {
			continue
		}
		slope, intercept := fitLine(xs, ys)
		t := Trend{Series: series, Samples: len(xs), Start: round2(intercept + slope*xs[0]), Growth: round2(slope * (xs[len(xs)-1] - xs[0]))}
		a := trendAllowance[series]
		t.Allowed = round2(math.Max(a.share*math.Abs(t.Start), a.floor))
		t.Up = t.Growth > t.Allowed
		out = append(out, t)
	}
	return out
}

// fitLine returns the least-squares slope and intercept of ys over xs.
func fitLine(xs, ys []float64) (slope, intercept float64) {
	n := float64(len(xs))
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0, sy / n
	}
	slope = (n*sxy - sx*sy) / d
	return slope, (sy - slope*sx) / n
}

// asciiChart draws one series over time in rows lines of text.
func asciiChart(samples []Sample, get func(Sample) float64, label string, width, rows int) string {
	var pts []Sample
	for _, s := range samples {
		if get(s) >= 0 {
			pts = append(pts, s)
		}
	}
	if len(pts) == 0 {
		return label + ": no samples\n"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range pts {
		lo, hi = math.Min(lo, get(s)), math.Max(hi, get(s))
	}
	lo = math.Floor(lo * 0.95)
	hi = math.Ceil(math.Max(hi*1.05, lo+1))
	end := pts[len(pts)-1].At
	grid := make([][]byte, rows)
	for r := range grid {
		grid[r] = []byte(strings.Repeat(" ", width))
	}
	for _, s := range pts {
		col := 0
		if end > 0 {
			col = int(float64(width-1) * float64(s.At) / float64(end))
		}
		row := int(math.Round(float64(rows-1) * (get(s) - lo) / (hi - lo)))
		grid[rows-1-row][col] = '*'
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", label)
	for r, line := range grid {
		v := hi - (hi-lo)*float64(r)/float64(rows-1)
		fmt.Fprintf(&b, "%8.0f |%s\n", v, strings.TrimRight(string(line), " "))
	}
	fmt.Fprintf(&b, "%8s +%s\n", "", strings.Repeat("-", width))
	fmt.Fprintf(&b, "%8s  0 min%s%.0f min\n", "", strings.Repeat(" ", max(width-12, 1)), end.Minutes())
	return b.String()
}

// svgChart draws RSS over time as a small SVG line chart.
func svgChart(samples []Sample, title string) string {
	const w, h, pad = 720.0, 300.0, 50.0
	var pts []Sample
	for _, s := range samples {
		if s.RSSMB >= 0 {
			pts = append(pts, s)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="20" font-size="14">%s</text>`+"\n", pad, xmlEscape(title))
	if len(pts) == 0 {
		b.WriteString("</svg>\n")
		return b.String()
	}
	hi := 0.0
	for _, s := range pts {
		hi = math.Max(hi, s.RSSMB)
	}
	hi = math.Ceil(hi*1.1/50) * 50
	end := math.Max(pts[len(pts)-1].At.Minutes(), 1)
	x := func(m float64) float64 { return pad + (w-2*pad)*m/end }
	y := func(v float64) float64 { return h - pad - (h-2*pad)*v/hi }
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", pad, y(0), w-pad, y(0))
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", pad, y(0), pad, y(hi))
	for i := 0; i <= 4; i++ {
		v := hi * float64(i) / 4
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%.0f MB</text>`+"\n", pad-4, y(v)+4, v)
		m := end * float64(i) / 4
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.0f min</text>`+"\n", x(m), h-pad+16, m)
	}
	b.WriteString(`<polyline fill="none" stroke="#c0392b" stroke-width="2" points="`)
	for i, s := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x(s.At.Minutes()), y(s.RSSMB))
	}
	b.WriteString(`"/>` + "\n</svg>\n")
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// writeSoakFiles writes the SVG and the ASCII chart beside the CSV.
func writeSoakFiles(dir string, samples []Sample, title string) error {
	if err := os.WriteFile(filepath.Join(dir, "rss.svg"), []byte(svgChart(samples, title)), 0o644); err != nil {
		return err
	}
	chart := asciiChart(samples, func(s Sample) float64 { return s.RSSMB }, "server RSS (MB) over the run", 60, 12)
	return os.WriteFile(filepath.Join(dir, "rss.txt"), []byte(chart), 0o644)
}

// soakReport adds the samples' trends to the run, writes the charts when
// -soak-out is set, prints the ASCII chart, and returns the problems: a
// series trending up after the warm-up, or no samples to judge.
func (st *eventState) soakReport(run *Run, samples []Sample) []string {
	o := st.o
	trends := Trends(samples, o.Warmup)
	run.Extra["samples"] = len(samples)
	run.Extra["trends"] = trends
	var problems []string
	for _, t := range trends {
		if t.Up {
			problems = append(problems, fmt.Sprintf("%s trends up after the %s warm-up: +%.1f across %d samples from %.1f (allowed +%.1f)",
				t.Series, o.Warmup, t.Growth, t.Samples, t.Start, t.Allowed))
		}
	}
	if o.Soak {
		judged := map[string]bool{}
		for _, t := range trends {
			judged[t.Series] = true
		}
		for _, series := range []string{"rss_mb", "goroutines", "open_files"} {
			if !judged[series] {
				problems = append(problems, fmt.Sprintf("soak: no %s samples after the warm-up to judge (RSS needs -pid or -compare, goroutines and open files -metrics-token)", series))
			}
		}
	}
	chart := asciiChart(samples, func(s Sample) float64 { return s.RSSMB }, "server RSS (MB) over the run", 60, 12)
	fmt.Fprint(os.Stderr, chart)
	if o.SoakOut != "" {
		title := fmt.Sprintf("Conflicto soak: server RSS, %d participants, %s, %d polls", o.N, o.Duration, max(int(o.Duration/o.Round), 1))
		if err := writeSoakFiles(o.SoakOut, samples, title); err != nil {
			problems = append(problems, "soak files: "+err.Error())
		}
	}
	return problems
}

// waitGroupWithin waits for wg up to d and reports whether it finished.
func waitGroupWithin(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
