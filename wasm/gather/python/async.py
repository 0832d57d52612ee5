"""Gather fetches lab pages all at once with aiohttp and asyncio.gather, as the article does.

One ClientSession shares its connections among the coroutines; gather returns the bodies in
the order of the requests and raises the first error. The Python twin of ../concurrent/main.go:
the same flags (-base is the lab's root URL), the same lines. Needs aiohttp (Debian:
python3-aiohttp; pip install aiohttp); in the workbook's browser runs, the page provides it.

    python3 async.py -tasks 5 -delay 1s -base http://127.0.0.1:8080/lab/
"""
import argparse
import asyncio
import json
import re
import time

import aiohttp

UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def duration(text):
    """Reads a Go duration ("1s", "300ms", "1m30s") as seconds, as Go's flag reads -delay."""
    parts = re.findall(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)", text)
    if text != "0" and "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r}")
    return sum(float(n) * UNITS[u] for n, u in parts)


def show(seconds):
    """Writes seconds as Go prints a duration rounded to the millisecond: 5.005s, 200ms."""
    ms = round(seconds * 1000)
    if ms < 1000:
        return f"{ms}ms" if ms else "0s"
    m, s = divmod(ms, 60000)
    h, m = divmod(m, 60)
    return (f"{h}h" if h else "") + (f"{m}m" if h or m else "") + f"{s / 1000:.3f}".rstrip("0").rstrip(".") + "s"
async def fetch(session, url):
    async with session.get(url) as response:
        response.raise_for_status()  # an answer other than 2xx is an error, as in the Go version
        return await response.text()


async def main():
    flags = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    flags.add_argument("-tasks", type=int, default=5, help="number of pages")
    flags.add_argument("-delay", type=duration, default=1.0, help="how long the server takes per page")
    flags.add_argument("-base", default="http://127.0.0.1:8080/lab/", help="lab root URL")
    args = flags.parse_args()

    start = time.perf_counter()
    async with aiohttp.ClientSession() as session:

        async def page(i):
            url = f"{args.base}delay/{show(args.delay)}/page-{i}"
            print(f"task {i} start: GET {url}")
            body = await fetch(session, url)  # this coroutine waits; the loop runs the others
            print(f"task {i} done: {len(body)} bytes")
            return body

        results = await asyncio.gather(*(page(i) for i in range(1, args.tasks + 1)))
    for i, body in enumerate(results, 1):
        print(f"result {i}: {json.dumps(body)}")
    print(f"all {args.tasks} tasks done in {show(time.perf_counter() - start)}")


if __name__ == "__main__":
    asyncio.run(main())
