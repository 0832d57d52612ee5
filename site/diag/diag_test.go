package diag

import (
	"errors"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		err  Error
		want string
	}{
		{Errorf("lessons/en/01-x.md", 3, 5, "bad %s", "thing"), "lessons/en/01-x.md:3:5: bad thing"},
		{Errorf("lessons/en/01-x.md", 3, 0, "bad"), "lessons/en/01-x.md:3: bad"},
		{Errorf("lessons/en/01-x.md", 0, 0, "bad"), "lessons/en/01-x.md: bad"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list must be a nil error")
	}
	l.Add(Errorf("b.md", 1, 1, "two"))
	l.Add(List{Errorf("a.md", 9, 1, "one")})
	l.Add(errors.New("plain"))
	l.Sort()
	want := "plain\na.md:9:1: one\nb.md:1:1: two"
	if got := l.Err().Error(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}
