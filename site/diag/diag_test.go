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

func TestLines(t *testing.T) {
	src := []byte("ab\n\ncd\r\nef")
	l := NewLines(src)
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {4, 3, 1}, {7, 3, 4}, {8, 4, 1}, {9, 4, 2}, {10, 4, 3}, {99, 4, 3}, {-1, 1, 1},
	} {
		if line, col := l.Position(tc.off); line != tc.line || col != tc.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
	if line, col := NewLines(nil).Position(0); line != 1 || col != 1 {
		t.Errorf("empty file: %d:%d", line, col)
	}
}
