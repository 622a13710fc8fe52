package wordfilter

import (
	"slices"
	"sync"

	goaway "github.com/TwiN/go-away"
)

// The server's default list is the English profanity list maintained in
// github.com/TwiN/go-away (MIT licence; its DefaultProfanities and
// DefaultFalseNegatives), with the words below added and removed. go-away
// matches inside words and keeps a list of false positives for that; this
// package matches whole parts only (see the package comment), so go-away's
// false positives are not needed, and a few of its stems ("masturbat")
// match only as written unless a whole word is added here.

// added are words the default list needs beyond go-away's: the server's
// first list (fuck, shit, cunt, nigger, faggot) and common whole-word
// forms that whole-part matching would not reach from go-away's entries
// (plurals in s and es are matched already).
var added = []string{
	"faggot", "fucking", "fuckin", "fucker", "fucked", "motherfucker",
	"bullshit", "shitty", "masturbate", "wanker", "retarded", "dickhead",
}

// removed are go-away's entries that name ordinary things an audience asks
// about in earnest (anatomy, medicine, history, safety, everyday words) or
// that are part of common phrases: a Q&A after a talk on health or history
// must not refuse its questions, and "magna cum laude" is no insult. A
// host who wants any of them blocked adds it to the session's list.
var removed = []string{
	"anal", "anus", "balls", "boob", "butt", "clitoris", "crap", "cum",
	"flange", "hoe", "horny", "incest", "jerk", "labia", "naked", "nazi",
	"nipple", "nips", "nude", "pedophile", "penis", "poop", "porn",
	"prostitut", "queer", "rape", "rapist", "scrotum", "sex", "spunk",
	"vagina",
}

// DefaultWords returns the words of the server's default list, sorted.
func DefaultWords() []string {
	words := make([]string, 0, len(goaway.DefaultProfanities)+len(goaway.DefaultFalseNegatives)+len(added))
	for _, list := range [][]string{goaway.DefaultProfanities, goaway.DefaultFalseNegatives, added} {
		for _, w := range list {
			if !slices.Contains(removed, w) && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	slices.Sort(words)
	return words
}

// Default is the compiled default list, built once.
var Default = sync.OnceValue(func() *List { return New(DefaultWords()) })
