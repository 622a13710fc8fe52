package server_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"conflicto/server"
)

// Every connection of the pool, not only the first, carries the bounded page
// cache and the rest of PocketBase's pragmas: the pool opens connections as
// load grows, and each must be the same.
func TestDBConnectBoundsThePageCacheOnEveryConnection(t *testing.T) {
	db, err := server.DBConnect(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	want := map[string]string{
		"cache_size":   strconv.Itoa(-server.PageCacheKiB),
		"journal_mode": "wal",
		"busy_timeout": "10000",
		"synchronous":  "1", // NORMAL
		"foreign_keys": "1",
		"temp_store":   "2", // MEMORY
	}
	ctx := context.Background()
	const conns = 3
	held := make([]interface{ Close() error }, 0, conns)
	for i := 0; i < conns; i++ {
		conn, err := db.DB().Conn(ctx) // a distinct connection while the others are held
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, conn)
		for pragma, value := range want {
			var got string
			if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("connection %d: PRAGMA %s: %v", i, pragma, err)
			}
			if got != value {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, pragma, got, value)
			}
		}
	}
	for _, c := range held {
		c.Close()
	}
	if server.PageCacheKiB > 4000 {
		t.Errorf("PageCacheKiB = %d: a cap above a few MB a connection grows RSS with the database", server.PageCacheKiB)
	}
}
