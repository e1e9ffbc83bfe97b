"""The web server the Lambda Web Adapter fronts: the shared app plus the events route.

The adapter turns each Function URL invocation into an ordinary HTTP request to this
server and streams the response back when ``AWS_LWA_INVOKE_MODE=response_stream``. Any
other event (an SQS batch, an EventBridge schedule) it POSTs, raw, to
``AWS_LWA_PASS_THROUGH_PATH`` and returns the JSON answer as the invocation's result.

The events route exists only where ``AWS_LWA_PASS_THROUGH_PATH`` is set: on the worker
function, which has no Function URL. The HTTP function leaves it unset, so nobody can
post a forged SQS batch through the URL.

Run it with ``python -m {{ cookiecutter.package_name }}.kit.server`` (what the image does).
"""

from __future__ import annotations

# First, before the web framework loads: holds the garbage collector until cold_start.done().
from . import cold_start

# isort: split

import os
import sys
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool

from . import extra_events
from .app import create_app
from .deadline import RemainingMs
from .errors import BadRequest
from .lambda_request import InvocationLogs, time_left
from .logs import configure
from .payloads import parse_json
from .settings import ConfigError, describe_environment, get_settings
from .triggers import describe, trigger_of

DEFAULT_PORT = 8080
# Lambda's largest synchronous payload; an SQS batch of ten large records fits.
MAX_EVENT_BYTES = 6 * 1024 * 1024


def events_path(env: Mapping[str, str]) -> str | None:
    """Where the adapter posts non-HTTP events, or None when this process takes none."""
    path = env.get("AWS_LWA_PASS_THROUGH_PATH", "").strip()
    if not path:
        return None
    if not path.startswith("/") or any(c.isspace() for c in path):
        raise ConfigError(f"AWS_LWA_PASS_THROUGH_PATH must be a path such as /events; got {path!r}")
    return path


def port(env: Mapping[str, str]) -> int:
    """The port the adapter forwards to: AWS_LWA_PORT, then PORT, then 8080 (its own order)."""
    raw = (env.get("AWS_LWA_PORT") or env.get("PORT") or str(DEFAULT_PORT)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"AWS_LWA_PORT must be a port number from 1 to 65535; got {raw!r}")
    return int(raw)


class InvocationContext:
    """What the worker reads of the Lambda context: the time left, from the adapter's header."""

    def __init__(self, remaining_ms: RemainingMs) -> None:
        self.get_remaining_time_in_millis = remaining_ms


def handle_event(event: dict[str, Any], context: InvocationContext | None = None) -> dict[str, Any]:
    """Run one pass-through event to the end; blocking, so callers run it in a thread."""
    trigger = trigger_of(event)
    if trigger == "sqs":
        from .worker import handle_batch  # Powertools loads only for queue batches

        # Returned bare: the event source mapping reads batchItemFailures at the top level.
        return handle_batch(event, context)
    if trigger == "schedule":
        from .author import run_scheduled

        return run_scheduled(event)
    handler = extra_events.handler_for(event)
    if handler is not None:
        return handler(event, None)
    raise BadRequest(f"no handler for {describe(event)}; this route takes SQS batches and scheduled events")


def events_router(path: str) -> APIRouter:
    router = APIRouter()

    @router.post(path, response_model=None)  # a plain dict, as in app.py
    async def events(request: Request) -> dict[str, Any]:
        event = parse_json(await request.body(), MAX_EVENT_BYTES)
        # The worker and the job are blocking code, so they run in a thread and never
        # block this loop. A batch where every record
        # failed raises here; the JSON 500 that follows fails the invocation through
        # AWS_LWA_ERROR_STATUS_CODES, so SQS retries the batch.
        remaining = time_left(request)
        context = InvocationContext(remaining) if remaining is not None else None
        return await run_in_threadpool(handle_event, event, context)

    return router


def create_server(env: Mapping[str, str] | None = None, behind_adapter: bool | None = None) -> FastAPI:
    """The app, with the events route where ``env`` names one.

    The adapter's ``x-amzn-*`` headers are believed only ``behind_adapter``: by default on
    Lambda (AWS_LAMBDA_FUNCTION_NAME is set), where only the adapter can reach loopback.
    """
    env = os.environ if env is None else env
    if behind_adapter is None:
        behind_adapter = bool(env.get("AWS_LAMBDA_FUNCTION_NAME"))
    app = create_app()
    app.state.behind_adapter = behind_adapter  # read by lambda_request
    app.add_middleware(InvocationLogs)
    path = events_path(env)
    if path:
        app.include_router(events_router(path))
    return app


def main() -> None:
    import uvicorn

    try:
        settings = get_settings()
        listen_on = port(os.environ)
    except ConfigError as problem:
        sys.exit(f"error: {problem}")
    # Run as __main__, so log through the package's logger rather than this module's name.
    package_log = configure(settings.service_name, settings.log_level)
    package_log.info("cold start", environment=describe_environment(), port=listen_on)
    # Loopback only: the adapter runs in the same sandbox. No proxy headers: the caller's
    # address comes from the adapter's request context, never from a forwarded header the
    # caller wrote. No access log: CloudWatch bills per byte, and the app logs what matters.
    uvicorn.run(
        app, host="127.0.0.1", port=listen_on, proxy_headers=False, access_log=False, log_level="warning"
    )


app = create_server()
cold_start.done()

if __name__ == "__main__":
    main()
