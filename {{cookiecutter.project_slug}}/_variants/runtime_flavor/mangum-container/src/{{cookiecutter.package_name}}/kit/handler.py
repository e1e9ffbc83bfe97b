"""The Lambda entry point: one function that routes each event to its handler."""

from __future__ import annotations

import asyncio
import os

from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from . import cold_start  # first of the kit: holds the garbage collector until cold_start.done()
from .app import app
from .errors import UnsupportedEvent
from .logs import begin_invocation, configure, get_logger
from .settings import describe_environment, get_settings
from .telemetry import trace_context, tracing
from .triggers import describe, trigger_of

settings = get_settings()
log = configure(settings.service_name, settings.log_level)
log.info("cold start", environment=describe_environment())

# Mangum runs the app on the thread's current event loop, which Python no longer makes
# on demand: the process keeps one. NDJSON is text: returned as such, not base64.
_loop = asyncio.new_event_loop()
http_handler = Mangum(app, lifespan="off", text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, "application/x-ndjson"])
cold_start.done()


def handler(event: dict, context: object) -> object:
    begin_invocation(getattr(context, "aws_request_id", None))
    headers = event.get("headers") if isinstance(event, dict) else None
    traceparent = trace_context.header(headers, "traceparent")
    trace_context.begin_invocation(settings, traceparent, os.environ.get("_X_AMZN_TRACE_ID"))
    try:
        return _route(event, context)
    finally:
        tracing.flush()  # before Lambda freezes the environment (a run flushes its own first)


def _route(event: dict, context: object) -> object:
    trigger = trigger_of(event)
    get_logger(__name__).debug("event received", trigger=trigger)
    if trigger == "http":
        asyncio.set_event_loop(_loop)
        return http_handler(event, context)
    if trigger == "sqs":
        from .worker import handle_batch  # Powertools loads only for queue batches

        return handle_batch(event, context)
    if trigger == "schedule":
        from .author import run_scheduled

        return run_scheduled(event)
    raise UnsupportedEvent(f"no handler for {describe(event)}")
