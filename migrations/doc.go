// Package migrations holds Conflicto's timestamped Go migrations. Importing
// it registers them with PocketBase's migration runner.
package migrations
