// Package nickname normalises display names and derives the key under which
// two names collide (see docs/API.md, "Nicknames"). It is pure Go: no PocketBase.
//
// The flow on join is: display, err := Normalize(input); on error answer 400
// with Code(err); otherwise store display and Key(display), and on a unique
// key conflict offer Suggest(display, taken).
package nickname

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxLength is the maximum length of a normalised nickname, in runes
// (Unicode code points), not bytes and not user-perceived characters: a flag
// such as 🇫🇷 counts 2 and 👍🏽 (with a skin tone) counts 2.
const MaxLength = 24

// maxInputBytes bounds the work done on raw input before its length can be
// judged: NFKC may expand a code point up to 18-fold. A legitimate name of
// MaxLength runes, even fully decomposed and padded, is far below it.
const maxInputBytes = 1024

// ErrLength is returned for a nickname that is empty after normalisation or
// longer than MaxLength runes (API code nickname_length).
var ErrLength = fmt.Errorf("nickname must be 1 to %d characters", MaxLength)

// ErrInvisible is returned for a nickname with no visible character: only
// blank symbols (U+2800 braille blank), lone combining marks and the like,
// which would show as nothing on the screen. It wraps ErrInvalid.
var ErrInvisible = fmt.Errorf("%w: no visible character", ErrInvalid)

const (
	// CodeInvalid is the API error code for ErrInvalid.
	CodeInvalid = "nickname_invalid"
	// CodeLength is the API error code for ErrLength.
	CodeLength = "nickname_length"
)

// Normalize returns the display form of a nickname: Clean, then a length
// check of 1 to MaxLength runes and at least one visible character
// (Visible). Errors wrap ErrInvalid or ErrLength; raw input over 1 KiB is
// ErrLength before any other work. Normalize is idempotent.
func Normalize(s string) (string, error) {
	if len(s) > maxInputBytes {
		return "", ErrLength
	}
	display, err := Clean(s)
	if err != nil {
		return "", err
	}
	if display == "" || utf8.RuneCountInString(display) > MaxLength {
		return "", ErrLength
	}
	if !Visible(display) {
		return "", ErrInvisible
	}
	return display, nil
}

// blankSymbols are letters and symbols that draw nothing. The Hangul
// fillers are default-ignorable and removed by Clean already; they are
// listed for text that did not go through it.
var blankSymbols = map[rune]bool{
	0x2800:  true, // BRAILLE PATTERN BLANK
	0x115f:  true, // HANGUL CHOSEONG FILLER
	0x1160:  true, // HANGUL JUNGSEONG FILLER
	0x3164:  true, // HANGUL FILLER
	0xffa0:  true, // HALFWIDTH HANGUL FILLER
	0x1d159: true, // MUSICAL SYMBOL NULL NOTEHEAD
}

// Visible reports whether s has at least one character that shows: a
// letter, a digit, a punctuation mark or a symbol, other than the blank
// ones. Spaces, combining marks on their own, joiners and private-use
// characters (drawn differently, or not at all, from one phone to the
// next) do not count.
func Visible(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c > ' ' && c < utf8.RuneSelf && c != 0x7f {
			return true // the common case: printable ASCII
		}
	}
	for _, r := range s {
		if unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) && !blankSymbols[r] {
			return true
		}
	}
	return false
}

// Message is the sentence-case message for an error from Normalize or
// Clean, to show beside its Code.
func Message(err error) string {
	if errors.Is(err, ErrLength) {
		return fmt.Sprintf("Nickname must be 1 to %d characters.", MaxLength)
	}
	if errors.Is(err, ErrInvisible) {
		return "Nickname must have at least one visible character."
	}
	return "Nickname must not contain control characters or invalid text."
}

// Code returns the API error code for an error from Normalize or Clean:
// CodeInvalid, CodeLength, or "" for any other error (including nil).
func Code(err error) string {
	switch {
	case errors.Is(err, ErrInvalid):
		return CodeInvalid
	case errors.Is(err, ErrLength):
		return CodeLength
	}
	return ""
}
