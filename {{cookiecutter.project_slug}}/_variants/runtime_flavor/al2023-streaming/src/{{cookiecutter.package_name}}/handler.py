"""The Lambda entry point: one function that routes each event to its handler.

Function URL requests get a stream (the runtime sends each chunk as it is yielded); API
Gateway requests, SQS batches and schedules get one buffered reply.
"""

from __future__ import annotations

import logging
from typing import Any

from . import router
from .errors import UnsupportedEvent
from .logs import configure
from .settings import describe_environment, get_settings
from .triggers import describe, trigger_of

settings = get_settings()
log = configure(settings.service_name, settings.log_level)
log.info("cold start", extra={"environment": describe_environment()})


def handler(event: dict[str, Any], context: Any) -> Any:
    trigger = trigger_of(event)
    logging.getLogger(__name__).debug("event received", extra={"trigger": trigger})
    if trigger == "http":
        if router.is_function_url(event):
            return router.stream(event, context)
        return router.buffered(event, context)
    if trigger == "sqs":
        from .worker import handle_batch  # Powertools loads only for queue batches

        return handle_batch(event, context)
    if trigger == "schedule":
        from .schedule import run_scheduled

        return run_scheduled(event)
    raise UnsupportedEvent(f"no handler for {describe(event)}")
