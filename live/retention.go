package live

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
)

// A completed session's live state is public to anyone holding its code;
// it stays readable for the retention (CONFLICTO_LIVE_RETENTION, time for
// the results screen and late readers) and then answers as an unknown code
// would. The host keeps the results and the export.

// SetRetention makes a completed session's live state unavailable once
// retention has passed since it ended. Without it (the default of New)
// the live state is served for ever.
func (h *Hub) SetRetention(retention time.Duration) {
	h.mu.Lock()
	h.retention, h.retain = retention, true
	h.mu.Unlock()
}

// Retired reports whether the session's live state is no longer served:
// it was completed more than the retention ago (a completed session
// without ended_at counts as ended long ago). One read by primary key.
func (h *Hub) Retired(sessionID string) (bool, error) {
	h.mu.Lock()
	retention, retain := h.retention, h.retain
	h.mu.Unlock()
	if !retain {
		return false, nil
	}
	var session struct {
		Status  string         `db:"status"`
		EndedAt types.DateTime `db:"ended_at"`
	}
	err := h.app.DB().Select(c.SessionStatus, c.SessionEndedAt).From(c.Sessions).
		Where(dbx.HashExp{"id": sessionID}).One(&session)
	if err != nil {
		return false, err
	}
	if c.SessionState(session.Status) != c.SessionCompleted {
		return false, nil
	}
	return session.EndedAt.IsZero() || h.opts.clock.Now().After(session.EndedAt.Time().Add(retention)), nil
}
