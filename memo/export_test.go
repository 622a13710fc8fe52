package memo

// SetMaxEntries sets the bound of each map for a test and returns the
// function that puts it back.
func SetMaxEntries(n int) (restore func()) {
	old := maxEntries
	maxEntries = n
	return func() { maxEntries = old }
}

// Sizes are the numbers of kept sessions, activities and participants.
func (m *Memo) Sizes() (sessions, activities, participants int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions), len(m.activities), len(m.participants)
}
