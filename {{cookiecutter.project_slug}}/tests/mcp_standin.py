"""A remote MCP server for the tests: any ``MCPServer`` made with the official SDK, served on
localhost over Streamable HTTP (stateless) by uvicorn in a daemon thread of the test process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from mcp.server import MCPServer


@contextmanager
def serving_mcp(server: MCPServer, wrap: Callable = lambda app: app) -> Iterator[str]:
    """The server's URL, ``http://127.0.0.1:<port>/mcp``, while the block runs; ``wrap`` may
    wrap its ASGI app (to record requests, say)."""
    app = server.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    http = uvicorn.Server(uvicorn.Config(wrap(app), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=http.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not http.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    finally:
        http.should_exit = True
        thread.join(5)
