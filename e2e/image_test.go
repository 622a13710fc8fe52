package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// dockerfileEnv returns the CONFLICTO_* variables the Dockerfile's ENV
// instructions set, as KEY=VALUE pairs.
func dockerfileEnv(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	inEnv := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "ENV "); ok {
			inEnv, line = true, rest
		} else if !inEnv {
			continue
		}
		continued := strings.HasSuffix(line, `\`)
		for _, kv := range strings.Fields(strings.TrimSuffix(line, `\`)) {
			if strings.HasPrefix(kv, "CONFLICTO_") {
				env = append(env, kv)
			}
		}
		inEnv = continued
	}
	return env
}

// The image runs in production unless told otherwise, and a production
// server with none of the production settings refuses to start, naming
// each one, before it opens anything.
func TestImageDefaultsRefuseToStartWithoutProductionSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	env := dockerfileEnv(t)
	if !strings.Contains(strings.Join(env, " "), "CONFLICTO_ENV=production") {
		t.Fatalf("the Dockerfile does not default to production: %q", env)
	}
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	// Only the image's variables: nothing from the test's environment.
	var base []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONFLICTO_") {
			base = append(base, kv)
		}
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(base, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the server started with the image's defaults alone")
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Fatalf("exit code %d, want 2 (invalid configuration)\n%s", code, stderr.String())
	}
	for _, name := range []string{"CONFLICTO_CORS_ORIGINS", "CONFLICTO_PUBLIC_URL", "CONFLICTO_ENCRYPTION_KEY"} {
		if !strings.Contains(stderr.String(), name+": ") {
			t.Errorf("the refusal does not name %s:\n%s", name, stderr.String())
		}
	}
}
