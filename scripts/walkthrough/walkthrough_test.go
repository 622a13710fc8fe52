package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"conflicto/internal/testkit"
)

// TestWalkthroughAgainstARealServer builds the binary, starts a fresh
// server, makes the host account as the README's step 0 says (conflicto
// hosts add, password on stdin), and runs every step of the walk-through.
func TestWalkthroughAgainstARealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real binary")
	}
	bin := buildServer(t)
	dataDir := t.TempDir()
	api := startServer(t, bin, dataDir)

	add := exec.Command(bin, "hosts", "add", "host@example.com", "--password-stdin", "--dir", dataDir)
	add.Stdin = strings.NewReader("a-long-password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("conflicto hosts add: %v\n%s", err, out)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"-url", api}, &stdout, &stderr); code != 0 {
		t.Fatalf("walkthrough exited %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	for i, s := range steps {
		if !strings.Contains(stdout.String(), fmt.Sprintf("%2d. %s\n", i+1, s.say)) {
			t.Fatalf("step %d not reported:\n%s", i+1, stdout.String())
		}
	}

	// Without the host account the first step fails and says what to do.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"-url", api, "-email", "nobody@example.com"}, &stdout, &stderr); code != 1 {
		t.Fatalf("without an account: exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "conflicto hosts add nobody@example.com") {
		t.Fatalf("without an account the error does not say how to make one: %s", stderr.String())
	}
}

// TestREADMEShowsEveryStep: each step's curl command appears verbatim in
// the README's host walk-through, in the same order, so the README shows
// what this program runs and checks.
func TestREADMEShowsEveryStep(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	at := 0
	for i, s := range steps {
		j := strings.Index(text[at:], s.curl)
		if j < 0 {
			t.Fatalf("README.md lacks step %d (%s), or has it out of order:\n%s", i+1, s.say, s.curl)
		}
		at += j + len(s.curl)
	}
	for _, operator := range []string{
		"printf '%s\\n' 'a-long-password' | conflicto hosts add host@example.com --password-stdin",
		"go run ./scripts/walkthrough",
	} {
		if !strings.Contains(text, operator) {
			t.Fatalf("README.md lacks %q", operator)
		}
	}
}

// TestREADMEBlockRunsInBash runs the README's shell block itself, as a
// reader would paste it, against a fresh server: the quoting and the jq
// lines the program does not hold are checked too. It needs curl and jq,
// and is skipped without them (the program above still runs).
func TestREADMEBlockRunsInBash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the real binary")
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)[strings.Index(string(readme), "## The host flow, step by step"):]
	start := strings.Index(section, "```sh\n")
	end := strings.Index(section[start+6:], "```")
	if start < 0 || end < 0 {
		t.Fatal("README.md has no sh block in its host flow")
	}
	script := section[start+6 : start+6+end]

	bin := buildServer(t)
	dataDir := t.TempDir()
	api := startServer(t, bin, dataDir)
	script = strings.Replace(script, "API=http://127.0.0.1:8090\n", "API="+api+"\n", 1)

	work := t.TempDir()
	cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CONFLICTO_DATA_DIR="+dataDir, "CONFLICTO_LOG_LEVEL=warn")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's block failed: %v\n%s", err, out)
	}
	for _, want := range []string{`"status":"active"`, `"activity":null`, `"status":"completed"`, `"nickname":"Ada"`} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("the block's output lacks %s:\n%s", want, out)
		}
	}
	csv, err := os.ReadFile(filepath.Join(work, "session.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "Sushi") || !strings.Contains(string(csv), ",go,") {
		t.Fatalf("session.csv lacks the readable answers:\n%s", csv)
	}
}

func TestFlags(t *testing.T) {
	scenarios := []struct {
		args []string
		want int
	}{
		{[]string{"-nope"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"-url", deadURL(t), "-timeout", "1s"}, 1},
	}
	for _, s := range scenarios {
		var stdout, stderr bytes.Buffer
		if code := run(s.args, &stdout, &stderr); code != s.want {
			t.Fatalf("%q: exit %d, want %d\n%s", s.args, code, s.want, stderr.String())
		}
	}
}

// builtServer builds the server binary once per test run, as the
// Dockerfile does.
var builtServer = sync.OnceValues(func() (string, error) {
	bin, err := testkit.BuildBinary("conflicto", "")
	if err == nil {
		builtDir = filepath.Dir(bin)
	}
	return bin, err
})

// builtDir holds the built binary, if a test built it.
var builtDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

func buildServer(t *testing.T) string {
	t.Helper()
	bin, err := builtServer()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// lockedBuffer is a process's output, written by its goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer runs `conflicto serve` on a free port and dataDir, waits
// until it is ready and returns its base URL; the test stops it.
func startServer(t *testing.T, bin, dataDir string) string {
	t.Helper()
	addr := strings.TrimPrefix(deadURL(t), "http://")
	logs := &lockedBuffer{}
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", dataDir)
	cmd.Env = append(os.Environ(), "CONFLICTO_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	url := "http://" + addr
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		if res, err := http.Get(url + "/api/ready"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return url
			}
		}
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, logs)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("server not ready within 20 s\n%s", logs)
	return ""
}

// deadURL is the URL of a port that was free a moment ago.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// TestStepsCheckWhatComesBack: the walk does not only send requests, it
// checks the answers: against a server that answers 500, an empty object
// or no JSON at all, every step fails.
func TestStepsCheckWhatComesBack(t *testing.T) {
	for _, fake := range []struct {
		status int
		body   string
	}{
		{http.StatusInternalServerError, `{"status":500}`},
		{http.StatusOK, `{}`},
		{http.StatusOK, `not JSON`},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(fake.status)
			_, _ = w.Write([]byte(fake.body))
		}))
		for i, s := range steps {
			w := &walk{api: srv.URL, client: srv.Client(), host: "h", sid: "s", code: "C", poll: "p", quiz: "q",
				poker: "k", wordcloud: "w", ptoken: "t", pid: "a"}
			if err := s.run(w); err == nil {
				t.Errorf("step %d (%s) passed on %d %s", i+1, s.say, fake.status, fake.body)
			}
		}
		srv.Close()
	}
}

// A step that cannot reach the server fails with the cause.
func TestStepsOnADeadServer(t *testing.T) {
	w := &walk{api: deadURL(t), client: &http.Client{Timeout: time.Second}, sid: "s"}
	for i, s := range steps {
		if err := s.run(w); err == nil {
			t.Fatalf("step %d (%s) passed with no server", i+1, s.say)
		}
	}
}
