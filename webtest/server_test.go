// Package webtest drives the web app (pb_public) in a real headless
// Chromium against the real conflicto binary on a loopback port: the pages
// as a phone and a projector get them, embedded in the binary.
package webtest

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
	suPassword = "webtest-password-1"
)

// binary builds the server once per test run, as the Dockerfile does.
var binary = sync.OnceValues(func() (string, error) {
	return testkit.BuildBinary("conflicto", "")
})

func TestMain(m *testing.M) {
	code := m.Run()
	if bin, err := binary(); err == nil {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

// server is one running conflicto process with no CONFLICTO_PUBLIC_URL:
// join links follow the origin the pages are loaded from.
type server struct {
	t    testing.TB
	url  string
	logs *bytes.Buffer
}

// startServer starts a server; env adds variables (NAME=value) to its environment.
func startServer(t testing.TB, env ...string) *server {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	s := &server{t: t, url: "http://" + addr, logs: new(bytes.Buffer)}
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", t.TempDir())
	cmd.Env = append(os.Environ(),
		"CONFLICTO_SUPERUSER_EMAIL="+suEmail,
		"CONFLICTO_SUPERUSER_PASSWORD="+suPassword,
		"CONFLICTO_PUBLIC_URL=",
		"CONFLICTO_LOG_LEVEL=warn",
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs)
		}
	})

	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.url + "/api/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case err := <-done:
			t.Fatalf("server exited before ready: %v\n%s", err, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("server not ready within 20 s\n%s", s.logs)
	return nil
}

// call does one JSON request and decodes a 2xx answer into out.
func (s *server) call(method, path, token string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.url+path, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("decode %s: %w", data, err)
		}
	}
	return nil
}

// must is call for steps that must succeed.
func (s *server) must(method, path, token string, body, out any) {
	s.t.Helper()
	if err := s.call(method, path, token, body, out); err != nil {
		s.t.Fatal(err)
	}
}
