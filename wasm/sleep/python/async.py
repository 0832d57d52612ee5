"""Sleep runs every task as a coroutine on one event loop, the article's asyncio version.

While one task awaits its sleep the loop runs the others, so the total is about one delay,
however many tasks there are. The Python twin of ../concurrent/main.go: the same flags, the
same lines.

    python3 async.py -tasks 5 -delay 1s

(Not concurrent.py: python3 puts the script's folder first on sys.path, and a file of that name
hides the standard library's concurrent package, which asyncio imports.)
"""
import argparse
import asyncio
import re
import time

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


async def task(id, delay):
    print(f"task {id} start: sleeping {show(delay)}")
    await asyncio.sleep(delay)  # only this coroutine waits: the loop runs the others
    print(f"task {id} done")


async def main():
    flags = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    flags.add_argument("-tasks", type=int, default=5, help="number of tasks")
    flags.add_argument("-delay", type=duration, default=1.0, help="how long each task waits")
    args = flags.parse_args()

    start = time.perf_counter()
    await asyncio.gather(*(task(i, args.delay) for i in range(1, args.tasks + 1)))
    print(f"all {args.tasks} tasks done in {show(time.perf_counter() - start)}")


if __name__ == "__main__":
    asyncio.run(main())
