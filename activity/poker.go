package activity

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"
	"strconv"
)

// defaultDeck is the planning-poker deck of a config that gives none.
func defaultDeck() []string {
	return []string{"0", "1", "2", "3", "5", "8", "13", "21", "?", "☕"}
}

// pokerConfig is the canonical config of a poker round.
type pokerConfig struct {
	Deck []string `json:"deck" doc:"2 to 20 distinct non-empty cards of at most 8 characters. Default [\"0\",\"1\",\"2\",\"3\",\"5\",\"8\",\"13\",\"21\",\"?\",\"☕\"]." schema:"minItems=2,maxItems=20"`
}

// pokerValue is the canonical answer to a poker round.
type pokerValue struct {
	Card string `json:"card" doc:"Exactly one card of the deck."`
}

func parsePoker(raw []byte) (*pokerConfig, *Error) {
	o, err := decodeObject(raw, "config", "deck")
	if err != nil {
		return nil, err
	}
	c := &pokerConfig{}
	var present bool
	if c.Deck, present, err = o.texts("deck", "Deck", "Card", 2, 20, 8); err != nil {
		return nil, err
	}
	if !present {
		c.Deck = defaultDeck()
	}
	return c, nil
}

func (c *pokerConfig) answer(value []byte, _ []string) (any, *Error) {
	o, err := decodeObject(value, "value", "card")
	if err != nil {
		return nil, err
	}
	raw, ok := o.m["card"]
	if !ok {
		return nil, o.invalid("Card is required.")
	}
	card, ok := jsonString(raw)
	if !ok {
		return nil, o.invalid("Card must be a string.")
	}
	if !slices.Contains(c.Deck, card) {
		return nil, o.invalid("Card %q is not in the deck.", card)
	}
	return pokerValue{Card: card}, nil
}

func (c *pokerConfig) public(bool) map[string]any {
	return map[string]any{"deck": c.Deck}
}

func (c *pokerConfig) resultsPublic(revealed bool) bool { return revealed }

func (c *pokerConfig) results(groups []Group, named []NamedAnswer, revealed bool) map[string]any {
	counts := make([]int, len(c.Deck))
	voters := 0
	for _, g := range groups {
		var v pokerValue
		if g.Count <= 0 || json.Unmarshal(g.Value, &v) != nil {
			continue
		}
		if i := slices.Index(c.Deck, v.Card); i >= 0 {
			counts[i] += g.Count
			voters += g.Count
		}
	}
	if !revealed {
		return map[string]any{"voters": voters}
	}

	// Numeric cards with their counts, ascending, for average and median.
	var nums []cardCount
	total, sum := 0, 0.0
	for i, card := range c.Deck {
		if x, ok := numericCard(card); ok && counts[i] > 0 {
			nums = append(nums, cardCount{x, counts[i]})
			total += counts[i]
			sum += x * float64(counts[i])
		}
	}
	slices.SortFunc(nums, func(a, b cardCount) int { return cmp.Compare(a.x, b.x) })

	res := map[string]any{
		"voters":       voters,
		"votes":        pokerVotes(named),
		"distribution": distribution{deck: c.Deck, counts: counts},
		"average":      nil,
		"median":       nil,
		"consensus":    total > 0 && nums[0].x == nums[len(nums)-1].x,
	}
	if total > 0 {
		res["average"] = sum / float64(total)
		res["median"] = (nth(nums, (total-1)/2) + nth(nums, total/2)) / 2
	}
	return res
}

// numericCard parses a card that is a finite number ("0", "0.5", "13").
func numericCard(card string) (float64, bool) {
	x, err := strconv.ParseFloat(card, 64)
	return x, err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
}

type cardCount struct {
	x     float64
	count int
}

// nth returns the k-th (0-based) vote of the ascending, counted cards.
func nth(cards []cardCount, k int) float64 {
	for _, c := range cards {
		if k < c.count {
			return c.x
		}
		k -= c.count
	}
	return math.NaN() // unreachable for k < total
}

// distribution marshals as a JSON object {card: count} in deck order, which a
// Go map would lose.
type distribution struct {
	deck   []string
	counts []int
}

// MarshalJSON implements json.Marshaler.
func (d distribution) MarshalJSON() ([]byte, error) {
	buf := []byte{'{'}
	for i, card := range d.deck {
		if i > 0 {
			buf = append(buf, ',')
		}
		k, err := json.Marshal(card)
		if err != nil {
			return nil, err
		}
		buf = append(buf, k...)
		buf = append(buf, ':')
		buf = strconv.AppendInt(buf, int64(d.counts[i]), 10)
	}
	return append(buf, '}'), nil
}

// pokerVote is one named vote of a revealed round.
type pokerVote struct {
	Nickname string `json:"nickname" doc:"Who voted."`
	Card     string `json:"card" doc:"Their card."`
}

// pokerVotes reads the card of each named answer; one that does not
// decode shows an empty card rather than hiding the voter.
func pokerVotes(named []NamedAnswer) []pokerVote {
	votes := make([]pokerVote, len(named))
	for i, n := range named {
		var v pokerValue
		_ = json.Unmarshal(n.Value, &v)
		votes[i] = pokerVote{Nickname: n.Nickname, Card: v.Card}
	}
	return votes
}

func (c *pokerConfig) labels(value []byte) []string {
	var v pokerValue
	if json.Unmarshal(value, &v) != nil || v.Card == "" {
		return nil
	}
	return []string{v.Card}
}
