package collections

// Activity fields.
const (
	ActivitySession   = FieldSession
	ActivityType      = "type"
	ActivityTitle     = "title"
	ActivityConfig    = "config"
	ActivityPosition  = "position"
	ActivityStatus    = FieldStatus
	ActivityRevealed  = "revealed"
	ActivityStartedAt = FieldStartedAt
	ActivityEndedAt   = FieldEndedAt
	// ActivityNotes are the host's speaker notes: only the session's owner
	// (and superusers) ever read them (hooks/activities_notes.go).
	ActivityNotes = "notes"
)

// MaxNotesLength is the longest speaker note, in characters.
const MaxNotesLength = 2000

// ActivityState is an activity's status.
type ActivityState string

// Activity states.
const (
	ActivityDraft   ActivityState = "draft"
	ActivityActive  ActivityState = "active"
	ActivityExpired ActivityState = "expired"
)

// ActivityTransitions is the activity state machine: draft → active → expired.
var ActivityTransitions = Transitions[ActivityState]{
	ActivityDraft:   {ActivityActive},
	ActivityActive:  {ActivityExpired},
	ActivityExpired: {},
}

// Index names the hooks match on unique violations.
const (
	IndexActivityPosition  = "idx_activities_session_position"
	IndexActivityOneActive = "idx_activities_one_active"
)
