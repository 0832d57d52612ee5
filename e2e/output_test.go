package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestOutputLinesPacked drives the worker's output module (outbuf.js) in the page with the
// writes a program makes, and reads what it posts back through the page's own unpacking
// (protocol.js): lines split across writes and streams, a character split between two writes,
// a line longer than the batch's first buffer, several lines in one write, the cap (task lines hidden, the last other lines kept for the end),
// and a partial line at exit. Every post must be the one the runner reads.
func TestOutputLinesPacked(t *testing.T) {
	t.Parallel()
	path := lessonWith(t, "en", `data-example="sleep"`)
	tab := open(t, server.URL, path)
	got := evalT[[]map[string]any](t, tab, pageJS(`(async () => {
		const { output } = await mod("outbuf"), { unpackLines, MSG } = await mod("protocol");
		const posts = [];
		let clock = 0;
		const out = output(4, () => clock, (m, transfer) => {
			if (m.type !== MSG.LINES) throw new Error("posted " + m.type);
			if (m.packed && !(transfer.includes(m.packed.t.buffer) && transfer.includes(m.packed.flags.buffer))) throw new Error("typed arrays not transferred");
			posts.push(...(m.packed ? unpackLines(m.packed) : m.lines));
		});
		const enc = new TextEncoder();
		const w = (fd, s) => { clock++; return out.write(fd, typeof s === "string" ? enc.encode(s) : s); };
		w(1, "par"); w(2, "err one\n"); w(1, "tial\n" + "long ".repeat(5000) + "\n");
		const e = enc.encode("caf\u00e9\n");
		w(1, e.subarray(0, 4)); w(1, e.subarray(4));
		w(1, "task 1 start: x\ntask 1 done\nsummary one\n");
		w(1, "task 2 done\nsummary two\nunfinished");
		out.close();
		return posts.map(l => ({ fd: l.fd, text: l.text, t: l.t, hidden: !!l.hidden, notice: l.notice || "" }));
	})()`))
	type line struct {
		Fd     int
		Text   string
		T      float64
		Hidden bool
		Notice string
	}
	var lines []line
	b, _ := json.Marshal(got)
	if err := json.Unmarshal(b, &lines); err != nil {
		t.Fatal(err)
	}
	want := []line{
		{2, "err one", 2, false, ""},
		{1, "partial", 3, false, ""},
		{1, strings.Repeat("long ", 5000), 3, false, ""},
		{1, "café", 5, false, ""},
		{2, "[output limit of 4 lines reached: the rest is not shown; the last lines follow when the program ends]", 6, false, "cap"},
		{1, "task 1 start: x", 6, true, ""},
		{1, "task 1 done", 6, true, ""},
		{1, "task 2 done", 7, true, ""},
		{2, "[… 3 lines not shown …]", 7, false, "dropped"},
		{1, "summary one", 6, false, ""},
		{1, "summary two", 7, false, ""},
		{1, "unfinished", 7, false, ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("posted %d lines, want %d:\n%+v", len(lines), len(want), lines)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, lines[i], want[i])
		}
	}
}
