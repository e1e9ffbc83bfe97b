"""The SQS worker: each record is one message for the agent.

A record that fails is reported in ``batchItemFailures`` and comes back after the
visibility timeout; after five receives SQS moves it to the dead-letter queue. Delivery
is at least once, so anything this does beyond answering must be idempotent on
``response_uuid``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from . import messages
from .payloads import parse_json
from .settings import get_settings

log = logging.getLogger(__name__)


def process_record(record: SQSRecord, runner: asyncio.Runner) -> dict[str, Any]:
    request = messages.parse(parse_json(record.body))
    outcome = runner.run(messages.answer(request, get_settings()))
    log.info(
        "message answered",
        extra={"message_id": record.message_id, "response_uuid": request.response_uuid},
    )
    return {"response_uuid": request.response_uuid, **outcome}


def handle_batch(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Return ``{"batchItemFailures": [...]}`` bare, as the event source mapping expects.

    When every record fails Powertools raises, so the whole batch is retried.
    """
    processor = BatchProcessor(event_type=EventType.SQS)
    with asyncio.Runner() as runner:
        return process_partial_response(
            event=event,
            record_handler=lambda record: process_record(record, runner),
            processor=processor,
            context=context,
        )
