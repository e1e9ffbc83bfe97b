"""Partial batch responses for SQS in the standard library.

The same contract as Powertools' ``BatchProcessor`` (tests/unit/test_sqs_batch.py runs both on
the same batches): every record is tried; the ids of those that raised are returned as
``batchItemFailures``; when all of them fail, ``BatchFailed`` is raised so SQS retries the
batch. Kept here so the image installs nothing beyond the standard library.
"""

from __future__ import annotations

from collections.abc import Callable

from .logs import get_logger

log = get_logger(__name__)


class BatchFailed(Exception):
    """Every record of the batch failed; Lambda reports the invocation failed."""


def process_partial_batch(
    event: dict, record_handler: Callable[[dict], object], context: object = None
) -> dict:
    """Run ``record_handler`` on each record; report the ones that raised."""
    records = event.get("Records") if isinstance(event, dict) else None
    if not isinstance(records, list):
        raise ValueError("an SQS batch needs a 'Records' list")
    failures = []
    for record in records:
        try:
            record_handler(record)
        except Exception:
            log.exception("record failed", message_id=record.get("messageId"))
            failures.append({"itemIdentifier": record.get("messageId")})
    if failures and len(failures) == len(records):
        count = len(failures)
        raise BatchFailed(f"All records failed processing. {count} individual errors logged separately.")
    return {"batchItemFailures": failures}
