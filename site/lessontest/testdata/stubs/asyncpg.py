"""A stand-in for asyncpg: a pool of max_size fake connections, each query
taking 50 ms; fetchval returns 100 + the first argument."""

import asyncio


class _Conn:
    async def fetchval(self, query, *args, timeout=None):
        await asyncio.wait_for(asyncio.sleep(0.05), timeout)
        return 100 + args[0] if args else None


class _Acquire:
    def __init__(self, pool):
        self.pool = pool

    async def __aenter__(self):
        await self.pool.sem.acquire()
        return _Conn()

    async def __aexit__(self, *exc):
        self.pool.sem.release()
        return False


class Pool:
    def __init__(self, max_size):
        self.sem = asyncio.Semaphore(max_size)

    def acquire(self, timeout=None):
        return _Acquire(self)

    async def close(self):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()
        return False


async def create_pool(dsn=None, min_size=10, max_size=10, **kwargs):
    return Pool(max_size)
