package webtest

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// Response is what a target answered.
type Response struct {
	Code   int
	Header http.Header
	Body   []byte
}

// Target answers the requests of scripts.
type Target interface {
	// Start sends req and returns once the target has taken it up, with a function that waits
	// for the response. Cancelling ctx abandons the request; wait then returns only after the
	// target has let go of it (a handler has returned), so a place it held is free again.
	Start(ctx context.Context, req *Request) (wait func() (*Response, error), err error)
}

// caseTimeout bounds one case, its started requests included. It is a failure deadline for a
// target that never answers, not a measurement.
var caseTimeout = 60 * time.Second

// Test runs every script matching glob against target, one subtest per file and per case.
func Test(t *testing.T, glob string, target Target) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no script matches %s", glob)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(file, string(data))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range s.Cases {
				t.Run(c.Name(), func(t *testing.T) {
					if err := runCase(context.Background(), s.File, c, target); err != nil {
						t.Error(err)
					}
				})
			}
		})
	}
}

// runCase runs one case against target; the error lists every failed check as file:line: message.
func runCase(ctx context.Context, file string, c *Case, target Target) error {
	ctx, cancel := context.WithTimeout(ctx, caseTimeout)
	var held []func() (*Response, error)
	defer func() {
		cancel()
		for _, wait := range held {
			wait() // its error is the cancellation
		}
	}()
	for _, r := range c.Start {
		wait, err := target.Start(ctx, r)
		if err != nil {
			return fmt.Errorf("%s:%d: start %s %s: %v", file, r.Line, r.Method, r.URL, err)
		}
		held = append(held, wait)
	}
	wait, err := target.Start(ctx, c.Req)
	var resp *Response
	if err == nil {
		resp, err = wait()
	}
	if err != nil {
		return fmt.Errorf("%s:%d: %s %s: %v", file, c.Req.Line, c.Req.Method, c.Req.URL, err)
	}
	var msg strings.Builder
	for _, chk := range c.Checks {
		if m := chk.against(resp); m != "" {
			fmt.Fprintf(&msg, "%s:%d: %s\n", file, chk.Line, m)
		}
	}
	if msg.Len() == 0 {
		return nil
	}
	if c.Hint != "" {
		fmt.Fprintf(&msg, "hint: %s\n", c.Hint)
	}
	return fmt.Errorf("%s %s (line %d)\n%s", c.Req.Method, c.Req.URL, c.Req.Line, strings.TrimSuffix(msg.String(), "\n"))
}

// against returns what is wrong with resp, or "".
func (c *Check) against(resp *Response) string {
	var got string
	switch c.Value {
	case "code":
		got = strconv.Itoa(resp.Code)
	case "body":
		got = string(resp.Body)
	case "decoded":
		b, err := decode(resp.Header.Get("Content-Encoding"), resp.Body)
		if err != nil {
			return fmt.Sprintf("decoded: %v", err)
		}
		got = string(b)
	case "header":
		got = resp.Header.Get(c.Name)
	case "redirect":
		if resp.Code/100 == 3 {
			got = resp.Header.Get("Location")
		}
	}
	ok := false
	switch c.Op {
	case "==":
		ok = got == c.Want
	case "!=":
		ok = got != c.Want
	case "contains":
		ok = strings.Contains(got, c.Want)
	case "!contains":
		ok = !strings.Contains(got, c.Want)
	case "~":
		ok = c.re.MatchString(got)
	case "!~":
		ok = !c.re.MatchString(got)
	}
	if ok {
		return ""
	}
	return fmt.Sprintf("%s is %s, want %s %s", c.what(), show(got), c.Op, show(c.Want))
}

// show quotes a value for a message, shortened: bodies can be whole pages.
func show(s string) string {
	const max = 300
	if len(s) > max {
		return strconv.Quote(s[:max]) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

func decode(encoding string, body []byte) ([]byte, error) {
	switch encoding {
	case "":
		return body, nil
	case "br":
		return io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		return io.ReadAll(zr)
	}
	return nil, fmt.Errorf("unknown Content-Encoding %q", encoding)
}
