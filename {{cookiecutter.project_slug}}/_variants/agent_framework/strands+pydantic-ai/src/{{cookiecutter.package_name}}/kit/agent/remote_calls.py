"""The remote MCP servers' tools (``MCP_SERVERS``) for a framework's run, and their calls made
without ever blocking the event loop the framework runs on.

``remote_tools.py`` is synchronous: it lists and calls on an event loop of its own, in a thread.
The run lists the tools before its agent starts, in the caller's thread (``for_run``); a call
runs in a thread of its own while the framework's loop waits on ``progress_then_outcome``, which
yields each progress line the moment the server sends it, then the call's ``Outcome``. The
framework's own tool type wraps these (see the runner). Nothing here imports ``mcp`` until a
run needs it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

from ..settings import Settings
from . import remote_config


def for_run(settings: Settings) -> dict:
    """The remote tools for one run by the name the model sees; {} without ``MCP_SERVERS``.

    It may wait for the servers' listings (``remote_tools.LIST_TIMEOUT_S`` at most), so it is
    called from the caller's thread. A server that does not answer costs a warning, never the run.
    """
    return remote_config.offered_for_run(settings.mcp_servers)


async def progress_then_outcome(remote, arguments: dict) -> AsyncIterator:
    """Call ``remote`` in a worker thread: each progress line (text) as it arrives, then the
    ``remote_tools.Outcome``. A call that failed (``RemoteCallFailed``) is an error outcome with
    the reason, for the model to read. Leaving early (the run was cancelled) abandons the call.
    """
    from . import remote_tools  # loaded already: the run listed the remote tools

    loop = asyncio.get_running_loop()
    arrived: asyncio.Queue = asyncio.Queue()
    cancelled = threading.Event()

    def send(item) -> None:  # from the worker thread; a loop that has closed raises
        loop.call_soon_threadsafe(arrived.put_nowait, item)

    def work() -> None:
        try:
            outcome = remote_tools.call(remote, arguments, send, cancelled)
        except remote_tools.RemoteCallFailed as problem:
            outcome = remote_tools.Outcome(str(problem), True)
        except Exception as problem:
            outcome = remote_tools.Outcome(f"{type(problem).__name__}: {problem}", True)
        if not cancelled.is_set():
            send(outcome)

    threading.Thread(target=work, name=f"remote-{remote.spec['name']}", daemon=True).start()
    try:
        while not isinstance(item := await arrived.get(), remote_tools.Outcome):
            yield item
        yield item
    finally:
        cancelled.set()  # the call, if it still runs, ends within a quarter of a second
