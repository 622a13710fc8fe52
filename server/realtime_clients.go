package server

import (
	"slices"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// PocketBase broadcasts every record change by asking every connected
// realtime client, for six topic prefixes, which of its subscriptions match
// — a lock, a map and a string concatenation each time. With a keynote's
// 3,000 phones connected to the live topic, that is some 18,000 calls per
// answer, milliseconds of CPU for a change none of them subscribed to.
// indexedClient remembers the heads of its topics (the part before the
// first "/" or "?": a collection name or id, or "live") and answers "none"
// at once for a prefix whose head it has no subscription for.
type indexedClient struct {
	*subscriptions.DefaultClient
	heads atomic.Pointer[[]string] // distinct; a client rarely has more than one
}

var _ subscriptions.Client = (*indexedClient)(nil)

func registerRealtimeClients(app core.App) {
	app.OnRealtimeConnectRequest().BindFunc(func(e *core.RealtimeConnectRequestEvent) error {
		if dc, ok := e.Client.(*subscriptions.DefaultClient); ok {
			e.Client = newIndexedClient(dc)
		}
		return e.Next()
	})
}

func newIndexedClient(dc *subscriptions.DefaultClient) *indexedClient {
	c := &indexedClient{DefaultClient: dc}
	c.reindex()
	return c
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

func (c *indexedClient) reindex() {
	var heads []string
	for sub := range c.DefaultClient.Subscriptions() {
		if head, _ := topicHead(sub); !slices.Contains(heads, head) {
			heads = append(heads, head)
		}
	}
	c.heads.Store(&heads)
}

// Subscribe implements subscriptions.Client.
func (c *indexedClient) Subscribe(subs ...string) {
	c.DefaultClient.Subscribe(subs...)
	c.reindex()
}

// Unsubscribe implements subscriptions.Client.
func (c *indexedClient) Unsubscribe(subs ...string) {
	c.DefaultClient.Unsubscribe(subs...)
	c.reindex()
}

// Subscriptions implements subscriptions.Client: as DefaultClient's, but
// without any work when no subscription can match the prefixes.
func (c *indexedClient) Subscriptions(prefixes ...string) map[string]subscriptions.SubscriptionOptions {
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
