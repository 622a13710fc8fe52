package activity

import (
	"slices"
	"testing"
	"time"
)

// TestRulesPerType pins what each type is beyond its config: the hooks
// and routes ask these instead of branching on the type, so a change here
// changes the server's behaviour.
func TestRulesPerType(t *testing.T) {
	started := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	scenarios := []struct {
		typ                                   Type
		config                                string
		final, resettable, scored, namedVotes bool
		deadline                              bool
	}{
		{Poll, `{"options":["a","b"]}`, false, false, false, false, false},
		{Poker, `{}`, false, true, false, true, false},
		{Quiz, `{"options":["a","b"],"correct":0}`, true, false, true, false, true},
		{Wordcloud, `{}`, false, false, false, false, false},
		{QA, `{}`, false, false, false, false, false},
	}
	if len(scenarios) != len(Types()) {
		t.Fatalf("%d scenarios for %d types: pin the new type here", len(scenarios), len(Types()))
	}
	for _, s := range scenarios {
		t.Run(string(s.typ), func(t *testing.T) {
			r, err := Parse(s.typ, []byte(s.config))
			if err != nil {
				t.Fatal(err)
			}
			if r.Type() != s.typ {
				t.Errorf("Type() = %q", r.Type())
			}
			if r.Final() != s.final || r.Resettable() != s.resettable || r.Scored() != s.scored || s.typ.Scored() != s.scored {
				t.Errorf("final/resettable/scored = %v/%v/%v, want %v/%v/%v", r.Final(), r.Resettable(), r.Scored(), s.final, s.resettable, s.scored)
			}
			if r.NamedVotes(true) != s.namedVotes || r.NamedVotes(false) {
				t.Errorf("NamedVotes(true/false) = %v/%v, want %v/false", r.NamedVotes(true), r.NamedVotes(false), s.namedVotes)
			}
			if _, ok := r.Deadline(started); ok != s.deadline {
				t.Errorf("has a deadline = %v, want %v", ok, s.deadline)
			}
			if slices.Contains(ScoredTypes(), s.typ) != s.scored {
				t.Errorf("ScoredTypes() = %v", ScoredTypes())
			}
		})
	}
}

func TestParseRefusesUnknownTypeAndHugeConfig(t *testing.T) {
	if _, err := Parse("bingo", []byte(`{}`)); err == nil || err.Code != "invalid_type" {
		t.Fatalf("unknown type: %v", err)
	}
	if Type("bingo").Scored() {
		t.Fatal("an unknown type is scored")
	}
	huge := make([]byte, MaxConfigSize+1)
	if _, err := Parse(Poker, huge); err == nil || err.Code != "config_too_large" {
		t.Fatalf("huge config: %v", err)
	}
}

// A non-scored type's answer has no score.
func TestScoreOfUnscoredType(t *testing.T) {
	r, err := Parse(Poker, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, verr := r.Validate([]byte(`{"card":"5"}`), nil)
	if verr != nil {
		t.Fatal(verr)
	}
	if score, scored := r.Score(a, 0); scored || score != 0 {
		t.Fatalf("poker score = %d/%v", score, scored)
	}
}

// TestLabels: what a stored answer reads as, per type, for the export's
// readable column; a validated answer always has labels.
func TestLabels(t *testing.T) {
	scenarios := []struct {
		name   string
		typ    Type
		config string
		value  string
		want   []string
	}{
		{"poll, one choice", Poll, `{"options":["Pizza","Sushi"]}`, `{"choices":[1]}`, []string{"Sushi"}},
		{"poll, several choices in option order", Poll, `{"options":["Red","Green","Blue"],"multiple":true}`, `{"choices":[0,2]}`, []string{"Red", "Blue"}},
		{"poll, an index the config lacks", Poll, `{"options":["a","b"]}`, `{"choices":[5]}`, nil},
		{"poker", Poker, `{}`, `{"card":"☕"}`, []string{"☕"}},
		{"poker, no card", Poker, `{}`, `{}`, nil},
		{"quiz", Quiz, `{"options":["3","4"],"correct":1}`, `{"choice":1}`, []string{"4"}},
		{"quiz, an index the config lacks", Quiz, `{"options":["3","4"],"correct":1}`, `{"choice":-1}`, nil},
		{"word cloud", Wordcloud, `{}`, `{"words":["go","rust"]}`, []string{"go", "rust"}},
		{"not JSON", Wordcloud, `{}`, `{"words":`, nil},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			r, err := Parse(s.typ, []byte(s.config))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Labels([]byte(s.value)); !slices.Equal(got, s.want) {
				t.Fatalf("Labels(%s) = %q, want %q", s.value, got, s.want)
			}
		})
	}

	// Every type that takes answers labels the answers it validates.
	answers := map[Type][2]string{
		Poll:      {`{"options":["a","b"]}`, `{"choices":[0]}`},
		Poker:     {`{}`, `{"card":"5"}`},
		Quiz:      {`{"options":["a","b"],"correct":0}`, `{"choice":1}`},
		Wordcloud: {`{}`, `{"words":["Hello"]}`},
	}
	for _, typ := range Types() {
		pair, ok := answers[typ]
		r, perr := Parse(typ, []byte(pair[0]))
		if perr != nil {
			t.Fatal(perr)
		}
		if r.Questions() {
			continue // takes questions, no answers (TestQARefusesAnswersAndOthersRefuseQuestions)
		}
		if !ok {
			t.Fatalf("no answer for %s: pin the new type here", typ)
		}
		a, verr := r.Validate([]byte(pair[1]), nil)
		if verr != nil {
			t.Fatal(verr)
		}
		if labels := r.Labels(a.JSON); len(labels) == 0 {
			t.Fatalf("%s: no labels for the validated answer %s", typ, a.JSON)
		}
	}
}
