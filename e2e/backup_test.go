package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3 is an S3-compatible store in the test process; it returns the
// CONFLICTO_BACKUP_* variables that point the server at its bucket.
func fakeS3(t *testing.T) []string {
	t.Helper()
	backend := s3mem.New()
	const bucket = "conflicto-backups"
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	s3 := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(s3.Close)
	return []string{
		"CONFLICTO_BACKUP_S3_BUCKET=" + bucket,
		"CONFLICTO_BACKUP_S3_REGION=us-east-1",
		"CONFLICTO_BACKUP_S3_ENDPOINT=" + s3.URL,
		"CONFLICTO_BACKUP_S3_ACCESS_KEY=test-access-key",
		"CONFLICTO_BACKUP_S3_SECRET=test-secret",
		"CONFLICTO_BACKUP_S3_FORCE_PATH_STYLE=true",
	}
}

// command runs the binary with args and env beside the test's settings
// and returns its combined output.
func command(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	bin, err := binary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CONFLICTO_LOG_LEVEL=warn", "CONFLICTO_HTTP="+freePort(t))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestBackupDuringVoteStormRestores takes `conflicto backup` to an S3
// bucket while a vote storm runs, SIGKILLs the server, restores the
// backup with `conflicto restore` into an empty data folder and starts a
// server on it: every answer acknowledged before the backup began is
// there, once, and nothing that was not acknowledged.
func TestBackupDuringVoteStormRestores(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	s3env := fakeS3(t)
	dataDir := t.TempDir()
	srv := startServer(t, dataDir, s3env...)
	const phones, concurrency = 300, 16
	_, act, joined := stormSession(t, srv, phones, concurrency)

	var mu sync.Mutex
	acked := map[string]string{}      // response id → participant id
	ackedAt := map[string]time.Time{} // response id → when its 2xx arrived
	var backupStart, backupEnd time.Time
	var backupOut string
	var backupErr error
	var started atomic.Bool
	var backupDone sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	parallel(phones, concurrency, func(i int) {
		var out record
		if _, err := srv.call(ctx, http.MethodPost, "/api/collections/responses/records", joined[i].token, map[string]any{
			"activity": act.ID, "participant": joined[i].id, "value": map[string]any{"choices": []int{i % 2}},
		}, &out); err != nil {
			t.Errorf("answer of phone %d: %v", i, err)
			return
		}
		mu.Lock()
		acked[out.ID] = joined[i].id
		ackedAt[out.ID] = time.Now()
		n := len(acked)
		mu.Unlock()
		if n == phones/3 && started.CompareAndSwap(false, true) {
			backupDone.Add(1)
			go func() {
				defer backupDone.Done()
				backupStart = time.Now()
				backupOut, backupErr = command(t, s3env, "backup", "during_storm.zip", "--dir", dataDir)
				backupEnd = time.Now()
			}()
		}
	})
	backupDone.Wait()
	if backupErr != nil {
		t.Fatalf("conflicto backup: %v\n%s", backupErr, backupOut)
	}
	if !strings.Contains(backupOut, "Backup during_storm.zip written to S3 bucket conflicto-backups") {
		t.Fatalf("backup output: %s", backupOut)
	}
	t.Logf("backup took %s during the storm", backupEnd.Sub(backupStart).Round(time.Millisecond))
	_ = srv.cmd.Process.Signal(syscall.SIGKILL)
	<-srv.done

	restored := t.TempDir()
	if out, err := command(t, s3env, "restore", "during_storm.zip", "--dir", restored); err != nil {
		t.Fatalf("conflicto restore: %v\n%s", err, out)
	}
	srv2 := startServer(t, restored, s3env...)
	stored, perParticipant := storedAnswers(t, srv2, act.ID)
	before := 0
	for id, participant := range acked {
		if ackedAt[id].Before(backupStart) {
			before++
			if stored[id] != participant {
				t.Errorf("answer %s of %s, acknowledged before the backup began, is missing after the restore", id, participant)
			}
		}
	}
	if before < phones/3 {
		t.Fatalf("only %d answers acknowledged before the backup began", before)
	}
	for id := range stored {
		if _, ok := acked[id]; !ok {
			t.Errorf("restored answer %s was never acknowledged", id)
		}
	}
	for participant, n := range perParticipant {
		if n != 1 {
			t.Errorf("participant %s has %d answers", participant, n)
		}
	}
	t.Logf("%d answers acknowledged, %d before the backup began, %d restored", len(acked), before, len(stored))
	if code := srv2.stop(syscall.SIGTERM, 15*time.Second); code != 0 {
		t.Fatalf("exit code after SIGTERM = %d\n%s", code, srv2.logs)
	}
	checkInvariants(t, restored)
}
