package wordfilter

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBlockedByDefaultList(t *testing.T) {
	blocked := []string{
		"fuck",
		"FUCK",
		"Fuck you",
		"oh fuck no",
		"fuck!",
		"fuсk",        // Cyrillic с
		"ｆｕｃｋ",        // fullwidth
		"f u c k",     // spaced
		"f.u.c.k",     // dotted
		"f-u-c-k off", // a run of one-letter parts beside a word
		"what the f u c k is this",
		"s h i t happens",
		"fucks",   // plural s
		"bitches", // plural es
		"asshole",
		"nigger",
		"shit\u200b", // a zero-width space, removed by the normalisation
	}
	for _, s := range blocked {
		if !Blocked(s, nil) {
			t.Errorf("Blocked(%q) = false, want true", s)
		}
	}
	allowed := []string{
		"",
		"Ada",
		"Scunthorpe",
		"assassin",
		"cocktail",
		"that's hit or miss", // that, s, hit: "s" alone is no run
		"magna cum laude",    // cum is removed from the default list
		"How do we talk about sex education?",
		"Is it the nipple or the penis?",
		"a b c d",
		"I am",
	}
	for _, s := range allowed {
		if Blocked(s, nil) {
			t.Errorf("Blocked(%q) = true, want false", s)
		}
	}
}

func TestBlockedByExtraWords(t *testing.T) {
	extra := []string{"Kotlin", "  java  script "}
	for _, s := range []string{"kotlin", "KOTLIN rocks", "k o t l i n", "Коtlin", "javascript", "java script", "Kotlins"} {
		if !Blocked(s, extra) {
			t.Errorf("Blocked(%q, %q) = false, want true", s, extra)
		}
	}
	for _, s := range []string{"go", "java", "kotlinx"} {
		if Blocked(s, extra) {
			t.Errorf("Blocked(%q, %q) = true, want false", s, extra)
		}
	}
	if Blocked("kotlin", nil) {
		t.Error("an extra word blocks without the list")
	}
}

func TestDefaultWords(t *testing.T) {
	words := DefaultWords()
	if !slices.IsSorted(words) {
		t.Error("DefaultWords is not sorted")
	}
	for _, w := range []string{"fuck", "shit", "cunt", "nigger", "faggot", "asshole"} {
		if !slices.Contains(words, w) {
			t.Errorf("DefaultWords lacks %q", w)
		}
	}
	for _, w := range removed {
		if slices.Contains(words, w) {
			t.Errorf("DefaultWords has removed word %q", w)
		}
	}
	if Default().Len() < len(words) {
		t.Errorf("Default has %d forms for %d words", Default().Len(), len(words))
	}
}

func TestListEdges(t *testing.T) {
	var nilList *List
	if nilList.Len() != 0 || nilList.Blocks("fuck") {
		t.Error("a nil list blocks")
	}
	if (&List{}).Blocks("fuck") {
		t.Error("the zero list blocks")
	}
	// Empty entries, punctuation only and control characters block nothing.
	l := New([]string{"", " ", "...", "bad\x00word"})
	if l.Len() != 0 {
		t.Errorf("New kept %d forms of unusable entries", l.Len())
	}
	if l.Blocks("...") || l.Blocks("") {
		t.Error("an unusable entry blocks")
	}
	// An entry with spaces blocks the squeezed spelling too.
	if !New([]string{"bad word"}).Blocks("badword") {
		t.Error("bad word does not block badword")
	}
	// Text with control characters is still matched.
	if !Match("fuck\x00", Default()) {
		t.Error("text with a control character escapes the filter")
	}
	// Runs longer than the longest entry are not built.
	long := strings.Repeat("a ", 100) + "x y z"
	if New([]string{"xyz"}).Blocks(long) != true {
		t.Error("a run at the end of a long text is missed")
	}
}

func TestCleanList(t *testing.T) {
	got, err := CleanList([]string{"  Kotlin ", "java  script", "Ｘ"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kotlin", "java script", "X"}; !slices.Equal(got, want) {
		t.Errorf("CleanList = %q, want %q", got, want)
	}
	if got, err := CleanList(nil); err != nil || len(got) != 0 {
		t.Errorf("CleanList(nil) = %q, %v", got, err)
	}
	bad := map[string][]string{
		"control":  {"a\nb"},
		"empty":    {"ok", " "},
		"punct":    {"..."},
		"long":     {strings.Repeat("x", MaxWordLength+1)},
		"repeated": {"Kotlin", "KOTLIN"},
		"skeleton": {"bob", "B0B"},
		"too many": slices.Repeat([]string{"x"}, MaxWords+1),
	}
	for name, words := range bad {
		_, err := CleanList(words)
		var le *ListError
		if !errors.As(err, &le) || le.Message == "" || le.Error() != le.Message {
			t.Errorf("%s: CleanList = %v, want a ListError", name, err)
		}
	}
	if _, err := CleanList(slices.Repeat([]string{"x"}, 1)); err != nil {
		t.Error(err)
	}
}

func FuzzBlocked(f *testing.F) {
	for _, s := range []string{"fuck", "f u c k", "Scunthorpe", "a b c", "ｆｕｃｋ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Never panics; a blocked part stays blocked with words around it.
		if strings.IndexFunc(s, isSeparator) < 0 && Blocked(s, nil) && !Blocked("well "+s+" then", nil) {
			t.Errorf("%q is blocked alone but not inside a sentence", s)
		}
	})
}
