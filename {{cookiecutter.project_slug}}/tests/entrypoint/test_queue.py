"""send_message with a queue: what is queued is what SQS takes and the worker answers."""

import json
import re

import boto3
import pytest
from fuzz_target import TARGETS

from {{ cookiecutter.package_name }}.kit import messages, service
from {{ cookiecutter.package_name }}.kit.errors import BadGateway, PayloadTooLarge
from {{ cookiecutter.package_name }}.kit.queue import MAX_MESSAGE_BYTES, message_bytes, message_of
from {{ cookiecutter.package_name }}.kit.settings import Settings
from {{ cookiecutter.package_name }}.kit.worker import handle_batch, process_record

from conftest import load_event, sqs_event
from lambda_context import LambdaContext

# Characters XML (and so SQS) refuses, which a JSON string may still hold.
NOT_XML = "\ufffe\uffff"
SEND = next(iter(TARGETS.values()))  # the flavor's HTTP entry point: (method, path, headers, body)


def request_with(text: str):
    return messages.parse({**load_event("send_message.json"), "message": text})


def text_of_size(size: int) -> str:
    """A message, in characters of 2, 3 and 4 bytes plus ones SQS refuses, that queues at ``size`` bytes."""
    start = NOT_XML + "é😀"
    room = size - message_bytes(message_of(request_with(start)))
    text = start + "€" * (room // 3) + "a" * (room % 3)
    assert message_bytes(message_of(request_with(text))) == size
    return text


@pytest.fixture
def queue_url(aws, environment):
    url = boto3.client("sqs").create_queue(QueueName="agent-queue")["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", url)
    return url


def received(queue_url: str) -> list[dict]:
    reply = boto3.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )
    return reply.get("Messages", [])


def test_the_body_is_compact_utf8_and_holds_only_what_sqs_takes():
    text = "naïve € 😀 " + NOT_XML + "\x00"
    body = message_of(request_with(text))["MessageBody"]
    assert "\\u00ef" not in body and "naïve € 😀" in body and ", " not in body
    assert not re.search("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", body)
    assert json.loads(body)["message"] == text


def test_the_size_counts_utf8_bytes_and_the_attribute():
    message = message_of(request_with("€"))
    attribute = message["MessageAttributes"]["response_uuid"]
    expected = len(message["MessageBody"].encode()) + len("response_uuid" + "String")
    assert message_bytes(message) == expected + len(attribute["StringValue"].encode())
    assert len(message["MessageBody"].encode()) > len(message["MessageBody"])  # bytes, not characters


def test_a_message_at_the_limit_is_queued_and_the_worker_answers_it(queue_url):
    text = text_of_size(MAX_MESSAGE_BYTES)
    answer = service.send_message(request_with(text), Settings(sqs_queue_url=queue_url))
    assert answer["status"] == "queued"
    [message] = received(queue_url)
    assert message["MessageId"] == answer["message_id"]
    event = sqs_event(message["Body"])
    assert process_record(event["Records"][0])["reply"] == text
    assert handle_batch(event, LambdaContext()) == {"batchItemFailures": []}


def test_one_byte_over_the_limit_is_413_and_nothing_is_sent(queue_url):
    with pytest.raises(PayloadTooLarge, match=f"at most {MAX_MESSAGE_BYTES}"):
        request = request_with(text_of_size(MAX_MESSAGE_BYTES + 1))
        service.send_message(request, Settings(sqs_queue_url=queue_url))
    assert received(queue_url) == []


@pytest.mark.parametrize("kilobytes", [340, 660])
def test_a_request_that_would_grow_past_the_limit_gets_a_413(queue_url, kilobytes):
    # Under MAX_REQUEST_BYTES as sent; several times the limit once escaped the old way.
    text = "é" * (kilobytes * 500)  # two bytes each
    body = json.dumps({**load_event("send_message.json"), "message": text}, ensure_ascii=False).encode()
    status, reply = SEND("POST", "/api/v1/send_message", {"content-type": "application/json"}, body)
    assert (status, json.loads(reply)["error"]["code"]) == (413, 413)
    assert received(queue_url) == []


def test_a_refusal_from_sqs_is_a_502(aws, environment):
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})["QueueUrl"]
    environment.setenv("SQS_QUEUE_URL", url)
    body = json.dumps({**load_event("send_message.json"), "message": "x" * 2000}).encode()
    status, reply = SEND("POST", "/api/v1/send_message", {"content-type": "application/json"}, body)
    error = json.loads(reply)["error"]
    assert (status, error["code"], error["type"]) == (502, 502, "upstream_error")
    assert error["message"].startswith("the message could not be queued: sqs SendMessage failed: ")


def test_an_unreachable_queue_is_a_502(environment):
    environment.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    with pytest.raises(BadGateway, match="NetworkError"):
        service.send_message(request_with("hi"), Settings(sqs_queue_url="http://127.0.0.1:9/1/q"))
