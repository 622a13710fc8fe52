package hooks

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
)

// Positions of a session's activities are always exactly 1..n. The unique
// (session, position) index is the guarantee; the functions here keep the
// sequence dense and give clients friendly errors.

// placeNewActivity appends a new activity (position omitted or 0) or checks
// the position it asks for. Inserting in the middle is not offered: every
// position 1..n is taken, so the only free one is n+1.
func placeNewActivity(app core.App, r *core.Record) error {
	var row struct {
		Count int `db:"n"`
		Max   int `db:"top"`
		Taken int `db:"taken"`
	}
	pos := r.GetInt(c.ActivityPosition)
	err := app.DB().NewQuery(
		"SELECT COUNT(*) AS n, COALESCE(MAX([[" + c.ActivityPosition + "]]), 0) AS top, " +
			"COALESCE(SUM([[" + c.ActivityPosition + "]] = {:pos}), 0) AS taken " +
			"FROM {{" + c.Activities + "}} WHERE [[" + c.ActivitySession + "]] = {:session}",
	).Bind(dbx.Params{"pos": pos, "session": r.GetString(c.ActivitySession)}).One(&row)
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("count the activities of session %s: %w", r.GetString(c.ActivitySession), err))
	}
	switch {
	case pos == 0:
		r.Set(c.ActivityPosition, row.Max+1)
	case row.Taken > 0:
		return apierr.Invalid(c.ActivityPosition, "position_taken", fmt.Sprintf("Position %d is taken; omit the position to append.", pos))
	case pos > row.Count+1:
		return apierr.Invalid(c.ActivityPosition, "position_out_of_range",
			fmt.Sprintf("Position must be between 1 and %d; omit it to append.", row.Count+1))
	}
	return nil
}

// compactPositions closes the gap a deleted activity left at position
// gap. Moving the followers up one at a time in ascending order means every
// single-row UPDATE lands on a free position. It saves through app so the
// hooks and realtime see the new positions.
func compactPositions(app core.App, sessionID string, gap int) error {
	rest, err := app.FindRecordsByFilter(c.Activities, "session = {:session} && position > {:gap}", c.ActivityPosition, 0, 0,
		dbx.Params{"session": sessionID, "gap": gap})
	if err != nil {
		return apierr.ServerFault(fmt.Errorf("find the activities after position %d of session %s: %w", gap, sessionID, err))
	}
	for _, a := range rest {
		a.Set(c.ActivityPosition, a.GetInt(c.ActivityPosition)-1)
		if err := app.Save(a); err != nil {
			return err
		}
	}
	return nil
}
