package activity

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestQAConfigDefaultsAndLimits(t *testing.T) {
	r, err := Parse(QA, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(r.Config()); got != `{"moderated":false,"max_length":280,"anonymous":false,"max_questions":5}` {
		t.Fatalf("defaults = %s", got)
	}
	if !r.Questions() || r.QuestionLimit() != 5 || r.Moderated() || r.Anonymous() {
		t.Fatalf("questions/limit/moderated/anonymous = %v/%d/%v/%v", r.Questions(), r.QuestionLimit(), r.Moderated(), r.Anonymous())
	}
	r, err = Parse(QA, []byte(`{"moderated":true,"max_length":20,"anonymous":true,"max_questions":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.QuestionLimit() != 1 || !r.Moderated() || !r.Anonymous() {
		t.Fatalf("limit/moderated/anonymous = %d/%v/%v", r.QuestionLimit(), r.Moderated(), r.Anonymous())
	}
	pub := r.Public(false)
	if pub["max_length"] != 20 || pub["moderated"] != true || pub["anonymous"] != true || pub["max_questions"] != 1 {
		t.Fatalf("public = %v", pub)
	}
	if !r.ResultsPublic(false) {
		t.Fatal("a Q&A's public questions are not public")
	}
	for _, bad := range []string{
		`{"max_length":19}`, `{"max_length":501}`, `{"max_length":1.5}`, `{"moderated":"yes"}`,
		`{"anonymous":1}`, `{"max_questions":0}`, `{"max_questions":51}`,
	} {
		if _, err := Parse(QA, []byte(bad)); err == nil || err.Code != "invalid_config" {
			t.Errorf("%s: %v", bad, err)
		}
	}
	if _, err := Parse(QA, []byte(`{"options":["a","b"]}`)); err == nil || err.Code != "unknown_field" {
		t.Errorf("unknown field: %v", err)
	}
}

func TestQARefusesAnswersAndOthersRefuseQuestions(t *testing.T) {
	qa, _ := Parse(QA, nil)
	if _, err := qa.Validate([]byte(`{"choices":[0]}`), nil); err == nil || err.Code != "questions_only" || err.Field != "value" {
		t.Fatalf("answer to a Q&A: %v", err)
	}
	if qa.Labels([]byte(`{}`)) != nil {
		t.Fatal("a Q&A answer has labels")
	}
	if res := qa.Results(nil, nil, false); len(res["questions"].([]publicQuestion)) != 0 {
		t.Fatalf("results of no answers = %v", res)
	}
	poll, _ := Parse(Poll, []byte(`{"options":["a","b"]}`))
	if poll.Questions() || poll.QuestionLimit() != 0 || poll.Moderated() || poll.Anonymous() {
		t.Fatal("a poll takes questions")
	}
	if _, err := poll.Question("Why?"); err == nil || err.Code != "questions_unsupported" || err.Field != "activity" {
		t.Fatalf("question to a poll: %v", err)
	}
	if res := poll.QuestionResults([]Question{{ID: "q", Status: QuestionVisible}}); res["voters"] != 0 {
		t.Fatalf("a poll's question results = %v", res)
	}
}

func TestQAQuestionText(t *testing.T) {
	r, _ := Parse(QA, []byte(`{"max_length":20}`))
	for _, s := range []struct{ in, want, code string }{
		{"  Why   so\nslow?\r\n ", "Why so slow?", ""},
		{"Ｗｈｙ?", "Why?", ""},
		{"why\u200b?", "why?", ""},
		{strings.Repeat("é", 20), strings.Repeat("é", 20), ""},
		{strings.Repeat("é", 21), "", "text_too_long"},
		{strings.Repeat("x", 5000), "", "text_too_long"},
		{"", "", "text_required"},
		{" \n\t ", "", "text_required"},
		{"\u2800\u2800", "", "text_invalid"},
		{"bell\x07", "", "text_invalid"},
		{"bad \xff", "", "text_invalid"},
	} {
		got, err := r.Question(s.in)
		switch {
		case s.code == "" && (err != nil || got != s.want):
			t.Errorf("%q: %q, %v; want %q", s.in, got, err, s.want)
		case s.code != "" && (err == nil || err.Code != s.code || err.Field != "text"):
			t.Errorf("%q: %v, want %s", s.in, err, s.code)
		}
	}
}

// TestQAPublicOrder pins the public list: visible and answered only, by
// pinned, then votes, then time, then id; authors named unless anonymous.
func TestQAPublicOrder(t *testing.T) {
	qs := []Question{
		{ID: "a", Text: "old, few votes", Status: QuestionVisible, Votes: 1, Created: "2026-12-01 10:00:00.000Z", Nickname: "Ada"},
		{ID: "b", Text: "many votes", Status: QuestionAnswered, Votes: 9, Created: "2026-12-01 10:05:00.000Z", Nickname: "Bo"},
		{ID: "c", Text: "pinned, no votes", Status: QuestionVisible, Pinned: true, Created: "2026-12-01 10:09:00.000Z", Nickname: "Cy"},
		{ID: "d", Text: "hidden", Status: QuestionHidden, Votes: 50, Nickname: "Di"},
		{ID: "e", Text: "pending", Status: QuestionPending, Pinned: true, Nickname: "Ed"},
		{ID: "f", Text: "same votes, newer", Status: QuestionVisible, Votes: 1, Created: "2026-12-01 10:01:00.000Z", Nickname: "Fi"},
		{ID: "g", Text: "same time, later id", Status: QuestionVisible, Votes: 1, Created: "2026-12-01 10:01:00.000Z", Nickname: "Gu"},
	}
	named, _ := Parse(QA, nil)
	res := named.QuestionResults(qs)
	data, _ := json.Marshal(res)
	var got struct {
		Questions []struct {
			ID     string  `json:"id"`
			Author *string `json:"author"`
		} `json:"questions"`
		Public int `json:"public"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range got.Questions {
		ids = append(ids, q.ID)
	}
	if strings.Join(ids, ",") != "c,b,a,f,g" || got.Public != 5 {
		t.Fatalf("order = %v, public %d", ids, got.Public)
	}
	if got.Questions[0].Author == nil || *got.Questions[0].Author != "Cy" {
		t.Fatalf("author of a named Q&A: %v", got.Questions[0].Author)
	}
	if strings.Contains(string(data), "Di") || strings.Contains(string(data), "Ed") || strings.Contains(string(data), "hidden\"") {
		t.Fatalf("a hidden or pending question leaked: %s", data)
	}

	anon, _ := Parse(QA, []byte(`{"anonymous":true}`))
	data, _ = json.Marshal(anon.QuestionResults(qs))
	for _, nick := range []string{"Ada", "Bo", "Cy", "Fi", "Gu"} {
		if strings.Contains(string(data), nick) {
			t.Fatalf("anonymous Q&A names %s: %s", nick, data)
		}
	}
	if !strings.Contains(string(data), `"author":null`) {
		t.Fatalf("anonymous authors are not null: %s", data)
	}
}

func TestQAPublicListIsCapped(t *testing.T) {
	qs := make([]Question, maxPublicQuestions+5)
	for i := range qs {
		qs[i] = Question{ID: string(rune('a' + i%26)), Status: QuestionVisible, Votes: i}
	}
	r, _ := Parse(QA, nil)
	res := r.QuestionResults(qs)
	if n := len(res["questions"].([]publicQuestion)); n != maxPublicQuestions || res["public"] != maxPublicQuestions+5 {
		t.Fatalf("%d questions, public %v", n, res["public"])
	}
	if top := res["questions"].([]publicQuestion)[0]; top.Votes != maxPublicQuestions+4 {
		t.Fatalf("top = %+v", top)
	}
}
