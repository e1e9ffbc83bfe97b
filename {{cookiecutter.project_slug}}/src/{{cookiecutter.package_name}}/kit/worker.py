"""The SQS worker: each record is one message for the agent.

A record that fails is reported in ``batchItemFailures`` and comes back after the
visibility timeout; after ``RECEIVES`` receives SQS moves it to the dead-letter queue.

Delivery is at least once; with ``MESSAGES_TABLE`` set, each message is answered once
(``message_store``): the worker claims it by its ``response_uuid`` before running the agent.
A message already answered is done (not a failure, the agent does not run); one another
worker is answering is a failure, so SQS brings it back later; a claim whose invocation's
deadline has passed is taken over. The answer is kept, then delivered (``messages.deliver``)
and the delivery's outcome kept too. A run that fails is kept as ``failed`` and retried by
SQS; its error is delivered on the last receive. Without the table every delivery runs the
agent, as SQS delivers it.
"""

from __future__ import annotations

import time

from . import message_store, messages
from .aws_api import AwsError
from .logs import get_logger
from .payloads import parse_json
from .queue import LARGEST_SQS_MESSAGE
from .settings import get_settings
from .sqs_batch import process_partial_batch
from .telemetry import queued_trace, trace_context

log = get_logger(__name__)

# The queue's maxReceiveCount, as the deployment sets it: the receive after which SQS gives up,
# so a failed run's error is delivered then, and only then.
RECEIVES = 5


class MessageInProgress(Exception):
    """Another worker holds a live claim on this message; SQS retries the record later."""


class AnswerFailed(Exception):
    """The agent's run ended in an error; SQS retries the record."""


def process_record(record: dict, claim_until: float | None = None) -> dict:
    """Answer one SQS record (the raw record dict); raise to have it retried.

    ``claim_until`` (epoch seconds) is when this worker's claim on the message expires: the
    invocation's deadline.
    """
    # Any message SQS delivers is read, so what send_message queued (less) always is.
    settings = get_settings()
    trace_context.begin_run(queued_trace.parent_of(record, settings))
    request = messages.parse(parse_json(record["body"], LARGEST_SQS_MESSAGE))
    response_uuid, message_id = request.response_uuid, record["messageId"]
    store = message_store.store_for(settings)
    claim = None
    if store is not None:
        until = claim_until or time.time() + message_store.LONGEST_LEASE_S
        claim = store.claim(response_uuid, message_id, until)
        if claim.outcome == "answered":
            log.info("message already answered", message_id=message_id, response_uuid=response_uuid)
            return {"response_uuid": response_uuid, "status": "answered", "duplicate": True}
        if claim.outcome == "busy":
            raise MessageInProgress(f"message {response_uuid} is being answered by another worker")

    answer = messages.run(request, settings)
    if answer.error is not None:
        if store is not None:
            _quietly(store.failed, response_uuid, claim.token, answer.error)
        if _receives(record) >= RECEIVES:  # SQS gives up after this one: tell whoever waits
            delivery = messages.deliver(request, answer)
            if store is not None and delivery is not None:
                _quietly(store.delivered, response_uuid, delivery)
        raise AnswerFailed(f"message {response_uuid}: {answer.error}")

    if store is not None and not store.answered(response_uuid, claim.token, answer.reply, answer.delivery):
        # This run outlived its claim and another worker took the message over: that one answers.
        log.warning("claim expired before the answer was kept", response_uuid=response_uuid)
        return {"response_uuid": response_uuid, "status": "answered", "duplicate": True}
    delivery = messages.deliver(request, answer)
    if store is not None and delivery is not None:
        _quietly(store.delivered, response_uuid, delivery)
    log.info("message answered", message_id=message_id, response_uuid=response_uuid)
    return {"response_uuid": response_uuid, "reply": answer.reply}


def _receives(record: dict) -> int:
    count = str((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
    return int(count) if count.isdigit() else 1


def _quietly(write, *arguments) -> None:
    """A store write after the run: its failure is logged, and never reruns the agent."""
    try:
        write(*arguments)
    except AwsError:
        log.exception("the message store did not take a write", write=write.__name__)


def handle_batch(event: dict, context: object) -> dict:
    """Return ``{"batchItemFailures": [...]}`` bare, as the event source mapping expects.

    When every record fails this raises, so the whole batch is retried.
    """
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    claim_until = time.time() + remaining() / 1000 if remaining is not None else None
    return process_partial_batch(event, lambda record: process_record(record, claim_until), context)
