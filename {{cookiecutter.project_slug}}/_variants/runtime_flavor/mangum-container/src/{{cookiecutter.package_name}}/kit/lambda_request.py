"""What Lambda says about a request: its request context, the caller's address, the time left.

Mangum puts the invocation's event and context in the ASGI scope (``aws.event``,
``aws.context``), where no caller can write. Under ``make dev`` neither is there: the caller
is the socket's peer and no deadline applies.
"""

from __future__ import annotations

from fastapi import Request

from .access import source_ip
from .deadline import RemainingMs


def request_context(request: Request) -> dict | None:
    """The Lambda event's request context; None off Lambda."""
    event = request.scope.get("aws.event")
    if not isinstance(event, dict):
        return None
    context = event.get("requestContext")
    return context if isinstance(context, dict) else None


def caller_ip(request: Request) -> str | None:
    """The caller's address as Lambda saw it; locally the socket's peer (uvicorn runs with
    --no-proxy-headers)."""
    if request.scope.get("aws.event") is not None:
        return source_ip(request_context(request))
    return request.client.host if request.client else None


def time_left(request: Request) -> RemainingMs | None:
    """The invocation's remaining milliseconds, or None where no deadline applies (local runs)."""
    context = request.scope.get("aws.context")
    return None if context is None else getattr(context, "get_remaining_time_in_millis", None)
