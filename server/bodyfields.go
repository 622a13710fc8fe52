package server

import (
	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
)

// The fields a record body may carry are read from the collection's schema
// on each request (PocketBase keeps the collections cached and reloads them
// when one is saved), so a field added in the dashboard or a migration is
// accepted as soon as it exists, with the JSON shape its type takes.

// fieldKind is the JSON shape a field accepts.
type fieldKind int

const (
	kindLine    fieldKind = iota // string without control characters
	kindText                     // string; newlines and tabs allowed
	kindInt                      // integral JSON number
	kindNumber                   // any JSON number
	kindBool                     // true or false
	kindID                       // string (a relation, a select value, a date)
	kindIDs                      // a string or an array of them (a multiple relation, select or file)
	kindJSON                     // any JSON; PocketBase or the hooks validate it
	kindIgnored                  // sent back by the dashboard; the server sets it
)

// maxLineLength is the longest text field taken for a single line: titles
// and names (at most 300 characters in Conflicto's schema, 255 for the
// hosts' name) are one line; longer or unbounded text is prose, where line
// breaks and tabs are content.
const maxLineLength = 500

// systemFields are the members PocketBase puts in every exported record,
// which the dashboard sends back whole: only the id is a request's to
// choose (on create), the rest is PocketBase's.
var systemFields = map[string]fieldKind{
	core.FieldNameId: kindID, core.FieldNameCollectionId: kindIgnored, core.FieldNameCollectionName: kindIgnored,
	c.FieldCreated: kindIgnored, c.FieldUpdated: kindIgnored, core.FieldNameExpand: kindIgnored,
}

// authFormFields are the members an auth record's body carries beside its
// schema: PocketBase reads them to set or change the password.
var authFormFields = map[string]fieldKind{
	core.FieldNamePassword + "Confirm": kindID, "oldPassword": kindID,
}

// fieldExceptions override the schema for fields whose policy no schema
// property tells apart.
var fieldExceptions = map[string]map[string]fieldKind{
	c.Questions: {
		// Hidden so that no one filters on it (an anonymous Q&A), but the
		// participant names themselves on create: the create hook checks it.
		c.QuestionParticipant: kindID,
		// One line once stored, but a phone's text area may send line
		// breaks: the question rules turn them into spaces.
		c.QuestionText: kindText,
	},
	c.Participants: {
		// As short as a title, but the nickname rules refuse control
		// characters themselves, so tabs and newlines are left to them and
		// get their nickname_invalid code.
		c.ParticipantNickname: kindText,
		// The hooks derive the key from the nickname (it is in the schema,
		// hidden) and compute the presence on read (it is not): both come
		// back from the dashboard and are not the request's to set.
		c.ParticipantNicknameKey: kindIgnored,
		c.ParticipantPresence:    kindIgnored,
	},
}

// isStrict reports whether record writes to collection have their bodies
// checked: Conflicto's collections and any a superuser adds, but not
// PocketBase's own (superusers, MFA, OTPs…) nor views, which take no
// writes.
func isStrict(collection *core.Collection) bool {
	return !collection.System && !collection.IsView()
}

// takesMultipart reports whether collection's records may be sent as
// multipart forms: only a form can upload a file.
func takesMultipart(collection *core.Collection) bool {
	for _, f := range collection.Fields {
		if f.Type() == core.FieldTypeFile {
			return true
		}
	}
	return false
}

// recordFieldKind returns the kind of the body member name for a record of
// collection; ok is false for a member no request may carry.
func recordFieldKind(collection *core.Collection, name string) (kind fieldKind, ok bool) {
	if kind, ok := fieldExceptions[collection.Name][name]; ok {
		return kind, true
	}
	if collection.IsAuth() {
		if name == core.FieldNameTokenKey {
			// The secret behind the record's tokens: PocketBase sets it and
			// never exports it, so no client has one to send.
			return 0, false
		}
		if kind, ok := authFormFields[name]; ok {
			return kind, true
		}
	}
	if kind, ok := systemFields[name]; ok {
		return kind, true
	}
	if f := collection.Fields.GetByName(name); f != nil {
		return schemaKind(f), true
	}
	return 0, false
}

// schemaKind is the JSON shape PocketBase's field type takes, as strict as
// the type allows: PocketBase itself casts 123 to "123" and "1" to true.
func schemaKind(f core.Field) fieldKind {
	if m, ok := f.(core.MultiValuer); ok && m.IsMultiple() {
		return kindIDs
	}
	switch f := f.(type) {
	case *core.TextField:
		if f.Max > 0 && f.Max <= maxLineLength {
			return kindLine
		}
		return kindText
	case *core.EditorField:
		return kindText
	case *core.NumberField:
		if f.OnlyInt {
			return kindInt
		}
		return kindNumber
	case *core.BoolField:
		return kindBool
	case *core.SelectField, *core.RelationField, *core.FileField,
		*core.DateField, *core.EmailField, *core.URLField, *core.PasswordField:
		return kindID
	case *core.AutodateField:
		return kindIgnored
	default: // JSON, geo points and field types added later: PocketBase validates them
		return kindJSON
	}
}

// serverOnly reports whether the member name is a hidden field of
// collection, which only superusers may send. PocketBase drops a hidden
// field from a non-superuser's body without a word; Conflicto hides the
// fields the server sets (a quiz answer's score), so a client that sends
// one is told (read_only) rather than ignored. An auth record's password is
// hidden too but is the client's to set.
func serverOnly(collection *core.Collection, name string) bool {
	if _, ok := fieldExceptions[collection.Name][name]; ok {
		return false
	}
	if collection.IsAuth() && name == core.FieldNamePassword {
		return false
	}
	f := collection.Fields.GetByName(name)
	return f != nil && f.GetHidden()
}
