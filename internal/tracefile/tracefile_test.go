package tracefile

import (
	"flag"
	"testing"
)

func TestArg(t *testing.T) {
	flag.Int("tasks", 1, "")
	flag.Bool("v", false, "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"-trace", "a.trace"}, "a.trace"},
		{[]string{"-trace=b.trace"}, "b.trace"},
		{[]string{"--trace", "c"}, "c"},
		{[]string{"-tasks", "5", "-trace", "d"}, "d"},
		{[]string{"-v", "-trace", "e"}, "e"},
		{[]string{"-tasks=5", "-trace=f"}, "f"},
		{[]string{"--", "-trace", "g"}, ""},
		{[]string{"arg", "-trace", "h"}, ""},
		{[]string{"-tasks", "-trace"}, ""}, // -trace is the value of -tasks there
		{[]string{"-trace"}, ""},
		{[]string{"-delay", "1s", "-trace", "i"}, "i"}, // a flag main defines later
		{[]string{"-quiet", "-trace", "j"}, "j"},
	} {
		if got := Arg(c.args); got != c.want {
			t.Errorf("Arg(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}
