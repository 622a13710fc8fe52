package collections

import "strings"

// Session fields.
const (
	SessionTitle           = "title"
	SessionDescription     = "description"
	SessionStatus          = FieldStatus
	SessionCode            = "code"
	SessionOwner           = "owner"
	SessionMaxParticipants = "max_participants"
	SessionStartedAt       = FieldStartedAt
	SessionEndedAt         = FieldEndedAt
	// SessionBlockedWords is the host's own list of blocked words, on top
	// of the server's default list (package wordfilter).
	SessionBlockedWords = "blocked_words"
)

// SessionState is a session's status.
type SessionState string

// Session states.
const (
	SessionDraft     SessionState = "draft"
	SessionActive    SessionState = "active"
	SessionCompleted SessionState = "completed"
)

// SessionTransitions is the session state machine: draft → active → completed.
var SessionTransitions = Transitions[SessionState]{
	SessionDraft:     {SessionActive},
	SessionActive:    {SessionCompleted},
	SessionCompleted: {},
}

// CodeAlphabet is the alphabet of join codes: no 0/O, 1/I to misread.
const CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// CodeLength is the length of a join code.
const CodeLength = 6

// ValidCode reports whether code (already upper-cased) has the shape of a
// join code: CodeLength characters from CodeAlphabet.
func ValidCode(code string) bool {
	if len(code) != CodeLength {
		return false
	}
	for _, r := range code {
		if !strings.ContainsRune(CodeAlphabet, r) {
			return false
		}
	}
	return true
}
