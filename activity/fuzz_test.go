package activity

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"conflicto/nickname"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FuzzValidateAnswer feeds arbitrary bytes to every type's answer validation
// and re-checks, without the package's own helpers, that what it accepts is
// allowed by the config; and that the canonical value is a fixed point.
func FuzzValidateAnswer(f *testing.F) {
	const (
		maxWords  = 2
		maxLength = 6
	)
	cloudBlock := []string{"Darn", "ｂａｄ"}
	serverBlock := []string{"heck", "Straße", "two  words"}
	configs := []struct {
		typ    Type
		config string
	}{
		{Poll, `{"options":["a","b","c"]}`},
		{Poll, `{"options":["a","b","c","d","e"],"multiple":true,"max_choices":3}`},
		{Poker, `{}`},
		{Poker, `{"deck":["S","M","L"]}`},
		{Quiz, `{"options":["a","b","c","d"],"correct":[1,3]}`},
		{Wordcloud, `{"max_words":2,"max_length":6,"blocklist":["Darn","ｂａｄ"]}`},
	}
	for _, seed := range []string{
		`{"choices":[0]}`, `{"choices":[4,2,0]}`, `{"choices":[1,1]}`, `{"choices":[1.0]}`,
		`{"card":"5"}`, `{"card":"☕"}`, `{"card":"M"}`, `{"choice":3}`, `{"choice":-0}`,
		`{"words":["Cat","DOG"]}`, `{"words":["STRASSE"]}`, `{"words":["ＢＡＤ"]}`, `{"words":["two words"]}`,
		`{"words":["ǅ"]}`, `{"words":["ΐ"]}`, `{}`, `null`, `[]`, `{"choice":1,"choice":2}`,
	} {
		f.Add([]byte(seed))
	}
	parsed := make([][]byte, len(configs))
	for i, c := range configs {
		parsed[i] = mustConfig(f, c.typ, c.config)
	}

	f.Fuzz(func(t *testing.T, value []byte) {
		// The ASCII fast path of word normalisation agrees with the general one.
		if clean, key, err := normalizeWord(string(value)); err == nil {
			if want, _ := nickname.Clean(cases.Fold().String(clean)); key != want {
				t.Fatalf("key of %q: expected %q, got %q", value, want, key)
			}
		}
		for i, c := range configs {
			got, err := ValidateAnswer(c.typ, parsed[i], value, serverBlock)
			if err != nil {
				if err.Field != "value" || err.Code == "" || err.Message == "" {
					t.Fatalf("%s: malformed error %+v", c.config, err)
				}
				continue
			}
			var v map[string]any
			if json.Unmarshal(got, &v) != nil || len(v) != 1 {
				t.Fatalf("%s: accepted %q as %s, not a one-field object", c.config, value, got)
			}
			switch c.typ {
			case Poll:
				var pc struct {
					Options    []string `json:"options"`
					MaxChoices int      `json:"max_choices"`
				}
				_ = json.Unmarshal(parsed[i], &pc)
				choices := intsOf(t, v["choices"])
				if len(choices) < 1 || len(choices) > pc.MaxChoices || !slices.IsSorted(choices) || len(slices.Compact(slices.Clone(choices))) != len(choices) {
					t.Fatalf("%s: accepted %q as %s", c.config, value, got)
				}
				for _, ch := range choices {
					if ch < 0 || ch >= len(pc.Options) {
						t.Fatalf("%s: accepted %q as %s: index out of range", c.config, value, got)
					}
				}
			case Poker:
				var pc struct {
					Deck []string `json:"deck"`
				}
				_ = json.Unmarshal(parsed[i], &pc)
				if card, ok := v["card"].(string); !ok || !slices.Contains(pc.Deck, card) {
					t.Fatalf("%s: accepted %q as %s: not in the deck", c.config, value, got)
				}
			case Quiz:
				if ch := intsOf(t, []any{v["choice"]}); ch[0] < 0 || ch[0] > 3 {
					t.Fatalf("%s: accepted %q as %s", c.config, value, got)
				}
			case Wordcloud:
				words, _ := v["words"].([]any)
				if len(words) < 1 || len(words) > maxWords {
					t.Fatalf("%s: accepted %q as %s: word count", c.config, value, got)
				}
				for _, w := range words {
					s, _ := w.(string)
					if !wordAllowed(s, maxLength, append(slices.Clone(cloudBlock), serverBlock...)) {
						t.Fatalf("%s: accepted %q as %s: word %q", c.config, value, got, s)
					}
				}
			}
			if again, err := ValidateAnswer(c.typ, parsed[i], got, serverBlock); err != nil || string(again) != string(got) {
				t.Fatalf("%s: canonical %s is not a fixed point: %s, %v", c.config, got, again, err)
			}
			res := Results(c.typ, parsed[i], []Group{{Value: got, Count: 1}}, nil, true)
			if n := respondents(res); n != 1 {
				t.Fatalf("%s: results of %s count %d respondents: %v", c.config, got, n, res)
			}
		}
	})
}

func intsOf(t *testing.T, v any) []int {
	list, ok := v.([]any)
	if !ok {
		t.Fatalf("not a list: %v", v)
	}
	out := make([]int, len(list))
	for i, x := range list {
		f, ok := x.(float64)
		if !ok || f != float64(int(f)) {
			t.Fatalf("not an integer: %v", x)
		}
		out[i] = int(f)
	}
	return out
}

// wordAllowed re-checks a canonical word with the standard library and x/text
// directly: non-empty, short enough, no control or format characters, no
// surrounding or double spaces, stable under folding, and not a blocked word.
func wordAllowed(w string, maxLength int, blocklist []string) bool {
	if w == "" || !utf8.ValidString(w) || utf8.RuneCountInString(w) > maxLength ||
		strings.TrimSpace(w) != w || strings.Contains(w, "  ") || !norm.NFKC.IsNormalString(w) {
		return false
	}
	for _, r := range w {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') {
			return false
		}
	}
	fold := cases.Fold()
	if norm.NFKC.String(fold.String(w)) != w { // folding alone may undo NFKC (ΐ)
		return false
	}
	for _, b := range blocklist {
		key := norm.NFKC.String(fold.String(strings.Join(strings.Fields(norm.NFKC.String(b)), " ")))
		if w == key || strings.EqualFold(w, b) {
			return false
		}
	}
	return true
}

// respondents reads how many responses a results document says it counts.
func respondents(res map[string]any) int {
	switch {
	case res["voters"] != nil:
		return res["voters"].(int)
	case res["answered"] != nil:
		return res["answered"].(int)
	}
	if words, ok := res["words"].([]wordCount); ok && len(words) > 0 {
		return 1
	}
	return 0
}

// FuzzNormalizeConfig checks that no config panics and that an accepted
// config's canonical form is accepted again unchanged, for every type.
func FuzzNormalizeConfig(f *testing.F) {
	for _, seed := range []string{
		`{"options":["a","b"],"multiple":true,"max_choices":2}`, `{"deck":["1","2"," ?"]}`,
		`{"options":["a","b"],"correct":[1,0],"time_limit_s":5}`, `{"max_words":1,"blocklist":["ǅ","ΐ"]}`, `{}`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, typ := range Types() {
			got, err := NormalizeConfig(typ, raw)
			if err != nil {
				continue
			}
			if len(got) > MaxConfigSize {
				t.Fatalf("%s: canonical config over the limit", typ)
			}
			if again, err := NormalizeConfig(typ, got); err != nil || string(again) != string(got) {
				t.Fatalf("%s: canonical %s is not a fixed point: %s, %v", typ, got, again, err)
			}
			_ = PublicConfig(typ, got, false)
		}
	})
}
