"""A remote MCP server for the tests of ``MCP_SERVERS``, made with the official SDK and served on
localhost in a thread of the test process: ``weather__forecast`` reports its progress twice,
``weather__outage`` fails with a tool error. ``HEADERS_SEEN`` holds each request's headers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server import MCPServer
from mcp.server.caching import CacheHint
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from {{ cookiecutter.package_name }}.kit.agent import remote_tools
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings

from mcp_standin import serving_mcp

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
    with serving_mcp(SERVER, _recording) as url:
        yield url


def with_servers(environment, **servers) -> Settings:
    """The settings with ``MCP_SERVERS`` naming ``servers``, no listing kept from before."""
    remote_tools._listings.clear()
    environment.setenv("MCP_SERVERS", json.dumps(servers))
    get_settings.cache_clear()
    return get_settings()
