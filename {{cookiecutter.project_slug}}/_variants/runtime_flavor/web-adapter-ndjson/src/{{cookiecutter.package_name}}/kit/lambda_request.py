"""What Lambda says about a request: its request context, the caller's address, the time left.

The Lambda Web Adapter passes the invocation's request context and deadline in headers it
sets itself (``x-amzn-request-context``, ``x-amzn-lambda-context``). They are believed only
where ``app.state.behind_adapter`` is set (``server.create_server``: on Lambda, where only the
adapter reaches loopback); anywhere else a caller could send them to claim another address,
a gateway's approval or a deadline.
"""

from __future__ import annotations

import json
import time

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from .access import source_ip
from .deadline import RemainingMs
from .logs import begin_invocation, get_logger
from .settings import get_settings
from .telemetry import trace_context


def behind_adapter(request: Request) -> bool:
    return getattr(request.app.state, "behind_adapter", False)


def request_context(request: Request) -> dict | None:
    """The request context the adapter sent; None anywhere else."""
    header = request.headers.get("x-amzn-request-context") if behind_adapter(request) else None
    if not header:
        return None
    try:
        context = json.loads(header)
    except (ValueError, RecursionError):  # not the adapter's JSON
        return None
    return context if isinstance(context, dict) else None


def caller_ip(request: Request) -> str | None:
    """The caller's address as Lambda saw it; locally the socket's peer (uvicorn runs with
    --no-proxy-headers)."""
    if behind_adapter(request):
        return source_ip(request_context(request))
    return request.client.host if request.client else None


def time_left(request: Request) -> RemainingMs | None:
    """The invocation's remaining milliseconds, or None where no deadline applies (local runs)."""
    if behind_adapter(request):
        return from_lambda_context_header(request.headers.get("x-amzn-lambda-context"))
    return None


def from_lambda_context_header(value: str | None) -> RemainingMs | None:
    """Time left, from the adapter's ``x-amzn-lambda-context`` header; None if absent or unreadable.

    The adapter serialises the Rust runtime's ``Context``, whose ``deadline`` is the invocation's
    deadline in epoch milliseconds (the adapter's guide calls it ``deadline_ms``: both are read).
    """
    if not value:
        return None
    try:
        context = json.loads(value)
    except ValueError:
        return None
    if not isinstance(context, dict):
        return None
    deadline_ms = context.get("deadline", context.get("deadline_ms"))
    if isinstance(deadline_ms, bool) or not isinstance(deadline_ms, int) or deadline_ms <= 0:
        return None
    return lambda: max(0, deadline_ms - int(time.time() * 1000))


class InvocationLogs:
    """Marks every log line of a request with its Lambda request id, from the adapter's header,
    and hangs the request's spans under the caller's ``traceparent`` (or, when spans go to
    X-Ray, under the function's segment, which the adapter names in the same header)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            header = request.headers.get("x-amzn-lambda-context") if behind_adapter(request) else None
            begin_invocation(_field(header, "request_id"))
            xray = (
                (_field(header, "xray_trace_id") or request.headers.get("x-amzn-trace-id"))
                if header
                else None
            )
            trace_context.begin_invocation(get_settings(), request.headers.get("traceparent"), xray)
            get_logger(__name__).debug("request received", method=scope["method"], path=scope["path"])
        await self.app(scope, receive, send)


def _field(header: str | None, name: str) -> object:
    try:
        value = json.loads(header) if header else None
    except (ValueError, RecursionError):
        return None
    return value.get(name) if isinstance(value, dict) else None
