package main

import (
	"errors"
	"fmt"
	"go/format"
	"go/scanner"
)

// Format is src as gofmt formats it, or src's syntax errors as "line:col: message" (gofmt
// formats only a program that parses).
func Format(src string) (string, []string) {
	out, err := format.Source([]byte(src))
	if err == nil {
		return string(out), nil
	}
	var list scanner.ErrorList
	if errors.As(err, &list) {
		var errs []string
		for i, e := range list {
			if i == maxErrors {
				errs = append(errs, "too many errors")
				break
			}
			errs = append(errs, fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg))
		}
		return "", errs
	}
	return "", []string{err.Error()}
}
