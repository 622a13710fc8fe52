package server

import (
	"strconv"

	"github.com/pocketbase/dbx"
	_ "modernc.org/sqlite" // the pure-Go driver PocketBase registers as "sqlite"
)

// PageCacheKiB is the most memory SQLite's page cache may take on one
// database connection, in KiB (SQLite's own default).
//
// PocketBase asks for 32 MB a connection. An LRU page cache only ever grows
// towards its cap as new pages are touched, so with data.db's pool of read
// connections plus the writer, a growing event database raises the process's
// RSS by up to 32 MB per connection over hours — memory Go's heap profile
// never shows (the driver allocates it outside the Go heap), and what the
// 60-minute soak saw as a slow, steady rise after warm-up. With 2 MB a
// connection the caches are full within minutes and stay flat; the pages
// they drop are still in the operating system's file cache, and the hot
// path (session, activity, participant) is served from memory by memo
// anyway.
const PageCacheKiB = 2000

// DBConnect opens data.db and auxiliary.db exactly as PocketBase's
// DefaultDBConnect does, except for the page cache's cap (PageCacheKiB).
// Pass it as pocketbase.Config.DBConnect.
func DBConnect(dbPath string) (*dbx.DB, error) {
	// busy_timeout must stay first: the connection has to block on busy
	// before WAL mode is set (PocketBase's note).
	pragmas := "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=journal_size_limit(200000000)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)" +
		"&_pragma=cache_size(-" + strconv.Itoa(PageCacheKiB) + ")&_defensive=1"
	return dbx.Open("sqlite", dbPath+pragmas)
}
