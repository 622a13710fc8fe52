package server_test

import (
	"os"
	"regexp"
	"testing"
	"time"

	"conflicto/server"
)

// The compose file's stop_grace_period is how long Docker waits after
// SIGTERM before SIGKILL: it must outlast the drain, or a stop kills the
// server while it lets in-flight requests finish (README and the lifecycle
// ask for more than the drain's 10 s).
func TestComposeGracePeriodOutlastsTheDrain(t *testing.T) {
	t.Parallel()
	compose, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*stop_grace_period:\s*(\S+)\s*$`).FindSubmatch(compose)
	if m == nil {
		t.Fatal("docker-compose.yml sets no stop_grace_period")
	}
	grace, err := time.ParseDuration(string(m[1]))
	if err != nil {
		t.Fatalf("stop_grace_period %q: %v", m[1], err)
	}
	if grace < server.DrainTimeout+5*time.Second {
		t.Fatalf("stop_grace_period %v, want at least the drain (%v) plus 5 s for the rest of the shutdown", grace, server.DrainTimeout)
	}
}
