package live

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"

	"conflicto/apierr"
	c "conflicto/collections"
	"conflicto/config"
)

// Register creates the app's hub and binds what feeds it: the record
// changes that show in the live state (after commit), the welcome document
// of a new realtime subscriber of live/{code}, and the stop on terminate.
// The routes that read it (GET /api/live/{code}, its QR code) are in
// routes. The hub lives as long as the app.
//
// Choices where docs/API.md had to decide:
//   - The current activity is the active one, else the one that ended last
//     (drafts never show), so a revealed question stays on the screen until
//     the next starts, also after the session completes.
//   - A participant token of another session gets the public document
//     without `me`, like an anonymous reader; the topic never carries `me`.
//   - version is a counter seeded with the clock in microseconds, so it also
//     grows across restarts.
//   - Topic names are matched case-insensitively like codes: a client that
//     subscribes to live/abc123 (or with the SDK's ?options= suffix) gets
//     its messages under the exact name it used.
//   - The public leaderboard counts revealed quizzes only; the host's counts
//     every quiz.
//   - A subscribe naming more than MaxTopicsPerClient distinct live topics
//     is refused (400, data.subscriptions.code too_many_live_topics) and
//     the client keeps its previous subscriptions; the same name twice in
//     one request gets one welcome.
func Register(app core.App, cfg config.Config, opts ...Option) *Hub {
	h := New(app, Build(cfg.PublicURL), opts...)
	h.SetRetention(cfg.LiveRetention)
	bindTriggers(app, h)
	bindRealtime(app, h)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		h.Stop()
		return e.Next()
	})
	return h
}

// bindRealtime keeps the hub's index of subscribers with the realtime
// clients' subscribes and connections, and welcomes every subscriber.
func bindRealtime(app core.App, h *Hub) {
	app.OnRealtimeSubscribeRequest().BindFunc(func(e *core.RealtimeSubscribeRequestEvent) error {
		// A subscribe replaces the client's subscriptions: the request
		// holds all of them.
		names := liveTopics(e.Subscriptions)
		if len(names) > MaxTopicsPerClient {
			return apierr.BadRequest("subscriptions", "too_many_live_topics",
				fmt.Sprintf("A realtime client may subscribe to at most %d live topics.", MaxTopicsPerClient))
		}
		if err := e.Next(); err != nil {
			return err
		}
		h.keepTopics(e.Client, names)
		for _, name := range names {
			h.Welcome(e.Client, name)
		}
		return nil
	})
	app.OnRealtimeConnectRequest().BindFunc(func(e *core.RealtimeConnectRequestEvent) error {
		err := e.Next()
		h.Unfollow(e.Client) // the connection is over
		return err
	})
}

// bindTriggers marks sessions dirty after every committed change that
// shows in the live state. None of them queries the database.
func bindTriggers(app core.App, h *Hub) {
	session := func(e *core.RecordEvent) error {
		h.RememberSession(e.Record.Id, e.Record.GetString(c.SessionCode))
		h.MarkDirty(e.Record.Id)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Sessions).BindFunc(session)
	app.OnRecordAfterUpdateSuccess(c.Sessions).BindFunc(session)
	app.OnRecordAfterDeleteSuccess(c.Sessions).BindFunc(func(e *core.RecordEvent) error {
		h.ForgetSession(e.Record.Id)
		return e.Next()
	})

	act := func(e *core.RecordEvent) error {
		sessionID := e.Record.GetString(c.ActivitySession)
		h.RememberActivity(e.Record.Id, sessionID)
		h.MarkDirty(sessionID)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Activities).BindFunc(act)
	app.OnRecordAfterUpdateSuccess(c.Activities).BindFunc(act)
	app.OnRecordAfterDeleteSuccess(c.Activities).BindFunc(func(e *core.RecordEvent) error {
		h.ForgetActivity(e.Record.Id)
		h.MarkDirty(e.Record.GetString(c.ActivitySession))
		return e.Next()
	})

	// Only joins, kicks and bans change the count; last_seen updates do
	// not (they are raw writes, and no Save's hook sees them). Updates
	// are otherwise rare (a ban, a superuser's edit), so each marks.
	participant := func(e *core.RecordEvent) error {
		h.MarkTally(e.Record.GetString(c.ParticipantSession))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Participants).BindFunc(participant)
	app.OnRecordAfterUpdateSuccess(c.Participants).BindFunc(participant)
	app.OnRecordAfterDeleteSuccess(c.Participants).BindFunc(participant)

	response := func(e *core.RecordEvent) error {
		h.MarkActivity(e.Record.GetString(c.ResponseActivity))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Responses).BindFunc(response)
	app.OnRecordAfterUpdateSuccess(c.Responses).BindFunc(response)
	app.OnRecordAfterDeleteSuccess(c.Responses).BindFunc(response)

	// A Q&A's public questions are its results: asking, moderating,
	// withdrawing and voting change them. A vote carries its question's
	// activity, so no mark needs a query.
	question := func(e *core.RecordEvent) error {
		h.MarkActivity(e.Record.GetString(c.QuestionActivity))
		return e.Next()
	}
	vote := func(e *core.RecordEvent) error {
		h.MarkActivity(e.Record.GetString(c.VoteActivity))
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(c.Questions).BindFunc(question)
	app.OnRecordAfterUpdateSuccess(c.Questions).BindFunc(question)
	app.OnRecordAfterDeleteSuccess(c.Questions).BindFunc(question)
	app.OnRecordAfterCreateSuccess(c.QuestionVotes).BindFunc(vote)
	app.OnRecordAfterDeleteSuccess(c.QuestionVotes).BindFunc(vote)
}
