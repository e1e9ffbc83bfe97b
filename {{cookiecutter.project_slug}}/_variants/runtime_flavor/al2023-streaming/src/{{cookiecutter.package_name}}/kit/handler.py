"""The Lambda entry point: one function that routes each event to its handler.

HTTP requests that ``front.streams`` picks get a stream (the runtime sends each chunk as it
is yielded); other HTTP requests, SQS batches and schedules get one buffered reply.
"""

from __future__ import annotations

import os

# cold_start first: it holds the garbage collector until cold_start.done().
from . import cold_start, front, router
from .errors import UnsupportedEvent
from .logs import begin_invocation, configure, get_logger
from .settings import describe_environment, get_settings
from .telemetry import trace_context, tracing
from .triggers import describe, trigger_of

settings = get_settings()
log = configure(settings.service_name, settings.log_level)
log.info("cold start", environment=describe_environment())
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
        if front.streams(event):
            return router.stream(event, context)
        return router.buffered(event, context)
    if trigger == "sqs":
        from .worker import handle_batch

        return handle_batch(event, context)
    if trigger == "schedule":
        from .author import run_scheduled

        return run_scheduled(event)
    raise UnsupportedEvent(f"no handler for {describe(event)}")
