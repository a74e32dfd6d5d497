"""Runs many jobs concurrently under a global limit and a per-host limit, yielding each result
as soon as it is ready. Jobs are taken round-robin across hosts so that one host with a
thousand feeds neither starves the others nor, through head-of-line blocking, leaves global
slots idle while its own jobs wait for their host's turn. A finished job's slot goes to the next
job of the same host when it has one, so the kept-alive connection is reused instead of a new
one being opened (cheaper for both sides). Finished jobs report through a queue rather than
``asyncio.wait`` over all running tasks, which would cost O(running) per result."""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


async def run_bounded(
    items: Iterable[Item],
    *,
    key: Callable[[Item], str],
    job: Callable[[Item], Awaitable[Result]],
    max_total: int,
    max_per_key: int,
) -> AsyncIterator[Result]:
    queues: dict[str, deque[Item]] = {}
    for item in items:
        queues.setdefault(key(item), deque()).append(item)
    ready: deque[str] = deque(queues)
    active: Counter[str] = Counter()
    running: dict[asyncio.Task[Result], str] = {}
    finished: asyncio.Queue[asyncio.Task[Result]] = asyncio.Queue()
    max_total, max_per_key = max(1, max_total), max(1, max_per_key)

    def launch(host: str) -> None:
        task = asyncio.ensure_future(job(queues[host].popleft()))
        task.add_done_callback(finished.put_nowait)
        running[task] = host

    try:
        while True:
            while ready and len(running) < max_total:
                host = ready.popleft()
                if not queues[host]:
                    continue  # drained through the same-host hand-over below
                launch(host)
                active[host] += 1
                if queues[host] and active[host] < max_per_key:
                    ready.append(host)
            if not running:
                return
            task = await finished.get()
            host = running.pop(task)
            if queues[host]:
                launch(host)
            else:
                active[host] -= 1
            yield task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
