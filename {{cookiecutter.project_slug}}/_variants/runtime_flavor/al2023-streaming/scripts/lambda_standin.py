"""A local stand-in for the Lambda Runtime API and a Function URL in front of it.

The real runtime (``bootstrap``) runs against it as a subprocess: it serves ``next``,
``response`` (buffered or streamed, with trailers), ``error`` and ``init/error``, and
records what the runtime sent. In front, an HTTP server on localhost turns each request
into a Function URL event and relays the streamed reply: status and headers from the
prelude, each chunk the moment it arrives.

    python scripts/lambda_standin.py --port 8000 -- ./bootstrap

Lambda's own emulator (RIE) buffers streamed replies and drops trailers, so it cannot
show streaming; this stand-in is what the tests and ``make dev`` use.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

PREFIX = "/2018-06-01/runtime"
HTTP_INTEGRATION = "application/vnd.awslambda.http-integration-response"
DELIMITER = b"\0" * 8
REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:123456789012:function:local"
URL_ID = "localstandin0000000000000000000000"
END = None

# Builds the event of one request: method, target (path and query), headers, body.
EventOf = Callable[[str, str, dict[str, str], bytes], dict[str, Any]]


@dataclass
class Invocation:
    """One invocation and everything the runtime sent back for it."""

    event: dict[str, Any]
    deadline_ms: int
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    kind: str = ""  # "streamed", "buffered" or "error", once the runtime answered
    headers: dict[str, str] = field(default_factory=dict)  # of the response/error POST, lowercase
    body: bytes = b""
    chunks: list[tuple[float, bytes]] = field(default_factory=list)  # (perf_counter, data)
    trailers: dict[str, str] = field(default_factory=dict)
    queued: float = field(default_factory=time.perf_counter)
    started: float = 0.0
    live: queue.Queue = field(default_factory=queue.Queue)  # chunks as they arrive, then END
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float = 30) -> Invocation:
        if not self.done.wait(timeout):
            raise TimeoutError(f"no reply to invocation {self.request_id} within {timeout}s")
        return self

    @property
    def error(self) -> dict | None:
        """The error document, from /error or from the trailers."""
        if self.kind == "error":
            return json.loads(self.body)
        encoded = self.trailers.get("lambda-runtime-function-error-body")
        return json.loads(base64.b64decode(encoded)) if encoded else None

    @property
    def error_type(self) -> str | None:
        if self.kind == "error":
            return self.headers.get("lambda-runtime-function-error-type")
        return self.trailers.get("lambda-runtime-function-error-type")

    def http(self) -> tuple[dict, bytes]:
        """``(prelude, payload)`` of a reply with the HTTP integration content type."""
        data = self.body
        end = data.find(DELIMITER)
        assert end >= 0, "no prelude delimiter in the reply"
        return json.loads(data[:end]), data[end + len(DELIMITER) :]


def function_url_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    """A Function URL event, shaped as Lambda sends one (payload format 2.0)."""
    url = urlsplit(target)
    domain = f"{URL_ID}.lambda-url.{REGION}.on.aws"
    try:
        text, encoded = body.decode(), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(body).decode(), True
    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": url.path or "/",
        "rawQueryString": url.query,
        "headers": {"host": domain} | {name.lower(): value for name, value in headers.items()},
        "requestContext": {
            "accountId": "anonymous",
            "apiId": URL_ID,
            "domainName": domain,
            "domainPrefix": URL_ID,
            "http": {
                "method": method,
                "path": url.path or "/",
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": encoded,
    }
    if body:
        event["body"] = text
    return event


class RuntimeApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: RuntimeApiServer

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path != f"{PREFIX}/invocation/next":
            self._answer(404, b'{"errorMessage": "unknown path"}')
            return
        self.server.next_calls.append(time.perf_counter())
        invocation = self.server.pending.get()
        invocation.started = time.perf_counter()
        self.server.active[invocation.request_id] = invocation
        headers = {
            "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
            "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
            "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
            "Lambda-Runtime-Trace-Id": f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0",
        }
        self._answer(200, json.dumps(invocation.event).encode(), headers)

    def do_POST(self) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        if self.path == f"{PREFIX}/init/error":
            self.server.init_errors.append((headers, self._read_body(headers)))
            self._answer(202)
            return
        _, _, rest = self.path.partition(f"{PREFIX}/invocation/")
        request_id, _, action = rest.partition("/")
        invocation = self.server.active.pop(request_id, None)
        if invocation is None or action not in ("response", "error"):
            self._answer(400, b'{"errorMessage": "unknown invocation"}')
            return
        invocation.headers = headers
        if action == "error":
            invocation.kind = "error"
            invocation.body = self._read_body(headers)
        elif headers.get("lambda-runtime-function-response-mode") == "streaming":
            invocation.kind = "streamed"
            self._read_chunks(invocation)
        else:
            invocation.kind = "buffered"
            invocation.body = self._read_body(headers)
        invocation.live.put(END)
        invocation.done.set()
        self._answer(202, b'{"status": "OK"}')

    def _read_body(self, headers: dict[str, str]) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while (size := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(parts)
        return self.rfile.read(int(headers.get("content-length", "0") or 0))

    def _read_chunks(self, invocation: Invocation) -> None:
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            if size == 0:
                break
            data = self.rfile.read(size)
            self.rfile.readline()
            invocation.chunks.append((time.perf_counter(), data))
            invocation.live.put(data)
        while (line := self.rfile.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode().partition(":")
            invocation.trailers[name.strip().lower()] = value.strip()
        invocation.body = b"".join(data for _, data in invocation.chunks)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a runtime or client went away
            super().handle_error(request, client_address)


class RuntimeApiServer(QuietServer):
    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), RuntimeApiHandler)
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.active: dict[str, Invocation] = {}
        self.init_errors: list[tuple[dict[str, str], bytes]] = []
        self.history: list[Invocation] = []
        self.next_calls: list[float] = []  # perf_counter of each `next`, for the benchmark

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def invoke(self, event: dict[str, Any], timeout_ms: int = 60_000) -> Invocation:
        """Queue an invocation for the runtime's next ``next``; ``.wait()`` for the reply."""
        invocation = Invocation(event, int(time.time() * 1000) + timeout_ms)
        self.history.append(invocation)
        self.pending.put(invocation)
        return invocation

    def start(self) -> RuntimeApiServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


# The chat page `make dev` serves at / (local only: the function has no route for it).
PLAYGROUND = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playground.html")
CORS_PREFLIGHT = {
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "content-type, authorization, x-api-key",
    "access-control-max-age": "600",
}


def cors_headers(origin: str | None) -> dict[str, str]:
    """What a Function URL's Cors block adds, deployed from ALLOWED_ORIGINS (read here from the
    same environment the runtime gets)."""
    allowed = [o.strip() for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o.strip()]
    if not origin or not ("*" in allowed or origin in allowed):
        return {}
    return {"access-control-allow-origin": "*" if "*" in allowed else origin, "vary": "origin"}


class FunctionUrlHandler(BaseHTTPRequestHandler):
    """Plays the Function URL: one invocation per request, the reply relayed as it streams."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: FunctionUrlServer

    def log_message(self, fmt: str, *args: Any) -> None:
        sys.stderr.write(f"standin: {self.command} {self.path} {fmt % args}\n")

    def _relay(self) -> None:
        length = int(self.headers.get("content-length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        event = self.server.event_of(self.command, self.path, dict(self.headers.items()), body)
        invocation = self.server.runtime_api.invoke(event, self.server.timeout_ms)
        first = invocation.live.get(timeout=self.server.timeout_ms / 1000 + 5)
        if first is END:  # buffered reply or error before the first byte
            self._send_whole(invocation)
            return
        buffer = first
        while (split := buffer.find(DELIMITER)) < 0 and invocation.headers.get(
            "content-type"
        ) == HTTP_INTEGRATION:
            more = invocation.live.get()
            if more is END:
                break
            buffer += more
        if invocation.headers.get("content-type") == HTTP_INTEGRATION and split >= 0:
            prelude = json.loads(buffer[:split])
            status, headers, rest = (
                prelude.get("statusCode", 200),
                prelude.get("headers", {}),
                buffer[split + 8 :],
            )
            cookies = prelude.get("cookies", [])
        else:
            status, headers, rest, cookies = 200, {"content-type": "application/octet-stream"}, buffer, []
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = rest
        while chunk is not END:
            if chunk:
                self.wfile.write(b"%X\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
            chunk = invocation.live.get()
        self.wfile.write(b"0\r\n\r\n")
        if invocation.error_type:
            sys.stderr.write(f"standin: stream failed: {invocation.error_type} {invocation.error}\n")

    def _send_whole(self, invocation: Invocation) -> None:
        invocation.wait()
        if invocation.kind == "error":
            sys.stderr.write(f"standin: invocation failed: {invocation.body.decode(errors='replace')}\n")
            status, headers, body = (
                502,
                {"content-type": "application/json"},
                b'{"message":"Internal Server Error"}',
            )
        elif invocation.kind == "streamed" and invocation.headers.get("content-type") == HTTP_INTEGRATION:
            prelude, body = invocation.http()
            status, headers = prelude.get("statusCode", 200), prelude.get("headers", {})
        else:
            status, headers, body = 200, {"content-type": "application/json"}, invocation.body
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        for name, value in cors_headers(self.headers.get("origin")).items():
            self.send_header(name, value)
        super().end_headers()

    def do_OPTIONS(self) -> None:
        preflight = self.headers.get("access-control-request-method")
        if not (preflight and cors_headers(self.headers.get("origin"))):
            self._relay()
            return
        # A preflight from an allowed origin: the Function URL answers it, the function never sees it.
        self.send_response(204)
        for name, value in CORS_PREFLIGHT.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path != "/" or not os.path.exists(PLAYGROUND):
            self._relay()
            return
        with open(PLAYGROUND, "rb") as page:
            body = page.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_PATCH = do_DELETE = _relay


class FunctionUrlServer(QuietServer):
    """The local front: a Function URL, or whatever front ``event_of`` builds the events of."""

    def __init__(
        self,
        port: int,
        runtime_api: RuntimeApiServer,
        timeout_ms: int,
        event_of: EventOf = function_url_event,
    ) -> None:
        super().__init__(("127.0.0.1", port), FunctionUrlHandler)
        self.runtime_api = runtime_api
        self.timeout_ms = timeout_ms
        self.event_of = event_of


def main(
    argv: list[str] | None = None,
    event_of: EventOf = function_url_event,
    front_name: str = "Function URL",
    environment: dict[str, str] | None = None,
    description: str = __doc__.splitlines()[0],
) -> int:
    """Serve ``front_name`` on localhost; ``environment`` adds to the runtime's variables."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, default=8000, help=f"port of the local {front_name}")
    parser.add_argument("--timeout", type=float, default=60, help="function timeout in seconds")
    parser.add_argument("command", nargs="+", help="the runtime to start, e.g. ./bootstrap")
    args = parser.parse_args(argv)
    if not 0 < args.timeout <= 900:
        parser.error("--timeout must be from 0 to 900 seconds")
    runtime_api = RuntimeApiServer().start()
    try:
        front = FunctionUrlServer(args.port, runtime_api, int(args.timeout * 1000), event_of)
    except OSError as problem:
        print(f"error: cannot listen on 127.0.0.1:{args.port}: {problem}", file=sys.stderr)
        return 1
    env = {**os.environ, **(environment or {}), "AWS_LAMBDA_RUNTIME_API": runtime_api.address}
    try:
        runtime = subprocess.Popen(args.command, env=env)
    except OSError as problem:
        print(f"error: cannot start {args.command[0]}: {problem}", file=sys.stderr)
        return 1
    threading.Thread(target=front.serve_forever, daemon=True).start()
    print(f"standin: {front_name} on http://127.0.0.1:{args.port}, Runtime API on {runtime_api.address}")
    try:
        code = runtime.wait()
    except KeyboardInterrupt:
        runtime.terminate()
        return 0
    for headers, body in runtime_api.init_errors:
        print(f"standin: init error {headers.get('lambda-runtime-function-error-type')}: {body.decode()}")
    print(f"standin: the runtime exited with code {code}", file=sys.stderr)
    return code or 1


if __name__ == "__main__":
    sys.exit(main())
