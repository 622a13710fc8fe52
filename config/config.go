// Package config reads Conflicto's settings from the environment (and the
// few command-line flags that override it) into one validated struct.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// Environment names.
const (
	EnvDevelopment = "development"
	EnvStaging     = "staging"
	EnvProduction  = "production"
)

// Log formats.
const (
	LogFormatJSON = "json"
	LogFormatText = "text"
)

// Prefix is the prefix of every variable Conflicto reads.
const Prefix = "CONFLICTO_"

// Variable names, in the order the README documents them.
const (
	VarEnv               = "CONFLICTO_ENV"
	VarHTTP              = "CONFLICTO_HTTP"
	VarDataDir           = "CONFLICTO_DATA_DIR"
	VarCORSOrigins       = "CONFLICTO_CORS_ORIGINS"
	VarPublicURL         = "CONFLICTO_PUBLIC_URL"
	VarLogLevel          = "CONFLICTO_LOG_LEVEL"
	VarLogFormat         = "CONFLICTO_LOG_FORMAT"
	VarEncryptionKey     = "CONFLICTO_ENCRYPTION_KEY"
	VarSuperuserEmail    = "CONFLICTO_SUPERUSER_EMAIL"
	VarSuperuserPassword = "CONFLICTO_SUPERUSER_PASSWORD"
	VarSuperuserReset    = "CONFLICTO_SUPERUSER_RESET"
	VarAllowSignup       = "CONFLICTO_ALLOW_SIGNUP"
	VarMaxParticipants   = "CONFLICTO_MAX_PARTICIPANTS"
	VarParticipantGrace  = "CONFLICTO_PARTICIPANT_GRACE"
	VarTrustedProxy      = "CONFLICTO_TRUSTED_PROXY_HEADERS"
	VarRateLimits        = "CONFLICTO_RATE_LIMITS"
	VarRateAuth          = "CONFLICTO_RATE_LIMIT_AUTH"
	VarRateMail          = "CONFLICTO_RATE_LIMIT_MAIL"
	VarRateJoin          = "CONFLICTO_RATE_LIMIT_JOIN"
	VarRateWrites        = "CONFLICTO_RATE_LIMIT_WRITES"
	VarRateCodeMisses    = "CONFLICTO_RATE_LIMIT_CODE_MISSES"
	VarLiveRetention     = "CONFLICTO_LIVE_RETENTION"
	VarMaxRealtime       = "CONFLICTO_MAX_REALTIME"
	VarMetricsToken      = "CONFLICTO_METRICS_TOKEN"
	VarPprof             = "CONFLICTO_PPROF"
	VarBackupCron        = "CONFLICTO_BACKUP_CRON"
	VarBackupKeep        = "CONFLICTO_BACKUP_KEEP"
	VarBackupS3Bucket    = "CONFLICTO_BACKUP_S3_BUCKET"
	VarBackupS3Region    = "CONFLICTO_BACKUP_S3_REGION"
	VarBackupS3Endpoint  = "CONFLICTO_BACKUP_S3_ENDPOINT"
	VarBackupS3AccessKey = "CONFLICTO_BACKUP_S3_ACCESS_KEY"
	VarBackupS3Secret    = "CONFLICTO_BACKUP_S3_SECRET"
	VarBackupS3PathStyle = "CONFLICTO_BACKUP_S3_FORCE_PATH_STYLE"
)

// Known lists every variable Conflicto reads; anything else with the
// prefix is probably a typo and is warned about.
var Known = []string{
	VarEnv, VarHTTP, VarDataDir, VarCORSOrigins, VarPublicURL, VarLogLevel,
	VarLogFormat, VarEncryptionKey, VarSuperuserEmail, VarSuperuserPassword,
	VarSuperuserReset, VarAllowSignup, VarMaxParticipants, VarParticipantGrace,
	VarTrustedProxy, VarRateLimits, VarRateAuth, VarRateMail, VarRateJoin,
	VarRateWrites, VarRateCodeMisses, VarLiveRetention, VarMaxRealtime,
	VarMetricsToken, VarPprof, VarBackupCron, VarBackupKeep, VarBackupS3Bucket,
	VarBackupS3Region, VarBackupS3Endpoint, VarBackupS3AccessKey,
	VarBackupS3Secret, VarBackupS3PathStyle,
}

// minMetricsToken is the shortest metrics token accepted: it guards the
// server's internals from whoever can reach /api/metrics.
const minMetricsToken = 16

// maxBackupKeep bounds CONFLICTO_BACKUP_KEEP.
const maxBackupKeep = 10000

// Backup is where and when PocketBase's scheduled backups go. When any
// CONFLICTO_BACKUP_* variable is set the environment owns the backup
// settings (written at every start); otherwise the dashboard does.
type Backup struct {
	// Managed reports whether any CONFLICTO_BACKUP_* variable is set.
	Managed bool
	// Cron is the schedule ("0 */6 * * *", "@hourly"); "" for no
	// scheduled backups (conflicto backup still works).
	Cron string
	// Keep is how many scheduled backups are kept (the oldest go).
	Keep int
	// S3 is the S3-compatible store; a zero Bucket means the data
	// folder's pb_backups.
	S3 BackupS3
}

// BackupS3 is an S3-compatible bucket for backups.
type BackupS3 struct {
	Bucket, Region, Endpoint, AccessKey, Secret string
	ForcePathStyle                              bool
}

// maxParticipantGrace bounds CONFLICTO_PARTICIPANT_GRACE: a token of an
// ended session is for looking at the results, not for the next week.
const maxParticipantGrace = 7 * 24 * time.Hour

// maxLiveRetention bounds CONFLICTO_LIVE_RETENTION.
const maxLiveRetention = 365 * 24 * time.Hour

// maxRatePeriod bounds the period of a rate.
const maxRatePeriod = 24 * time.Hour

// Rate is a limit of Max events per Per, written "N/DURATION" (10/10s,
// 3000/1m). Per is a whole number of seconds: PocketBase's rate limit
// rules count in seconds.
type Rate struct {
	Max int
	Per time.Duration
}

// String writes the rate as it is read.
func (r Rate) String() string {
	return strconv.Itoa(r.Max) + "/" + r.Per.String()
}

// ParseRate reads "N/DURATION": N from 1 to 1000000, DURATION a Go
// duration of whole seconds from 1s to 24h.
func ParseRate(v string) (Rate, error) {
	n, d, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Rate{}, fmt.Errorf("%q is not a rate", v)
	}
	max, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || max < 1 || max > 1_000_000 {
		return Rate{}, fmt.Errorf("%q does not start with a whole number between 1 and 1000000", v)
	}
	per, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || per < time.Second || per > maxRatePeriod || per%time.Second != 0 {
		return Rate{}, fmt.Errorf("%q does not end with a duration of whole seconds between 1s and %s", v, maxRatePeriod)
	}
	return Rate{Max: max, Per: per}, nil
}

// Config is the whole of Conflicto's runtime configuration.
type Config struct {
	Env         string
	HTTP        string
	DataDir     string
	CORSOrigins []string
	// PublicURL is where phones reach the server (join links, QR codes);
	// "" means the origin each request came in on.
	PublicURL         string
	LogLevel          slog.Level
	LogFormat         string
	EncryptionKey     string
	SuperuserEmail    string
	SuperuserPassword string
	// SuperuserReset sets an existing superuser's password to
	// SuperuserPassword at start; otherwise only a missing one is created.
	SuperuserReset  bool
	AllowSignup     bool
	MaxParticipants int
	// ParticipantGrace is how long a participant's token keeps working
	// after their session is completed (the results screen), 0 to 7 days.
	ParticipantGrace time.Duration
	// TrustedProxyHeaders name the headers that carry the client's IP
	// when the server runs behind a proxy (X-Forwarded-For, ...): the
	// per-IP limits key on it. Empty: the connection's address.
	TrustedProxyHeaders []string
	// RateLimits turns every rate limit on or off: PocketBase's limiter
	// (RateAuth, RateMail, RateJoin) and Conflicto's (RateWrites,
	// RateCodeMisses).
	RateLimits bool
	// RateAuth limits password, OAuth2 and OTP auth per IP.
	RateAuth Rate
	// RateMail limits the routes that send mail or confirm what a mail
	// carried (password reset, OTP request, verification, email change)
	// per IP.
	RateMail Rate
	// RateJoin limits POST /api/join per IP: a whole hall may share one.
	RateJoin Rate
	// RateWrites limits a participant's writes (answers, heartbeats) per
	// participant, whatever their IP.
	RateWrites Rate
	// RateCodeMisses limits lookups of unknown join codes per IP.
	RateCodeMisses Rate
	// LiveRetention is how long after a session is completed its live
	// state is still served by code.
	LiveRetention time.Duration
	// MaxRealtime caps the server's open realtime connections.
	MaxRealtime int
	// MetricsToken is the bearer token of GET /api/metrics; "" turns the
	// route off.
	MetricsToken string
	// Pprof serves Go's profiler at /debug/pprof/ (development only, no
	// token: for profiling the server during a load run on loopback).
	Pprof bool
	// Backup configures PocketBase's scheduled backups.
	Backup Backup
}

// IsProduction reports whether the server runs in the production environment.
func (c Config) IsProduction() bool { return c.Env == EnvProduction }

// Default returns the configuration used when nothing is set, for the
// development environment. Tests start from it.
func Default() Config {
	return Config{
		Env:              EnvDevelopment,
		HTTP:             "127.0.0.1:8090",
		DataDir:          "./pb_data",
		CORSOrigins:      []string{"*"},
		LogLevel:         slog.LevelInfo,
		LogFormat:        LogFormatText,
		MaxParticipants:  10000,
		ParticipantGrace: time.Hour,
		RateLimits:       true,
		RateAuth:         Rate{Max: 10, Per: time.Minute},
		RateMail:         Rate{Max: 5, Per: time.Minute},
		RateJoin:         Rate{Max: 3000, Per: time.Minute},
		RateWrites:       Rate{Max: 10, Per: 10 * time.Second},
		RateCodeMisses:   Rate{Max: 30, Per: time.Minute},
		LiveRetention:    24 * time.Hour,
		MaxRealtime:      10000,
		Backup:           Backup{Keep: 3},
	}
}

// Result is what Load returns besides the config: the warnings worth
// printing (they do not stop the start).
type Result struct {
	Config   Config
	Warnings []string
}

// Load reads the configuration from lookup (usually os.LookupEnv) and the
// command-line args (flags --http, --dir and --origins win over the
// environment). environ lists the whole environment as KEY=VALUE pairs and
// is only used to warn about unknown CONFLICTO_* variables.
//
// Every problem is reported in the returned error, one line each.
func Load(lookup func(string) (string, bool), environ []string, args []string) (Result, error) {
	var problems []string
	bad := func(name, format string, a ...any) {
		problems = append(problems, name+": "+fmt.Sprintf(format, a...))
	}
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		v = strings.TrimSpace(v)
		return v, ok && v != ""
	}

	cfg := Default()
	var res Result

	if v, ok := get(VarEnv); ok {
		switch v {
		case EnvDevelopment, EnvStaging, EnvProduction:
			cfg.Env = v
		default:
			bad(VarEnv, "%q is not one of development, staging, production", v)
		}
	}
	if cfg.Env != EnvDevelopment {
		cfg.LogFormat = LogFormatJSON
	}
	if cfg.Env == EnvProduction {
		cfg.CORSOrigins = nil // must be explicit
	}

	flags := parseFlags(args)

	if v, ok := get(VarHTTP); ok {
		cfg.HTTP = v
	}
	if flags.http != nil {
		cfg.HTTP = *flags.http
	}
	if err := checkListenAddr(cfg.HTTP); err != nil {
		bad(httpSource(flags), "%v (expected host:port, e.g. 0.0.0.0:8090)", err)
	}

	if v, ok := get(VarDataDir); ok {
		cfg.DataDir = v
	}
	if flags.dir != nil {
		cfg.DataDir = *flags.dir
	}
	if strings.TrimSpace(cfg.DataDir) == "" {
		bad("--dir", "must not be empty (expected a directory path)")
	}

	if v, ok := get(VarCORSOrigins); ok {
		cfg.CORSOrigins = splitList(v)
	}
	originsSource := VarCORSOrigins
	if flags.origins != nil {
		cfg.CORSOrigins = *flags.origins
		originsSource = "--origins"
	}
	for _, o := range cfg.CORSOrigins {
		if err := checkOrigin(o); err != nil {
			bad(originsSource, "%v", err)
		}
	}
	if cfg.Env == EnvProduction {
		if len(cfg.CORSOrigins) == 0 {
			bad(originsSource, "is required in production (expected a comma-separated list of origins such as https://live.example.com)")
		}
		for _, o := range cfg.CORSOrigins {
			if o == "*" {
				bad(originsSource, "\"*\" is not allowed in production (expected explicit origins)")
			}
		}
	}

	if v, ok := get(VarPublicURL); ok {
		cfg.PublicURL = strings.TrimRight(v, "/")
		if err := checkPublicURL(cfg.PublicURL); err != nil {
			bad(VarPublicURL, "%v (expected an absolute http(s) URL such as https://live.example.com)", err)
		}
	} else if cfg.Env == EnvProduction {
		// Behind a proxy the request's Host may not be what the room's
		// phones reach: production names its address.
		bad(VarPublicURL, "is required in production (expected the URL participants open, such as https://live.example.com)")
	}

	if v, ok := get(VarLogLevel); ok {
		switch strings.ToLower(v) {
		case "debug":
			cfg.LogLevel = slog.LevelDebug
		case "info":
			cfg.LogLevel = slog.LevelInfo
		case "warn":
			cfg.LogLevel = slog.LevelWarn
		case "error":
			cfg.LogLevel = slog.LevelError
		default:
			bad(VarLogLevel, "%q is not one of debug, info, warn, error", v)
		}
	}

	if v, ok := get(VarLogFormat); ok {
		switch v {
		case LogFormatJSON, LogFormatText:
			cfg.LogFormat = v
		default:
			bad(VarLogFormat, "%q is not one of json, text", v)
		}
	}

	if v, ok := lookup(VarEncryptionKey); ok && v != "" {
		if len(v) != 32 {
			bad(VarEncryptionKey, "has %d characters (expected exactly 32)", len(v))
		}
		cfg.EncryptionKey = v
	}
	if cfg.Env == EnvProduction && cfg.EncryptionKey == "" {
		bad(VarEncryptionKey, "is required in production (expected 32 characters)")
	}

	email, hasEmail := get(VarSuperuserEmail)
	password, hasPassword := lookup(VarSuperuserPassword)
	hasPassword = hasPassword && password != ""
	switch {
	case hasEmail && hasPassword:
		if !strings.Contains(email, "@") || strings.ContainsAny(email, " \t") {
			bad(VarSuperuserEmail, "%q is not an email address", email)
		}
		if len(password) < 10 {
			bad(VarSuperuserPassword, "is too short (expected at least 10 characters)")
		}
		cfg.SuperuserEmail, cfg.SuperuserPassword = email, password
	case hasEmail:
		bad(VarSuperuserPassword, "is required when %s is set", VarSuperuserEmail)
	case hasPassword:
		bad(VarSuperuserEmail, "is required when %s is set", VarSuperuserPassword)
	}

	if v, ok := get(VarSuperuserReset); ok {
		b, err := strconv.ParseBool(v)
		switch {
		case err != nil:
			bad(VarSuperuserReset, "%q is not a boolean (expected true or false)", v)
		case b && !hasEmail && !hasPassword:
			bad(VarSuperuserReset, "is true but %s and %s are not set (nothing to reset to)", VarSuperuserEmail, VarSuperuserPassword)
		}
		cfg.SuperuserReset = b
	}

	if v, ok := get(VarAllowSignup); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad(VarAllowSignup, "%q is not a boolean (expected true or false)", v)
		}
		cfg.AllowSignup = b
	}

	if v, ok := get(VarMaxParticipants); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			bad(VarMaxParticipants, "%q is not a whole number between 1 and 1000000", v)
		} else {
			cfg.MaxParticipants = n
		}
	}

	if v, ok := get(VarParticipantGrace); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxParticipantGrace {
			bad(VarParticipantGrace, "%q is not a duration between 0s and %s (expected e.g. 1h or 30m)", v, maxParticipantGrace)
		} else {
			cfg.ParticipantGrace = d
		}
	}

	if v, ok := get(VarTrustedProxy); ok {
		cfg.TrustedProxyHeaders = splitList(v)
		for _, h := range cfg.TrustedProxyHeaders {
			if strings.ContainsAny(h, " \t:") {
				bad(VarTrustedProxy, "%q is not a header name (expected e.g. X-Forwarded-For)", h)
			}
		}
	}

	if v, ok := get(VarRateLimits); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad(VarRateLimits, "%q is not a boolean (expected true or false)", v)
		}
		cfg.RateLimits = b
	}
	for _, r := range []struct {
		name string
		dst  *Rate
	}{
		{VarRateAuth, &cfg.RateAuth},
		{VarRateMail, &cfg.RateMail},
		{VarRateJoin, &cfg.RateJoin},
		{VarRateWrites, &cfg.RateWrites},
		{VarRateCodeMisses, &cfg.RateCodeMisses},
	} {
		if v, ok := get(r.name); ok {
			rate, err := ParseRate(v)
			if err != nil {
				bad(r.name, "%v (expected N/DURATION, e.g. 10/1m)", err)
			} else {
				*r.dst = rate
			}
		}
	}

	if v, ok := get(VarLiveRetention); ok {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || d > maxLiveRetention {
			bad(VarLiveRetention, "%q is not a duration between 0s and %s (expected e.g. 24h)", v, maxLiveRetention)
		} else {
			cfg.LiveRetention = d
		}
	}

	if v, ok := get(VarMaxRealtime); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1_000_000 {
			bad(VarMaxRealtime, "%q is not a whole number between 1 and 1000000", v)
		} else {
			cfg.MaxRealtime = n
		}
	}

	if v, ok := lookup(VarMetricsToken); ok && v != "" {
		switch {
		case len(v) < minMetricsToken:
			bad(VarMetricsToken, "has %d characters (expected at least %d)", len(v), minMetricsToken)
		case strings.ContainsAny(v, " \t\r\n"):
			bad(VarMetricsToken, "contains white space (expected one word, e.g. from openssl rand -hex 32)")
		}
		cfg.MetricsToken = v
	}

	if v, ok := get(VarPprof); ok {
		b, err := strconv.ParseBool(v)
		switch {
		case err != nil:
			bad(VarPprof, "%q is not a boolean (expected true or false)", v)
		case b && cfg.Env != EnvDevelopment:
			bad(VarPprof, "is only for development (it serves the profiler without a token); unset it in %s", cfg.Env)
		}
		cfg.Pprof = b
	}

	loadBackup(&cfg.Backup, lookup, get, bad)

	res.Warnings = unknownVariables(environ)
	res.Config = cfg
	if len(problems) > 0 {
		return res, errors.New("invalid configuration:\n  " + strings.Join(problems, "\n  "))
	}
	return res, nil
}

type flagValues struct {
	http    *string
	dir     *string
	origins *[]string
}

// parseFlags picks --http, --dir and --origins out of args, ignoring
// everything else (the command line belongs to cobra).
func parseFlags(args []string) flagValues {
	fs := pflag.NewFlagSet("config", pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	fs.Usage = func() {}
	fs.SetOutput(nopWriter{})
	http := fs.String("http", "", "")
	dir := fs.String("dir", "", "")
	origins := fs.StringSlice("origins", nil, "")
	_ = fs.Parse(args)

	var out flagValues
	if fs.Changed("http") {
		out.http = http
	}
	if fs.Changed("dir") {
		out.dir = dir
	}
	if fs.Changed("origins") {
		out.origins = origins
	}
	return out
}

type nopWriter struct{}

func (nopWriter) Write(p []byte) (int, error) { return len(p), nil }

func httpSource(f flagValues) string {
	if f.http != nil {
		return "--http"
	}
	return VarHTTP
}

func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func checkListenAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not a listen address", addr)
	}
	if host != "" && net.ParseIP(host) == nil && strings.ContainsAny(host, " /") {
		return fmt.Errorf("%q has an invalid host", addr)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("%q has an invalid port", addr)
	}
	return nil
}

func checkOrigin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("%q is not an origin (expected scheme://host[:port], e.g. https://live.example.com)", o)
	}
	return nil
}

func checkPublicURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", v)
	}
	return nil
}

func unknownVariables(environ []string) []string {
	known := make(map[string]bool, len(Known))
	for _, k := range Known {
		known[k] = true
	}
	var warnings []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, Prefix) && !known[name] {
			warnings = append(warnings, fmt.Sprintf("unknown variable %s is ignored (known: %s)", name, strings.Join(Known, ", ")))
		}
	}
	sort.Strings(warnings)
	return warnings
}
