package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// requestTimeout bounds every plain (non-realtime) request.
const requestTimeout = 30 * time.Second

// newHTTPClient returns the client for ordinary requests: one transport
// that keeps at least conns idle connections per host, so that C workers
// reuse their connections instead of opening one per request.
func newHTTPClient(conns int) *http.Client {
	t := &http.Transport{
		Proxy:               nil, // loopback only, never through a proxy
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns + 64,
		MaxIdleConnsPerHost: conns + 64,
		IdleConnTimeout:     90 * time.Second,
	}
	return &http.Client{Transport: t, Timeout: requestTimeout}
}

// newSSEClient returns the client for realtime streams: a separate
// transport with no timeouts (a stream lasts the whole scenario) and no
// limit on connections.
func newSSEClient() *http.Client {
	t := &http.Transport{
		Proxy:              nil,
		DialContext:        (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		DisableKeepAlives:  true, // a stream's connection is never reused
		DisableCompression: true,
	}
	return &http.Client{Transport: t}
}

// API sends JSON requests to one server.
type API struct {
	Base string // e.g. http://127.0.0.1:8090
	HC   *http.Client
}

// StatusError is a response with an unexpected status; Body holds the
// start of the response body (PocketBase's error document).
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

// Error says which request got which status and what the server said.
func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: status %d: %s", e.Method, e.Path, e.Status, e.Body)
}

// Do sends body (JSON-encoded unless nil) with the auth token (if any) and
// decodes a 2xx response into out (if not nil). It returns the status and
// how long the exchange took, body read included; a non-2xx status is a
// *StatusError, a transport failure any other error with status 0.
func (a *API) Do(ctx context.Context, method, path, token string, body, out any) (int, time.Duration, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return 0, 0, fmt.Errorf("encode %s %s: %w", method, path, err)
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, a.Base+path, bytes.NewReader(payload))
	if err != nil {
		return 0, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	start := time.Now()
	resp, err := a.HC.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if err != nil {
		return 0, elapsed, fmt.Errorf("read %s %s: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, elapsed, &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: string(data[:min(len(data), 2000)])}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return resp.StatusCode, elapsed, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, elapsed, nil
}

// Timed sends a request like Do and records it in rec: the status, or a
// transport failure. It returns the error of Do.
func (a *API) Timed(ctx context.Context, rec *Recorder, method, path, token string, body, out any) (int, error) {
	start := time.Now()
	status, elapsed, err := a.Do(ctx, method, path, token, body, out)
	if status != 0 {
		rec.Add(start, elapsed, status, nil)
	} else if ctx.Err() == nil { // not a request cut by the deadline
		rec.Add(start, elapsed, 0, err)
	}
	return status, err
}

// errorCode returns the code PocketBase put in data.<field>.code of an
// error response, or "".
func errorCode(err error, field string) string {
	se, ok := err.(*StatusError)
	if !ok {
		return ""
	}
	var doc struct {
		Data map[string]struct {
			Code string `json:"code"`
		} `json:"data"`
	}
	if json.Unmarshal([]byte(se.Body), &doc) != nil {
		return ""
	}
	return doc.Data[field].Code
}
