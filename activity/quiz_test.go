package activity

import (
	"fmt"
	"testing"
	"time"
)

func TestQuizConfig(t *testing.T) {
	runConfigScenarios(t, Quiz, []scenario{
		{name: "defaults", config: `{"options":["a","b"],"correct":1}`, want: `{"options":["a","b"],"correct":[1],"time_limit_s":30,"points":1000}`},
		{name: "correct list sorted", config: `{"options":["a","b","c"],"correct":[2,0]}`, want: `{"options":["a","b","c"],"correct":[0,2],"time_limit_s":30,"points":1000}`},
		{name: "6 options", config: `{"options":` + optionList(6) + `,"correct":5}`, want: `{"options":` + optionList(6) + `,"correct":[5],"time_limit_s":30,"points":1000}`},
		{name: "5 seconds", config: `{"options":["a","b"],"correct":0,"time_limit_s":5}`, want: `{"options":["a","b"],"correct":[0],"time_limit_s":5,"points":1000}`},
		{name: "600 seconds", config: `{"options":["a","b"],"correct":0,"time_limit_s":600}`, want: `{"options":["a","b"],"correct":[0],"time_limit_s":600,"points":1000}`},
		{name: "1 point", config: `{"options":["a","b"],"correct":0,"points":1}`, want: `{"options":["a","b"],"correct":[0],"time_limit_s":30,"points":1}`},
		{name: "10000 points", config: `{"options":["a","b"],"correct":0,"points":10000}`, want: `{"options":["a","b"],"correct":[0],"time_limit_s":30,"points":10000}`},
		{name: "7 options", config: `{"options":` + optionList(7) + `,"correct":0}`, code: "invalid_config", msg: "between 2 and 6"},
		{name: "1 option", config: `{"options":["a"],"correct":0}`, code: "invalid_config", msg: "between 2 and 6"},
		{name: "empty option", config: `{"options":["a",""],"correct":0}`, code: "invalid_config", msg: "Option 2 is empty"},
		{name: "duplicate option", config: `{"options":["a","a"],"correct":0}`, code: "invalid_config", msg: "more than once"},
		{name: "options missing", config: `{"correct":0}`, code: "invalid_config", msg: "Options are required"},
		{name: "correct missing", config: `{"options":["a","b"]}`, code: "invalid_config", msg: "Correct is required"},
		{name: "correct out of range", config: `{"options":["a","b"],"correct":2}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct negative", config: `{"options":["a","b"],"correct":-1}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct fractional", config: `{"options":["a","b"],"correct":1.5}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct string", config: `{"options":["a","b"],"correct":"1"}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct null", config: `{"options":["a","b"],"correct":null}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct empty list", config: `{"options":["a","b"],"correct":[]}`, code: "invalid_config", msg: "at least one"},
		{name: "correct list out of range", config: `{"options":["a","b"],"correct":[0,2]}`, code: "invalid_config", msg: "from 0 to 1"},
		{name: "correct list duplicate", config: `{"options":["a","b"],"correct":[1,1]}`, code: "invalid_config", msg: "must not repeat option 1"},
		{name: "4 seconds", config: `{"options":["a","b"],"correct":0,"time_limit_s":4}`, code: "invalid_config", msg: "between 5 and 600"},
		{name: "601 seconds", config: `{"options":["a","b"],"correct":0,"time_limit_s":601}`, code: "invalid_config", msg: "between 5 and 600"},
		{name: "time limit fractional", config: `{"options":["a","b"],"correct":0,"time_limit_s":7.5}`, code: "invalid_config", msg: "must be an integer"},
		{name: "time limit overflow", config: `{"options":["a","b"],"correct":0,"time_limit_s":1e400}`, code: "invalid_config", msg: "must be an integer"},
		{name: "time limit string", config: `{"options":["a","b"],"correct":0,"time_limit_s":"30"}`, code: "invalid_config", msg: "must be an integer"},
		{name: "0 points", config: `{"options":["a","b"],"correct":0,"points":0}`, code: "invalid_config", msg: "between 1 and 10000"},
		{name: "10001 points", config: `{"options":["a","b"],"correct":0,"points":10001}`, code: "invalid_config", msg: "between 1 and 10000"},
		{name: "unknown field", config: `{"options":["a","b"],"correct":0,"answer":0}`, code: "unknown_field", msg: `"answer"`},
	})
}

func TestQuizAnswer(t *testing.T) {
	config := `{"options":["a","b","c"],"correct":1}`
	runAnswerScenarios(t, Quiz, nil, []scenario{
		{name: "first", config: config, value: `{"choice":0}`, want: `{"choice":0}`},
		{name: "last", config: config, value: `{"choice":2}`, want: `{"choice":2}`},
		{name: "past the last", config: config, value: `{"choice":3}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "negative", config: config, value: `{"choice":-1}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "fractional", config: config, value: `{"choice":1.5}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "exponent", config: config, value: `{"choice":1e0}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "string", config: config, value: `{"choice":"1"}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "null", config: config, value: `{"choice":null}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "list", config: config, value: `{"choice":[1]}`, code: "invalid_value", msg: "from 0 to 2"},
		{name: "missing", config: config, value: `{}`, code: "invalid_value", msg: "Choice is required"},
		{name: "poll shape", config: config, value: `{"choices":[1]}`, code: "unknown_field", msg: `"choices"`},
	})
}

func TestQuizScore(t *testing.T) {
	config := mustConfig(t, Quiz, `{"options":["a","b","c"],"correct":[1,2]}`)
	odd := mustConfig(t, Quiz, `{"options":["a","b"],"correct":0,"time_limit_s":10,"points":3}`)
	scenarios := []struct {
		name      string
		config    []byte
		choice    int
		elapsed   time.Duration
		wantScore int
	}{
		{"at once: full points", config, 1, 0, 1000},
		{"half time: 75%", config, 1, 15 * time.Second, 750},
		{"deadline: 50%", config, 2, 30 * time.Second, 500},
		{"after the deadline clamps to 50%", config, 1, time.Hour, 500},
		{"negative clamps to full points", config, 1, -time.Second, 1000},
		{"a millisecond in", config, 1, time.Millisecond, 1000},
		{"wrong answer", config, 0, 0, 0},
		{"half rounds up", odd, 0, 10 * time.Second, 2},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			rules, err := Parse(Quiz, s.config)
			if err != nil {
				t.Fatal(err)
			}
			answer, err := rules.Validate([]byte(fmt.Sprintf(`{"choice":%d}`, s.choice)), nil)
			if err != nil {
				t.Fatal(err)
			}
			score, scored := rules.Score(answer, s.elapsed)
			if score != s.wantScore || !scored {
				t.Fatalf("expected %d (scored), got %d/%v", s.wantScore, score, scored)
			}
		})
	}
}

func TestQuizDeadline(t *testing.T) {
	started := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	scenarios := []struct {
		config string
		want   time.Duration
	}{
		{`{"options":["a","b"],"correct":0}`, 30 * time.Second},
		{`{"options":["a","b"],"correct":0,"time_limit_s":600}`, 10 * time.Minute},
	}
	for _, s := range scenarios {
		t.Run(s.config, func(t *testing.T) {
			rules, err := Parse(Quiz, []byte(s.config))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := rules.Deadline(started)
			if !ok || !got.Equal(started.Add(s.want)) {
				t.Fatalf("expected %v, got %v/%v", started.Add(s.want), got, ok)
			}
			if _, ok := rules.Deadline(time.Time{}); ok {
				t.Fatal("a quiz that has not started has a deadline")
			}
		})
	}
}

func TestQuizResultsAndPublicConfig(t *testing.T) {
	config := mustConfig(t, Quiz, `{"options":["a","b","c"],"correct":1}`)
	groups := []Group{
		{Value: []byte(`{"choice":0}`), Count: 2},
		{Value: []byte(`{"choice":1}`), Count: 3},
		{Value: []byte(`{"choice":2}`), Count: 1},
		{Value: []byte(`{"choice":5}`), Count: 9},
	}
	scenarios := []struct {
		revealed   bool
		wantResult string
		wantPublic string
	}{
		{false, `{"answered":6,"correct_count":3,"counts":[2,3,1]}`, `{"options":["a","b","c"],"points":1000,"time_limit_s":30}`},
		{true, `{"answered":6,"correct":[1],"correct_count":3,"counts":[2,3,1]}`, `{"correct":[1],"options":["a","b","c"],"points":1000,"time_limit_s":30}`},
	}
	for _, s := range scenarios {
		if got := mustJSON(t, Results(Quiz, config, groups, nil, s.revealed)); got != s.wantResult {
			t.Fatalf("results revealed=%v: expected %s, got %s", s.revealed, s.wantResult, got)
		}
		if got := mustJSON(t, PublicConfig(Quiz, config, s.revealed)); got != s.wantPublic {
			t.Fatalf("public revealed=%v: expected %s, got %s", s.revealed, s.wantPublic, got)
		}
	}
}
