package collections

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
)

// BlockedWords is the session's own list of blocked words (stored
// normalised by the session hooks); nil when it is empty or unreadable.
func (s *Session) BlockedWords() []string { return DecodeWords(RawJSON(s.Record, SessionBlockedWords)) }

// DecodeWords reads a stored blocked_words value: a JSON list of strings.
// Anything else (null, empty, not a list) is no words.
func DecodeWords(raw []byte) []string {
	var words []string
	if len(raw) == 0 || json.Unmarshal(raw, &words) != nil {
		return nil
	}
	return words
}

// Banned reports whether the session's host banned the participant.
func (p *Participant) Banned() bool { return p.GetBool(ParticipantBanned) }

// IsBanned reports whether an auth record is a banned participant.
func IsBanned(auth *core.Record) bool {
	return auth != nil && auth.Collection().Name == Participants && auth.GetBool(ParticipantBanned)
}

// FindParticipant finds a participant by id.
func FindParticipant(app core.App, id string) (*Participant, error) {
	r, err := app.FindRecordById(Participants, id)
	if err != nil {
		return nil, err
	}
	return AsParticipant(r), nil
}
