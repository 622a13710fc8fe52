package nickname

import (
	"strconv"
	"strings"
	"unicode"
)

// maxSuggestions bounds how many candidates Suggest tries.
const maxSuggestions = 1000

// Suggest returns a free variant of display for a nickname_taken answer:
// "Ada 2", "Ada 3", … — the first n ≥ 2 for which taken(Key(candidate)) is
// false. A number already ending the name is replaced, so "Ada 2" leads to
// "Ada 3", not "Ada 2 2". The base is shortened, never splitting a letter
// from its combining marks, so that the candidate stays within MaxLength
// runes. Every candidate is already normalised. taken is called once per
// candidate, in order; Suggest returns "" when display is not a valid
// nickname or no candidate is free within 1000 tries.
func Suggest(display string, taken func(key string) bool) string {
	display, err := Normalize(display)
	if err != nil {
		return ""
	}
	base := []rune(stripNumber(display))
	for n := 2; n < 2+maxSuggestions; n++ {
		suffix := " " + strconv.Itoa(n)
		candidate, err := Normalize(truncate(base, MaxLength-len(suffix)) + suffix)
		if err != nil {
			continue // cannot happen: the parts are normalised and short enough
		}
		if !taken(Key(candidate)) {
			return candidate
		}
	}
	return ""
}

// stripNumber removes a trailing " <number>" (digits, no leading zero) from
// a normalised name, unless nothing would be left: "Agent 007" keeps its
// number.
func stripNumber(s string) string {
	i := strings.LastIndexByte(s, ' ')
	if i <= 0 || i == len(s)-1 {
		return s
	}
	if s[i+1] == '0' {
		return s
	}
	for _, c := range []byte(s[i+1:]) {
		if c < '0' || c > '9' {
			return s
		}
	}
	return s[:i]
}

// truncate returns at most n runes of r, cutting before a letter rather
// than between it and its combining marks or emoji modifiers, and between
// regional-indicator pairs (flags), then trimming a trailing space.
func truncate(r []rune, n int) string {
	if len(r) <= n {
		return string(r)
	}
	cut := n
	for cut > 0 && extendsPrevious(r[cut]) {
		cut--
	}
	ri := 0
	for i := cut - 1; i >= 0 && isRegionalIndicator(r[i]); i-- {
		ri++
	}
	if ri%2 == 1 {
		cut--
	}
	return strings.TrimRight(string(r[:cut]), " ")
}

func extendsPrevious(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) // emoji skin-tone modifiers
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
