package nickname

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// maxKeyRounds bounds the fold/skeleton iteration. Every code point settles
// within three rounds; TestKeySettles checks all of them.
const maxKeyRounds = 8

// Key returns the uniqueness key of a display name produced by Normalize:
// two nicknames collide when their keys are equal. The key is case-folded
// and has Unicode confusables (UTS #39, via github.com/mtibben/confusables)
// mapped to their skeleton, repeated until neither step changes it, so
// Key(Key(s)) == Key(s). It is meant for comparison and storage only, never
// for display: it is in NFD and the skeleton maps some ASCII too, notably
// "0" to "o", "1" and "|" to "l", and "m" to "rn" ("Sam" collides with
// "Sarn", "B0B" with "bob", "Ada1" with "adal"). "I" folds to "i" before the
// skeleton could map it to "l", so "Ivan" and "lvan" do not collide.
//
// Capitals that look like another capital (Greek Β, Cyrillic В, Cherokee Ꭺ)
// are mapped to it before folding, and so are their small letters, so
// "ΒΟΒ", "βοβ" and "Bob" all collide; folding first would turn Β into β,
// whose skeleton is ß, and the key into "ssoss". The cost is some harmless
// over-matching: Cyrillic "вера" collides with Latin "bepa".
//
// Zero-width joiners are left out of the key: an emoji sequence collides
// with its parts ("👩‍💻" with "👩💻"), which look the same wherever the
// sequence has no glyph of its own.
func Key(display string) string {
	for i := 0; i < len(display); i++ {
		if display[i] >= utf8.RuneSelf {
			return unicodeKey(display)
		}
	}
	return asciiKey(display)
}

// asciiKey is Key for ASCII text, by table; it returns s itself when every
// byte is its own key, as in most already-lower-case names.
func asciiKey(s string) string {
	table := asciiKeys()
	i := 0
	for i < len(s) && table[s[i]] == s[i:i+1] {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		b.WriteString(table[s[i]])
	}
	return b.String()
}

// asciiKeys holds unicodeKey of every ASCII character. Folding and the
// skeleton map ASCII characters one by one without context, and none of the
// results holds a combining mark, so the key of an ASCII string is the
// concatenation of the keys of its bytes (TestASCIIKeyTable checks all pairs).
var asciiKeys = sync.OnceValue(func() *[utf8.RuneSelf]string {
	var t [utf8.RuneSelf]string
	for c := range t {
		t[c] = unicodeKey(string(rune(c)))
	}
	return &t
})

func unicodeKey(s string) string {
	s = strings.ReplaceAll(s, string(zwj), "")
	fold := cases.Fold()
	for range maxKeyRounds {
		t := keyRound(fold, s)
		if t == s {
			break
		}
		s = t
	}
	return s
}

func keyRound(fold cases.Caser, s string) string {
	return confusables.Skeleton(foldString(fold, capitalConfusables(s)))
}

// foldString case-folds s. cases.Fold maps Cherokee capitals to small
// letters and the small letters back to capitals, so it never settles on
// them; for such a pair it keeps the capital, as Unicode's CaseFolding.txt
// does.
func foldString(fold cases.Caser, s string) string {
	f := fold.String(s)
	if fold.String(f) == f {
		return f
	}
	var b strings.Builder
	b.Grow(len(f))
	for _, r := range f {
		fr := fold.String(string(r))
		if other, n := utf8.DecodeRuneInString(fr); n == len(fr) && other != r && fold.String(fr) == string(r) {
			r = min(r, other)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// capitalConfusables replaces each letter of a case pair whose capital has
// a capital skeleton (Greek Β → B, and β → B too) with that skeleton; see Key
// for why.
func capitalConfusables(s string) string {
	table := capitalSkeletons()
	start := -1
	for i, r := range s {
		if _, ok := table[r]; ok {
			start = i
			break
		}
	}
	if start < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(s[:start])
	for _, r := range s[start:] {
		if sk, ok := table[r]; ok {
			b.WriteString(sk)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// capitalSkeletons maps each capital letter whose skeleton holds a capital
// (Β → B, Cyrillic В → B, Cherokee Ꭺ → A), and the small letter it folds to,
// to that skeleton. It is derived from the confusables data on first use,
// not written by hand.
var capitalSkeletons = sync.OnceValue(func() map[rune]string {
	fold := cases.Fold()
	m := make(map[rune]string)
	add := func(r rune) {
		sk := confusables.Skeleton(string(r))
		if sk == norm.NFD.String(string(r)) || strings.IndexFunc(sk, isCapital) < 0 {
			return
		}
		m[r] = sk
		small := fold.String(string(r))
		if lr, n := utf8.DecodeRuneInString(small); n == len(small) && lr != r {
			if _, taken := m[lr]; !taken {
				m[lr] = sk
			}
		}
	}
	for _, t := range []*unicode.RangeTable{unicode.Lu, unicode.Lt} {
		for _, rg := range t.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				add(r)
			}
		}
		for _, rg := range t.R32 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				add(r)
			}
		}
	}
	return m
})

func isCapital(r rune) bool { return unicode.IsUpper(r) || unicode.IsTitle(r) }
