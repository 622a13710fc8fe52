// Package nickname normalises display names and derives the key under which
// two names collide (see API.md, "Nicknames"). It is pure Go: no PocketBase.
package nickname

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ErrControl is returned for text containing control characters.
var ErrControl = errors.New("contains control characters")

// Clean applies the shared text normalisation used for nicknames and
// word-cloud words: Unicode NFKC, format characters (zero-width, bidi
// controls) removed, surrounding whitespace trimmed and inner runs of
// whitespace collapsed to one space. Control characters are an error, not
// silently dropped.
func Clean(s string) (string, error) {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Cc, r):
			return "", ErrControl
		case unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r):
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}
