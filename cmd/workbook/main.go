// Command workbook builds, serves and checks the Unblocked workbook.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: workbook build|serve|check")
		os.Exit(2)
	}
	fmt.Fprintf(os.Stderr, "workbook: %s: not implemented yet\n", os.Args[1])
	os.Exit(2)
}
