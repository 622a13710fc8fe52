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
)

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
