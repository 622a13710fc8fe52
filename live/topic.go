package live

import (
	"strings"

	c "conflicto/collections"
)

// prefix starts every live topic: live/{CODE}.
const prefix = "live/"

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
