package server

import (
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// Every realtime client is wrapped at connect (realtimeClient) for two
// reasons.
//
// Delivery that a slow client cannot hold up. PocketBase's DefaultClient.Send
// blocks on an unbuffered channel until the client's connection loop takes
// the message, and that loop blocks in its write, without a deadline, while
// the client does not read: one stalled phone blocked whoever sent to it
// (the live engine and PocketBase's record broadcasts alike), and everyone
// waiting behind that sender. A wrapped client has a queue of its own of
// realtimeQueue messages, which the connection loop reads: Send only
// enqueues and never blocks. A client whose queue is full has fallen a whole
// queue behind (its socket buffers are full too): it is dropped —
// unregistered, its queue closed and its pending write cut short — so its
// connection ends and the SDK reconnects, and the welcome of the live topic
// gives it the current state. Each message write also starts with a
// deadline at least half of realtimeWriteTimeout away (beforeWrite), so a
// connection that stops reading while nothing more is sent to it does not
// hold its goroutine for ever.
//
// The subscription index. PocketBase broadcasts every record change by
// asking every connected realtime client, for six topic prefixes, which of
// its subscriptions match — a lock, a map and a string concatenation each
// time. With a keynote's 3,000 phones connected to the live topic, that is
// some 18,000 calls per answer, milliseconds of CPU for a change none of
// them subscribed to. The wrapper remembers the heads of its topics (the
// part before the first "/" or "?": a collection name or id, or "live") and
// answers "none" at once for a prefix whose head it has no subscription
// for.

// realtimeQueue is how many messages may wait for a realtime client before
// it is dropped. The live topic sends at most 5 messages a second (and a
// subscribe at most one welcome per live topic, of which a client may have
// live.MaxTopicsPerClient), and the queue only fills once the connection's
// socket buffers are full: a client that reads keeps it near empty. 64
// slots are 2.5 KB per client whether used or not.
const realtimeQueue = 64

// realtimeWriteTimeout bounds one message write on a realtime connection.
// PocketBase lifts the server's write deadline for these long-lived
// connections; a write blocks only when the socket buffer is full, so a
// client that has not taken a buffer's worth in this time is gone.
const realtimeWriteTimeout = 30 * time.Second

// errDropped ends the connection loop of a dropped client before it writes
// what is left in its queue.
var errDropped = errors.New("realtime client dropped: it fell a whole queue behind")

type realtimeClient struct {
	*subscriptions.DefaultClient
	heads atomic.Pointer[[]string] // distinct; a client rarely has more than one

	queue chan subscriptions.Message // read by the connection loop (Channel)

	// mu orders Send (read lock) against closing the queue (write lock):
	// a send never meets a closed channel. It is held only for a send that
	// cannot block.
	mu     sync.RWMutex
	closed bool
	// conn is the client's connection while its loop runs; nil before and
	// after (the connection may then serve another request).
	conn writeDeadliner
	// deadline is the write deadline set on conn (zero: none), and
	// writeTimeout how far ahead beforeWrite sets it. Only the connection
	// loop uses them.
	deadline     time.Time
	writeTimeout time.Duration

	dropped atomic.Bool
	onDrop  func(*realtimeClient) // unregisters it; set at connect
}

var _ subscriptions.Client = (*realtimeClient)(nil)

// writeDeadliner is what a realtime client needs of its connection
// (*http.ResponseController).
type writeDeadliner interface {
	SetWriteDeadline(time.Time) error
}

// registerRealtimeClients wraps every realtime client and caps the open
// realtime connections at maxConns (0: no cap): beyond it a new connection
// is refused with 503 before it starts, rather than the process running out
// of memory or descriptors with a whole audience on it.
func registerRealtimeClients(app core.App, maxConns int) {
	var open atomic.Int64
	app.OnRealtimeConnectRequest().BindFunc(func(e *core.RealtimeConnectRequestEvent) error {
		if n := open.Add(1); maxConns > 0 && n > int64(maxConns) {
			open.Add(-1)
			e.Response.Header().Set("Retry-After", "5")
			return apis.NewApiError(http.StatusServiceUnavailable, "The server has too many live connections; try again shortly.", nil)
		}
		defer open.Add(-1)
		dc, ok := e.Client.(*subscriptions.DefaultClient)
		if !ok {
			return e.Next()
		}
		c := newRealtimeClient(dc, realtimeQueue)
		c.conn = http.NewResponseController(e.Response)
		c.onDrop = func(c *realtimeClient) {
			app.SubscriptionsBroker().Unregister(c.Id())
			ip, _ := c.Get(apis.RealtimeClientIPKey).(string)
			app.Logger().Warn("realtime client dropped: it stopped reading", "clientId", c.Id(), "ip", ip, "queue", cap(c.queue))
			observerOf(app).realtimeDropped()
		}
		e.Client = c
		err := e.Next()
		c.loopEnded()
		return err
	})
	app.OnRealtimeMessageSend().BindFunc(func(e *core.RealtimeMessageEvent) error {
		c, ok := e.Client.(*realtimeClient)
		if !ok {
			return e.Next()
		}
		if err := c.beforeWrite(time.Now()); err != nil {
			return err
		}
		return e.Next()
	})
}

// beforeWrite runs in the connection loop before each message is written:
// it refuses a dropped client's messages, and makes sure the write has a
// deadline at least half of writeTimeout away. The deadline moves only
// when less is left, so most messages of a fan-out cost no timer update
// (setting and clearing it around every write took a sixth of the
// server's CPU in a fan-out to 2,000). Under the lock, so that a drop's
// hang-up comes after this deadline, or this check after the drop.
func (c *realtimeClient) beforeWrite(now time.Time) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.dropped.Load() {
		return errDropped
	}
	if c.conn != nil && c.deadline.Sub(now) < c.writeTimeout/2 {
		c.deadline = now.Add(c.writeTimeout)
		_ = c.conn.SetWriteDeadline(c.deadline)
	}
	return nil
}

// loopEnded lets go of the connection once the client's loop is over: the
// connection may serve another request, so its write deadline is lifted,
// unless the client was dropped (the drop's hang-up stays).
func (c *realtimeClient) loopEnded() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil && !c.deadline.IsZero() && !c.dropped.Load() {
		_ = c.conn.SetWriteDeadline(time.Time{})
	}
	c.conn, c.deadline = nil, time.Time{}
}

func newRealtimeClient(dc *subscriptions.DefaultClient, queue int) *realtimeClient {
	c := &realtimeClient{DefaultClient: dc, queue: make(chan subscriptions.Message, queue), writeTimeout: realtimeWriteTimeout}
	c.reindex()
	return c
}

// Channel implements subscriptions.Client: the client's queue.
func (c *realtimeClient) Channel() chan subscriptions.Message { return c.queue }

// Send implements subscriptions.Client without ever blocking: it queues the
// message, or drops the client when its queue is full. A discarded client
// ignores it.
func (c *realtimeClient) Send(m subscriptions.Message) {
	c.mu.RLock()
	if c.closed {
		c.mu.RUnlock()
		return
	}
	select {
	case c.queue <- m:
		c.mu.RUnlock()
		return
	default:
	}
	c.mu.RUnlock()
	c.drop()
}

// drop gives up on a client that fell a whole queue behind: it leaves the
// broker, its queue is closed and a write it is stuck in fails, so its
// connection loop ends. Only the first call acts.
func (c *realtimeClient) drop() {
	if !c.dropped.CompareAndSwap(false, true) {
		return
	}
	if c.onDrop != nil {
		c.onDrop(c)
	}
	c.Discard()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		_ = c.conn.SetWriteDeadline(time.Now())
	}
}

// Discard implements subscriptions.Client: it closes the queue, after which
// sends are ignored. The connection loop still writes what is queued,
// unless the client was dropped.
func (c *realtimeClient) Discard() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.closed = true
	close(c.queue)
	c.DefaultClient.Discard()
}

// topicHead is a topic up to its first "/" or "?"; ok is false for a topic
// with neither, whose prefix matches can't be told from the head.
func topicHead(topic string) (head string, ok bool) {
	for i := 0; i < len(topic); i++ {
		if topic[i] == '/' || topic[i] == '?' {
			return topic[:i], true
		}
	}
	return topic, false
}

func (c *realtimeClient) reindex() {
	var heads []string
	for sub := range c.DefaultClient.Subscriptions() {
		if head, _ := topicHead(sub); !slices.Contains(heads, head) {
			heads = append(heads, head)
		}
	}
	c.heads.Store(&heads)
}

// Subscribe implements subscriptions.Client.
func (c *realtimeClient) Subscribe(subs ...string) {
	c.DefaultClient.Subscribe(subs...)
	c.reindex()
}

// Unsubscribe implements subscriptions.Client.
func (c *realtimeClient) Unsubscribe(subs ...string) {
	c.DefaultClient.Unsubscribe(subs...)
	c.reindex()
}

// Subscriptions implements subscriptions.Client: as DefaultClient's, but
// without any work when no subscription can match the prefixes.
func (c *realtimeClient) Subscriptions(prefixes ...string) map[string]subscriptions.SubscriptionOptions {
	if len(prefixes) == 0 {
		return c.DefaultClient.Subscriptions()
	}
	heads := *c.heads.Load()
	for _, prefix := range prefixes {
		head, ok := topicHead(prefix)
		if !ok || slices.Contains(heads, head) {
			return c.DefaultClient.Subscriptions(prefixes...)
		}
	}
	return nil
}
