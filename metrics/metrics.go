// Package metrics exposes what the server is doing in the Prometheus text
// format at GET /api/metrics, behind a bearer token
// (CONFLICTO_METRICS_TOKEN; no route at all when it is unset).
//
// It measures from outside the rooms where it can: requests through a
// router middleware, joins and answers through record hooks, realtime
// connections from the subscriptions broker, the wait for SQLite's single
// writer from the write pool's own statistics. What only a room knows (the
// live engine's deliveries, the presence batches, the dropped realtime
// clients and held refusals) the room counts itself and wire hands it here
// (SetLive, ObservePresenceFlush, CountRealtimeDropped, CountRefusalHeld), so no room
// imports this package.
package metrics

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	c "conflicto/collections"
)

// Namespace prefixes Conflicto's own metric names.
const Namespace = "conflicto"

// LiveStats are the live engine's running totals.
type LiveStats struct {
	// Changes counts changes of a session's live state (a join, an
	// answer, an advance).
	Changes uint64
	// Coalesced counts the changes that joined a delivery already due
	// instead of causing one of their own.
	Coalesced uint64
	// Broadcasts counts documents built and delivered to a topic.
	Broadcasts uint64
	// Sent counts documents sent to a subscriber (a broadcast to 500
	// phones is 500, a welcome 1).
	Sent uint64
}

// Metrics is an app's registry and the metrics Conflicto records itself.
type Metrics struct {
	registry *prometheus.Registry

	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	joins         prometheus.Counter
	answers       prometheus.Counter
	presenceFlush prometheus.Histogram
	dropped       prometheus.Counter
	held          prometheus.Counter

	live liveSource
}

// storeKey is where Register leaves the metrics in the app's store, for Of.
const storeKey = "conflicto.metrics"

// Register creates the app's metrics, binds the request middleware and the
// record hooks that count, and adds GET /api/metrics when token is not
// empty. It must run first in wire.App, so that the request middleware
// sees every request.
func Register(app core.App, token string) *Metrics {
	m := New(app)
	registerRequests(app, m)
	registerRecords(app, m)
	if token != "" {
		registerRoute(app, m, token)
	}
	app.Store().Set(storeKey, m)
	return m
}

// New returns the metrics of app, registered in a registry of their own
// (a process runs one app; tests run many, each with its own registry).
func New(app core.App) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: Namespace, Name: "http_requests_total",
		Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "http_request_duration_seconds",
		Help:    "Time from the request to the handler's return, by route pattern, method and status (a realtime connection's whole life for GET /api/realtime).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})
	m.joins = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "joins_total",
		Help: "Participants created (joins).",
	})
	m.answers = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "answers_total",
		Help: "Responses created (answers and votes).",
	})
	m.presenceFlush = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: Namespace, Name: "presence_flush_size",
		Help:    "Participants' last_seen written by one presence flush (one transaction).",
		Buckets: []float64{1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000},
	})
	m.dropped = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "realtime_clients_dropped_total",
		Help: "Realtime clients dropped because they stopped reading (their queue of messages was full).",
	})
	m.held = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: Namespace, Name: "rate_limit_refusals_held_total",
		Help: "429s held and paced (one per 100 ms per key) because the client ignored an earlier Retry-After (a flooding script).",
	})
	m.registry.MustRegister(
		m.requests, m.duration, m.joins, m.answers, m.presenceFlush, m.dropped, m.held,
		newRealtimeCollector(app),
		newLiveCollector(&m.live),
		newWriteWaitCollector(app),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Of returns the metrics Register bound to app, or nil.
func Of(app core.App) *Metrics {
	m, _ := app.Store().Get(storeKey).(*Metrics)
	return m
}

// Registry is the registry the route serves (for tests and embedding).
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// SetLive hands the live engine's totals to the metrics; wire calls it
// with the hub's Stats once the hub exists.
func (m *Metrics) SetLive(stats func() LiveStats) { m.live.set(stats) }

// CountRealtimeDropped counts a realtime client dropped for not reading.
func (m *Metrics) CountRealtimeDropped() { m.dropped.Inc() }

// CountRefusalHeld counts a 429 held for a client ignoring Retry-After.
func (m *Metrics) CountRefusalHeld() { m.held.Inc() }

// ObservePresenceFlush records the size of one presence batch written.
func (m *Metrics) ObservePresenceFlush(n int) { m.presenceFlush.Observe(float64(n)) }

// registerRecords counts joins and answers after their commit. A join
// inserts its participant directly and triggers the after-create hooks by
// hand (routes/join.go), so it is counted here too.
func registerRecords(app core.App, m *Metrics) {
	app.OnRecordAfterCreateSuccess(c.Participants).BindFunc(func(e *core.RecordEvent) error {
		m.joins.Inc()
		return e.Next()
	})
	app.OnRecordAfterCreateSuccess(c.Responses).BindFunc(func(e *core.RecordEvent) error {
		m.answers.Inc()
		return e.Next()
	})
}
