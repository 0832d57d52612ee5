package chromium

import (
	"context"
	"errors"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Open opens a tab whose every action must finish within timeout; the caller closes it with the
// returned function (chromiumtest.NewTab closes it when the test ends).
func (b *Browser) Open(timeout time.Duration) (*Tab, func(), error) {
	return b.open(timeout)
}

// OpenDevice is Open in a browser context of its own: its own storage, service workers, caches
// and connections (a browser keeps 6 per server over HTTP/1.1), as another device would have.
func (b *Browser) OpenDevice(timeout time.Duration) (*Tab, func(), error) {
	return b.open(timeout, chromedp.WithNewBrowserContext())
}

func (b *Browser) open(timeout time.Duration, opts ...chromedp.ContextOption) (*Tab, func(), error) {
	tab := &Tab{}
	ctx, cancel := chromedp.NewContext(b.ctx, append([]chromedp.ContextOption{chromedp.WithListener(tab.listen)}, opts...)...)
	ctx, tcancel := context.WithTimeout(ctx, timeout)
	tab.Ctx = ctx
	closeTab := func() { tcancel(); cancel() }
	if err := chromedp.Do(ctx); err != nil {
		closeTab()
		return nil, nil, err
	}
	_, err1 := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	_, err2 := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{})
	_, err3 := chromedp.Call(ctx, runtime.Enable, cdp.Empty{})
	if err := errors.Join(err1, err2, err3); err != nil {
		closeTab()
		return nil, nil, err
	}
	return tab, closeTab, nil
}
