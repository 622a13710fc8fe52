// Package apitest_test holds the tests of the contract (docs/API.md), rule
// by rule: every test builds a real PocketBase test app with Conflicto's
// migrations through wire.App — the server that ships — and talks to it
// through real HTTP (tests.ApiScenario, or a loopback server for
// concurrency and realtime) or through Go saves, against real SQLite. They
// cross the rooms (hooks, routes, live, server) as a request does; each
// room's own unit tests sit beside its code.
package apitest_test
