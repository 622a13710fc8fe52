package apitest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingBody is a JSON body of about size bytes, made up as it is read
// (the test holds none of it), that counts what the server read.
type countingBody struct {
	head, tail string
	size, read int64
}

func newCountingBody(head string, size int64) *countingBody {
	return &countingBody{head: head, tail: `"}`, size: size}
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.read >= b.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && b.read < b.size {
		switch i := b.read; {
		case i < int64(len(b.head)):
			p[n] = b.head[i]
		case i >= b.size-int64(len(b.tail)):
			p[n] = b.tail[i-(b.size-int64(len(b.tail)))]
		default:
			p[n] = 'x'
		}
		n++
		b.read++
	}
	return n, nil
}

func (b *countingBody) Close() error { return nil }

// An oversized body is refused with 413 before it is read whole: at once
// when its Content-Length says so, else as soon as it passes its route's
// limit (the join's 64 KiB; an answer's value limit plus overhead; 1 KiB
// for the routes that take no body). PocketBase's default let anonymous
// 30 MB joins be read, and held, whole.
func TestOversizedBodiesAreRefusedUnread(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	mux := buildMux(t, w.app)
	const huge = 30 << 20
	// slack covers the reads' granularity: no more than one buffer past
	// the limit.
	const slack = 8 << 10

	scenarios := []struct {
		name, method, url, actor, head string
		limit                          int64
	}{
		{"join", "POST", "/api/join", actorAnonymous, `{"code":"S1CODE","nickname":"`, 64 << 10},
		{"answer", "POST", "/api/collections/responses/records", actorParticipant2, `{"activity":"A1","participant":"BOB","value":{"x":"`, 20 << 10},
		{"answer update", "PATCH", "/api/collections/responses/records/R1", actorParticipant, `{"value":{"x":"`, 20 << 10},
		{"activity", "POST", "/api/collections/activities/records", actorOwner, `{"session":"S1","type":"poll","title":"`, 80 << 10},
		{"session", "PATCH", "/api/collections/sessions/records/S1", actorOwner, `{"description":"`, 64 << 10},
		{"session anonymous", "POST", "/api/collections/sessions/records", actorAnonymous, `{"title":"`, 64 << 10},
		{"heartbeat", "POST", "/api/participants/heartbeat", actorParticipant, `{"x":"`, 1 << 10},
		{"advance", "POST", "/api/sessions/S1/advance", actorAnonymous, `{"x":"`, 1 << 10},
		{"ban", "POST", "/api/participants/BOB/ban", actorAnonymous, `{"x":"`, 1 << 10},
		{"reorder", "POST", "/api/sessions/S1/reorder", actorOwner, `{"activities":["`, 64 << 10},
		{"duplicate", "POST", "/api/sessions/S1/duplicate", actorOwner, `{"x":"`, 1 << 10},
		{"a GET with a body", "GET", "/api/sessions/S1/leaderboard", actorOtherHost, `{"x":"`, 1 << 10},
	}
	for _, s := range scenarios {
		for _, declared := range []bool{false, true} {
			body := newCountingBody(w.fill(strings.ReplaceAll(s.head, "S1CODE", w.s1.GetString("code"))), huge)
			req := httptest.NewRequest(s.method, s.url, nil)
			req.URL.Path = w.fill(s.url)
			req.Body = body
			req.ContentLength = -1 // sent in chunks: the server cannot know
			if declared {
				req.ContentLength = huge
			}
			req.Header.Set("Content-Type", "application/json")
			if auth := w.headers(t, s.actor)["Authorization"]; auth != "" {
				req.Header.Set("Authorization", auth)
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			label := s.name
			if declared {
				label += " (Content-Length)"
			}
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: %d %.200s, want 413", label, rec.Code, rec.Body.String())
			}
			max := s.limit + slack
			if declared {
				max = 0
			}
			if body.read > max {
				t.Errorf("%s: the server read %d bytes, want at most %d", label, body.read, max)
			}
		}
	}
}

// PocketBase's own routes keep PocketBase's limit: a body of a few hundred
// KiB to them is read and answered on its merits, not refused for its size.
func TestPocketBaseRoutesKeepTheirLimit(t *testing.T) {
	w := newMatrixWorld(t)
	defer w.app.Cleanup()
	mux := buildMux(t, w.app)
	body := newCountingBody(`{"identity":"a@example.com","password":"`, 300<<10)
	req := httptest.NewRequest("POST", "/api/collections/users/auth-with-password", nil)
	req.Body, req.ContentLength = body, -1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || body.read != 300<<10 {
		t.Fatalf("%d %.200s after reading %d bytes, want 400 (wrong password) after reading it all", rec.Code, rec.Body.String(), body.read)
	}
}
