"""Remote MCP servers' tools (``MCP_SERVERS``) for an agent that runs on the environment's event loop.

``remote_tools`` is synchronous: it waits on the MCP client's own event loop. Here it runs in a
worker thread (``asyncio.to_thread``), so the environment's loop never waits for a remote server.
The runner asks ``offered`` once per run and wraps each tool the framework's way; the wrapper's
call goes through ``answer``. ``remote_tools``, and with it ``mcp``, loads only when
``MCP_SERVERS`` names servers.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from ..settings import Settings
from . import remote_config


async def offered(settings: Settings) -> dict:
    """This run's remote tools (``remote_tools.RemoteTool``) by the name the model sees; {} without
    ``MCP_SERVERS``. A server that does not answer is left out with a warning, never failing the run.
    """
    return await asyncio.to_thread(remote_config.offered_for_run, settings.mcp_servers)


async def answer(remote, arguments: object, on_progress: Callable[[str], None]):
    """The remote tool's ``Outcome``: its text, and whether it is an error for the model to read.

    Arguments that are not a JSON object, a server that cannot be asked and one that does not answer
    in time are errors too: the run goes on. ``on_progress`` gets each progress line, in the MCP
    client's thread. When the run is cancelled (the caller left), the call is abandoned.
    """
    from . import remote_tools  # already loaded: the run listed the remote tools

    if not isinstance(arguments, dict):
        return remote_tools.Outcome(f"{remote.spec['name']}: the arguments must be a JSON object", True)
    cancelled = threading.Event()
    try:
        return await asyncio.to_thread(remote_tools.call, remote, arguments, on_progress, cancelled)
    except remote_tools.RemoteCallFailed as problem:
        return remote_tools.Outcome(str(problem), True)
    finally:
        cancelled.set()  # the worker thread stops waiting within a quarter of a second
