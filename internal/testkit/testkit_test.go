package testkit_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"conflicto/internal/testkit"
)

func TestBuildBinaryReportsAFailedBuild(t *testing.T) {
	if _, err := testkit.BuildBinary("conflicto/no/such/package", ""); err == nil || !strings.Contains(err.Error(), "go build") {
		t.Fatalf("err = %v, want the go build failure", err)
	}
}

func TestBuildBinaryStampsTheVersion(t *testing.T) {
	bin, err := testkit.BuildBinary("conflicto", "testkit-1")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(filepath.Dir(bin))
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "testkit-1") {
		t.Fatal("the version is not in the binary")
	}
}

func TestMuxServesTheAppsRoutes(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	mux, err := testkit.Mux(app)
	if err != nil || mux == nil {
		t.Fatalf("mux = %v, err = %v", mux, err)
	}
}
