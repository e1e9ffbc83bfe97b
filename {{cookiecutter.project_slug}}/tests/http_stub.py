"""A small HTTP server on 127.0.0.1 in a background thread, standing in for a remote service;
and ``serving``, which runs any such server (the kit's own local stand-ins too) in a thread.

``answer(request, reply)`` is called for every request with the request as recorded and a
``Reply`` that sends a whole body or a chunked stream. Every request is kept in ``requests``:
``method``, ``path``, ``headers`` (names lower-cased), ``data`` (the raw body) and ``body``
(the body read as JSON, None when it is empty or not JSON).
"""

from __future__ import annotations

import json
import socketserver
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[socketserver.BaseServer]:
    """Serve in a background thread until the block ends, then close the socket."""
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Reply:
    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler

    def send(self, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        length = str(len(data))
        self._head(status, {"content-type": content_type, "content-length": length, **(headers or {})})
        self._write(data)

    def json(self, status: int, value: object, headers: dict | None = None) -> None:
        self.send(status, json.dumps(value).encode(), "application/json", headers)

    def start(self, status: int, content_type: str) -> None:
        """Begin a chunked reply; each ``chunk`` leaves at once, ``end`` closes it."""
        self._head(status, {"content-type": content_type, "transfer-encoding": "chunked"})

    def chunk(self, data: bytes) -> None:
        self._write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def end(self) -> None:
        self._write(b"0\r\n\r\n")

    def drop(self, partial: bytes) -> None:
        """Write ``partial`` as it is and close the connection: a reply cut off mid-way."""
        self._write(partial)
        self._handler.close_connection = True

    def _head(self, status: int, headers: dict) -> None:
        self._handler.send_response(status)
        for name, value in headers.items():
            self._handler.send_header(name, value)
        self._handler.end_headers()

    def _write(self, data: bytes) -> None:
        self._handler.wfile.write(data)
        self._handler.wfile.flush()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args) -> None:
        pass

    def _serve(self) -> None:
        data = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            body = json.loads(data) if data else None
        except ValueError:
            body = None
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = {"method": self.command, "path": self.path, "headers": headers, "data": data, "body": body}
        with self.server.lock:
            self.server.requests.append(request)
        self.server.answer(request, Reply(self))

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class HttpStub(ThreadingHTTPServer):
    """``with HttpStub(answer) as stub:`` serves on ``stub.url`` until the block ends."""

    daemon_threads = True

    def __init__(self, answer: Callable[[dict, Reply], None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> HttpStub:
        self._serving = serving(self)
        return self._serving.__enter__()

    def __exit__(self, *exc) -> None:
        self._serving.__exit__(*exc)

    def handle_error(self, request, client_address) -> None:
        # A caller that hung up (a client timeout under test) is the test's business, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
