// Package chromium starts one headless Debian Chromium and opens tabs that record every request,
// console error and uncaught exception, so callers can tell a page is clean and talks to no other
// host. It does not import testing: cmd/bench drives the same browser; the test helpers are in
// chromiumtest.
package chromium

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// DefaultPath is where Debian installs Chromium; $CHROMIUM overrides it.
const DefaultPath = "/usr/bin/chromium"

// Browser is one running Chromium.
type Browser struct {
	ctx     context.Context
	cancel  func()
	dataDir string
}

// Path returns the Chromium binary the tests use.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	return DefaultPath
}

// Launch starts Chromium with a fresh profile. It fails (never skips) when the binary is missing.
func Launch() (*Browser, error) {
	path := Path()
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return nil, fmt.Errorf("e2e needs Chromium at %s (install the Debian package chromium, or set $CHROMIUM): %v", path, err)
	}
	dir, err := os.MkdirTemp("", "unblocked-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(dir),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil {
		bcancel()
		acancel()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return &Browser{ctx: bctx, cancel: func() { bcancel(); acancel() }, dataDir: dir}, nil
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	os.RemoveAll(b.dataDir)
}

// Tab is one page target with its own recordings.
type Tab struct {
	Ctx context.Context

	mu         sync.Mutex
	requests   []string
	console    []string
	exceptions []string
	logErrors  []string
}

func (tab *Tab) listen(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		tab.requests = append(tab.requests, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if len(a.Value) > 0 {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			tab.console = append(tab.console, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tab.exceptions = append(tab.exceptions, fmt.Sprintf("%s (%s:%d)", msg, d.URL, d.LineNumber+1))
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			tab.logErrors = append(tab.logErrors, ev.Entry.Text+" "+ev.Entry.URL)
		}
	}
}

// Requests returns every URL requested so far (page and resources).
func (tab *Tab) Requests() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return append([]string(nil), tab.requests...)
}

// Problems returns console errors, uncaught exceptions and error log entries seen so far.
func (tab *Tab) Problems() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	var out []string
	for _, s := range tab.console {
		out = append(out, "console.error: "+s)
	}
	for _, s := range tab.exceptions {
		out = append(out, "exception: "+s)
	}
	for _, s := range tab.logErrors {
		out = append(out, "log error: "+s)
	}
	return out
}

// ForeignRequests returns requests to any host other than 127.0.0.1 (data:, blob: and
// chrome internals excepted).
func (tab *Tab) ForeignRequests() []string {
	var out []string
	for _, r := range tab.Requests() {
		u, err := url.Parse(r)
		if err != nil {
			out = append(out, r)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about", "chrome", "devtools":
			continue
		}
		if u.Hostname() != "127.0.0.1" {
			out = append(out, r)
		}
	}
	return out
}

// Run runs chromedp actions on the tab.
func (tab *Tab) Run(actions ...chromedp.Action[chromedp.Void]) error {
	return chromedp.Do(tab.Ctx, actions...)
}

// Eval evaluates a JS expression (promises awaited) and decodes its JSON value into out.
func (tab *Tab) Eval(js string, out any) error {
	raw, err := chromedp.Run(tab.Ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// WaitJS polls a JS expression (a promise is awaited) every 20 ms until it is truthy or timeout passes.
func (tab *Tab) WaitJS(js string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var ok bool
		err := tab.Eval("(async () => !!(await ("+js+")))()", &ok)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			if err != nil {
				return fmt.Errorf("waiting for %s: %v", js, err)
			}
			return fmt.Errorf("timed out after %v waiting for %s", timeout, js)
		}
		select {
		case <-tab.Ctx.Done():
			return tab.Ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Node is re-exported for callers that query nodes.
type Node = cdp.Node
