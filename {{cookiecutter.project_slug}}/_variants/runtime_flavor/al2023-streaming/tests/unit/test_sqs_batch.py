"""The standard-library batch processor answers exactly as Powertools' BatchProcessor does."""

import json

import pytest
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from {{ cookiecutter.package_name }}.kit.sqs_batch import BatchFailed, process_partial_batch

from conftest import sqs_event


def fail_on_bad(body: str) -> None:
    if json.loads(body).get("bad"):
        raise ValueError("a poison record")


def ours(event):
    return process_partial_batch(event, lambda record: fail_on_bad(record["body"]))


def powertools(event):
    return process_partial_response(
        event=event,
        record_handler=lambda record: fail_on_bad(record.body),
        processor=BatchProcessor(event_type=EventType.SQS),
    )


GOOD, BAD = json.dumps({"bad": False}), json.dumps({"bad": True})
BATCHES = {
    "all-good": [GOOD, GOOD, GOOD],
    "one-bad": [GOOD, BAD, GOOD],
    "first-and-last-bad": [BAD, GOOD, GOOD, BAD],
    "one-good": [BAD, BAD, GOOD, BAD],
    "single-good": [GOOD],
    "ten": [GOOD, BAD] * 5,
}


@pytest.mark.parametrize("bodies", BATCHES.values(), ids=BATCHES.keys())
def test_same_failures_as_powertools(bodies):
    event = sqs_event(*bodies)
    assert ours(event) == powertools(event)
    expected = [{"itemIdentifier": f"msg-{i}"} for i, body in enumerate(bodies) if body == BAD]
    assert ours(event) == {"batchItemFailures": expected}


@pytest.mark.parametrize("bodies", [[BAD], [BAD, BAD, BAD]], ids=["single", "three"])
def test_a_batch_that_fails_whole_raises_as_powertools_does(bodies):
    event = sqs_event(*bodies)
    with pytest.raises(BatchProcessingError, match="All records failed processing"):
        powertools(event)
    with pytest.raises(BatchFailed, match="All records failed processing"):
        ours(event)


def test_every_record_is_tried_even_after_a_failure():
    seen = []

    def handle(record):
        seen.append(record["messageId"])
        fail_on_bad(record["body"])

    process_partial_batch(sqs_event(BAD, GOOD, GOOD), handle)
    assert seen == ["msg-0", "msg-1", "msg-2"]


def test_an_event_without_records_is_refused_in_one_line():
    with pytest.raises(ValueError, match="needs a 'Records' list"):
        process_partial_batch({"Records": "nope"}, fail_on_bad)
