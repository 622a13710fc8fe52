package main

import (
	"os"
	"testing"
	"time"
)

// burn keeps one core busy for d of CPU time, as the process counts it.
func burn(t *testing.T, d time.Duration) {
	t.Helper()
	start, err := readCPU(0)
	if err != nil {
		t.Fatal(err)
	}
	x := 0
	for deadline := time.Now().Add(10 * d); time.Now().Before(deadline); {
		for i := range 100000 {
			x += i
		}
		if now, _ := readCPU(0); now-start >= d {
			return
		}
	}
	t.Fatalf("%v of CPU not used within %v (%d)", d, 10*d, x)
}

func TestCPUMeterCountsPerChange(t *testing.T) {
	m := StartCPU(os.Getpid()) // the server is this process too: both sides see the same work
	if m == nil {
		t.Fatal("no meter for this process")
	}
	burn(t, 200*time.Millisecond)
	got := m.Stop(2)
	if got == nil {
		t.Fatal("no reading")
	}
	// 200 ms over two changes: at least 100 ms each, on each side.
	if got.Server < 100 || got.Tool < 100 || got.Server-got.Tool > 10 || got.Tool-got.Server > 10 {
		t.Fatalf("per change = %+v, want both ≥ 100 ms and equal within one tick", got)
	}
	if m.Stop(0) != nil {
		t.Fatal("a reading over no change")
	}
}

func TestCPUMeterNeedsAServer(t *testing.T) {
	if StartCPU(0) != nil {
		t.Fatal("a meter without a server pid")
	}
	if _, err := readCPU(1 << 30); err == nil {
		t.Fatal("read the CPU time of a process that does not exist")
	}
	var m *CPUMeter
	if m.Stop(3) != nil {
		t.Fatal("a nil meter read something")
	}
}
