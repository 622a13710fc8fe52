package commands_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/commands"
	"conflicto/config"
	"conflicto/logging"
)

// logBuffer collects log lines from the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines decodes every JSON line written so far.
func (b *logBuffer) lines(t testing.TB) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

// startLines returns the "conflicto started" lines.
func (b *logBuffer) startLines(t testing.TB) []map[string]any {
	var out []map[string]any
	for _, l := range b.lines(t) {
		if l["msg"] == "conflicto started" {
			out = append(out, l)
		}
	}
	return out
}

// newApp returns a bootstrapped PocketBase app on a temporary data dir.
func newApp(t testing.TB) core.App {
	t.Helper()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = app.ClearBootstrap() })
	// No installer: it would create a superuser token in the background.
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.InstallerFunc = nil
		return e.Next()
	})
	return app
}

// TestServeLogsOneStartLine: once listening, serve logs one line with the
// real listen address, the dashboard URL, the public join URL and the
// version; a stop ends the command without an error.
func TestServeLogsOneStartLine(t *testing.T) {
	app := newApp(t)
	logs := &logBuffer{}
	cfg := config.Default()
	cfg.HTTP = "127.0.0.1:0" // the line must carry the port actually bound
	cfg.PublicURL = "https://live.example.com"
	cmd := commands.NewServe(app, cfg, logging.New(logs, slog.LevelInfo, config.LogFormatJSON))
	cmd.SetArgs([]string{})
	done := make(chan error, 1)
	go func() { done <- cmd.Execute() }()

	var line map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for line == nil {
		if lines := logs.startLines(t); len(lines) > 0 {
			line = lines[0]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned before its start line: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no start line within 10 s")
		}
	}

	listen, _ := line["listen"].(string)
	host, port, err := net.SplitHostPort(listen)
	if err != nil || host != "127.0.0.1" || port == "0" {
		t.Fatalf("listen = %q, want the bound 127.0.0.1 address", listen)
	}
	want := map[string]any{
		"level":     "INFO",
		"dashboard": "http://" + listen + "/_/",
		"join_url":  "https://live.example.com/join/",
		"version":   commands.Version,
	}
	for k, v := range want {
		if line[k] != v {
			t.Fatalf("%s = %v, want %v (line %v)", k, line[k], v, line)
		}
	}
	res, err := http.Get("http://" + listen + "/api/health")
	if err != nil {
		t.Fatalf("the logged address does not answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("health at the logged address: %d", res.StatusCode)
	}

	// What SIGTERM does: the terminate hooks shut the server down.
	if err := app.OnTerminate().Trigger(&core.TerminateEvent{App: app}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after a stop: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after the stop")
	}
	if n := len(logs.startLines(t)); n != 1 {
		t.Fatalf("%d start lines, want 1", n)
	}
}

// A server that cannot listen logs no start line and fails.
func TestServeOnABusyPortLogsNoStartLine(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()

	app := newApp(t)
	logs := &logBuffer{}
	cfg := config.Default()
	cfg.HTTP = busy.Addr().String()
	cmd := commands.NewServe(app, cfg, logging.New(logs, slog.LevelInfo, config.LogFormatJSON))
	cmd.SetArgs([]string{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("error = %v, want address already in use", err)
	}
	if lines := logs.startLines(t); len(lines) != 0 {
		t.Fatalf("start line logged for a port that was busy: %v", lines)
	}
}
