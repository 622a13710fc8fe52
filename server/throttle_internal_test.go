package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a log sink safe for the report timers' goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// A streak's held refusals are logged as one line per report with their
// count; a report with none to tell says nothing, and a streak whose
// Retry-After is over is forgotten.
func TestThrottleReportsHeldRefusals(t *testing.T) {
	var out syncBuffer
	th := newThrottle(nil, slog.New(slog.NewJSONHandler(&out, nil)), "participant writes")
	th.streaks["p1"] = &streak{until: time.Now().Add(time.Hour), quiet: 4990, total: 4990}

	th.report("p1")
	lines := out.lines(t)
	if len(lines) != 1 || lines[0]["key"] != "p1" || lines[0]["refused"] != float64(4990) || lines[0]["limit"] != "participant writes" || lines[0]["level"] != "WARN" {
		t.Fatalf("report = %v, want one WARN line with p1's 4990 refusals", lines)
	}
	if s := th.streaks["p1"]; s == nil || s.quiet != 0 || s.total != 4990 {
		t.Fatalf("streak after report = %+v, want kept with nothing left to tell", s)
	}

	th.streaks["p1"].until = time.Now().Add(-time.Second)
	th.report("p1")
	if n := len(out.lines(t)); n != 1 {
		t.Fatalf("%d lines, want no new one for a report with no refusals", n)
	}
	if _, ok := th.streaks["p1"]; ok {
		t.Fatal("a streak whose Retry-After is over is kept")
	}
}
