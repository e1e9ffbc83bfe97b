"""The Lexia contract: ChatMessage in, every chunk and the completion published, directly or via SQS."""

import json

import pytest

from {{ cookiecutter.package_name }}.kit import author, messages, service
from {{ cookiecutter.package_name }}.kit.agent.events import delta, error
from {{ cookiecutter.package_name }}.kit.errors import BadGateway, BadRequest
from {{ cookiecutter.package_name }}.kit.settings import Settings, get_settings
from {{ cookiecutter.package_name }}.kit.worker import handle_batch

from conftest import load_event, sqs_event
from lambda_context import LambdaContext
from lexia_receiver import LexiaReceiver


@pytest.fixture
def receiver():
    with LexiaReceiver() as running:
        yield running


def chat_message(receiver, **changes):
    message = load_event("send_message.json")
    message.update({"stream_url": receiver.url, "url": f"{receiver.url}/api/messages", **changes})
    return message


def assert_published_reply(receiver, message):
    words = message["message"].split(" ")
    published = receiver.published()
    deltas = [p["delta"] for p in published if not p["finished"]]
    assert deltas == [words[0], *(f" {w}" for w in words[1:])]
    assert published[-1] == {
        "finished": True,
        "uuid": message["response_uuid"],
        "thread_id": message["thread_id"],
        "full_response": message["message"],
    }
    [completion] = [p for p in receiver.requests if p["path"] == "/api/messages"]
    assert completion["body"]["uuid"] == message["response_uuid"]
    assert completion["body"]["conversation_id"] == message["conversation_id"]
    for post in receiver.requests:
        if post["path"] == "/api/publish":
            assert post["headers"]["x-api-key"] == message["stream_token"]


def test_direct_path_streams_every_chunk_then_completes(receiver):
    message = chat_message(receiver)
    answer = service.send_message(messages.parse(message), Settings())
    assert answer == {"status": "ok", "response_uuid": message["response_uuid"], "reply": message["message"]}
    assert_published_reply(receiver, message)


def test_sqs_path_streams_every_chunk_then_completes(receiver):
    message = chat_message(receiver, message="queued words arrive")
    assert handle_batch(sqs_event(json.dumps(message)), LambdaContext()) == {"batchItemFailures": []}
    assert_published_reply(receiver, message)


def test_a_poison_record_fails_alone(receiver):
    good = chat_message(receiver)
    reply = handle_batch(sqs_event(json.dumps(good), json.dumps({"message": "no thread"})), LambdaContext())
    assert reply == {"batchItemFailures": [{"itemIdentifier": "msg-1"}]}


def test_stream_settings_fall_back_to_the_environment(receiver, environment):
    environment.setenv("STREAM_URL", receiver.url)
    environment.setenv("STREAM_TOKEN", "token-from-env")
    get_settings.cache_clear()
    message = chat_message(receiver, stream_url=None, stream_token=None)
    service.send_message(messages.parse(message), get_settings())
    publishes = [p for p in receiver.requests if p["path"] == "/api/publish"]
    assert publishes and {p["headers"]["x-api-key"] for p in publishes} == {"token-from-env"}


def test_no_stream_url_anywhere_is_a_400(receiver):
    message = chat_message(receiver, stream_url=None)
    with pytest.raises(BadRequest, match="no stream_url"):
        service.send_message(messages.parse(message), Settings())


def test_an_agent_failure_is_reported_through_lexia(receiver, monkeypatch):
    def failing(conversation, settings):
        yield delta("partial")
        yield error("the model is down", code="provider_error")

    monkeypatch.setattr(author, "answer_message", failing)
    message = chat_message(receiver)
    with pytest.raises(BadGateway, match="the model is down"):
        service.send_message(messages.parse(message), Settings())
    failure = receiver.published()[-1]
    assert failure["error"] is True and failure["content"] == "the model is down"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"thread_id": None}, "thread_id"),
        ({"conversation_id": "abc"}, "conversation_id"),
        ({"variables": 3}, "variables"),
    ],
)
def test_a_body_that_is_not_a_chat_message_is_a_400(receiver, change, problem):
    with pytest.raises(BadRequest, match=f"not a Lexia ChatMessage: {problem}"):
        messages.parse(chat_message(receiver, **change))


def test_platform_tokens_stay_out_of_the_logs(receiver, capfd):
    message = chat_message(receiver, stream_token="very-secret-stream-token")
    service.send_message(messages.parse(message), Settings())
    captured = capfd.readouterr()
    assert "very-secret-stream-token" not in captured.out + captured.err
