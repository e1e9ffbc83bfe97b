"""The Function URL's HTTP integration prelude: status, headers and cookies before the body.

A streamed reply with content type ``application/vnd.awslambda.http-integration-response``
starts with a JSON object and 8 NUL bytes; the Function URL turns that into the HTTP
status line and headers, and passes what follows to the client as it arrives.
"""

from __future__ import annotations

import json

CONTENT_TYPE = "application/vnd.awslambda.http-integration-response"
DELIMITER = b"\0" * 8


class HttpHead:
    """What a handler yields first to give its streamed reply a status and headers."""

    __slots__ = ("cookies", "headers", "status_code")

    def __init__(self, status_code: int = 200, headers: dict | None = None, cookies: tuple = ()) -> None:
        self.status_code = status_code
        self.headers = dict(headers or {})
        self.cookies = tuple(cookies)

    def __repr__(self) -> str:
        return f"HttpHead({self.status_code}, {self.headers!r})"

    def prelude(self) -> bytes:
        head = {"statusCode": self.status_code, "headers": self.headers, "cookies": list(self.cookies)}
        return json.dumps(head, separators=(",", ":")).encode() + DELIMITER


def split_prelude(data: bytes) -> tuple[dict, bytes] | None:
    """``(prelude, rest)`` once the delimiter has arrived in ``data``; None until then."""
    end = data.find(DELIMITER)
    if end < 0:
        return None
    return json.loads(data[:end]), data[end + len(DELIMITER) :]
