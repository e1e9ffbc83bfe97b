"""A remote MCP server for the tests of ``MCP_SERVERS``, made with the official SDK and served on
localhost in a thread of the test process: ``weather__forecast`` reports its progress twice,
``weather__outage`` fails with a tool error. ``HEADERS_SEEN`` holds each request's headers.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from mcp.server import MCPServer
from mcp.server.caching import CacheHint
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from {{ cookiecutter.package_name }}.kit.agent import remote_tools
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings

SERVER = MCPServer("weather", cache_hints={"tools/list": CacheHint(ttl_ms=60_000)})
HEADERS_SEEN: list[dict] = []
DOWN = {"url": "http://127.0.0.1:9/mcp", "timeout_s": 2}  # a server nobody answers for


@SERVER.tool()
async def forecast(city: str, ctx: Context) -> str:
    """Tomorrow's weather in a city."""
    await ctx.report_progress(1, 2, f"Looking up {city}")
    await ctx.report_progress(2, 2, "Reading the forecast")
    return f"{city}: sunny"


@SERVER.tool()
def outage() -> str:
    """A tool whose service is down."""
    raise ToolError("the weather service is offline")


def _recording(app):
    """The app, noting each request's headers."""

    async def asgi(scope, receive, send):
        if scope["type"] == "http":
            HEADERS_SEEN.append({k.decode(): v.decode() for k, v in scope["headers"]})
        await app(scope, receive, send)

    return asgi


@contextmanager
def weather_server() -> Iterator[str]:
    """The server's URL while it serves."""
    app = SERVER.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(_recording(app), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    finally:
        server.should_exit = True
        thread.join(5)


def with_servers(environment, **servers) -> Settings:
    """The settings with ``MCP_SERVERS`` naming ``servers``, no listing kept from before."""
    remote_tools._listings.clear()
    environment.setenv("MCP_SERVERS", json.dumps(servers))
    get_settings.cache_clear()
    return get_settings()
