package activity

import (
	"encoding/json"
	"slices"
	"time"
)

// Quiz defaults, used when the config omits them.
const (
	defaultTimeLimitS = 30
	defaultPoints     = 1000
)

// quizConfig is the canonical config of a quiz question.
type quizConfig struct {
	Options    []string `json:"options" doc:"2 to 6 distinct non-empty texts of at most 200 characters, stored trimmed." schema:"minItems=2,maxItems=6"`
	Correct    []int    `json:"correct" doc:"The right option: an index (0-based) or a non-empty list of distinct indexes; stored as a sorted list. Never public before the reveal."`
	TimeLimitS int      `json:"time_limit_s" doc:"Seconds to answer, 5 to 600. Default 30." schema:"minimum=5,maximum=600"`
	Points     int      `json:"points" doc:"Points for a right answer given at once (half of them at the deadline), 1 to 10000. Default 1000." schema:"minimum=1,maximum=10000"`
}

// quizValue is the canonical answer to a quiz question.
type quizValue struct {
	Choice int `json:"choice" doc:"The chosen option's index (0-based). Final once sent." schema:"minimum=0"`
}

func parseQuiz(raw []byte) (*quizConfig, *Error) {
	o, err := decodeObject(raw, "config", "options", "correct", "time_limit_s", "points")
	if err != nil {
		return nil, err
	}
	c := &quizConfig{}
	var present bool
	if c.Options, present, err = o.texts("options", "Options", "Option", 2, 6, maxOptionLen); err != nil {
		return nil, err
	}
	if !present {
		return nil, o.invalid("Options are required.")
	}
	if c.Correct, err = parseCorrect(o, len(c.Options)); err != nil {
		return nil, err
	}
	if c.TimeLimitS, err = o.intIn("time_limit_s", "Time limit", defaultTimeLimitS, 5, 600); err != nil {
		return nil, err
	}
	if c.Points, err = o.intIn("points", "Points", defaultPoints, 1, 10000); err != nil {
		return nil, err
	}
	return c, nil
}

// parseCorrect reads "correct": one option index or a non-empty list of them.
func parseCorrect(o object, n int) ([]int, *Error) {
	raw, ok := o.m["correct"]
	if !ok {
		return nil, o.invalid("Correct is required.")
	}
	if len(raw) > 0 && raw[0] != '[' {
		i, err := o.index("correct", "Correct", n)
		return []int{i}, err
	}
	list, err := o.indexes(raw, "Correct", n)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, o.invalid("Correct must name at least one option.")
	}
	return list, nil
}

func (c *quizConfig) answer(value []byte, _ []string) (any, *Error) {
	o, err := decodeObject(value, "value", "choice")
	if err != nil {
		return nil, err
	}
	i, err := o.index("choice", "Choice", len(c.Options))
	if err != nil {
		return nil, err
	}
	return quizValue{Choice: i}, nil
}

func (c *quizConfig) public(revealed bool) map[string]any {
	m := map[string]any{
		"options":      c.Options,
		"time_limit_s": c.TimeLimitS,
		"points":       c.Points,
	}
	if revealed {
		m["correct"] = c.Correct
	}
	return m
}

func (c *quizConfig) resultsPublic(revealed bool) bool { return revealed }

func (c *quizConfig) results(groups []Group, _ []NamedAnswer, revealed bool) map[string]any {
	counts := make([]int, len(c.Options))
	answered, correct := 0, 0
	for _, g := range groups {
		var v quizValue
		if g.Count <= 0 || json.Unmarshal(g.Value, &v) != nil || v.Choice < 0 || v.Choice >= len(counts) {
			continue
		}
		counts[v.Choice] += g.Count
		answered += g.Count
		if slices.Contains(c.Correct, v.Choice) {
			correct += g.Count
		}
	}
	m := map[string]any{"counts": counts, "answered": answered, "correct_count": correct}
	if revealed {
		m["correct"] = c.Correct
	}
	return m
}

func (c *quizConfig) timeLimit() time.Duration {
	return time.Duration(c.TimeLimitS) * time.Second
}

// score scores an answer sent elapsed after the question started:
// correct ? round(points × (1 − elapsed/time_limit/2)) : 0, with elapsed
// clamped to [0, time_limit], so a right answer earns between half and all of
// the points.
func (c *quizConfig) score(answer any, elapsed time.Duration) int {
	v, ok := answer.(quizValue)
	if !ok || !slices.Contains(c.Correct, v.Choice) {
		return 0
	}
	limit := int64(c.TimeLimitS) * int64(time.Second)
	e := min(max(int64(elapsed), 0), limit)
	// points × (2·limit − e) / (2·limit), rounded half up in integers: exact,
	// and small enough (points ≤ 1e4, limit ≤ 6e11 ns) not to overflow.
	num := int64(c.Points) * (2*limit - e)
	den := 2 * limit
	return int((2*num + den) / (2 * den))
}

func (c *quizConfig) labels(value []byte) []string {
	var v quizValue
	if json.Unmarshal(value, &v) != nil {
		return nil
	}
	return optionTexts(c.Options, v.Choice)
}
