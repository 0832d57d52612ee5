package diag

import (
	"bytes"
	"sort"
)

// Lines turns byte offsets of one file into positions. It indexes the line starts once, so
// each lookup is a binary search: a lesson with a hundred thousand directives and headings
// costs one pass over its bytes, not one per position (counting newlines up to every offset
// made large lessons quadratic).
type Lines struct {
	starts []int // offset of the first byte of each line; starts[0] == 0
	size   int
}

// NewLines indexes src.
func NewLines(src []byte) *Lines {
	l := &Lines{starts: make([]int, 1, 1+bytes.Count(src, []byte("\n"))), size: len(src)}
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		l.starts = append(l.starts, off)
	}
	return l
}

// Position returns the 1-based line and byte column of off, the convention of every
// position in an Error. Offsets past the end are clamped to it.
func (l *Lines) Position(off int) (line, col int) {
	off = min(max(off, 0), l.size)
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, off - l.starts[i] + 1
}
