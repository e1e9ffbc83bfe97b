"""A queued message carries its trace to the worker: ``send_message`` makes a PRODUCER span
and puts its W3C ``traceparent`` in an SQS message attribute, and the worker's run for that
message continues the trace under it (or, when spans go to X-Ray, under the message's
``AWSTraceHeader``, when it has no ``traceparent``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..settings import Settings
from . import trace_context, tracing

ATTRIBUTE = "traceparent"


@contextmanager
def sending(settings: Settings, queue_url: str) -> Iterator[dict]:
    """The message attributes that carry the trace (none when tracing is off), while the
    ``send <queue>`` span is open around the send."""
    if not tracing.enabled(settings):
        yield {}
        return
    from opentelemetry.trace import SpanKind, Status, StatusCode

    from .genai_spans import remote_context

    queue = queue_url.rstrip("/").rpartition("/")[2]
    span = tracing.tracer(settings).start_span(
        f"send {queue}",
        context=remote_context(trace_context.current()),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "aws_sqs",
            "messaging.operation.type": "send",
            "messaging.destination.name": queue,
        },
    )
    context = span.get_span_context()
    value = trace_context.traceparent(f"{context.trace_id:032x}", f"{context.span_id:016x}")
    try:
        yield {ATTRIBUTE: {"DataType": "String", "StringValue": value}}
    except Exception as problem:
        span.set_attribute("error.type", type(problem).__name__)
        span.set_status(Status(StatusCode.ERROR, str(problem)))
        raise
    finally:
        span.end()
        tracing.flush()


def parent_of(record: dict, settings: Settings) -> trace_context.Parent | None:
    """Where the run for an SQS ``record`` hangs in a trace."""
    attribute = (record.get("messageAttributes") or {}).get(ATTRIBUTE) or {}
    parent = trace_context.from_traceparent(attribute.get("stringValue"))
    if parent is None and settings.traces_exporter == "xray":
        parent = trace_context.from_xray((record.get("attributes") or {}).get("AWSTraceHeader"))
    return parent
