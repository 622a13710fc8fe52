package collections

// Response fields.
const (
	ResponseActivity    = "activity"
	ResponseParticipant = "participant"
	ResponseValue       = "value"
	ResponseScore       = "score"
)

// IndexResponseOnce is the unique (activity, participant) index: one
// response per participant per activity.
const IndexResponseOnce = "idx_responses_activity_participant"

// MaxValueSize is the largest response value accepted, in bytes.
const MaxValueSize = 16 << 10
