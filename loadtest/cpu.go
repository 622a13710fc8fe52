package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of the CPU times in /proc/PID/stat: the kernel's
// USER_HZ, 100 on every Linux architecture Go runs on.
const userHZ = 100

// readCPU returns the CPU time (user + system) process pid has used so
// far, from /proc/PID/stat; pid 0 is the tool itself.
func readCPU(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid > 0 {
		path = fmt.Sprintf("/proc/%d/stat", pid)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// "pid (comm) state ppid ...": comm may hold spaces and parentheses,
	// the fields after its last ')' do not.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: no ')'", path)
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("%s: %d fields", path, len(f)+2)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// CPU is the CPU time the server and the tool each used per timed change,
// in ms: the two share the machine's cores, and a change's delivery time
// is bounded by what both spend on it.
type CPU struct {
	Server float64 `json:"server"`
	Tool   float64 `json:"tool"`
}

// CPUMeter measures the CPU time of the server and of the tool over the
// timed changes (each with the pause after it, in which neither works
// but for the tool's decoding of what it read).
type CPUMeter struct {
	pid          int
	server, tool time.Duration
}

// StartCPU starts measuring; it returns nil when the server's pid is not
// known or its CPU time cannot be read.
func StartCPU(pid int) *CPUMeter {
	if pid <= 0 {
		return nil
	}
	server, err := readCPU(pid)
	if err != nil {
		progress("server CPU time not available: %v", err)
		return nil
	}
	tool, err := readCPU(0)
	if err != nil {
		progress("the tool's CPU time not available: %v", err)
		return nil
	}
	return &CPUMeter{pid: pid, server: server, tool: tool}
}

// Stop returns each side's CPU time per change over changes changes (nil
// for a nil meter, no change, or a reading that failed).
func (m *CPUMeter) Stop(changes int) *CPU {
	if m == nil || changes <= 0 {
		return nil
	}
	server, err := readCPU(m.pid)
	if err != nil {
		return nil
	}
	tool, err := readCPU(0)
	if err != nil {
		return nil
	}
	per := func(d time.Duration) float64 { return round2(ms(d) / float64(changes)) }
	return &CPU{Server: per(server - m.server), Tool: per(tool - m.tool)}
}
