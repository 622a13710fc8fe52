package metrics

import (
	"database/sql"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
)

// The collectors below read their values when scraped: counting them as
// they happen would put a lock or an atomic on paths that do not need one.

// realtimeCollector counts the open realtime connections and their
// subscriptions from the subscriptions broker.
type realtimeCollector struct {
	app           core.App
	connections   *prometheus.Desc
	subscriptions *prometheus.Desc
}

func newRealtimeCollector(app core.App) *realtimeCollector {
	return &realtimeCollector{
		app: app,
		connections: prometheus.NewDesc(Namespace+"_realtime_connections",
			"Open realtime (server-sent events) connections.", nil, nil),
		subscriptions: prometheus.NewDesc(Namespace+"_realtime_subscriptions",
			"Subscriptions of the open realtime connections: kind live for the live topic (phones, screens), record for PocketBase's record topics (the host's dashboard).", []string{"kind"}, nil),
	}
}

func (rc *realtimeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- rc.connections
	ch <- rc.subscriptions
}

func (rc *realtimeCollector) Collect(ch chan<- prometheus.Metric) {
	clients := rc.app.SubscriptionsBroker().Clients()
	var live, record int
	for _, client := range clients {
		for name := range client.Subscriptions() {
			if strings.HasPrefix(name, "live/") {
				live++
			} else {
				record++
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(rc.connections, prometheus.GaugeValue, float64(len(clients)))
	ch <- prometheus.MustNewConstMetric(rc.subscriptions, prometheus.GaugeValue, float64(live), "live")
	ch <- prometheus.MustNewConstMetric(rc.subscriptions, prometheus.GaugeValue, float64(record), "record")
}

// liveSource holds the live engine's Stats once wire hands it over.
type liveSource struct {
	mu    sync.Mutex
	stats func() LiveStats
}

func (s *liveSource) set(f func() LiveStats) {
	s.mu.Lock()
	s.stats = f
	s.mu.Unlock()
}

func (s *liveSource) get() (LiveStats, bool) {
	s.mu.Lock()
	f := s.stats
	s.mu.Unlock()
	if f == nil {
		return LiveStats{}, false
	}
	return f(), true
}

// liveCollector exposes the live engine's totals.
type liveCollector struct {
	src                                  *liveSource
	changes, coalesced, broadcasts, sent *prometheus.Desc
}

func newLiveCollector(src *liveSource) *liveCollector {
	d := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(Namespace+"_live_"+name, help, nil, nil)
	}
	return &liveCollector{
		src:        src,
		changes:    d("changes_total", "Changes of a session's live state (joins, answers, advances)."),
		coalesced:  d("coalesced_total", "Changes that joined a delivery already due instead of causing their own."),
		broadcasts: d("broadcasts_total", "Live documents built and delivered to a session's topic."),
		sent:       d("documents_sent_total", "Live documents sent to one subscriber (broadcasts and welcomes)."),
	}
}

func (lc *liveCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- lc.changes
	ch <- lc.coalesced
	ch <- lc.broadcasts
	ch <- lc.sent
}

func (lc *liveCollector) Collect(ch chan<- prometheus.Metric) {
	s, _ := lc.src.get() // zeros until the hub exists: the series stay
	ch <- prometheus.MustNewConstMetric(lc.changes, prometheus.CounterValue, float64(s.Changes))
	ch <- prometheus.MustNewConstMetric(lc.coalesced, prometheus.CounterValue, float64(s.Coalesced))
	ch <- prometheus.MustNewConstMetric(lc.broadcasts, prometheus.CounterValue, float64(s.Broadcasts))
	ch <- prometheus.MustNewConstMetric(lc.sent, prometheus.CounterValue, float64(s.Sent))
}

// writeWaitCollector reads the statistics of PocketBase's write pool.
// Every write of the process (record saves, transactions, the joins'
// direct inserts, presence batches) goes through that pool of one
// connection, SQLite's single writer: database/sql counts each time a
// write had to wait for the connection and for how long, which is the
// write queue's wait.
type writeWaitCollector struct {
	app                  core.App
	waits, waited, inUse *prometheus.Desc
}

func newWriteWaitCollector(app core.App) *writeWaitCollector {
	return &writeWaitCollector{
		app: app,
		waits: prometheus.NewDesc(Namespace+"_db_write_waits_total",
			"Writes that waited for SQLite's single writer connection.", nil, nil),
		waited: prometheus.NewDesc(Namespace+"_db_write_wait_seconds_total",
			"Total time writes waited for SQLite's single writer connection.", nil, nil),
		inUse: prometheus.NewDesc(Namespace+"_db_write_in_use",
			"1 while the writer connection is held by a write.", nil, nil),
	}
}

func (wc *writeWaitCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- wc.waits
	ch <- wc.waited
	ch <- wc.inUse
}

func (wc *writeWaitCollector) Collect(ch chan<- prometheus.Metric) {
	db := writerDB(wc.app)
	if db == nil {
		return // not bootstrapped: no pool to read
	}
	s := db.Stats()
	ch <- prometheus.MustNewConstMetric(wc.waits, prometheus.CounterValue, float64(s.WaitCount))
	ch <- prometheus.MustNewConstMetric(wc.waited, prometheus.CounterValue, s.WaitDuration.Seconds())
	ch <- prometheus.MustNewConstMetric(wc.inUse, prometheus.GaugeValue, float64(s.InUse))
}

// writerDB is the pool behind the app's NonconcurrentDB, or nil.
func writerDB(app core.App) *sql.DB {
	if !app.IsBootstrapped() {
		return nil
	}
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok || db == nil {
		return nil
	}
	return db.DB()
}
