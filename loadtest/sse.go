package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Event is one server-sent event as PocketBase writes it
// ("id:…\nevent:NAME\ndata:DATA\n\n"), stamped with the time its last line
// was read.
type Event struct {
	Name string
	Data []byte
	At   time.Time
}

// Stream is one PocketBase realtime connection (GET /api/realtime).
type Stream struct {
	ClientID string
	resp     *http.Response
	r        *bufio.Reader
	cancel   context.CancelFunc
	closed   atomic.Bool
}

// connectTimeout bounds connecting and reading PB_CONNECT.
const connectTimeout = 20 * time.Second

// Connect opens a realtime stream and reads its PB_CONNECT event. The
// stream lives until ctx ends or Close.
func Connect(ctx context.Context, hc *http.Client, base string) (*Stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/realtime", nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	// Only the connect phase is bounded; the stream itself is not.
	timer := time.AfterFunc(connectTimeout, cancel)
	resp, err := hc.Do(req)
	if err != nil {
		timer.Stop()
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		timer.Stop()
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("GET /api/realtime: status %d", resp.StatusCode)
	}
	s := &Stream{resp: resp, r: bufio.NewReaderSize(resp.Body, 8<<10), cancel: cancel}
	ev, err := s.Next()
	timer.Stop()
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("read PB_CONNECT: %w", err)
	}
	var hello struct {
		ClientID string `json:"clientId"`
	}
	if ev.Name != "PB_CONNECT" || json.Unmarshal(ev.Data, &hello) != nil || hello.ClientID == "" {
		s.Close()
		return nil, fmt.Errorf("first event is %q, not PB_CONNECT", ev.Name)
	}
	s.ClientID = hello.ClientID
	return s, nil
}

// Subscribe sets the stream's subscriptions (POST /api/realtime), as the
// holder of token ("" for anonymous).
func (s *Stream) Subscribe(ctx context.Context, api *API, token string, topics ...string) error {
	body := map[string]any{"clientId": s.ClientID, "subscriptions": topics}
	_, _, err := api.Do(ctx, http.MethodPost, "/api/realtime", token, body, nil)
	return err
}

// Next reads the next event. Comment lines and fields other than event
// and data are skipped.
func (s *Stream) Next() (Event, error) {
	var ev Event
	var data []byte
	seen, hasData := false, false
	for {
		line, err := s.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A long data line: gather it whole.
			rest, err2 := s.r.ReadBytes('\n')
			line, err = append(bytes.Clone(line), rest...), err2
		}
		if err != nil {
			return ev, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			if seen {
				ev.Data, ev.At = data, time.Now()
				return ev, nil
			}
			continue
		}
		seen = true
		switch {
		case bytes.HasPrefix(line, []byte("event:")):
			ev.Name = string(bytes.TrimSpace(line[len("event:"):]))
		case bytes.HasPrefix(line, []byte("data:")):
			chunk := bytes.TrimPrefix(line[len("data:"):], []byte(" "))
			if hasData {
				data = append(data, '\n')
			}
			data, hasData = append(data, chunk...), true
		}
	}
}

// Run calls handle for every event until the stream ends, and returns
// the error that ended it (nil after Close or the end of ctx).
func (s *Stream) Run(ctx context.Context, handle func(Event)) error {
	for {
		ev, err := s.Next()
		if err != nil {
			if ctx.Err() != nil || s.closed.Load() {
				return nil
			}
			return err
		}
		handle(ev)
	}
}

// Close ends the stream.
func (s *Stream) Close() {
	s.closed.Store(true)
	s.cancel()
	s.resp.Body.Close()
}
