package commands_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"conflicto/commands"
	"conflicto/config"
)

// readyServer answers GET /api/ready with status and body, 404 elsewhere.
func readyServer(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/api/ready" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// deadURL returns the URL of a port that was just listened on and closed.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr
}

func TestCheck(t *testing.T) {
	t.Parallel()

	ready := readyServer(t, http.StatusOK, `{"status":"ready"}`)
	unavailable := readyServer(t, http.StatusServiceUnavailable,
		"{\"status\":\"unavailable\",\n \"checks\":{\"database\":\"ok\",\"migrations\":\"pending: 2\"}}")
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(hanging.Close)

	scenarios := []struct {
		name    string
		url     string
		timeout time.Duration
		wantErr []string // all must appear in the error; nil means success
	}{
		{name: "ready server", url: ready.URL, timeout: commands.HealthcheckTimeout},
		{name: "trailing slash", url: ready.URL + "/", timeout: commands.HealthcheckTimeout},
		{
			name:    "unavailable server: status and reason on one line",
			url:     unavailable.URL,
			timeout: commands.HealthcheckTimeout,
			wantErr: []string{"503 Service Unavailable", `"migrations":"pending: 2"`},
		},
		{
			name:    "wrong path answers 404",
			url:     ready.URL + "/prefix",
			timeout: commands.HealthcheckTimeout,
			wantErr: []string{"404"},
		},
		{
			name:    "dead address",
			url:     deadURL(t),
			timeout: commands.HealthcheckTimeout,
			wantErr: []string{"connection refused"},
		},
		{
			name:    "server that never answers",
			url:     hanging.URL,
			timeout: 200 * time.Millisecond,
			wantErr: []string{"deadline exceeded"},
		},
		{name: "not a URL", url: "127.0.0.1:8090", timeout: time.Second, wantErr: []string{"not an http(s) URL"}},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
			defer cancel()

			start := time.Now()
			err := commands.Check(ctx, s.url)
			if elapsed := time.Since(start); elapsed > s.timeout+time.Second {
				t.Fatalf("took %v, want at most %v", elapsed, s.timeout)
			}
			if s.wantErr == nil {
				if err != nil {
					t.Fatalf("want ready, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			for _, w := range s.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestHealthcheckCommand(t *testing.T) {
	t.Parallel()

	ready := readyServer(t, http.StatusOK, `{"status":"ready"}`)
	unavailable := readyServer(t, http.StatusServiceUnavailable, `{"status":"unavailable"}`)
	_, readyPort, _ := net.SplitHostPort(strings.TrimPrefix(ready.URL, "http://"))

	scenarios := []struct {
		name    string
		listen  string // cfg.HTTP
		args    []string
		wantErr bool
	}{
		{name: "--url of a ready server", listen: "127.0.0.1:1", args: []string{"--url", ready.URL}},
		{name: "--url of an unavailable server", listen: "127.0.0.1:1", args: []string{"--url", unavailable.URL}, wantErr: true},
		{name: "--url of a dead address", listen: "127.0.0.1:1", args: []string{"--url", deadURL(t)}, wantErr: true},
		{name: "default: the listen address, wildcard host made local", listen: "0.0.0.0:" + readyPort},
		{name: "default: a dead listen address", listen: strings.TrimPrefix(deadURL(t), "http://"), wantErr: true},
		{name: "arguments are refused", listen: "127.0.0.1:" + readyPort, args: []string{"extra"}, wantErr: true},
	}

	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.HTTP = s.listen
			cmd := commands.NewHealthcheck(cfg)
			var stdout, stderr bytes.Buffer
			cmd.SetOut(&stdout)
			cmd.SetErr(&stderr)
			cmd.SetArgs(s.args)

			start := time.Now()
			err := cmd.Execute()
			if elapsed := time.Since(start); elapsed > commands.HealthcheckTimeout {
				t.Fatalf("took %v, want at most %v", elapsed, commands.HealthcheckTimeout)
			}
			if (err != nil) != s.wantErr {
				t.Fatalf("error = %v, want error: %v", err, s.wantErr)
			}
			if !s.wantErr {
				if stderr.Len() != 0 || stdout.Len() != 0 {
					t.Fatalf("a healthy check prints nothing, got %q / %q", stdout.String(), stderr.String())
				}
				return
			}
			if lines := strings.Count(stderr.String(), "\n"); lines != 1 || !strings.HasPrefix(stderr.String(), "Error: ") {
				t.Fatalf("want one reason line on stderr, got %q", stderr.String())
			}
		})
	}
}

func TestLocalURL(t *testing.T) {
	t.Parallel()

	scenarios := []struct{ listen, want string }{
		{"127.0.0.1:8090", "http://127.0.0.1:8090"},
		{"0.0.0.0:8090", "http://127.0.0.1:8090"},
		{":8090", "http://127.0.0.1:8090"},
		{"[::]:8090", "http://127.0.0.1:8090"},
		{"[::1]:8090", "http://[::1]:8090"},
		{"localhost:9000", "http://localhost:9000"},
		{"localhost", "http://localhost"}, // no port: used as it is
	}
	for _, s := range scenarios {
		if got := commands.LocalURL(s.listen); got != s.want {
			t.Fatalf("LocalURL(%q) = %q, want %q", s.listen, got, s.want)
		}
	}
}

func TestLocalURLAndCheckOfOddAddresses(t *testing.T) {
	if got := commands.LocalURL("not-an-address"); got != "http://not-an-address" {
		t.Fatalf("LocalURL = %q", got)
	}
	if err := commands.Check(context.Background(), "ftp://example.com"); err == nil || !strings.Contains(err.Error(), "is not an http(s) URL") {
		t.Fatalf("Check of ftp: %v", err)
	}
}
