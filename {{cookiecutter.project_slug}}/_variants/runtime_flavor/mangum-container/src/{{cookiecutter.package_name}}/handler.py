"""The Lambda entry point: one function that routes each event to its handler."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from .app import app
from .errors import UnsupportedEvent
from .logs import configure
from .settings import describe_environment, get_settings
from .triggers import describe, trigger_of

settings = get_settings()
log = configure(settings.service_name, settings.log_level)
log.info("cold start", extra={"environment": describe_environment()})

# NDJSON is text: return it as such rather than base64.
# Mangum runs the app on the thread's current loop; the worker and scheduled paths use
# asyncio.run, which leaves none behind, so HTTP gets a loop of its own for the process.
_loop = asyncio.new_event_loop()
http_handler = Mangum(app, lifespan="off", text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, "application/x-ndjson"])


def handler(event: dict[str, Any], context: Any) -> Any:
    trigger = trigger_of(event)
    logging.getLogger(__name__).debug("event received", extra={"trigger": trigger})
    if trigger == "http":
        asyncio.set_event_loop(_loop)
        return http_handler(event, context)
    if trigger == "sqs":
        from .worker import handle_batch  # Powertools loads only for queue batches

        return handle_batch(event, context)
    if trigger == "schedule":
        from .schedule import run_scheduled

        return run_scheduled(event)
    raise UnsupportedEvent(f"no handler for {describe(event)}")
