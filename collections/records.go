package collections

import (
	"bytes"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/activity"
)

// Typed records: each wraps a *core.Record of its collection, as
// PocketBase's own core.MFA or core.OTP do, and reads its fields by name
// once here instead of by string in every hook.
var (
	_ core.RecordProxy = (*Session)(nil)
	_ core.RecordProxy = (*Activity)(nil)
	_ core.RecordProxy = (*Participant)(nil)
	_ core.RecordProxy = (*Response)(nil)
)

// Session is a sessions record.
type Session struct{ core.BaseRecordProxy }

// AsSession wraps a sessions record.
func AsSession(r *core.Record) *Session {
	s := &Session{}
	s.SetProxyRecord(r)
	return s
}

// Title is the session's title.
func (s *Session) Title() string { return s.GetString(SessionTitle) }

// Status is the session's state.
func (s *Session) Status() SessionState { return SessionState(s.GetString(SessionStatus)) }

// Code is the join code (upper case).
func (s *Session) Code() string { return s.GetString(SessionCode) }

// OwnerID is the id of the host who owns the session.
func (s *Session) OwnerID() string { return s.GetString(SessionOwner) }

// MaxParticipants is the session's own cap; 0 means the server's.
func (s *Session) MaxParticipants() int { return s.GetInt(SessionMaxParticipants) }

// Activity is an activities record.
type Activity struct{ core.BaseRecordProxy }

// AsActivity wraps an activities record.
func AsActivity(r *core.Record) *Activity {
	a := &Activity{}
	a.SetProxyRecord(r)
	return a
}

// SessionID is the id of the activity's session.
func (a *Activity) SessionID() string { return a.GetString(ActivitySession) }

// Type is the activity type.
func (a *Activity) Type() activity.Type { return activity.Type(a.GetString(ActivityType)) }

// Status is the activity's state.
func (a *Activity) Status() ActivityState { return ActivityState(a.GetString(ActivityStatus)) }

// Position is the activity's place in its session, from 1.
func (a *Activity) Position() int { return a.GetInt(ActivityPosition) }

// Revealed reports whether the host revealed the results.
func (a *Activity) Revealed() bool { return a.GetBool(ActivityRevealed) }

// StartedAt is when the activity became active (zero before).
func (a *Activity) StartedAt() time.Time { return a.GetDateTime(ActivityStartedAt).Time() }

// Config is the raw JSON config. PocketBase stores an empty form value of a
// JSON field as "", which counts as missing, like null.
func (a *Activity) Config() []byte {
	raw := RawJSON(a.Record, ActivityConfig)
	if t := bytes.TrimSpace(raw); string(t) == `""` {
		return nil
	}
	return raw
}

// Rules parses the activity's type and config. A stored activity's config
// is canonical, so an error here is the server's fault.
func (a *Activity) Rules() (*activity.Rules, error) {
	r, err := activity.Parse(a.Type(), a.Config())
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Participant is a participants record.
type Participant struct{ core.BaseRecordProxy }

// AsParticipant wraps a participants record.
func AsParticipant(r *core.Record) *Participant {
	p := &Participant{}
	p.SetProxyRecord(r)
	return p
}

// SessionID is the id of the session the participant joined.
func (p *Participant) SessionID() string { return p.GetString(ParticipantSession) }

// Nickname is the nickname as shown.
func (p *Participant) Nickname() string { return p.GetString(ParticipantNickname) }

// Response is a responses record: one participant's answer to one activity.
type Response struct{ core.BaseRecordProxy }

// AsResponse wraps a responses record.
func AsResponse(r *core.Record) *Response {
	x := &Response{}
	x.SetProxyRecord(r)
	return x
}

// ActivityID is the id of the activity answered.
func (r *Response) ActivityID() string { return r.GetString(ResponseActivity) }

// ParticipantID is the id of the participant who answered.
func (r *Response) ParticipantID() string { return r.GetString(ResponseParticipant) }

// Value is the raw JSON of the answer.
func (r *Response) Value() []byte { return RawJSON(r.Record, ResponseValue) }

// RawJSON returns the raw JSON of a json field of r.
func RawJSON(r *core.Record, field string) []byte {
	switch v := r.GetRaw(field).(type) {
	case types.JSONRaw:
		return v
	case []byte:
		return v
	case string:
		return []byte(v)
	case nil:
		return nil
	}
	return []byte(r.GetString(field))
}

// DateString formats t like PocketBase formats its date fields.
func DateString(t time.Time) string {
	d, _ := types.ParseDateTime(t)
	return d.String()
}

// NullableDate is d as PocketBase formats it, or nil (JSON null) when zero.
func NullableDate(d types.DateTime) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}
