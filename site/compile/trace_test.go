package compile

import (
	"strings"
	"testing"
)

func TestTraced(t *testing.T) {
	src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n"
	files := traced(src, "unblocked")
	got := string(files[file])
	if got != strings.Replace(src, "func main()", "func Main()", 1) || len(got) != len(src) {
		t.Errorf("renamed source:\n%s", got)
	}
	w := string(files[traceFile])
	if !strings.Contains(w, "defer unblockedtrace.Start()()") || !strings.Contains(w, "\tMain()\n") {
		t.Errorf("wrapper:\n%s", w)
	}
	// programs it leaves alone: one of their names is the wrapper's, no main, no parse
	for _, s := range []string{
		"package main\n\nfunc Main() {}\n\nfunc main() { Main() }\n",
		"package main\n\nvar Main = 1\n\nfunc main() {}\n",
		"package main\n\ntype unblockedtrace int\n\nfunc main() {}\n",
		"package main\n\nfunc helper() {}\n",
		"package main\n\nfunc main( {\n",
		"package main\n\nfunc main(x int) {}\n",
	} {
		if fs := traced(s, "unblocked"); len(fs) != 1 || string(fs[file]) != s {
			t.Errorf("traced(%q) changed it: %v", s, fs)
		}
	}
	// a method named main is not the program's main
	s := "package main\n\ntype T struct{}\n\nfunc (T) main() {}\n\nfunc main() {}\n"
	if got := string(traced(s, "unblocked")[file]); !strings.Contains(got, "func (T) main()") || !strings.Contains(got, "\nfunc Main() {}") {
		t.Errorf("method: %s", got)
	}
}
