package main

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// popen is the second baseline: what "a plain PocketBase create" means
// without qualification — a two-field record in a collection whose create
// rule is empty (anyone may create) and which has no relation to check.
// The rule-bearing collections of the first baseline follow the session
// relation as Conflicto's rules must; this one measures PocketBase's
// record create alone. The list rule stays superusers-only (the tool
// checks what was stored as the superuser).
func init() {
	m.Register(upPlainOpen, nil)
}

func upPlainOpen(app core.App) error {
	open := core.NewBaseCollection("popen")
	open.CreateRule = types.Pointer("")
	open.Fields.Add(
		&core.TextField{Name: "key", Required: true, Max: 64},
		&core.TextField{Name: "value", Required: true, Max: 64},
	)
	open.AddIndex("idx_popen_key", false, "`key`", "")
	return app.Save(open)
}
