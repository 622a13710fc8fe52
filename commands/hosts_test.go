package commands_test

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	c "conflicto/collections"
	"conflicto/commands"
	"conflicto/config"
	_ "conflicto/migrations"
	"conflicto/wire"
)

// hostsApp is a fresh data dir with Conflicto's rules bound, as main
// builds it; the hosts command migrates it.
func hostsApp(t testing.TB) core.App {
	t.Helper()
	app := newApp(t)
	wire.App(app, config.Default(), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	return app
}

// hosts runs `hosts args...` with stdin and returns stdout and the error.
func hosts(app core.App, stdin string, args ...string) (string, error) {
	cmd := commands.NewHosts(app)
	var out bytes.Buffer
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	return out.String(), err
}

// TestHosts walks an operator through the hosts command on a fresh data
// dir: every step's output or error, in order (steps share the app).
func TestHosts(t *testing.T) {
	app := hostsApp(t)

	steps := []struct {
		name    string
		stdin   string
		args    []string
		wantOut []string // all must appear on stdout
		wantErr string   // "" means success
	}{
		{name: "list on a fresh data dir", args: []string{"list"}, wantOut: []string{"No hosts yet"}},
		{name: "add with the password on stdin", stdin: "a-long-password\n", args: []string{"add", "ada@example.com", "--password-stdin"},
			wantOut: []string{"Created host ada@example.com."}},
		{name: "add the same email again", stdin: "another-password\n", args: []string{"add", "ada@example.com", "--password-stdin"},
			wantErr: "already exists"},
		{name: "add with a generated password", args: []string{"add", " bob@example.com "},
			wantOut: []string{"Created host bob@example.com.", "Password (shown once"}},
		{name: "add something that is not an email", stdin: "a-long-password\n", args: []string{"add", "not-an-email", "--password-stdin"},
			wantErr: "is not an email address"},
		{name: "add with an empty stdin", args: []string{"add", "cy@example.com", "--password-stdin"},
			wantErr: "no password on stdin"},
		{name: "add with a short password", stdin: "short\r\n", args: []string{"add", "cy@example.com", "--password-stdin"},
			wantErr: "password"},
		{name: "add without an email", args: []string{"add"}, wantErr: "accepts 1 arg"},
		{name: "list", args: []string{"list"}, wantOut: []string{"EMAIL", "SESSIONS", "ada@example.com  1", "bob@example.com  0"}},
		{name: "remove an unknown host", args: []string{"remove", "nobody@example.com"}, wantErr: "no host has the email nobody@example.com"},
		{name: "remove a host with an active session", args: []string{"remove", "ada@example.com"}, wantErr: "has an active session: complete it first"},
		{name: "remove a host without sessions", args: []string{"remove", "bob@example.com"}, wantOut: []string{"Removed host bob@example.com and their 0 session(s)."}},
		{name: "no subcommand", args: nil, wantErr: "name a subcommand"},
		{name: "an unknown subcommand", args: []string{"rename"}, wantErr: `unknown command "rename"`},
	}
	for _, s := range steps {
		if s.name == "list" {
			// Ada runs a session: it counts, and it blocks her removal.
			ada, err := app.FindAuthRecordByEmail(c.Users, "ada@example.com")
			if err != nil {
				t.Fatal(err)
			}
			sessions, err := app.FindCollectionByNameOrId(c.Sessions)
			if err != nil {
				t.Fatal(err)
			}
			session := core.NewRecord(sessions)
			session.Set(c.SessionTitle, "Keynote")
			session.Set(c.SessionOwner, ada.Id)
			if err := app.Save(session); err != nil {
				t.Fatal(err)
			}
			session.Set(c.SessionStatus, string(c.SessionActive))
			if err := app.Save(session); err != nil {
				t.Fatal(err)
			}
		}
		out, err := hosts(app, s.stdin, s.args...)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("%s: error = %v, want %q", s.name, err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for _, w := range s.wantOut {
			if !strings.Contains(out, w) {
				t.Fatalf("%s: output lacks %q:\n%s", s.name, w, out)
			}
		}
		if s.name == "add with a generated password" {
			checkLogin(t, app, "bob@example.com", out[strings.LastIndex(out, ": ")+2:len(out)-1])
		}
	}
	checkLogin(t, app, "ada@example.com", "a-long-password")
	if _, err := app.FindAuthRecordByEmail(c.Users, "bob@example.com"); err == nil {
		t.Fatal("bob is still there after remove")
	}
	if _, err := app.FindAuthRecordByEmail(c.Users, "cy@example.com"); err == nil {
		t.Fatal("a refused add created cy")
	}

	// A database fault is an error, not a short list.
	if _, err := app.DB().NewQuery("ALTER TABLE {{" + c.Sessions + "}} RENAME TO {{gone}}").Execute(); err != nil {
		t.Fatal(err)
	}
	if _, err := hosts(app, "", "list"); err == nil || !strings.Contains(err.Error(), "count the sessions") {
		t.Fatalf("list on a broken database: %v", err)
	}
	if _, err := hosts(app, "", "remove", "ada@example.com"); err == nil {
		t.Fatal("remove on a broken database succeeded")
	}
}

func checkLogin(t testing.TB, app core.App, email, password string) {
	t.Helper()
	host, err := app.FindAuthRecordByEmail(c.Users, email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	if !host.ValidatePassword(password) {
		t.Fatalf("%s cannot sign in with %q", email, password)
	}
	if !host.Verified() {
		t.Fatalf("%s is not verified", email)
	}
}

// A database that lost the users table: every hosts command says so
// instead of succeeding.
func TestHostsReportDatabaseFaults(t *testing.T) {
	app := hostsApp(t)
	if _, err := hosts(app, "", "list"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("ALTER TABLE " + c.Users + " RENAME TO users_gone").Execute(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		stdin   string
		args    []string
		wantErr string
	}{
		{"", []string{"list"}, "list hosts"},
		{"a-long-password\n", []string{"add", "ada@example.com", "--password-stdin"}, "look the host up"},
		{"", []string{"remove", "ada@example.com"}, "look the host up"},
	} {
		if _, err := hosts(app, s.stdin, s.args...); err == nil || !strings.Contains(err.Error(), s.wantErr) {
			t.Errorf("hosts %v: %v, want an error containing %q", s.args, err, s.wantErr)
		}
	}
}
