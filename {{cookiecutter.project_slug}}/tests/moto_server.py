"""One moto server per test process, reached over real HTTP.

``mock_aws`` patches botocore inside the process, so it never sees the kit's own client
(``aws_api`` speaks HTTP through urllib). ``use(monkeypatch)`` starts the server on first use,
wipes its state and points ``AWS_ENDPOINT_URL`` at it, so boto3 in a test and the kit both
reach it; it returns the endpoint.
"""

from __future__ import annotations

import atexit
import urllib.request
from functools import cache

from moto.server import ThreadedMotoServer


@cache
def endpoint() -> str:
    """Start the server on a free local port (once); its base URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    atexit.register(server.stop)
    host, port = server.get_host_and_port()
    return f"http://{host}:{port}"


def reset() -> None:
    """Forget every secret, parameter and queue made so far."""
    request = urllib.request.Request(f"{endpoint()}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


def use(monkeypatch) -> str:
    """A clean server that boto3 and the kit both call; its endpoint."""
    url = endpoint()
    reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    return url
