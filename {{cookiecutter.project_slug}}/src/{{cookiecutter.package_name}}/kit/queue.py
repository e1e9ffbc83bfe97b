"""Hand a message to the SQS worker instead of answering it now.

A message is refused here, before anything is sent, unless SQS will take it and the worker
can read it: so ``send_message`` never queues a message that can only end in the
dead-letter queue, and never fails after the caller was told it was queued.
"""

from __future__ import annotations

import re

from .errors import BadGateway, PayloadTooLarge
from .settings import get_settings
from .telemetry import queued_trace

# What send_message queues at most: 256 KiB, SQS's limit until 2025 and still what every
# queue takes whatever its MaximumMessageSize. Ten such records (a full batch) stay well
# inside Lambda's 6 MB invocation payload.
MAX_MESSAGE_BYTES = 262_144
# The largest message SQS delivers to anyone (1 MiB since 2025): the worker reads up to this.
LARGEST_SQS_MESSAGE = 1_048_576
# SQS refuses characters outside XML's set; in JSON text they can only sit inside strings,
# where a \uXXXX escape means the same.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def message_of(request) -> dict:
    """The SendMessage fields (body and attributes) for a request from ``messages.parse``."""
    body = _NOT_XML.sub(_escape, request.to_json())
    attributes = {"response_uuid": {"DataType": "String", "StringValue": request.response_uuid}}
    return {"MessageBody": body, "MessageAttributes": attributes}


def message_bytes(message: dict) -> int:
    """The size SQS checks: the body plus each attribute's name, type and value, in UTF-8."""
    size = len(message["MessageBody"].encode())
    for name, attribute in message["MessageAttributes"].items():
        size += sum(len(part.encode()) for part in (name, attribute["DataType"], attribute["StringValue"]))
    return size


def enqueue(request, queue_url: str) -> str:
    """Send a request from ``messages.parse`` to the queue; return the SQS message id."""
    from .aws_api import AwsError, call  # only when a queue is configured

    message = message_of(request)
    with queued_trace.sending(get_settings(), queue_url) as trace_attributes:
        message["MessageAttributes"].update(trace_attributes)
        size = message_bytes(message)
        if size > MAX_MESSAGE_BYTES:
            raise PayloadTooLarge(
                f"the message takes {size} bytes once queued; "
                f"a queued message holds at most {MAX_MESSAGE_BYTES}"
            )
        try:
            return call("sqs", "AmazonSQS.SendMessage", {"QueueUrl": queue_url, **message})["MessageId"]
        except AwsError as problem:
            if problem.status is None and problem.code != "NetworkError":
                raise  # no credentials or region: the function's setup, not SQS; a 500 and a log line
            raise BadGateway(f"the message could not be queued: {problem}") from None
