// Package wordfilter decides whether a text holds a blocked word: the
// server's default list (default.go) plus a host's own additions. It is
// pure Go (no PocketBase) and is applied to nicknames, word-cloud words and
// questions alike.
//
// Words are compared on the nickname collision key (nickname.Key: case
// folded, Unicode look-alikes mapped to their skeleton), so an entry
// "fuck" also blocks "FUCK", "fuсk" with a Cyrillic с and "ｆｕｃｋ". A text
// is cut into parts at spaces and punctuation (symbols such as emoji are
// content), and it is blocked when one of these forms of it equals an
// entry, or an entry without its spaces and punctuation:
//
//	each part                       "oh fuck no", "fuck!"
//	the whole text, and squeezed    "f u c k", "f.u.c.k" (whole, without separators)
//	a run of one-letter parts       "what the f u c k", "s.h.i.t happens"
//	any of these less a plural s    "fucks", "bitches"
//
// An entry never matches inside a longer part: "Scunthorpe", "assassin"
// and "cocktail" pass. Runs join only one-letter parts, so "that's hit"
// (that, s, hit) does not spell "shit".
package wordfilter

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"conflicto/nickname"
)

// Code is the API's field code for a text the filter refuses (nicknames,
// questions; word-cloud words keep their older word_blocked).
const Code = "blocked_word"

// NicknameMessage is the API's message for a nickname the filter refuses.
const NicknameMessage = "This nickname is not allowed: choose another."

// List is a compiled list of blocked words. The zero value and nil block
// nothing.
type List struct {
	forms map[string]bool
	// longest is the longest form in runes: a run of one-letter parts
	// longer than it cannot match.
	longest int
}

// New compiles a list of blocked words. Entries that are empty, or hold
// nothing but spaces and punctuation, once normalised block nothing and
// are left out; so are entries with control characters.
func New(words []string) *List {
	l := &List{forms: make(map[string]bool, 2*len(words))}
	for _, w := range words {
		clean, err := nickname.Clean(w)
		if err != nil {
			continue
		}
		key := nickname.Key(clean)
		for _, f := range []string{key, squeeze(key)} {
			if f == "" || squeeze(f) == "" {
				continue
			}
			l.forms[f] = true
			l.longest = max(l.longest, utf8.RuneCountInString(f))
		}
	}
	return l
}

// Len is the number of forms in the list.
func (l *List) Len() int {
	if l == nil {
		return 0
	}
	return len(l.forms)
}

// Blocks reports whether text holds a word of the list.
func (l *List) Blocks(text string) bool { return Match(text, l) }

// Blocked reports whether text holds a word of the server's default list
// or of extra (a session's own additions, raw as the host typed them).
// It is the one call for a rule that filters text: nicknames, words,
// questions.
func Blocked(text string, extra []string) bool {
	if len(extra) == 0 {
		return Match(text, Default())
	}
	return Match(text, Default(), New(extra))
}

// Match reports whether text holds a word of one of lists. The text's
// forms are derived once for all of them.
func Match(text string, lists ...*List) bool {
	longest := 0
	for _, l := range lists {
		if l.Len() > 0 {
			longest = max(longest, l.longest)
		}
	}
	if longest == 0 {
		return false
	}
	found := false
	forms(text, longest, func(f string) bool {
		for _, l := range lists {
			if l.has(f) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// has reports whether f, or f less a plural ending, is a form of l.
func (l *List) has(f string) bool {
	if l.Len() == 0 {
		return false
	}
	if l.forms[f] {
		return true
	}
	if s, ok := strings.CutSuffix(f, "s"); ok {
		if l.forms[s] {
			return true
		}
		if e, ok := strings.CutSuffix(s, "e"); ok && l.forms[e] {
			return true
		}
	}
	return false
}

// forms calls yield with each form of text (see the package comment) until
// it returns false. longest bounds the runs of one-letter parts.
func forms(text string, longest int, yield func(string) bool) {
	clean, err := nickname.Clean(text)
	if err != nil {
		// Text with control characters is refused on its own; it is
		// still matched as it is, so that a caller asking only this
		// gets an honest answer.
		clean = text
	}
	key := nickname.Key(clean)
	if !yield(key) || !yield(squeeze(key)) {
		return
	}
	// Parts are cut from the clean text and keyed one by one: the key
	// may turn one letter into two ("m" into "rn"), which would hide a
	// one-letter part.
	var run []string // keys of the current run of one-letter parts
	for _, part := range strings.FieldsFunc(clean, isSeparator) {
		pk := nickname.Key(part)
		if !yield(pk) {
			return
		}
		if utf8.RuneCountInString(part) != 1 {
			run = run[:0]
			continue
		}
		run = append(run, pk)
		// Every run that ends here, from two parts up to longest runes.
		joined := pk
		for i := len(run) - 2; i >= 0; i-- {
			joined = run[i] + joined
			if utf8.RuneCountInString(joined) > longest {
				break
			}
			if !yield(joined) {
				return
			}
		}
	}
}

// isSeparator reports whether r splits a text into parts: spaces,
// punctuation and control characters. Symbols (emoji) are content.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsControl(r)
}

// squeeze is s without its separators.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return r
	}, s)
}

// Limits of a host's own list (a session's blocked_words).
const (
	// MaxWords is how many words a host's list may hold.
	MaxWords = 100
	// MaxWordLength is the longest word of a host's list, in runes.
	MaxWordLength = 40
)

// ListError says what is wrong with a host's list, as a sentence for the
// API's error message.
type ListError struct{ Message string }

func (e *ListError) Error() string { return e.Message }

func listError(format string, args ...any) error {
	return &ListError{Message: fmt.Sprintf(format, args...)}
}

// CleanList validates a host's list of blocked words and returns it
// normalised as nicknames are (NFKC, trimmed, inner spaces collapsed), in
// the order given. The error says what is wrong, as a sentence: more than
// MaxWords words, an empty one, one with control characters or over
// MaxWordLength runes, or two with the same key.
func CleanList(words []string) ([]string, error) {
	if len(words) > MaxWords {
		return nil, listError("Blocked words may hold at most %d words.", MaxWords)
	}
	out := make([]string, 0, len(words))
	keys := make(map[string]bool, len(words))
	for i, w := range words {
		clean, err := nickname.Clean(w)
		switch {
		case err != nil:
			return nil, listError("Blocked word %d contains control characters.", i+1)
		case squeeze(clean) == "":
			return nil, listError("Blocked word %d is empty.", i+1)
		case utf8.RuneCountInString(clean) > MaxWordLength:
			return nil, listError("Blocked word %d is longer than %d characters.", i+1, MaxWordLength)
		}
		key := nickname.Key(clean)
		if keys[key] {
			return nil, listError("Blocked word %q appears more than once.", clean)
		}
		keys[key] = true
		out = append(out, clean)
	}
	return out, nil
}
