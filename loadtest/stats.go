package main

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Recorder collects the latencies and outcomes of one kind of operation.
// It is safe for concurrent use.
type Recorder struct {
	mu     sync.Mutex
	lat    []time.Duration
	status map[string]int
	first  time.Time // start of the earliest operation
	last   time.Time // end of the latest operation
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{status: map[string]int{}}
}

// Add records one operation that started at start and took d. status is
// the HTTP status; err, when not nil, is a transport failure and status is
// ignored.
func (r *Recorder) Add(start time.Time, d time.Duration, status int, err error) {
	key := strconv.Itoa(status)
	if err != nil {
		key = "error"
	}
	r.add(start, d, key)
}

func (r *Recorder) add(start time.Time, d time.Duration, key string) {
	end := start.Add(d)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat = append(r.lat, d)
	r.status[key]++
	if r.first.IsZero() || start.Before(r.first) {
		r.first = start
	}
	if end.After(r.last) {
		r.last = end
	}
}

// AddLatency records a latency without an HTTP status, such as the time a
// realtime message took to arrive.
func (r *Recorder) AddLatency(start time.Time, d time.Duration) {
	r.add(start, d, "delivered")
}

// Merge adds everything o recorded to r.
func (r *Recorder) Merge(o *Recorder) {
	o.mu.Lock()
	lat, status, first, last := slices.Clone(o.lat), maps.Clone(o.status), o.first, o.last
	o.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lat = append(r.lat, lat...)
	for k, v := range status {
		r.status[k] += v
	}
	if !first.IsZero() && (r.first.IsZero() || first.Before(r.first)) {
		r.first = first
	}
	if last.After(r.last) {
		r.last = last
	}
}

// AddMissing counts an expected outcome that never came (a realtime
// message not delivered before the deadline).
func (r *Recorder) AddMissing() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status["missing"]++
}

// Summary is the digest of a Recorder: counts, throughput and latency
// percentiles in milliseconds.
type Summary struct {
	Count      int            `json:"count"`
	Errors     int            `json:"errors"` // transport failures, 5xx and missing deliveries
	Status     map[string]int `json:"status"`
	WallS      float64        `json:"wall_s"` // first start to last end
	Throughput float64        `json:"rps"`    // Count / WallS
	MeanMs     float64        `json:"mean_ms"`
	MinMs      float64        `json:"min_ms"` // fanout: the first subscriber served, i.e. the server's time before it sends
	P50Ms      float64        `json:"p50_ms"`
	P95Ms      float64        `json:"p95_ms"`
	P99Ms      float64        `json:"p99_ms"`
	MaxMs      float64        `json:"max_ms"`
}

// Summary computes the digest of what was recorded so far.
func (r *Recorder) Summary() Summary {
	r.mu.Lock()
	lat := slices.Clone(r.lat)
	s := Summary{Status: make(map[string]int, len(r.status))}
	for k, v := range r.status {
		s.Status[k] = v
		if k == "error" || k == "missing" || (len(k) == 3 && k[0] == '5') {
			s.Errors += v
		}
	}
	if !r.first.IsZero() {
		s.WallS = r.last.Sub(r.first).Seconds()
	}
	r.mu.Unlock()

	slices.Sort(lat)
	s.Count = len(lat)
	if s.WallS > 0 {
		s.Throughput = round2(float64(s.Count) / s.WallS)
	}
	s.WallS = round2(s.WallS)
	if len(lat) == 0 {
		return s
	}
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	s.MeanMs = ms(sum / time.Duration(len(lat)))
	s.MinMs = ms(lat[0])
	s.P50Ms = ms(Percentile(lat, 50))
	s.P95Ms = ms(Percentile(lat, 95))
	s.P99Ms = ms(Percentile(lat, 99))
	s.MaxMs = ms(lat[len(lat)-1])
	return s
}

// Count returns how many operations ended with status (use "error" for
// transport failures).
func (r *Recorder) Count(status string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status[status]
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest value such that at least p% of the
// values are less than or equal to it. It returns 0 for an empty slice.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// ms converts d to milliseconds rounded to two decimals.
func ms(d time.Duration) float64 {
	return round2(float64(d) / float64(time.Millisecond))
}

func round2(x float64) float64 {
	return math.Round(x*100) / 100
}

// ratio returns a/b rounded to two decimals, or 0 when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return round2(a / b)
}
