package e2e

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGTERMDrainsInFlightRequests sends SIGTERM while a request is in
// flight (its body still arriving, slowly, for longer than PocketBase's
// own one-second shutdown window): the request completes, then the
// process exits 0.
func TestSIGTERMDrainsInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	srv := startServer(t, t.TempDir())

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"code":"ABCDEF","nickname":"Slow Poke"}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:half])
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatalf("the server dropped the in-flight request: %v", err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to the in-flight request: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound { // no session has this code: a complete, handled request
		t.Fatalf("in-flight request answered %d, want 404", res.StatusCode)
	}
	select {
	case <-srv.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not exit after draining")
	}
	if code := srv.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d, want 0\n%s", code, srv.logs)
	}
}
