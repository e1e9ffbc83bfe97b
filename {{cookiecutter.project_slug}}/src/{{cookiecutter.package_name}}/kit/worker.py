"""The SQS worker: each record is one message for the agent.

A record that fails is reported in ``batchItemFailures`` and comes back after the
visibility timeout; after five receives SQS moves it to the dead-letter queue. Delivery
is at least once, so anything this does beyond answering must be idempotent on
``response_uuid``.
"""

from __future__ import annotations

from . import messages
from .logs import get_logger
from .payloads import parse_json
from .queue import LARGEST_SQS_MESSAGE
from .settings import get_settings
from .sqs_batch import process_partial_batch

log = get_logger(__name__)


def process_record(record: dict) -> dict:
    """Answer one SQS record (the raw record dict); raise to have it retried."""
    # Any message SQS delivers is read, so what send_message queued (less) always is.
    request = messages.parse(parse_json(record["body"], LARGEST_SQS_MESSAGE))
    outcome = messages.answer(request, get_settings())
    log.info("message answered", message_id=record["messageId"], response_uuid=request.response_uuid)
    return {"response_uuid": request.response_uuid, **outcome}


def handle_batch(event: dict, context: object) -> dict:
    """Return ``{"batchItemFailures": [...]}`` bare, as the event source mapping expects.

    When every record fails this raises, so the whole batch is retried.
    """
    return process_partial_batch(event, process_record, context)
