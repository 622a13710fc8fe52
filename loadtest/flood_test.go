package main

import "testing"

func TestMedianSpread(t *testing.T) {
	scenarios := []struct {
		name           string
		xs             []float64
		median, lo, hi float64
	}{
		{"none", nil, 0, 0, 0},
		{"one", []float64{7}, 7, 7, 7},
		{"odd, unsorted", []float64{30, 10, 20}, 20, 10, 30},
		{"even takes the mean of the middle two", []float64{40, 10, 30, 20}, 25, 10, 40},
	}
	for _, s := range scenarios {
		m, lo, hi := medianSpread(s.xs)
		if m != s.median || lo != s.lo || hi != s.hi {
			t.Errorf("%s: medianSpread(%v) = %v, %v, %v; want %v, %v, %v", s.name, s.xs, m, lo, hi, s.median, s.lo, s.hi)
		}
	}
}
