"""CORS for the app, by the rules in ``cors``: preflights answered here, headers added to
every answer, except behind a Function URL, whose own CORS settings do both."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import cors
from .lambda_request import request_context
from .settings import get_settings


def via_function_url(scope: Scope) -> bool:
    """Whether the request came through a Function URL, read from the Lambda request context
    where ``lambda_request`` finds it (never from a header the caller wrote)."""
    context = request_context(Request(scope))
    return context is not None and ".lambda-url." in str(context.get("domainName", ""))


class CorsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origins = get_settings().allowed_origins
        if scope["type"] != "http" or not origins:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if via_function_url(scope):
            await self.app(scope, receive, send)
            return
        origin = headers.get("origin")
        if cors.is_preflight(scope["method"], headers):
            # Before the access checks: browsers send no API key on a preflight.
            preflight = Response(status_code=204, headers=cors.preflight_headers(origin, origins))
            await preflight(scope, receive, send)
            return
        extra = [(name.encode(), value.encode()) for name, value in cors.headers(origin, origins).items()]

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                message = {**message, "headers": [*message["headers"], *extra]}
            await send(message)

        await self.app(scope, receive, with_cors)
