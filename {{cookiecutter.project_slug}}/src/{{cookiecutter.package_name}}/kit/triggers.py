"""Tell which AWS service sent a Lambda event."""

from __future__ import annotations

TRIGGERS = ("http", "sqs", "schedule", "unknown")


def trigger_of(event: object) -> str:
    """One of TRIGGERS."""
    if not isinstance(event, dict):
        return "unknown"
    records = event.get("Records")
    if isinstance(records, list) and records:
        if all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records):
            return "sqs"
        return "unknown"
    if event.get("source") == "aws.events" and event.get("detail-type") == "Scheduled Event":
        return "schedule"
    context = event.get("requestContext")
    if isinstance(context, dict) and ("httpMethod" in event or "http" in context):
        return "http"
    return "unknown"


def describe(event: object) -> str:
    """A short, secret-free description of an event, for error messages."""
    if isinstance(event, dict):
        return f"an event with keys {sorted(event)[:8]}"
    return f"an event of type {type(event).__name__}"
