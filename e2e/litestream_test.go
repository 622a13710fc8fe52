package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// LitestreamModule is the Litestream release the docker-compose profile
// builds (deploy/litestream/Dockerfile) and this test runs: v0.5 uses the
// same pure-Go SQLite driver as PocketBase, so it builds with
// CGO_ENABLED=0 like the server.
const LitestreamModule = "github.com/benbjohnson/litestream/cmd/litestream@v0.5.18"

// litestreamDir holds the Litestream binary once built.
var litestreamDir string

// litestream is the Litestream binary: $LITESTREAM_BIN when set (.ci/run
// builds it before the tests, outside their time limit), else built once
// per test run from the module proxy.
var litestream = sync.OnceValues(func() (string, error) {
	if bin := os.Getenv("LITESTREAM_BIN"); bin != "" {
		return bin, nil
	}
	dir, err := os.MkdirTemp("", "conflicto-litestream-")
	if err != nil {
		return "", err
	}
	litestreamDir = dir
	cmd := exec.Command("go", "install", "-trimpath", LitestreamModule)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", &buildError{err: err, out: string(out)}
	}
	return filepath.Join(dir, "litestream"), nil
})

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string {
	return "go install " + LitestreamModule + ": " + e.err.Error() + "\n" + e.out
}

// TestLitestreamRestoresEveryAcknowledgedAnswer replicates the server's
// database with Litestream to a file replica while a vote storm runs,
// SIGKILLs the server mid-storm, restores the replica into an empty data
// folder and starts a server on it: every answer that got a 2xx is there,
// once, and the database invariants hold.
func TestLitestreamRestoresEveryAcknowledgedAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Litestream and starts the real binary")
	}
	ls, err := litestream()
	if err != nil {
		t.Fatal(err)
	}
	dataDir, replica := t.TempDir(), t.TempDir()
	srv := startServer(t, dataDir)

	logs := new(logBuffer)
	rep := exec.Command(ls, "replicate", filepath.Join(dataDir, "data.db"), "file://"+replica)
	rep.Stdout, rep.Stderr = logs, logs
	if err := rep.Start(); err != nil {
		t.Fatal(err)
	}
	repDone := make(chan error, 1)
	go func() { repDone <- rep.Wait() }()
	t.Cleanup(func() {
		if rep.ProcessState == nil {
			_ = rep.Process.Kill()
			<-repDone
		}
	})

	const phones, concurrency = 300, 16
	_, act, joined := stormSession(t, srv, phones, concurrency)

	var mu sync.Mutex
	acked := map[string]string{}
	var ackedCount atomic.Int64
	var once sync.Once
	killed := make(chan struct{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	parallel(phones, concurrency, func(i int) {
		var out record
		if _, err := srv.call(ctx, http.MethodPost, "/api/collections/responses/records", joined[i].token, map[string]any{
			"activity": act.ID, "participant": joined[i].id, "value": map[string]any{"choices": []int{i % 2}},
		}, &out); err != nil {
			return // refused or cut off by the kill: not acknowledged
		}
		mu.Lock()
		acked[out.ID] = joined[i].id
		mu.Unlock()
		if ackedCount.Add(1) == phones*2/3 {
			once.Do(func() {
				_ = srv.cmd.Process.Signal(syscall.SIGKILL)
				close(killed)
			})
		}
	})
	select {
	case <-killed:
	default:
		t.Fatalf("the storm ended before the kill: only %d answers acknowledged", ackedCount.Load())
	}
	<-srv.done

	// What the dead server committed is in its WAL on disk: Litestream
	// ships it within its sync interval (1 s), and syncs once more when
	// it stops.
	time.Sleep(3 * time.Second)
	_ = rep.Process.Signal(syscall.SIGTERM)
	select {
	case <-repDone:
	case <-time.After(30 * time.Second):
		t.Fatalf("litestream did not stop within 30 s of SIGTERM\n%s", logs)
	}

	restored := t.TempDir() // empty
	out, err := exec.Command(ls, "restore", "-o", filepath.Join(restored, "data.db"), "file://"+replica).CombinedOutput()
	if err != nil {
		t.Fatalf("litestream restore: %v\n%s\nreplicate log:\n%s", err, out, logs)
	}

	srv2 := startServer(t, restored)
	stored, perParticipant := storedAnswers(t, srv2, act.ID)
	for id, participant := range acked {
		if stored[id] != participant {
			t.Errorf("acknowledged answer %s of %s is missing from the restored replica", id, participant)
		}
	}
	for participant, n := range perParticipant {
		if n != 1 {
			t.Errorf("participant %s has %d answers", participant, n)
		}
	}
	t.Logf("%d answers acknowledged before the kill, %d restored", len(acked), len(stored))
	if code := srv2.stop(syscall.SIGTERM, 15*time.Second); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d\n%s", code, srv2.logs)
	}
	checkInvariants(t, restored)
}

// The compose profile's image and .ci/run build the release this test ran.
func TestLitestreamVersionIsOneEverywhere(t *testing.T) {
	_, version, _ := strings.Cut(LitestreamModule, "@")
	for file, want := range map[string]string{
		"../deploy/litestream/Dockerfile": "LITESTREAM_VERSION=" + version,
		"../.ci/run":                      LitestreamModule,
	} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), want) {
			t.Errorf("%s does not build %s", file, want)
		}
	}
}
