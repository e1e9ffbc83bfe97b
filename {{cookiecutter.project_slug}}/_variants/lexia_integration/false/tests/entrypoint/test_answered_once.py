"""A queued message is answered once and its answer delivered once, through the worker's entry
point as deployed, against moto's DynamoDB and a stand-in for the caller's stream_url."""

import copy
import json
import threading
import time

import boto3
import pytest
from entry_point import invoke
from http_stub import HttpStub

from {{ cookiecutter.package_name }}.kit import author, messages
from {{ cookiecutter.package_name }}.kit.agent import loop
from {{ cookiecutter.package_name }}.kit.agent.events import error

from conftest import http_event, sqs_event
from lambda_context import LambdaContext

TOKEN = "stream-token-0123456789"


class Agent:
    """The kit's agent loop, counted. ``fails``: the text of a message whose run ends in an
    error; ``hold``: the first run waits until ``released`` is set."""

    def __init__(self, fails: str = "", hold: bool = False) -> None:
        self.runs = 0
        self.fails = fails
        self.hold = hold
        self.started = threading.Event()
        self.released = threading.Event()

    def __call__(self, conversation, settings):
        self.runs += 1
        if self.hold and self.runs == 1:
            self.started.set()
            self.released.wait(10)
        if conversation[-1].content == self.fails:
            yield error("the model is down", "provider_error")
            return
        yield from loop.run_agent(conversation, settings)


@pytest.fixture
def agent(environment):
    counted = Agent()
    environment.setattr(author, "answer_message", counted)
    return counted


@pytest.fixture
def listener():
    """The caller's stream_url: takes every POST."""
    with HttpStub(lambda request, reply: reply.json(200, {"ok": True})) as stub:
        yield stub


def message(listener, text: str = "answer me once", response_uuid: str = "resp-once") -> str:
    return json.dumps(
        {"message": text, "response_uuid": response_uuid, "stream_url": listener.url, "stream_token": TOKEN}
    )


def plain(text: str, response_uuid: str) -> str:
    """A message that names no stream_url."""
    return json.dumps({"message": text, "response_uuid": response_uuid})


def batch(*records: tuple[str, str], receives: int = 1) -> dict:
    """An SQS batch of (message id, body) records."""
    event = sqs_event(*(body for _, body in records))
    for record, (message_id, _) in zip(event["Records"], records, strict=True):
        record["messageId"] = message_id
        record["attributes"]["ApproximateReceiveCount"] = str(receives)
    return event


def deliver(event: dict) -> dict:
    """The batch through the worker's entry point, as Lambda invokes it."""
    return invoke(copy.deepcopy(event), LambdaContext())


def status_of(response_uuid: str) -> dict:
    reply = invoke(http_event(f"/api/v1/messages/{response_uuid}", method="GET"))
    assert reply["statusCode"] == 200, reply["body"]
    return json.loads(reply["body"])


def delivered_lines(request: dict) -> list[dict]:
    return [json.loads(line) for line in request["data"].decode().splitlines()]


def test_a_message_delivered_again_and_under_a_new_id_is_answered_once(messages_table, agent, listener):
    body = message(listener)
    assert deliver(batch(("m-1", body))) == {"batchItemFailures": []}
    assert deliver(batch(("m-1", body))) == {"batchItemFailures": []}  # SQS delivers it again
    assert deliver(batch(("m-2", body))) == {"batchItemFailures": []}  # the producer sent it again
    assert agent.runs == 1
    [post] = listener.requests
    assert post["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert post["headers"]["content-type"] == "application/x-ndjson"
    lines = delivered_lines(post)
    assert {line["type"] for line in lines[:-1]} <= {"status"}
    assert lines[-1]["type"] == "result" and lines[-1]["text"] == "answer me once"
    found = status_of("resp-once")
    assert (found["status"], found["reply"], found["attempts"]) == ("answered", "answer me once", 1)
    assert found["delivery"]["status"] == "delivered" and found["delivery"]["attempts"] == 1


def test_a_duplicate_while_the_first_is_in_progress_is_a_batch_item_failure(
    messages_table, environment, listener
):
    held = Agent(hold=True)
    environment.setattr(author, "answer_message", held)
    body = message(listener)
    first: dict = {}
    worker = threading.Thread(target=lambda: first.update(deliver(batch(("m-1", body)))))
    worker.start()
    try:
        assert held.started.wait(10)
        assert status_of("resp-once")["status"] == "in_progress"
        # The same message under another id, beside one that has nothing to wait for.
        reply = deliver(batch(("m-2", body), ("m-3", plain("another message", "resp-other"))))
        assert reply == {"batchItemFailures": [{"itemIdentifier": "m-2"}]}
    finally:
        held.released.set()
        worker.join(10)
    assert first == {"batchItemFailures": []}
    assert held.runs == 2  # the first message and the other one, never the duplicate
    # Retried after the visibility timeout, the duplicate finds the answer and is done.
    assert deliver(batch(("m-2", body))) == {"batchItemFailures": []}
    assert held.runs == 2
    [post] = listener.requests
    assert delivered_lines(post)[-1]["text"] == "answer me once"


def test_a_claim_past_its_deadline_is_taken_over(messages_table, agent, listener):
    # A worker claimed the message and died: its claim ended with its invocation.
    boto3.client("dynamodb").put_item(
        TableName=messages_table,
        Item={
            "response_uuid": {"S": "resp-once"},
            "status": {"S": "in_progress"},
            "claim": {"S": "a-worker-that-died"},
            "claim_expires_at": {"N": str(int(time.time()) - 1)},
            "attempts": {"N": "1"},
        },
    )
    assert deliver(batch(("m-1", message(listener)))) == {"batchItemFailures": []}
    assert agent.runs == 1
    found = status_of("resp-once")
    assert (found["status"], found["reply"], found["attempts"]) == ("answered", "answer me once", 2)
    assert len(listener.requests) == 1


def test_a_live_claim_is_left_alone(messages_table, agent, listener):
    boto3.client("dynamodb").put_item(
        TableName=messages_table,
        Item={
            "response_uuid": {"S": "resp-once"},
            "status": {"S": "in_progress"},
            "claim": {"S": "a-worker-still-running"},
            "claim_expires_at": {"N": str(int(time.time()) + 60)},
        },
    )
    reply = deliver(batch(("m-1", message(listener)), ("m-2", plain("another message", "resp-other"))))
    assert reply == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
    assert agent.runs == 1


def test_a_failed_delivery_is_retried_then_recorded_and_never_reruns_the_agent(
    messages_table, agent, environment
):
    environment.setattr(messages, "DELIVERY_BACKOFF_S", 0)
    with HttpStub(lambda request, reply: reply.json(503, {"down": True})) as down:
        body = message(down)
        assert deliver(batch(("m-1", body))) == {"batchItemFailures": []}
        assert len(down.requests) == messages.DELIVERY_TRIES
        found = status_of("resp-once")
        assert found["status"] == "answered"
        assert found["delivery"]["status"] == "failed"
        assert found["delivery"]["attempts"] == messages.DELIVERY_TRIES
        assert "503" in found["delivery"]["error"]
        assert deliver(batch(("m-2", body))) == {"batchItemFailures": []}
        assert (agent.runs, len(down.requests)) == (1, messages.DELIVERY_TRIES)


def test_a_refused_delivery_is_not_retried(messages_table, agent):
    with HttpStub(lambda request, reply: reply.json(401, {"error": "bad token"})) as refusing:
        assert deliver(batch(("m-1", message(refusing)))) == {"batchItemFailures": []}
        assert len(refusing.requests) == 1
        assert status_of("resp-once")["delivery"]["status"] == "failed"


def test_a_failed_run_is_retried_and_its_error_delivered_on_the_last_receive(
    messages_table, environment, listener
):
    failing = Agent(fails="answer me once")
    environment.setattr(author, "answer_message", failing)
    body, other = message(listener), plain("another message", "resp-other")
    for receives in (1, 4):
        reply = deliver(batch(("m-1", body), ("m-2", other), receives=receives))
        assert reply["batchItemFailures"][0] == {"itemIdentifier": "m-1"}
    found = status_of("resp-once")
    assert (found["status"], found["error"], found["attempts"]) == ("failed", "the model is down", 2)
    assert listener.requests == []  # SQS has not given up yet: nobody is told
    deliver(batch(("m-1", body), ("m-2", other), receives=5))
    [post] = listener.requests
    last = delivered_lines(post)[-1]
    assert (last["type"], last["message"]) == ("error", "the model is down")
    assert status_of("resp-once")["delivery"]["status"] == "delivered"


def test_without_a_table_every_delivery_runs_the_agent(agent, listener):
    body = message(listener)
    deliver(batch(("m-1", body)))
    deliver(batch(("m-1", body)))
    assert agent.runs == 2
    assert [delivered_lines(p)[-1]["type"] for p in listener.requests] == ["result", "result"]


def test_a_stream_url_that_is_not_http_is_refused():
    with pytest.raises(Exception, match="stream_url"):
        messages.parse({"message": "hi", "stream_url": "file:///etc/passwd"})
