package server

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"conflicto/config"
)

// usersCollection is PocketBase's default auth collection, used for hosts.
const usersCollection = "users"

// registerAuth applies the access settings at every start: the installer
// link only in development, host sign-up as configured, and the superuser
// from the environment.
func registerAuth(app core.App, cfg config.Config, logger *slog.Logger) {
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if cfg.Env != config.EnvDevelopment {
			// PocketBase's installer prints a link carrying a live
			// superuser-creation token to stdout, that is into the logs.
			// Outside development the superuser comes from
			// CONFLICTO_SUPERUSER_* or `conflicto superuser upsert`.
			e.InstallerFunc = nil
		}
		if err := SyncSignupRule(e.App, cfg.AllowSignup); err != nil {
			return err
		}
		if cfg.SuperuserEmail != "" {
			created, err := EnsureSuperuser(e.App, cfg.SuperuserEmail, cfg.SuperuserPassword)
			if err != nil {
				return err
			}
			logger.Info("superuser ensured", "email", cfg.SuperuserEmail, "created", created)
		}
		return e.Next()
	})
}

// SyncSignupRule opens (allow) or closes host self-registration: the
// users collection's create rule becomes public or superusers-only.
func SyncSignupRule(app core.App, allow bool) error {
	users, err := app.FindCollectionByNameOrId(usersCollection)
	if err != nil {
		return fmt.Errorf("find users collection: %w", err)
	}
	var want *string
	if allow {
		want = types.Pointer("")
	}
	if (users.CreateRule == nil) == (want == nil) && (want == nil || *users.CreateRule == *want) {
		return nil
	}
	users.CreateRule = want
	if err := app.Save(users); err != nil {
		return fmt.Errorf("save users create rule: %w", err)
	}
	return nil
}

// EnsureSuperuser creates the superuser with email, or sets its password
// when it exists with another one. It reports whether it created it.
func EnsureSuperuser(app core.App, email, password string) (bool, error) {
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, email)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		collection, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			return false, fmt.Errorf("find superusers collection: %w", err)
		}
		record = core.NewRecord(collection)
		record.SetEmail(email)
		record.SetPassword(password)
		if err := app.Save(record); err != nil {
			return false, fmt.Errorf("create superuser: %w", err)
		}
		return true, nil
	case err != nil:
		return false, fmt.Errorf("find superuser: %w", err)
	}
	if record.ValidatePassword(password) {
		return false, nil
	}
	record.SetPassword(password)
	if err := app.Save(record); err != nil {
		return false, fmt.Errorf("update superuser password: %w", err)
	}
	return false, nil
}
