package live

import (
	"slices"
	"strings"

	c "conflicto/collections"
)

// prefix starts every live topic: live/{CODE}.
const prefix = "live/"

// MaxTopicsPerClient is how many live topics one realtime client may be
// subscribed to, every spelling counted: live/ABC234, live/abc234 and
// live/ABC234?x=1 are three. A client needs one; each costs a welcome
// document per subscribe request.
const MaxTopicsPerClient = 10

// liveTopics lists the distinct live topic names among subs, in order; it
// stops at one over MaxTopicsPerClient, which is enough to refuse them.
func liveTopics(subs []string) []string {
	var names []string
	for _, s := range subs {
		if strings.HasPrefix(s, prefix) && !slices.Contains(names, s) {
			if names = append(names, s); len(names) > MaxTopicsPerClient {
				break
			}
		}
	}
	return names
}

// topicName is the canonical topic of a join code.
func topicName(code string) string { return prefix + code }

// topicCode extracts the upper-cased join code of a live topic name
// ("live/abc123", with any "?options=..." suffix of the SDK removed).
func topicCode(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return "", false
	}
	rest, _, _ = strings.Cut(rest, "?")
	code := strings.ToUpper(rest)
	return code, c.ValidCode(code)
}
