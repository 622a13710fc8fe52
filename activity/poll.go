package activity

import "encoding/json"

// maxOptionLen is the longest option text of a poll or quiz, in characters.
const maxOptionLen = 200

// pollConfig is the canonical config of a poll; field order is the JSON order.
type pollConfig struct {
	Options     []string `json:"options" doc:"2 to 10 distinct non-empty texts of at most 200 characters, stored trimmed." schema:"minItems=2,maxItems=10"`
	Multiple    bool     `json:"multiple" doc:"Whether several options may be chosen. Default false."`
	MaxChoices  int      `json:"max_choices" doc:"How many options an answer may choose: 1 to the number of options; default 1, or every option when multiple; must be 1 when not multiple." schema:"minimum=1,maximum=10"`
	LiveResults bool     `json:"live_results" doc:"Whether the results are public while the poll runs (before the reveal). Default true."`
}

// pollValue is the canonical answer to a poll.
type pollValue struct {
	Choices []int `json:"choices" doc:"1 to max_choices distinct option indexes (0-based), stored sorted." schema:"minItems=1,maxItems=10"`
}

func parsePoll(raw []byte) (*pollConfig, *Error) {
	o, err := decodeObject(raw, "config", "options", "multiple", "max_choices", "live_results")
	if err != nil {
		return nil, err
	}
	c := &pollConfig{}
	var present bool
	if c.Options, present, err = o.texts("options", "Options", "Option", 2, 10, maxOptionLen); err != nil {
		return nil, err
	}
	if !present {
		return nil, o.invalid("Options are required.")
	}
	if c.Multiple, err = o.boolOr("multiple", "Multiple", false); err != nil {
		return nil, err
	}
	if c.LiveResults, err = o.boolOr("live_results", "Live results", true); err != nil {
		return nil, err
	}
	def := 1
	if c.Multiple {
		def = len(c.Options)
	}
	if c.MaxChoices, err = o.intIn("max_choices", "Max choices", def, 1, len(c.Options)); err != nil {
		return nil, err
	}
	if !c.Multiple && c.MaxChoices != 1 {
		return nil, o.invalid("Max choices must be 1 when multiple is false.")
	}
	return c, nil
}

func (c *pollConfig) answer(value []byte, _ []string) (any, *Error) {
	o, err := decodeObject(value, "value", "choices")
	if err != nil {
		return nil, err
	}
	raw, ok := o.m["choices"]
	if !ok {
		return nil, o.invalid("Choices are required.")
	}
	choices, err := o.indexes(raw, "Choices", len(c.Options))
	if err != nil {
		return nil, err
	}
	if len(choices) == 0 {
		return nil, o.invalid("Choose at least one option.")
	}
	if len(choices) > c.MaxChoices {
		return nil, o.invalid("Choose at most %d options.", c.MaxChoices)
	}
	return pollValue{Choices: choices}, nil
}

func (c *pollConfig) public(bool) map[string]any {
	return map[string]any{
		"options":      c.Options,
		"multiple":     c.Multiple,
		"max_choices":  c.MaxChoices,
		"live_results": c.LiveResults,
	}
}

func (c *pollConfig) resultsPublic(revealed bool) bool { return c.LiveResults || revealed }

func (c *pollConfig) results(groups []Group, _ []NamedAnswer, _ bool) map[string]any {
	counts := make([]int, len(c.Options))
	voters := 0
	for _, g := range groups {
		var v pollValue
		if g.Count <= 0 || json.Unmarshal(g.Value, &v) != nil {
			continue
		}
		voters += g.Count
		for _, i := range v.Choices {
			if i >= 0 && i < len(counts) {
				counts[i] += g.Count
			}
		}
	}
	return map[string]any{"counts": counts, "voters": voters}
}

func (c *pollConfig) labels(value []byte) []string {
	var v pollValue
	if json.Unmarshal(value, &v) != nil {
		return nil
	}
	return optionTexts(c.Options, v.Choices...)
}

// optionTexts returns the texts of the options at indexes, skipping any
// index out of range.
func optionTexts(options []string, indexes ...int) []string {
	var out []string
	for _, i := range indexes {
		if i >= 0 && i < len(options) {
			out = append(out, options[i])
		}
	}
	return out
}
