"""The Lambda Runtime API over one keep-alive connection: next, response, error, init error.

Streamed replies are HTTP/1.1 chunks written as the handler yields them; the socket has
TCP_NODELAY so a small chunk leaves at once instead of waiting on Nagle's algorithm.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
from collections import namedtuple

VERSION = "2018-06-01"
RESPONSE_MODE = "Lambda-Runtime-Function-Response-Mode"
ERROR_TYPE = "Lambda-Runtime-Function-Error-Type"
ERROR_BODY = "Lambda-Runtime-Function-Error-Body"


class RuntimeApiError(Exception):
    """The Runtime API refused a call or the connection to it broke; the process must exit."""


# One event from ``next``: its request id, the raw event, and the headers (lowercase names).
Invocation = namedtuple("Invocation", ["request_id", "event", "headers"])


def error_document(problem: BaseException) -> dict:
    """The JSON error Lambda shows the invoker: message, type and the frames (no locals)."""
    import traceback  # only when something failed

    frames = traceback.extract_tb(problem.__traceback__)
    return {
        "errorMessage": str(problem),
        "errorType": type(problem).__name__,
        "stackTrace": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames],
    }


class _Connection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class RuntimeApi:
    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise RuntimeApiError(f"AWS_LAMBDA_RUNTIME_API must be host:port; got {address!r}")
        # No timeout: `next` blocks until an invocation arrives, which may be minutes.
        self._connection = _Connection(host, int(port))
        self._base = f"/{VERSION}/runtime"

    def _call(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        try:
            self._connection.request(method, self._base + path, body=body, headers=headers or {})
            response = self._connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as problem:
            self._connection.close()
            raise RuntimeApiError(f"{method} {path}: {problem}") from problem
        if response.status >= 300:
            raise RuntimeApiError(f"{method} {path}: HTTP {response.status} {data[:200]!r}")
        return response, data

    def next(self) -> Invocation:
        response, data = self._call("GET", "/invocation/next")
        headers = {name.lower(): value for name, value in response.getheaders()}
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        if not request_id:
            raise RuntimeApiError("next: the invocation has no Lambda-Runtime-Aws-Request-Id")
        return Invocation(request_id, data, headers)

    def respond(self, request_id: str, body: bytes) -> None:
        """A buffered reply (queue batches, schedules, plain return values)."""
        headers = {"Content-Type": "application/json"}
        self._call("POST", f"/invocation/{request_id}/response", body, headers)

    def fail(self, request_id: str, error_type: str, document: dict) -> None:
        """The invocation failed before any byte of its reply was sent."""
        headers = {ERROR_TYPE: error_type, "Content-Type": "application/json"}
        self._call("POST", f"/invocation/{request_id}/error", json.dumps(document).encode(), headers)

    def init_failed(self, error_type: str, document: dict) -> None:
        headers = {ERROR_TYPE: error_type, "Content-Type": "application/json"}
        self._call("POST", "/init/error", json.dumps(document).encode(), headers)

    def open_stream(self, request_id: str, content_type: str) -> ResponseStream:
        return ResponseStream(self, f"/invocation/{request_id}/response", content_type)


class ResponseStream:
    """One streamed reply: ``write`` each chunk, then ``finish`` or ``abort`` with an error."""

    def __init__(self, api: RuntimeApi, path: str, content_type: str) -> None:
        self._api = api
        self._path = path
        connection = api._connection
        try:
            connection.putrequest("POST", api._base + path, skip_accept_encoding=True)
            connection.putheader(RESPONSE_MODE, "streaming")
            connection.putheader("Transfer-Encoding", "chunked")
            connection.putheader("Content-Type", content_type)
            # Declared up front so a failure after the first byte can still be reported.
            connection.putheader("Trailer", f"{ERROR_TYPE}, {ERROR_BODY}")
            connection.endheaders()
        except (OSError, http.client.HTTPException) as problem:
            connection.close()
            raise RuntimeApiError(f"POST {path}: {problem}") from problem

    def _send(self, data: bytes) -> None:
        try:
            self._api._connection.send(data)
        except OSError as problem:
            self._api._connection.close()
            raise RuntimeApiError(f"POST {self._path}: {problem}") from problem

    def write(self, data: bytes) -> None:
        if data:
            self._send(b"%X\r\n%s\r\n" % (len(data), data))

    def finish(self) -> None:
        self._send(b"0\r\n\r\n")
        self._close()

    def abort(self, error_type: str, document: dict) -> None:
        """End the stream with the error trailers; Lambda marks the invocation failed."""
        encoded = base64.b64encode(json.dumps(document).encode())
        trailers = b"%s: %s\r\n%s: %s\r\n" % (
            ERROR_TYPE.encode(),
            error_type.encode(),
            ERROR_BODY.encode(),
            encoded,
        )
        self._send(b"0\r\n" + trailers + b"\r\n")
        self._close()

    def _close(self) -> None:
        connection = self._api._connection
        try:
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as problem:
            connection.close()
            raise RuntimeApiError(f"POST {self._path}: {problem}") from problem
        if response.status >= 300:
            raise RuntimeApiError(f"POST {self._path}: HTTP {response.status} {data[:200]!r}")
