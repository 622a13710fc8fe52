package activity

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"conflicto/nickname"
	"conflicto/wordfilter"

	"golang.org/x/text/cases"
)

// maxCloudWords is how many distinct words a word cloud's results show.
const maxCloudWords = 100

// wordcloudConfig is the canonical config of a word cloud.
type wordcloudConfig struct {
	MaxWords  int `json:"max_words" doc:"Words per answer, 1 to 10. Default 3." schema:"minimum=1,maximum=10"`
	MaxLength int `json:"max_length" doc:"Characters per word, 3 to 40. Default 25." schema:"minimum=3,maximum=40"`
	// Blocklist holds the words as normalised (not case-folded), so the host
	// sees them as typed; matching compares blockForms on both sides.
	Blocklist []string `json:"blocklist" doc:"Distinct non-empty words no answer may contain (stored normalised; matched on the nickname collision key). Default []. Never public."`
	// blocked is the blocklist compiled for matching, built once when the
	// config is parsed (see package wordfilter for how words match).
	blocked *wordfilter.List
}

// wordcloudValue is the canonical answer to a word cloud: folded, sorted words.
type wordcloudValue struct {
	Words []string `json:"words" doc:"1 to max_words words, stored normalised, case-folded and sorted." schema:"minItems=1,maxItems=10"`
}

// wordCount is one line of word-cloud results.
type wordCount struct {
	Text  string `json:"text" doc:"The word, case-folded."`
	Count int    `json:"count" doc:"How many answers hold it."`
}

// normalizeWord applies the nickname normalisation (NFKC, no format
// characters, trimmed, collapsed whitespace) and returns the result and its
// case-folded key. Folding does not preserve NFKC (ΐ), so the key is
// normalised again. Clean ASCII skips both: NFKC leaves it alone and folding
// is lower-casing. That fast path matters because every answer is matched
// against the whole server blocklist.
func normalizeWord(s string) (clean, key string, err error) {
	if !cleanASCII(s) {
		if clean, err = nickname.Clean(s); err != nil {
			return "", "", err
		}
		if !cleanASCII(clean) {
			key, err = nickname.Clean(cases.Fold().String(clean))
			return clean, key, err
		}
		s = clean
	}
	return s, strings.ToLower(s), nil
}

// cleanASCII reports whether s is printable ASCII that nickname.Clean would
// leave as it is: no leading, trailing or double spaces.
func cleanASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' || c > '~':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

func parseWordcloud(raw []byte) (*wordcloudConfig, *Error) {
	o, err := decodeObject(raw, "config", "max_words", "max_length", "blocklist")
	if err != nil {
		return nil, err
	}
	c := &wordcloudConfig{Blocklist: []string{}}
	if c.MaxWords, err = o.intIn("max_words", "Max words", 3, 1, 10); err != nil {
		return nil, err
	}
	if c.MaxLength, err = o.intIn("max_length", "Max length", 25, 3, 40); err != nil {
		return nil, err
	}
	raw, ok := o.m["blocklist"]
	if !ok {
		return c, nil
	}
	items, ok := jsonList(raw)
	if !ok {
		return nil, o.invalid("Blocklist must be a list of strings.")
	}
	keys := make([]string, 0, len(items))
	for i, item := range items {
		s, ok := jsonString(item)
		if !ok {
			return nil, o.invalid("Blocklist must be a list of strings.")
		}
		clean, key, err := normalizeWord(s)
		switch {
		case err != nil:
			return nil, o.invalid("Blocklist word %d contains control characters.", i+1)
		case clean == "":
			return nil, o.invalid("Blocklist word %d is empty.", i+1)
		case slices.Contains(keys, key):
			return nil, o.invalid("Blocklist word %q appears more than once.", clean)
		}
		keys = append(keys, key)
		c.Blocklist = append(c.Blocklist, clean)
	}
	c.blocked = wordfilter.New(c.Blocklist)
	return c, nil
}

// answer validates a word-cloud answer. Each word is matched against the
// config's blocklist, the server's default list and extra (the session's
// own blocked words), all on the nickname key (package wordfilter).
func (c *wordcloudConfig) answer(value []byte, extra []string) (any, *Error) {
	o, err := decodeObject(value, "value", "words")
	if err != nil {
		return nil, err
	}
	raw, ok := o.m["words"]
	if !ok {
		return nil, o.invalid("Words are required.")
	}
	items, ok := jsonList(raw)
	if !ok {
		return nil, o.invalid("Words must be a list of strings.")
	}
	if len(items) == 0 {
		return nil, o.invalid("Send at least one word.")
	}
	if len(items) > c.MaxWords {
		return nil, &Error{Field: "value", Code: "too_many_words", Message: fmt.Sprintf("Send at most %d words.", c.MaxWords)}
	}
	words := make([]string, 0, len(items))
	cleans := make([]string, 0, len(items))
	for i, item := range items {
		s, ok := jsonString(item)
		if !ok {
			return nil, o.invalid("Words must be a list of strings.")
		}
		clean, key, err := normalizeWord(s)
		switch {
		case err != nil:
			return nil, o.invalid("Word %d contains control characters.", i+1)
		case clean == "":
			return nil, o.invalid("Word %d is empty.", i+1)
		case !nickname.Visible(clean):
			return nil, o.invalid("Word %d has no visible character.", i+1)
		// The stored, folded form must fit as well: ß folds to ss.
		case utf8.RuneCountInString(clean) > c.MaxLength || utf8.RuneCountInString(key) > c.MaxLength:
			return nil, &Error{Field: "value", Code: "word_length", Message: fmt.Sprintf("Word %q is longer than %d characters.", clean, c.MaxLength)}
		case slices.Contains(words, key):
			return nil, o.invalid("Word %q appears more than once.", clean)
		}
		words = append(words, key)
		cleans = append(cleans, clean)
	}
	// The session's list arrives raw on every call; it is a handful of words.
	session := wordfilter.New(extra)
	for _, clean := range cleans {
		if wordfilter.Match(clean, c.blocked, wordfilter.Default(), session) {
			return nil, &Error{Field: "value", Code: "word_blocked", Message: fmt.Sprintf("Word %q is not allowed.", clean)}
		}
	}
	slices.Sort(words)
	return wordcloudValue{Words: words}, nil
}

func (c *wordcloudConfig) public(bool) map[string]any {
	// The blocklist stays private: showing it would publish the words it hides.
	return map[string]any{"max_words": c.MaxWords, "max_length": c.MaxLength}
}

func (c *wordcloudConfig) resultsPublic(bool) bool { return true }

func (c *wordcloudConfig) results(groups []Group, _ []NamedAnswer, _ bool) map[string]any {
	counts := map[string]int{}
	for _, g := range groups {
		var v wordcloudValue
		if g.Count <= 0 || json.Unmarshal(g.Value, &v) != nil {
			continue
		}
		for _, w := range v.Words {
			// Canonical values are folded already; folding again merges
			// any stored before normalisation changed.
			if _, key, err := normalizeWord(w); err == nil && key != "" {
				counts[key] += g.Count
			}
		}
	}
	words := make([]wordCount, 0, len(counts))
	for text, n := range counts {
		words = append(words, wordCount{Text: text, Count: n})
	}
	slices.SortFunc(words, func(a, b wordCount) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return cmp.Compare(a.Text, b.Text)
	})
	return map[string]any{"words": words[:min(len(words), maxCloudWords)]}
}

func (c *wordcloudConfig) labels(value []byte) []string {
	var v wordcloudValue
	if json.Unmarshal(value, &v) != nil {
		return nil
	}
	return v.Words
}
