package activity

import (
	"fmt"
	"time"
)

// config is a parsed, valid config of one type: what every type answers.
type config interface {
	// answer validates a value and returns its canonical form, ready to marshal.
	answer(value []byte, serverBlocklist []string) (any, *Error)
	public(revealed bool) map[string]any
	resultsPublic(revealed bool) bool
	results(groups []Group, named []NamedAnswer, revealed bool) map[string]any
	// labels says what a stored (canonical) answer reads as: option texts,
	// a card, words; nil when it does not decode.
	labels(value []byte) []string
}

// timed is a config whose answers close a time after the activity started.
type timed interface {
	timeLimit() time.Duration
}

// scorer is a config whose answers earn points.
type scorer interface {
	score(answer any, elapsed time.Duration) int
}

// asker is a config whose activity takes questions (a Q&A) instead of
// answers.
type asker interface {
	question(text string) (string, *Error)
	questionResults(qs []Question) map[string]any
	limits() (maxQuestions int, moderated, anonymous bool)
}

// spec is what a type is beyond its config.
type spec struct {
	typ   Type
	parse func(raw []byte) (config, *Error)
	// final: an answer cannot be changed once sent.
	final bool
	// resettable: the host may clear the answers and answer again (a re-vote).
	resettable bool
	// scored: answers carry a score, which no participant may learn
	// before the reveal; the leaderboard adds the scores up.
	scored bool
	// namedVotes: revealed results list who answered what.
	namedVotes bool
	// schemas describes the type's JSON for the API reference (doc.go).
	schemas func() TypeSchemas
}

// registry lists the types, in the order Types returns them.
var registry = []spec{
	{typ: Poll, parse: func(raw []byte) (config, *Error) { return parsePoll(raw) }, schemas: pollSchemas},
	{typ: Poker, parse: func(raw []byte) (config, *Error) { return parsePoker(raw) }, resettable: true, namedVotes: true, schemas: pokerSchemas},
	{typ: Quiz, parse: func(raw []byte) (config, *Error) { return parseQuiz(raw) }, final: true, scored: true, schemas: quizSchemas},
	{typ: Wordcloud, parse: func(raw []byte) (config, *Error) { return parseWordcloud(raw) }, schemas: wordcloudSchemas},
	{typ: QA, parse: func(raw []byte) (config, *Error) { return parseQA(raw) }, schemas: qaSchemas},
}

func specOf(t Type) *spec {
	for i := range registry {
		if registry[i].typ == t {
			return &registry[i]
		}
	}
	return nil
}

// Scored reports whether answers of type t carry a score (false for an
// unknown type): the score stays hidden from participants until the reveal.
func (t Type) Scored() bool {
	s := specOf(t)
	return s != nil && s.scored
}

// ScoredTypes lists the types whose answers carry a score, for the
// leaderboard.
func ScoredTypes() []Type {
	var out []Type
	for _, s := range registry {
		if s.scored {
			out = append(out, s.typ)
		}
	}
	return out
}

// Rules is one activity's type and parsed config: every rule that depends
// on them. Parse it once per request and ask it everything.
type Rules struct {
	spec *spec
	cfg  config
}

// Answer is a validated answer: its canonical JSON and its parsed form.
type Answer struct {
	JSON   []byte
	parsed any
}

// Parse validates a raw JSON config of type t (an empty raw config or JSON
// null counts as {}: all defaults) and returns its rules. A config over
// MaxConfigSize bytes is refused.
func Parse(t Type, raw []byte) (*Rules, *Error) {
	s := specOf(t)
	if s == nil {
		return nil, &Error{Field: "type", Code: "invalid_type", Message: fmt.Sprintf("Unknown activity type %q.", t)}
	}
	if len(raw) > MaxConfigSize {
		return nil, configTooLarge()
	}
	cfg, err := s.parse(raw)
	if err != nil {
		return nil, err
	}
	return &Rules{spec: s, cfg: cfg}, nil
}

// Type is the activity type.
func (r *Rules) Type() Type { return r.spec.typ }

// Config is the canonical JSON of the config, every default filled in.
func (r *Rules) Config() []byte { return marshal(r.cfg) }

// Validate checks a raw JSON answer and returns its canonical form (poll
// choices sorted ascending; wordcloud words normalised, case-folded and
// sorted). sessionWords is the session's own list of blocked words (its
// blocked_words), applied to word clouds on top of the config's blocklist
// and the server's default list (package wordfilter).
func (r *Rules) Validate(value []byte, sessionWords []string) (Answer, *Error) {
	if len(value) > MaxValueSize {
		return Answer{}, valueTooLarge()
	}
	v, err := r.cfg.answer(value, sessionWords)
	if err != nil {
		return Answer{}, err
	}
	out := marshal(v)
	if len(out) > MaxValueSize {
		return Answer{}, valueTooLarge()
	}
	return Answer{JSON: out, parsed: v}, nil
}

// Score is the score of a validated answer sent elapsed after the activity
// started; scored is false for types whose answers carry no score.
func (r *Rules) Score(a Answer, elapsed time.Duration) (score int, scored bool) {
	s, ok := r.cfg.(scorer)
	if !ok || !r.spec.scored {
		return 0, false
	}
	return s.score(a.parsed, elapsed), true
}

// Deadline is when answers close for an activity that started at started;
// ok is false when answers never close by time.
func (r *Rules) Deadline(started time.Time) (deadline time.Time, ok bool) {
	t, timed := r.cfg.(timed)
	if !timed || started.IsZero() {
		return time.Time{}, false
	}
	return started.Add(t.timeLimit()), true
}

// Final reports whether an answer, once sent, cannot be changed.
func (r *Rules) Final() bool { return r.spec.final }

// Resettable reports whether the host may clear the answers for a new round.
func (r *Rules) Resettable() bool { return r.spec.resettable }

// Scored reports whether answers carry a score (see Type.Scored).
func (r *Rules) Scored() bool { return r.spec.scored }

// NamedVotes reports whether the results need the named votes (who
// answered what), which only a revealed poker round shows.
func (r *Rules) NamedVotes(revealed bool) bool { return r.spec.namedVotes && revealed }

// Public returns the config fields safe to show everyone: a quiz's
// "correct" only once revealed, never a word cloud's blocklist.
func (r *Rules) Public(revealed bool) map[string]any { return r.cfg.public(revealed) }

// ResultsPublic reports whether the results may be shown to everyone: a
// poll's when live_results or revealed, poker's and a quiz's only when
// revealed, a word cloud's always.
func (r *Rules) ResultsPublic(revealed bool) bool { return r.cfg.resultsPublic(revealed) }

// Results builds the results document of one activity from its responses
// grouped by canonical value (groups) and, where NamedVotes, the named
// answers.
// It is a map so the results route can add its own keys (activity, status, ...):
//
//	poll       counts (one per option, in option order), voters
//	poker      voters; after reveal also votes [{nickname, card}], distribution
//	           {card: count} over the whole deck in deck order, average and
//	           median of the numeric cards (null without numeric votes), consensus
//	quiz       counts, answered, correct_count; after reveal also correct
//	wordcloud  words [{text, count}]: top 100 by count desc, then text asc
//
// Groups whose value does not decode are skipped.
func (r *Rules) Results(groups []Group, named []NamedAnswer, revealed bool) map[string]any {
	return r.cfg.results(groups, named, revealed)
}

// Labels returns what a stored answer reads as, for people (the export):
// a poll's chosen option texts in option order, a poker card, a quiz's
// chosen option text, a word cloud's words. The value is the canonical JSON
// Validate returned; a value that does not decode, or names an option the
// config lacks, yields nil (for that option, nothing).
func (r *Rules) Labels(value []byte) []string { return r.cfg.labels(value) }

// Questions reports whether the activity takes questions (the questions
// collection, with votes) instead of answers.
func (r *Rules) Questions() bool {
	_, ok := r.cfg.(asker)
	return ok
}

// Question validates a question's text for an activity that takes
// questions and returns its stored form; for any other activity the error
// is questions_unsupported on the activity field.
func (r *Rules) Question(text string) (string, *Error) {
	a, ok := r.cfg.(asker)
	if !ok {
		return "", questionsUnsupported()
	}
	return a.question(text)
}

// QuestionLimit is how many questions one participant may ask (0 for an
// activity that takes none).
func (r *Rules) QuestionLimit() int {
	a, ok := r.cfg.(asker)
	if !ok {
		return 0
	}
	n, _, _ := a.limits()
	return n
}

// Moderated reports whether a new question waits for the host's approval.
func (r *Rules) Moderated() bool {
	a, ok := r.cfg.(asker)
	if !ok {
		return false
	}
	_, moderated, _ := a.limits()
	return moderated
}

// Anonymous reports whether a question's author stays hidden from everyone
// but the host.
func (r *Rules) Anonymous() bool {
	a, ok := r.cfg.(asker)
	if !ok {
		return false
	}
	_, _, anonymous := a.limits()
	return anonymous
}

// QuestionResults builds the results of an activity that takes questions
// from its questions (any order, any status):
//
//	qa  questions [{id, text, status, pinned, votes, created, author}]: the
//	    public ones (visible, answered) by pinned, then votes (most first),
//	    then time (oldest first), at most 200; author is the nickname, or
//	    null when anonymous. public: how many public questions there are.
//
// For an activity that takes none it is the type's results of no answers.
func (r *Rules) QuestionResults(qs []Question) map[string]any {
	a, ok := r.cfg.(asker)
	if !ok {
		return r.cfg.results(nil, nil, false)
	}
	return a.questionResults(qs)
}

func questionsUnsupported() *Error {
	return &Error{Field: "activity", Code: "questions_unsupported", Message: "This activity does not take questions."}
}

func valueTooLarge() *Error {
	return &Error{Field: "value", Code: "value_too_large", Message: fmt.Sprintf("Value must be at most %d bytes.", MaxValueSize)}
}
