package config_test

import (
	"log/slog"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"conflicto/config"
)

const key32 = "0123456789abcdef0123456789abcdef"

// load runs config.Load on env (instead of the process environment) and args.
func load(env map[string]string, args ...string) (config.Result, error) {
	environ := make([]string, 0, len(env))
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	lookup := func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
	return config.Load(lookup, environ, args)
}

// problems returns the variable (or flag) named by each line of a Load error.
func problems(err error) []string {
	if err == nil {
		return nil
	}
	lines := strings.Split(err.Error(), "\n")
	var names []string
	for _, line := range lines[1:] { // lines[0] is the heading
		name, _, _ := strings.Cut(strings.TrimSpace(line), ":")
		names = append(names, name)
	}
	return names
}

// production is the smallest valid production environment.
func production() map[string]string {
	return map[string]string{
		config.VarEnv:           config.EnvProduction,
		config.VarCORSOrigins:   "https://live.example.com",
		config.VarEncryptionKey: key32,
		config.VarPublicURL:     "https://live.example.com",
	}
}

func productionConfig(c *config.Config) {
	c.Env = config.EnvProduction
	c.LogFormat = config.LogFormatJSON
	c.CORSOrigins = []string{"https://live.example.com"}
	c.EncryptionKey = key32
	c.PublicURL = "https://live.example.com"
}

func with(env map[string]string, kv ...string) map[string]string {
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

func TestLoad(t *testing.T) {
	t.Parallel()

	scenarios := []struct {
		name string
		env  map[string]string
		args []string
		// want edits config.Default() into the expected config (when no error).
		want func(*config.Config)
		// wantProblems lists the names the error must report, one line each.
		wantProblems []string
	}{
		{name: "nothing set: development defaults", want: func(*config.Config) {}},

		// CONFLICTO_ENV
		{
			name: "staging logs JSON and keeps the permissive CORS default",
			env:  map[string]string{config.VarEnv: "staging"},
			want: func(c *config.Config) { c.Env = config.EnvStaging; c.LogFormat = config.LogFormatJSON },
		},
		{name: "production with its required settings", env: production(), want: productionConfig},
		{name: "unknown environment", env: map[string]string{config.VarEnv: "prod"}, wantProblems: []string{config.VarEnv}},

		// CONFLICTO_HTTP
		{
			name: "listen on all interfaces",
			env:  map[string]string{config.VarHTTP: "0.0.0.0:8090"},
			want: func(c *config.Config) { c.HTTP = "0.0.0.0:8090" },
		},
		{
			name: "empty host means all interfaces",
			env:  map[string]string{config.VarHTTP: ":9000"},
			want: func(c *config.Config) { c.HTTP = ":9000" },
		},
		{name: "port only", env: map[string]string{config.VarHTTP: "8090"}, wantProblems: []string{config.VarHTTP}},
		{name: "port out of range", env: map[string]string{config.VarHTTP: "127.0.0.1:70000"}, wantProblems: []string{config.VarHTTP}},
		{name: "port not a number", env: map[string]string{config.VarHTTP: "127.0.0.1:http"}, wantProblems: []string{config.VarHTTP}},

		// CONFLICTO_DATA_DIR
		{
			name: "data dir",
			env:  map[string]string{config.VarDataDir: "/pb_data"},
			want: func(c *config.Config) { c.DataDir = "/pb_data" },
		},
		{name: "empty --dir", args: []string{"serve", "--dir="}, wantProblems: []string{"--dir"}},

		// CONFLICTO_CORS_ORIGINS
		{
			name: "origins are a trimmed comma-separated list",
			env:  map[string]string{config.VarCORSOrigins: " https://a.example , http://b.example:3000,"},
			want: func(c *config.Config) { c.CORSOrigins = []string{"https://a.example", "http://b.example:3000"} },
		},
		{name: "origin without scheme", env: map[string]string{config.VarCORSOrigins: "a.example"}, wantProblems: []string{config.VarCORSOrigins}},
		{name: "origin with a path", env: map[string]string{config.VarCORSOrigins: "https://a.example/app"}, wantProblems: []string{config.VarCORSOrigins}},
		{
			name:         "each bad origin is reported",
			env:          map[string]string{config.VarCORSOrigins: "a.example,https://ok.example,ftp://b.example"},
			wantProblems: []string{config.VarCORSOrigins, config.VarCORSOrigins},
		},

		// CONFLICTO_PUBLIC_URL
		{
			name: "public URL loses its trailing slash",
			env:  map[string]string{config.VarPublicURL: "https://live.example.com/"},
			want: func(c *config.Config) { c.PublicURL = "https://live.example.com" },
		},
		{
			name: "public URL unset: the request's origin",
			env:  map[string]string{config.VarPublicURL: "  "},
			want: func(c *config.Config) { c.PublicURL = "" },
		},
		{name: "public URL without scheme", env: map[string]string{config.VarPublicURL: "live.example.com"}, wantProblems: []string{config.VarPublicURL}},
		{name: "public URL not http", env: map[string]string{config.VarPublicURL: "ftp://live.example.com"}, wantProblems: []string{config.VarPublicURL}},

		// CONFLICTO_LOG_LEVEL
		{
			name: "log level, any case",
			env:  map[string]string{config.VarLogLevel: "DEBUG"},
			want: func(c *config.Config) { c.LogLevel = slog.LevelDebug },
		},
		{
			name: "log level warn",
			env:  map[string]string{config.VarLogLevel: "warn"},
			want: func(c *config.Config) { c.LogLevel = slog.LevelWarn },
		},
		{
			name: "log level error",
			env:  map[string]string{config.VarLogLevel: "error"},
			want: func(c *config.Config) { c.LogLevel = slog.LevelError },
		},
		{name: "unknown log level", env: map[string]string{config.VarLogLevel: "verbose"}, wantProblems: []string{config.VarLogLevel}},

		// CONFLICTO_LOG_FORMAT
		{
			name: "JSON logs in development",
			env:  map[string]string{config.VarLogFormat: "json"},
			want: func(c *config.Config) { c.LogFormat = config.LogFormatJSON },
		},
		{
			name: "text logs in production on request",
			env:  with(production(), config.VarLogFormat, "text"),
			want: func(c *config.Config) { productionConfig(c); c.LogFormat = config.LogFormatText },
		},
		{name: "unknown log format", env: map[string]string{config.VarLogFormat: "xml"}, wantProblems: []string{config.VarLogFormat}},

		// CONFLICTO_ENCRYPTION_KEY
		{
			name: "encryption key of 32 characters",
			env:  map[string]string{config.VarEncryptionKey: key32},
			want: func(c *config.Config) { c.EncryptionKey = key32 },
		},
		{name: "encryption key too short", env: map[string]string{config.VarEncryptionKey: key32[1:]}, wantProblems: []string{config.VarEncryptionKey}},
		{name: "encryption key too long", env: map[string]string{config.VarEncryptionKey: key32 + "x"}, wantProblems: []string{config.VarEncryptionKey}},

		// CONFLICTO_SUPERUSER_EMAIL / _PASSWORD
		{
			name: "superuser email and password",
			env:  map[string]string{config.VarSuperuserEmail: "ops@example.com", config.VarSuperuserPassword: "long-enough-secret"},
			want: func(c *config.Config) {
				c.SuperuserEmail, c.SuperuserPassword = "ops@example.com", "long-enough-secret"
			},
		},
		{name: "superuser email without password", env: map[string]string{config.VarSuperuserEmail: "ops@example.com"}, wantProblems: []string{config.VarSuperuserPassword}},
		{name: "superuser password without email", env: map[string]string{config.VarSuperuserPassword: "long-enough-secret"}, wantProblems: []string{config.VarSuperuserEmail}},
		{
			name:         "superuser email not an address",
			env:          map[string]string{config.VarSuperuserEmail: "ops", config.VarSuperuserPassword: "long-enough-secret"},
			wantProblems: []string{config.VarSuperuserEmail},
		},
		{
			name:         "superuser password too short",
			env:          map[string]string{config.VarSuperuserEmail: "ops@example.com", config.VarSuperuserPassword: "short"},
			wantProblems: []string{config.VarSuperuserPassword},
		},

		// CONFLICTO_ALLOW_SIGNUP
		{
			name: "signup on",
			env:  map[string]string{config.VarAllowSignup: "true"},
			want: func(c *config.Config) { c.AllowSignup = true },
		},
		// CONFLICTO_SUPERUSER_RESET
		{
			name: "superuser reset on request",
			env: map[string]string{
				config.VarSuperuserEmail: "ops@example.com", config.VarSuperuserPassword: "a-long-password",
				config.VarSuperuserReset: "true",
			},
			want: func(c *config.Config) {
				c.SuperuserEmail, c.SuperuserPassword, c.SuperuserReset = "ops@example.com", "a-long-password", true
			},
		},
		{name: "superuser reset without a superuser", env: map[string]string{config.VarSuperuserReset: "true"}, wantProblems: []string{config.VarSuperuserReset}},
		{name: "superuser reset off without a superuser", env: map[string]string{config.VarSuperuserReset: "false"}, want: func(*config.Config) {}},
		{name: "superuser reset not a boolean", env: map[string]string{config.VarSuperuserReset: "please"}, wantProblems: []string{config.VarSuperuserReset}},

		{name: "signup off explicitly", env: map[string]string{config.VarAllowSignup: "0"}, want: func(*config.Config) {}},
		{name: "signup not a boolean", env: map[string]string{config.VarAllowSignup: "yes"}, wantProblems: []string{config.VarAllowSignup}},

		// CONFLICTO_MAX_PARTICIPANTS
		{
			name: "participant cap",
			env:  map[string]string{config.VarMaxParticipants: "500"},
			want: func(c *config.Config) { c.MaxParticipants = 500 },
		},
		{name: "participant cap zero", env: map[string]string{config.VarMaxParticipants: "0"}, wantProblems: []string{config.VarMaxParticipants}},
		{name: "participant cap too large", env: map[string]string{config.VarMaxParticipants: "1000001"}, wantProblems: []string{config.VarMaxParticipants}},
		{name: "participant cap not a number", env: map[string]string{config.VarMaxParticipants: "lots"}, wantProblems: []string{config.VarMaxParticipants}},

		// CONFLICTO_PARTICIPANT_GRACE
		{
			name: "participant grace",
			env:  map[string]string{config.VarParticipantGrace: "30m"},
			want: func(c *config.Config) { c.ParticipantGrace = 30 * time.Minute },
		},
		{
			name: "no participant grace",
			env:  map[string]string{config.VarParticipantGrace: "0s"},
			want: func(c *config.Config) { c.ParticipantGrace = 0 },
		},
		{name: "participant grace negative", env: map[string]string{config.VarParticipantGrace: "-1h"}, wantProblems: []string{config.VarParticipantGrace}},
		{name: "participant grace too long", env: map[string]string{config.VarParticipantGrace: "169h"}, wantProblems: []string{config.VarParticipantGrace}},
		{name: "participant grace without a unit", env: map[string]string{config.VarParticipantGrace: "60"}, wantProblems: []string{config.VarParticipantGrace}},

		// CONFLICTO_TRUSTED_PROXY_HEADERS
		{
			name: "trusted proxy headers",
			env:  map[string]string{config.VarTrustedProxy: "X-Forwarded-For, X-Real-IP"},
			want: func(c *config.Config) { c.TrustedProxyHeaders = []string{"X-Forwarded-For", "X-Real-IP"} },
		},
		{name: "trusted proxy header with a colon", env: map[string]string{config.VarTrustedProxy: "X-Forwarded-For: 1.2.3.4"}, wantProblems: []string{config.VarTrustedProxy}},

		// CONFLICTO_RATE_LIMITS and the rates
		{
			name: "rate limits off",
			env:  map[string]string{config.VarRateLimits: "false"},
			want: func(c *config.Config) { c.RateLimits = false },
		},
		{name: "rate limits not a boolean", env: map[string]string{config.VarRateLimits: "sometimes"}, wantProblems: []string{config.VarRateLimits}},
		{
			name: "every rate",
			env: map[string]string{
				config.VarRateAuth: "3/30s", config.VarRateMail: "1/1h", config.VarRateJoin: " 6000 / 2m ",
				config.VarRateWrites: "20/10s", config.VarRateCodeMisses: "100/1m",
			},
			want: func(c *config.Config) {
				c.RateAuth = config.Rate{Max: 3, Per: 30 * time.Second}
				c.RateMail = config.Rate{Max: 1, Per: time.Hour}
				c.RateJoin = config.Rate{Max: 6000, Per: 2 * time.Minute}
				c.RateWrites = config.Rate{Max: 20, Per: 10 * time.Second}
				c.RateCodeMisses = config.Rate{Max: 100, Per: time.Minute}
			},
		},
		{name: "rate without a period", env: map[string]string{config.VarRateJoin: "3000"}, wantProblems: []string{config.VarRateJoin}},
		{name: "rate of zero", env: map[string]string{config.VarRateWrites: "0/10s"}, wantProblems: []string{config.VarRateWrites}},
		{name: "rate period not whole seconds", env: map[string]string{config.VarRateAuth: "10/1500ms"}, wantProblems: []string{config.VarRateAuth}},
		{name: "rate period too long", env: map[string]string{config.VarRateMail: "10/25h"}, wantProblems: []string{config.VarRateMail}},
		{
			name:         "every bad rate is reported",
			env:          map[string]string{config.VarRateCodeMisses: "x/1m", config.VarRateJoin: "10/0s"},
			wantProblems: []string{config.VarRateJoin, config.VarRateCodeMisses},
		},

		// CONFLICTO_LIVE_RETENTION
		{
			name: "live retention",
			env:  map[string]string{config.VarLiveRetention: "2h"},
			want: func(c *config.Config) { c.LiveRetention = 2 * time.Hour },
		},
		{name: "live retention negative", env: map[string]string{config.VarLiveRetention: "-1h"}, wantProblems: []string{config.VarLiveRetention}},

		// CONFLICTO_MAX_REALTIME
		{
			name: "max realtime",
			env:  map[string]string{config.VarMaxRealtime: "500"},
			want: func(c *config.Config) { c.MaxRealtime = 500 },
		},
		{name: "max realtime zero", env: map[string]string{config.VarMaxRealtime: "0"}, wantProblems: []string{config.VarMaxRealtime}},

		// production rules
		{
			name:         "production needs explicit origins, an encryption key and the public URL",
			env:          map[string]string{config.VarEnv: "production"},
			wantProblems: []string{config.VarCORSOrigins, config.VarPublicURL, config.VarEncryptionKey},
		},
		{
			name:         "production refuses the wildcard origin",
			env:          with(production(), config.VarCORSOrigins, "*"),
			wantProblems: []string{config.VarCORSOrigins},
		},
		{
			name:         "production refuses the wildcard among explicit origins",
			env:          with(production(), config.VarCORSOrigins, "https://live.example.com,*"),
			wantProblems: []string{config.VarCORSOrigins},
		},
		{
			name:         "production key of the wrong length is one problem",
			env:          with(production(), config.VarEncryptionKey, "short"),
			wantProblems: []string{config.VarEncryptionKey},
		},

		// flags win over the environment
		{
			name: "--http overrides CONFLICTO_HTTP",
			env:  map[string]string{config.VarHTTP: "bad"},
			args: []string{"serve", "--http", "127.0.0.1:9999"},
			want: func(c *config.Config) { c.HTTP = "127.0.0.1:9999" },
		},
		{
			name:         "a bad --http is reported under the flag's name",
			env:          map[string]string{config.VarHTTP: "0.0.0.0:8090"},
			args:         []string{"serve", "--http=nope"},
			wantProblems: []string{"--http"},
		},
		{
			name: "--dir overrides CONFLICTO_DATA_DIR",
			env:  map[string]string{config.VarDataDir: "/env/dir"},
			args: []string{"serve", "--dir", "/flag/dir"},
			want: func(c *config.Config) { c.DataDir = "/flag/dir" },
		},
		{
			name: "--origins overrides CONFLICTO_CORS_ORIGINS, also in production",
			env:  with(production(), config.VarCORSOrigins, "*"),
			args: []string{"serve", "--origins", "https://a.example,https://b.example"},
			want: func(c *config.Config) {
				productionConfig(c)
				c.CORSOrigins = []string{"https://a.example", "https://b.example"}
			},
		},
		{
			name:         "a bad --origins is reported under the flag's name",
			args:         []string{"serve", "--origins=a.example"},
			wantProblems: []string{"--origins"},
		},
		{
			name: "other flags and commands are left to cobra",
			args: []string{"migrate", "up", "--dev", "--queryTimeout=5"},
			want: func(*config.Config) {},
		},

		// CONFLICTO_METRICS_TOKEN
		{
			name: "metrics token",
			env:  map[string]string{config.VarMetricsToken: "0123456789abcdef0123"},
			want: func(c *config.Config) { c.MetricsToken = "0123456789abcdef0123" },
		},
		{name: "metrics token too short", env: map[string]string{config.VarMetricsToken: "short"}, wantProblems: []string{config.VarMetricsToken}},
		{name: "metrics token with a space", env: map[string]string{config.VarMetricsToken: "0123456789 abcdef0123"}, wantProblems: []string{config.VarMetricsToken}},

		// CONFLICTO_PPROF
		{
			name: "profiler in development",
			env:  map[string]string{config.VarPprof: "true"},
			want: func(c *config.Config) { c.Pprof = true },
		},
		{name: "profiler not a boolean", env: map[string]string{config.VarPprof: "yes please"}, wantProblems: []string{config.VarPprof}},
		{name: "profiler refused in staging", env: map[string]string{config.VarEnv: "staging", config.VarPprof: "true"}, wantProblems: []string{config.VarPprof}},

		// CONFLICTO_BACKUP_*
		{
			name: "scheduled backups in the data folder",
			env:  map[string]string{config.VarBackupCron: "0 */6 * * *", config.VarBackupKeep: "12"},
			want: func(c *config.Config) { c.Backup = config.Backup{Managed: true, Cron: "0 */6 * * *", Keep: 12} },
		},
		{
			name: "a cron macro",
			env:  map[string]string{config.VarBackupCron: "@hourly"},
			want: func(c *config.Config) { c.Backup = config.Backup{Managed: true, Cron: "@hourly", Keep: 3} },
		},
		{
			name: "backups to S3 without a schedule",
			env: map[string]string{
				config.VarBackupS3Bucket: "conflicto-backups", config.VarBackupS3Region: "eu-west-1",
				config.VarBackupS3Endpoint: "https://s3.eu-west-1.amazonaws.com", config.VarBackupS3AccessKey: "AKIA",
				config.VarBackupS3Secret: " s3cret ", config.VarBackupS3PathStyle: "true",
			},
			want: func(c *config.Config) {
				c.Backup = config.Backup{Managed: true, Keep: 3, S3: config.BackupS3{
					Bucket: "conflicto-backups", Region: "eu-west-1", Endpoint: "https://s3.eu-west-1.amazonaws.com",
					AccessKey: "AKIA", Secret: " s3cret ", ForcePathStyle: true,
				}}
			},
		},
		{name: "cron of four fields", env: map[string]string{config.VarBackupCron: "0 * * *"}, wantProblems: []string{config.VarBackupCron}},
		{name: "cron of words", env: map[string]string{config.VarBackupCron: "every hour of day 1"}, wantProblems: []string{config.VarBackupCron}},
		{name: "keep zero", env: map[string]string{config.VarBackupKeep: "0"}, wantProblems: []string{config.VarBackupKeep}},
		{name: "keep not a number", env: map[string]string{config.VarBackupKeep: "all"}, wantProblems: []string{config.VarBackupKeep}},
		{
			name:         "a bucket needs region, endpoint and credentials",
			env:          map[string]string{config.VarBackupS3Bucket: "b"},
			wantProblems: []string{config.VarBackupS3Region, config.VarBackupS3Endpoint, config.VarBackupS3AccessKey, config.VarBackupS3Secret},
		},
		{
			name:         "S3 settings without a bucket",
			env:          map[string]string{config.VarBackupS3Region: "eu-west-1", config.VarBackupS3Secret: "x"},
			wantProblems: []string{config.VarBackupS3Region, config.VarBackupS3Secret},
		},
		{
			name: "endpoint not a URL, path style not a boolean",
			env: map[string]string{
				config.VarBackupS3Bucket: "b", config.VarBackupS3Region: "r", config.VarBackupS3Endpoint: "minio:9000",
				config.VarBackupS3AccessKey: "a", config.VarBackupS3Secret: "s", config.VarBackupS3PathStyle: "yes please",
			},
			wantProblems: []string{config.VarBackupS3PathStyle, config.VarBackupS3Endpoint},
		},

		// all problems together
		{
			name: "every bad variable is reported at once",
			env: map[string]string{
				config.VarEnv:             "production",
				config.VarHTTP:            "nowhere",
				config.VarPublicURL:       "example.com",
				config.VarLogLevel:        "loud",
				config.VarLogFormat:       "yaml",
				config.VarAllowSignup:     "maybe",
				config.VarMaxParticipants: "-1",
			},
			wantProblems: []string{
				config.VarHTTP, config.VarCORSOrigins, config.VarPublicURL, config.VarLogLevel,
				config.VarLogFormat, config.VarEncryptionKey, config.VarAllowSignup, config.VarMaxParticipants,
			},
		},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			res, err := load(s.env, s.args...)

			if got := problems(err); !reflect.DeepEqual(got, s.wantProblems) {
				t.Fatalf("problems = %q, want %q (error: %v)", got, s.wantProblems, err)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "invalid configuration:\n") {
					t.Fatalf("error does not start with its heading: %q", err)
				}
				return
			}
			want := config.Default()
			s.want(&want)
			if !reflect.DeepEqual(res.Config, want) {
				t.Fatalf("config =\n%+v\nwant\n%+v", res.Config, want)
			}
		})
	}
}

func TestLoadProblemNamesTheExpectation(t *testing.T) {
	t.Parallel()

	_, err := load(map[string]string{
		config.VarMaxParticipants:   "lots",
		config.VarEncryptionKey:     "k3y-5ecret",
		config.VarSuperuserEmail:    "ops@example.com",
		config.VarSuperuserPassword: "hunter2",
	})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{
		config.VarEncryptionKey + ": has 10 characters (expected exactly 32)",
		config.VarSuperuserPassword + ": is too short (expected at least 10 characters)",
		config.VarMaxParticipants + `: "lots" is not a whole number between 1 and 1000000`,
	} {
		if !strings.Contains(err.Error(), "\n  "+want) {
			t.Fatalf("error %q lacks the line %q", err, want)
		}
	}
	for _, secret := range []string{"k3y-5ecret", "hunter2"} {
		if strings.Contains(err.Error(), secret) {
			t.Fatalf("error reveals a secret: %q", err)
		}
	}
}

func TestLoadWarnsAboutUnknownVariables(t *testing.T) {
	t.Parallel()

	scenarios := []struct {
		name string
		env  map[string]string
		want []string // variable each warning must name, in order
	}{
		{name: "known variables only", env: map[string]string{config.VarHTTP: "127.0.0.1:8090", config.VarEnv: "development"}},
		{name: "other prefixes are none of our business", env: map[string]string{"HOME": "/root", "PB_DATA": "x"}},
		{
			name: "typos are warned about",
			env:  map[string]string{"CONFLICTO_HTTPS": "x", "CONFLICTO_LOGLEVEL": "debug", config.VarHTTP: "127.0.0.1:8090"},
			want: []string{"CONFLICTO_HTTPS", "CONFLICTO_LOGLEVEL"},
		},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			res, err := load(s.env)
			if err != nil {
				t.Fatalf("unknown variables must not fail the start: %v", err)
			}
			if len(res.Warnings) != len(s.want) {
				t.Fatalf("warnings = %q, want one for each of %q", res.Warnings, s.want)
			}
			for i, name := range s.want {
				if !strings.Contains(res.Warnings[i], name) {
					t.Fatalf("warning %q does not name %s", res.Warnings[i], name)
				}
			}
		})
	}
}

// TestEnvExample keeps .env.example in step with Known: every variable is
// there, under a comment, and nothing else; filled in, it loads cleanly.
func TestEnvExample(t *testing.T) {
	t.Parallel()

	data, err := os.ReadFile("../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	env := map[string]string{}
	commented := false
	for _, line := range strings.Split(string(data), "\n") {
		name, value, isVar := strings.Cut(strings.TrimPrefix(line, "#"), "=")
		if !isVar || !strings.HasPrefix(name, config.Prefix) {
			commented = strings.HasPrefix(line, "#")
			continue
		}
		if !commented {
			t.Fatalf("%s has no comment above it", name)
		}
		documented[name] = true
		if !strings.HasPrefix(line, "#") {
			env[name] = value
		}
	}
	for _, name := range config.Known {
		if !documented[name] {
			t.Fatalf(".env.example does not document %s", name)
		}
	}
	if len(documented) != len(config.Known) {
		t.Fatalf(".env.example documents %d variables, config.Known has %d", len(documented), len(config.Known))
	}

	env[config.VarEncryptionKey] = key32 // the one value left to fill in
	res, err := load(env)
	if err != nil {
		t.Fatalf(".env.example with a key does not load: %v", err)
	}
	if len(res.Warnings) != 0 {
		t.Fatalf("warnings: %q", res.Warnings)
	}
}
