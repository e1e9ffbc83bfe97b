import json

import pytest

from {{ cookiecutter.package_name }}.kit.sqs_batch import BatchFailed
from {{ cookiecutter.package_name }}.kit.worker import handle_batch

from conftest import load_event, sqs_event
from lambda_context import LambdaContext

GOOD = json.dumps(load_event("send_message.json"))


def test_sample_batch_succeeds_with_no_failures():
    assert handle_batch(load_event("sqs_batch.json"), LambdaContext()) == {"batchItemFailures": []}


@pytest.mark.parametrize(
    "poison",
    ["not json", json.dumps(["a", "list"]), json.dumps({"response_uuid": "no message"})],
    ids=["not-json", "not-an-object", "no-message"],
)
def test_one_poison_record_is_the_only_failure(poison):
    reply = handle_batch(sqs_event(GOOD, poison, GOOD), LambdaContext())
    assert reply == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}


def test_a_batch_where_every_record_fails_raises_so_it_is_retried_whole():
    with pytest.raises(BatchFailed):
        handle_batch(sqs_event("x", "y"), LambdaContext())
