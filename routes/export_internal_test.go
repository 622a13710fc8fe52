package routes

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestCSVCell(t *testing.T) {
	scenarios := []struct {
		in, expected string
	}{
		{"", ""},
		{"Ada", "Ada"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1 for pizza", "'+1 for pizza"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"a=b", "a=b"},
		{" =1", " =1"},
		{"'quoted", "'quoted"},
		{"-5", "-5"},
		{"+5", "+5"},
		{"-1.5", "-1.5"},
		{"-", "'-"},
		{"2024-01-01 10:00:00.000Z", "2024-01-01 10:00:00.000Z"},
		{`{"choice":2}`, `{"choice":2}`},
	}
	for _, s := range scenarios {
		if got := csvCell(s.in); got != s.expected {
			t.Errorf("csvCell(%q) = %q, want %q", s.in, got, s.expected)
		}
	}
}

// Every cell of every row goes through csvCell, and the text survives a
// round trip through a CSV reader with only the quote added.
func TestFormulaSafeCSVWritesEveryCell(t *testing.T) {
	var buf bytes.Buffer
	w := formulaSafeCSV{csv.NewWriter(&buf)}
	row := []string{"=1+1", "@x", "plain", "-3", "a,b", "\r\n=x"}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	got, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	// encoding/csv reads \r\n inside a quoted field as \n.
	expected := []string{"'=1+1", "'@x", "plain", "-3", "a,b", "'\n=x"}
	for i := range expected {
		if got[i] != expected[i] {
			t.Fatalf("cell %d = %q, want %q (row %q)", i, got[i], expected[i], got)
		}
	}
}
