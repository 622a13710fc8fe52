package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// readRSS returns the resident set size of process pid in MB, from
// /proc/PID/status (VmRSS).
func readRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // "123456 kB"
		if len(fields) == 0 {
			break
		}
		kb, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			return 0, err
		}
		return round2(kb / 1024), nil
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// RSSSampler reads a process's RSS every interval and keeps the peak.
type RSSSampler struct {
	pid  int
	stop chan struct{}
	done sync.WaitGroup

	mu     sync.Mutex
	before float64
	peak   float64
}

// StartRSS starts sampling pid; it returns nil when pid is 0 (the server
// was not started by the tool and no -pid was given) or unreadable.
func StartRSS(pid int) *RSSSampler {
	if pid <= 0 {
		return nil
	}
	before, err := readRSS(pid)
	if err != nil {
		progress("server RSS not available: %v", err)
		return nil
	}
	s := &RSSSampler{pid: pid, stop: make(chan struct{}), before: before, peak: before}
	s.done.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.sample()
			}
		}
	})
	return s
}

func (s *RSSSampler) sample() {
	if v, err := readRSS(s.pid); err == nil {
		s.mu.Lock()
		s.peak = max(s.peak, v)
		s.mu.Unlock()
	}
}

// Stop ends sampling and returns the readings (nil for a nil sampler).
func (s *RSSSampler) Stop() *RSS {
	if s == nil {
		return nil
	}
	close(s.stop)
	s.done.Wait()
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return &RSS{Before: s.before, Peak: s.peak}
}
