"""Runs the lessons' Python against the workbook's lab instead of the
internet, with the real libraries. The test serves site/lab and names it in
UNBLOCKED_LAB ("http://127.0.0.1:<port>/lab/"); every URL a block fetches,
with urllib or with aiohttp (Debian's python3-aiohttp), becomes a lab page
that answers "ok <url>" after 50 ms. aiohttp.web.run_app serves the app for
real on a free port, asks each GET route once ("1" for every path
parameter), prints the answers and returns, instead of serving until Ctrl-C."""

import asyncio
import os
import re
import urllib.parse
import urllib.request

LAB = os.environ["UNBLOCKED_LAB"]


def _to_lab(url):
    u = urllib.parse.urlsplit(str(url))
    if u.hostname in ("127.0.0.1", "localhost"):  # the lab itself, a test server
        return url
    rest = (u.netloc + u.path).strip("/")
    return LAB + "delay/50ms/" + rest + ("?" + u.query if u.query else "")


_urlopen = urllib.request.urlopen


def _lab_urlopen(url, *args, **kwargs):
    if isinstance(url, urllib.request.Request):
        url.full_url = _to_lab(url.full_url)
    else:
        url = _to_lab(url)
    return _urlopen(url, *args, **kwargs)


urllib.request.urlopen = _lab_urlopen

if os.environ.get("UNBLOCKED_AIOHTTP"):  # set for the blocks that use it: slow to import
    import aiohttp  # (the test checks it is installed)
    import aiohttp.test_utils
    import aiohttp.web
else:
    aiohttp = None

if aiohttp:
    _request = aiohttp.ClientSession._request

    async def _lab_request(self, method, url, **kwargs):
        return await _request(self, method, _to_lab(url), **kwargs)

    aiohttp.ClientSession._request = _lab_request

    def _run_app(app, **kwargs):
        async def serve():
            server = aiohttp.test_utils.TestServer(app)
            async with aiohttp.test_utils.TestClient(server) as client:
                for route in app.router.routes():
                    if route.method != "GET":
                        continue
                    info = route.resource.get_info()
                    path = info.get("path") or re.sub(r"{(\w+)}", "1", info["formatter"])
                    resp = await client.get(path)
                    print("GET", path, "->", resp.status, await resp.text())
                    if resp.status != 200:
                        raise SystemExit(f"GET {path}: {resp.status}")

        asyncio.run(serve())

    aiohttp.web.run_app = _run_app
