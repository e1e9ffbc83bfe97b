"""Read a blocking iterator (a synchronous SDK stream) without blocking the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


async def iterate_in_thread(open_stream: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Yield what ``open_stream()`` yields, reading it in a worker thread.

    Each item reaches the event loop as soon as the thread reads it; an exception in the
    thread is raised here. If the consumer stops early, the thread stops at its next item.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in open_stream():
                loop.call_soon_threadsafe(queue.put_nowait, item)
                if stop.is_set():
                    break
        except BaseException as problem:  # handed to the consumer, raised there
            loop.call_soon_threadsafe(queue.put_nowait, problem)
        finally:
            loop.call_soon_threadsafe(queue.put_nowait, _DONE)

    worker = loop.run_in_executor(None, produce)
    try:
        while (item := await queue.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        if worker.done():
            worker.result()
