// Package chromiumtest holds the testing side of package chromium: tabs that close when the test
// ends, and the clean-page assertion every browser test makes.
package chromiumtest

import (
	"testing"
	"time"

	"unblocked/internal/chromium"
)

// NewTab opens a tab in b that closes when the test ends; every action on it must finish within
// timeout.
func NewTab(t testing.TB, b *chromium.Browser, timeout time.Duration) *chromium.Tab {
	t.Helper()
	return closedAtEnd(t, b.Open, timeout)
}

// NewDeviceTab is NewTab in a browser context of its own (another device: its own storage and
// connections).
func NewDeviceTab(t testing.TB, b *chromium.Browser, timeout time.Duration) *chromium.Tab {
	t.Helper()
	return closedAtEnd(t, b.OpenDevice, timeout)
}

// closedAtEnd opens a tab with open and closes it when the test ends.
func closedAtEnd(t testing.TB, open func(time.Duration) (*chromium.Tab, func(), error), timeout time.Duration) *chromium.Tab {
	t.Helper()
	tab, closeTab, err := open(timeout)
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(closeTab)
	return tab
}

// AssertClean fails the test on console errors, exceptions or requests to other hosts.
func AssertClean(t testing.TB, tab *chromium.Tab) {
	t.Helper()
	for _, p := range tab.Problems() {
		t.Errorf("%s", p)
	}
	for _, r := range tab.ForeignRequests() {
		t.Errorf("request to another host: %s", r)
	}
}
