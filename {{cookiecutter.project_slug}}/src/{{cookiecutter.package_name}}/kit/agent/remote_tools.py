"""The tools of remote MCP servers (``MCP_SERVERS``), for any agent loop to offer the model.

Each server is reached with the official ``mcp`` client over Streamable HTTP. Its tools are
named ``<server>__<tool>`` for the model, always: a name says where the tool runs, and never
changes because another server or the kit gained a tool of the same name.

- Listings are fetched on the first run that needs them, all servers at once, and kept for
  the warm environment as long as the server's ``ttlMs`` hint says (five minutes without
  one; ``0`` means every run asks again).
- A server that cannot be reached, or does not list its tools in time, costs one warning
  line and its tools for that run; it is asked again after ``RETRY_AFTER_S``. Never the run.
- A call may take the server's ``timeout_s``, and never more than is left before the
  function's reply is cut off (``deadline.seconds_left``).
- The remote tool's progress notifications reach ``on_progress`` as they arrive.

The client is async and the loops that call it are not: one event loop runs in a daemon
thread for the life of the process, and callers wait on its futures (``_Bridge``). ``mcp``
is imported only here, so a function without ``MCP_SERVERS`` never loads it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import namedtuple
from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import cache

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from ..deadline import seconds_left
from ..logs import get_logger
from ..secret_store import read_secret
from .remote_config import NAME_CHARACTERS, RemoteServer

log = get_logger(__name__)

SEPARATOR = "__"
DEFAULT_TTL_S = 300  # how long a listing without a ttlMs hint is kept
RETRY_AFTER_S = 30  # how long a server that did not list its tools is left alone
LIST_TIMEOUT_S = 10  # the most a run waits for listings before its first model call
MAX_PAGES = 10

# One tool for the model: the server it runs on, its name there, and its spec as the model sees it
# ({"name", "description", "parameters"}).
RemoteTool = namedtuple("RemoteTool", ["server", "tool", "spec"])
Outcome = namedtuple("Outcome", ["text", "is_error"])

_listings: dict[str, tuple[float, list[RemoteTool]]] = {}  # server name -> (kept until, its tools)


class RemoteCallFailed(Exception):
    """The server could not be asked, or gave no answer in time."""


def offered_tools(servers: Sequence[RemoteServer]) -> dict[str, RemoteTool]:
    """Every reachable server's tools by the name the model sees; stale listings are fetched first."""
    now = time.monotonic()
    stale = [server for server in servers if _listings.get(server.name, (0.0, []))[0] <= now]
    if stale:
        limit = max(_time_for(LIST_TIMEOUT_S), 0.1)
        outcomes = _bridge().run(_list_all([(s, _headers_or_problem(s)) for s in stale], limit), limit + 1)
        for server, outcome in zip(stale, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                reason = _reason(outcome)
                log.warning("a remote MCP server did not list its tools", server=server.name, reason=reason)
                _listings[server.name] = (time.monotonic() + RETRY_AFTER_S, [])
            else:
                _listings[server.name] = outcome
    offered: dict[str, RemoteTool] = {}
    for server in servers:
        for remote in _listings[server.name][1]:
            offered.setdefault(remote.spec["name"], remote)
    return offered


def call(remote: RemoteTool, arguments: dict, on_progress: Callable[[str], None], cancelled=None) -> Outcome:
    """Call a remote tool: its text, and whether the tool reported an error.

    RemoteCallFailed when the server could not be asked or did not answer in time; with
    ``cancelled`` (a threading.Event) set, the call is abandoned at once.
    """
    limit = _time_for(remote.server.timeout_s)
    if limit <= 0:
        raise RemoteCallFailed("no time is left before the function's deadline")
    try:
        headers = _headers(remote.server)
    except Exception as problem:
        reason = _reason(problem)
        raise RemoteCallFailed(f"{remote.server.name}: its key could not be read: {reason}") from None

    async def report(progress: float, total: float | None, message: str | None) -> None:
        # When the caller went away, on_progress raises and ``cancelled`` ends the call.
        with suppress(Exception):
            on_progress(message or (f"{progress:g}/{total:g}" if total else f"{progress:g}"))

    async def work(client: Client) -> Outcome:
        result = await client.call_tool(remote.tool, arguments, progress_callback=report)
        text = "\n".join(getattr(block, "text", None) or block.model_dump_json() for block in result.content)
        return Outcome(text, bool(result.is_error))

    try:
        return _bridge().run(_session(remote.server, headers, work), timeout=limit, cancelled=cancelled)
    except TimeoutError:
        raise RemoteCallFailed(f"{remote.server.name} did not answer within {limit:.0f} s") from None
    except Exception as problem:
        raise RemoteCallFailed(f"{remote.server.name}: {_reason(problem)}") from None


async def _list_all(servers: Sequence[tuple[RemoteServer, dict | Exception]], limit: float) -> list:
    """Each server's listing, or what went wrong with it, all asked at once."""

    async def listing(server: RemoteServer, headers: dict | Exception):
        if isinstance(headers, Exception):  # its key could not be read
            raise headers
        work = lambda client: _list_tools(client, server)  # noqa: E731
        return await asyncio.wait_for(_session(server, headers, work), limit)

    return await asyncio.gather(*(listing(*asked) for asked in servers), return_exceptions=True)


async def _list_tools(client: Client, server: RemoteServer) -> tuple[float, list[RemoteTool]]:
    tools, cursor, hints = [], None, []
    for _ in range(MAX_PAGES):
        page = await client.list_tools(cursor=cursor)
        if "ttl_ms" in page.model_fields_set:  # the server's hint: 0 means ask again next run
            hints.append(page.ttl_ms / 1000)
        tools.extend(page.tools)
        cursor = page.next_cursor
        if not cursor:
            break
    names: set[str] = set()
    remote_tools = []
    for tool in tools:
        name = _model_name(server.name, tool.name)
        if name in names:
            log.warning("a remote tool's name is taken; it is left out", server=server.name, tool=tool.name)
            continue
        names.add(name)
        description = tool.description or tool.title or ""
        spec = {"name": name, "description": description, "parameters": tool.input_schema}
        remote_tools.append(RemoteTool(server, tool.name, spec))
    return time.monotonic() + (min(hints) if hints else DEFAULT_TTL_S), remote_tools


async def _session(server: RemoteServer, headers: dict[str, str], work):
    """``await work(client)`` inside one session with the server."""
    http = httpx2.AsyncClient(headers=headers, timeout=server.timeout_s)
    async with http, Client(streamable_http_client(server.url, http_client=http), cache=None) as client:
        return await work(client)


def _headers_or_problem(server: RemoteServer) -> dict[str, str] | Exception:
    try:
        return _headers(server)
    except Exception as problem:
        return problem


def _headers(server: RemoteServer) -> dict[str, str]:
    """The server's headers, with its key as a bearer token when it names one."""
    headers = dict(server.headers)
    if server.secret_id or server.parameter:
        headers["authorization"] = f"Bearer {_key(server.secret_id, server.parameter)}"
    return headers


@cache
def _key(secret_id: str, parameter: str) -> str:
    """A server's key, read once per container."""
    return read_secret(secret_id, parameter)


def _model_name(server: str, tool: str) -> str:
    """``<server>__<tool>``, in the characters and 64-character length every provider accepts."""
    safe = "".join(c if c in NAME_CHARACTERS else "_" for c in tool)
    return f"{server}{SEPARATOR}{safe}"[:64]


def _time_for(timeout_s: float) -> float:
    """``timeout_s``, or less when the function's deadline comes sooner."""
    left = seconds_left()
    return timeout_s if left is None else min(timeout_s, left - 1)


def _reason(problem: BaseException) -> str:
    """What went wrong, in a few words: the first cause inside any exception group."""
    while isinstance(problem, BaseExceptionGroup) and problem.exceptions:
        problem = problem.exceptions[0]
    if isinstance(problem, TimeoutError):
        return "no answer in time"
    return f"{type(problem).__name__}: {problem}" if str(problem) else type(problem).__name__


class _Bridge:
    """An event loop in a daemon thread, for synchronous code to run the async client on."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="mcp-client", daemon=True).start()

    def run(self, coroutine, timeout: float, cancelled: threading.Event | None = None):
        """The coroutine's result; TimeoutError after ``timeout`` s; RemoteCallFailed once cancelled."""
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, timeout), self.loop)
        while True:
            try:
                return future.result(timeout=0.25 if cancelled is not None else None)
            except TimeoutError:
                if future.done():
                    raise
                if cancelled.is_set():
                    future.cancel()
                    raise RemoteCallFailed("the caller stopped listening") from None


_bridges: list[_Bridge] = []
_bridge_lock = threading.Lock()


def _bridge() -> _Bridge:
    """The process's bridge, started by the first caller."""
    with _bridge_lock:
        if not _bridges:
            _bridges.append(_Bridge())
        return _bridges[0]
