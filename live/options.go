package live

import "time"

// Defaults of the options.
const (
	// defaultInterval is the least time between two tally messages of a
	// session (a change the audience waits for does not wait for it).
	defaultInterval = 200 * time.Millisecond

	// Tally changes (answers, joins) of a large audience coalesce longer
	// than what the audience is waiting for (a new activity, a reveal, the
	// session ending): every message goes to every phone, and a keynote's
	// 3,000 phones at 5 messages a second would spend the CPU the answers
	// need. The gap grows by one interval per defaultTallyStep subscribers,
	// up to defaultMaxTallyInterval; the final state still always goes out.
	defaultTallyStep        = 500
	defaultMaxTallyInterval = 2 * time.Second

	// defaultIdleTTL is how long the state of a session that nobody
	// listens to and nothing changes outlives its last change.
	defaultIdleTTL = 10 * time.Minute
)

// Option tunes a Hub. A zero or negative value keeps the default.
type Option func(*options)

type options struct {
	interval  time.Duration
	tallyStep int
	maxTally  time.Duration
	idleTTL   time.Duration
	clock     Clock
}

func newOptions(opts []Option) options {
	o := options{
		interval:  defaultInterval,
		tallyStep: defaultTallyStep,
		maxTally:  defaultMaxTallyInterval,
		idleTTL:   defaultIdleTTL,
		clock:     realClock{},
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithInterval sets the least time between two tally messages of one
// session (200 ms by default); a change the audience waits for leaves at
// once.
func WithInterval(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.interval = d
		}
	}
}

// WithTallyGap sets how tally changes of a large audience slow down: one
// more interval per step subscribers (500 by default), up to maxGap (2 s by
// default, never below the interval).
func WithTallyGap(step int, maxGap time.Duration) Option {
	return func(o *options) {
		if step > 0 {
			o.tallyStep = step
		}
		if maxGap > 0 {
			o.maxTally = maxGap
		}
	}
}

// WithIdleTTL sets how long the hub keeps a session that does not change
// and that nobody listens to (10 minutes by default).
func WithIdleTTL(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.idleTTL = d
		}
	}
}

// WithClock runs the hub on c instead of the wall clock.
func WithClock(c Clock) Option {
	return func(o *options) {
		if c != nil {
			o.clock = c
		}
	}
}
