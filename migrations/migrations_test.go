package migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	c "conflicto/collections"
	_ "conflicto/migrations"
)

func TestMigrationsUpAndDown(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()

	names := []string{c.Sessions, c.Activities, c.Participants, c.Responses, c.Questions, c.QuestionVotes}
	for _, name := range names {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Fatalf("after up, collection %q is missing: %v", name, err)
		}
	}

	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	reverted, err := runner.Down(len(core.AppMigrations.Items()))
	if err != nil {
		t.Fatalf("down: %v", err)
	}
	if len(reverted) != len(core.AppMigrations.Items()) {
		t.Fatalf("reverted %d migrations, want %d", len(reverted), len(core.AppMigrations.Items()))
	}
	for _, name := range names {
		if _, err := app.FindCollectionByNameOrId(name); err == nil {
			t.Fatalf("after down, collection %q still exists", name)
		}
	}

	if _, err := runner.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	for _, name := range names {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Fatalf("after second up, collection %q is missing: %v", name, err)
		}
	}
}

// Each migration fails, and says so, when what it changes is missing: the
// downs on a data dir without Conflicto's collections, and the ups that
// build on an earlier one run before it.
func TestMigrationsNeedTheirCollections(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	items := core.AppMigrations.Items()
	if _, err := core.NewMigrationsRunner(app, core.AppMigrations).Down(len(items)); err != nil {
		t.Fatalf("down: %v", err)
	}
	for _, m := range items {
		if err := m.Down(app); err == nil {
			t.Fatalf("%s: down without its collections succeeded", m.File)
		}
	}
	for _, m := range items[1:] { // the first one builds on PocketBase's users only
		if err := m.Up(app); err == nil {
			t.Fatalf("%s: up before the collections it changes succeeded", m.File)
		}
	}
}
