// Package collections names Conflicto's collections and fields and holds
// their state machines as data. It is the vocabulary the hooks and the
// migrations share; what talks to the database here is the finders
// (queries.go) and the aggregate queries (results.go).
package collections

// Collection names.
const (
	Users        = "users"
	Sessions     = "sessions"
	Activities   = "activities"
	Participants = "participants"
	Responses    = "responses"
	// Questions and QuestionVotes hold a Q&A's questions and their upvotes.
	Questions     = "questions"
	QuestionVotes = "question_votes"
)

// Field names shared by several collections.
const (
	FieldSession   = "session"
	FieldStatus    = "status"
	FieldStartedAt = "started_at"
	FieldEndedAt   = "ended_at"
	FieldCreated   = "created"
	FieldUpdated   = "updated"
)

// Transitions is a state machine as data: for each state, the states it may
// move to. A state missing from the map is unknown.
type Transitions[S ~string] map[S][]S

// CanTransition reports whether a record may move from one state to
// another. Staying in the same state is not a transition and is allowed
// for known states.
func (t Transitions[S]) CanTransition(from, to S) bool {
	next, ok := t[from]
	if !ok {
		return false
	}
	if from == to {
		return true
	}
	for _, s := range next {
		if s == to {
			return true
		}
	}
	return false
}

// Known reports whether s is a state of the machine.
func (t Transitions[S]) Known(s S) bool {
	_, ok := t[s]
	return ok
}
