// Package e2e drives the real conflicto binary as a subprocess: built with
// the Dockerfile's exact build command, started on a temporary data dir,
// spoken to over loopback HTTP.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"conflicto/internal/testkit"
)

const (
	suEmail    = "root@example.com"
	suPassword = "crash-safety-123"
)

// buildVersion is the version the test binary is stamped with, as the
// Dockerfile stamps its own (-X conflicto/commands.Version=...).
const buildVersion = "e2e-build"

// binary builds the server once per test run, exactly as the Dockerfile does.
var binary = sync.OnceValues(func() (string, error) {
	return testkit.BuildBinary("conflicto", buildVersion)
})

func TestMain(m *testing.M) {
	code := m.Run()
	if bin, err := binary(); err == nil {
		os.RemoveAll(filepath.Dir(bin))
	}
	if litestreamDir != "" {
		os.RemoveAll(litestreamDir)
	}
	os.Exit(code)
}

// server is one running conflicto process.
type server struct {
	t    testing.TB
	cmd  *exec.Cmd
	url  string
	logs *logBuffer
	done chan error
}

// logBuffer holds a process's output; the process writes it from its own
// goroutine while the test reads it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServer runs `conflicto serve` on dataDir and waits until it is ready;
// env adds to (and overrides) the test's CONFLICTO_* settings.
func startServer(t testing.TB, dataDir string, env ...string) *server {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	s := &server{t: t, url: "http://" + addr, logs: new(logBuffer), done: make(chan error, 1)}
	s.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", dataDir)
	s.cmd.Env = append(os.Environ(),
		"CONFLICTO_SUPERUSER_EMAIL="+suEmail,
		"CONFLICTO_SUPERUSER_PASSWORD="+suPassword,
		"CONFLICTO_LOG_LEVEL=warn",
		"CONFLICTO_LOG_FORMAT=json",
	)
	s.cmd.Env = append(s.cmd.Env, env...)
	s.cmd.Stdout = s.logs
	s.cmd.Stderr = s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(s.url + "/api/ready")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("server exited before ready: %v\n%s", err, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("server not ready within 20 s\n%s", s.logs)
	return nil
}

// stop sends sig and waits for the exit, returning the exit code.
func (s *server) stop(sig os.Signal, within time.Duration) int {
	s.t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(within):
		s.t.Fatalf("server did not exit within %s after %v", within, sig)
	}
	return s.cmd.ProcessState.ExitCode()
}

// call does one JSON request and decodes the answer into out (if not nil).
func (s *server) call(ctx context.Context, method, path, token string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, r)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if out != nil && res.StatusCode < 300 && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("decode %s: %w", data, err)
		}
	}
	if res.StatusCode >= 300 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	return res.StatusCode, nil
}

// must is call for set-up steps that must succeed.
func (s *server) must(method, path, token string, body, out any) {
	s.t.Helper()
	if _, err := s.call(context.Background(), method, path, token, body, out); err != nil {
		s.t.Fatal(err)
	}
}
