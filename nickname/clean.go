package nickname

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalid is returned for text that cannot be a nickname because of the
// characters it contains (API code nickname_invalid). ErrControl and
// ErrEncoding wrap it, so errors.Is(err, ErrInvalid) covers both.
var ErrInvalid = errors.New("invalid characters")

// ErrControl is returned for text containing control characters (C0, C1
// and DEL, including tab, newline and U+0085). It wraps ErrInvalid.
var ErrControl = fmt.Errorf("%w: control character", ErrInvalid)

// ErrEncoding is returned for text that is not valid UTF-8. It wraps
// ErrInvalid.
var ErrEncoding = fmt.Errorf("%w: malformed UTF-8", ErrInvalid)

// Clean applies the shared text normalisation used for nicknames and
// word-cloud words: Unicode NFKC, format characters (zero-width, bidi
// controls) and other default-ignorable characters (Hangul fillers, the
// combining grapheme joiner) removed, surrounding whitespace trimmed and
// inner runs of whitespace collapsed to one space. Control characters and
// malformed UTF-8 are errors, not silently dropped.
//
// Zero-width joiners are format characters too, but one that joins two
// emoji (👩‍💻, 👨‍👩‍👧‍👦, 🏳️‍🌈) is kept: without it a family falls apart into
// four people. Anywhere else (between letters, where it would hide inside
// a name) it is removed. The result of Clean is a fixed point:
// Clean(Clean(s)) == Clean(s).
func Clean(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrEncoding
	}
	// Both steps return their input without allocating when it is already
	// clean, which is the common case on the join path.
	s = norm.NFKC.String(s)
	out, changed, err := scrub(s)
	if err != nil {
		return "", err
	}
	if changed && !norm.NFKC.IsNormalString(out) {
		// Dropping a format character can bring a letter and a combining
		// mark together ("e\u200d\u0301"); compose them so that Clean is
		// idempotent. Composition never creates characters scrub removes.
		out = norm.NFKC.String(out)
	}
	return out, nil
}

type runeClass uint8

const (
	classKeep runeClass = iota
	classDrop
	classSpace
	classControl
)

func classify(r rune) runeClass {
	if r < utf8.RuneSelf {
		switch {
		case r < 0x20 || r == 0x7f:
			return classControl
		case r == ' ':
			return classSpace
		}
		return classKeep
	}
	switch {
	case unicode.IsControl(r): // C1 controls, including U+0085
		return classControl
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
		return classDrop
	case unicode.IsSpace(r): // U+1680, U+2028, U+2029: the rest become ' ' under NFKC
		return classSpace
	}
	return classKeep
}

// zwj is the zero-width joiner, the glue of emoji sequences.
const zwj = '\u200d'

// joinsEmoji reports whether a zero-width joiner between prev (the last
// character kept before it) and next (the one after it) belongs to an emoji
// sequence. Emoji are symbols (So); before a joiner an emoji may carry a
// skin tone (U+1F3FB–U+1F3FF) or the emoji presentation selector U+FE0F.
// Go's unicode tables have no Extended_Pictographic property; So covers the
// emoji that take part in ZWJ sequences.
func joinsEmoji(prev, next rune) bool {
	emojiEnd := unicode.Is(unicode.So, prev) || prev == '\ufe0f' || (prev >= 0x1f3fb && prev <= 0x1f3ff)
	return emojiEnd && unicode.Is(unicode.So, next)
}

// nextRune is the rune of s at i, or -1 at its end.
func nextRune(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// scrub rejects control characters, drops format characters and collapses
// whitespace. It reports whether anything changed and returns s itself when
// nothing did.
func scrub(s string) (string, bool, error) {
	clean, err := isScrubbed(s)
	if err != nil || clean {
		return s, false, err
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	prev := rune(-1) // the last rune written
	for i, r := range s {
		switch classify(r) {
		case classDrop:
			if r == zwj && !pendingSpace && joinsEmoji(prev, nextRune(s, i+len(string(zwj)))) {
				b.WriteRune(r)
				prev = r
			}
			continue
		case classSpace:
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String(), true, nil
}

// isScrubbed reports whether scrub would leave s unchanged, or ErrControl.
func isScrubbed(s string) (bool, error) {
	clean := true
	afterSpace := true // a space at the start must go
	prev := rune(-1)
	for i, r := range s {
		switch classify(r) {
		case classControl:
			return false, ErrControl
		case classDrop:
			// A kept joiner follows a kept emoji: prev is a character
			// scrub keeps, or clean is false already.
			if r != zwj || afterSpace || !joinsEmoji(prev, nextRune(s, i+len(string(zwj)))) {
				clean = false
			}
		case classSpace:
			if r != ' ' || afterSpace {
				clean = false
			}
			afterSpace = true
		default:
			afterSpace = false
		}
		prev = r
	}
	if s != "" && afterSpace {
		clean = false // trailing space
	}
	return clean, nil
}
