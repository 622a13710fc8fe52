package server

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"

	c "conflicto/collections"
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
		e.Router.Bind(&hook.Handler[*core.RequestEvent]{
			Id:   "conflictoParticipantMail",
			Func: refuseParticipantMail,
		})
		if cfg.SuperuserEmail != "" {
			action, err := EnsureSuperuser(e.App, cfg.SuperuserEmail, cfg.SuperuserPassword, cfg.SuperuserReset)
			if err != nil {
				return err
			}
			logSuperuser(logger, cfg.SuperuserEmail, action)
		}
		return e.Next()
	})
}

// participantMailActions are PocketBase's auth routes that send mail, or
// confirm what such a mail carried. A participant has no mailbox of theirs
// in Conflicto: with them a participant's token could make the server mail
// any address (request-email-change), and an anonymous caller could have
// it mail whatever address a participant record holds.
var participantMailActions = map[string]bool{
	"request-verification": true, "confirm-verification": true,
	"request-password-reset": true, "confirm-password-reset": true,
	"request-email-change": true, "confirm-email-change": true,
	"request-otp": true,
}

// refuseParticipantMail answers 404 to the mail routes of the participants
// collection (by name or id), before their handlers run: PocketBase's own
// request hooks fire only once the record is found, so refusing there would
// tell a caller which addresses exist.
func refuseParticipantMail(e *core.RequestEvent) error {
	rest, ok := strings.CutPrefix(e.Request.URL.Path, "/api/collections/")
	if !ok || e.Request.Method != http.MethodPost {
		return e.Next()
	}
	name, action, ok := strings.Cut(rest, "/")
	if !ok || !participantMailActions[action] {
		return e.Next()
	}
	if col, err := e.App.FindCachedCollectionByNameOrId(name); err == nil && col.Name == c.Participants {
		return e.NotFoundError("Participants cannot receive mail.", nil)
	}
	return e.Next()
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

// SuperuserAction says what EnsureSuperuser did.
type SuperuserAction string

// What EnsureSuperuser can do.
const (
	// SuperuserCreated: no superuser had the email; one was created.
	SuperuserCreated SuperuserAction = "created"
	// SuperuserReset: it existed with another password, which was replaced
	// because a reset was asked for.
	SuperuserReset SuperuserAction = "password_reset"
	// SuperuserKept: it existed and was left as it is (no reset asked for,
	// or the password already matched).
	SuperuserKept SuperuserAction = "kept"
)

// EnsureSuperuser creates the superuser with email when none has it. An
// existing one keeps its password unless reset is true: a password rotated
// in the dashboard must survive a restart, so the configured one replaces
// it only when the operator asks (CONFLICTO_SUPERUSER_RESET=true).
func EnsureSuperuser(app core.App, email, password string, reset bool) (SuperuserAction, error) {
	record, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, email)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		collection, err := app.FindCachedCollectionByNameOrId(core.CollectionNameSuperusers)
		if err != nil {
			return "", fmt.Errorf("find superusers collection: %w", err)
		}
		record = core.NewRecord(collection)
		record.SetEmail(email)
		record.SetPassword(password)
		if err := app.Save(record); err != nil {
			return "", fmt.Errorf("create superuser: %w", err)
		}
		return SuperuserCreated, nil
	case err != nil:
		return "", fmt.Errorf("find superuser: %w", err)
	}
	// Without a reset the password is not even compared: a bcrypt check
	// costs a tenth of a second of every start for nothing.
	if !reset || record.ValidatePassword(password) {
		return SuperuserKept, nil
	}
	record.SetPassword(password)
	if err := app.Save(record); err != nil {
		return "", fmt.Errorf("reset superuser password: %w", err)
	}
	return SuperuserReset, nil
}

// logSuperuser says in the log what the start did to the superuser, so an
// operator can tell a created account from a reset password, and knows how
// to reset one.
func logSuperuser(logger *slog.Logger, email string, action SuperuserAction) {
	switch action {
	case SuperuserCreated:
		logger.Info("superuser created", "email", email)
	case SuperuserReset:
		logger.Warn("superuser password reset to "+config.VarSuperuserPassword, "email", email, "reason", config.VarSuperuserReset+"=true")
	default:
		logger.Info("superuser exists; password left as it is", "email", email,
			"hint", "set "+config.VarSuperuserReset+"=true to reset it to "+config.VarSuperuserPassword)
	}
}
