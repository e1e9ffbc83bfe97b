"""One asyncio event loop per execution environment, and a blocking reader of async streams.

Agent frameworks stream on an asyncio loop, while the kit's handlers read an agent's events
from a plain generator. A loop that lives as long as the execution environment (a daemon
thread runs it) keeps every async client a framework caches bound to a loop that is still
open, so the second warm invocation works like the first ("Event loop is closed" is what a
fresh ``asyncio.run`` per invocation gets).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator

from ..handoff import Handoff

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()
_END = object()


def environment_loop() -> asyncio.AbstractEventLoop:
    """The execution environment's loop, started on first use."""
    global _loop
    with _lock:
        if _loop is None:
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="agent-loop", daemon=True).start()
    return _loop


def iterate(stream: Callable[[], AsyncIterator[object]]) -> Iterator[object]:
    """Yield what ``stream()`` yields, as it yields it, while it runs on the environment's loop.

    Closing the generator (the caller went away, the deadline came) cancels the stream and
    whatever it was awaiting, a running tool included.
    """
    handoff = Handoff()

    async def pump() -> None:
        try:
            async for item in stream():
                handoff.put(item)
        except BaseException as problem:
            handoff.fail(problem)
            if isinstance(problem, asyncio.CancelledError):
                raise
        else:
            handoff.put(_END)

    future = asyncio.run_coroutine_threadsafe(pump(), environment_loop())
    try:
        while (item := handoff.get()) is not _END:
            yield item
    finally:
        future.cancel()
