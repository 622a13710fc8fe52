package main

import (
	"os"
	"testing"
)

func TestCPUProfileIsWrittenOnlyWhenAsked(t *testing.T) {
	stop, err := startCPUProfile("")
	if err != nil {
		t.Fatal(err)
	}
	stop()
	path := t.TempDir() + "/tool.cpu"
	stop, err = startCPUProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Fatalf("profile %s: %v, %v", path, st, err)
	}
	if _, err := startCPUProfile(t.TempDir() + "/missing/dir/tool.cpu"); err == nil {
		t.Fatal("a profile that cannot be created: no error")
	}
}
