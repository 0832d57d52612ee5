package browser

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

// Open is NewTab for programs that are not tests (cmd/bench): the caller
// closes the tab with the returned function.
func (b *Browser) Open(timeout time.Duration) (*Tab, func(), error) {
	tab := &Tab{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(tab.listen))
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
