//go:build !js

package main

import "unblocked/internal/tracefile"

// Natively, -trace FILE records this run for go tool trace (internal/tracefile); in the
// browser, the workbook records every run itself.
func init() { tracefile.Main(main) }
