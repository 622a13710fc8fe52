package nickname

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
)

// normalizeScenarios doubles as the seed corpus of FuzzNormalize.
//
// Lengths count runes (code points), not bytes and not what a reader sees as
// one character: the flag 🇫🇷 is 2 runes, 👍🏽 is 2, and a ZWJ sequence is
// several emoji once its joiners, which are format characters, are dropped.
var normalizeScenarios = []struct {
	name     string
	in       string
	expected string
	err      error
}{
	{"plain", "Ada", "Ada", nil},
	{"trimmed", "  Ada ", "Ada", nil},
	{"inner whitespace collapsed", "Ada   Lovelace", "Ada Lovelace", nil},
	{"no-break space", "Ada\u00a0Lovelace", "Ada Lovelace", nil},
	{"ideographic space", "\u3000Ada\u3000\u3000Lovelace", "Ada Lovelace", nil},
	{"ogham space mark", "Ada\u1680Lovelace", "Ada Lovelace", nil},
	{"line separator", "Ada\u2028Lovelace", "Ada Lovelace", nil},
	{"NFKC ligature", "\ufb01ona", "fiona", nil},
	{"NFKC full-width", "Ａｄａ", "Ada", nil},
	{"NFKC circled digit", "Ada \u2460", "Ada 1", nil},
	{"NFKC composes", "Zoe\u0308", "Zoë", nil},
	{"NFKC expands", "\ufdfa", "صلى الله عليه وسلم", nil},
	{"zero-width space", "Ada\u200b", "Ada", nil},
	{"zero-width joiner inside", "A\u200dda", "Ada", nil},
	{"byte order mark", "\ufeffAda", "Ada", nil},
	{"soft hyphen", "A\u00adda", "Ada", nil},
	{"bidi override", "\u202eAda", "Ada", nil},
	{"bidi isolate", "\u2066Ada\u2069", "Ada", nil},
	{"left-to-right mark", "Ada\u200e", "Ada", nil},
	{"format char between letter and mark", "Zoe\u200b\u0308", "Zoë", nil},
	{"hangul filler", "Ada\u3164", "Ada", nil},
	{"case kept", "ADA", "ADA", nil},
	{"cyrillic kept", "Аda", "Аda", nil},
	{"emoji", "🦊", "🦊", nil},
	{"flag", "🇫🇷 Ada", "🇫🇷 Ada", nil},
	{"skin tone", "👍🏽", "👍🏽", nil},
	{"variation selector kept", "\u2764\ufe0f", "\u2764\ufe0f", nil},
	{"ZWJ sequence kept", "👩\u200d💻", "👩\u200d💻", nil},
	{"ZWJ family kept", "👨\u200d👩\u200d👧\u200d👦", "👨\u200d👩\u200d👧\u200d👦", nil},
	{"ZWJ after a presentation selector", "🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈", nil},
	{"ZWJ after a skin tone", "🧑🏽\u200d🚀 Ada", "🧑🏽\u200d🚀 Ada", nil},
	{"ZWJ kept across a dropped character", "👩\u200b\u200d💻", "👩\u200d💻", nil},
	{"ZWJ doubled", "👩\u200d\u200d💻", "👩\u200d💻", nil},
	{"ZWJ between emoji and letter", "🦊\u200dAda", "🦊Ada", nil},
	{"ZWJ between letter and emoji", "Ada\u200d🦊", "Ada🦊", nil},
	{"ZWJ after a space", "Ada \u200d🦊", "Ada 🦊", nil},
	{"ZWJ at the end", "🦊\u200d", "🦊", nil},
	{"ZWJ at the start", "\u200d🦊", "🦊", nil},
	{"24 characters", strings.Repeat("a", 24), strings.Repeat("a", 24), nil},
	{"25 characters", strings.Repeat("a", 25), "", ErrLength},
	{"24 two-byte characters", strings.Repeat("é", 24), strings.Repeat("é", 24), nil},
	{"24 runes of flags", strings.Repeat("🇫🇷", 12), strings.Repeat("🇫🇷", 12), nil},
	{"25 runes of flags", strings.Repeat("🇫🇷", 12) + "a", "", ErrLength},
	{"24 characters after trimming", "  " + strings.Repeat("a", 24) + "\u200b ", strings.Repeat("a", 24), nil},
	{"25 after NFKC", "\ufdfa" + strings.Repeat("a", 7), "", ErrLength},
	{"huge input", strings.Repeat(" ", 2000) + "Ada", "", ErrLength},
	{"empty", "", "", ErrLength},
	{"whitespace only", " \u3000 ", "", ErrLength},
	{"format only", "\u200b\u2066\u202e", "", ErrLength},
	{"hangul filler only", "\u3164", "", ErrLength},
	{"braille blank only", "\u2800", "", ErrInvisible},
	{"braille blanks around a space", "\u2800 \u2800\u2800", "", ErrInvisible},
	{"lone combining mark", "\u0301", "", ErrInvisible},
	{"combining marks only", "\u0301\u0308\u20dd", "", ErrInvisible},
	{"spacing acute", "\u00b4", "", ErrInvisible}, // NFKC: space + U+0301, trimmed
	{"private use only", "\ue000\uf8ff", "", ErrInvisible},
	{"null notehead", "\U0001d159", "", ErrInvisible},
	{"braille blank with a letter", "\u2800A\u2800", "\u2800A\u2800", nil},
	{"combining mark on a letter", "a\u0301", "á", nil},
	{"braille dots", "\u2801", "\u2801", nil},
	{"NUL", "\x00", "", ErrInvalid},
	{"NUL inside", "Ada\x00", "", ErrInvalid},
	{"tab", "Ada\tLovelace", "", ErrInvalid},
	{"newline", "Ada\n", "", ErrInvalid},
	{"delete", "Ada\x7f", "", ErrInvalid},
	{"next line", "\u0085Ada", "", ErrInvalid},
	{"invalid UTF-8", "Ada\xff", "", ErrInvalid},
	{"truncated UTF-8", "Ad\xc3", "", ErrInvalid},
	{"encoded surrogate", "\xed\xa0\x80", "", ErrInvalid},
}

func TestNormalize(t *testing.T) {
	for _, s := range normalizeScenarios {
		t.Run(s.name, func(t *testing.T) {
			result, err := Normalize(s.in)
			if !errors.Is(err, s.err) || (s.err == nil && err != nil) {
				t.Fatalf("Expected error %v, got %v", s.err, err)
			}
			if result != s.expected {
				t.Fatalf("Expected %q, got %q", s.expected, result)
			}
		})
	}
}

func TestCode(t *testing.T) {
	scenarios := []struct {
		name     string
		err      error
		expected string
	}{
		{"nil", nil, ""},
		{"invalid", ErrInvalid, "nickname_invalid"},
		{"invisible", ErrInvisible, "nickname_invalid"},
		{"control", ErrControl, "nickname_invalid"},
		{"encoding", ErrEncoding, "nickname_invalid"},
		{"length", ErrLength, "nickname_length"},
		{"other", errors.New("boom"), ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if code := Code(s.err); code != s.expected {
				t.Fatalf("Expected %q, got %q", s.expected, code)
			}
		})
	}
}

func TestKey(t *testing.T) {
	scenarios := []struct {
		name    string
		names   []string
		collide bool
	}{
		{"case, spacing, look-alikes", []string{"Ada", "ADA", " ada ", "аda", "Аda", "Ada\u200b", "Αda", "Ａｄａ", "ａＤＡ", "\u202eAda"}, true},
		{"greek and cyrillic capitals", []string{"Bob", "BOB", "ΒΟΒ", "ВОВ", "βοβ"}, true},
		{"cyrillic case pair", []string{"Вера", "вера", "ВЕРА"}, true},
		{"digit zero is o", []string{"Bob", "B0B"}, true},
		{"digit one is l", []string{"lan", "1an", "|an"}, true},
		{"m is rn", []string{"Sam", "SAM", "Sarn"}, true},
		{"sharp s", []string{"Straße", "STRASSE", "strasse"}, true},
		{"composed and decomposed", []string{"Zoë", "ZOË", "Zoe\u0308"}, true},
		{"emoji", []string{"Ada 🦊", "ADA 🦊"}, true},
		{"an emoji sequence and its parts", []string{"👩\u200d💻", "👩💻", "👩\u200b💻"}, true},
		{"different names", []string{"Ada", "Adam"}, false},
		{"diaeresis matters", []string{"Zoë", "Zoe"}, false},
		{"capital I is i, not l", []string{"Ivan", "lvan"}, false},
		{"dotted capital I", []string{"İstanbul", "Istanbul"}, false},
		{"numbers", []string{"Ada 2", "Ada 3"}, false},
		{"different emoji", []string{"Ada 🦊", "Ada 🐻"}, false},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			first, err := Normalize(s.names[0])
			if err != nil {
				t.Fatalf("Normalize(%q): %v", s.names[0], err)
			}
			want := Key(first)
			if Key(want) != want {
				t.Fatalf("Key not idempotent on %q: %q then %q", s.names[0], want, Key(want))
			}
			for _, name := range s.names[1:] {
				display, err := Normalize(name)
				if err != nil {
					t.Fatalf("Normalize(%q): %v", name, err)
				}
				if got := Key(display); (got == want) != s.collide {
					t.Fatalf("Expected collide=%v for %q (%q) and %q (%q)", s.collide, s.names[0], want, name, got)
				}
			}
		})
	}
}

// TestKeySettles checks every assigned code point (unassigned and
// private-use ones have neither case nor confusable data): the fold/skeleton
// iteration settles within maxKeyRounds, so Key(Key(s)) == Key(s).
func TestKeySettles(t *testing.T) {
	if testing.Short() {
		t.Skip("walks all of Unicode")
	}
	fold := cases.Fold()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.Cc, unicode.Cf) {
			continue
		}
		s := string(r)
		for rounds := 1; ; rounds++ {
			next := keyRound(fold, s)
			if next == s {
				break
			}
			if rounds == maxKeyRounds {
				t.Fatalf("Key of %U does not settle in %d rounds: %q then %q", r, rounds, s, next)
			}
			s = next
		}
	}
}

// TestASCIIKeyTable proves the per-byte table right for every pair of ASCII
// characters; keys of ASCII characters hold no combining marks, so no
// longer context can change them either.
func TestASCIIKeyTable(t *testing.T) {
	for a := range utf8.RuneSelf {
		for b := range utf8.RuneSelf {
			s := string([]byte{byte(a), byte(b)})
			if fast, slow := asciiKey(s), unicodeKey(s); fast != slow {
				t.Fatalf("Key(%q): table gives %q, Unicode path %q", s, fast, slow)
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	a22 := strings.Repeat("a", 22)
	scenarios := []struct {
		name     string
		display  string
		taken    []string
		expected string
	}{
		{"first free", "Ada", nil, "Ada 2"},
		{"skips taken", "Ada", []string{"Ada 2", "Ada 3"}, "Ada 4"},
		{"skips look-alikes", "Ada", []string{"ADA 2", "Аda 3"}, "Ada 4"},
		{"replaces a number", "Ada 2", []string{"Ada 2"}, "Ada 3"},
		{"keeps a zero-padded number", "Agent 007", nil, "Agent 007 2"},
		{"number alone kept", "42", nil, "42 2"},
		{"normalises its input", " ada\u200b ", nil, "ada 2"},
		{"truncates to 24", strings.Repeat("a", 24), nil, a22 + " 2"},
		{"truncates more for two digits", strings.Repeat("a", 24), []string{a22 + " 2", a22 + " 3", a22 + " 4", a22 + " 5", a22 + " 6", a22 + " 7", a22 + " 8", a22 + " 9"}, strings.Repeat("a", 21) + " 10"},
		{"trims a space left by the cut", strings.Repeat("a", 21) + " bc", nil, strings.Repeat("a", 21) + " 2"},
		{"keeps a letter with its mark", strings.Repeat("a", 21) + "q\u0301z", nil, strings.Repeat("a", 21) + " 2"},
		{"keeps flags whole", "a" + strings.Repeat("🇫🇷", 11) + "b", nil, "a" + strings.Repeat("🇫🇷", 10) + " 2"},
		{"invalid display", "Ada\x00", nil, ""},
		{"empty display", " ", nil, ""},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			taken := map[string]bool{}
			for _, name := range s.taken {
				taken[Key(name)] = true
			}
			result := Suggest(s.display, func(key string) bool { return taken[key] })
			if result != s.expected {
				t.Fatalf("Expected %q, got %q", s.expected, result)
			}
			if result == "" {
				return
			}
			if n, err := Normalize(result); err != nil || n != result {
				t.Fatalf("Suggestion %q is not normalised: %q, %v", result, n, err)
			}
		})
	}
}

func TestSuggestGivesUp(t *testing.T) {
	calls := 0
	result := Suggest("Ada", func(string) bool { calls++; return true })
	if result != "" {
		t.Fatalf("Expected no suggestion, got %q", result)
	}
	if calls != maxSuggestions {
		t.Fatalf("Expected %d tries, got %d", maxSuggestions, calls)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range normalizeScenarios {
		f.Add(s.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := Normalize(in)
		if err != nil {
			if Code(err) == "" {
				t.Fatalf("Normalize(%q): error without a code: %v", in, err)
			}
			return
		}
		if again, err := Normalize(n); again != n || err != nil {
			t.Fatalf("Normalize not idempotent on %q: %q then %q, %v", in, n, again, err)
		}
		if count := utf8.RuneCountInString(n); count < 1 || count > MaxLength {
			t.Fatalf("Normalize(%q) = %q has %d runes", in, n, count)
		}
		for _, r := range n {
			if classify(r) != classKeep && r != ' ' && r != zwj {
				t.Fatalf("Normalize(%q) = %q keeps %U", in, n, r)
			}
		}
		if !Visible(n) {
			t.Fatalf("Normalize(%q) = %q has no visible character", in, n)
		}
		k := Key(n)
		if again, _ := Normalize(n); Key(again) != k {
			t.Fatalf("Key(%q) = %q, but %q after normalising again", n, k, Key(again))
		}
		if Key(k) != k {
			t.Fatalf("Key not idempotent on %q: %q then %q", n, k, Key(k))
		}
		if slow := unicodeKey(n); slow != k {
			t.Fatalf("Key(%q): fast path %q, Unicode path %q", n, k, slow)
		}
	})
}

func BenchmarkNormalizeKey(b *testing.B) {
	inputs := []struct{ name, in string }{
		{"lower ascii", "ada lovelace"},
		{"ascii", "Ada Lovelace"},
		{"ascii untidy", "  Ada   Lovelace\u200b "},
		{"latin", "Zoë Ångström"},
		{"cyrillic emoji", "Вера 🦊"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := Normalize(in.in)
				if err != nil {
					b.Fatal(err)
				}
				_ = Key(n)
			}
		})
	}
}
