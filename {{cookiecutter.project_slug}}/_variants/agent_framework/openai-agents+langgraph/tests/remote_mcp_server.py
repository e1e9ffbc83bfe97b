"""A remote MCP server for tests, made with the official SDK and served on localhost by uvicorn
in a thread: ``weather__forecast`` reports progress twice, ``weather__outage`` always fails."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

SERVER = MCPServer("weather")
DOWN = "http://127.0.0.1:9/mcp"  # nothing listens on the discard port


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


@contextmanager
def serving() -> Iterator[str]:
    """The server's URL while it runs."""
    app = SERVER.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    finally:
        server.should_exit = True
        thread.join(5)
