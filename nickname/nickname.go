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

const (
	// CodeInvalid is the API error code for ErrInvalid.
	CodeInvalid = "nickname_invalid"
	// CodeLength is the API error code for ErrLength.
	CodeLength = "nickname_length"
)

// Normalize returns the display form of a nickname: Clean, then a length
// check of 1 to MaxLength runes. Errors wrap ErrInvalid or ErrLength; raw
// input over 1 KiB is ErrLength before any other work. Normalize is
// idempotent.
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
	return display, nil
}

// Message is the sentence-case message for an error from Normalize or
// Clean, to show beside its Code.
func Message(err error) string {
	if errors.Is(err, ErrLength) {
		return fmt.Sprintf("Nickname must be 1 to %d characters.", MaxLength)
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
