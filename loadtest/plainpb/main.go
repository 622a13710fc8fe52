// Command plainpb is plain PocketBase v0.39.11 with three collections
// shaped like Conflicto's (psessions, pparticipants, presponses) and
// nothing else: no hooks, no custom routes. It is the baseline the load
// tool compares Conflicto with:
//
//	go run ./loadtest/plainpb serve --http 127.0.0.1:8091 --dir /tmp/plainpb
//
// Like Conflicto, it creates (or updates) a superuser at start from
// CONFLICTO_SUPERUSER_EMAIL and CONFLICTO_SUPERUSER_PASSWORD, so that both
// servers are started the same way.
package main

import (
	"database/sql"
	"errors"
	"log"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
)

func main() {
	app := pocketbase.New()
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		email, password := os.Getenv("CONFLICTO_SUPERUSER_EMAIL"), os.Getenv("CONFLICTO_SUPERUSER_PASSWORD")
		if email != "" && password != "" {
			if err := ensureSuperuser(e.App, email, password); err != nil {
				return err
			}
		}
		return e.Next()
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// ensureSuperuser creates the superuser, or resets its password.
func ensureSuperuser(app core.App, email, password string) error {
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, email)
	if errors.Is(err, sql.ErrNoRows) {
		collection, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			return err
		}
		record = core.NewRecord(collection)
		record.SetEmail(email)
	} else if err != nil {
		return err
	}
	record.SetPassword(password)
	return app.Save(record)
}
