package collections

import "time"

// Participant fields.
const (
	ParticipantSession     = FieldSession
	ParticipantNickname    = "nickname"
	ParticipantNicknameKey = "nickname_key"
	ParticipantLastSeen    = "last_seen"
	// ParticipantBanned is set by the ban route only: a banned
	// participant's token no longer works and the record stays.
	ParticipantBanned = "banned"
	// ParticipantPresence is computed on read, not stored.
	ParticipantPresence = "presence"
)

// IndexParticipantNickname is the unique (session, nickname_key) index.
const IndexParticipantNickname = "idx_participants_session_nickname"

// Presence values.
const (
	PresenceOnline  = "online"
	PresenceIdle    = "idle"
	PresenceOffline = "offline"
)

// LastSeenResolution is how stale last_seen may get before a sign of life
// writes it again: at most one write per participant per this period.
const LastSeenResolution = 10 * time.Second

// Presence derives a participant's presence from when they were last seen.
func Presence(lastSeen, now time.Time) string {
	if lastSeen.IsZero() {
		return PresenceOffline
	}
	switch age := now.Sub(lastSeen); {
	case age < 30*time.Second:
		return PresenceOnline
	case age < 120*time.Second:
		return PresenceIdle
	default:
		return PresenceOffline
	}
}
