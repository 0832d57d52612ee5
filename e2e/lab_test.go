package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unblocked/internal/chromium"
	"unblocked/internal/chromium/chromiumtest"
	"unblocked/site/webtest"
)

// labJS is the lab as the browser runs it: the ES module the program's worker imports, which
// imports protocol.js beside it (both served as they are, at /lab.js and /protocol.js).
var labJS = []string{"site/assets/js/lab.js", "site/assets/js/protocol.js"}

// TestLabInWorkerMatchesGo runs site/lab's script, the one lab.Handler passes, against lab.js
// answering fetch in a Chromium worker, as it answers a program's requests on a static host:
// every case alike, limit/ places included, and not one lab request reaching the network.
func TestLabInWorkerMatchesGo(t *testing.T) {
	t.Parallel()
	target, paths := newWorkerLab(t)
	webtest.Test(t, filepath.Join(repoRoot, "site", "lab", "testdata", "lab.txt"), target)
	for _, p := range paths() {
		if strings.HasPrefix(p, "/lab/") {
			t.Errorf("a lab request reached the network: %s", p)
		}
	}
	chromiumtest.AssertClean(t, target.tab)
}

// workerLab is a webtest.Target: each request is a fetch in a worker where lab.js answers the
// lab root, one worker per client (lab.js counts limit/ places per run, that is per worker).
// A request is taken up once fetch has been called: lab.js takes a place synchronously.
type workerLab struct {
	tab  *chromium.Tab
	next atomic.Int64
}

// The page's side: workers by client, and a promise per request for its start and its end.
const labAdapterJS = `window.__lab = (() => {
  const workers = new Map(), started = new Map(), done = new Map();
  const settle = (map, id, v) => { const p = map.get(id); if (p) p.resolve(v); };
  const deferred = (map, id) => { let resolve; const promise = new Promise(r => resolve = r); map.set(id, {promise, resolve}); return promise; };
  const worker = (client) => {
    if (!workers.has(client)) {
      const w = new Worker("/lab-worker.js", {type: "module"});
      w.onmessage = (e) => { const m = e.data; settle(m.type === "started" ? started : done, m.id, m); };
      w.onerror = (e) => console.error("lab worker: " + e.message);
      workers.set(client, w);
    }
    return workers.get(client);
  };
  return {
    start(client, msg) { const p = deferred(started, msg.id); deferred(done, msg.id); worker(client).postMessage(msg); return p; },
    cancel(client, id) { worker(client).postMessage({type: "cancel", id}); return true; },
    wait(id) { return done.get(id).promise; },
  };
})(), true`

// The worker: lab.js answers fetch under /lab/.
const labWorkerJS = `const ready = import("/lab.js").then(m => m.wrapFetch(new URL("/lab/", location.href).href));
const aborts = new Map();
onmessage = async (e) => {
  const m = e.data;
  await ready;
  if (m.type === "cancel") { aborts.get(m.id)?.abort(); return; }
  const ac = new AbortController();
  aborts.set(m.id, ac);
  let answer;
  try {
    answer = fetch(new URL(m.url, location.href).href, {method: m.method, headers: m.headers, body: m.body, signal: ac.signal});
  } finally {
    postMessage({type: "started", id: m.id});
  }
  answer.then(async (r) => postMessage({type: "done", id: m.id, status: r.status, headers: [...r.headers], body: await r.text()}),
              (err) => postMessage({type: "done", id: m.id, error: String(err)}))
        .finally(() => aborts.delete(m.id));
};`

func newWorkerLab(t *testing.T) (*workerLab, func() []string) {
	t.Helper()
	modules := map[string][]byte{}
	for _, f := range labJS {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		modules["/"+filepath.Base(f)] = b
	}
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lab.js</title><link rel="icon" href="data:,"></head><body></body></html>`)
		case "/lab.js", "/protocol.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(modules[r.URL.Path])
		case "/lab-worker.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			fmt.Fprint(w, labWorkerJS)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	tab := chromiumtest.NewTab(t, chrome, 3*time.Minute)
	if err := tab.Run(chromedp.Navigate(srv.URL + "/")); err != nil {
		t.Fatal(err)
	}
	if err := tab.Eval(labAdapterJS, nil); err != nil {
		t.Fatal(err)
	}
	return &workerLab{tab: tab}, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), paths...)
	}
}

type labMessage struct {
	Type    string            `json:"type"`
	ID      int64             `json:"id"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    *string           `json:"body"`
}

type labAnswer struct {
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
	Body    string      `json:"body"`
	Error   string      `json:"error"`
}

// Start implements webtest.Target.
func (l *workerLab) Start(ctx context.Context, req *webtest.Request) (func() (*webtest.Response, error), error) {
	msg := labMessage{Type: "start", ID: l.next.Add(1), Method: req.Method, URL: req.URL, Headers: map[string]string{}}
	for k := range req.Header {
		msg.Headers[k] = req.Header.Get(k)
	}
	if req.Method == "POST" {
		msg.Body = &req.Body
	}
	js := func(f string, args ...any) string { return fmt.Sprintf(f, args...) }
	m, _ := json.Marshal(msg)
	if err := l.tab.Eval(js(`__lab.start(%q, %s).then(() => true)`, req.Client, m), nil); err != nil {
		return nil, err
	}
	return func() (*webtest.Response, error) {
		if ctx.Err() != nil { // abandoned: abort the fetch, then wait for lab.js to let go
			if err := l.tab.Eval(js(`__lab.cancel(%q, %d)`, req.Client, msg.ID), nil); err != nil {
				return nil, err
			}
		}
		var a labAnswer
		if err := l.tab.Eval(js(`__lab.wait(%d)`, msg.ID), &a); err != nil {
			return nil, err
		}
		if a.Error != "" {
			return nil, fmt.Errorf("fetch: %s", a.Error)
		}
		resp := &webtest.Response{Code: a.Status, Header: http.Header{}, Body: []byte(a.Body)}
		for _, kv := range a.Headers {
			resp.Header.Add(kv[0], kv[1])
		}
		return resp, nil
	}, nil
}
