package commands

import (
	"github.com/spf13/cobra"

	"conflicto/config"
)

// NewHealthcheck returns the healthcheck command (see healthcheck_test.go).
func NewHealthcheck(cfg config.Config) *cobra.Command {
	return &cobra.Command{Use: "healthcheck"}
}
