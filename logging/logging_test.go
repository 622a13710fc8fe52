package logging

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestNew(t *testing.T) {
	scenarios := []struct {
		name   string
		level  slog.Level
		format string
		check  func(t *testing.T, out string)
	}{
		{"json line with UTC RFC 3339 time", slog.LevelInfo, "json", func(t *testing.T, out string) {
			var line map[string]any
			if err := json.Unmarshal([]byte(out), &line); err != nil {
				t.Fatalf("not one JSON object: %q", out)
			}
			ts, _ := line["time"].(string)
			parsed, err := time.Parse(time.RFC3339Nano, ts)
			if err != nil || !strings.HasSuffix(ts, "Z") || parsed.Location() != time.UTC {
				t.Fatalf("time %q is not RFC 3339 UTC", ts)
			}
			if line["level"] != "INFO" || line["msg"] != "hello" || line["k"] != "v" {
				t.Fatalf("fields: %v", line)
			}
		}},
		{"text for development", slog.LevelInfo, "text", func(t *testing.T, out string) {
			if !strings.Contains(out, "msg=hello") || strings.HasPrefix(out, "{") {
				t.Fatalf("not text: %q", out)
			}
		}},
		{"level filters", slog.LevelWarn, "json", func(t *testing.T, out string) {
			if out != "" {
				t.Fatalf("an info line passed a warn logger: %q", out)
			}
		}},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			var buf bytes.Buffer
			New(&buf, s.level, s.format).Info("hello", "k", "v")
			s.check(t, strings.TrimSpace(buf.String()))
		})
	}
}
