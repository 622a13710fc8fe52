package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	c "conflicto/collections"
)

// Moderation (issue 14): a participant can be banned, and a session has
// its own blocked words on top of the server's default list.
//
//   - participants.banned: set by POST /api/participants/{id}/ban only
//     (participants' create and update rules are superusers-only, so no
//     participant can set it); the record stays, so the host sees who was
//     banned, the export keeps their answers and their nickname key stays
//     taken in the session.
//   - sessions.blocked_words: a JSON list of words the host adds to the
//     server's filter (nicknames, word-cloud words, questions); validated
//     and stored normalised by hooks/sessions.go.
func init() {
	m.Register(upModeration, downModeration)
}

// maxBlockedWordsSize bounds the stored list: 100 words of 40 characters
// of up to 4 bytes each, with the JSON around them.
const maxBlockedWordsSize = 20 << 10

func upModeration(app core.App) error {
	participants, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		return err
	}
	participants.Fields.Add(&core.BoolField{Name: c.ParticipantBanned})
	if err := app.Save(participants); err != nil {
		return err
	}
	sessions, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		return err
	}
	sessions.Fields.Add(&core.JSONField{Name: c.SessionBlockedWords, MaxSize: maxBlockedWordsSize})
	return app.Save(sessions)
}

func downModeration(app core.App) error {
	participants, err := app.FindCollectionByNameOrId(c.Participants)
	if err != nil {
		return err
	}
	participants.Fields.RemoveByName(c.ParticipantBanned)
	if err := app.Save(participants); err != nil {
		return err
	}
	sessions, err := app.FindCollectionByNameOrId(c.Sessions)
	if err != nil {
		return err
	}
	sessions.Fields.RemoveByName(c.SessionBlockedWords)
	return app.Save(sessions)
}
