"""The app as Mangum runs it on Lambda, for tests that serve it with uvicorn.

Mangum puts the invocation's event and context in the ASGI scope. Here what Lambda would say
about a request (its request context, its deadline) travels in two test headers, which
``app_on_lambda`` moves into the scope where Mangum puts them.
"""

import json
import time

from {{ cookiecutter.package_name }}.kit.app import create_app

EVENT_HEADER = "x-test-request-context"
DEADLINE_HEADER = "x-test-deadline-ms"


class Context:
    """The part of Lambda's context object the app reads."""

    def __init__(self, deadline_ms: int) -> None:
        self.deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self.deadline_ms - int(time.time() * 1000))


def app_on_lambda():
    app = create_app()

    async def on_lambda(scope, receive, send):
        if scope["type"] == "http":
            headers = {name.decode(): value.decode() for name, value in scope["headers"]}
            scope = {**scope, "aws.event": {"requestContext": json.loads(headers.get(EVENT_HEADER, "{}"))}}
            if DEADLINE_HEADER in headers:
                scope["aws.context"] = Context(int(headers[DEADLINE_HEADER]))
        await app(scope, receive, send)

    return on_lambda


def lambda_headers(request_context: dict | None = None, deadline_ms: int | None = None) -> dict:
    """Headers that carry what Lambda says about a request to ``app_on_lambda``."""
    headers = {}
    if request_context is not None:
        headers[EVENT_HEADER] = json.dumps(request_context)
    if deadline_ms is not None:
        headers[DEADLINE_HEADER] = str(deadline_ms)
    return headers
