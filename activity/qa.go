package activity

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"conflicto/nickname"
)

// A Q&A collects questions from the floor instead of answers: they live in
// their own collection (one record per question, with a server-kept vote
// count), so a qa activity refuses responses, and its results are its
// public questions. What the Q&A decides is here: the config, the question
// text, the per-participant limit, whether a new question waits for the
// host, whether authors are named, and the public order.

// maxPublicQuestions is how many questions the results (and the live
// state) carry: the top ones in the public order.
const maxPublicQuestions = 200

// Question states: a question waits for approval (pending), shows
// (visible), was hidden by the host, or was answered. Only visible and
// answered questions are public.
const (
	QuestionPending  = "pending"
	QuestionVisible  = "visible"
	QuestionHidden   = "hidden"
	QuestionAnswered = "answered"
)

// qaConfig is the canonical config of a Q&A.
type qaConfig struct {
	Moderated    bool `json:"moderated" doc:"true: new questions wait for the host's approval (pending); false: they are visible at once. Default false."`
	MaxLength    int  `json:"max_length" doc:"Characters per question, 20 to 500. Default 280." schema:"minimum=20,maximum=500"`
	Anonymous    bool `json:"anonymous" doc:"true: the author is shown to no one but the host. Default false."`
	MaxQuestions int  `json:"max_questions" doc:"Questions per participant in this Q&A, 1 to 50. Default 5." schema:"minimum=1,maximum=50"`
}

// Question is one stored question as the results read it: Nickname is its
// author's, which the results show only when the Q&A is not anonymous.
type Question struct {
	ID       string `db:"id"`
	Text     string `db:"text"`
	Status   string `db:"status"`
	Pinned   bool   `db:"pinned"`
	Votes    int    `db:"votes"`
	Created  string `db:"created"`
	Nickname string `db:"nickname"`
}

// publicQuestion is one line of a Q&A's results.
type publicQuestion struct {
	ID      string  `json:"id"`
	Text    string  `json:"text"`
	Status  string  `json:"status" doc:"visible or answered."`
	Pinned  bool    `json:"pinned"`
	Votes   int     `json:"votes"`
	Created string  `json:"created"`
	Author  *string `json:"author" doc:"The author's nickname; null in an anonymous Q&A."`
}

func parseQA(raw []byte) (*qaConfig, *Error) {
	o, err := decodeObject(raw, "config", "moderated", "max_length", "anonymous", "max_questions")
	if err != nil {
		return nil, err
	}
	c := &qaConfig{}
	if c.Moderated, err = o.boolOr("moderated", "Moderated", false); err != nil {
		return nil, err
	}
	if c.MaxLength, err = o.intIn("max_length", "Max length", 280, 20, 500); err != nil {
		return nil, err
	}
	if c.Anonymous, err = o.boolOr("anonymous", "Anonymous", false); err != nil {
		return nil, err
	}
	if c.MaxQuestions, err = o.intIn("max_questions", "Max questions", 5, 1, 50); err != nil {
		return nil, err
	}
	return c, nil
}

// answer refuses every response: a Q&A's questions go to their own
// collection.
func (c *qaConfig) answer([]byte, []string) (any, *Error) {
	return nil, &Error{Field: "value", Code: "questions_only", Message: "A Q&A takes questions (the questions collection), not answers."}
}

func (c *qaConfig) public(bool) map[string]any {
	return map[string]any{
		"moderated":     c.Moderated,
		"max_length":    c.MaxLength,
		"anonymous":     c.Anonymous,
		"max_questions": c.MaxQuestions,
	}
}

// resultsPublic: the public questions are public by definition; hidden
// and pending ones never reach the results.
func (c *qaConfig) resultsPublic(bool) bool { return true }

// results from responses: a Q&A has none (questionResults reads its
// questions).
func (c *qaConfig) results([]Group, []NamedAnswer, bool) map[string]any {
	return c.questionResults(nil)
}

func (c *qaConfig) labels([]byte) []string { return nil }

func (c *qaConfig) limits() (int, bool, bool) { return c.MaxQuestions, c.Moderated, c.Anonymous }

// question validates a question's text and returns its stored form:
// line breaks and tabs become spaces, then the nickname normalisation
// (NFKC, no format characters, trimmed, whitespace collapsed).
func (c *qaConfig) question(text string) (string, *Error) {
	if len(text) > 4*c.MaxLength+1024 { // before any work on a huge text
		return "", questionTooLong(c.MaxLength)
	}
	text = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(text)
	clean, err := nickname.Clean(text)
	switch {
	case err != nil:
		return "", &Error{Field: "text", Code: "text_invalid", Message: "The question contains control characters or invalid UTF-8."}
	case clean == "":
		return "", &Error{Field: "text", Code: "text_required", Message: "Write a question."}
	case !nickname.Visible(clean):
		return "", &Error{Field: "text", Code: "text_invalid", Message: "The question has no visible character."}
	case utf8.RuneCountInString(clean) > c.MaxLength:
		return "", questionTooLong(c.MaxLength)
	}
	return clean, nil
}

func questionTooLong(n int) *Error {
	return &Error{Field: "text", Code: "text_too_long", Message: fmt.Sprintf("A question is at most %d characters.", n)}
}

// questionResults orders the public questions (visible and answered;
// others are skipped) by pinned first, then votes, then time (oldest
// first), and keeps the top maxPublicQuestions. The author is named only
// when the Q&A is not anonymous.
func (c *qaConfig) questionResults(qs []Question) map[string]any {
	public := make([]Question, 0, len(qs))
	for _, q := range qs {
		if q.Status == QuestionVisible || q.Status == QuestionAnswered {
			public = append(public, q)
		}
	}
	slices.SortFunc(public, func(a, b Question) int {
		switch {
		case a.Pinned != b.Pinned:
			if a.Pinned {
				return -1
			}
			return 1
		case a.Votes != b.Votes:
			return cmp.Compare(b.Votes, a.Votes)
		case a.Created != b.Created:
			return cmp.Compare(a.Created, b.Created)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]publicQuestion, 0, min(len(public), maxPublicQuestions))
	for _, q := range public[:min(len(public), maxPublicQuestions)] {
		p := publicQuestion{ID: q.ID, Text: q.Text, Status: q.Status, Pinned: q.Pinned, Votes: q.Votes, Created: q.Created}
		if !c.Anonymous {
			author := q.Nickname
			p.Author = &author
		}
		out = append(out, p)
	}
	return map[string]any{"questions": out, "public": len(public)}
}
