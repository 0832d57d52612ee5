"""Starve: blocking calls made one after another, with a heartbeat on the event loop.

time.sleep stops the whole thread, event loop and all, so the heartbeat coroutine never
gets a turn until the calls are done. The Python twin of ../sync/main.go (there the tasks
compute; here they block, the article's "blocking call in async code"): the same flags, the
same lines.

    python3 sync.py -tasks 3 -delay 500ms
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
async def heartbeat(start):
    while True:
        await asyncio.sleep(0.1)
        print(f"heartbeat at {show(time.perf_counter() - start)}")


def task(id, delay):
    print(f"task {id} start: blocking")
    time.sleep(delay)  # blocks the thread: the event loop stops with it
    print(f"task {id} done")


async def main():
    flags = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    flags.add_argument("-tasks", type=int, default=3, help="number of tasks")
    flags.add_argument("-delay", type=duration, default=0.5, help="how long each task blocks")
    args = flags.parse_args()

    start = time.perf_counter()
    beat = asyncio.create_task(heartbeat(start))
    for i in range(1, args.tasks + 1):
        task(i, args.delay)
    beat.cancel()
    print(f"all {args.tasks} tasks done in {show(time.perf_counter() - start)}")


if __name__ == "__main__":
    asyncio.run(main())
