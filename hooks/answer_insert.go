package hooks

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	c "conflicto/collections"
)

// A participant's answer is saved through PocketBase's whole save chain
// (the model and record hooks, the field interceptors that set the id and
// the dates, the unique-index error mapping, the after-success hooks);
// only the last step, the INSERT itself, is done here: through a prepared
// statement instead of a statement built, parsed and planned by SQLite
// anew for every answer (a tenth of an answer's CPU). It is the handler
// PocketBase's final write would be, bound after the record hooks and not
// calling on, for guarded answers (saveAnswer) outside a transaction. A
// batch (a transaction) or anyone else's create goes the usual way.
func registerAnswerInsert(app core.App) {
	stmts := &answerStmts{}
	app.OnModelCreateExecute().Bind(&hook.Handler[*core.ModelEvent]{
		Id:       "conflictoAnswerInsert",
		Priority: 1000, // after PocketBase's record hook (-99), which runs the interceptors around it
		Func: func(e *core.ModelEvent) error {
			r, ok := e.Model.(*core.Record)
			if !ok || r.Collection().Name != c.Responses || e.App.IsTransactional() {
				return e.Next()
			}
			if guarded, _ := e.Context.Value(guardedAnswer{}).(bool); !guarded {
				return e.Next()
			}
			db, ok := e.App.NonconcurrentDB().(*dbx.DB)
			if !ok {
				return e.Next()
			}
			if err := stmts.insert(e.Context, db.DB(), r, e.App); err != nil {
				return err
			}
			r.MarkAsNotNew()
			return nil
		},
	})
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		stmts.close()
		return e.Next()
	})
}

// answerStmts keeps the prepared INSERT of an answer, for one database
// handle and one set of columns: a new handle (a restore reopens the
// database) or a changed collection (a field added) prepares it anew.
type answerStmts struct {
	mu      sync.Mutex
	db      *sql.DB
	columns []string // sorted
	stmt    *sql.Stmt
}

func (s *answerStmts) insert(ctx context.Context, db *sql.DB, r *core.Record, app core.App) error {
	data, err := r.DBExport(app)
	if err != nil {
		return err
	}
	if _, ok := data[core.FieldNameId]; !ok {
		data[core.FieldNameId] = r.PK()
	}
	if id, _ := data[core.FieldNameId].(string); id == "" {
		return errors.New("empty primary key is not allowed") // as PocketBase's own insert
	}
	columns := make([]string, 0, len(data))
	for k := range data {
		columns = append(columns, k)
	}
	slices.Sort(columns)
	stmt, err := s.prepared(db, columns)
	if err != nil {
		return err
	}
	args := make([]any, len(columns))
	for i, col := range columns {
		args[i] = data[col]
	}
	// As PocketBase's write: a locked database is retried a few times
	// (busy_timeout waits first; this covers an external writer such as a
	// backup tool holding the lock longer).
	for attempt := 1; ; attempt++ {
		_, err = stmt.ExecContext(ctx, args...)
		if err == nil || attempt > len(lockRetries) || !isLocked(err) {
			return err
		}
		time.Sleep(lockRetries[attempt-1])
	}
}

var lockRetries = []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 150 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}

func isLocked(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "table is locked")
}

func (s *answerStmts) prepared(db *sql.DB, columns []string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmt != nil && s.db == db && slices.Equal(s.columns, columns) {
		return s.stmt, nil
	}
	quoted := make([]string, len(columns))
	for i, col := range columns {
		quoted[i] = "`" + col + "`" // field names are [a-zA-Z0-9_] (PocketBase's rule)
	}
	query := "INSERT INTO `" + c.Responses + "` (" + strings.Join(quoted, ",") + ") VALUES (?" + strings.Repeat(",?", len(columns)-1) + ")"
	stmt, err := db.Prepare(query)
	if err != nil {
		return nil, err
	}
	// The statement it replaces is left open: an answer that took it a
	// moment ago may be about to run it, and closing it under that answer
	// would fail a write the schema change has nothing to do with. It
	// happens once per schema change or reopened database.
	s.db, s.columns, s.stmt = db, columns, stmt
	return stmt, nil
}

func (s *answerStmts) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stmt != nil {
		s.stmt.Close()
		s.stmt = nil
	}
}
