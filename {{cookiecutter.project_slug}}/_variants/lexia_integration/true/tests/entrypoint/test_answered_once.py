"""A queued ChatMessage is answered once, and replied through Lexia once, through the worker's entry
point as deployed, against moto's DynamoDB and a stand-in for Centrifugo and the Lexia API."""

import copy
import json

import pytest
from entry_point import invoke

from {{ cookiecutter.package_name }}.kit import author
from {{ cookiecutter.package_name }}.kit.agent import loop

from conftest import http_event, load_event, sqs_event
from lambda_context import LambdaContext
from lexia_receiver import LexiaReceiver


@pytest.fixture
def receiver():
    with LexiaReceiver() as running:
        yield running


@pytest.fixture
def runs(environment):
    counted = []

    def answer_message(conversation, settings):
        counted.append(conversation)
        return loop.run_agent(conversation, settings)

    environment.setattr(author, "answer_message", answer_message)
    return counted


def batch(message: dict, message_id: str) -> dict:
    event = sqs_event(json.dumps(message))
    event["Records"][0]["messageId"] = message_id
    return event


def test_a_message_delivered_again_and_under_a_new_id_is_replied_once(messages_table, receiver, runs):
    message = load_event("send_message.json")
    message.update(stream_url=receiver.url, url=f"{receiver.url}/api/messages", message="queued once")
    for message_id in ("m-1", "m-1", "m-2"):
        assert invoke(copy.deepcopy(batch(message, message_id)), LambdaContext()) == {"batchItemFailures": []}
    assert len(runs) == 1
    completions = [r for r in receiver.requests if r["path"] == "/api/messages"]
    assert len(completions) == 1
    [finished] = [p for p in receiver.published() if p.get("finished")]
    assert finished["full_response"] == "queued once"
    reply = invoke(http_event(f"/api/v1/messages/{message['response_uuid']}", method="GET"))
    found = json.loads(reply["body"])
    assert (reply["statusCode"], found["status"], found["reply"]) == (200, "answered", "queued once")
    assert found["delivery"] == {"status": "lexia"}
