"""Partial batch responses for SQS, by Powertools' ``BatchProcessor``."""

from __future__ import annotations

from collections.abc import Callable

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError as BatchFailed

__all__ = ["BatchFailed", "process_partial_batch"]


def process_partial_batch(event: dict, record_handler: Callable[[dict], object], context: object) -> dict:
    """Run ``record_handler`` on each record's dict; report the ones that raised.

    When every record fails, Powertools raises (``BatchFailed`` here), so SQS retries the batch.
    """
    return process_partial_response(
        event=event,
        record_handler=lambda record: record_handler(record.raw_event),
        processor=BatchProcessor(event_type=EventType.SQS),
        context=context,
    )
