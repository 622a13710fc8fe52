package activity

import (
	"fmt"
	"strings"
	"testing"

	"conflicto/nickname"

	"golang.org/x/text/cases"
)

func TestWordcloudConfig(t *testing.T) {
	runConfigScenarios(t, Wordcloud, []scenario{
		{name: "defaults", config: `{}`, want: `{"max_words":3,"max_length":25,"blocklist":[]}`},
		{name: "lower bounds", config: `{"max_words":1,"max_length":3}`, want: `{"max_words":1,"max_length":3,"blocklist":[]}`},
		{name: "upper bounds", config: `{"max_words":10,"max_length":40}`, want: `{"max_words":10,"max_length":40,"blocklist":[]}`},
		{name: "blocklist normalised, case kept", config: `{"blocklist":["  Bad   Word ","ｕｇｌｙ"]}`, want: `{"max_words":3,"max_length":25,"blocklist":["Bad Word","ugly"]}`},
		{name: "0 words", config: `{"max_words":0}`, code: "invalid_config", msg: "between 1 and 10"},
		{name: "11 words", config: `{"max_words":11}`, code: "invalid_config", msg: "between 1 and 10"},
		{name: "length 2", config: `{"max_length":2}`, code: "invalid_config", msg: "between 3 and 40"},
		{name: "length 41", config: `{"max_length":41}`, code: "invalid_config", msg: "between 3 and 40"},
		{name: "length fractional", config: `{"max_length":10.5}`, code: "invalid_config", msg: "must be an integer"},
		{name: "blocklist duplicate ignoring case", config: `{"blocklist":["Bad","bad"]}`, code: "invalid_config", msg: `"bad" appears more than once`},
		{name: "blocklist empty word", config: `{"blocklist":["a","\u200b"]}`, code: "invalid_config", msg: "word 2 is empty"},
		{name: "blocklist control character", config: `{"blocklist":["a\u0007"]}`, code: "invalid_config", msg: "control characters"},
		{name: "blocklist not a list", config: `{"blocklist":"bad"}`, code: "invalid_config", msg: "list of strings"},
		{name: "blocklist numbers", config: `{"blocklist":[1]}`, code: "invalid_config", msg: "list of strings"},
		{name: "unknown field", config: `{"min_length":1}`, code: "unknown_field", msg: `"min_length"`},
	})
}

func TestWordcloudAnswer(t *testing.T) {
	config := `{"max_words":3,"max_length":5,"blocklist":["Darn"]}`
	runAnswerScenarios(t, Wordcloud, []string{"heck", "Bad Word"}, []scenario{
		{name: "normalised, folded, sorted", config: config, value: `{"words":[" Dog ","CAT"]}`, want: `{"words":["cat","dog"]}`},
		{name: "full width", config: config, value: `{"words":["ＣＡＴ"]}`, want: `{"words":["cat"]}`},
		{name: "zero-width space dropped", config: config, value: `{"words":["c\u200bat"]}`, want: `{"words":["cat"]}`},
		{name: "phrase collapsed", config: config, value: `{"words":["a   b"]}`, want: `{"words":["a b"]}`},
		{name: "max words", config: config, value: `{"words":["a","b","c"]}`, want: `{"words":["a","b","c"]}`},
		{name: "max length", config: config, value: `{"words":["hello"]}`, want: `{"words":["hello"]}`},
		{name: "composed accent counts once", config: config, value: `{"words":["he\u0301llo"]}`, want: `{"words":["héllo"]}`},
		{name: "too many words", config: config, value: `{"words":["a","b","c","d"]}`, code: "too_many_words", msg: "at most 3"},
		{name: "too long", config: config, value: `{"words":["hello!"]}`, code: "word_length", msg: "longer than 5"},
		{name: "too long once folded", config: config, value: `{"words":["ßßß"]}`, code: "word_length", msg: "longer than 5"},
		{name: "config blocklist", config: config, value: `{"words":["ok","darn"]}`, code: "word_blocked", msg: `"darn"`},
		{name: "config blocklist any case", config: config, value: `{"words":["DARN"]}`, code: "word_blocked", msg: `"DARN"`},
		{name: "server blocklist", config: config, value: `{"words":["Heck"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist full width", config: config, value: `{"words":["ｈｅｃｋ"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist phrase", config: `{"max_length":10}`, value: `{"words":["bad  WORD"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "part of a word is fine", config: config, value: `{"words":["hecky"]}`, want: `{"words":["hecky"]}`},
		{name: "a plural is blocked", config: config, value: `{"words":["hecks"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "the server's default list", config: config, value: `{"words":["Shit"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "the server's default list spaced", config: `{"max_length":10}`, value: `{"words":["s h i t"]}`, code: "word_blocked", msg: "not allowed"},
		// Matched on the nickname key: look-alikes, spacing and punctuation.
		{name: "server blocklist with a cyrillic letter", config: config, value: `{"words":["h\u0435ck"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist with a greek capital", config: config, value: `{"words":["H\u0395CK"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist spaced out", config: `{"max_length":10}`, value: `{"words":["h e c k"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist dotted", config: `{"max_length":10}`, value: `{"words":["h.e.c.k"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist in a phrase", config: `{"max_length":20}`, value: `{"words":["oh heck no"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "server blocklist with punctuation", config: config, value: `{"words":["heck!"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "config blocklist look-alike", config: config, value: `{"words":["\u0501arn"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "a phrase entry needs the whole phrase", config: `{"max_length":10}`, value: `{"words":["bad","word"]}`, want: `{"words":["bad","word"]}`},
		{name: "a phrase entry squeezed", config: `{"max_length":10}`, value: `{"words":["bad-word"]}`, code: "word_blocked", msg: "not allowed"},
		{name: "inside a longer word is fine", config: `{"max_length":10}`, value: `{"words":["checks"]}`, want: `{"words":["checks"]}`},
		{name: "braille blank word", config: config, value: `{"words":["\u2800"]}`, code: "invalid_value", msg: "Word 1 has no visible character"},
		{name: "emoji sequence kept", config: config, value: `{"words":["👩\u200d💻"]}`, want: `{"words":["👩‍💻"]}`},
		{name: "duplicate ignoring case", config: config, value: `{"words":["cat","Cat"]}`, code: "invalid_value", msg: "more than once"},
		{name: "empty word", config: config, value: `{"words":[""]}`, code: "invalid_value", msg: "Word 1 is empty"},
		{name: "blank word", config: config, value: `{"words":["a","  \u200b "]}`, code: "invalid_value", msg: "Word 2 is empty"},
		{name: "control character", config: config, value: `{"words":["a\nb"]}`, code: "invalid_value", msg: "control characters"},
		{name: "no words", config: config, value: `{"words":[]}`, code: "invalid_value", msg: "at least one"},
		{name: "not strings", config: config, value: `{"words":[1]}`, code: "invalid_value", msg: "list of strings"},
		{name: "null word", config: config, value: `{"words":[null]}`, code: "invalid_value", msg: "list of strings"},
		{name: "not a list", config: config, value: `{"words":"cat"}`, code: "invalid_value", msg: "list of strings"},
		{name: "missing", config: config, value: `{}`, code: "invalid_value", msg: "Words are required"},
		{name: "unknown field", config: config, value: `{"words":["a"],"colour":"red"}`, code: "unknown_field", msg: `"colour"`},
	})
}

// TestWordcloudResults runs answers through ValidateAnswer first, as the
// hooks do, so case variants meet as one canonical word and blocked words
// never reach the results.
func TestWordcloudResults(t *testing.T) {
	config := mustConfig(t, Wordcloud, `{"blocklist":["darn"]}`)
	answers := []string{
		`{"words":["Cat","dog"]}`,
		`{"words":["CAT"]}`,
		`{"words":[" cat "]}`,
		`{"words":["Dog","ant"]}`,
		`{"words":["Darn"]}`,
		`{"words":["heck"]}`,
		`{"words":["Ｃａｔ","dog"]}`,
	}
	counts := map[string]int{}
	for _, a := range answers {
		if v, err := ValidateAnswer(Wordcloud, config, []byte(a), []string{"HECK"}); err == nil {
			counts[string(v)]++
		}
	}
	var groups []Group
	for v, n := range counts {
		groups = append(groups, Group{Value: []byte(v), Count: n})
	}
	// A stored value that predates folding still merges with its lower case.
	groups = append(groups, Group{Value: []byte(`{"words":["ANT"]}`), Count: 1})

	want := `{"words":[{"text":"cat","count":4},{"text":"dog","count":3},{"text":"ant","count":2}]}`
	if got := mustJSON(t, Results(Wordcloud, config, groups, nil, false)); got != want {
		t.Fatalf("expected %s, got %s", want, got)
	}
}

func TestWordcloudResultsTop100(t *testing.T) {
	config := mustConfig(t, Wordcloud, `{}`)
	var groups []Group
	for i := range 150 {
		groups = append(groups, Group{Value: []byte(fmt.Sprintf(`{"words":["w%03d"]}`, i)), Count: i%7 + 1})
	}
	res := Results(Wordcloud, config, groups, nil, true)
	words := res["words"].([]wordCount)
	if len(words) != 100 {
		t.Fatalf("expected 100 words, got %d", len(words))
	}
	for i := 1; i < len(words); i++ {
		a, b := words[i-1], words[i]
		if a.Count < b.Count || (a.Count == b.Count && strings.Compare(a.Text, b.Text) >= 0) {
			t.Fatalf("not sorted at %d: %v then %v", i, a, b)
		}
	}
	if words[0] != (wordCount{Text: "w006", Count: 7}) {
		t.Fatalf("unexpected first word %v", words[0])
	}
	if last := words[99]; last.Count != 3 {
		t.Fatalf("expected the cut among count 3, got %v", last)
	}
}

func TestWordcloudPublicConfig(t *testing.T) {
	config := mustConfig(t, Wordcloud, `{"blocklist":["secret"]}`)
	want := `{"max_length":25,"max_words":3}`
	if got := mustJSON(t, PublicConfig(Wordcloud, config, true)); got != want {
		t.Fatalf("expected %s, got %s", want, got)
	}
}

// TestNormalizeWordASCII pins the ASCII fast path to the general one.
func TestNormalizeWordASCII(t *testing.T) {
	var all strings.Builder
	for b := byte(0x20); b < 0x7f; b++ {
		all.WriteByte(b)
	}
	for _, s := range []string{all.String(), "  Hello   World ", "KELVIN", "kelvin", "a b", "Istanbul", "x\t"} {
		t.Run(s, func(t *testing.T) {
			clean, key, err := normalizeWord(s)
			wantClean, wantErr := nickname.Clean(s)
			if (err != nil) != (wantErr != nil) || clean != wantClean {
				t.Fatalf("expected %q (%v), got %q (%v)", wantClean, wantErr, clean, err)
			}
			if wantKey, _ := nickname.Clean(cases.Fold().String(wantClean)); key != wantKey {
				t.Fatalf("expected key %q, got %q", wantKey, key)
			}
		})
	}
}
