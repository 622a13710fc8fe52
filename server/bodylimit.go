package server

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"conflicto/activity"
	c "conflicto/collections"
)

// PocketBase lets any request carry a body of up to 32 MiB (more for
// collections with file fields), and the strict-body check read it all
// before any route or auth could refuse it: a few anonymous 30 MB requests
// took the process to gigabytes. The custom routes set their own limit
// (routes.Register); record writes of Conflicto's collections get one here,
// sized from what a valid body can hold. Both refuse a declared
// Content-Length over the limit with 413 before reading a byte, and stop
// reading a body without one at the limit. PocketBase's own routes and
// multipart uploads (a host's avatar, the dashboard) keep PocketBase's
// limits.

// bodyOverhead is room for a record body's other members (ids, a title,
// JSON punctuation and escapes) beside its one large field.
const bodyOverhead = 16 << 10

// recordBodyLimits are the largest JSON bodies accepted for record creates
// and updates, by collection.
var recordBodyLimits = map[string]int64{
	c.Responses:    c.MaxValueSize + 4<<10, // the value, two ids and a score
	c.Activities:   activity.MaxConfigSize + bodyOverhead,
	c.Sessions:     64 << 10, // a 2,000-character description and the blocked words, every character escaped
	c.Participants: bodyOverhead,
	// A question's text is at most 500 characters (4 bytes each in UTF-8,
	// 12 as a \u escape pair), beside two ids.
	c.Questions:     c.MaxQuestionText*12 + 4<<10,
	c.QuestionVotes: 4 << 10,
	c.Users:         bodyOverhead,
}

func registerBodyLimits(app core.App) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id: "conflictoRecordBodyLimit",
			// After PocketBase's own limit, before the strict-body check
			// reads the body.
			Priority: apis.DefaultBodyLimitMiddlewarePriority + 1,
			Func:     limitRecordBody,
		})
		return e.Next()
	})
}

// limitRecordBody applies recordBodyLimits to a JSON record write.
func limitRecordBody(e *core.RequestEvent) error {
	r := e.Request
	if r.Method != http.MethodPost && r.Method != http.MethodPatch && r.Method != http.MethodPut {
		return e.Next()
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return e.Next()
	}
	collection := recordWriteCollection(e.App, r.URL.Path)
	if collection == nil {
		return e.Next()
	}
	limit, ok := recordBodyLimits[collection.Name]
	if !ok {
		return e.Next()
	}
	// apis.BodyLimit checks Content-Length, wraps the body in a rereadable
	// limited reader and calls e.Next.
	return apis.BodyLimit(limit).Func(e)
}
