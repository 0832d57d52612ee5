// Package sched turns a Go execution trace (runtime/trace) into what the workbook's scheduler
// view draws: how many goroutines were alive at once, how long the thread ran Go code, the
// trace's span, and every user goroutine's states (running, runnable, waiting with its reason)
// over time. It reads traces with golang.org/x/exp/trace, never by hand.
//
// The same code runs natively (tests, tools) and compiled to js/wasm as the page's parser
// (site/sched/parser), loaded after a run.
package sched

import (
	"errors"
	"io"
	"math"
	"sort"
	"strings"

	"golang.org/x/exp/trace"
)

// Version is the layout of Summary; the page checks it.
const Version = 1

// States of an interval: what a goroutine was doing.
const (
	Running  = 0
	Runnable = 1
	Waiting  = 2
)

// Summary is a trace as the scheduler view needs it. Times are microseconds since the trace's
// first event, so the JSON the page reads stays small at 10,000 goroutines.
type Summary struct {
	Version    int     `json:"v"`
	Goroutines int     `json:"goroutines"` // most user goroutines alive at once
	PeakUs     int64   `json:"peakUs"`     // when that many were first alive
	BusyMs     float64 `json:"busyMs"`     // time some goroutine was running (the thread ran Go code; js/wasm's idle goroutine aside)
	WallMs     float64 `json:"wallMs"`     // the trace's span, first event to last
	// ClockMs is the first event on the trace's own clock, in ms: the runtime's nanotime, which
	// under js/wasm is wasm_exec.js's (timeOrigin + performance.now()) of the program's worker,
	// so the page can place the trace on the run's time axis (the worker says where that
	// clock stood when the run started). Natively it is a monotonic clock of no fixed origin.
	ClockMs  float64 `json:"clockMs"`
	Complete bool    `json:"complete"` // the trace read to its end (false: a run stopped mid-way)
	Problem  string  `json:"problem,omitempty"`
	// Reasons are the wait reasons as the runtime names them ("sleep", "chan receive"); an
	// interval names one by index. Kinds[i] is Reasons[i]'s legend group (see Kind).
	Reasons []string `json:"reasons"`
	Kinds   []string `json:"kinds"`
	// Names are goroutine start functions, shortened ("main.func1"); G.Name indexes them.
	Names []string `json:"names"`
	// Gs are the user goroutines, by id (main, goroutine 1, first).
	Gs []G `json:"gs"`
	// Thread are the spans when the thread ran a goroutine: [start, end, g] triples flattened,
	// g an index into Gs or -1 for one of the runtime's own goroutines (GC, the tracer).
	Thread []int64 `json:"thread"`
	// Regions are trace.WithRegion / StartRegion spans of user goroutines: [g, start, end, name]
	// flattened, name an index into Names. Tasks (trace.NewTask) likewise: [start, end, name].
	Regions []int64 `json:"regions"`
	Tasks   []int64 `json:"tasks"`
}

// G is one user goroutine: its id in the trace, its start function and its states.
type G struct {
	ID   int64 `json:"id"`
	Name int   `json:"name"`
	// Iv are its intervals, flattened: [start, end, state, reason] (reason -1 unless waiting).
	// From its creation (or the trace's start) to its end (or the trace's end).
	Iv []int64 `json:"iv"`
	// Ended: the goroutine ended within the trace (else it was still alive at its end).
	Ended bool `json:"ended,omitempty"`
	// Lib: it started in the standard library's or golang.org/x's code (net/http's connections,
	// database/sql's opener, time.AfterFunc's callbacks): not a goroutine the program started
	// for its own work (see library). The timeline's task bars leave these out.
	Lib bool `json:"lib,omitempty"`
}

// Kind is the legend group of a runtime wait reason: "sleep", "chan", "select", "sync", "net",
// "gc" or "other".
func Kind(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case strings.Contains(r, "sleep"):
		return "sleep"
	case strings.HasPrefix(r, "chan"):
		return "chan"
	case strings.Contains(r, "select"):
		return "select"
	case strings.HasPrefix(r, "sync") || strings.Contains(r, "wait group") || strings.Contains(r, "mutex") || strings.Contains(r, "semacquire"):
		return "sync"
	case strings.Contains(r, "network") || strings.Contains(r, "io wait"):
		return "net"
	case strings.Contains(r, "gc"):
		return "gc"
	}
	return "other"
}

// idleFunc is where js/wasm's runtime parks the thread when no goroutine can run: it starts a
// goroutine there that hands control back to JavaScript (runtime/lock_js.go, beforeIdle), and
// that goroutine is "running" for the whole idle spell. Its spans are idle time, not Go code.
const idleFunc = "runtime.handleAsyncEvent"

// system reports whether a function belongs to the runtime or the tracer rather than to the
// program, so a goroutine starting there is not one of the program's.
func system(fn string) bool {
	for _, p := range []string{"runtime.", "runtime/", "internal/", "syscall/js."} {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}

// stdRoots are the first elements of the standard library's package paths.
var stdRoots = map[string]bool{}

func init() {
	for _, r := range strings.Fields(`archive bufio builtin bytes cmp compress container context crypto database
		debug embed encoding errors expvar flag fmt go hash html image index internal io iter log maps
		math mime net os path plugin reflect regexp runtime slices sort strconv strings structs sync
		syscall testing text time unicode unique unsafe vendor weak`) {
		stdRoots[r] = true
	}
}

// library reports whether a goroutine starting in fn is the standard library's or
// golang.org/x's own (net/http serving a connection, database/sql opening them, a
// time.AfterFunc callback), not one the program started for its work. sync.WaitGroup.Go and
// errgroup's Go and TryGo start a function the program handed them: those are the program's.
func library(fn string) bool {
	for _, w := range []string{"sync.(*WaitGroup).Go.", "golang.org/x/sync/errgroup.(*Group).Go.", "golang.org/x/sync/errgroup.(*Group).TryGo."} {
		if strings.HasPrefix(fn, w) {
			return false
		}
	}
	if strings.HasPrefix(fn, "golang.org/x/") {
		return true
	}
	root := fn
	if i := strings.IndexAny(root, "/."); i >= 0 {
		root = root[:i]
	}
	return stdRoots[root]
}

// shortName is a start function without its package path: "sleep/concurrent.Main.func1" →
// "Main.func1"; "main.main" stays.
func shortName(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	if i := strings.Index(fn, "."); i >= 0 && !strings.HasPrefix(fn, "main.") {
		return fn[i+1:]
	}
	return fn
}

type gstate struct {
	id       int64
	idle     bool // the js/wasm runtime's idle goroutine: "running" while the thread waits
	user     int  // 1 user, -1 system, 0 not known yet
	name     string
	lib      bool // started in library code (see library)
	idx      int  // index in Summary.Gs once user
	created  bool
	state    int // current state, -1 none
	reason   int
	since    trace.Time
	iv       []int64
	alive    bool
	bornAt   trace.Time
	endAt    trace.Time
	regions  []openRegion
	finished bool
}

type openRegion struct {
	name  string
	start trace.Time
}

// Analyze reads a trace and summarises it. A trace cut short (a run stopped, a time limit) is
// summarised as far as it reads: the Summary says Complete false and why, and the error is nil;
// an error means nothing could be read.
func Analyze(r io.Reader) (*Summary, error) {
	rd, err := trace.NewReader(r)
	if err != nil {
		return nil, err
	}
	a := &analysis{gs: map[trace.GoID]*gstate{}, reasonIdx: map[string]int{}, nameIdx: map[string]int{}}
	s := &Summary{Version: Version, Complete: true}
	n := 0
	for {
		ev, err := rd.ReadEvent()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.Complete = false
				s.Problem = err.Error()
			}
			break
		}
		n++
		a.event(ev)
	}
	if n == 0 {
		return nil, errors.New("sched: the trace holds no events")
	}
	a.finish(s)
	return s, nil
}

type analysis struct {
	first, last trace.Time
	seen        bool
	gs          map[trace.GoID]*gstate
	order       []*gstate // every goroutine, in order of first sight
	reasons     []string
	reasonIdx   map[string]int
	names       []string
	nameIdx     map[string]int
	// the thread: running spans of any goroutine
	running     map[trace.GoID]trace.Time
	thread      []span
	tasks       map[trace.TaskID]openRegion
	taskSpans   []taskSpan
	regionSpans []regionSpan
}

type span struct {
	start, end trace.Time
	g          *gstate
}

type taskSpan struct {
	start, end trace.Time
	name       string
}

type regionSpan struct {
	g          *gstate
	start, end trace.Time
	name       string
}

func (a *analysis) g(id trace.GoID) *gstate {
	g := a.gs[id]
	if g == nil {
		g = &gstate{id: int64(id), state: -1, reason: -1}
		if id == 1 { // the main goroutine is always goroutine 1
			g.user = 1
		}
		a.gs[id] = g
		a.order = append(a.order, g)
	}
	return g
}

func (a *analysis) reason(r string) int {
	if r == "" {
		r = "other"
	}
	i, ok := a.reasonIdx[r]
	if !ok {
		i = len(a.reasons)
		a.reasons = append(a.reasons, r)
		a.reasonIdx[r] = i
	}
	return i
}

func (a *analysis) name(n string) int {
	i, ok := a.nameIdx[n]
	if !ok {
		i = len(a.names)
		a.names = append(a.names, n)
		a.nameIdx[n] = i
	}
	return i
}

// classify looks at a stack seen for g. A creation stack (start) holds the function the
// goroutine starts in: the runtime's or the program's. Any other stack of g with a frame of the
// program's makes it a user goroutine, named by the outermost such frame (its entry).
func classify(g *gstate, st trace.Stack, start bool) {
	if st == trace.NoStack || (g.user != 0 && g.name != "") {
		return
	}
	for f := range st.Frames() {
		if f.Func == idleFunc {
			g.idle = true
		}
	}
	if start {
		for f := range st.Frames() {
			g.name = shortName(f.Func)
			g.lib = library(f.Func)
			if system(f.Func) {
				g.user = -1
			} else {
				g.user = 1
			}
			return
		}
		return
	}
	outer := ""
	for f := range st.Frames() {
		if !system(f.Func) {
			outer = f.Func
		}
	}
	if outer != "" {
		if g.user == 0 {
			g.user = 1
		}
		if g.user == 1 && g.name == "" {
			g.name = shortName(outer)
		}
	}
}

func (a *analysis) event(ev trace.Event) {
	t := ev.Time()
	if !a.seen {
		a.first, a.seen = t, true
		a.running = map[trace.GoID]trace.Time{}
		a.tasks = map[trace.TaskID]openRegion{}
	}
	if t > a.last {
		a.last = t
	}
	switch ev.Kind() {
	case trace.EventStateTransition:
		st := ev.StateTransition()
		if st.Resource.Kind != trace.ResourceGoroutine {
			return
		}
		id := st.Resource.Goroutine()
		from, to := st.Goroutine()
		g := a.g(id)
		if from == trace.GoNotExist {
			// creation: st.Stack is where the new goroutine starts
			g.created = true
			classify(g, st.Stack, true)
		} else {
			classify(g, st.Stack, false)
			if g.user == 0 && ev.Goroutine() == id { // ev.Stack is the executing goroutine's
				classify(g, ev.Stack(), false)
			}
		}
		if to != trace.GoNotExist && !g.alive {
			g.alive = true
			g.bornAt = t
		}
		if from == trace.GoUndetermined && g.state < 0 {
			// a goroutine the trace first mentions mid-way (the runtime names one when it is
			// first touched): it existed, in that state, since the trace began
			g.bornAt = a.first
			a.transition(g, id, a.first, to, st.Reason)
			return
		}
		a.transition(g, id, t, to, st.Reason)
	case trace.EventRegionBegin, trace.EventRegionEnd:
		gid := ev.Goroutine()
		if gid == trace.NoGoroutine {
			return
		}
		g := a.g(gid)
		classify(g, ev.Stack(), false)
		name := ev.Region().Type
		if ev.Kind() == trace.EventRegionBegin {
			g.regions = append(g.regions, openRegion{name, t})
			return
		}
		for i := len(g.regions) - 1; i >= 0; i-- {
			if g.regions[i].name == name {
				a.regionSpans = append(a.regionSpans, regionSpan{g, g.regions[i].start, t, name})
				g.regions = append(g.regions[:i], g.regions[i+1:]...)
				break
			}
		}
	case trace.EventTaskBegin:
		tk := ev.Task()
		a.tasks[tk.ID] = openRegion{tk.Type, t}
	case trace.EventTaskEnd:
		tk := ev.Task()
		if o, ok := a.tasks[tk.ID]; ok {
			name := o.name
			if name == "" {
				name = tk.Type
			}
			a.taskSpans = append(a.taskSpans, taskSpan{o.start, t, name})
			delete(a.tasks, tk.ID)
		}
	default:
		if gid := ev.Goroutine(); gid != trace.NoGoroutine {
			if g := a.gs[gid]; g != nil && g.user == 0 {
				classify(g, ev.Stack(), false)
			}
		}
	}
}

func stateOf(s trace.GoState) int {
	switch s {
	case trace.GoRunning:
		return Running
	case trace.GoRunnable:
		return Runnable
	case trace.GoWaiting, trace.GoSyscall:
		return Waiting
	}
	return -1
}

func (a *analysis) transition(g *gstate, id trace.GoID, t trace.Time, to trace.GoState, reason string) {
	a.close(g, t)
	if start, ok := a.running[id]; ok {
		if !g.idle {
			a.thread = append(a.thread, span{start, t, g})
		}
		delete(a.running, id)
	}
	if to == trace.GoNotExist {
		g.alive = false
		g.finished = true
		g.endAt = t
		g.state = -1
		return
	}
	g.state = stateOf(to)
	g.reason = -1
	if to == trace.GoSyscall {
		g.reason = a.reason("syscall")
	} else if g.state == Waiting {
		g.reason = a.reason(reason)
	}
	g.since = t
	if to == trace.GoRunning {
		a.running[id] = t
	}
}

// close ends g's current interval at t.
func (a *analysis) close(g *gstate, t trace.Time) {
	if g.state < 0 {
		return
	}
	g.iv = append(g.iv, int64(g.since), int64(t), int64(g.state), int64(g.reason))
	g.state = -1
}

func (a *analysis) us(t trace.Time) int64 { return (int64(t) - int64(a.first)) / 1000 }

func (a *analysis) finish(s *Summary) {
	end := a.last
	for id, start := range a.running {
		if g := a.gs[id]; !g.idle {
			a.thread = append(a.thread, span{start, end, g})
		}
	}
	type edge struct {
		t     trace.Time
		delta int
	}
	var edges []edge
	sort.Slice(a.order, func(i, j int) bool { return a.order[i].id < a.order[j].id })
	for _, g := range a.order {
		a.close(g, end)
		if g.user != 1 {
			continue
		}
		if g.id == 1 {
			g.name = "main" // natively tracefile runs main from init: its stack says so
		} else if g.name == "" {
			g.name = "goroutine"
		}
		g.idx = len(s.Gs)
		iv := make([]int64, len(g.iv))
		for i := 0; i < len(g.iv); i += 4 {
			iv[i] = a.us(trace.Time(g.iv[i]))
			iv[i+1] = a.us(trace.Time(g.iv[i+1]))
			iv[i+2], iv[i+3] = g.iv[i+2], g.iv[i+3]
		}
		s.Gs = append(s.Gs, G{ID: g.id, Name: a.name(g.name), Iv: iv, Ended: g.finished, Lib: g.lib && g.id != 1})
		if g.alive || g.finished {
			born := g.bornAt
			if born < a.first {
				born = a.first
			}
			edges = append(edges, edge{born, 1})
			if g.finished {
				edges = append(edges, edge{g.endAt, -1})
			}
		}
		for _, o := range g.regions { // regions still open at the end
			a.regionSpans = append(a.regionSpans, regionSpan{g, o.start, end, o.name})
		}
	}
	// ends before starts at the same instant: a goroutine that ends as another starts is not two
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].t != edges[j].t {
			return edges[i].t < edges[j].t
		}
		return edges[i].delta < edges[j].delta
	})
	alive := 0
	for _, e := range edges {
		alive += e.delta
		if alive > s.Goroutines {
			s.Goroutines = alive
			s.PeakUs = a.us(e.t)
		}
	}
	// the thread: spans in time order; busy is their union (one thread under js/wasm, several
	// natively: there it is the time any goroutine ran)
	sort.Slice(a.thread, func(i, j int) bool { return a.thread[i].start < a.thread[j].start })
	var busy int64
	var cur trace.Time = math.MinInt64
	for _, sp := range a.thread {
		st := sp.start
		if st < cur {
			st = cur
		}
		if sp.end > st {
			busy += int64(sp.end - st)
			cur = sp.end
		}
		gi := int64(-1)
		if sp.g != nil && sp.g.user == 1 {
			gi = int64(sp.g.idx)
		}
		s.Thread = append(s.Thread, a.us(sp.start), a.us(sp.end), gi)
	}
	for _, r := range a.regionSpans {
		if r.g.user != 1 {
			continue
		}
		s.Regions = append(s.Regions, int64(r.g.idx), a.us(r.start), a.us(r.end), int64(a.name(r.name)))
	}
	for _, o := range a.tasks { // tasks still open at the end
		a.taskSpans = append(a.taskSpans, taskSpan{o.start, end, o.name})
	}
	sort.Slice(a.taskSpans, func(i, j int) bool { return a.taskSpans[i].start < a.taskSpans[j].start })
	for _, tk := range a.taskSpans {
		s.Tasks = append(s.Tasks, a.us(tk.start), a.us(tk.end), int64(a.name(tk.name)))
	}
	s.BusyMs = round3(float64(busy) / 1e6)
	s.WallMs = round3(float64(end-a.first) / 1e6)
	s.ClockMs = round3(float64(a.first) / 1e6)
	s.Reasons = a.reasons
	for _, r := range a.reasons {
		s.Kinds = append(s.Kinds, Kind(r))
	}
	s.Names = a.names
	if s.Thread == nil {
		s.Thread = []int64{}
	}
	if s.Regions == nil {
		s.Regions = []int64{}
	}
	if s.Tasks == nil {
		s.Tasks = []int64{}
	}
	if s.Reasons == nil {
		s.Reasons, s.Kinds = []string{}, []string{}
	}
	if s.Names == nil {
		s.Names = []string{}
	}
	if s.Gs == nil {
		s.Gs = []G{}
	}
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
