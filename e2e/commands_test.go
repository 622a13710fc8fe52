package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The process exit code is what containers and scripts see: a server
// that cannot listen, a failed health check and an invalid configuration
// must exit non-zero; a passing health check exits 0.
func TestExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	live := startServer(t, t.TempDir())

	scenarios := []struct {
		name string
		args []string
		env  []string
		want int
	}{
		{"serve on a busy port", []string{"serve", "--http", busy.Addr().String(), "--dir", t.TempDir()}, nil, 1},
		{"healthcheck of a dead address", []string{"healthcheck", "--url", "http://" + busy.Addr().String()}, nil, 1},
		{"healthcheck of a live server", []string{"healthcheck", "--url", live.url}, nil, 0},
		{"invalid configuration", []string{"serve", "--dir", t.TempDir()}, []string{"CONFLICTO_LOG_LEVEL=loud"}, 2},
		{"an unknown command (a typo in a script)", []string{"bakup"}, nil, 1},
		{"an unknown flag", []string{"healthcheck", "--uri", live.url}, nil, 1},
		{"hosts without a subcommand", []string{"hosts", "--dir", t.TempDir()}, nil, 1},
		{"hosts add of a bad email", []string{"hosts", "add", "nobody", "--dir", t.TempDir()}, nil, 1},
		{"hosts list of a fresh data dir", []string{"hosts", "list", "--dir", t.TempDir()}, nil, 0},
		{"--version", []string{"--version"}, nil, 0},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			cmd := exec.Command(bin, s.args...)
			cmd.Env = append(os.Environ(), s.env...)
			done := make(chan error, 1)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("did not exit within 10 s")
			}
			if got := cmd.ProcessState.ExitCode(); got != s.want {
				t.Fatalf("exit code %d, want %d", got, s.want)
			}
		})
	}
}

// TestStartLine: serve logs one line saying where it listens, where the
// dashboard and the join links are, and the version stamped at build time.
func TestStartLine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	srv := startServer(t, t.TempDir(), "CONFLICTO_LOG_LEVEL=info", "CONFLICTO_PUBLIC_URL=https://live.example.com")
	addr := strings.TrimPrefix(srv.url, "http://")
	want := map[string]any{
		"msg":       "conflicto started",
		"listen":    addr,
		"dashboard": srv.url + "/_/",
		"join_url":  "https://live.example.com/join/",
		"version":   buildVersion,
	}
	var starts []map[string]any
	deadline := time.Now().Add(5 * time.Second)
	for len(starts) == 0 && time.Now().Before(deadline) {
		for _, line := range strings.Split(srv.logs.String(), "\n") {
			var m map[string]any
			if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == "conflicto started" {
				starts = append(starts, m)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(starts) != 1 {
		t.Fatalf("%d start lines, want 1:\n%s", len(starts), srv.logs)
	}
	for k, v := range want {
		if starts[0][k] != v {
			t.Fatalf("%s = %v, want %v\n%s", k, starts[0][k], v, srv.logs)
		}
	}
}

// TestVersionIsStamped: --version prints the version given at link time.
func TestVersionIsStamped(t *testing.T) {
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "version "+buildVersion) {
		t.Fatalf("--version printed %q, want %s", out, buildVersion)
	}
}

// TestOpenAPIPrintsTheServedDocument: `conflicto openapi` prints, without
// serving, the document serve publishes at /api/docs/openapi.json.
func TestOpenAPIPrintsTheServedDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	printed, err := exec.Command(bin, "openapi", "--dir", dir).Output()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ OpenAPI string }
	if err := json.Unmarshal(printed, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("printed %.200q (%v), want an OpenAPI 3.1 document", printed, err)
	}
	s := startServer(t, dir)
	res, err := http.Get(s.url + "/api/docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	served, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || strings.TrimSpace(string(printed)) != string(served) {
		t.Fatalf("served %d, a document that differs from the printed one", res.StatusCode)
	}
}
