"""Thousands: one coroutine per task, all waiting at once on one event loop.

A coroutine waiting in asyncio.sleep is a small object on the heap, so thousands of them are
cheap; this program measures how cheap (tracemalloc, while they all sleep). The Python twin
of ../concurrent/main.go: the same flags, the same lines.

    python3 async.py -tasks 10000 -delay 1s
"""
import argparse
import asyncio
import re
import time
import tracemalloc

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
async def main():
    flags = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    flags.add_argument("-tasks", type=int, default=100, help="number of tasks")
    flags.add_argument("-delay", type=duration, default=1.0, help="how long each task waits")
    args = flags.parse_args()

    asleep = 0
    all_asleep = asyncio.Event()

    async def task(id):
        nonlocal asleep
        print(f"task {id} start")
        asleep += 1
        if asleep == args.tasks:
            all_asleep.set()
        await asyncio.sleep(args.delay)
        print(f"task {id} done")

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    finished = asyncio.gather(*(task(i) for i in range(1, args.tasks + 1)))
    # Measure once every task has started and gone to sleep, the state this program is about.
    # (With a delay shorter than it takes to start them all, the first ones are done by then.)
    await all_asleep.wait()
    running = len(asyncio.all_tasks())  # the tasks and main itself
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    await finished
    print(f"coroutines while working: {running}")
    print(f"memory: {used // 1024} KiB, about {used // args.tasks} bytes per coroutine")
    print(f"all {args.tasks} tasks done in {show(time.perf_counter() - start)}")


if __name__ == "__main__":
    asyncio.run(main())
