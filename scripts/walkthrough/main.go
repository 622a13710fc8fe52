// Command walkthrough is the README's host walk-through as a program: it
// runs each step against a Conflicto server and checks what the README says
// it answers, so the walk-through cannot rot. Each step carries the curl
// command the README shows for it; a test holds the README to them.
//
//	printf '%s\n' 'a-long-password' | conflicto hosts add host@example.com --password-stdin
//	go run ./scripts/walkthrough -url http://127.0.0.1:8090
//
// It exits 0 when every step answered as documented, 1 at the first that did
// not (saying which and what came back), 2 for bad flags.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: flags in args, the steps' lines on
// stdout, the failure on stderr; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("walkthrough", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8090", "base URL of the Conflicto server ($API in the README)")
	email := fs.String("email", "host@example.com", "the host account's email (conflicto hosts add EMAIL)")
	password := fs.String("password", "a-long-password", "the host account's password")
	timeout := fs.Duration("timeout", 10*time.Second, "time limit of each request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "walkthrough: unexpected arguments %q\n", fs.Args())
		return 2
	}
	w := &walk{
		api:      strings.TrimRight(*base, "/"),
		email:    *email,
		password: *password,
		client:   &http.Client{Timeout: *timeout},
	}
	for i, s := range steps {
		fmt.Fprintf(stdout, "%2d. %s\n", i+1, s.say)
		if err := s.run(w); err != nil {
			fmt.Fprintf(stderr, "walkthrough: step %d (%s): %v\n", i+1, s.say, err)
			return 1
		}
	}
	fmt.Fprintln(stdout, "ok: every step answered as the README says")
	return 0
}
