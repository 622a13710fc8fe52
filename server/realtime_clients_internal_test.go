package server

import (
	"maps"
	"testing"

	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// indexedClient must answer exactly as PocketBase's DefaultClient does.
func TestIndexedClientMatchesDefaultClient(t *testing.T) {
	subs := [][]string{
		nil,
		{"live/ABCDEF"},
		{"responses/*"},
		{"responses/abc123", `sessions/*?options={"query":{"a":"1"}}`},
		{"responses"},
		{"pbc_123/*", "live/ZZZZZZ?options={}"},
	}
	prefixes := []string{
		"responses/*?", "responses/abc123?", "responses?", "sessions/*?", "pbc_123/*?",
		"live/ABCDEF?", "live", "resp", "responsesX/*?", "",
	}
	for _, set := range subs {
		plain := subscriptions.NewDefaultClient()
		indexed := newIndexedClient(subscriptions.NewDefaultClient())
		plain.Subscribe(set...)
		indexed.Subscribe(set...)
		for _, p := range prefixes {
			want, got := plain.Subscriptions(p), indexed.Subscriptions(p)
			if len(want) != len(got) || (len(want) > 0 && !maps.Equal(keys(want), keys(got))) {
				t.Fatalf("subscriptions %v, prefix %q: got %v, want %v", set, p, got, want)
			}
		}
		if len(indexed.Subscriptions()) != len(plain.Subscriptions()) {
			t.Fatalf("subscriptions %v: all differ", set)
		}
		indexed.Unsubscribe()
		if got := indexed.Subscriptions("live/ABCDEF?"); len(got) != 0 {
			t.Fatalf("after unsubscribing all: %v", got)
		}
	}
}

func keys(m map[string]subscriptions.SubscriptionOptions) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}

func BenchmarkSubscriptionsMiss(b *testing.B) {
	for _, tc := range []struct {
		name   string
		client subscriptions.Client
	}{
		{"default", subscriptions.NewDefaultClient()},
		{"indexed", newIndexedClient(subscriptions.NewDefaultClient())},
	} {
		tc.client.Subscribe("live/ABCDEF")
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				tc.client.Subscriptions("responses/*?")
			}
		})
	}
}
