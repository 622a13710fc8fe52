package apitest_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
	"conflicto/config"
)

const metricsToken = "metrics-token-for-tests-0123456789"

// scrape is one read of /api/metrics: every sample by its series as
// written ("name{label=\"v\",...}", labels in name order), and the metric
// families named by # TYPE lines.
type scrape struct {
	samples  map[string]float64
	families map[string]string // name → type
}

func scrapeMetrics(t testing.TB, baseURL string) scrape {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, baseURL+"/api/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("scrape: status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("scrape: Content-Type %q, want the text format", ct)
	}
	s := scrape{samples: map[string]float64{}, families: map[string]string{}}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(rest, " ")
			s.families[name] = typ
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape: bad sample line %q", line)
		}
		s.samples[line[:i]] = v
	}
	return s
}

// value is a sample's value, failing when the series is absent.
func (s scrape) value(t testing.TB, series string) float64 {
	t.Helper()
	v, ok := s.samples[series]
	if !ok {
		t.Fatalf("scrape has no series %s", series)
	}
	return v
}

func TestMetricsRouteNeedsTheToken(t *testing.T) {
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)

	for _, auth := range []string{"", "Bearer", "Bearer wrong-token-of-the-same-kind", "Basic " + metricsToken, metricsToken, "Bearer " + metricsToken + "x", w.headers(t, actorSuperuser)["Authorization"]} {
		res := getJSON(t, srv.URL+"/api/metrics", auth)
		if res.status != http.StatusUnauthorized {
			t.Fatalf("Authorization %q: status %d, want 401: %s", auth, res.status, res.body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/metrics", nil)
	req.Header.Set("Authorization", "bearer "+metricsToken) // the scheme in any case
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("lower-case scheme: status %d", res.StatusCode)
	}

	// Unset: no route at all.
	off := newWorld(t, config.Default())
	defer off.app.Cleanup()
	offSrv := startServer(t, off.app)
	for _, auth := range []string{"", "Bearer " + metricsToken} {
		if res := getJSON(t, offSrv.URL+"/api/metrics", auth); res.status != http.StatusNotFound {
			t.Fatalf("without CONFLICTO_METRICS_TOKEN, Authorization %q: status %d, want 404", auth, res.status)
		}
	}
}

// The scrape moves with real traffic: a join, an answer, a live
// subscriber, a heartbeat's presence batch, by route pattern and status.
func TestMetricsMoveWithTraffic(t *testing.T) {
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	act := createActivity(t, w.app, w.s1, "poll", pollConfig)
	activate(t, w.app, act)

	screen := openSSE(t, srv.URL)
	screen.subscribe(t, srv.URL, "", "live/"+codeOf(w.s1))
	screen.next(t, 5*time.Second) // the welcome

	before := scrapeMetrics(t, srv.URL)

	joinRoute := `conflicto_http_requests_total{method="POST",route="/api/join",status="200"}`
	answerRoute := `conflicto_http_requests_total{method="POST",route="/api/collections/{collection}/records",status="200"}`
	refusedRoute := `conflicto_http_requests_total{method="POST",route="/api/join",status="400"}`

	res := postJSON(t, srv.URL+"/api/join", `{"code":"`+codeOf(w.s1)+`","nickname":"Grace"}`, "")
	var joined struct {
		Token  string `json:"token"`
		Record struct {
			ID string `json:"id"`
		} `json:"record"`
	}
	if res.status != 200 || json.Unmarshal(res.body, &joined) != nil {
		t.Fatalf("join: %d %s", res.status, res.body)
	}
	if r := postJSON(t, srv.URL+"/api/join", `{"code":"`+codeOf(w.s1)+`"}`, ""); r.status != 400 {
		t.Fatalf("join without a nickname: %d %s", r.status, r.body)
	}
	if r := postJSON(t, srv.URL+"/api/collections/"+c.Responses+"/records",
		`{"activity":"`+act.Id+`","participant":"`+joined.Record.ID+`","value":{"choices":[1]}}`, joined.Token); r.status != 200 {
		t.Fatalf("answer: %d %s", r.status, r.body)
	}
	screen.next(t, 5*time.Second) // the tally reached the screen
	// Ada has not been seen for a while: her heartbeat is a presence write.
	if _, err := w.app.DB().NewQuery("UPDATE " + c.Participants + " SET " + c.ParticipantLastSeen + " = '' WHERE id = {:id}").Bind(dbx.Params{"id": w.ada.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	if r := postJSON(t, srv.URL+"/api/participants/heartbeat", "", w.headers(t, actorParticipant)["Authorization"]); r.status != 200 && r.status != 204 {
		t.Fatalf("heartbeat: %d %s", r.status, r.body)
	}

	var after scrape
	deadline := time.Now().Add(5 * time.Second)
	for {
		after = scrapeMetrics(t, srv.URL)
		// The presence batch of the answer's sign of life is written within a second.
		if after.value(t, "conflicto_presence_flush_size_count") > before.value(t, "conflicto_presence_flush_size_count") || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	grew := func(series string, by float64) {
		t.Helper()
		old := before.samples[series] // absent before: 0
		if got := after.value(t, series) - old; got < by {
			t.Errorf("%s grew by %v, want at least %v", series, got, by)
		}
	}
	grew("conflicto_joins_total", 1)
	grew("conflicto_answers_total", 1)
	grew(joinRoute, 1)
	grew(refusedRoute, 1)
	grew(answerRoute, 1)
	grew(`conflicto_http_request_duration_seconds_count{method="POST",route="/api/join",status="200"}`, 1)
	grew(`conflicto_http_request_duration_seconds_bucket{method="POST",route="/api/join",status="200",le="+Inf"}`, 1)
	grew("conflicto_live_changes_total", 2)
	grew("conflicto_live_broadcasts_total", 1)
	grew("conflicto_live_documents_sent_total", 1)
	grew("conflicto_presence_flush_size_count", 1)
	grew("conflicto_presence_flush_size_sum", 1)
	grew(`conflicto_http_requests_total{method="GET",route="/api/metrics",status="200"}`, 1)

	if got := after.value(t, "conflicto_realtime_connections"); got != 1 {
		t.Errorf("realtime connections = %v, want 1 (the screen)", got)
	}
	if got := after.value(t, `conflicto_realtime_subscriptions{kind="live"}`); got != 1 {
		t.Errorf("live subscriptions = %v, want 1", got)
	}
	for _, series := range []string{"conflicto_db_write_waits_total", "conflicto_db_write_wait_seconds_total", "conflicto_live_coalesced_total"} {
		after.value(t, series)
	}
	// The raw path never becomes a label: record ids stay out.
	for series := range after.samples {
		if strings.Contains(series, joined.Record.ID) || strings.Contains(series, act.Id) || strings.Contains(series, codeOf(w.s1)) {
			t.Fatalf("a label carries a raw path: %s", series)
		}
	}
	if after.value(t, "go_goroutines") < 1 || after.value(t, "process_resident_memory_bytes") <= 0 || after.value(t, "process_open_fds") < 1 {
		t.Errorf("runtime and process collectors missing or zero")
	}

	screen.body.Close()
	deadline = time.Now().Add(5 * time.Second)
	for scrapeMetrics(t, srv.URL).value(t, "conflicto_realtime_connections") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the closed realtime connection is still counted")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Writes that queue for SQLite's single writer are counted with their
// wait: a write held open makes a second one wait.
func TestMetricsCountTheWriteWait(t *testing.T) {
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	before := scrapeMetrics(t, srv.URL)

	holding := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- w.app.RunInTransaction(func(tx core.App) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	second := make(chan error, 1)
	go func() {
		second <- w.app.RunInTransaction(func(tx core.App) error { return nil })
	}()
	time.Sleep(150 * time.Millisecond)
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	after := scrapeMetrics(t, srv.URL)
	if d := after.value(t, "conflicto_db_write_waits_total") - before.value(t, "conflicto_db_write_waits_total"); d < 1 {
		t.Fatalf("write waits grew by %v, want at least 1", d)
	}
	if d := after.value(t, "conflicto_db_write_wait_seconds_total") - before.value(t, "conflicto_db_write_wait_seconds_total"); d < 0.1 {
		t.Fatalf("write wait grew by %vs, want at least 0.1s (the held transaction)", d)
	}
}

// Every metric the Grafana dashboard queries is in the scrape.
func TestGrafanaDashboardQueriesExistingMetrics(t *testing.T) {
	data, err := os.ReadFile("../deploy/grafana/conflicto-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string `json:"title"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("the dashboard is not valid JSON: %v", err)
	}
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	srv := startServer(t, w.app)
	getJSON(t, srv.URL+"/api/health", "") // a request, so the request families have series
	got := scrapeMetrics(t, srv.URL)

	name := regexp.MustCompile(`\b(conflicto|go|process)_[a-z_]+\b`)
	queried := 0
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			for _, m := range name.FindAllString(target.Expr, -1) {
				queried++
				family := m
				for _, suffix := range []string{"_bucket", "_sum", "_count"} {
					if base, ok := strings.CutSuffix(m, suffix); ok && got.families[base] != "" {
						family = base
					}
				}
				if got.families[family] == "" {
					t.Errorf("panel %q queries %s, which the scrape lacks", p.Title, m)
				}
			}
		}
	}
	if queried < 10 {
		t.Fatalf("the dashboard queries %d metrics; want a panel for each area", queried)
	}
}
