package apitest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"conflicto/config"
	"conflicto/live"
)

// stalledSSE is a realtime connection that reads its PB_CONNECT and then
// never reads again, with a small receive buffer: a phone whose network
// stalled, or issue 9's attacker.
type stalledSSE struct {
	id   string
	conn net.Conn
	body io.ReadCloser
}

func openStalledSSE(t *testing.T, base string) *stalledSSE {
	t.Helper()
	s := &stalledSSE{}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetReadBuffer(4096)
			}
			s.conn = conn
			return conn, err
		},
		ReadBufferSize: 512,
	}
	res, err := (&http.Client{Transport: tr}).Get(base + "/api/realtime")
	if err != nil {
		t.Fatalf("realtime connect: %v", err)
	}
	s.body = res.Body
	// Registered after startServer's: runs before the server's Close, which
	// waits for every handler, a stuck one included.
	t.Cleanup(func() { s.conn.Close() })
	br := bufio.NewReaderSize(res.Body, 16)
	for s.id == "" {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("read PB_CONNECT: %v", err)
		}
		if data, ok := strings.CutPrefix(strings.TrimSpace(line), "data:"); ok {
			var connect struct {
				ClientID string `json:"clientId"`
			}
			if err := json.Unmarshal([]byte(data), &connect); err != nil || connect.ClientID == "" {
				t.Fatalf("PB_CONNECT data %q: %v", data, err)
			}
			s.id = connect.ClientID
		}
	}
	return s
}

// closeWatch is a listener that reports the server closing a connection,
// by the client's address.
type closeWatch struct {
	net.Listener
	closed chan string
}

func watchCloses(l net.Listener) *closeWatch {
	return &closeWatch{Listener: l, closed: make(chan string, 100)}
}

func (w *closeWatch) Accept() (net.Conn, error) {
	conn, err := w.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &watchedConn{Conn: conn, closed: w.closed}, nil
}

type watchedConn struct {
	net.Conn
	once   sync.Once
	closed chan string
}

func (c *watchedConn) Close() error {
	c.once.Do(func() {
		select {
		case c.closed <- c.RemoteAddr().String():
		default:
		}
	})
	return c.Conn.Close()
}

// waitClosed waits for the server to close the connection from addr.
func (w *closeWatch) waitClosed(t *testing.T, addr string, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case got := <-w.closed:
			if got == addr {
				return
			}
		case <-deadline:
			t.Fatalf("the server did not close the connection from %s within %v", addr, timeout)
		}
	}
}

// subscribeWithin sets a client's subscriptions, giving up after timeout:
// it returns the status, or 0 when the server did not answer in time.
func subscribeWithin(t *testing.T, base, clientID string, timeout time.Duration, topics ...string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"clientId": clientID, "subscriptions": topics})
	res, err := (&http.Client{Timeout: timeout}).Post(base+"/api/realtime", "application/json", strings.NewReader(string(body)))
	if err != nil {
		var netErr net.Error
		if errors.As(err, &netErr) && netErr.Timeout() {
			return 0
		}
		t.Fatalf("subscribe: %v", err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// waitCount reads cl's events until one says want participants.
func waitCount(t *testing.T, cl *sseClient, topic string, want int, timeout time.Duration) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				t.Fatalf("the stream of %s closed", topic)
			}
			if ev.name != topic {
				t.Fatalf("event %q, want %q", ev.name, topic)
			}
			if got := decodeLive(t, []byte(ev.data)).Participants.Count; got == want {
				return
			}
		case <-deadline:
			t.Fatalf("no message with %d participants on %s within %v", want, topic, timeout)
		}
	}
}

// Issue 9, item 1: a realtime client that stops reading must only hurt
// itself. The attacker subscribes to as many aliases of the live topic as a
// client may have, again and again (each subscribe sends it a welcome per
// alias), and never reads. Before the fix its first blocked send held the
// session's send lock: the subscribe hung, the screen got nothing more and
// a new subscriber no welcome. Now its queue fills, the server drops it and
// ends its connection, and everyone else carries on.
func TestLiveStalledClientHurtsOnlyItself(t *testing.T) {
	cfg := config.Default()
	cfg.MetricsToken = metricsToken
	w := newWorld(t, cfg)
	defer w.app.Cleanup()
	var watch *closeWatch
	base := startServerOn(t, w.app, func(l net.Listener) net.Listener {
		watch = watchCloses(l)
		return watch
	}).URL
	code := codeOf(w.s1)
	topic := "live/" + code

	screen := openSSE(t, base)
	screen.subscribe(t, base, "", topic)
	waitCount(t, screen, topic, 2, 5*time.Second) // the welcome

	attacker := openStalledSSE(t, base)
	aliases := make([]string, live.MaxTopicsPerClient)
	for i := range aliases {
		aliases[i] = fmt.Sprintf("%s?x=%d", topic, i)
	}
	dropped := false
	for i := 0; i < 2000 && !dropped; i++ {
		switch status := subscribeWithin(t, base, attacker.id, 2*time.Second, aliases...); status {
		case http.StatusNoContent:
		case http.StatusNotFound: // "Missing or invalid client id.": dropped
			dropped = true
			t.Logf("dropped after %d subscribes", i)
		case 0:
			t.Logf("subscribe %d: no answer within 2 s", i)
			i = 2000
		default:
			t.Fatalf("subscribe %d: status %d", i, status)
		}
	}

	// Everyone else carries on: every change reaches the screen promptly,
	// and a new subscriber gets its welcome at once.
	for i := range 3 {
		createParticipant(t, w.app, w.s1, fmt.Sprintf("Guest %d", i))
		waitCount(t, screen, topic, 3+i, 3*time.Second)
	}
	fresh := openSSE(t, base)
	if status := subscribeWithin(t, base, fresh.id, 3*time.Second, topic); status != http.StatusNoContent {
		t.Fatalf("a new subscriber's subscribe: status %d (0: no answer)", status)
	}
	waitCount(t, fresh, topic, 5, 3*time.Second)

	// The attacker was dropped: unregistered, and its connection closed
	// by the server although it still reads nothing.
	if !dropped {
		t.Fatal("the stalled client was never dropped")
	}
	if _, err := w.app.SubscriptionsBroker().ClientById(attacker.id); err == nil {
		t.Fatal("the stalled client is still registered")
	}
	watch.waitClosed(t, attacker.conn.LocalAddr().String(), 5*time.Second)
	// And counted for the operator.
	if n := scrapeMetrics(t, base).value(t, "conflicto_realtime_clients_dropped_total"); n != 1 {
		t.Fatalf("conflicto_realtime_clients_dropped_total = %v, want 1", n)
	}
}

// A client may be subscribed to live.MaxTopicsPerClient live topics, every
// spelling counted; a subscribe naming more is refused with a field code
// and leaves its subscriptions as they were.
func TestLiveTopicCapPerClient(t *testing.T) {
	w := newWorld(t, config.Default())
	defer w.app.Cleanup()
	base := startServer(t, w.app).URL
	topic := "live/" + codeOf(w.s1)

	cl := openSSE(t, base)
	allowed := []string{topic, strings.ToLower(topic), "live/" + codeOf(w.s2), "sessions/" + w.s1.Id}
	for i := len(allowed) - 1; i < live.MaxTopicsPerClient; i++ {
		allowed = append(allowed, fmt.Sprintf("%s?x=%d", topic, i))
	}
	cl.subscribe(t, base, "", allowed...)
	// One welcome per live topic name (a delivery of the world's own
	// writes may also land in the window: it is not a welcome).
	welcomed := map[string]bool{}
	for _, m := range cl.drain(500 * time.Millisecond) {
		welcomed[m.name] = true
	}
	if len(welcomed) != live.MaxTopicsPerClient {
		t.Fatalf("welcomes under %d names for %d live topics", len(welcomed), live.MaxTopicsPerClient)
	}

	for name, subs := range map[string][]string{
		"one over":                append(allowed, topic+"?x=extra"),
		"issue 9's 1,000 aliases": aliasList(topic, 1000),
	} {
		body, _ := json.Marshal(map[string]any{"clientId": cl.id, "subscriptions": subs})
		res := postJSON(t, base+"/api/realtime", string(body), "")
		var e struct {
			Data map[string]struct {
				Code string `json:"code"`
			} `json:"data"`
		}
		_ = json.Unmarshal(res.body, &e)
		if res.status != http.StatusBadRequest || e.Data["subscriptions"].Code != "too_many_live_topics" {
			t.Fatalf("%s: status %d %s, want 400 too_many_live_topics", name, res.status, res.body)
		}
	}
	if got := cl.drain(300 * time.Millisecond); len(got) != 0 {
		t.Fatalf("a refused subscribe sent %d messages", len(got))
	}
	// The earlier subscriptions still hold.
	createParticipant(t, w.app, w.s1, "Cat")
	waitCount(t, cl, topic, 3, 3*time.Second)

	// The same name many times is one topic and gets one welcome.
	other := openSSE(t, base)
	same := make([]string, 50)
	for i := range same {
		same[i] = topic
	}
	other.subscribe(t, base, "", same...)
	if got := other.drain(500 * time.Millisecond); len(got) != 1 {
		t.Fatalf("%d welcomes for one topic named 50 times", len(got))
	}
}

func aliasList(topic string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s?x=%d", topic, i)
	}
	return out
}
