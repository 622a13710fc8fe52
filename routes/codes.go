package routes

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	"conflicto/config"
	"conflicto/ratelimit"
)

// Join codes are 6 characters of a 32-letter alphabet: with 10,000 stored
// sessions, one guess in about 100,000 hits. Unlimited, that is a hit every
// ~100 s at 1,000 tries/s. Lookups of unknown codes are therefore limited
// per IP (CONFLICTO_RATE_LIMIT_CODE_MISSES, 30 a minute by default, which
// puts a hit days away for one address). Once an address is over its
// misses it gets 429 for any code it has not found before; a code it has
// found keeps working, so a hall behind one address where some mistype
// the code is not locked out of the event everyone else has found.

// codeMisses counts the misses of code lookups per IP; nil when the
// limits are off.
type codeMisses struct {
	buckets *ratelimit.Buckets
	rate    config.Rate
}

func newCodeMisses(cfg config.Config) *codeMisses {
	if !cfg.RateLimits {
		return nil
	}
	return &codeMisses{buckets: ratelimit.New(cfg.RateCodeMisses.Max, cfg.RateCodeMisses.Per), rate: cfg.RateCodeMisses}
}

// lookup runs find, a lookup of code (upper-case, well-formed), within the
// caller's allowance of misses. find answers whether the code was found
// (or an error that is not a miss). A miss counts; a hit is remembered
// for the address.
func (m *codeMisses) lookup(e *core.RequestEvent, code string, find func() (found bool, err error)) (bool, error) {
	if m == nil {
		return find()
	}
	ip := e.RealIP()
	if empty, retry := m.buckets.Empty(ip); empty && !m.buckets.Knows(ip, code) {
		return false, apierr.TooManyRequests(e, retry, m.message())
	}
	found, err := find()
	if err != nil {
		return false, err
	}
	if found {
		m.buckets.Remember(ip, code)
		return true, nil
	}
	if ok, retry := m.buckets.Take(ip); !ok {
		return false, apierr.TooManyRequests(e, retry, m.message())
	}
	return false, nil
}

func (m *codeMisses) message() string {
	return fmt.Sprintf("Too many unknown session codes: at most %d per %s from one address.", m.rate.Max, m.rate.Per)
}
