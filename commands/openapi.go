package commands

import (
	"github.com/spf13/cobra"
)

// NewOpenAPI returns the openapi command: it prints the API reference that
// serve publishes at /api/docs/openapi.json, without serving. build makes
// the document; main passes package openapi's, which this package may not
// import (docs/ARCHITECTURE.md, import direction).
func NewOpenAPI(build func() ([]byte, error)) *cobra.Command {
	return &cobra.Command{
		Use:          "openapi",
		Short:        "Prints the OpenAPI 3.1 document of the API (conflicto openapi > openapi.json)",
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(c *cobra.Command, _ []string) error {
			doc, err := build()
			if err != nil {
				return err
			}
			_, err = c.OutOrStdout().Write(append(doc, '\n'))
			return err
		},
	}
}
