"""``MCP_SERVERS``: the remote MCP servers whose tools the agent may call, read at cold start.

A JSON object of server name -> where it is and how to sign in::

    {"search": {"url": "https://mcp.example.com/mcp", "secret_id": "search-mcp-key"},
     "docs": {"url": "https://docs.example.com/mcp", "headers": {"x-team": "agents"}}}

``headers`` are sent as they are; ``secret_id`` (Secrets Manager) or ``parameter`` (SSM) names
a key sent as ``Authorization: Bearer <key>``, read once per container. ``timeout_s`` caps each
call (default 30). URLs must be https, except on localhost. Standard library only: settings
parse this at cold start, and the MCP client loads only when a run needs it
(``remote_tools.py``).
"""

from __future__ import annotations

import json
from collections import namedtuple
from urllib.parse import urlsplit

RemoteServer = namedtuple("RemoteServer", ["name", "url", "headers", "secret_id", "parameter", "timeout_s"])
FIELDS = ("url", "headers", "secret_id", "parameter", "timeout_s")
DEFAULT_TIMEOUT_S = 30
NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def parse_servers(raw: str) -> tuple[RemoteServer, ...]:
    """The servers ``raw`` describes (empty: none); ValueError saying what is wrong, in one line."""
    if not raw.strip():
        return ()
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValueError("not JSON; expected an object of name -> {url, ...}") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object of name -> {url, ...}")
    return tuple(_server(name, entry) for name, entry in data.items())


def _server(name: str, entry: object) -> RemoteServer:
    if not 1 <= len(name) <= 32 or not NAME_CHARACTERS.issuperset(name):
        raise ValueError(f"server name {name!r}: use 1 to 32 letters, digits, _ or -")
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        raise ValueError(f"{name}: expected an object with a url")
    unknown = sorted(set(entry) - set(FIELDS))
    if unknown:
        raise ValueError(f"{name}: unknown field {unknown[0]!r}; fields: {', '.join(FIELDS)}")
    url = entry["url"]
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if not parts.hostname or not (parts.scheme == "https" or local):
        raise ValueError(f"{name}: url must be https:// (http:// only on localhost); got {url!r}")
    headers = entry.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ValueError(f"{name}: headers must be an object of text values")
    secret_id, parameter = entry.get("secret_id", ""), entry.get("parameter", "")
    if not isinstance(secret_id, str) or not isinstance(parameter, str) or (secret_id and parameter):
        raise ValueError(f"{name}: give the key's secret_id or its parameter (text), not both")
    timeout = entry.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 1 <= timeout <= 900:
        raise ValueError(f"{name}: timeout_s must be a number of seconds from 1 to 900")
    return RemoteServer(name, url, tuple(sorted(headers.items())), secret_id, parameter, timeout)


def secret_names(raw: str) -> tuple[list[str], list[str]]:
    """The Secrets Manager secrets and SSM parameters ``raw`` names: what the function may read."""
    servers = parse_servers(raw)
    return [s.secret_id for s in servers if s.secret_id], [s.parameter for s in servers if s.parameter]


def offered_for_run(servers: tuple) -> dict:
    """The servers' tools for one run, by the name the model sees ({} without servers). The MCP
    client loads only here, when servers are set; one that does not answer costs a warning line
    and its tools, never the run. It may wait for the listings, so call it off any event loop."""
    if not servers:
        return {}
    try:
        from . import remote_tools

        return remote_tools.offered_tools(servers)
    except Exception as problem:
        from ..logs import get_logger

        reason = f"{type(problem).__name__}: {problem}"
        get_logger(__name__).warning("remote MCP tools are not available for this run", reason=reason)
        return {}
