package main

import (
	"bytes"
	"fmt"
	"os"
	"regexp"

	"github.com/andybalholm/brotli"
)

func br(b []byte) int {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 11)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func main() {
	s, _ := os.ReadFile(os.Args[1])
	fmt.Println("orig", len(s), br(s))
	t := regexp.MustCompile(`<span class="w">([^<]*)</span>`).ReplaceAll(s, []byte("$1"))
	fmt.Println("no w", len(t), br(t))
	u := bytes.ReplaceAll(t, []byte(`<span class="line"><span class="cl">`), nil)
	u = bytes.ReplaceAll(u, []byte("</span></span>\n"), []byte("\n"))
	fmt.Println("no line", len(u), br(u))
}
