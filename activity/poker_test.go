package activity

import (
	"fmt"
	"strings"
	"testing"
)

// cardList returns the JSON list ["1", ..., "n"].
func cardList(n int) string {
	cards := make([]string, n)
	for i := range cards {
		cards[i] = fmt.Sprintf(`"%d"`, i+1)
	}
	return "[" + strings.Join(cards, ",") + "]"
}

func TestPokerConfig(t *testing.T) {
	runConfigScenarios(t, Poker, []scenario{
		{name: "default deck", config: `{}`, want: `{"deck":["0","1","2","3","5","8","13","21","?","☕"]}`},
		{name: "custom deck trimmed", config: `{"deck":[" S ","M","L","XL"]}`, want: `{"deck":["S","M","L","XL"]}`},
		{name: "2 cards", config: `{"deck":["yes","no"]}`, want: `{"deck":["yes","no"]}`},
		{name: "20 cards", config: `{"deck":` + cardList(20) + `}`, want: `{"deck":` + cardList(20) + `}`},
		{name: "8 characters", config: `{"deck":["☕☕☕☕☕☕☕☕","12345678"]}`, want: `{"deck":["☕☕☕☕☕☕☕☕","12345678"]}`},
		{name: "1 card", config: `{"deck":["1"]}`, code: "invalid_config", msg: "between 2 and 20"},
		{name: "21 cards", config: `{"deck":` + cardList(21) + `}`, code: "invalid_config", msg: "between 2 and 20"},
		{name: "9 characters", config: `{"deck":["1","123456789"]}`, code: "invalid_config", msg: "Card 2 is longer than 8"},
		{name: "duplicate card", config: `{"deck":["1","2","1"]}`, code: "invalid_config", msg: `Card "1" appears more than once`},
		{name: "empty card", config: `{"deck":["1"," "]}`, code: "invalid_config", msg: "Card 2 is empty"},
		{name: "numbers", config: `{"deck":[1,2]}`, code: "invalid_config", msg: "list of strings"},
		{name: "not a list", config: `{"deck":"1,2,3"}`, code: "invalid_config", msg: "list of strings"},
		{name: "unknown field", config: `{"deck":["1","2"],"cards":["3"]}`, code: "unknown_field", msg: `"cards"`},
	})
}

func TestPokerAnswer(t *testing.T) {
	runAnswerScenarios(t, Poker, nil, []scenario{
		{name: "numeric card", config: `{}`, value: `{"card":"13"}`, want: `{"card":"13"}`},
		{name: "coffee", config: `{}`, value: `{"card":"☕"}`, want: `{"card":"☕"}`},
		{name: "question mark", config: `{}`, value: `{"card":"?"}`, want: `{"card":"?"}`},
		{name: "custom deck", config: `{"deck":["S","M"]}`, value: `{"card":"M"}`, want: `{"card":"M"}`},
		{name: "not in deck", config: `{}`, value: `{"card":"4"}`, code: "invalid_value", msg: `"4" is not in the deck`},
		{name: "compared exactly", config: `{}`, value: `{"card":" 5"}`, code: "invalid_value", msg: "not in the deck"},
		{name: "case matters", config: `{"deck":["S","M"]}`, value: `{"card":"s"}`, code: "invalid_value", msg: "not in the deck"},
		{name: "number", config: `{}`, value: `{"card":5}`, code: "invalid_value", msg: "must be a string"},
		{name: "null", config: `{}`, value: `{"card":null}`, code: "invalid_value", msg: "must be a string"},
		{name: "missing", config: `{}`, value: `{}`, code: "invalid_value", msg: "Card is required"},
		{name: "unknown field", config: `{}`, value: `{"card":"5","note":"x"}`, code: "unknown_field", msg: `"note"`},
	})
}

func TestPokerResults(t *testing.T) {
	deck := mustConfig(t, Poker, `{}`)
	halves := mustConfig(t, Poker, `{"deck":["0.5","1","2","?"]}`)
	votes := []NamedAnswer{{Nickname: "Ada", Value: []byte(`{"card":"2"}`)}, {Nickname: "Bob", Value: []byte(`{"card":"5"}`)}}
	card := func(c string, n int) Group { return Group{Value: []byte(`{"card":"` + c + `"}`), Count: n} }
	dist := func(counts ...int) string {
		names := []string{"0", "1", "2", "3", "5", "8", "13", "21", "?", "☕"}
		parts := make([]string, len(names))
		for i, n := range names {
			parts[i] = fmt.Sprintf("%q:%d", n, counts[i])
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	scenarios := []struct {
		name     string
		config   []byte
		groups   []Group
		votes    []NamedAnswer
		revealed bool
		want     string
	}{
		{
			name:   "before reveal only voters",
			config: deck, groups: []Group{card("2", 1), card("5", 1)}, votes: votes,
			want: `{"voters":2}`,
		},
		{
			name:   "split vote with non-numeric cards",
			config: deck, groups: []Group{card("2", 1), card("5", 1), card("?", 2), card("☕", 1)}, votes: votes, revealed: true,
			want: `{"average":3.5,"consensus":false,"distribution":` + dist(0, 0, 1, 0, 1, 0, 0, 0, 2, 1) +
				`,"median":3.5,"voters":5,"votes":[{"nickname":"Ada","card":"2"},{"nickname":"Bob","card":"5"}]}`,
		},
		{
			name:   "odd count median",
			config: deck, groups: []Group{card("1", 1), card("3", 2), card("8", 1), card("13", 1)}, revealed: true,
			want: `{"average":5.6,"consensus":false,"distribution":` + dist(0, 1, 0, 2, 0, 1, 1, 0, 0, 0) +
				`,"median":3,"voters":5,"votes":[]}`,
		},
		{
			name:   "consensus ignores non-numeric",
			config: deck, groups: []Group{card("8", 3), card("?", 1)}, revealed: true,
			want: `{"average":8,"consensus":true,"distribution":` + dist(0, 0, 0, 0, 0, 3, 0, 0, 1, 0) +
				`,"median":8,"voters":4,"votes":[]}`,
		},
		{
			name:   "only non-numeric",
			config: deck, groups: []Group{card("?", 2), card("☕", 1)}, revealed: true,
			want: `{"average":null,"consensus":false,"distribution":` + dist(0, 0, 0, 0, 0, 0, 0, 0, 2, 1) +
				`,"median":null,"voters":3,"votes":[]}`,
		},
		{
			name:   "no votes",
			config: deck, revealed: true,
			want: `{"average":null,"consensus":false,"distribution":` + dist(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) +
				`,"median":null,"voters":0,"votes":[]}`,
		},
		{
			name:   "fractional cards",
			config: halves, groups: []Group{card("0.5", 1), card("1", 1), card("?", 1)}, revealed: true,
			want: `{"average":0.75,"consensus":false,"distribution":{"0.5":1,"1":1,"2":0,"?":1},"median":0.75,"voters":3,"votes":[]}`,
		},
		{
			name:   "cards not in the deck skipped",
			config: halves, groups: []Group{card("2", 2), card("7", 4), {Value: []byte(`x`), Count: 1}}, revealed: true,
			want: `{"average":2,"consensus":true,"distribution":{"0.5":0,"1":0,"2":2,"?":0},"median":2,"voters":2,"votes":[]}`,
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			if got := mustJSON(t, Results(Poker, s.config, s.groups, s.votes, s.revealed)); got != s.want {
				t.Fatalf("expected\n%s\ngot\n%s", s.want, got)
			}
		})
	}
}

func TestNumericCard(t *testing.T) {
	scenarios := []struct {
		card string
		want bool
	}{
		{"0", true}, {"0.5", true}, {"13", true}, {"-1", true},
		{"?", false}, {"☕", false}, {"XL", false}, {"Inf", false}, {"NaN", false}, {"", false},
	}
	for _, s := range scenarios {
		t.Run(s.card, func(t *testing.T) {
			if _, got := numericCard(s.card); got != s.want {
				t.Fatalf("expected %v, got %v", s.want, got)
			}
		})
	}
}
