package server

import (
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/config"
)

// MailRateLimitActions are the tags of PocketBase's auth routes that send
// mail or confirm what a mail carried; CONFLICTO_RATE_LIMIT_MAIL limits
// each of them per IP.
var MailRateLimitActions = []string{
	"requestPasswordReset", "confirmPasswordReset", "requestOTP",
	"requestVerification", "confirmVerification",
	"requestEmailChange", "confirmEmailChange",
}

// JoinRateLimitLabel is the PocketBase rate limit rule label of the join.
const JoinRateLimitLabel = "POST /api/join"

// RateLimitRules are PocketBase rate limit rules for cfg: strict per IP on
// sign-ins ("*:auth": password, OAuth2 and OTP auth of every auth
// collection) and on the mail routes, generous per IP on the join. There
// is deliberately no rule for "/api/" or "*:create": a whole audience
// often shares one address, and the writes of a participant are limited
// by participant instead (participantWrites).
func RateLimitRules(cfg config.Config) []core.RateLimitRule {
	var rules []core.RateLimitRule
	add := func(label string, r config.Rate) {
		if r.Max < 1 || r.Per < time.Second {
			return // a zero rate (a zero Config) is no rule
		}
		rules = append(rules, core.RateLimitRule{Label: label, MaxRequests: r.Max, Duration: int64(r.Per / time.Second)})
	}
	add("*:auth", cfg.RateAuth)
	for _, action := range MailRateLimitActions {
		add("*:"+action, cfg.RateMail)
	}
	add(JoinRateLimitLabel, cfg.RateJoin)
	return rules
}

// SyncRateLimits writes the rate limits and trusted proxy headers of cfg
// into the app's settings (what the dashboard shows), replacing the rules
// there: the environment is the source of truth, and PocketBase's default
// rules ("/api/" 300 per 10 s, "*:create" 20 per 5 s per IP) would lock a
// hall behind one address out. The excluded IPs are the dashboard's. The
// settings are saved only when they change.
func SyncRateLimits(app core.App, cfg config.Config) error {
	settings, err := app.Settings().Clone()
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	want := settings.RateLimits
	want.Enabled = cfg.RateLimits
	want.Rules = RateLimitRules(cfg)
	if want.Rules == nil {
		want.Rules = []core.RateLimitRule{}
	}
	// PocketBase refuses to enable the limiter without rules.
	want.Enabled = want.Enabled && len(want.Rules) > 0
	proxy := settings.TrustedProxy
	proxy.Headers = slices.Clone(cfg.TrustedProxyHeaders)
	if proxy.Headers == nil {
		proxy.Headers = []string{}
	}
	// The rightmost address of X-Forwarded-For is the one the proxy saw;
	// the leftmost is whatever the client wrote.
	proxy.UseLeftmostIP = false
	if reflect.DeepEqual(want, settings.RateLimits) && reflect.DeepEqual(proxy, settings.TrustedProxy) {
		return nil
	}
	settings.RateLimits = want
	settings.TrustedProxy = proxy
	if err := app.Save(settings); err != nil {
		return fmt.Errorf("save rate limit settings: %w", err)
	}
	return nil
}

// registerRateLimits applies the rate limit settings at every start.
func registerRateLimits(app core.App, cfg config.Config) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := SyncRateLimits(e.App, cfg); err != nil {
			return err
		}
		return e.Next()
	})
}
