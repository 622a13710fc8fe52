package commands

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/spf13/cobra"

	c "conflicto/collections"
)

// generatedPasswordLength is the length of a password hosts add makes up
// when none is given on stdin (about 119 bits from 62 symbols).
const generatedPasswordLength = 20

// maxPasswordInput bounds what --password-stdin reads.
const maxPasswordInput = 4 << 10

// NewHosts returns the hosts command: an operator adds, lists and removes
// host accounts (records of the users collection) without the dashboard,
// which on a fresh server is the only other way to make the first host.
// Every failure is an error, so the binary exits 1 (see Run).
func NewHosts(app core.App) *cobra.Command {
	hosts := &cobra.Command{
		Use:   "hosts",
		Short: "Manages host accounts (add, list, remove)",
		Args:  cobra.NoArgs,
		// The data dir may be new: make sure the collections exist.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate the data dir: %w", err)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			return errors.New("name a subcommand: add, list or remove")
		},
		SilenceUsage: true,
	}
	hosts.AddCommand(newHostsAdd(app), newHostsList(app), newHostsRemove(app))
	return hosts
}

func newHostsAdd(app core.App) *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "add EMAIL",
		Short: "Creates a host account; its password is read from stdin (--password-stdin) or generated and printed",
		Example: "  printf '%s\\n' \"$PASSWORD\" | conflicto hosts add host@example.com --password-stdin\n" +
			"  conflicto hosts add host@example.com",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.TrimSpace(args[0])
			if is.EmailFormat.Validate(email) != nil || email == "" {
				return fmt.Errorf("%q is not an email address", args[0])
			}
			password, generated := "", false
			if fromStdin {
				var err error
				if password, err = readPassword(cmd.InOrStdin()); err != nil {
					return err
				}
			} else {
				password, generated = security.RandomString(generatedPasswordLength), true
			}
			if err := addHost(app, email, password); err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Created host %s.\n", email)
			if generated {
				fmt.Fprintf(out, "Password (shown once; the host signs in with it): %s\n", password)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin")
	return cmd
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, maxPasswordInput)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on stdin (--password-stdin reads its first line)")
	}
	return line, nil
}

func addHost(app core.App, email, password string) error {
	users, err := app.FindCollectionByNameOrId(c.Users)
	if err != nil {
		return fmt.Errorf("find the %s collection: %w", c.Users, err)
	}
	if _, err := app.FindAuthRecordByEmail(users, email); err == nil {
		return fmt.Errorf("a host with the email %s already exists", email)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("look the host up: %w", err)
	}
	host := core.NewRecord(users)
	host.SetEmail(email)
	host.SetPassword(password)
	host.SetVerified(true) // an operator vouches for the address
	if err := app.Save(host); err != nil {
		return fmt.Errorf("create host %s: %w", email, err)
	}
	return nil
}

func newHostsList(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:          "list",
		Short:        "Lists the host accounts with their number of sessions",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			hosts, err := app.FindAllRecords(c.Users)
			if err != nil {
				return fmt.Errorf("list hosts: %w", err)
			}
			out := cmd.OutOrStdout()
			if len(hosts) == 0 {
				fmt.Fprintln(out, "No hosts yet: conflicto hosts add EMAIL")
				return nil
			}
			sort.Slice(hosts, func(i, j int) bool { return hosts[i].Email() < hosts[j].Email() })
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "EMAIL\tSESSIONS\tCREATED")
			for _, h := range hosts {
				n, err := countSessions(app, h.Id)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%d\t%s\n", h.Email(), n, h.GetDateTime(c.FieldCreated).String())
			}
			return w.Flush()
		},
	}
}

func countSessions(app core.App, hostID string) (int, error) {
	var n int
	err := app.DB().Select("COUNT(*)").From(c.Sessions).Where(dbx.HashExp{c.SessionOwner: hostID}).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("count the sessions of %s: %w", hostID, err)
	}
	return n, nil
}

func newHostsRemove(app core.App) *cobra.Command {
	return &cobra.Command{
		Use:          "remove EMAIL",
		Short:        "Deletes a host account and its sessions (refused while one of them is active)",
		Args:         cobra.ExactArgs(1),
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			email := strings.TrimSpace(args[0])
			host, err := app.FindAuthRecordByEmail(c.Users, email)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("no host has the email %s", email)
			}
			if err != nil {
				return fmt.Errorf("look the host up: %w", err)
			}
			n, err := countSessions(app, host.Id)
			if err != nil {
				return err
			}
			// The delete cascades to the host's sessions; the session
			// rules refuse it while one of them is active.
			if err := app.Delete(host); err != nil {
				if hasCode(err, c.SessionStatus, "session_active") {
					return fmt.Errorf("host %s has an active session: complete it first", email)
				}
				return fmt.Errorf("remove host %s: %w", email, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed host %s and their %d session(s).\n", email, n)
			return nil
		},
	}
}

// hasCode reports whether err carries the validation code on field.
func hasCode(err error, field, code string) bool {
	var errs validation.Errors
	if !errors.As(err, &errs) {
		return false
	}
	fe, ok := errs[field].(validation.Error)
	return ok && fe.Code() == code
}
