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
	VarAllowSignup       = "CONFLICTO_ALLOW_SIGNUP"
	VarMaxParticipants   = "CONFLICTO_MAX_PARTICIPANTS"
)

// Known lists every variable Conflicto reads; anything else with the
// prefix is probably a typo and is warned about.
var Known = []string{
	VarEnv, VarHTTP, VarDataDir, VarCORSOrigins, VarPublicURL, VarLogLevel,
	VarLogFormat, VarEncryptionKey, VarSuperuserEmail, VarSuperuserPassword,
	VarAllowSignup, VarMaxParticipants,
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
	AllowSignup       bool
	MaxParticipants   int
}

// IsProduction reports whether the server runs in the production environment.
func (c Config) IsProduction() bool { return c.Env == EnvProduction }

// Default returns the configuration used when nothing is set, for the
// development environment. Tests start from it.
func Default() Config {
	return Config{
		Env:             EnvDevelopment,
		HTTP:            "127.0.0.1:8090",
		DataDir:         "./pb_data",
		CORSOrigins:     []string{"*"},
		LogLevel:        slog.LevelInfo,
		LogFormat:       LogFormatText,
		MaxParticipants: 10000,
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
