package e2e

import (
	"net"
	"os"
	"os/exec"
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
