// pyprelude.js — the Python side of Run Python (imported by pyworker.js): what the browser's
// Pyodide needs so a program written for python3 runs as written. Kept as text here because
// the worker writes it into Pyodide's file system. Every piece is ordinary Python:
//   _unblocked/runner.py   run(path, argv) runs a file as __main__ (sys.argv set, SystemExit
//                          → exit code, a traceback without the runner's frames) and patches
//                          time.sleep to flush the output first (the thread really blocks)
//   _unblocked/net.py      urllib.request.urlopen over the browser's fetch, blocking the
//                          Python stack with pyodide.ffi.run_sync (JSPI) while the lab answers
//   aiohttp/__init__.py    the part of aiohttp the examples use (ClientSession.get, the
//                          response's status, raise_for_status, text, read), over pyfetch
// Lab URLs reach the worker's own fetch (lab.js), so every request is answered in the worker.

/** The files, path under the prelude's folder → source. */
export const FILES = {
  "_unblocked/__init__.py": "",
  "_unblocked/runner.py": `"""Runs one program file as python3 would: as __main__, with sys.argv and an exit code."""
import asyncio
import collections
import functools
import importlib.abc
import os
import runpy
import sys
import time
import traceback

import pyodide.webloop
from pyodide.ffi import create_once_callable

import _unblocked_js  # the worker: flush() posts the output written so far

_sleep = time.sleep


@functools.wraps(_sleep)
def _blocking_sleep(seconds):
    # Nothing runs while the thread sleeps, not even the worker's timer that posts the output:
    # post what was printed before the thread stops, so the page shows it now.
    sys.stdout.flush()
    sys.stderr.flush()
    _unblocked_js.flush()
    # Not Pyodide's own time.sleep: on a stack it can suspend (JSPI) that one lets the browser's
    # event loop, and with it every other coroutine, run while it waits, so the article's pitfall
    # (time.sleep in async def) would overlap and beat. A blocking call holds the thread.
    if not isinstance(seconds, (int, float)):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as an integer")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


time.sleep = _blocking_sleep


class _PatchAfter(importlib.abc.Loader):
    """Runs a module's own loader, then imports the prelude's patch of it."""

    def __init__(self, inner, patch):
        self._inner, self._patch = inner, patch

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        self._inner.exec_module(module)
        # the package's attribute is set only once the import is over: the patch needs it now
        parent, _, child = module.__name__.rpartition(".")
        setattr(sys.modules[parent], child, module)
        __import__(self._patch)

    def __getattr__(self, name):  # get_source and the rest: tracebacks show its lines
        return getattr(self._inner, name)


class _Patches(importlib.abc.MetaPathFinder):
    """urllib.request gets its browser urlopen (_unblocked.net) when a program imports it.

    Not at start: urllib.request brings http.client and email, and compiling them is a good part
    of a cold start; only the programs that fetch need them.
    """

    PATCHES = {"urllib.request": "_unblocked.net"}

    def find_spec(self, name, path=None, target=None):
        patch = self.PATCHES.get(name)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                spec.loader = _PatchAfter(spec.loader, patch)
                return spec
        return None


sys.meta_path.insert(0, _Patches())


# asyncio in the browser: Pyodide's WebLoop gives every call_soon a browser callback of its own
# (a JS function made for it, a setTimeout), and a task's every step is a call_soon: at 1,000
# tasks that overhead showed in the run's time. Here the handles ready go in one queue, which
# one browser callback runs in order, as CPython's own loop runs its ready queue each turn.
# Timers (call_later) are left as they are.
def _arm(loop):
    if not loop._unblocked_armed:
        loop._unblocked_armed = True
        # _may_syncify: a handle may block the thread (urlopen in a coroutine, run_sync)
        pyodide.webloop.scheduleCallback(create_once_callable(functools.partial(_run_ready, loop), _may_syncify=True), 0)


def _run_ready(loop):
    loop._unblocked_armed = False
    loop._install_running_loop()
    loop._install_asyncgen_hooks()
    ready = loop._unblocked_ready
    for _ in range(len(ready)):  # what came in meanwhile runs in the next callback
        h = ready.popleft()
        if h.cancelled():
            continue
        try:
            h._run()
        except SystemExit as e:
            if not loop._system_exit_handler:
                _arm(loop)
                raise
            loop._system_exit_handler(e.code)
        except KeyboardInterrupt:
            if not loop._keyboard_interrupt_handler:
                _arm(loop)
                raise
            loop._keyboard_interrupt_handler()
    if ready:
        _arm(loop)


def _call_soon(self, callback, *args, context=None):
    h = asyncio.Handle(callback, args, self, context=context)
    if "_unblocked_ready" not in self.__dict__:
        self._unblocked_ready = collections.deque()
        self._unblocked_armed = False
    self._unblocked_ready.append(h)
    _arm(self)
    return h


pyodide.webloop.WebLoop.call_soon = _call_soon


def run(path, argv):
    sys.argv = [os.path.basename(path)] + list(argv)
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except BaseException as e:
        tb = e.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next  # drop the runner's and runpy's frames, as python3 shows none
        traceback.print_exception(type(e), e, tb or e.__traceback__)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code
`,
  "_unblocked/net.py": `"""urllib.request.urlopen in the browser: the browser's fetch, awaited synchronously."""
import email.message
import io
import urllib.error
import urllib.request
import urllib.response

from pyodide.ffi import run_sync
from pyodide.http import pyfetch


def urlopen(url, data=None, timeout=None, **kwargs):
    method = "GET" if data is None else "POST"
    if isinstance(url, urllib.request.Request):
        method, data, url = url.get_method(), url.data, url.full_url
    resp = run_sync(pyfetch(url, method=method, body=data))
    body = run_sync(resp.bytes())
    headers = email.message.Message()
    for k, v in resp.headers.items():
        headers[k] = v
    if resp.status >= 400:
        raise urllib.error.HTTPError(url, resp.status, resp.status_text, headers, io.BytesIO(body))
    return urllib.response.addinfourl(io.BytesIO(body), headers, url, resp.status)


urllib.request.urlopen = urlopen
`,
  "aiohttp/__init__.py": `"""The part of aiohttp the workbook's programs use, over the browser's fetch (pyodide.http).

The browser has no sockets for Python to open; fetch is how a page talks to a server, and the
lab's URLs are answered inside the worker. Real aiohttp is a pip install away natively.
"""
from pyodide.http import pyfetch

__all__ = ["ClientError", "ClientResponseError", "ClientSession", "ClientResponse"]


class ClientError(Exception):
    pass


class ClientResponseError(ClientError):
    def __init__(self, status, message, url):
        self.status, self.message, self.url = status, message, url
        super().__init__(f"{status}, message={message!r}, url={url!r}")


class ClientResponse:
    def __init__(self, resp):
        self._resp = resp
        self.status = resp.status
        self.reason = resp.status_text
        self.url = resp.url
        self.ok = resp.ok
        self.headers = dict(resp.headers.items())

    def raise_for_status(self):
        if self.status >= 400:
            raise ClientResponseError(self.status, self.reason, self.url)

    async def text(self):
        return await self._resp.text()

    async def read(self):
        return await self._resp.bytes()

    async def json(self):
        return await self._resp.json()

    def release(self):
        pass


class _RequestContext:
    def __init__(self, coro):
        self._coro = coro

    def __await__(self):
        return self._coro.__await__()

    async def __aenter__(self):
        self._resp = await self._coro
        return self._resp

    async def __aexit__(self, *exc):
        self._resp.release()


class ClientSession:
    def __init__(self, *args, **kwargs):
        self.closed = False

    def request(self, method, url, **kwargs):
        return _RequestContext(self._request(method, str(url), kwargs.get("data")))

    def get(self, url, **kwargs):
        return self.request("GET", url, **kwargs)

    async def _request(self, method, url, data):
        return ClientResponse(await pyfetch(url, method=method, body=data))

    async def close(self):
        self.closed = True

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()
`,
};
